"""Outcomes by period. Django-free, on due.Event rows; pinned by tests/analysis/test_paths_trends.py.

Two ways to date a report (`basis`):
- "publication" (the default): the **publication date** where the report's is held, else the **letter date**
  (normally the day of publication or just before), else the **last day of the inspection** (reports are published
  some weeks later: the 2023 reports held so far carry neither date, so they are dated by inspection); each table
  says how many rows were dated each way;
- "inspection": the **first day of the inspection**, as Ofsted's official statistics count inspections "carried out
  between 1 January and 31 December" ("Area SEND inspections and outcomes in England as at 31 December 2024",
  gov.uk, published 26 June 2025), so a calendar-year table on this basis can be set beside theirs.
A row with no date on its basis is left out and counted.

As at a date (`as_at`, the pages' `?as_at=2021-03-31`): the series is cut there — a row dated after it on the chosen
basis is not counted (and the series ends with the last period holding a row by then), as if read that day.

Periods: calendar month, calendar quarter (Jan–Mar = Q1), calendar year (the official statistics' period since the
2023 framework) and academic year (1 September to 31 August, "2023/24"; the 2023 framework's own planning year).
Each series lists every period from its first to its last that holds a report, the empty ones between with no
counts: a chart of only the periods held would draw a gap of years as one bar's width. Nothing is listed before
the first or after the last.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from inspections.analysis.due import KIND_FULL, KIND_INITIAL, KIND_MONITORING, KIND_REVISIT, Event

PERIODS = {"month": "Month", "quarter": "Quarter", "calendar_year": "Calendar year (as Ofsted's official statistics)",
           "academic_year": "Academic year (September to August)"}
BASES = {"publication": "publication date (else letter date, else last day of the inspection)",
         "inspection": "first day of the inspection (as Ofsted's official statistics)"}
SERIES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (KIND_INITIAL, "2016 framework: initial inspections", (("wsoa_required", "WSOA required"), ("no_wsoa", "No WSOA"))),
    (KIND_REVISIT, "2016 framework: revisits", (("sufficient_all", "Sufficient in all"), ("sufficient_some", "In some"),
                                                ("sufficient_none", "In none"))),
    (KIND_FULL, "2023 framework: area SEND inspections", (("positive", "Typically positive"), ("inconsistent", "Inconsistent"),
                                                         ("systemic_failings", "Widespread/systemic failings"))),
    (KIND_MONITORING, "2023 framework: monitoring inspections", (("sufficient_all", "Sufficient in all"),
                                                               ("sufficient_some", "In some"), ("sufficient_none", "In none"))),
)
UNRECORDED = ("", "Outcome not recorded")


def period_of(day: dt.date, period: str) -> tuple[str, str]:
    """(sort key, label) of the period holding `day`: month "2024-03" / "March 2024"; quarter "2024-Q1" /
    "2024 Q1 (Jan–Mar)"; calendar_year "2024"; academic_year "2023/24" for 1 Sep 2023 – 31 Aug 2024.
    ValueError on another period."""
    if period == "month":
        return f"{day:%Y-%m}", f"{day:%B %Y}"
    if period == "quarter":
        q = (day.month - 1) // 3 + 1
        months = ("Jan–Mar", "Apr–Jun", "Jul–Sep", "Oct–Dec")[q - 1]
        return f"{day.year}-Q{q}", f"{day.year} Q{q} ({months})"
    if period == "calendar_year":
        return f"{day.year}", f"{day.year}"
    if period == "academic_year":
        start = day.year if day.month >= 9 else day.year - 1
        label = f"{start}/{(start + 1) % 100:02d}"
        return label, label
    raise ValueError(f"unknown period {period!r}: use one of {', '.join(PERIODS)}")


def periods_between(first: dt.date, last: dt.date, period: str) -> list[tuple[str, str]]:
    """(key, label) of every `period` from the one holding `first` to the one holding `last`, in order. Every
    period is whole months, so stepping a month at a time meets each once. ValueError on an unknown period."""
    out: list[tuple[str, str]] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        found = period_of(dt.date(year, month, 1), period)
        if not out or out[-1][0] != found[0]:
            out.append(found)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass
class Trend:
    """One series: rows [(key, label, Counter outcome -> n)] in period order, every period from the first held to
    the last (an empty Counter for a period with none), the outcome keys and labels
    (UNRECORDED last when any), left_out (no date on the basis), dated_by (how rows were dated -> count:
    "publication", "letter", "inspection end" or "inspection start"), unconfirmed."""

    kind: str
    title: str
    outcomes: list[tuple[str, str]]
    rows: list[tuple[str, str, Counter]] = field(default_factory=list)
    left_out: int = 0
    dated_by: dict[str, int] = field(default_factory=dict)
    unconfirmed: int = 0
    after_as_at: int = 0  # rows dated after the as-at date on this basis: not counted

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for _, _, c in self.rows)


def _dated(e: Event, basis: str) -> tuple[dt.date | None, str]:
    if basis == "inspection":
        return e.start, "inspection start"
    for day, how in ((e.published, "publication"), (e.letter, "letter"), (e.end, "inspection end")):
        if day is not None:
            return day, how
    return None, ""


def trends(events: list[Event], period: str, basis: str = "publication", as_at: dt.date | None = None) -> list[Trend]:
    """Every series' counts by `period` (PERIODS key) on `basis` (BASES key) from all areas' events; with `as_at`,
    only the rows dated by that day on `basis` (see the module docstring). Placeholders have no report of their own
    and are not counted. ValueError on an unknown period or basis."""
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}: use one of {', '.join(BASES)}")
    out = []
    for kind, title, outcomes in SERIES:
        trend = Trend(kind, title, list(outcomes))
        buckets: dict[str, Counter] = {}
        days: list[dt.date] = []
        known = {k for k, _ in outcomes}
        for e in events:
            if e.kind != kind or e.placeholder:
                continue
            day, how = _dated(e, basis)
            if day is None:
                trend.left_out += 1
                continue
            if as_at is not None and day > as_at:
                trend.after_as_at += 1
                continue
            trend.dated_by[how] = trend.dated_by.get(how, 0) + 1
            trend.unconfirmed += e.needs_review
            days.append(day)
            key, _ = period_of(day, period)
            buckets.setdefault(key, Counter())[e.outcome if e.outcome in known else ""] += 1
        if days:
            trend.rows = [(key, label, buckets.get(key, Counter()))
                          for key, label in periods_between(min(days), max(days), period)]
        if any(c[""] for _, _, c in trend.rows):
            trend.outcomes.append(UNRECORDED)
        out.append(trend)
    return out
