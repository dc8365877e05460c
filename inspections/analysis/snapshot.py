"""One consistent read of the national facts for the analysis pages, kept in memory until the facts change.

Why: every analysis figure is national (a median over 1,500 areas, a cross-table of every area), so each page
would otherwise read and reshape ~6,000 facts per request (150–400 ms at ten times today's size). Instead one
small query (`fingerprint`) asks whether anything changed since the snapshot was built; only then are the facts
read again (five queries).

What counts as a change (the fingerprint, one query): the number and highest id of visible (non-rejected)
inspections, revisits and WSOAs and of the register's areas; the number of documents and their latest
`updated_at` and `finished_at` (every pipeline run ends by saving its document); the highest id of the analysts'
decision log (`FieldCorrection`: confirm, correct, reject) and of Django's admin log (an admin edit of a fact);
the number of weakness themes and their latest `classified_at` (a re-classification changes no fact).
In this process, saving or deleting any fact, document, correction or area also drops the snapshot at once
(signals), so a page never shows figures from before its own process's write. Not seen: a `QuerySet.update()`
of a fact's date or outcome from a shell, outside the app's review and admin paths — run `forget()` after one.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.db import connection
from django.db.models.signals import post_delete, post_save

from areas.models import LocalArea
from inspections.analysis.due import Event, NextVisit
from inspections.analysis.paths import AreaPath as AreaPathRow
from inspections.analysis.durations import Intervals, Wsoa, area_intervals
from inspections.analysis.selectors import area_statuses, data_as_of, fact_events
from inspections.paths.derive import next_visit_from_json
from inspections.models import (
    AreaPath,
    Document,
    FieldCorrection,
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    WeaknessTheme,
    WrittenStatementOfAction,
)

_lock = threading.Lock()
_current: Snapshot | None = None


@dataclass
class Snapshot:
    """The facts as of `key`: current areas (dicts: id, gss_code, name, region, stat_neighbours) in name order,
    each area's status key (the dashboard's), every area's events (former areas included), the WSOAs, and
    `as_of` (the latest time a document finished processing). Derived figures are computed once, on first use."""

    key: tuple
    as_of: dt.datetime | None
    areas: list[dict]
    statuses: dict[int, str]
    events: dict[int, list[Event]]
    wsoas: dict[int, list[Wsoa]]
    next_visit_json: dict[int, dict] = field(default_factory=dict)
    _derived: dict = field(default_factory=dict)

    def once(self, name: str, build):
        """`build()` the first time `name` is asked for on this snapshot, then the same value."""
        if name not in self._derived:
            self._derived[name] = build()
        return self._derived[name]

    @property
    def by_gss(self) -> dict[str, dict]:
        return self.once("by_gss", lambda: {a["gss_code"]: a for a in self.areas})

    def next_visits(self) -> dict[int, NextVisit]:
        """Current area id -> its next expected visit: the one stored with the area's path (inspections/paths)."""
        return self.once("next_visits", lambda: {a["id"]: next_visit_from_json(self.next_visit_json.get(a["id"], {}))
                                                 for a in self.areas})

    def paths(self) -> dict[int, AreaPathRow]:
        """Current area id -> its stored 2016 path, 2023 outcome and whether either rests on unconfirmed facts."""
        return self.once("paths", lambda: {a["id"]: AreaPathRow(a["path_2016"], a["outcome_2023"], a["unconfirmed"])
                                           for a in self.areas})

    def intervals(self) -> dict[int, dict[str, Intervals]]:
        """Area id (former areas too) -> measure key -> Intervals."""
        return self.once("intervals", lambda: {
            area_id: area_intervals(evs, self.wsoas.get(area_id, [])) for area_id, evs in self.events.items()})


def fingerprint() -> tuple:
    """What the snapshot depends on, in one query (see the module docstring)."""
    parts, params = [], []
    for model in (Inspection, Revisit, WrittenStatementOfAction):
        table = model._meta.db_table
        parts += [f"(SELECT COUNT(*) FROM {table} WHERE rejected = %s)", f"(SELECT MAX(id) FROM {table})"]
        params.append(False)
    area, document = LocalArea._meta.db_table, Document._meta.db_table
    parts += [f"(SELECT COUNT(*) FROM {area})", f"(SELECT MAX(id) FROM {area})",
              f"(SELECT COUNT(*) FROM {document})", f"(SELECT MAX(updated_at) FROM {document})",
              f"(SELECT MAX(finished_at) FROM {document})",
              f"(SELECT MAX(id) FROM {FieldCorrection._meta.db_table})", f"(SELECT MAX(id) FROM {LogEntry._meta.db_table})",
              # The stored paths (stages, next visits) another process re-derived.
              f"(SELECT MAX(derived_at) FROM {AreaPath._meta.db_table})",
              # Weakness themes: `manage.py classify_themes` may re-classify without touching any fact.
              f"(SELECT COUNT(*) FROM {WeaknessTheme._meta.db_table})",
              f"(SELECT MAX(classified_at) FROM {WeaknessTheme._meta.db_table})"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return (connection.alias, *(str(v) for v in cursor.fetchone()))


def snapshot() -> Snapshot:
    """The current snapshot: one query when nothing changed, eight when the facts are read again (the
    fingerprint, selectors.area_statuses' four (stages, coverage, inspections, revisits under review), WSOAs, the
    data date, the facts)."""
    global _current
    key = fingerprint()
    current = _current
    if current is not None and current.key == key:
        return current
    statuses, areas = area_statuses()
    wsoas: dict[int, list[Wsoa]] = {}
    for row in WrittenStatementOfAction.objects.filter(inspection__rejected=False).values(
            "inspection_id", "inspection__area_id", "fit_for_purpose_on", "needs_review"):
        wsoas.setdefault(row["inspection__area_id"], []).append(
            Wsoa(row["inspection_id"], row["fit_for_purpose_on"], row["needs_review"]))
    built = Snapshot(key, data_as_of(), areas, statuses, fact_events(), wsoas, _next_visits_json())
    with _lock:
        _current = built
    return built


def _next_visits_json() -> dict[int, dict]:
    return dict(AreaPath.objects.filter(area__end_date__isnull=True).values_list("area_id", "next_visit"))


def forget(**_kwargs) -> None:
    """Drop the snapshot: the next page reads the facts again."""
    global _current
    with _lock:
        _current = None


for _model in (Inspection, Revisit, WrittenStatementOfAction, SignificantWeakness, ProgressJudgement, Document,
               FieldCorrection, LocalArea, LogEntry, AreaPath, WeaknessTheme):
    post_save.connect(forget, sender=_model, dispatch_uid=f"analysis-snapshot-save-{_model.__name__}")
    post_delete.connect(forget, sender=_model, dispatch_uid=f"analysis-snapshot-delete-{_model.__name__}")
