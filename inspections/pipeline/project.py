"""Stage 7a (pure, no Django): every stored letter of ONE area -> the fact records they support.

The writer (write.py) stores letters, then calls `project_area` with all of the area's letters and reconciles
the database with the returned plan. Because the plan depends only on the set of letters — never on which
arrived first — ingesting documents in any order, or twice, gives the same rows.

Rules (issue 3):
- Exact repeats (same fingerprint) count once; the copy kept is the lowest (document sha256, position), a key
  that does not depend on upload order.
- Letters are considered in a stable order: letters before secondary sources, then by date, then fingerprint.
  Several letters about one event (the same letter as PDF and HTML) make one record: the first supplies the
  values, later letters of the same source kind only fill blanks, and a disagreement is flagged for review.
  A secondary source (council report) makes a record only when no letter provides it; its facts are marked
  secondary and need review.
- A revisit/monitoring inspection follows the inspection whose dates (or period, or publication date) it
  states, else the latest earlier one. With none on record it creates a placeholder inspection (period and
  weaknesses as the revisit restates them), which a later initial letter replaces.
- Judgements are linked to the followed-up inspection's weaknesses by wording (match.py).
- A 2023 report that states the area's previous inspection ("Dates of previous inspection: 23 to 27 January
  2017") makes a placeholder for it when no letter of that inspection is held: an inspection *known from a
  later document*, its provenance the report's own line. The letter, when it arrives, takes the placeholder's
  place (same natural key, or dates within a week), and the placeholder never overrides a letter's facts.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .match import assign
from .types import ParsedLetter, Span

SECONDARY_REASON = "Read from a council report (a secondary source), not from the inspection letter itself."
INSPECTION_KINDS = {"initial_inspection", "full_inspection"}
FOLLOWS = {"revisit": ("2016", "initial_inspection"), "monitoring_inspection": ("2023", "full_inspection")}
# Values later letters of an event may fill in when the first one lacks them (e.g. Medway's publication date).
_FILLABLE = (
    "end_date", "letter_date", "published_date", "outcome", "outcome_text", "wsoa_bodies", "wsoa_fit_for_purpose",
    "lead_inspector", "inspection_team", "findings", "overall", "overall_text", "next_steps", "initial_start_date",
    "initial_end_date", "initial_period_text", "initial_letter_published", "previous_start_date", "previous_end_date",
    "next_inspection_text",
)
_MUST_AGREE = ("end_date", "letter_date", "outcome", "overall")
_LATEST = date.max


@dataclass(frozen=True)
class LetterRecord:
    """One stored SourceLetter, as the projection needs it."""

    letter_id: int
    document_id: int
    document_key: str  # the document's sha256: a tie-break that is the same whatever the upload order
    position: int
    fingerprint: str
    parsed: ParsedLetter
    # The publication date the publisher's listing gives for the document (Document.published_date, set by
    # inspections/ingest/sources/): used when the letter itself does not print one.
    document_published: date | None = None


@dataclass
class Provenance:
    document_id: int | None
    span: Span | None
    source_kind: str = "letter"
    confidence: float = 1.0
    review_reasons: list[str] = field(default_factory=list)
    # A dataset row (inspections/datasets/): the sheet, row and column headings the record rests on.
    sheet: str = ""
    row: int | None = None
    columns: str = ""
    label: str = ""

    def fields(self) -> dict[str, Any]:
        reasons = list(dict.fromkeys(self.review_reasons))
        return {
            "source_sheet": self.sheet[:100], "source_row": self.row, "source_column": self.columns[:500],
            "source_label": self.label[:300],
            "source_document_id": self.document_id,
            "span_start": self.span.start if self.span else None,
            "span_end": self.span.end if self.span else None,
            "source_kind": self.source_kind,
            "confidence": self.confidence,
            "needs_review": bool(reasons),
            "review_reasons": reasons,
        }


@dataclass
class WeaknessPlan:
    kind: str
    number: int
    values: dict[str, Any]
    prov: Provenance


@dataclass
class JudgementPlan:
    weakness: tuple[str, int]  # (kind, number) of the weakness judged
    values: dict[str, Any]
    prov: Provenance


@dataclass
class RevisitPlan:
    kind: str
    start_date: date | None
    values: dict[str, Any]
    prov: Provenance
    judgements: list[JudgementPlan] = field(default_factory=list)
    letters: list[LetterRecord] = field(default_factory=list)


@dataclass
class WsoaPlan:
    values: dict[str, Any]
    prov: Provenance


@dataclass
class InspectionPlan:
    framework: str
    kind: str
    start_date: date | None
    values: dict[str, Any]
    prov: Provenance
    weaknesses: list[WeaknessPlan] = field(default_factory=list)
    revisits: list[RevisitPlan] = field(default_factory=list)
    wsoa: WsoaPlan | None = None
    letters: list[LetterRecord] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, date | None]:
        return (self.framework, self.kind, self.start_date)

    @property
    def is_placeholder(self) -> bool:
        return bool(self.values.get("is_placeholder"))


@dataclass
class AreaPlan:
    inspections: list[InspectionPlan]
    duplicate_of: dict[int, int | None]  # letter id -> the letter it repeats (None for the copy kept)
    notes: list[tuple[int, str]]  # (document id, what was skipped and why)


def project_area(records: list[LetterRecord], *, area_start: date | None = None) -> AreaPlan:
    """The fact records `records` (all of one area's letters) support. `area_start`: the day the area's
    authority came into being (None: always existed), so no inspection is placed before the area existed."""
    kept, duplicate_of, notes = _dedupe(records)
    ordered = sorted(kept, key=_order)
    inspections: dict[tuple, InspectionPlan] = {}
    for group in _groups(ordered, INSPECTION_KINDS):
        plan = _inspection(group, notes)
        inspections[plan.key] = plan
    for group in _groups(ordered, set(FOLLOWS)):
        _revisit(group, inspections, notes)
    _previous_inspections(inspections, area_start)
    for plan in inspections.values():
        plan.wsoa = _wsoa(plan)
    plans = sorted(inspections.values(), key=lambda p: (p.framework, p.kind, p.start_date or _LATEST))
    return AreaPlan(inspections=plans, duplicate_of=duplicate_of, notes=notes)


# --- letters ----------------------------------------------------------------------------------------------


def _dedupe(records: list[LetterRecord]):
    by_print: dict[str, list[LetterRecord]] = {}
    for record in records:
        by_print.setdefault(record.fingerprint, []).append(record)
    kept, duplicate_of, notes = [], {}, []
    for same in by_print.values():
        same.sort(key=lambda r: (r.document_key, r.position))
        kept.append(same[0])
        duplicate_of[same[0].letter_id] = None
        for repeat in same[1:]:
            duplicate_of[repeat.letter_id] = same[0].letter_id
            notes.append((repeat.document_id, f"letter {repeat.position + 1} ({describe(repeat.parsed)}): an exact repeat of a letter already recorded; its facts are not counted twice"))
    return kept, duplicate_of, notes


# Which source leads when several state one event: the letter itself, then Ofsted's own figures (official
# statistics, management information), then secondary sources (council reports, third-party datasets).
RANK = {"letter": 0, "official": 1, "secondary": 2}


def _order(record: LetterRecord):
    p = record.parsed
    # Among rows of datasets, the later release leads (it updates the earlier one).
    released = -(p.dataset_released.toordinal()) if p.dataset_released else 0
    return (RANK.get(p.source_kind, 2), p.start_date or _LATEST, p.letter_date or _LATEST, released, record.fingerprint)


def _groups(ordered: list[LetterRecord], kinds: set[str]) -> list[list[LetterRecord]]:
    """Letters about one event (kind + start date), in order; the first of each group leads it.

    A dataset's row and a letter about the same visit are one event even when their dates differ a little: a
    group led by a lower-ranked source joins the group of a higher-ranked one of the same kind whose visit is the
    same (start dates within a week, the same publication date, or an undated row's month) — so an inspection in
    a dataset and in a letter makes one row, whichever arrived first."""
    groups: dict[tuple, list[LetterRecord]] = {}
    for record in ordered:
        p = record.parsed
        if p.kind in kinds:
            groups.setdefault((p.framework, p.kind, p.start_date), []).append(record)
    merged: list[list[LetterRecord]] = []
    for group in sorted((sorted(g, key=_order) for g in groups.values()), key=lambda g: _order(g[0])):
        lead = group[0].parsed
        same = [m for m in merged if RANK.get(m[0].parsed.source_kind, 2) < RANK.get(lead.source_kind, 2)
                and (m[0].parsed.framework, m[0].parsed.kind) == (lead.framework, lead.kind) and _same_event(m[0].parsed, lead)]
        if same:
            target = min(same, key=lambda m: abs(((m[0].parsed.start_date or _LATEST) - (lead.start_date or _LATEST)).days))
            target.extend(group)
            target.sort(key=_order)
        else:
            merged.append(group)
    return merged


def _same_event(a: ParsedLetter, b: ParsedLetter) -> bool:
    if a.start_date and b.start_date:
        return abs((a.start_date - b.start_date).days) <= _SAME_VISIT.days
    if a.published_date and b.published_date:
        return a.published_date == b.published_date
    period = b.period_text or a.period_text
    dated = a.start_date or b.start_date
    if period and dated:
        return _in_period(dated, period)
    return False


def _in_period(day: date, period: str) -> bool:
    years = {int(y) for y in re.findall(r"\b(20\d\d)\b", period)}
    months = {_MONTHS[m.lower()] for m in re.findall(r"[A-Za-z]+", period) if m.lower() in _MONTHS}
    return (not years or day.year in years) and (not months or day.month in months)


def _merged(group: list[LetterRecord], notes: list) -> tuple[ParsedLetter, LetterRecord, list[str]]:
    """The lead letter with blanks filled by the others of its source kind, and the disagreements found."""
    lead = group[0]
    # A shallow copy: nothing below changes a value in place (_fill and the weaknesses assign copies), and a
    # deep copy of every letter was a fifth of a dataset import (hundreds of single-letter groups).
    merged = copy.copy(lead.parsed)
    disagreements = []
    for other in group[1:]:
        p = other.parsed
        if p.source_kind == "secondary" and lead.parsed.source_kind != "secondary":
            notes.append((other.document_id, f"letter {other.position + 1} ({describe(p)}): a secondary source; the letter's or Ofsted's own facts win, so it adds nothing"))
            continue
        if p.source_kind != lead.parsed.source_kind:
            # A letter and Ofsted's figures are both primary: the figures fill what the letter does not state
            # (publication date, counts), and every disagreement is kept for review with both values and sources.
            notes.append((other.document_id, f"{p.source_label or describe(p)}: the same {describe(p)} as a letter already recorded; it fills values the letter lacks"))
            _fill(merged, p)
            disagreements += _disagreements(lead.parsed, p)
            continue
        if p.source_row is not None:
            # An earlier release of the same series: the later one (the lead) updates it, it only fills blanks.
            _fill(merged, p)
            continue
        notes.append((other.document_id, f"letter {other.position + 1} ({describe(p)}): another copy of a letter already recorded; it only fills values that copy lacks"))
        _fill(merged, p)
        for name in _MUST_AGREE:
            mine, theirs = getattr(lead.parsed, name), getattr(p, name)
            if mine and theirs and mine != theirs:
                disagreements.append(f"Two copies of this letter disagree on {name.replace('_', ' ')}: {mine} and {theirs}.")
        if not merged.weaknesses and p.weaknesses:
            merged.weaknesses = copy.deepcopy(p.weaknesses)
    return merged, lead, disagreements


# A fact read from a letter the parser doubted this much is flagged even when the doubt was recorded on another of
# the letter's facts: a priority action read at 0.60 from a report whose table rows ran together was shown as
# settled while only its inspection said why.
LOW_CONFIDENCE = 0.8
_DATASET_FILLABLE = ("stated_weaknesses", "stated_sufficient", "stated_insufficient", "period_text")


def _fill(merged: ParsedLetter, p: ParsedLetter) -> None:
    for name in (*_FILLABLE, *_DATASET_FILLABLE):
        if getattr(merged, name) in (None, "", [], {}) and getattr(p, name) not in (None, "", [], {}):
            setattr(merged, name, copy.deepcopy(getattr(p, name)))


def _says(value) -> str:
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value).replace("_", " ")


def _disagreements(letter: ParsedLetter, row: ParsedLetter) -> list[str]:
    """Where a letter and a dataset row about the same visit differ: each with both values and both sources."""
    found = []
    names = ["start_date", "published_date", "outcome", "overall"]
    for name in names:
        mine, theirs = getattr(letter, name), getattr(row, name)
        if mine and theirs and mine != theirs:
            found.append((name.replace("_", " "), _says(mine), _says(theirs)))
    weaknesses = [w for w in letter.weaknesses if w.kind != "improvement_area"]
    if row.stated_weaknesses is not None and weaknesses and len(weaknesses) != row.stated_weaknesses:
        found.append(("number of weaknesses", str(len(weaknesses)), str(row.stated_weaknesses)))
    judged = [j.sufficient_progress for j in letter.judgements]
    if row.stated_sufficient is not None and judged and None not in judged and sum(judged) != row.stated_sufficient:
        found.append(("weaknesses with sufficient progress", str(sum(judged)), str(row.stated_sufficient)))
    source = row.source_label or "a dataset"
    return [f"The letter and Ofsted's figures disagree on the {what}: the letter says {mine}; {source} says {theirs}."
            for what, mine, theirs in found]


def _provenance(record: LetterRecord, letter: ParsedLetter, span: Span | None, reasons: list[str] = ()) -> Provenance:
    reasons = list(reasons)
    if letter.source_kind == "secondary" and not any("secondary" in r for r in reasons):
        # Every fact from a council report says so; reuse the parser's wording when it gave one.
        reasons.insert(0, next((r for r in letter.review_reasons if "secondary" in r), SECONDARY_REASON))
    if not reasons and letter.confidence < LOW_CONFIDENCE:
        doubt = " ".join(letter.review_reasons) or "no reason was recorded."
        reasons.append(f"Read with low confidence ({letter.confidence:.2f}) from a letter in doubt: {doubt}")
    lead = record.parsed  # the row a dataset record cites (a merged letter keeps its lead's provenance)
    return Provenance(record.document_id, span, letter.source_kind, letter.confidence, reasons,
                      lead.source_sheet, lead.source_row, lead.source_columns, lead.source_label)


def _heading_span(letter: ParsedLetter) -> Span:
    """Where the record is named: the title's area name through the dates (short enough to show as source text)."""
    spans = [s for s in (letter.area_span, letter.dates_span) if s]
    if len(spans) == 2 and 0 <= spans[1].start - spans[0].start <= 600:
        return Span(spans[0].start, spans[1].end)
    return letter.dates_span or letter.area_span or letter.span


# --- inspections ------------------------------------------------------------------------------------------


def _inspection(group: list[LetterRecord], notes: list) -> InspectionPlan:
    letter, lead, disagreements = _merged(group, notes)
    values = {
        "framework": letter.framework, "kind": letter.kind, "start_date": letter.start_date, "end_date": letter.end_date,
        "period_text": "" if letter.start_date else letter.period_text[:100],
        "date_precision": _precision(letter.start_date, letter.period_text, letter.date_precision),
        "letter_date": letter.letter_date,
        "published_date": letter.published_date or _listed_publication(group), "stated_weaknesses": letter.stated_weaknesses,
        "outcome": letter.outcome, "outcome_text": letter.outcome_text, "lead_inspector": letter.lead_inspector,
        "inspection_team": letter.inspection_team, "findings": letter.findings,
        "next_inspection_text": letter.next_inspection_text, "previous_inspection_start": letter.previous_start_date,
        "previous_inspection_end": letter.previous_end_date, "is_placeholder": False,
    }
    plan = InspectionPlan(
        letter.framework, letter.kind, letter.start_date, values,
        _provenance(lead, letter, _heading_span(letter), [*letter.review_reasons, *disagreements]), letters=group,
    )
    for w in letter.weaknesses:
        plan.weaknesses.append(
            WeaknessPlan(w.kind, w.number, {"text": w.text, "responsible_bodies": w.responsible_bodies}, _provenance(lead, letter, w.span))
        )
    return plan


def _precision(start: date | None, period_text: str, stated: str) -> str:
    """How precisely a visit's date is known: "day" with a start date, else the parser's "month"/"year" for a
    period as written, else "" (not known)."""
    if start is not None:
        return "day"
    return stated if period_text and stated in ("month", "year") else ""


def _listed_publication(group: list[LetterRecord]) -> date | None:
    """The publisher's listed date, from a letter-kind document of this event that holds one letter."""
    dates = sorted({r.document_published for r in group if r.document_published and r.parsed.source_kind == "letter"})
    return dates[0] if dates else None


def _wsoa(plan: InspectionPlan) -> WsoaPlan | None:
    if plan.framework != "2016" or plan.values.get("outcome") != "wsoa_required":
        return None
    lead = plan.letters[0] if plan.letters else None
    letter = lead.parsed if lead else None
    if plan.is_placeholder:
        # Known from the revisit letter, which names the bodies responsible for the statement.
        revisit = plan.revisits[0] if plan.revisits else None
        source = revisit.letters[0] if revisit and revisit.letters else None
        return WsoaPlan(
            {"required_on": None, "responsible_bodies": source.parsed.wsoa_bodies if source else "", "fit_for_purpose_on": None},
            _provenance(source, source.parsed, source.parsed.initial_outcome_span or source.parsed.dates_span or source.parsed.span)
            if source else plan.prov,
        )
    return WsoaPlan(
        {"required_on": letter.letter_date, "responsible_bodies": letter.wsoa_bodies, "fit_for_purpose_on": letter.wsoa_fit_for_purpose},
        _provenance(lead, letter, letter.outcome_span or _heading_span(letter)),
    )


# --- revisits and monitoring inspections -------------------------------------------------------------------


def _revisit(group: list[LetterRecord], inspections: dict[tuple, InspectionPlan], notes: list) -> None:
    letter, lead, disagreements = _merged(group, notes)
    target = _followed_up(letter, inspections)
    created_here = target is None
    if target is None:
        target = _placeholder(letter, lead)
        inspections[target.key] = target
    values = {
        "kind": letter.kind, "start_date": letter.start_date, "end_date": letter.end_date, "letter_date": letter.letter_date,
        "period_text": "" if letter.start_date else letter.period_text[:100],
        "date_precision": _precision(letter.start_date, letter.period_text, letter.date_precision),
        "overall": letter.overall, "overall_text": letter.overall_text, "next_steps": letter.next_steps,
        "lead_inspector": letter.lead_inspector, "published_date": letter.published_date,
        "stated_sufficient": letter.stated_sufficient, "stated_insufficient": letter.stated_insufficient,
    }
    reasons = [*letter.review_reasons, *disagreements]
    revisit = RevisitPlan(letter.kind, letter.start_date, values, _provenance(lead, letter, _heading_span(letter), reasons), letters=group)
    weakness_kind = "significant_weakness" if letter.framework == "2016" else "priority_action"
    if created_here or not target.weaknesses:
        # No inspection letter on record: the revisit's own restatement is all we know of the weaknesses.
        existing = {w.number for w in target.weaknesses}
        for i, j in enumerate(letter.judgements):
            number = j.number or i + 1
            if number not in existing:
                target.weaknesses.append(
                    WeaknessPlan(weakness_kind, number, {"text": j.weakness_text, "responsible_bodies": ""},
                                 _provenance(lead, letter, j.weakness_span or j.span))
                )
    _judgements(revisit, letter, lead, target, weakness_kind)
    if any(r.kind == revisit.kind and r.start_date == revisit.start_date for r in target.revisits):
        return  # two copies of one revisit that state different initial dates: the first wins
    target.revisits.append(revisit)


def _judgements(revisit: RevisitPlan, letter: ParsedLetter, lead: LetterRecord, target: InspectionPlan, weakness_kind: str) -> None:
    pool = [w for w in target.weaknesses if w.kind == weakness_kind] or list(target.weaknesses)
    pool.sort(key=lambda w: (w.kind, w.number))
    matches = assign([j.weakness_text for j in letter.judgements], [w.values["text"] for w in pool])
    used = set()
    for match in matches:
        j = letter.judgements[match.judgement]
        if match.weakness is None:
            revisit.prov.review_reasons.append(f"A judgement (“{_short(j.weakness_text)}”) matches no weakness of the inspection; it was not recorded.")
            continue
        weakness = pool[match.weakness]
        used.add((weakness.kind, weakness.number))
        reasons = [match.review_reason] if match.review_reason else []
        if j.sufficient_progress is None:
            reasons.append("The verdict on this weakness could not be read as sufficient or insufficient progress.")
        revisit.judgements.append(
            JudgementPlan(
                (weakness.kind, weakness.number),
                {"sufficient_progress": j.sufficient_progress, "text_as_restated": j.weakness_text, "match_score": match.score},
                _provenance(lead, letter, j.span, reasons),
            )
        )


def _followed_up(letter: ParsedLetter, inspections: dict[tuple, InspectionPlan]) -> InspectionPlan | None:
    framework, kind = FOLLOWS[letter.kind]
    candidates = [
        p for p in inspections.values()
        if p.framework == framework and p.kind == kind and p.start_date is not None
        and (letter.start_date is None or p.start_date < letter.start_date)
    ]
    if letter.initial_start_date:
        exact = [p for p in candidates if p.start_date == letter.initial_start_date]
        if exact:
            return exact[0]
        if letter.source_row is not None:
            # A dataset row's inspection date, where the letter of that inspection prints a day or two apart.
            near = [p for p in candidates if abs((p.start_date - letter.initial_start_date).days) <= _SAME_VISIT.days]
            if len(near) == 1:
                return near[0]
        same_key = inspections.get((framework, kind, letter.initial_start_date))
        return same_key  # a placeholder another copy of this revisit made, or None: none on record
    consistent = [p for p in candidates if _fits_period(p, letter.initial_period_text) and _fits_published(p, letter.initial_letter_published)]
    if consistent:
        return max(consistent, key=lambda p: p.start_date)
    return inspections.get((framework, kind, None))  # the undated placeholder, when an earlier revisit made one


def _placeholder(letter: ParsedLetter, lead: LetterRecord) -> InspectionPlan:
    framework, kind = FOLLOWS[letter.kind]
    outcome = "wsoa_required" if framework == "2016" and (letter.wsoa_bodies or letter.initial_outcome == "wsoa_required") else ""
    values = {
        "framework": framework, "kind": kind, "start_date": letter.initial_start_date, "end_date": letter.initial_end_date,
        "period_text": letter.initial_period_text[:100],
        "date_precision": "day" if letter.initial_start_date else ("month" if letter.initial_period_text else ""),
        "letter_date": None, "published_date": letter.initial_letter_published,
        "outcome": outcome, "outcome_text": "", "lead_inspector": "", "inspection_team": [], "findings": {},
        "next_inspection_text": "", "previous_inspection_start": None, "previous_inspection_end": None, "is_placeholder": True,
    }
    # Every fact cites the sentence that states it: the initial inspection's own dates when the follow-up restates
    # them, else its WSOA sentence, else (only named by the follow-up) the follow-up's heading.
    stated = letter.findings.get("initial_dates_span")
    span = Span(*stated) if stated else letter.initial_outcome_span or _heading_span(letter)
    return InspectionPlan(framework, kind, letter.initial_start_date, values, _provenance(lead, letter, span), letters=[])


# The 2023 framework began in January 2023: an earlier "previous inspection" was a 2016-framework initial one.
FRAMEWORK_2023_FROM = date(2023, 1, 1)
_SAME_VISIT = timedelta(days=7)  # a report and the letter may give a visit's dates a day or two apart


def _previous_inspections(inspections: dict[tuple, InspectionPlan], area_start: date | None = None) -> None:
    """Placeholders for the previous inspections that 2023 reports state and no held letter records.

    Not before the area existed: Dorset's report names a 2017 inspection, which was Dorset County's (the
    timeline says so through the replaced-by link); it is not made Dorset's."""
    stated = [p for p in inspections.values() if p.framework == "2023" and p.kind == "full_inspection"
              and not p.is_placeholder and p.values.get("previous_inspection_start") and p.letters]
    for report in sorted(stated, key=lambda p: (p.start_date or _LATEST, p.letters[0].fingerprint)):
        start, end = report.values["previous_inspection_start"], report.values.get("previous_inspection_end")
        if report.start_date and start >= report.start_date:
            continue
        if area_start and start < area_start:
            continue  # the parser flagged this already; a "previous" visit after this one is not recorded
        if start >= FRAMEWORK_2023_FROM:
            framework, kind = "2023", "full_inspection"
        elif _surely_an_initial_inspection(start, end or start):
            framework, kind = "2016", "initial_inspection"
        else:
            # "Dates of previous inspection" may name a 2016-framework revisit (2 to 4 days on site from 2018): the
            # kind is not stated, so neither an inspection nor a revisit is invented — but the visit is a record of
            # its own (issue 19 item 4), "an earlier visit (inspection or revisit, not stated)", unless a held
            # letter of an inspection or revisit is that visit (write.py then links the report to it).
            framework, kind = "2016", EARLIER_VISIT
            if any(_same_visit(p, start, end or start) for p in inspections.values() if not p.is_placeholder) or any(
                    _same_revisit(r, start, end or start) for p in inspections.values() for r in p.revisits):
                continue
        if any(_same_visit(p, start, end or start) for p in inspections.values() if (p.framework, p.kind) == (framework, kind)):
            continue  # its letter is held (or another report already made the placeholder)
        undated = inspections.get((framework, kind, None))
        if undated is not None and undated.is_placeholder:
            # A revisit made an undated placeholder: the report dates it.
            del inspections[undated.key]
            undated.start_date = start
            undated.values.update(start_date=start, end_date=end)
            inspections[undated.key] = undated
            continue
        lead = report.letters[0]
        letter = lead.parsed
        values = {
            "framework": framework, "kind": kind, "start_date": start, "end_date": end, "period_text": "",
            "date_precision": "day", "letter_date": None, "published_date": None, "outcome": "", "outcome_text": "", "lead_inspector": "",
            "inspection_team": [], "findings": {"known_from": "a later report"}, "next_inspection_text": "",
            "previous_inspection_start": None, "previous_inspection_end": None, "is_placeholder": True,
        }
        span = letter.previous_span or _heading_span(letter)
        inspections[(framework, kind, start)] = InspectionPlan(
            framework, kind, start, values, _provenance(lead, letter, span), letters=[],
        )


# No 2016-framework revisit took place before 2018; initial inspections were five days on site (Monday to Friday).
_REVISITS_FROM = date(2018, 1, 1)


def _surely_an_initial_inspection(start: date, end: date) -> bool:
    return start < _REVISITS_FROM or (end - start).days >= 4


EARLIER_VISIT = "earlier_visit"


def _same_revisit(plan: RevisitPlan, start: date, end: date) -> bool:
    if plan.start_date is None:
        return False
    plan_end = plan.values.get("end_date") or plan.start_date
    return plan.start_date - _SAME_VISIT <= end and start - _SAME_VISIT <= plan_end


def _same_visit(plan: InspectionPlan, start: date, end: date) -> bool:
    if plan.start_date is None:
        return False
    plan_end = plan.values.get("end_date") or plan.start_date
    return plan.start_date - _SAME_VISIT <= end and start - _SAME_VISIT <= plan_end


_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1
)}


def _fits_period(plan: InspectionPlan, period: str) -> bool:
    """'February and March 2018' fits an inspection that started or ended in one of those months."""
    if not period:
        return True
    years = {int(y) for y in re.findall(r"\b(20\d\d)\b", period)}
    months = {_MONTHS[m.lower()] for m in re.findall(r"[A-Za-z]+", period) if m.lower() in _MONTHS}
    days = [d for d in (plan.start_date, plan.values.get("end_date")) if d]
    if years and not any(d.year in years for d in days):
        return False
    return not months or any(d.month in months for d in days)


def _fits_published(plan: InspectionPlan, published: date | None) -> bool:
    """The initial letter's publication date fits a letter dated up to ~10 weeks before it (or published then)."""
    if published is None:
        return True
    if plan.values.get("published_date"):
        return plan.values["published_date"] == published
    letter_date = plan.values.get("letter_date")
    return letter_date is None or published - timedelta(days=70) <= letter_date <= published


def describe(letter: ParsedLetter) -> str:
    when = letter.start_date.isoformat() if letter.start_date else (letter.period_text or "undated")
    source = {"secondary": ", secondary source", "official": ", Ofsted's figures"}.get(letter.source_kind, "")
    return f"{letter.area_name or 'unnamed area'} {letter.kind.replace('_', ' ')} {when}{source}"


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
