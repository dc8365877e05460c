"""Time between stages, from stored dates only. Django-free: plain functions on due.Event and Wsoa rows, pinned
by tests/analysis/test_durations.py.

Each measure pairs two stages of one area's path. A pair counts only when both stages happened (a revisit not yet
held is not "left out", it is not there); when both happened but a date is not held, the pair is left out and
counted under its reason ("start date unknown"). A negative interval (a date misread) is left out too, as
"dates out of order", never averaged in. Facts awaiting review count and are tallied as unconfirmed.

Which dates: visit to visit is first day on site to first day on site (as the dashboard's revisit median);
inspection to publication or letter is last day on site to that date. Quartiles are the "inclusive" method
(linear between order statistics; Excel's QUARTILE.INC), so a spreadsheet reproduces them from the CSV.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from inspections.analysis.due import KIND_FULL, KIND_INITIAL, KIND_MONITORING, KIND_REVISIT, Event

DAYS_PER_MONTH = 365.2425 / 12
KIND_EARLIER_VISIT = "earlier_visit"  # inspections.models.Inspection.Kind.EARLIER_VISIT: named by a later report


@dataclass(frozen=True)
class Wsoa:
    """A written statement of action: its inspection's id and the dates held."""

    inspection_id: int
    fit_for_purpose_on: dt.date | None = None
    needs_review: bool = False


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    counted: str  # which dates, in words


MEASURES: tuple[Measure, ...] = (
    Measure("inspection_to_publication", "Inspection → publication",
            "last day on site to the publication date (where the report's publication date is held)"),
    Measure("inspection_to_letter", "Inspection → outcome letter", "last day on site to the date of the letter"),
    Measure("publication_to_wsoa_fit", "Publication → WSOA declared fit for purpose",
            "publication date (the letter date where it is not held) to the date the WSOA was declared fit"),
    Measure("wsoa_to_revisit", "WSOA fit for purpose → revisit", "date the WSOA was declared fit to the revisit's first day"),
    Measure("initial_to_revisit", "Initial inspection → revisit (2016)", "first day on site to the first revisit's first day"),
    Measure("f2016_to_f2023", "2016 inspection → 2023 inspection",
            "first day of the latest 2016 inspection before it to the 2023 inspection's first day"),
    Measure("full_to_monitoring", "2023 inspection → monitoring inspection",
            "first day on site to the first monitoring inspection's first day"),
)
MEASURE_BY_KEY = {m.key: m for m in MEASURES}


@dataclass
class Intervals:
    """One measure's values for a set of areas: days (ints), how many rest on unconfirmed facts, and what was
    left out by reason."""

    days: list[int] = field(default_factory=list)
    unconfirmed: int = 0
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> count (a dict: Counter() is 10x dearer to make)
    # Areas where the later stage is held but the earlier one is not (reason -> count): not a left-out pair (there
    # is no pair), but said, because an earlier stage may have happened and its letter not be held.
    absent: dict[str, int] = field(default_factory=dict)

    def add(self, start: dt.date | None, end: dt.date | None, *, unconfirmed: bool, unknown: str) -> None:
        if start is None or end is None:
            self.leave_out(unknown)
        elif end < start:
            self.leave_out("dates out of order")
        else:
            self.days.append((end - start).days)
            self.unconfirmed += unconfirmed

    def leave_out(self, reason: str, n: int = 1) -> None:
        self.left_out[reason] = self.left_out.get(reason, 0) + n

    def note_absent(self, reason: str, n: int = 1) -> None:
        self.absent[reason] = self.absent.get(reason, 0) + n

    def extend(self, other: Intervals) -> None:
        self.days.extend(other.days)
        self.unconfirmed += other.unconfirmed
        for reason, n in other.left_out.items():
            self.leave_out(reason, n)
        for reason, n in other.absent.items():
            self.note_absent(reason, n)


@dataclass(frozen=True)
class Summary:
    """count, median, q1, q3, min, max in days (None when count is 0); left_out: total, by_reason."""

    count: int
    median: float | None
    q1: float | None
    q3: float | None
    low: int | None
    high: int | None
    left_out: int
    left_out_by_reason: dict[str, int]
    unconfirmed: int
    not_counted_by_reason: dict[str, int] = field(default_factory=dict)  # Intervals.absent: no pair to count

    @property
    def median_months(self) -> float | None:
        return None if self.median is None else round(self.median / DAYS_PER_MONTH, 1)

    def months(self, name: str) -> float | None:
        value = getattr(self, name)
        return None if value is None else round(value / DAYS_PER_MONTH, 1)

    # For templates (which cannot pass arguments): the figures in months, one decimal.
    q1_months = property(lambda self: self.months("q1"))
    q3_months = property(lambda self: self.months("q3"))
    low_months = property(lambda self: self.months("low"))
    high_months = property(lambda self: self.months("high"))


def summarise(values: Intervals) -> Summary:
    """Median, quartiles (inclusive method) and range of `values.days`; a single value is its own quartiles."""
    days = sorted(values.days)
    left = dict(sorted(values.left_out.items()))
    if not days:
        return Summary(0, None, None, None, None, None, sum(left.values()), left, values.unconfirmed, dict(values.absent))
    if len(days) == 1:
        q1 = q3 = float(days[0])
    else:
        q1, _, q3 = statistics.quantiles(days, n=4, method="inclusive")
    return Summary(len(days), float(statistics.median(days)), q1, q3, days[0], days[-1], sum(left.values()), left,
                   values.unconfirmed, dict(values.absent))


def _start(e: Event) -> tuple:
    return (e.start is None, e.start or dt.date.max, e.fact_id)


def area_intervals(events: list[Event], wsoas: list[Wsoa]) -> dict[str, Intervals]:
    """Every measure's intervals for one area (MEASURES keys)."""
    out = {m.key: Intervals() for m in MEASURES}
    inspections = [e for e in events if e.is_inspection]
    visits = sorted((e for e in events if not e.is_inspection), key=_start)
    wsoa_of = {w.inspection_id: w for w in wsoas}

    def first_visit(inspection: Event, kind: str) -> Event | None:
        return next((v for v in visits if v.parent_id == inspection.fact_id and v.kind == kind), None)

    for i in inspections:
        if i.placeholder:  # known only from a later letter: it has no letter or publication of its own to time
            pass
        elif i.published:
            out["inspection_to_publication"].add(i.end, i.published, unconfirmed=i.needs_review, unknown="end date unknown")
        else:
            out["inspection_to_publication"].leave_out("publication date unknown")
        if not i.placeholder:
            out["inspection_to_letter"].add(i.end, i.letter, unconfirmed=i.needs_review,
                                            unknown="end date unknown" if i.letter else "letter date unknown")
        if i.kind == KIND_INITIAL:
            wsoa = wsoa_of.get(i.fact_id)
            if wsoa is not None:
                published = i.published or i.letter
                out["publication_to_wsoa_fit"].add(
                    published, wsoa.fit_for_purpose_on, unconfirmed=i.needs_review or wsoa.needs_review,
                    unknown="fit-for-purpose date unknown" if published else "publication and letter date unknown")
            revisit = first_visit(i, KIND_REVISIT)
            if revisit is not None:
                unconfirmed = i.needs_review or revisit.needs_review
                out["initial_to_revisit"].add(i.start, revisit.start, unconfirmed=unconfirmed,
                                              unknown="start date unknown")
                if wsoa is not None:
                    out["wsoa_to_revisit"].add(wsoa.fit_for_purpose_on, revisit.start,
                                               unconfirmed=unconfirmed or wsoa.needs_review,
                                               unknown="fit-for-purpose date unknown" if revisit.start else "start date unknown")
        elif i.kind == KIND_FULL:
            monitoring = first_visit(i, KIND_MONITORING)
            if monitoring is not None:
                out["full_to_monitoring"].add(i.start, monitoring.start, unconfirmed=i.needs_review or monitoring.needs_review,
                                              unknown="start date unknown")
    fulls = sorted((i for i in inspections if i.kind == KIND_FULL), key=_start)
    initials = [i for i in inspections if i.kind == KIND_INITIAL]
    if fulls and not initials:
        if any(e.kind == KIND_EARLIER_VISIT for e in events):
            # Issue 19 item 4: a 2023 report names an earlier visit but not whether it was the inspection or a
            # revisit — known, so not "no 2016 inspection"; not timed, since the interval would depend on the kind.
            out["f2016_to_f2023"].note_absent("where the 2016 visit a later report names is not stated to be the inspection")
        else:
            out["f2016_to_f2023"].note_absent("where a 2023 inspection is held but no 2016 inspection")
    if fulls and initials:
        first_full = fulls[0]
        earlier = [i for i in initials if i.start and first_full.start and i.start < first_full.start]
        if first_full.start is None or not any(i.start for i in initials):
            out["f2016_to_f2023"].leave_out("start date unknown")
        elif earlier:
            latest = max(earlier, key=lambda e: e.start)
            out["f2016_to_f2023"].add(latest.start, first_full.start,
                                      unconfirmed=latest.needs_review or first_full.needs_review, unknown="start date unknown")
    return out


def pooled(per_area: dict[int, dict[str, Intervals]], area_ids) -> dict[str, Summary]:
    """Summaries of every measure over the given areas (ids missing from `per_area` add nothing)."""
    totals = {m.key: Intervals() for m in MEASURES}
    for area_id in area_ids:
        for key, values in per_area.get(area_id, {}).items():
            totals[key].extend(values)
    return {key: summarise(values) for key, values in totals.items()}
