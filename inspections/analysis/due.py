"""When each area's next visit is expected, from what its reports state. Django-free: plain functions on
hand-made `Event` rows, so every rule is pinned by tests/analysis/test_due.py.

What counts as a statement: the sentence a report stores about the next visit (`Inspection.next_inspection_text`,
`Revisit.next_steps`), e.g. "A monitoring inspection will be carried out within approximately 18 months." or
"The next full area SEND inspection will be within approximately three years of the previous full inspection."
Nothing is assumed from the inspection frameworks' handbooks: a 2016-framework area awaiting its revisit whose
letter states no window gets kind "revisit" and no dates, with the reason.

The date a window is counted from is the **last day on site** (inspection end) of the visit whose report states
it, or of the full inspection the sentence names ("of the previous full inspection"). When the end date is not
held, the publication date, then the letter date, is used and the row says so. With none of them the row has no
dates and says why ("date counted from unknown"); such rows are left out of due/overdue lists and counted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

KIND_FULL = "full_inspection"
KIND_MONITORING = "monitoring_inspection"
KIND_REVISIT = "revisit"
KIND_INITIAL = "initial_inspection"
NEXT_KIND_LABELS = {
    KIND_FULL: "Full area SEND inspection",
    KIND_MONITORING: "Monitoring inspection",
    KIND_REVISIT: "Revisit (2016 framework)",
}
COUNTED_FROM_LABELS = {
    "inspection_end": "last day of the inspection",
    "publication": "publication date (inspection end not held)",
    "letter": "letter date (inspection end and publication not held)",
    "": "unknown",
}

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24}
_WITHIN = re.compile(
    r"within\s+(?:approximately\s+|about\s+|around\s+)?(?P<n>\d{1,2}|[a-z]+(?:-[a-z]+)?)\s+(?P<unit>years?|months?)"
    r"(?P<tail>[^.;]*)",
    re.I,
)


@dataclass(frozen=True)
class Event:
    """One stored, non-rejected fact as the computation needs it.

    kind: initial_inspection | full_inspection (inspections) or revisit | monitoring_inspection (revisits).
    fact_id: the Inspection or Revisit id; parent_id: a revisit's inspection id (None for inspections).
    sentence: what the report stores about the next visit ('' when nothing).
    placeholder: an inspection known only from a later letter (Inspection.is_placeholder).
    """

    kind: str
    fact_id: int
    parent_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    published: dt.date | None = None
    letter: dt.date | None = None
    outcome: str = ""
    sentence: str = ""
    needs_review: bool = False
    placeholder: bool = False  # an inspection known only from a later letter: no letter, no dates of its own

    @property
    def is_inspection(self) -> bool:
        return self.kind in (KIND_INITIAL, KIND_FULL)


@dataclass(frozen=True)
class Expectation:
    """One window read from one sentence: the visit `kind` within `months`, counted from the stated visit
    (`of_previous_full`: the sentence names the previous full inspection rather than the visit reporting it)."""

    kind: str
    months: int
    sentence: str
    of_previous_full: bool = False


@dataclass(frozen=True)
class NextVisit:
    """An area's next expected visit.

    kind: full_inspection | monitoring_inspection | revisit; due_from: the date the window is counted from
    (ISO in CSV), due_by: due_from + the stated months (calendar months, day clamped to the month's end);
    both None when unknown, and then `reason` says why. counted_from: inspection_end | publication | letter | ''.
    sentence: the sentence the window came from; source: ("inspection" | "revisit", id) of the fact holding it.
    unconfirmed: the source fact awaits an analyst's review (counted, and said so).
    """

    kind: str
    due_from: dt.date | None = None
    due_by: dt.date | None = None
    months: int | None = None
    counted_from: str = ""
    sentence: str = ""
    source: tuple[str, int] | None = None
    unconfirmed: bool = False
    reason: str = ""

    @property
    def kind_label(self) -> str:
        return NEXT_KIND_LABELS.get(self.kind, self.kind)

    @property
    def counted_from_label(self) -> str:
        return COUNTED_FROM_LABELS[self.counted_from]


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus calendar months; 31 Aug + 18 months is 28 (or 29) Feb, never an error."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(d, day.day))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def read_expectations(text: str, *, default_kind: str = KIND_FULL) -> list[Expectation]:
    """Every "within (approximately) N months/years" window in `text`, one per sentence.

    The kind is a monitoring inspection when the sentence says "monitoring" before the window, a revisit when it
    says "revisit", else a full inspection (`default_kind`). A number that is not a number ("within approximately
    several years") gives no expectation rather than a guess.
    """
    found = []
    for sentence in re.split(r"(?<=[.;])\s+", text or ""):
        m = _WITHIN.search(sentence)
        if not m:
            continue
        word = m["n"].lower()
        n = int(word) if word.isdigit() else _NUMBERS.get(word)
        if not n:
            continue
        months = n * 12 if m["unit"].lower().startswith("year") else n
        before = sentence[: m.start()].lower()
        if "monitoring" in before:
            kind = KIND_MONITORING
        elif "revisit" in before:
            kind = KIND_REVISIT
        elif "full" in before or "reinspection" in before or "area send inspection" in before:
            kind = KIND_FULL
        else:
            kind = default_kind
        of_previous_full = bool(re.search(r"of\s+the\s+previous\s+full", m["tail"], re.I))
        found.append(Expectation(kind, months, sentence.strip(), of_previous_full))
    return found


def _base(event: Event) -> tuple[dt.date | None, str]:
    if event.end:
        return event.end, "inspection_end"
    if event.published:
        return event.published, "publication"
    if event.letter:
        return event.letter, "letter"
    return None, ""


def _recency(event: Event) -> tuple:
    """Latest first: dated before undated, then the later start, then the higher id (as the dashboard)."""
    return (event.start is not None, event.start or dt.date.min, event.fact_id)


def _window(expectation: Expectation, counted_on: Event, source: Event) -> NextVisit:
    base, counted_from = _base(counted_on)
    origin = ("inspection" if source.is_inspection else "revisit", source.fact_id)
    if base is None:
        return NextVisit(expectation.kind, months=expectation.months, sentence=expectation.sentence, source=origin,
                         unconfirmed=source.needs_review or counted_on.needs_review,
                         reason="date counted from unknown")
    return NextVisit(expectation.kind, base, add_months(base, expectation.months), expectation.months, counted_from,
                     expectation.sentence, origin, source.needs_review or counted_on.needs_review)


def _earliest(visits: list[NextVisit]) -> NextVisit:
    """The soonest dated window; undated ones only when none is dated."""
    return min(visits, key=lambda v: (v.due_by is None, v.due_by or dt.date.max))


def next_visit(events: list[Event]) -> NextVisit:
    """The next expected visit for one area from all its (non-rejected) facts.

    - Latest 2023 full inspection F: if it has a monitoring inspection M, M's stated window wins (it is the newer
      statement), counted from M's end, or from F's when M says "of the previous full inspection"; when M states
      none, F's full-inspection window stands. Without M, F's windows still pending: the earliest of the
      monitoring and the full inspection it states.
    - Else the latest 2016 initial inspection: a WSOA with no revisit yet expects a revisit (window only if the
      letter states one); otherwise the next step is a 2023-framework inspection, which no stored report dates.
    - No inspection: a full inspection, undated.
    """
    inspections = [e for e in events if e.is_inspection]
    visits = [e for e in events if not e.is_inspection]
    full = max((e for e in inspections if e.kind == KIND_FULL), key=_recency, default=None)
    if full is not None:
        stated = read_expectations(full.sentence)
        monitoring = max((v for v in visits if v.parent_id == full.fact_id and v.kind == KIND_MONITORING),
                         key=_recency, default=None)
        if monitoring is not None:
            later = [e for e in read_expectations(monitoring.sentence) if e.kind == KIND_FULL]
            if later:
                e = later[0]
                return _window(e, full if e.of_previous_full else monitoring, monitoring)
            stated = [e for e in stated if e.kind == KIND_FULL]
        if stated:
            return _earliest([_window(e, full, full) for e in stated])
        return NextVisit(KIND_FULL, source=("inspection", full.fact_id), unconfirmed=full.needs_review,
                         reason="the report states no window for the next inspection")
    initial = max((e for e in inspections if e.kind == KIND_INITIAL), key=_recency, default=None)
    if initial is not None:
        revisited = any(v.parent_id == initial.fact_id and v.kind == KIND_REVISIT for v in visits)
        if initial.outcome == "wsoa_required" and not revisited:
            stated = [e for e in read_expectations(initial.sentence, default_kind=KIND_REVISIT) if e.kind == KIND_REVISIT]
            if stated:
                return _window(stated[0], initial, initial)
            return NextVisit(KIND_REVISIT, source=("inspection", initial.fact_id), unconfirmed=initial.needs_review,
                             reason="the letter states no window for the revisit")
        return NextVisit(KIND_FULL, reason="no stored report states when the 2023-framework inspection is due")
    return NextVisit(KIND_FULL, reason="no inspection known")  # not even one known from a later document


@dataclass(frozen=True)
class DueRow:
    """One area in the due list: `status` is 'overdue' (due_by before `today`) or 'due' (due_by within the
    next N months); `days` is due_by − today (negative when overdue)."""

    area_id: int
    visit: NextVisit
    status: str
    days: int


def due_within(visits: dict[int, NextVisit], *, today: dt.date, months: int) -> tuple[list[DueRow], dict[str, int]]:
    """Areas overdue or due by `today` + `months`, soonest first, and what was left out:
    {"unknown": areas whose window or counted-from date is unknown, "later": due after the horizon}.
    `months` must be 0 or more (ValueError otherwise)."""
    if months < 0:
        raise ValueError("months must be 0 or more")
    horizon = add_months(today, months)
    rows, left_out = [], {"unknown": 0, "later": 0}
    for area_id, visit in visits.items():
        if visit.due_by is None:
            left_out["unknown"] += 1
        elif visit.due_by < today:
            rows.append(DueRow(area_id, visit, "overdue", (visit.due_by - today).days))
        elif visit.due_by <= horizon:
            rows.append(DueRow(area_id, visit, "due", (visit.due_by - today).days))
        else:
            left_out["later"] += 1
    rows.sort(key=lambda r: (r.visit.due_by, r.area_id))
    return rows, left_out
