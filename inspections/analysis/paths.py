"""From 2016 paths to 2023 outcomes: each area's 2016-framework path and its 2023 outcome. Django-free, on
due.Event rows; pinned by tests/analysis/test_paths.py.

The 2016 path is read from the area's latest 2016 initial inspection and, when a WSOA was required, its latest
revisit's overall result (as the dashboard). The 2023 outcome is the latest 2023 inspection's. Rows and columns for
what is not recorded are kept (never folded into another cell), so every area is in exactly one cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from inspections.analysis.due import KIND_FULL, KIND_INITIAL, KIND_REVISIT, Event

PATHS: tuple[tuple[str, str], ...] = (
    ("no_wsoa", "No WSOA required"),
    ("sufficient_all", "WSOA; revisit: sufficient in all"),
    ("sufficient_some", "WSOA; revisit: sufficient in some"),
    ("sufficient_none", "WSOA; revisit: sufficient in none"),
    ("wsoa_no_revisit", "WSOA; no revisit yet"),
    ("revisit_unrecorded", "WSOA; revisit result not recorded"),
    ("outcome_unrecorded", "2016 inspection, outcome not recorded"),
    # Not "none happened": a 2016 inspection may have been held and its letter not be here.
    ("not_inspected", "No 2016 inspection held or known"),
)
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("positive", "Typically positive"),
    ("inconsistent", "Inconsistent"),
    ("systemic_failings", "Systemic failings"),
    ("outcome_unrecorded", "Outcome not recorded"),
    ("not_inspected", "Not yet inspected"),
)
PATH_LABELS = dict(PATHS)
OUTCOME_LABELS = dict(OUTCOMES)


@dataclass(frozen=True)
class AreaPath:
    """path: a PATHS key; outcome: an OUTCOMES key; unconfirmed: a fact deciding either awaits review."""

    path: str
    outcome: str
    unconfirmed: bool


def _latest(events: list[Event]) -> Event | None:
    return max(events, key=lambda e: (e.start is not None, e.start or dt.date.min, e.fact_id), default=None)


def area_path(events: list[Event]) -> AreaPath:
    """One area's cell of the cross-table."""
    deciding: list[Event] = []
    initial = _latest([e for e in events if e.kind == KIND_INITIAL])
    if initial is None:
        path = "not_inspected"
    elif initial.outcome == "no_wsoa":
        path, deciding = "no_wsoa", [initial]
    elif initial.outcome == "wsoa_required":
        revisit = _latest([e for e in events if e.kind == KIND_REVISIT and e.parent_id == initial.fact_id])
        deciding = [initial] + ([revisit] if revisit else [])
        if revisit is None:
            path = "wsoa_no_revisit"
        elif revisit.outcome in ("sufficient_all", "sufficient_some", "sufficient_none"):
            path = revisit.outcome
        else:
            path = "revisit_unrecorded"
    else:
        path, deciding = "outcome_unrecorded", [initial]
    full = _latest([e for e in events if e.kind == KIND_FULL])
    if full is None:
        outcome = "not_inspected"
    else:
        deciding.append(full)
        outcome = full.outcome if full.outcome in OUTCOME_LABELS and full.outcome != "not_inspected" else "outcome_unrecorded"
    return AreaPath(path, outcome, any(e.needs_review for e in deciding))


def cross_table(paths: dict[int, AreaPath]) -> dict[tuple[str, str], list[int]]:
    """(path, outcome) -> area ids, for every cell (empty cells included)."""
    table: dict[tuple[str, str], list[int]] = {(p, o): [] for p, _ in PATHS for o, _ in OUTCOMES}
    for area_id, ap in paths.items():
        table[(ap.path, ap.outcome)].append(area_id)
    return table
