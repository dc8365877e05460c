"""Read side of areas' paths: the facts `derive_path` reads, and paths derived "as at" a date (never stored).

The stored path (`inspections.models.AreaPath`, written by services.py) is the area's path *now*. A list asked for
its areas as at an earlier date (`?as_at=2021-03-31`) derives each path again from the same facts with the same
function (`derive.derive_path(facts, as_at=...)`), so "as at" and "now" can never follow different rules.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Max

from inspections.models import AreaPath as StoredPath
from inspections.models import Inspection, ProgressJudgement, Revisit, SignificantWeakness, WrittenStatementOfAction
from inspections.paths.derive import AreaFacts, AreaPath, InspectionFact, Judgement, RevisitFact, derive_path

_JUDGED_KIND = {"2016": SignificantWeakness.Kind.SIGNIFICANT_WEAKNESS, "2023": SignificantWeakness.Kind.PRIORITY_ACTION}


def area_facts(area_ids: Iterable[int]) -> dict[int, AreaFacts]:
    """{area id: AreaFacts} of the areas' visible (non-rejected) facts. Five queries, whatever the number of areas."""
    ids = list(area_ids)
    inspections = list(Inspection.objects.filter(area_id__in=ids).order_by().values(
        "id", "area_id", "framework", "kind", "start_date", "end_date", "published_date", "letter_date", "outcome",
        "next_inspection_text", "source_kind", "needs_review", "is_placeholder", "previous_inspection_start",
        "previous_inspection_id", "source_document__original_name", "stated_weaknesses", "period_text"))
    inspection_ids = [i["id"] for i in inspections]
    weakness_counts = defaultdict(dict)
    for row in (SignificantWeakness.objects.filter(inspection_id__in=inspection_ids).order_by()
                .values("inspection_id", "kind").annotate(n=Count("id"))):
        weakness_counts[row["inspection_id"]][row["kind"]] = row["n"]
    wsoas = {w["inspection_id"]: w for w in WrittenStatementOfAction.objects.filter(
        inspection_id__in=inspection_ids).order_by().values("inspection_id", "fit_for_purpose_on")}
    revisits = list(Revisit.objects.filter(inspection_id__in=inspection_ids).order_by().values(
        "id", "inspection_id", "kind", "start_date", "end_date", "letter_date", "overall", "next_steps",
        "source_kind", "needs_review", "source_document__original_name", "stated_sufficient", "stated_insufficient",
        "period_text"))
    judgements = defaultdict(list)
    for j in ProgressJudgement.objects.filter(revisit_id__in=[r["id"] for r in revisits], weakness__rejected=False
                                              ).order_by().values("revisit_id", "weakness_id", "sufficient_progress",
                                                                  "needs_review", "source_kind"):
        judgements[j["revisit_id"]].append(Judgement(j["weakness_id"], j["sufficient_progress"], j["needs_review"],
                                                     j["source_kind"]))
    # A report naming an earlier visit: that visit is "held" when linked to a row, or when a placeholder (a record
    # of its own) was made for it on that date.
    placeholder_starts = {(i["area_id"], i["start_date"]) for i in inspections if i["is_placeholder"]}
    by_area: dict[int, tuple[list, list]] = {area_id: ([], []) for area_id in ids}
    area_of = {}
    for i in inspections:
        area_of[i["id"]] = i["area_id"]
        previous = i["previous_inspection_start"]
        by_area[i["area_id"]][0].append(InspectionFact(
            id=i["id"], framework=i["framework"], kind=i["kind"], start=i["start_date"], end=i["end_date"],
            published=i["published_date"], letter=i["letter_date"], outcome=i["outcome"] or "",
            next_text=i["next_inspection_text"] or "", source_kind=i["source_kind"], needs_review=i["needs_review"],
            placeholder=i["is_placeholder"], known_from=i["source_document__original_name"] or "",
            weaknesses=weakness_counts[i["id"]].get(_JUDGED_KIND.get(i["framework"], ""), 0),
            stated_weaknesses=i["stated_weaknesses"],
            previous_start=previous,
            previous_held=bool(previous is None or i["previous_inspection_id"]
                               or (i["area_id"], previous) in placeholder_starts),
            wsoa_fit_on=wsoas.get(i["id"], {}).get("fit_for_purpose_on"), wsoa_held=i["id"] in wsoas,
            document=i["source_document__original_name"] or "", period=i["period_text"] or "",
        ))
    for r in revisits:
        by_area[area_of[r["inspection_id"]]][1].append(RevisitFact(
            id=r["id"], inspection_id=r["inspection_id"], kind=r["kind"], start=r["start_date"], end=r["end_date"],
            letter=r["letter_date"], overall=r["overall"] or "", next_steps=r["next_steps"] or "",
            source_kind=r["source_kind"], needs_review=r["needs_review"], judgements=tuple(judgements[r["id"]]),
            document=r["source_document__original_name"] or "",
            stated_sufficient=r["stated_sufficient"], stated_insufficient=r["stated_insufficient"],
            period=r["period_text"] or "",
        ))
    return {area_id: AreaFacts(tuple(i), tuple(r)) for area_id, (i, r) in by_area.items()}


def paths_as_at(area_ids: Iterable[int], *, as_at: dt.date) -> dict[int, AreaPath]:
    """{area id: its path as at `as_at`}: only what had started (or, undated, been written or published) by that
    day counts (`derive_path`'s rule). One query when the same question was answered since the facts last changed
    (kept in this process: a notebook asks for the same release date again and again; at ten times today's data a
    derivation is ~300 ms), else six (`area_facts`), whatever the number of areas."""
    ids = tuple(sorted(set(area_ids)))
    # Any change of a fact re-derives its area's stored path (services.py), so the latest derivation time and the
    # number of stored paths change whenever an answer could.
    stamp = tuple(StoredPath.objects.aggregate(latest=Max("derived_at"), n=Count("pk")).values())
    key = (as_at, hash(ids), len(ids), stamp)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    paths = {area_id: derive_path(facts, as_at=as_at) for area_id, facts in area_facts(ids).items()}
    with _cache_lock:
        _cache[key] = paths
        while len(_cache) > _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))  # the oldest answer
    return paths


_CACHE_SIZE = 8
_cache: dict[tuple, dict[int, AreaPath]] = {}
_cache_lock = threading.Lock()


def forget_paths_as_at() -> None:
    """Drop the answers kept (tests: a rolled-back database can repeat a stamp)."""
    with _cache_lock:
        _cache.clear()
