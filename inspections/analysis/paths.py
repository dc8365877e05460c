"""From 2016 paths to 2023 outcomes: each current area's cell of the cross-table.

Each area's 2016 path and 2023 outcome are not computed here: they are the area's stored path (inspections/paths/
derive.py, derived once when its facts change), so this page, the dashboard, the areas list and the CSV cannot
disagree (issue 19). Rows and columns for what is not known are kept (never folded into another cell), so every
area is in exactly one cell; an area whose later report names an earlier visit is in a "known" row.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspections.paths.derive import OUTCOMES_2023_ROWS, PATHS_2016

PATHS: tuple[tuple[str, str], ...] = PATHS_2016
OUTCOMES: tuple[tuple[str, str], ...] = OUTCOMES_2023_ROWS
PATH_LABELS = dict(PATHS)
OUTCOME_LABELS = dict(OUTCOMES)


@dataclass(frozen=True)
class AreaPath:
    """path: a PATHS key; outcome: an OUTCOMES key; unconfirmed: a fact deciding either awaits review."""

    path: str
    outcome: str
    unconfirmed: bool


def cross_table(paths: dict[int, AreaPath]) -> dict[tuple[str, str], list[int]]:
    """(path, outcome) -> area ids, for every cell (empty cells included). An unknown key is kept as its own cell
    rather than dropped."""
    table: dict[tuple[str, str], list[int]] = {(p, o): [] for p, _ in PATHS for o, _ in OUTCOMES}
    for area_id, ap in paths.items():
        table.setdefault((ap.path, ap.outcome), []).append(area_id)
    return table
