"""An area's path — its ordered steps, its stage, its coverage and what comes next — derived ONCE from its facts.

Django-free: plain dataclasses in, a plain `AreaPath` out, so every rule is pinned by tests/paths/ (including a
hypothesis property test). `inspections/paths/services.py` loads an area's facts, calls `derive_path` and stores
the result (`inspections.models.AreaPath`); the timeline, the lists, every export, the dashboard, the map and the
analysis pages read that stored row, so they cannot disagree (issue 19).

The rules, each the answer to a way pages once turned "unknown" into "no":
- **Unknown is never negative.** A revisit whose overall result is not stated is "Revisit: result not known"; a
  judgement with no verdict (or one an analyst rejected) is counted as unknown, never as insufficient.
- **The letter's own result outranks a count.** A revisit's `overall` (read from its letter, or corrected by an
  analyst) decides `revisit_sufficient` / `revisit_insufficient`; the counts of judgements only describe it, and
  each says what it counts ("2 of 3 weaknesses judged sufficient, 1 not known").
- **A later step known is a step taken.** "WSOA required, no revisit yet" only while nothing later is known; when a
  2023 inspection, a later visit named in a report, or a monitoring inspection is on record, the path says the
  revisit's letter is not held instead, and `wsoa_open` is None (not known), never True.
- **Known from a later document counts as known.** An inspection or earlier visit that only a later report names
  (a placeholder) is a step of the path, marked as such; it makes the area "inspected", never "not inspected".
- **What a figure rests on is said.** `unconfirmed` (a fact behind the stage awaits review) and `secondary` (the
  stage rests on a secondary source) travel with the stage.

Shapes: dates are `datetime.date` (None when not known). Source kinds: "letter" (the inspectorates' own letter or
report), "official" (Ofsted's statistics or management information), "secondary" (council, press, third-party).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields

from inspections.analysis.due import Event, NextVisit, next_visit
from inspections.analysis.periods import visit_day

# Bump when a rule below changes: services re-derive every area whose stored path has another version.
VERSION = "3"  # 3: re-derive paths left "no inspection known" by the datasets import (it now derives them)

INITIAL = "initial_inspection"
FULL = "full_inspection"
EARLIER_VISIT = "earlier_visit"  # named by a later report; whether inspection or revisit is not stated
REVISIT = "revisit"
MONITORING = "monitoring_inspection"
OUTCOMES_2023 = ("positive", "inconsistent", "systemic_failings")
RESULTS = ("sufficient_all", "sufficient_some", "sufficient_none")

FRAMEWORK_2023_FROM = dt.date(2023, 1, 1)  # the 2023 framework's first inspections
LETTER, OFFICIAL, SECONDARY, LATER_DOCUMENT = "letter", "official", "secondary", "later_document"
PRIMARY = (LETTER, OFFICIAL)

# --- stages: the words every page, list, export and chart uses (vocabulary.STAGES re-exports them) -------------

@dataclass(frozen=True)
class Stage:
    key: str
    label: str


# The dashboard's statuses, the map's colours and /areas/?stage=<key> use these keys; every place that names an
# area's stage starts with these words (`stage_label` adds detail in brackets).
STAGES: tuple[Stage, ...] = (
    Stage("positive", "2023: typically positive"),
    Stage("inconsistent", "2023: inconsistent"),
    Stage("systemic_failings", "2023: widespread or systemic failings"),
    Stage("no_wsoa", "2016: no WSOA required"),
    Stage("wsoa_open", "2016: WSOA required, no revisit yet"),
    # The path moved on (a 2023 inspection, a later visit named, a monitoring inspection) but no revisit letter is
    # held: never "no revisit yet" (issue 19 item 5).
    Stage("wsoa_revisit_not_held", "2016: WSOA required, later step known, revisit letter not held"),
    Stage("revisit_sufficient", "Revisit: sufficient progress in all"),
    Stage("revisit_insufficient", "Revisit: not sufficient in all"),
    # A revisit whose overall result nothing held states: never "not sufficient" (issue 19 item 1).
    Stage("revisit_unknown", "Revisit: result not known"),
    # No stage-giving fact, but the area was inspected: a held letter or report whose outcome is not recorded
    # (not read, nor entered), or an inspection known only from a later document (a placeholder: a revisit letter
    # or a 2023 report names it) whose own letter is not held. Issue 11 item 4: never "no inspection" for these.
    Stage("outcome_not_recorded", "Inspected: outcome not recorded"),
    Stage("known_not_held", "Inspected (known from a later report): its letter is not held"),
    # Nothing held and nothing named: sendtracker knows of no inspection (which says nothing about Ofsted's
    # records: coverage depends on the documents held, and the dashboard says how much is held).
    Stage("not_inspected", "No inspection known"),
)
STAGE_LABELS = {s.key: s.label for s in STAGES}


# --- coverage: one definition, read by the dashboard panel, the areas filter and the areas CSV ----------------
COVERAGE_WHOLE = "whole"
COVERAGE_PARTLY = "partly"
COVERAGE_OFFICIAL = "official_only"
COVERAGE_SECONDARY = "secondary_only"
COVERAGE_NONE = "none"
COVERAGE: tuple[tuple[str, str, str], ...] = (
    (COVERAGE_WHOLE, "Whole path from its own letters",
     "every step on record comes from its own letter or report, and no held report names an earlier visit whose "
     "letter is not held"),
    (COVERAGE_PARTLY, "Partly held",
     "at least one step comes from its own letter or report; another is known only from Ofsted's data, a secondary "
     "source or a later document"),
    (COVERAGE_OFFICIAL, "Known from Ofsted's data, no letter held",
     "steps are known from Ofsted's official statistics or management information; no letter or report is held"),
    (COVERAGE_SECONDARY, "Secondary or later documents only",
     "steps are known only from secondary sources (council, press, third-party data) or because a later document "
     "names them; no letter, report or Ofsted data row is held"),
    (COVERAGE_NONE, "Nothing known", "no inspection of the area is known from anything held"),
)
COVERAGE_LABELS = {key: label for key, label, _ in COVERAGE}
COVERAGE_DEFINITIONS = {key: words for key, _, words in COVERAGE}

# --- the 2016 path and the 2023 outcome, as the cross-table (analysis/paths) reads them ------------------------
PATHS_2016: tuple[tuple[str, str], ...] = (
    ("no_wsoa", "No WSOA required"),
    ("sufficient_all", "WSOA; revisit: sufficient in all"),
    ("sufficient_some", "WSOA; revisit: sufficient in some"),
    ("sufficient_none", "WSOA; revisit: sufficient in none"),
    ("revisit_unknown", "WSOA; revisit result not known"),
    ("wsoa_no_revisit", "WSOA; no revisit yet"),
    ("wsoa_revisit_not_held", "WSOA; a later step is known, its revisit letter is not held"),
    ("outcome_unrecorded", "2016 inspection held, outcome not recorded"),
    ("known_not_held", "2016 visit known from a later document, its letter not held"),
    # Not "none happened": a 2016 inspection may have been held and its letter not be here.
    ("not_inspected", "No 2016 inspection held or known"),
)
OUTCOMES_2023_ROWS: tuple[tuple[str, str], ...] = (
    ("positive", "Typically positive"),
    ("inconsistent", "Inconsistent"),
    ("systemic_failings", "Systemic failings"),
    ("outcome_unrecorded", "Outcome not recorded"),
    ("not_inspected", "Not yet inspected"),
)


# --- input ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Judgement:
    """One visible (non-rejected) progress judgement: sufficient True / False / None (no verdict read)."""

    weakness_id: int | None
    sufficient: bool | None
    needs_review: bool = False
    source_kind: str = LETTER


@dataclass(frozen=True)
class RevisitFact:
    """A visible 2016 revisit or 2023 monitoring inspection. overall: a RESULTS key or '' (not stated)."""

    id: int
    inspection_id: int
    kind: str = REVISIT
    start: dt.date | None = None
    end: dt.date | None = None
    letter: dt.date | None = None
    overall: str = ""
    next_steps: str = ""
    source_kind: str = LETTER
    needs_review: bool = False
    judgements: tuple[Judgement, ...] = ()
    document: str = ""
    # Counts a dataset states (Ofsted's statistics: weaknesses with / without sufficient progress); None: not given.
    stated_sufficient: int | None = None
    stated_insufficient: int | None = None
    period: str = ""  # the period as written when the day is not known ("February 2019")


@dataclass(frozen=True)
class InspectionFact:
    """A visible inspection. kind: INITIAL | FULL | EARLIER_VISIT. placeholder: known only from a later document
    (`known_from` names it). weaknesses: visible weaknesses of the kind the revisit judges (significant weaknesses
    for 2016, areas for priority action for 2023); `stated_weaknesses` a count a dataset states (None: not given).
    previous_start: the earlier visit this report names; previous_held: that visit is on record (linked or a
    placeholder)."""

    id: int
    framework: str
    kind: str
    start: dt.date | None = None
    end: dt.date | None = None
    published: dt.date | None = None
    letter: dt.date | None = None
    outcome: str = ""
    next_text: str = ""
    source_kind: str = LETTER
    needs_review: bool = False
    placeholder: bool = False
    known_from: str = ""
    weaknesses: int = 0
    stated_weaknesses: int | None = None
    previous_start: dt.date | None = None
    previous_held: bool = True
    wsoa_fit_on: dt.date | None = None
    wsoa_held: bool = False
    document: str = ""
    period: str = ""  # the period as written when the day is not known ("May 2017", from a note of the statistics)


@dataclass(frozen=True)
class AreaFacts:
    inspections: tuple[InspectionFact, ...] = ()
    revisits: tuple[RevisitFact, ...] = ()


# --- output --------------------------------------------------------------------------------------------------

@dataclass
class PathStep:
    """One step, in date order. state: the step's result in the vocabulary ('wsoa_required', 'sufficient_some',
    'result_not_known', 'not_held', ...). source: LETTER | OFFICIAL | SECONDARY | LATER_DOCUMENT."""

    kind: str
    fact_id: int | None
    date: str | None  # ISO
    state: str
    label: str
    source: str
    unconfirmed: bool = False


@dataclass
class AreaPath:
    stage: str = "not_inspected"
    stage_label: str = "No inspection known"
    coverage: str = COVERAGE_NONE
    path_2016: str = "not_inspected"
    outcome_2023: str = "not_inspected"
    wsoa_open: bool | None = False
    revisit_overall: str = ""  # the latest 2016 revisit's stated result ('' not stated or no revisit)
    revisit_start: dt.date | None = None
    revisit_source: str = ""
    weakness_count: int | None = None  # weaknesses the latest revisit judges (None: no revisit)
    judged_sufficient: int = 0
    judged_insufficient: int = 0
    judged_unknown: int = 0
    latest_date: dt.date | None = None
    latest_2016_start: dt.date | None = None
    latest_2016_outcome: str = ""
    latest_2023_start: dt.date | None = None
    latest_2023_outcome: str = ""
    latest_outcome: str = ""
    unconfirmed: bool = False
    secondary: bool = False
    next_kind: str = ""
    next_due_from: dt.date | None = None
    next_due_by: dt.date | None = None
    next_reason: str = ""
    next_visit: dict = field(default_factory=dict)  # analysis.due.NextVisit as JSON (next_visit_to_json)
    steps: list[PathStep] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        data = asdict(self)
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


def flat_dict(value) -> dict:
    """asdict() of a dataclass whose fields hold no dataclasses, lists or dicts (PathStep, NextVisit): the same
    dict, without asdict's recursive deep copy (a dataset import derives ~150 paths of ~5 steps per file)."""
    names = _NAMES.get(type(value))
    if names is None:
        names = _NAMES[type(value)] = tuple(f.name for f in fields(value))
    return {name: getattr(value, name) for name in names}


_NAMES: dict[type, tuple[str, ...]] = {}


# --- the derivation ------------------------------------------------------------------------------------------

def _recency(fact) -> tuple:
    """Latest first: dated before undated, then the later start, then the higher id (as every page always did)."""
    return (fact.start is not None, fact.start or dt.date.min, fact.id)


def _latest(facts):
    return max(facts, key=_recency, default=None)


def _source(fact) -> str:
    if getattr(fact, "placeholder", False):
        return LATER_DOCUMENT
    return fact.source_kind if fact.source_kind in (LETTER, OFFICIAL, SECONDARY) else SECONDARY


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def judged_counts(revisit: RevisitFact, weaknesses: int | None) -> tuple[int, int, int, int]:
    """(weaknesses judged at the revisit, sufficient, insufficient, not known). The total is the inspection's
    weaknesses when held (a rejected or unread judgement leaves its weakness "not known"), else the judgements."""
    sufficient = sum(1 for j in revisit.judgements if j.sufficient is True)
    insufficient = sum(1 for j in revisit.judgements if j.sufficient is False)
    if not revisit.judgements and revisit.stated_sufficient is not None and revisit.stated_insufficient is not None:
        # No per-weakness verdict held, but Ofsted's data states the counts: they are facts of their own.
        sufficient, insufficient = revisit.stated_sufficient, revisit.stated_insufficient
    total = max(weaknesses or 0, len(revisit.judgements), sufficient + insufficient)
    return total, sufficient, insufficient, total - sufficient - insufficient


def _counts_words(total: int, sufficient: int, insufficient: int, unknown: int) -> str:
    if not total:
        return ""
    words = f"{sufficient} of {_plural(total, 'weakness', 'weaknesses')} judged sufficient"
    if unknown:
        words += f", {unknown} not known"
    return words


def derive_path(facts: AreaFacts, *, as_at: dt.date | None = None) -> AreaPath:
    """The area's path from its visible facts. `as_at`: only what had started (or, undated, been published or
    written) by that day counts. Never raises on odd input: a fact with no date is placed by what is known."""
    inspections = [i for i in facts.inspections if _by(i, as_at)]
    kept = {i.id for i in inspections}
    revisits = [r for r in facts.revisits if r.inspection_id in kept and _by(r, as_at)]
    by_inspection: dict[int, list[RevisitFact]] = {}
    for r in revisits:
        by_inspection.setdefault(r.inspection_id, []).append(r)
    path = AreaPath()
    reasons = path.reasons

    # --- the 2023 framework: its latest full inspection and the outcome it states
    full = _latest([i for i in inspections if i.kind == FULL])
    f2023 = _latest([i for i in inspections if i.framework == "2023" and i.kind == FULL])
    if f2023 is not None:
        path.latest_2023_start, path.latest_2023_outcome = f2023.start, f2023.outcome
        path.outcome_2023 = f2023.outcome if f2023.outcome in OUTCOMES_2023 else "outcome_unrecorded"

    # --- the 2016 framework
    initial = _latest([i for i in inspections if i.framework == "2016" and i.kind == INITIAL])
    earlier = [i for i in inspections if i.kind == EARLIER_VISIT]
    stage_facts: list = []
    later_known = _later_known(initial, inspections, revisits)
    if initial is not None:
        path.latest_2016_start, path.latest_2016_outcome = initial.start, initial.outcome
        revisit = _latest([r for r in by_inspection.get(initial.id, []) if r.kind == REVISIT])
        if revisit is not None:
            total, sufficient, insufficient, unknown = judged_counts(revisit, initial.weaknesses or initial.stated_weaknesses)
            path.weakness_count, path.judged_sufficient, path.judged_insufficient, path.judged_unknown = (
                total, sufficient, insufficient, unknown)
            path.revisit_overall, path.revisit_start, path.revisit_source = revisit.overall, revisit.start, _source(revisit)
            path.path_2016 = revisit.overall if revisit.overall in RESULTS else "revisit_unknown"
            stage_facts = [initial, revisit, *revisit.judgements]
            if revisit.overall not in RESULTS:
                reasons.append("the revisit's overall result is not stated in anything held")
        elif initial.outcome == "wsoa_required":
            stage_facts = [initial]
            if later_known:
                path.path_2016, path.wsoa_open = "wsoa_revisit_not_held", None
                reasons.append(f"no revisit letter is held, but {later_known}")
            else:
                path.path_2016, path.wsoa_open = "wsoa_no_revisit", True
        elif initial.outcome == "no_wsoa":
            path.path_2016, stage_facts = "no_wsoa", [initial]
        else:
            stage_facts = [initial]
            path.path_2016 = "known_not_held" if initial.placeholder else "outcome_unrecorded"
    elif earlier or any(i.previous_start and i.previous_start < FRAMEWORK_2023_FROM for i in inspections):
        # A 2016-framework visit is known because a later report names it (perhaps of the authority this area
        # replaced: Dorset's report names Dorset County's 2017 inspection) — known, never "not inspected".
        path.path_2016 = "known_not_held"
    # --- the stage: the newest framework's outcome, else how far the 2016 path got, else which kind of nothing
    if f2023 is not None and f2023.outcome in OUTCOMES_2023:
        path.stage = f2023.outcome
        stage_facts = [f2023, *[r for r in by_inspection.get(f2023.id, [])]]
    elif path.path_2016 == "sufficient_all":
        path.stage = "revisit_sufficient"
    elif path.path_2016 in ("sufficient_some", "sufficient_none"):
        path.stage = "revisit_insufficient"
    elif path.path_2016 == "revisit_unknown":
        path.stage = "revisit_unknown"
    elif path.path_2016 == "wsoa_no_revisit":
        path.stage = "wsoa_open"
    elif path.path_2016 == "wsoa_revisit_not_held":
        path.stage = "wsoa_revisit_not_held"
    elif path.path_2016 == "no_wsoa":
        path.stage = "no_wsoa"
    elif any(not i.placeholder for i in inspections):
        path.stage = "outcome_not_recorded"
        stage_facts = [_latest([i for i in inspections if not i.placeholder])]
    elif inspections:
        path.stage = "known_not_held"
        stage_facts = [_latest(inspections)]
    path.latest_outcome = (path.latest_2023_outcome if f2023 is not None and f2023.outcome else
                           (initial.outcome if initial is not None else ""))
    path.unconfirmed = any(getattr(f, "needs_review", False) for f in stage_facts)
    path.secondary = any(getattr(f, "source_kind", LETTER) == SECONDARY for f in stage_facts)
    path.stage_label = stage_label(path)

    # --- steps, dates, coverage, what comes next
    path.steps = _steps(inspections, by_inspection)
    path.latest_date = _latest_step_date(inspections, by_inspection)
    path.coverage = coverage_of(path.steps, inspections)
    # An earlier visit of unstated kind says nothing about what is due next: only inspections and visits of a known kind.
    visit = next_visit([_event(i) for i in inspections if i.kind != EARLIER_VISIT] + [_revisit_event(r) for r in revisits])
    path.next_kind, path.next_due_from, path.next_due_by, path.next_reason = (
        visit.kind, visit.due_from, visit.due_by, visit.reason)
    path.next_visit = next_visit_to_json(visit)
    return path


def next_visit_to_json(visit: NextVisit) -> dict:
    data = flat_dict(visit)
    for key in ("due_from", "due_by"):
        data[key] = data[key].isoformat() if data[key] else None
    data["source"] = list(visit.source) if visit.source else None
    return data


def next_visit_from_json(data: dict) -> NextVisit:
    """The stored NextVisit back ({} gives "no inspection known")."""
    if not data:
        return NextVisit("full_inspection", reason="no inspection known")
    values = dict(data)
    for key in ("due_from", "due_by"):
        values[key] = dt.date.fromisoformat(values[key]) if values.get(key) else None
    values["source"] = tuple(values["source"]) if values.get("source") else None
    return NextVisit(**values)


def _by(fact, as_at: dt.date | None) -> bool:
    """Whether the fact counts as at `as_at`: by the day the visit began, or for a visit known only to the month
    its first day (analysis/periods.py: the national figures and the lists' rule), else by its letter's or
    publication's date."""
    if as_at is None:
        return True
    day = visit_day(fact.start, fact.period) or getattr(fact, "letter", None) or getattr(fact, "published", None)
    return day is not None and day <= as_at


def _later_known(initial: InspectionFact | None, inspections: list[InspectionFact],
                 revisits: list[RevisitFact]) -> str:
    """Why the 2016 path is known to have moved on after `initial` (words), or '' when nothing later is known."""
    if initial is None:
        return ""
    after = initial.start or dt.date.min
    # The most specific evidence first: a visit a later report names, then a later inspection.
    named = sorted({d for i in inspections if i.id != initial.id
                    for d in ((i.start if i.kind == EARLIER_VISIT else None), i.previous_start) if d and d > after})
    if named:
        return f"a later report names a visit on {named[0].isoformat()}"
    # Any 2023-framework inspection follows the 2016 framework's, whatever dates were read (a misread date must
    # not reopen a WSOA).
    if any(i.kind == FULL for i in inspections if i.id != initial.id):
        return "a later 2023-framework inspection is on record"
    if any(r.kind == MONITORING for r in revisits):
        return "a monitoring inspection is on record"
    return ""


def stage_label(path: AreaPath) -> str:
    """The stage's vocabulary label, then what the records add in brackets: '2016: WSOA required, no revisit yet
    (inspected 2019)', 'Revisit: not sufficient in all (2 of 3 weaknesses judged sufficient, 1 not known)'."""
    label = STAGE_LABELS.get(path.stage, path.stage)
    if path.stage in ("revisit_sufficient", "revisit_insufficient", "revisit_unknown"):
        counts = _counts_words(path.weakness_count or 0, path.judged_sufficient, path.judged_insufficient,
                               path.judged_unknown)
        return f"{label} ({counts})" if counts else label
    if path.stage in ("wsoa_open", "no_wsoa", "wsoa_revisit_not_held") and path.latest_2016_start:
        return f"{label} (inspected {path.latest_2016_start.year})"
    return label


def coverage_of(steps: list[PathStep], inspections: list[InspectionFact]) -> str:
    """The coverage class (COVERAGE) of an area's steps."""
    if not steps:
        return COVERAGE_NONE
    sources = {s.source for s in steps}
    # A report naming an earlier visit whose letter is not held is a step known only from a later document.
    if any(i.previous_start and not i.previous_held for i in inspections):
        sources.add(LATER_DOCUMENT)
    if sources == {LETTER}:
        return COVERAGE_WHOLE
    if LETTER in sources:
        return COVERAGE_PARTLY
    if OFFICIAL in sources:
        return COVERAGE_OFFICIAL
    return COVERAGE_SECONDARY


_STEP_ORDER = {INITIAL: 0, EARLIER_VISIT: 0, "wsoa": 1, REVISIT: 2, FULL: 3, MONITORING: 4}


def _steps(inspections: list[InspectionFact], by_inspection: dict[int, list[RevisitFact]]) -> list[PathStep]:
    steps: list[tuple] = []
    for i in inspections:
        anchor = i.start or i.letter or i.published or min(
            (r.start for r in by_inspection.get(i.id, []) if r.start), default=None)
        state = i.outcome or ("kind_not_stated" if i.kind == EARLIER_VISIT else "outcome_not_known")
        label = _inspection_label(i)
        steps.append((anchor, _STEP_ORDER[i.kind], PathStep(i.kind, i.id, _iso(i.start), state, label, _source(i),
                                                            i.needs_review)))
        if i.outcome == "wsoa_required" or i.wsoa_held:
            fit = i.wsoa_fit_on
            steps.append((fit or anchor, 1, PathStep(
                "wsoa", i.id, _iso(fit), "fit_for_purpose" if fit else "required",
                f"WSOA declared fit for purpose {fit.isoformat()}" if fit else "WSOA required",
                _source(i), i.needs_review)))
        for r in by_inspection.get(i.id, []):
            total, sufficient, insufficient, unknown = judged_counts(r, i.weaknesses or i.stated_weaknesses)
            state = r.overall or "result_not_known"
            words = {"sufficient_all": "sufficient progress in every weakness",
                     "sufficient_some": "sufficient progress in some weaknesses",
                     "sufficient_none": "sufficient progress in none",
                     "result_not_known": "result not known"}[state]
            counts = _counts_words(total, sufficient, insufficient, unknown)
            kind_words = "Revisit" if r.kind == REVISIT else "Monitoring inspection"
            steps.append((r.start or anchor, _STEP_ORDER.get(r.kind, 2), PathStep(
                r.kind, r.id, _iso(r.start), state, f"{kind_words}: {words}" + (f" ({counts})" if counts else ""),
                _source(r), r.needs_review or any(j.needs_review for j in r.judgements))))
    steps.sort(key=lambda s: (s[0] or dt.date.max, s[1], s[2].fact_id or 0))
    return [s[2] for s in steps]


def _inspection_label(i: InspectionFact) -> str:
    what = {INITIAL: "Initial inspection", FULL: "Area SEND inspection",
            EARLIER_VISIT: "Earlier visit (inspection or revisit, not stated)"}[i.kind]
    outcome = {"wsoa_required": "WSOA required", "no_wsoa": "no WSOA required", "positive": "typically positive",
               "inconsistent": "inconsistent", "systemic_failings": "widespread or systemic failings"}.get(i.outcome)
    label = f"{what}: {outcome}" if outcome else f"{what}: outcome not known"
    if i.placeholder:
        label += f" (known from {i.known_from or 'a later document'}; its letter is not held)"
    return label


def _latest_step_date(inspections: list[InspectionFact], by_inspection: dict[int, list[RevisitFact]]) -> dt.date | None:
    """The latest date on the path that the stage rests on: a revisit or monitoring inspection is later than the
    inspection it follows (an undated inspection revisited in 2021 is "latest 2021")."""
    best = None
    for i in inspections:
        day = max([d for d in [i.start, *(r.start for r in by_inspection.get(i.id, []))] if d], default=None)
        if day and (best is None or day > best):
            best = day
    return best


def _event(i: InspectionFact) -> Event:
    return Event(kind=i.kind, fact_id=i.id, start=i.start, end=i.end,
                 published=i.published, letter=i.letter, outcome=i.outcome, sentence=i.next_text,
                 needs_review=i.needs_review, placeholder=i.placeholder)


def _revisit_event(r: RevisitFact) -> Event:
    return Event(kind=r.kind, fact_id=r.id, parent_id=r.inspection_id, start=r.start, end=r.end, letter=r.letter,
                 outcome=r.overall, sentence=r.next_steps, needs_review=r.needs_review)
