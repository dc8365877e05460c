"""When a visit took place, for counting "as at" a date: one rule for the national figures (national.py) and the
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
