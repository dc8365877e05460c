"""Reads of the area register: one area by GSS code, and its history through replaced-by links."""

from __future__ import annotations

from collections import defaultdict

from areas.models import LocalArea


def area_get_by_gss(gss: str) -> LocalArea | None:
    return LocalArea.objects.filter(gss_code=(gss or "").strip().upper()).first()


def area_successors(area: LocalArea) -> list[LocalArea]:
    """Every area that took over from this one, directly or later (Dorset County -> Dorset, BCP), nearest
    generation first. Two queries, whatever the depth."""
    return _walk(area, forward=True)


def area_predecessors(area: LocalArea) -> list[LocalArea]:
    """Every area this one took over from, directly or earlier, nearest generation first (for a timeline
    that carries on a former authority's inspections)."""
    return _walk(area, forward=False)


def _walk(area: LocalArea, *, forward: bool) -> list[LocalArea]:
    # The link table holds a handful of rows (one per reorganisation), so read it whole and walk in Python.
    links = LocalArea.replaced_by.through.objects.values_list("from_localarea_id", "to_localarea_id")
    step = defaultdict(list)
    for before, after in links:
        if forward:
            step[before].append(after)
        else:
            step[after].append(before)
    generation = {area.pk: 0}
    frontier = [area.pk]
    while frontier:
        following = []
        for pk in frontier:
            for nxt in step[pk]:
                if nxt not in generation:  # also stops a (mistaken) cycle
                    generation[nxt] = generation[pk] + 1
                    following.append(nxt)
        frontier = following
    del generation[area.pk]
    found = LocalArea.objects.in_bulk(list(generation))
    return sorted(found.values(), key=lambda a: (generation[a.pk], a.name, a.gss_code))
