"""Reads of the area register: one area by GSS code, and its history through replaced-by links."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from django.db import connections, router
from django.db.models import Exists, Q, TextField
from django.db.models.functions import Cast
from django.utils.text import slugify

from areas.models import LocalArea

GSS_CODE = re.compile(r"^[EWSN]\d{8}$", re.IGNORECASE)


def area_get_by_gss(gss: str) -> LocalArea | None:
    return LocalArea.objects.filter(gss_code=(gss or "").strip().upper()).first()


def area_slug(name: str) -> str:
    """An address part people can type for a name: "Telford & Wrekin" -> "telford-and-wrekin",
    "Kingston upon Hull, City of" -> "kingston-upon-hull-city-of"."""
    return slugify((name or "").replace("&", " and "))


def areas_by_slug(slug: str) -> list[LocalArea]:
    """The areas whose name, official name or an alternative or former name (the register's `alt_names`) has this
    slug (`area_slug`): none, one, or several (e.g. a name two authorities have held), current areas first, then by
    name. Reads the register once (161 rows)."""
    wanted = area_slug(slug.replace("-", " "))
    found = []
    for area in LocalArea.objects.only("id", "gss_code", "name", "official_name", "alt_names", "end_date", "start_date"):
        names = [area.name, area.official_name, *(area.alt_names or [])]
        if any(name and area_slug(name) == wanted for name in names):
            found.append(area)
    return sorted(found, key=lambda a: (a.end_date is not None, a.name))


def area_successors(area: LocalArea) -> list[LocalArea]:
    """Every area that took over from this one, directly or later (Dorset County -> Dorset, BCP), nearest
    generation first. Two queries, whatever the depth."""
    return _walk(area, forward=True)


def area_predecessors(area: LocalArea) -> list[LocalArea]:
    """Every area this one took over from, directly or earlier, nearest generation first (for a timeline
    that carries on a former authority's inspections)."""
    return _walk(area, forward=False)


def area_history(area: LocalArea) -> tuple[list[LocalArea], list[LocalArea]]:
    """(predecessors, successors) as `area_predecessors`/`area_successors` give them, in two queries for both
    (the link table once, the areas once): a timeline shows both directions (issue 13 item 8)."""
    links = list(LocalArea.replaced_by.through.objects.values_list("from_localarea_id", "to_localarea_id"))
    back, forth = _generations(area, links, forward=False), _generations(area, links, forward=True)
    found = LocalArea.objects.in_bulk([*back, *forth])
    order = lambda gens: sorted((found[pk] for pk in gens if pk in found),  # noqa: E731
                                key=lambda a: (gens[a.pk], a.name, a.gss_code))
    return order(back), order(forth)


def _walk(area: LocalArea, *, forward: bool) -> list[LocalArea]:
    # The link table holds a handful of rows (one per reorganisation), so read it whole and walk in Python.
    links = LocalArea.replaced_by.through.objects.values_list("from_localarea_id", "to_localarea_id")
    generation = _generations(area, links, forward=forward)
    found = LocalArea.objects.in_bulk(list(generation))
    return sorted(found.values(), key=lambda a: (generation[a.pk], a.name, a.gss_code))


def _generations(area: LocalArea, links, *, forward: bool) -> dict[int, int]:
    """{area id: generations away from `area`} following the (before, after) `links` forward or back."""
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
    return generation


def area_search(text: str, *, limit: int = 12) -> list[LocalArea]:
    """Areas of the register for a person choosing one by name: those whose name, official name or an alternative
    or former name contains `text` (case-insensitive), then the closest names by spelling (rapidfuzz, already the
    resolver's matcher) so a misprint ("Gatehsead") still finds its area. Current and former authorities alike
    (each carries its dates); at most `limit`, best first. Reads the register once (161 rows)."""
    from rapidfuzz import fuzz, process

    words = " ".join((text or "").split()).lower()
    areas = list(LocalArea.objects.all())
    if not words:
        return []

    def names(area: LocalArea) -> list[str]:
        return [n for n in (area.name, area.official_name, *(area.alt_names or [])) if n]

    contains = [a for a in areas if any(words in n.lower() for n in names(a))]
    choices = {(a.pk, i): n.lower() for a in areas for i, n in enumerate(names(a))}
    close = process.extract(words, choices, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=70)
    by_id = {a.pk: a for a in areas}
    ranked = list(dict.fromkeys([*(a.pk for a in sorted(contains, key=lambda a: (a.end_date is not None, a.name))),
                                 *(key[0] for _, _, key in close)]))
    return [by_id[pk] for pk in ranked[:limit]]


def area_named(value: str, *, code: str, name: str) -> Q:
    """The condition "the row's area is the one `value` names", for lists filtered by `area=`.

    A GSS code names exactly that area. A name, official name or alternative name of the register written whole
    (any case) names the areas so called and those whose name begins with it as a word ("Dorset": Dorset and the
    former Dorset County; "Bournemouth": Bournemouth and Bournemouth, Christchurch and Poole) — never one whose name
    merely contains it: "York" is not North Yorkshire, "Derby" not Derbyshire, "Lincolnshire" not North
    Lincolnshire, and "Hull" (an alternative name) is Kingston upon Hull, not Solihull. Any other text is a part of
    a name ("yorkshire", "derb"): every area whose name contains it. `code` and `name` are the lookups of the row's
    area's GSS code and name ("area__gss_code", or an annotation). Subqueries only: no query of its own."""
    value = " ".join(value.split())
    by_code = LocalArea.objects.filter(gss_code__iexact=value)
    # An alternative name is an element of the JSON list, matched whole: its quotes bound it ("Hull", not
    # "Solihull"). The list's text escapes non-ASCII letters on SQLite (Django writes it with json.dumps) but not
    # on PostgreSQL (jsonb's text form).
    escaped = connections[router.db_for_read(LocalArea)].vendor != "postgresql"
    by_name = LocalArea.objects.alias(_alt=Cast("alt_names", TextField())).filter(
        Q(name__iexact=value) | Q(official_name__iexact=value) | Q(_alt__icontains=json.dumps(value, ensure_ascii=escaped))
    )
    begins = Q(**{f"{name}__istartswith": f"{value} "}) | Q(**{f"{name}__istartswith": f"{value},"})
    return (Q(**{f"{code}__in": by_code.values("gss_code")}) | Q(**{f"{code}__in": by_name.values("gss_code")})
            | (Q(Exists(by_name)) & begins)
            | (Q(~Exists(by_code)) & Q(~Exists(by_name)) & Q(**{f"{name}__icontains": value})))
