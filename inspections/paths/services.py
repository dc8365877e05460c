"""Store each area's derived path (`inspections.models.AreaPath`): the only writer of that table.

`area_paths_refresh(area_ids)` reads the areas' visible facts in five queries whatever their number, derives each
path with `derive.derive_path` and upserts one row per area. It is called:
- by the writer after it projects an area's letters (inspections/pipeline/write.py),
- after any save or delete of a fact (signals below: an analyst's decision, the admin, a shell), deferred to the
  end of the writer's batch when one is open (`deferred()`), so a document with 300 facts derives once,
- by `manage.py derive_paths` (every area; after the register is loaded, or when the derivation's VERSION moves).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from areas.models import LocalArea
from inspections.models import (
    AreaPath,
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    WrittenStatementOfAction,
)
from inspections.paths.derive import VERSION, derive_path, flat_dict
from inspections.paths.selectors import area_facts
from sendtracker.bulk import update_rows

_FIELDS = [f.name for f in AreaPath._meta.get_fields() if f.concrete and f.name not in ("area", "derived_at")]


def area_paths_refresh(area_ids: Iterable[int]) -> int:
    """Derive and store the paths of `area_ids` (ids of areas that no longer exist are skipped). Returns how many
    rows were written. Idempotent: the same facts give the same row."""
    ids = set(LocalArea.objects.filter(pk__in=list(area_ids)).values_list("pk", flat=True))
    if not ids:
        return 0
    facts = area_facts(ids)
    # What is stored already: a row whose derivation did not change is not rewritten (its jsonb steps are most of
    # an update's cost), only re-stamped, since readers' caches key on the latest derivation time
    # (selectors.paths_as_at, the API's as-of): a fact can change an as-at path without changing today's.
    held = {row["area_id"]: row for row in AreaPath.objects.filter(area_id__in=ids).values("area_id", *_FIELDS)}
    now = timezone.now()
    new, changed, same, fields = [], [], [], set()
    for area_id in sorted(ids):
        derived = derive_path(facts[area_id])
        values = {name: getattr(derived, name) for name in _FIELDS if name != "version"}
        values["steps"] = [flat_dict(s) for s in derived.steps]  # as as_json() gives them, without copying the rest
        values["version"] = VERSION
        stored = held.get(area_id)
        differ = [name for name, value in values.items() if stored is None or stored[name] != value]
        if not differ:
            same.append(area_id)
            continue
        fields.update(differ)
        row = AreaPath(area_id=area_id, derived_at=now, **values)
        (changed if stored is not None else new).append(row)
    with transaction.atomic():
        if new:
            AreaPath.objects.bulk_create(new, batch_size=500)
        if changed:  # the fields that changed in any row (each row's others are written with their own values)
            update_rows(AreaPath, changed, sorted(fields) + ["derived_at"])
        if same:
            AreaPath.objects.filter(area_id__in=same).update(derived_at=now)
    return len(new) + len(changed) + len(same)


def area_paths_refresh_all(*, stale_only: bool = False) -> int:
    """Every area of the register (or, with stale_only, those without a row or with another VERSION)."""
    areas = LocalArea.objects.all()
    if stale_only:
        areas = areas.exclude(Q(path__isnull=False) & Q(path__version=VERSION))
    ids = list(areas.values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), 500):
        written += area_paths_refresh(ids[start:start + 500])
    return written


# --- keeping it current: any change of a fact re-derives its area's path -----------------------------------------

_state = threading.local()


@contextmanager
def deferred():
    """Within this block, fact saves only collect their area ids (the set it yields; callers may add ids too); the
    paths are derived once when it ends (the outermost block, when nested). The writer wraps a projection in it."""
    depth = getattr(_state, "depth", 0)
    if depth == 0:
        _state.pending = set()
    _state.depth = depth + 1
    try:
        yield _state.pending
    finally:
        _state.depth -= 1
        if _state.depth == 0:
            pending, _state.pending = _state.pending, set()
            if pending:
                area_paths_refresh(pending)


def _area_id(instance) -> int | None:
    if isinstance(instance, Inspection):
        return instance.area_id
    if isinstance(instance, (Revisit, SignificantWeakness, WrittenStatementOfAction)):
        return Inspection.all_objects.filter(pk=instance.inspection_id).values_list("area_id", flat=True).first()
    if isinstance(instance, ProgressJudgement):
        return Revisit.all_objects.filter(pk=instance.revisit_id).values_list("inspection__area_id", flat=True).first()
    return None


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the fixture's own rows, derived by derive_paths afterwards
    area_id = _area_id(instance)
    if area_id is None:
        return
    if getattr(_state, "depth", 0):
        _state.pending.add(area_id)
    else:
        area_paths_refresh([area_id])


def _area_saved(sender, instance, created: bool = False, **kwargs) -> None:
    # A new area of the register gets its path at once ("nothing known"), so no page ever lists an area without one.
    if created and not kwargs.get("raw"):
        area_paths_refresh([instance.pk])


post_save.connect(_area_saved, sender=LocalArea, dispatch_uid="area-path-new-area")
for _model in (Inspection, Revisit, SignificantWeakness, WrittenStatementOfAction, ProgressJudgement):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"area-path-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"area-path-delete-{_model.__name__}")
