"""Precision and recall against labels of exactly what each text states. Pure: no Django, no database.

The labels are the "secondary" format (`../shared/corpus/secondary/labels.jsonl`, `tests/fixtures/texts/labels.jsonl`):
one object per text with `file`, `kind` (letter / secondary / nothing; the shared file also says not_send),
`text_style` (derived from the URL when absent), `area` (a register name, or null when no area that existed at the
date is named), `framework` and `facts` (ISO dates; a `*_month` / `*_year` field when the text gives only that).
The field vocabulary is written down in tests/fixtures/texts/README.md.

What was stored arrives as `StoredRecord`s: one per Inspection, WrittenStatementOfAction, Revisit,
SignificantWeakness and ProgressJudgement row that the ingest wrote from a text, with its judged fields. Two
measures:

- **precision**: every stored field is judged against the label (`judge_text`). A field is WRONG when the text
  does not state it (absence is unknown, never a negative; a month is not a day), when its value differs, when
  the record is for another area (or for an area when the text names none that existed at the date), when a
  secondary text's record is marked `source_kind=letter`, or when anything at all was stored from a near-miss.
- **recall**: every labelled fact that a record can hold is looked for among the text's records (`recall_text`).
  Labelled facts no record can hold (news_date, wsoa_due_date, revisit_week_of, …) are counted as not measured.

Both are plain lists of `Verdict` / `Check`s so a report can print every wrong fact with its file and field.
"""

from __future__ import annotations

import csv
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from .table import aligned_table

NEAR_MISS_KINDS = frozenset({"nothing", "not_send"})
TEXT_KINDS = frozenset({"letter", "secondary"}) | NEAR_MISS_KINDS

# Styles of text that ARE a revisit / monitoring letter: their `letter_date` and `lead_inspector` belong to the
# follow-up visit, not to the inspection it follows up.
FOLLOW_UP_LETTER_STYLES = frozenset({"revisit_letter", "monitoring_report"})
INSPECTION_LETTER_STYLES = frozenset({"initial_letter", "report_2023"})

# Label keys a stored record can hold, by the record that holds them (anything else is "not measured").
MEASURED_KEYS = frozenset({
    "inspection_start", "inspection_end", "inspection_month", "inspection_start_month", "inspection_year",
    "letter_date", "initial_letter_date", "letter_published", "initial_letter_published", "wsoa_required",
    "outcome", "lead_inspector", "lead_inspectors", "previous_inspection_start", "previous_inspection_end",
    "next_full_inspection_within_years", "monitoring_inspection_within_months", "weaknesses", "priority_actions",
    "priority_action_responsible_bodies", "improvement_areas", "wsoa_fit_for_purpose_date", "revisit_start",
    "revisit_end", "revisit_letter_date", "monitoring_start", "monitoring_end", "monitoring_letter_date", "overall",
    "judgements", "revisit_month", "monitoring_month", "monitoring_outcome",
})
# Keys the judge reads as ISO dates (a label with another shape there is an error, not a silent miss).
DATE_KEYS = frozenset({
    "inspection_start", "inspection_end", "letter_date", "initial_letter_date", "letter_published",
    "initial_letter_published", "previous_inspection_start", "previous_inspection_end", "wsoa_fit_for_purpose_date",
    "revisit_start", "revisit_end", "revisit_letter_date", "monitoring_start", "monitoring_end", "monitoring_letter_date",
})
# Keys that say a follow-up visit (2016 revisit / 2023 monitoring inspection) HAPPENED, as the text states it.
# The news labels (../shared/corpus/secondary-news) also say a visit happened with a date that has no year
# ("revisit_month_no_year": "January") and give a monitoring inspection's result in words (`monitoring_outcome`,
# null for a notice of a visit still to come); `monitoring_inspection_planned_*` is a visit to come, never one held.
_REVISIT_KEYS = ("revisit_start", "revisit_end", "revisit_month", "revisit_letter_date", "revisit_letter_published",
                 "revisit_letter_month", "revisit_week_of", "revisit_duration_days", "revisit_month_no_year")
_MONITORING_KEYS = ("monitoring_start", "monitoring_end", "monitoring_month", "monitoring_letter_date",
                    "monitoring_letter_published", "monitoring_inspection_start_no_year",
                    "monitoring_inspection_period_no_year", "monitoring_outcome")
# The labelled core facts of a text about an inspection (the measure issue 22 sets a floor on): its dates (a month or
# a year when that is all the text gives), whether a WSOA was required, the follow-up's dates and its overall result.
CORE_FIELDS = frozenset({
    "inspection_start", "inspection_end", "inspection_month", "inspection_start_month", "inspection_year",
    "wsoa_required", "revisit_start", "revisit_end", "revisit_month", "monitoring_start", "monitoring_end",
    "monitoring_month", "overall", "monitoring_outcome",
})
_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]


# --- what was stored ------------------------------------------------------------------------------------------


@dataclass
class StoredRecord:
    """One stored row, as the judge sees it.

    record: inspection | wsoa | revisit | weakness | judgement. kind: the Inspection/Revisit kind, or the weakness
    kind (significant_weakness | priority_action | improvement_area); '' for wsoa and judgement. gss_code and
    framework are the row's own (for a weakness, wsoa or judgement: its inspection's). fields: the judged values
    (dates as `date`, '' / None / [] for "not stored", which is never judged).
    """

    file: str
    record: str
    record_id: int
    kind: str = ""
    source_kind: str = "letter"
    gss_code: str = ""
    area_name: str = ""
    framework: str = ""
    is_placeholder: bool = False
    parent_id: int | None = None  # wsoa/weakness: its inspection; judgement: its revisit
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.record} #{self.record_id}" + (f" ({self.kind})" if self.kind else "")


@dataclass
class Verdict:
    """One stored fact judged: right, or wrong with the reason in plain words."""

    file: str
    text_style: str
    record: str
    field: str
    got: Any
    expected: Any
    right: bool
    reason: str = ""


@dataclass
class Check:
    """One labelled fact looked for among the text's stored records (recall)."""

    file: str
    text_style: str
    field: str
    expected: Any
    found: bool


# --- the area register ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterArea:
    gss_code: str
    name: str
    start: date | None
    end: date | None


def load_register(path: str | Path) -> list[RegisterArea]:
    """The committed register table (areas/data/local_areas.csv): name, GSS code and the dates it existed."""
    with Path(path).open(encoding="utf-8", newline="") as stream:
        return [
            RegisterArea(row["gss_code"], row["name"], _iso(row.get("start_date")), _iso(row.get("end_date")))
            for row in csv.DictReader(stream)
        ]


def area_codes(register: list[RegisterArea], name: str | None, on: date | None) -> set[str]:
    """GSS codes of the register areas called `name` (case-insensitive) that existed `on` that date (every one
    of that name when the date is unknown or none fits). Empty for None or an unknown name."""
    if not name:
        return set()
    named = [a for a in register if a.name.lower() == name.lower()]
    if on is not None:
        alive = [a for a in named if (a.start is None or a.start <= on) and (a.end is None or on <= a.end)]
        if alive:
            named = alive
    return {a.gss_code for a in named}


# --- labels ------------------------------------------------------------------------------------------------------


def is_text_label(entry: Any) -> bool:
    """True for a label in the secondary format ({"file", "kind", "facts"})."""
    return isinstance(entry, dict) and "facts" in entry and entry.get("kind") in TEXT_KINDS


def text_style(label: dict[str, Any]) -> str:
    """The label's text_style; the shared council labels have none, so it is derived from their URL."""
    if label.get("text_style"):
        return label["text_style"]
    if label.get("kind") in NEAR_MISS_KINDS:
        return "near_miss"
    url = (label.get("url") or "").lower()
    if any(mark in url for mark in ("mgai.aspx", "ieissuedetails", "committees.", "democracy.", "moderngov")):
        return "committee"
    if "/news" in url:
        return "council_news"
    return "council_page"


_2016_KEYS = ("wsoa_required", "wsoa_fit_for_purpose_date", "weaknesses", "number_of_weaknesses", "revisit_start", "revisit_month", "judgements")
_2023_KEYS = ("priority_actions", "number_of_priority_actions", "improvement_areas", "monitoring_start", "monitoring_month")


def label_framework(label: dict[str, Any]) -> str | None:
    """The label's framework; the shared council labels have no such field, so it is read from their facts
    (WSOA, significant weaknesses, revisits: 2016; priority actions, monitoring, a 2023 outcome: 2023), else None."""
    if "framework" in label:
        return label["framework"]
    facts = label.get("facts") or {}
    if facts.get("outcome") in ("positive", "inconsistent", "systemic_failings") or any(facts.get(k) is not None for k in _2023_KEYS):
        return "2023"
    if any(facts.get(k) is not None for k in _2016_KEYS):
        return "2016"
    return None


def validate_text_label(label: dict[str, Any]) -> None:
    """Raise ValueError for a label the judge would misread (unknown kind, facts not a dict, a bad ISO date)."""
    where = label.get("file", "?")
    if label.get("kind") not in TEXT_KINDS:
        raise ValueError(f"{where}: kind must be one of {sorted(TEXT_KINDS)}, not {label.get('kind')!r}")
    facts = label.get("facts")
    if not isinstance(facts, dict):
        raise ValueError(f"{where}: facts must be an object")
    for key, value in facts.items():
        if value is None:
            continue
        if key in DATE_KEYS:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{where}: {key} is not an ISO date: {value!r}") from None
        if key.endswith("_month") and not re.fullmatch(r"\d{4}-\d{2}", str(value)):
            raise ValueError(f"{where}: {key} must be YYYY-MM, not {value!r}")


# --- comparison helpers ----------------------------------------------------------------------------------------


def _iso(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


_ENUMERATOR = re.compile(r"^(?:(?:asw|area)\s*\d+\s*[:.)-]\s*|[a-z0-9]{1,3}[.)]\s+|[-•▪◼–—*]\s*)", re.I)


def item_key(text: str) -> str:
    """A list item reduced to its words: typography, case, a leading enumerator ("ASW 1:", "a)", "3.", a bullet)
    and trailing punctuation or a trailing "and" do not make a different item."""
    value = text.replace("\u00a0", " ").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    value = re.sub(r"\s+", " ", value).strip().lower()
    value = _ENUMERATOR.sub("", value)
    value = re.sub(r"(?:[;,.:]\s*)?(?:\band\b)?[\s;,.:]*$", "", value)
    return value.strip()


_OVERALL_LABEL = re.compile(
    r"(?:sufficient progress|effective action)\s+(?:in|on|against)\s+(?:(?P<all>all)\b(?:\s+(?:areas|\d+\s+of\s+\d+))?"
    r"|(?P<none>none)\b|(?P<n>\d+)\s+of\s+(?P<of>\d+))",
    re.I,
)


def overall_from_label(text: str | None) -> str | None:
    """The Revisit.overall code a label's `overall` states, or None when it states no verdict in those words.

    'sufficient progress in 3 of 6' -> sufficient_some; '… in all 5 of 5' / '… in all areas' -> sufficient_all;
    '… in none of 4' / '… in 0 of 4' -> sufficient_none; 'effective action on 1 of 2' reads the same way.
    "'significant progress' in 3 of 5" or "still not doing well enough" -> None: a stored verdict is then wrong.
    """
    m = _OVERALL_LABEL.search(text or "")
    if not m:
        return None
    if m["all"]:
        return "sufficient_all"
    if m["none"] or m["n"] == "0":
        return "sufficient_none"
    return "sufficient_all" if m["n"] == m["of"] else "sufficient_some"


def _first_date(facts: dict[str, Any]) -> date | None:
    """The earliest full date the label states (to pick between register areas sharing a name)."""
    dates = [_iso(v) for k, v in facts.items() if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)]
    return min((d for d in dates if d), default=None)


def _period_ok(period_text: str, facts: dict[str, Any]) -> tuple[bool, Any]:
    """A loose period ("September 2018") is right when it names what the text gives: the month (or the year)."""
    text = period_text.lower()
    for key in ("inspection_month", "inspection_start_month"):
        if facts.get(key):
            year, month = facts[key].split("-")
            return (year in text and _MONTH_NAMES[int(month) - 1] in text), facts[key]
    if facts.get("inspection_year"):
        return (str(facts["inspection_year"]) in text), facts["inspection_year"]
    start = _iso(facts.get("inspection_start"))
    if start is not None:
        return (str(start.year) in text and _MONTH_NAMES[start.month - 1] in text), facts["inspection_start"]
    return False, None


def _follow_up_period_ok(period_text: str, facts: dict[str, Any], prefix: str) -> tuple[bool, Any]:
    """A follow-up's loose period ("May 2019") is right when it names the month (and year) the text gives for it."""
    text = period_text.lower()
    month = facts.get(f"{prefix}_month")
    if month:
        year, number = month.split("-")
        return (year in text and _MONTH_NAMES[int(number) - 1] in text), month
    start = _iso(facts.get(f"{prefix}_start"))
    if start is not None:
        return (str(start.year) in text and _MONTH_NAMES[start.month - 1] in text), facts[f"{prefix}_start"]
    return False, None


# --- precision -------------------------------------------------------------------------------------------------


class _Judge:
    """Judges the records stored from one text against its label."""

    def __init__(self, label: dict[str, Any], register: list[RegisterArea], *, compare_names: bool = False):
        self.label = label
        self.file = label["file"]
        self.style = text_style(label)
        self.facts: dict[str, Any] = label.get("facts") or {}
        self.register = register
        self.compare_names = compare_names  # --parsed-only: no GSS codes, so the area is not judged
        self.framework = label_framework(label)
        self.verdicts: list[Verdict] = []

    def add(self, rec: StoredRecord, name: str, got: Any, expected: Any, right: bool, reason: str = "") -> None:
        self.verdicts.append(Verdict(self.file, self.style, rec.label, name, got, expected, right, "" if right else reason))

    # each stored field -> right or wrong
    def exact(self, rec: StoredRecord, name: str, got: Any, key: str, *, loose: tuple[str, ...] = ()) -> None:
        """A stored value the label states exactly under `key` (dates compared as dates). A label giving only a
        month or a year (`loose` keys) makes any full date wrong: the text does not state the day."""
        if got in (None, "", []):
            return
        if self.facts.get(key) is not None:
            expected = self.facts[key]
            if isinstance(got, date):
                expected = _iso(expected)
            self.add(rec, name, got, expected, got == expected, "differs from what the text states")
            return
        given = next((k for k in loose if self.facts.get(k) is not None), None)
        if given:
            self.add(rec, name, got, f"{given}={self.facts[given]}", False, f"the text gives only {given.rsplit('_', 1)[1]} ({self.facts[given]}), not a full date")
        else:
            self.add(rec, name, got, None, False, "the text does not state it")

    def common(self, rec: StoredRecord, *, framework: bool = True) -> None:
        """Area, source kind and framework: every inspection and follow-up record has them."""
        if self.compare_names:
            pass  # parser output (--parsed-only): the area is decided by the resolver, which did not run
        else:
            on = rec.fields.get("start_date") or rec.fields.get("letter_date") or _first_date(self.facts)
            codes = area_codes(self.register, self.label.get("area"), on)
            reason = "the text names no area that existed at the date" if not self.label.get("area") else "a different area"
            self.add(rec, "area", rec.gss_code, sorted(codes) or None, rec.gss_code in codes, reason)
        expected_source = "secondary" if self.label["kind"] == "secondary" else "letter"
        # A letter's fact held as secondary is a recall miss, not a wrong value; the reverse misleads a reader.
        ok = not (expected_source == "secondary" and rec.source_kind == "letter")
        self.add(rec, "source_kind", rec.source_kind, expected_source, ok, "a secondary text's fact marked as the letter's own")
        if framework and rec.framework and (self.framework is not None or "framework" in self.label):
            expected = self.framework
            self.add(rec, "framework", rec.framework, expected, expected is not None and rec.framework == expected,
                     "another framework" if expected else "the text states no inspection of either framework")

    def inspection(self, rec: StoredRecord) -> None:
        f = rec.fields
        has_facts = any(k in self.facts for k in (
            "inspection_start", "inspection_end", "inspection_month", "inspection_start_month", "inspection_year",
            "letter_date", "initial_letter_date", "letter_published", "initial_letter_published", "wsoa_required",
            "outcome", "number_of_weaknesses", "weaknesses", "number_of_priority_actions", "previous_inspection_start",
            "wsoa_fit_for_purpose_date", "judgements", "overall",
        ))
        # A follow-up (revisit, monitoring inspection) implies the inspection it follows: its placeholder is right
        # when the text states the follow-up, as for the seeds (extraction.judge_letter_records); its fields are
        # still judged one by one below.
        implied = rec.is_placeholder and any(self.facts.get(k) is not None for k in (*_REVISIT_KEYS, *_MONITORING_KEYS, "overall", "judgements"))
        self.add(rec, "record", rec.kind, "an inspection the text states", has_facts or implied, "the text states no inspection")
        self.exact(rec, "start_date", f.get("start_date"), "inspection_start", loose=("inspection_start_month", "inspection_month", "inspection_year"))
        self.exact(rec, "end_date", f.get("end_date"), "inspection_end", loose=("inspection_month", "inspection_year"))
        if f.get("period_text"):
            ok, expected = _period_ok(f["period_text"], self.facts)
            self.add(rec, "period_text", f["period_text"], expected, ok, "the text states no such period")
        letter_key = "initial_letter_date" if "initial_letter_date" in self.facts or self.style not in INSPECTION_LETTER_STYLES else "letter_date"
        self.exact(rec, "letter_date", f.get("letter_date"), letter_key)
        published_key = "initial_letter_published" if "initial_letter_published" in self.facts else "letter_published"
        self.exact(rec, "published_date", f.get("published_date"), published_key)
        outcome = f.get("outcome")
        if outcome in ("wsoa_required", "no_wsoa"):
            stated = self.facts.get("wsoa_required")
            expected = None if stated is None else ("wsoa_required" if stated else "no_wsoa")
            self.add(rec, "outcome", outcome, expected, outcome == expected,
                     "the text does not say whether a WSOA was required" if expected is None else "differs from what the text states")
        elif outcome:
            expected = self.facts.get("outcome")
            self.add(rec, "outcome", outcome, expected, outcome == expected,
                     "the text states no outcome" if expected is None else "differs from what the text states")
        if f.get("lead_inspector"):
            names = [n for n in f["lead_inspector"].split("; ") if n]
            expected = self.facts.get("lead_inspectors") or ([self.facts["lead_inspector"]] if self.facts.get("lead_inspector") else [])
            if self.style in FOLLOW_UP_LETTER_STYLES:
                expected = []  # the follow-up letter's inspector did not lead the inspection it follows up
            for name in names:
                self.add(rec, "lead_inspector", name, expected or None, name in expected, "not a lead inspector the text names for this inspection")
        self.exact(rec, "previous_inspection_start", f.get("previous_inspection_start"), "previous_inspection_start")
        self.exact(rec, "previous_inspection_end", f.get("previous_inspection_end"), "previous_inspection_end")
        self.exact(rec, "next_full_inspection_within_years", f.get("next_full_inspection_within_years"), "next_full_inspection_within_years")
        self.exact(rec, "monitoring_inspection_within_months", f.get("monitoring_inspection_within_months"), "monitoring_inspection_within_months")

    def is_previous(self, rec: StoredRecord) -> bool:
        """A placeholder for the inspection before a 2023 report ("Dates of previous inspection")."""
        previous = _iso(self.facts.get("previous_inspection_start"))
        return rec.is_placeholder and previous is not None and rec.fields.get("start_date") == previous

    def previous(self, rec: StoredRecord) -> None:
        """The previous inspection's placeholder: its area and dates are stated, nothing else about it is."""
        self.exact(rec, "start_date", rec.fields.get("start_date"), "previous_inspection_start")
        self.exact(rec, "end_date", rec.fields.get("end_date"), "previous_inspection_end")
        for name, value in rec.fields.items():
            if name not in ("start_date", "end_date") and value not in (None, "", []):
                self.add(rec, name, value, None, False, "the text states nothing else about the previous inspection")

    def wsoa(self, rec: StoredRecord) -> None:
        stated = self.facts.get("wsoa_required")
        self.add(rec, "record", "WSOA", "wsoa_required=true", stated is True,
                 "the text states no WSOA was required" if stated is False else "the text does not say a WSOA was required")
        letter_key = "initial_letter_date" if "initial_letter_date" in self.facts or self.style not in INSPECTION_LETTER_STYLES else "letter_date"
        self.exact(rec, "required_on", rec.fields.get("required_on"), letter_key)
        self.exact(rec, "fit_for_purpose_on", rec.fields.get("fit_for_purpose_on"), "wsoa_fit_for_purpose_date")

    def follow_up(self, rec: StoredRecord) -> None:
        f = rec.fields
        monitoring = rec.kind == "monitoring_inspection"
        prefix, keys = ("monitoring", _MONITORING_KEYS) if monitoring else ("revisit", _REVISIT_KEYS)
        stated = any(self.facts.get(k) is not None for k in keys) or (
            # a follow-up's verdict without its dates still says the visit happened
            any(k in self.facts for k in ("overall", "judgements")) and self.style not in ("visit_notice",)
        )
        self.add(rec, "record", rec.kind, f"a {prefix} the text states", stated, f"the text states no {prefix} that took place")
        self.exact(rec, "start_date", f.get("start_date"), f"{prefix}_start", loose=(f"{prefix}_month", f"{prefix}_week_of"))
        self.exact(rec, "end_date", f.get("end_date"), f"{prefix}_end", loose=(f"{prefix}_month",))
        if f.get("period_text"):
            ok, expected = _follow_up_period_ok(f["period_text"], self.facts, prefix)
            self.add(rec, "period_text", f["period_text"], expected, ok, "the text states no such period")
        own_letter = self.style in FOLLOW_UP_LETTER_STYLES and f"{prefix}_letter_date" not in self.facts
        self.exact(rec, "letter_date", f.get("letter_date"), "letter_date" if own_letter else f"{prefix}_letter_date",
                   loose=(f"{prefix}_letter_month",))
        if f.get("overall"):
            stated = self.facts.get("overall")
            if monitoring and stated is None:
                stated = self.facts.get("monitoring_outcome")
            expected = overall_from_label(stated)
            self.add(rec, "overall", f["overall"], expected, f["overall"] == expected,
                     "the text states no verdict in those words" if expected is None else "differs from what the text states")
        if f.get("lead_inspector"):
            expected = self.facts.get("lead_inspector") if self.style in FOLLOW_UP_LETTER_STYLES else None
            self.add(rec, "lead_inspector", f["lead_inspector"], expected, f["lead_inspector"] == expected, "the text names no such lead inspector")

    def weakness(self, rec: StoredRecord, position: int) -> None:
        """`position`: 1 for the first stored weakness of this kind, 2 for the second, … (for the count check)."""
        lists = {"significant_weakness": ("weaknesses", "number_of_weaknesses"),
                 "priority_action": ("priority_actions", "number_of_priority_actions"),
                 "improvement_area": ("improvement_areas", "number_of_improvement_areas")}
        list_key, count_key = lists.get(rec.kind, ("weaknesses", "number_of_weaknesses"))
        wording = list(self.facts.get(list_key) or [])
        if rec.kind in ("significant_weakness", "priority_action"):  # a follow-up restates them in its judgements
            wording += [j.get("weakness", "") for j in self.facts.get("judgements") or []]
        text = rec.fields.get("text", "")
        keys = [item_key(w) for w in wording]
        if keys:
            self.add(rec, "text", text, f"one of the {len(set(keys))} {list_key} the text words", item_key(text) in keys,
                     f"not one of the {list_key} the text states")
        else:
            self.add(rec, "text", text, None, False, f"the text words no {list_key}")
        count = self.facts.get(count_key)
        if count is not None and position > count:
            self.add(rec, "count", position, count, False, f"more {list_key} stored than the {count} the text states")
        bodies = rec.fields.get("responsible_bodies")
        if bodies and rec.kind == "priority_action":
            stated = self.facts.get("priority_action_responsible_bodies") or []
            self.add(rec, "responsible_bodies", bodies, stated or None, item_key(bodies) in {item_key(b) for b in stated},
                     "the text names no such responsible body")

    def judgement(self, rec: StoredRecord) -> None:
        stated = self.facts.get("judgements") or []
        text = rec.fields.get("text_as_restated", "")
        progress = rec.fields.get("sufficient_progress")
        match = next((j for j in stated if item_key(j.get("weakness", "")) == item_key(text)), None)
        if match is None and progress is None:
            # A judgement with no verdict only says the follow-up looked at a weakness the text states.
            named = [w for w in self.facts.get("weaknesses") or [] if item_key(w) == item_key(text)]
            self.add(rec, "weakness", text, self.facts.get("weaknesses") or None, bool(named), "the text states no such weakness")
            return
        self.add(rec, "weakness", text, [j["weakness"] for j in stated] or None, match is not None,
                 "the text states no judgement on this weakness")
        if progress is not None:
            expected = match.get("sufficient_progress") if match else None
            self.add(rec, "sufficient_progress", progress, expected, match is not None and progress == expected,
                     "differs from what the text states" if match else "the text states no judgement on this weakness")


def judge_text(label: dict[str, Any], records: list[StoredRecord], register: list[RegisterArea], *,
               compare_names: bool = False) -> list[Verdict]:
    """Every field of every record stored from one labelled text, judged right or wrong (see module docstring)."""
    judge = _Judge(label, register, compare_names=compare_names)
    style = judge.style
    if label["kind"] in NEAR_MISS_KINDS:
        for rec in records:
            for name, value in [("record", rec.kind or rec.record)] + [(k, v) for k, v in rec.fields.items() if v not in (None, "", []) and k != "number"]:
                judge.verdicts.append(Verdict(judge.file, style, rec.label, name, value, None, False,
                                              "stored from a text that states no local area SEND inspection"))
        return judge.verdicts
    seen: dict[str, int] = {}
    for rec in sorted(records, key=lambda r: (r.record, r.kind, r.fields.get("number") or 0, r.record_id)):
        if rec.record == "inspection" and judge.is_previous(rec):
            judge.common(rec, framework=False)  # the previous inspection may be of the other framework
            judge.previous(rec)
            continue
        if rec.record in ("inspection", "revisit"):
            judge.common(rec)
        if rec.record == "inspection":
            judge.inspection(rec)
        elif rec.record == "revisit":
            judge.follow_up(rec)
        elif rec.record == "wsoa":
            judge.wsoa(rec)
        elif rec.record == "weakness":
            seen[rec.kind] = seen.get(rec.kind, 0) + 1
            judge.weakness(rec, seen[rec.kind])
        elif rec.record == "judgement":
            judge.judgement(rec)
        if rec.record in ("wsoa", "weakness", "judgement") and label["kind"] == "secondary" and rec.source_kind == "letter":
            judge.add(rec, "source_kind", rec.source_kind, "secondary", False, "a secondary text's fact marked as the letter's own")
    return judge.verdicts


# --- recall ----------------------------------------------------------------------------------------------------


def recall_text(label: dict[str, Any], records: list[StoredRecord], register: list[RegisterArea], *,
                compare_names: bool = False) -> list[Check]:
    """Every labelled fact a record can hold, looked for among the records stored from the text."""
    facts: dict[str, Any] = label.get("facts") or {}
    if label["kind"] in NEAR_MISS_KINDS or not label.get("area"):
        return []  # nothing to find: a near-miss states no fact; with no area that existed, no record can hold one
    if not any(facts.get(k) is not None for k in MEASURED_KEYS):
        return []  # e.g. a notice of a visit to come: no record should exist, so not even the area is to be found
    file, style = label["file"], text_style(label)
    checks: list[Check] = []

    def check(name: str, expected: Any, found: bool) -> None:
        checks.append(Check(file, style, name, expected, found))

    by = lambda record, **kw: [r for r in records if r.record == record and all(getattr(r, k) == v for k, v in kw.items())]  # noqa: E731
    inspections = by("inspection")
    follow_ups = by("revisit")
    if not compare_names:  # parser output has printed names only: the resolver decides the area
        codes = area_codes(register, label["area"], _first_date(facts))
        check("area", label["area"], any(r.gss_code in codes for r in inspections + follow_ups))
    if label["kind"] == "letter" and (inspections or follow_ups):
        check("source_kind letter", "letter", any(r.source_kind == "letter" for r in inspections + follow_ups))

    def stored(records_: list[StoredRecord], key: str, expected: Any) -> bool:
        if isinstance(expected, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", expected):
            expected = _iso(expected)
        return any(r.fields.get(key) == expected for r in records_)

    letter_key = "initial_letter_date" if "initial_letter_date" in facts or style not in INSPECTION_LETTER_STYLES else "letter_date"
    for key, field_name in (("inspection_start", "start_date"), ("inspection_end", "end_date"), (letter_key, "letter_date"),
                            ("letter_published", "published_date"), ("initial_letter_published", "published_date"),
                            ("previous_inspection_start", "previous_inspection_start"),
                            ("previous_inspection_end", "previous_inspection_end"),
                            ("next_full_inspection_within_years", "next_full_inspection_within_years"),
                            ("monitoring_inspection_within_months", "monitoring_inspection_within_months")):
        if facts.get(key) is not None:
            check(key, facts[key], stored(inspections, field_name, facts[key]))
    for key in ("inspection_month", "inspection_start_month", "inspection_year"):
        if facts.get(key) is not None and not facts.get("inspection_start"):
            check(key, facts[key], any(r.fields.get("period_text") and _period_ok(r.fields["period_text"], facts)[0] for r in inspections))
    if facts.get("wsoa_required") is not None:
        check("wsoa_required", facts["wsoa_required"], stored(inspections, "outcome", "wsoa_required" if facts["wsoa_required"] else "no_wsoa"))
    if facts.get("outcome"):
        check("outcome", facts["outcome"], stored(inspections, "outcome", facts["outcome"]))
    if facts.get("wsoa_fit_for_purpose_date"):
        check("wsoa_fit_for_purpose_date", facts["wsoa_fit_for_purpose_date"], stored(by("wsoa"), "fit_for_purpose_on", facts["wsoa_fit_for_purpose_date"]))
    leads = facts.get("lead_inspectors") or ([facts["lead_inspector"]] if facts.get("lead_inspector") else [])
    for name in leads:
        holders = follow_ups if style in FOLLOW_UP_LETTER_STYLES else inspections
        check("lead_inspector", name, any(name in (r.fields.get("lead_inspector") or "").split("; ") for r in holders))
    for list_key, kind in (("weaknesses", "significant_weakness"), ("priority_actions", "priority_action"), ("improvement_areas", "improvement_area")):
        got = {item_key(r.fields.get("text", "")) for r in by("weakness", kind=kind)}
        for item in facts.get(list_key) or []:
            check(list_key, item, item_key(item) in got)
    for prefix, kind in (("revisit", "revisit"), ("monitoring", "monitoring_inspection")):
        visits = by("revisit", kind=kind)
        for key, field_name in ((f"{prefix}_start", "start_date"), (f"{prefix}_end", "end_date"), (f"{prefix}_letter_date", "letter_date")):
            if facts.get(key):
                check(key, facts[key], stored(visits, field_name, facts[key]))
        if prefix == "revisit" and style == "revisit_letter" and facts.get("letter_date"):
            check("revisit letter_date", facts["letter_date"], stored(visits, "letter_date", facts["letter_date"]))
        if prefix == "monitoring" and style == "monitoring_report" and facts.get("letter_date"):
            check("monitoring letter_date", facts["letter_date"], stored(visits, "letter_date", facts["letter_date"]))
    for prefix, kind in (("revisit", "revisit"), ("monitoring", "monitoring_inspection")):
        if facts.get(f"{prefix}_month") and not facts.get(f"{prefix}_start"):
            check(f"{prefix}_month", facts[f"{prefix}_month"], any(
                r.fields.get("period_text") and _follow_up_period_ok(r.fields["period_text"], facts, prefix)[0]
                for r in by("revisit", kind=kind)))
    if overall_from_label(facts.get("overall")):
        check("overall", facts["overall"], stored(follow_ups, "overall", overall_from_label(facts["overall"])))
    elif overall_from_label(facts.get("monitoring_outcome")):
        check("monitoring_outcome", facts["monitoring_outcome"],
              stored(by("revisit", kind="monitoring_inspection"), "overall", overall_from_label(facts["monitoring_outcome"])))
    judged = [(item_key(r.fields.get("text_as_restated", "")), r.fields.get("sufficient_progress")) for r in by("judgement")]
    for j in facts.get("judgements") or []:
        check("judgements", j["weakness"], (item_key(j["weakness"]), j.get("sufficient_progress")) in judged)
    return checks


def unmeasured_keys(labels: Iterable[dict[str, Any]]) -> list[str]:
    """Labelled fact keys no stored record can hold (reported, so nobody mistakes them for measured)."""
    keys = {k for label in labels for k, v in (label.get("facts") or {}).items() if v is not None}
    return sorted(keys - MEASURED_KEYS - {"complete"})


# --- report ----------------------------------------------------------------------------------------------------


@dataclass
class TextResult:
    """Precision and recall over a set of labelled texts."""

    verdicts: list[Verdict]
    checks: list[Check]
    unmeasured: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)  # every labelled style, so a clean near-miss row still shows

    @property
    def wrong(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.right]

    @property
    def precision(self) -> float:
        return sum(v.right for v in self.verdicts) / len(self.verdicts) if self.verdicts else 1.0

    @property
    def recall(self) -> float:
        return sum(c.found for c in self.checks) / len(self.checks) if self.checks else 1.0

    def by_style(self) -> "OrderedDict[str, tuple[int, int, int, int]]":
        """text_style -> (facts found, facts labelled, stored facts right, stored facts judged)."""
        table: dict[str, list[int]] = {style: [0, 0, 0, 0] for style in self.styles}
        for c in self.checks:
            row = table.setdefault(c.text_style, [0, 0, 0, 0])
            row[0] += c.found
            row[1] += 1
        for v in self.verdicts:
            row = table.setdefault(v.text_style, [0, 0, 0, 0])
            row[2] += v.right
            row[3] += 1
        return OrderedDict((k, tuple(table[k])) for k in sorted(table))  # type: ignore[misc]

    def table(self) -> str:
        rows = [("text style", "recall", "found/labelled", "precision", "right/stored")]
        pct = lambda a, b: f"{100 * a / b:.1f}" if b else "-"  # noqa: E731
        for style, (found, total, right, judged) in self.by_style().items():
            rows.append((style, pct(found, total), f"{found}/{total}", pct(right, judged), f"{right}/{judged}"))
        found = sum(c.found for c in self.checks)
        right = sum(v.right for v in self.verdicts)
        rows.append(("ALL", pct(found, len(self.checks)), f"{found}/{len(self.checks)}", pct(right, len(self.verdicts)), f"{right}/{len(self.verdicts)}"))
        return aligned_table(rows)

    def field_table(self) -> str:
        """Recall per kind of labelled fact (area, inspection_start, wsoa_required, overall, judgements, ...)."""
        table: dict[str, list[int]] = {}
        for c in self.checks:
            row = table.setdefault(c.field, [0, 0])
            row[0] += c.found
            row[1] += 1
        rows = [("labelled fact", "recall", "found/labelled", "core")]
        for name in sorted(table):
            found, total = table[name]
            rows.append((name, f"{100 * found / total:.1f}", f"{found}/{total}", "core" if name in CORE_FIELDS else ""))
        return aligned_table(rows)

    def core_table(self, corpus_of: dict[str, str]) -> str:
        """Recall of the core facts (CORE_FIELDS) per labelled corpus; `corpus_of` maps a file to its corpus's name."""
        table: dict[str, list[int]] = {}
        for c in self.checks:
            if c.field in CORE_FIELDS:
                row = table.setdefault(corpus_of.get(c.file, "?"), [0, 0])
                row[0] += c.found
                row[1] += 1
        rows = [("corpus", "core recall", "found/labelled")]
        for name in sorted(table):
            found, total = table[name]
            rows.append((name, f"{100 * found / total:.1f}", f"{found}/{total}"))
        return aligned_table(rows)

    def core_recall(self, files: Iterable[str]) -> tuple[int, int]:
        """(core facts found, core facts labelled) over the given files."""
        wanted = set(files)
        core = [c for c in self.checks if c.field in CORE_FIELDS and c.file in wanted]
        return sum(c.found for c in core), len(core)

    def wrong_lines(self) -> list[str]:
        return [f"- {v.file} | {v.record} | {v.field}: got {v.got!r}; text states {v.expected!r} ({v.reason})" for v in self.wrong]


def evaluate_texts(labels: list[dict[str, Any]], records_by_file: dict[str, list[StoredRecord]],
                   register: list[RegisterArea], *, compare_names: bool = False) -> TextResult:
    """Precision and recall for every labelled text, from the records stored from each (by file name)."""
    verdicts: list[Verdict] = []
    checks: list[Check] = []
    for label in labels:
        records = records_by_file.get(label["file"], [])
        verdicts += judge_text(label, records, register, compare_names=compare_names)
        checks += recall_text(label, records, register, compare_names=compare_names)
    return TextResult(verdicts, checks, unmeasured_keys(labels), sorted({text_style(label) for label in labels}))
