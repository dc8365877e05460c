"""When a visit took place, for counting "as at" a date, and how precisely a period dates it: one rule for the national figures (national.py) and the
lists' `as_at` and `year` filters (facts/filters.py), so a list and the dashboard count the same visits.

Django-free. A visit dated to the day counts from that day; one known only to the month ("May 2017", from a note of
Ofsted's statistics) counts from the first day of that month; one known only to the year, or not at all, has no
day (it is left out of "as at" counts; a list's year filter finds it by the year it names).
"""

from __future__ import annotations

import datetime as dt
import re

_MONTH = re.compile(r"([A-Z][a-z]+) (\d{4})")


def visit_day(start: dt.date | None, period_text: str) -> dt.date | None:
    """`start`, else the first day of the first "Month YYYY" in `period_text` ("May 2017" -> 1 May 2017;
    "February and March 2018" -> 1 March 2018, the first month written with its year), else None."""
    if start:
        return start
    m = _MONTH.search(period_text or "")
    if m:
        try:
            return dt.datetime.strptime(f"{m.group(1)} {m.group(2)}", "%B %Y").date()
        except ValueError:
            return None
    return None


_MONTH_NAMES = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19|20)\d\d\b")


def period_precision(text: str) -> str:
    """How precisely a period as written dates a visit: "month" ("January 2017"), "year" ("2019"), or "" (no
    period). Datasets record it beside `period_text`, so the exports say how the period is to be read."""
    if _MONTH_NAMES.search(text or ""):
        return "month"
    return "year" if _YEAR.search(text or "") else ""
