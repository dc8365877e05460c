"""Reading weakness themes: the columns lists and exports add, the filter, and the counts the dashboard, the area
page and the analysis page show. Every count is one query (or one per table), whatever the number of areas.

A theme the rules find unreliably (inspections/themes/quality.py: recall below 0.6 on the held-out test split)
is "uncertain": counted apart and shown with that word, never as fact. An analyst's theme is a fact whatever
the rules' measurement (a person decided it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Aggregate, CharField, Count, Exists, Min, OuterRef, Q, QuerySet, Subquery

from inspections.models import WeaknessTheme

from .quality import uncertain_themes
from .taxonomy import ALL_KEYS, ordered, theme_label

SEPARATOR = ";"


class _Joined(Aggregate):
    """The theme keys of a group joined by ';' (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL); order is
    not guaranteed by SQLite, so readers put the keys in taxonomy order (`split_keys`)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ';')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra)


def theme_columns(weakness_ref: str = "pk") -> dict:
    """Annotations for a weakness queryset: `theme_keys` ('a;b', unordered; None when not classified) and
    `theme_method` ('analyst' when an analyst decided, else 'rules'). Two correlated subqueries, no extra query."""
    mine = WeaknessTheme.objects.filter(weakness_id=OuterRef(weakness_ref)).order_by().values("weakness_id")
    return {
        "theme_keys": Subquery(mine.annotate(k=_Joined("theme")).values("k")[:1], output_field=CharField()),
        "theme_method": Subquery(mine.annotate(m=Min("method")).values("m")[:1], output_field=CharField()),
    }


def split_keys(keys: str | None, method: str | None) -> tuple[list[str], list[str]]:
    """(themes shown as fact, themes marked uncertain), each in taxonomy order, from `theme_columns`' values."""
    found = ordered(k for k in (keys or "").split(SEPARATOR) if k)
    if method == WeaknessTheme.Method.ANALYST:
        return found, []
    unsure = uncertain_themes()
    return [k for k in found if k not in unsure], [k for k in found if k in unsure]


def with_theme(queryset: QuerySet, key: str, weakness_ref: str = "id") -> QuerySet:
    """The rows of a weakness queryset holding theme `key`."""
    return queryset.filter(Exists(WeaknessTheme.objects.filter(weakness_id=OuterRef(weakness_ref), theme=key)))


@dataclass(frozen=True)
class ThemeLabel:
    key: str
    label: str
    uncertain: bool


def theme_labels(keys: Iterable[str], *, uncertain: Iterable[str] = ()) -> list[ThemeLabel]:
    unsure = set(uncertain)
    return [ThemeLabel(k, theme_label(k), k in unsure) for k in ordered(keys)]


@dataclass(frozen=True)
class WeaknessThemeRow:
    key: str
    label: str
    uncertain: bool  # the rules' theme, found unreliably (an analyst's theme never is)
    method: str  # "rules" or "analyst"
    method_version: str
    evidence: str


def weakness_themes(weakness_id: int) -> list[WeaknessThemeRow]:
    """One weakness's themes in taxonomy order, with what decided each. One query."""
    unsure = uncertain_themes()
    rows = {r.theme: r for r in WeaknessTheme.objects.filter(weakness_id=weakness_id)}
    return [WeaknessThemeRow(k, theme_label(k), rows[k].method != WeaknessTheme.Method.ANALYST and k in unsure,
                             rows[k].method, rows[k].method_version, rows[k].evidence) for k in ordered(rows)]


def theme_choices() -> list[tuple[str, str]]:
    """The filter's choices, an uncertain theme's label saying so."""
    unsure = uncertain_themes()
    return [(k, theme_label(k) + (" (uncertain)" if k in unsure else "")) for k in ALL_KEYS]


# --- counts ---------------------------------------------------------------------------------------

@dataclass
class ThemeCount:
    key: str
    label: str
    uncertain: bool
    counts: dict[str, int] = field(default_factory=dict)  # column -> weaknesses
    areas: dict[str, list[str]] = field(default_factory=dict)  # column -> GSS codes behind the count

    def get(self, column: str) -> int:
        return self.counts.get(column, 0)


def _visible(qs: QuerySet) -> QuerySet:
    # Facts an analyst rejected, or whose inspection was rejected, are counted nowhere (as on every page).
    return qs.filter(weakness__rejected=False, weakness__inspection__rejected=False)


def _rows(by: dict[tuple[str, str], int], columns: Iterable[str], areas: dict | None = None) -> list[ThemeCount]:
    unsure = uncertain_themes()
    out = []
    for key in ALL_KEYS:
        counts = {c: by.get((key, c), 0) for c in columns}
        if not any(counts.values()):
            continue
        row = ThemeCount(key, theme_label(key), key in unsure, counts)
        if areas is not None:
            row.areas = {c: sorted(areas.get((key, c), ())) for c in columns}
        out.append(row)
    return out


def themes_by_framework_and_outcome() -> dict:
    """The dashboard's table: per theme, weaknesses of each framework, and of each inspection outcome. One query.

    Returns {"columns": [(column key, label)], "rows": [ThemeCount]}; column keys are "2016", "2023" and
    "outcome:<outcome>"."""
    rows = (_visible(WeaknessTheme.objects).values("theme", "weakness__inspection__framework",
                                                   "weakness__inspection__outcome")
            .annotate(n=Count("weakness_id", distinct=True)).order_by())
    by: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        by[(r["theme"], r["weakness__inspection__framework"])] += r["n"]
        by[(r["theme"], f"outcome:{r['weakness__inspection__outcome'] or 'none'}")] += r["n"]
    from inspections.models import Inspection

    outcome_labels = dict(Inspection.Outcome.choices)
    columns = [("2016", "2016 framework"), ("2023", "2023 framework")]
    columns += [(f"outcome:{o}", outcome_labels[o]) for o in ("wsoa_required", "no_wsoa", "positive", "inconsistent",
                                                                 "systemic_failings")]
    return {"columns": columns, "rows": _rows(by, [c for c, _ in columns])}


def area_theme_shares(*, area_ids: Iterable[int], neighbour_ids: Iterable[int]) -> dict:
    """{"rows": [ThemeCount with counts for "area", "neighbours", "england"], "totals": {column: weaknesses}}.

    Shares are counts / totals (a weakness with two themes counts under both). Two queries."""
    area_ids, neighbour_ids = set(area_ids), set(neighbour_ids)
    by: dict[tuple[str, str], int] = defaultdict(int)
    theme_rows = (_visible(WeaknessTheme.objects).values("theme", "weakness__inspection__area_id")
                  .annotate(n=Count("weakness_id", distinct=True)).order_by())
    for r in theme_rows:
        area = r["weakness__inspection__area_id"]
        by[(r["theme"], "england")] += r["n"]
        if area in area_ids:
            by[(r["theme"], "area")] += r["n"]
        if area in neighbour_ids:
            by[(r["theme"], "neighbours")] += r["n"]
    from inspections.models import SignificantWeakness

    totals = {"area": 0, "neighbours": 0, "england": 0}
    classified = SignificantWeakness.objects.filter(inspection__rejected=False).filter(
        Exists(WeaknessTheme.objects.filter(weakness_id=OuterRef("pk"))))
    for r in classified.values("inspection__area_id").annotate(n=Count("id")).order_by():
        totals["england"] += r["n"]
        if r["inspection__area_id"] in area_ids:
            totals["area"] += r["n"]
        if r["inspection__area_id"] in neighbour_ids:
            totals["neighbours"] += r["n"]
    return {"rows": _rows(by, ["area", "neighbours", "england"]), "totals": totals}


# --- what gets fixed ------------------------------------------------------------------------------

REVISIT_COLUMNS = (("sufficient", "Sufficient progress"), ("insufficient", "Not sufficient progress"),
                   ("unknown", "Judgement not known"))
MONITORING_COLUMNS = (("priority_action", "Priority actions"), ("improvement_area", "Areas for improvement"),
                      ("effective", "Priority action: effective action at monitoring"),
                      ("not_effective", "Priority action: not effective at monitoring"),
                      ("unknown", "Priority action: monitoring verdict not known"))


def _verdict(value: bool | None, yes: str, no: str) -> str:
    return "unknown" if value is None else (yes if value else no)


def _scoped(qs: QuerySet, area_path: str, *, region: str = "", area_ids: Iterable[int] | None = None) -> QuerySet:
    if region:
        qs = qs.filter(**{f"{area_path}__region": region})
    if area_ids is not None:
        qs = qs.filter(**{f"{area_path}_id__in": list(area_ids)})
    return qs


def _count_judged(judged: QuerySet, yes: str, no: str, by: dict, areas: dict) -> None:
    """Add each judgement's verdict (`yes`, `no` or "unknown") under every theme of its weakness. Two queries."""
    themes_of = defaultdict(list)
    for r in WeaknessTheme.objects.filter(weakness_id__in=judged.values("weakness_id")).values("weakness_id", "theme"):
        themes_of[r["weakness_id"]].append(r["theme"])
    for j in judged.values("weakness_id", "sufficient_progress", "weakness__inspection__area__gss_code"):
        column = _verdict(j["sufficient_progress"], yes, no)
        for theme in themes_of[j["weakness_id"]]:
            by[(theme, column)] += 1
            areas[(theme, column)].add(j["weakness__inspection__area__gss_code"])


def revisit_by_theme(*, region: str = "", area_ids: Iterable[int] | None = None) -> list[ThemeCount]:
    """2016 framework: per theme, the significant weaknesses judged at a revisit — sufficient progress, not, or a
    judgement whose verdict is not known — with the areas (GSS codes) behind each count. Two queries.

    Scope: England (default), one region, or the areas `area_ids` (an area's statistical neighbours). A weakness
    judged at two revisits counts at each (each is a judgement); rejected judgements, weaknesses and revisits are
    left out."""
    from inspections.models import ProgressJudgement

    judged = ProgressJudgement.objects.filter(
        revisit__kind="revisit", revisit__rejected=False, weakness__rejected=False,
        weakness__inspection__rejected=False, weakness__kind="significant_weakness")
    judged = _scoped(judged, "weakness__inspection__area", region=region, area_ids=area_ids)
    by: dict[tuple[str, str], int] = defaultdict(int)
    areas: dict[tuple[str, str], set] = defaultdict(set)
    _count_judged(judged, "sufficient", "insufficient", by, areas)
    return _rows(by, [c for c, _ in REVISIT_COLUMNS], areas)


def monitoring_by_theme(*, region: str = "", area_ids: Iterable[int] | None = None) -> list[ThemeCount]:
    """2023 framework: per theme, how many items are priority actions and how many areas for improvement, and of
    the priority actions judged at a monitoring inspection, how many were judged effective, not effective, or with
    a verdict not known. Areas (GSS codes) behind each count. Three queries."""
    from inspections.models import ProgressJudgement

    items = _scoped(_visible(WeaknessTheme.objects).filter(weakness__inspection__framework="2023",
                                                            weakness__kind__in=["priority_action", "improvement_area"]),
                    "weakness__inspection__area", region=region, area_ids=area_ids)
    by: dict[tuple[str, str], int] = defaultdict(int)
    areas: dict[tuple[str, str], set] = defaultdict(set)
    for r in items.values("theme", "weakness__kind", "weakness__inspection__area__gss_code").order_by():
        by[(r["theme"], r["weakness__kind"])] += 1
        areas[(r["theme"], r["weakness__kind"])].add(r["weakness__inspection__area__gss_code"])
    judged = ProgressJudgement.objects.filter(
        revisit__kind="monitoring_inspection", revisit__rejected=False, weakness__rejected=False,
        weakness__inspection__rejected=False, weakness__kind="priority_action")
    judged = _scoped(judged, "weakness__inspection__area", region=region, area_ids=area_ids)
    _count_judged(judged, "effective", "not_effective", by, areas)
    return _rows(by, [c for c, _ in MONITORING_COLUMNS], areas)


def recurring_priority_actions(limit: int = 5) -> list[ThemeCount]:
    """2023: the themes most often named as priority actions (count of priority actions, areas behind them)."""
    rows = monitoring_by_theme()
    return sorted((r for r in rows if r.get("priority_action")), key=lambda r: (-r.get("priority_action"), r.key))[:limit]


def least_resolved_at_revisit(limit: int = 5) -> list[ThemeCount]:
    """2016: the themes most often judged not sufficiently progressed at revisit."""
    rows = revisit_by_theme()
    return sorted((r for r in rows if r.get("insufficient")), key=lambda r: (-r.get("insufficient"), r.key))[:limit]


@dataclass
class DashboardThemes:
    """The dashboard's theme figures: `table` as `themes_by_framework_and_outcome`; `not_resolved` (2016) and
    `recurring` (2023): [(ThemeCount, count, of)] — weaknesses judged not sufficiently progressed at revisit (of
    those judged), priority actions (in how many areas) — most first."""

    table: dict
    not_resolved: list[tuple[ThemeCount, int, int]]
    recurring: list[tuple[ThemeCount, int, int]]


def dashboard_themes(limit: int = 5) -> DashboardThemes:
    """Three queries, whatever the number of areas (the dashboard keeps the result with its snapshot)."""
    table = themes_by_framework_and_outcome()
    judged = (_visible(WeaknessTheme.objects)
              .filter(weakness__kind="significant_weakness", weakness__judgements__revisit__kind="revisit",
                      weakness__judgements__rejected=False, weakness__judgements__revisit__rejected=False)
              .values("theme", "weakness__judgements__sufficient_progress")
              .annotate(n=Count("weakness__judgements__id")).order_by())
    verdicts: dict[str, dict] = defaultdict(lambda: {"insufficient": 0, "all": 0})
    for r in judged:
        verdicts[r["theme"]]["all"] += r["n"]
        if r["weakness__judgements__sufficient_progress"] is False:
            verdicts[r["theme"]]["insufficient"] += r["n"]
    actions = (_visible(WeaknessTheme.objects).filter(weakness__kind="priority_action")
               .values("theme").annotate(n=Count("weakness_id", distinct=True),
                                         areas=Count("weakness__inspection__area_id", distinct=True)).order_by())
    unsure = uncertain_themes()

    def count(key: str) -> ThemeCount:
        return ThemeCount(key, theme_label(key), key in unsure)

    not_resolved = sorted(((count(k), v["insufficient"], v["all"]) for k, v in verdicts.items() if v["insufficient"]),
                          key=lambda t: (-t[1], t[0].key))[:limit]
    recurring = sorted(((count(r["theme"]), r["n"], r["areas"]) for r in actions), key=lambda t: (-t[1], t[0].key))[:limit]
    return DashboardThemes(table, not_resolved, recurring)
