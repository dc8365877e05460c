"""Outcomes by publication period. Django-free, on due.Event rows; pinned by tests/analysis/test_trends.py.

The date counted is the **publication date** where the report's is held, else the **letter date** (for these
letters normally the day before or the day of publication), and each table says how many rows used the letter
date; a row with neither is left out and counted. Periods: calendar month, calendar quarter (Jan–Mar = Q1), and
the academic year (1 September to 31 August, "2023/24"), the period Ofsted's official statistics use for
inspection outcomes, so that figures can be set beside them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from inspections.analysis.due import KIND_FULL, KIND_INITIAL, KIND_MONITORING, KIND_REVISIT, Event

PERIODS = {"month": "Month", "quarter": "Quarter", "academic_year": "Academic year (September to August)"}
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
    "2024 Q1 (Jan–Mar)"; academic_year "2023/24" for 1 Sep 2023 – 31 Aug 2024. ValueError on another period."""
    if period == "month":
        return f"{day:%Y-%m}", f"{day:%B %Y}"
    if period == "quarter":
        q = (day.month - 1) // 3 + 1
        months = ("Jan–Mar", "Apr–Jun", "Jul–Sep", "Oct–Dec")[q - 1]
        return f"{day.year}-Q{q}", f"{day.year} Q{q} ({months})"
    if period == "academic_year":
        start = day.year if day.month >= 9 else day.year - 1
        label = f"{start}/{(start + 1) % 100:02d}"
        return label, label
    raise ValueError(f"unknown period {period!r}: use one of {', '.join(PERIODS)}")


@dataclass
class Trend:
    """One series: rows [(key, label, Counter outcome -> n)] in period order, the outcome keys and labels
    (UNRECORDED last when any), left_out (no date), by_letter_date (rows dated by the letter), unconfirmed."""

    kind: str
    title: str
    outcomes: list[tuple[str, str]]
    rows: list[tuple[str, str, Counter]] = field(default_factory=list)
    left_out: int = 0
    by_letter_date: int = 0
    unconfirmed: int = 0

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for _, _, c in self.rows)


def trends(events: list[Event], period: str) -> list[Trend]:
    """Every series' counts by `period` (PERIODS key) from all areas' events. Placeholders have no letter of their
    own and are not counted."""
    out = []
    for kind, title, outcomes in SERIES:
        trend = Trend(kind, title, list(outcomes))
        buckets: dict[str, tuple[str, Counter]] = {}
        known = {k for k, _ in outcomes}
        for e in events:
            if e.kind != kind or e.placeholder:
                continue
            day = e.published or e.letter
            if day is None:
                trend.left_out += 1
                continue
            trend.by_letter_date += e.published is None
            trend.unconfirmed += e.needs_review
            key, label = period_of(day, period)
            buckets.setdefault(key, (label, Counter()))[1][e.outcome if e.outcome in known else ""] += 1
        trend.rows = [(key, label, counts) for key, (label, counts) in sorted(buckets.items())]
        if any(c[""] for _, _, c in trend.rows):
            trend.outcomes.append(UNRECORDED)
        out.append(trend)
    return out
