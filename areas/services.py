"""Writes to the area register."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from areas.models import LocalArea
from areas.register import COLUMNS, RegisterError, RegisterRow
from areas.resolver import AreaRegister

# The LocalArea fields a register row sets: every register column but the replaced-by links, which need ids first.
FIELDS = tuple(column for column in COLUMNS if column != "replaced_by")


@dataclass(frozen=True)
class RegisterLoadSummary:
    created: int
    updated: int
    unchanged: int
    links_added: int
    links_removed: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return (
            f"{self.total} areas: {self.created} created, {self.updated} updated, {self.unchanged} unchanged; "
            f"replaced-by links: {self.links_added} added, {self.links_removed} removed"
        )


@transaction.atomic
def area_register_load(*, rows: Iterable[RegisterRow]) -> RegisterLoadSummary:
    """Upsert every row (matched by register code, else by GSS code) and set its replaced-by links to
    exactly the table's. Idempotent: a second run changes nothing and reports every area unchanged.
    Areas missing from the table are left alone: facts may point at them."""
    rows = list(rows)
    existing = list(LocalArea.objects.all())
    by_code = {area.register_code: area for area in existing}
    by_gss = {area.gss_code: area for area in existing}
    to_create, to_update, unchanged = [], [], 0
    for row in rows:
        values = _values(row)
        area = by_code.get(row.register_code) or by_gss.get(row.gss_code)
        holder = by_gss.get(row.gss_code)
        if area is not None and holder is not None and holder is not area:
            raise RegisterError(
                f"{row.register_code}: GSS code {row.gss_code} already belongs to {holder.register_code} ({holder})"
            )
        if area is None:
            to_create.append(LocalArea(**values))
        elif any(getattr(area, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(area, field, value)
            to_update.append(area)
        else:
            unchanged += 1
    created = LocalArea.objects.bulk_create(to_create)
    LocalArea.objects.bulk_update(to_update, FIELDS)
    added, removed = _set_links(rows)
    # bulk_create sends no signals: new areas get their stored path ("nothing known") now, so no page lists an area
    # without one (inspections/paths; a loaded area's facts keep their paths current themselves).
    from inspections.paths.services import area_paths_refresh

    area_paths_refresh([area.pk for area in created if area.pk] or LocalArea.objects.filter(
        register_code__in=[a.register_code for a in created]).values_list("pk", flat=True))
    # this process's register is stale now; other processes' caches expire on their own (resolver.CACHE_SECONDS)
    AreaRegister.clear_cache()
    transaction.on_commit(AreaRegister.clear_cache)
    return RegisterLoadSummary(len(to_create), len(to_update), unchanged, added, removed)


def _values(row: RegisterRow) -> dict:
    values = {field: getattr(row, field) for field in FIELDS}
    values["alt_names"] = list(row.alt_names)
    values["stat_neighbours"] = list(row.stat_neighbours)
    return values


def _set_links(rows: list[RegisterRow]) -> tuple[int, int]:
    """Make each loaded area's replaced-by links exactly the table's, in a few bulk statements."""
    through = LocalArea.replaced_by.through
    ids = dict(
        LocalArea.objects.filter(register_code__in=[row.register_code for row in rows]).values_list(
            "register_code", "id"
        )
    )
    wanted = {(ids[row.register_code], ids[code]) for row in rows for code in row.replaced_by}
    present = set(
        through.objects.filter(from_localarea_id__in=ids.values()).values_list("from_localarea_id", "to_localarea_id")
    )
    stale = present - wanted
    for from_id, to_id in stale:  # a successor dropped from the table: rare, so one small delete each
        through.objects.filter(from_localarea_id=from_id, to_localarea_id=to_id).delete()
    through.objects.bulk_create(
        [through(from_localarea_id=from_id, to_localarea_id=to_id) for from_id, to_id in sorted(wanted - present)]
    )
    return len(wanted - present), len(stale)
