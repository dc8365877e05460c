"""Each analysis page's figures, from the national snapshot (snapshot.py): filtering and pooling in memory.

Every function here reads the database only through `snapshot()` (one query when the facts have not changed);
the computations themselves are the Django-free modules due.py, durations.py, paths.py and trends.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from inspections.analysis.due import NextVisit, due_within, next_visit
from inspections.analysis.durations import MEASURES, Measure, Summary, pooled
from inspections.analysis.paths import cross_table
from inspections.analysis.selectors import STATUS_BY_KEY, STATUSES, Status
from inspections.analysis.snapshot import Snapshot, snapshot
from inspections.analysis.trends import BASES, Trend, period_of, trends

# --- 1. due and overdue -----------------------------------------------------------------------------------

DUE_SORTS = {
    "due": lambda r: (r["visit"].due_by, r["name"]),
    "area": lambda r: (r["name"],),
    "region": lambda r: (r["region"], r["name"]),
    "kind": lambda r: (r["visit"].kind, r["visit"].due_by, r["name"]),
    "status": lambda r: (STATUSES.index(r["status"]), r["visit"].due_by, r["name"]),
}


@dataclass
class DueList:
    """The due page: rows (dicts: id, gss_code, name, region, status (Status), row (due.DueRow), visit
    (NextVisit)), what was left out ({"unknown": n, "later": n}) and why (reason -> n), the count of
    unconfirmed rows, the areas considered after the filters, the day and horizon, and the data's date."""

    rows: list[dict]
    left_out: dict[str, int]
    unconfirmed: int
    considered: int
    today: dt.date
    months: int
    unknown_by_reason: dict[str, int]
    as_of: dt.datetime | None
    # How current the holdings are: "overdue" can only mean no report of a later visit is held (issue 15 item 1).
    latest_visit_held: dt.date | None = None  # the latest start of any inspection, revisit or monitoring visit held
    latest_published_held: dt.date | None = None  # the latest publication date held


def _latest_held(snap) -> tuple[dt.date | None, dt.date | None]:
    """(latest visit start, latest publication date) over every visit held (placeholders have no letter: skipped)."""
    events = [e for evs in snap.events.values() for e in evs if not e.placeholder]
    return (max((e.start for e in events if e.start), default=None),
            max((e.published for e in events if e.published), default=None))


def due_list(*, today: dt.date, months: int, region: str = "", outcome: str = "", sort: str = "due") -> DueList:
    """Current areas overdue or due within `months` of `today`, filtered by region (one of England's nine) and
    outcome (a status key, STATUSES), sorted by `sort` (DUE_SORTS key, '-' prefix for descending; an unknown
    key sorts by 'due'). ValueError when months < 0."""
    snap = snapshot()
    visits = snap.next_visits()
    considered = {a["id"]: a for a in snap.areas if (not region or a["region"] == region)
                  and (not outcome or snap.statuses[a["id"]] == outcome)}
    mine = {area_id: visits[area_id] for area_id in considered}
    due_rows, left_out = due_within(mine, today=today, months=months)
    unknown_by_reason = Counter(v.reason for v in mine.values() if v.due_by is None)
    rows = [{**considered[r.area_id], "status": STATUS_BY_KEY[snap.statuses[r.area_id]], "row": r, "visit": r.visit}
            for r in due_rows]
    rows.sort(key=DUE_SORTS.get(sort.lstrip("-"), DUE_SORTS["due"]), reverse=sort.startswith("-"))
    return DueList(rows, left_out, sum(r["visit"].unconfirmed for r in rows), len(considered), today, months,
                   dict(unknown_by_reason), snap.as_of, *snap.once("latest_held", lambda: _latest_held(snap)))


# --- 2. time between stages -------------------------------------------------------------------------------

@dataclass
class StageTimes:
    """Summaries of every measure for England and, when asked, one region; `as_of` the data's date."""

    england: dict[str, Summary]
    region: dict[str, Summary] | None
    as_of: dt.datetime | None


def _area_ids(snap: Snapshot, region: str = "") -> list[int]:
    return [a["id"] for a in snap.areas if not region or a["region"] == region]


def stage_times(*, region: str = "") -> StageTimes:
    """England pools every area's intervals, former authorities' included (their inspections happened); a region
    pools its current areas."""
    snap = snapshot()
    per_area = snap.intervals()
    england = snap.once("england", lambda: pooled(per_area, list(snap.events)))
    scoped = snap.once(f"region:{region}", lambda: pooled(per_area, _area_ids(snap, region))) if region else None
    return StageTimes(england, scoped, snap.as_of)


# --- 5. comparison ----------------------------------------------------------------------------------------

@dataclass
class Comparison:
    """One area beside its statistical neighbours, its region and England.

    measures: [(Measure, {"area": Summary, "neighbours": Summary, "region": Summary, "england": Summary})];
    stages: [(Status, {"area": bool, "neighbours": (n, of), "region": (n, of), "england": (n, of)})];
    neighbours: the neighbour areas held (dicts, closest first); missing_neighbours: codes not in the register."""

    area: dict
    status: Status
    measures: list[tuple[Measure, dict[str, Summary]]]
    stages: list[tuple[Status, dict]]
    neighbours: list[dict]
    missing_neighbours: list[str]
    next_visit: NextVisit
    as_of: dt.datetime | None
    today: dt.date | None = None

    @property
    def overdue_days(self) -> int | None:
        """Days past the stated window's end (issue 19 item 9: the due page flags it; so do the area and compare
        pages), None when not overdue or no window is stated. Overdue means no report of the visit is held."""
        due_by, today = self.next_visit.due_by, self.today
        return (today - due_by).days if due_by and today and due_by < today else None


def area_comparison(gss_code: str) -> Comparison | None:
    """The comparison for one current area; None when `gss_code` is not a current area. England here is the
    current areas (the same pool as the stage counts), so the area is compared like with like."""
    snap = snapshot()
    area = snap.by_gss.get(gss_code)
    if area is None:
        return None
    per_area = snap.intervals()
    neighbours = [snap.by_gss[g] for g in area["stat_neighbours"] or [] if g in snap.by_gss]
    missing = [g for g in area["stat_neighbours"] or [] if g not in snap.by_gss]
    pools = {"area": [area["id"]], "neighbours": [n["id"] for n in neighbours],
             "region": _area_ids(snap, area["region"]) if area["region"] else [], "england": _area_ids(snap)}
    summaries = {
        "area": pooled(per_area, pools["area"]),
        "neighbours": pooled(per_area, pools["neighbours"]),
        "region": snap.once(f"current-region:{area['region']}", lambda: pooled(per_area, pools["region"])),
        "england": snap.once("current-england", lambda: pooled(per_area, pools["england"])),
    }
    measures = [(m, {name: summaries[name][m.key] for name in pools}) for m in MEASURES]
    counts = {name: Counter(snap.statuses[i] for i in ids) for name, ids in pools.items() if name != "area"}
    stages = [(status, {"area": snap.statuses[area["id"]] == status.key,
                        **{name: (counts[name][status.key], len(pools[name])) for name in counts}})
              for status in STATUSES]
    return Comparison(area, STATUS_BY_KEY[snap.statuses[area["id"]]], measures, stages, neighbours, missing,
                      snap.next_visits().get(area["id"]) or next_visit([]), snap.as_of, timezone.localdate())


# --- 3. 2016 paths x 2023 outcomes ------------------------------------------------------------------------

@dataclass
class PathTable:
    """cells: (path key, outcome key) -> current areas (dicts) in name order; unconfirmed: the same keys -> how
    many of those areas rest on facts awaiting review; area_count; as_of."""

    cells: dict[tuple[str, str], list[dict]]
    unconfirmed: dict[tuple[str, str], int]
    area_count: int
    as_of: dt.datetime | None


def path_table(*, region: str = "") -> PathTable:
    """Every current area (in `region` when given) in its cross-table cell."""
    snap = snapshot()
    paths = snap.paths()
    areas = [a for a in snap.areas if not region or a["region"] == region]
    by_id = {a["id"]: a for a in areas}
    table = cross_table({a["id"]: paths[a["id"]] for a in areas})
    cells = {key: [by_id[i] for i in ids] for key, ids in table.items()}  # snap.areas is in name order already
    unconfirmed = {key: sum(paths[i].unconfirmed for i in ids) for key, ids in table.items()}
    return PathTable(cells, unconfirmed, len(areas), snap.as_of)


# --- 4. trends ----------------------------------------------------------------------------------------------

def outcome_trends(*, period: str, basis: str = "publication", region: str = "",
                   as_at: dt.date | None = None) -> tuple[list[Trend], dt.datetime | None]:
    """trends.trends over every area's facts (former authorities included: their inspections happened), or with
    `region` over its current areas' facts only (as stage_times pools a region: the snapshot holds the region of
    current areas), and the data's date; with `as_at`, cut at that day (trends.trends). ValueError on an unknown
    period or basis (before anything is read)."""
    period_of(dt.date(2000, 1, 1), period)
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}")
    snap = snapshot()
    area_ids = _area_ids(snap, region) if region else list(snap.events)
    series = snap.once(f"trends:{period}:{basis}:{region}:{as_at or ''}",
                       lambda: trends([e for i in area_ids for e in snap.events.get(i, [])], period, basis, as_at))
    return series, snap.as_of
