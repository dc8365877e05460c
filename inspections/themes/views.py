"""/analysis/themes/: what goes wrong and what gets fixed, by weakness theme (2016 revisits, 2023 priority actions
and monitoring), for England, a region and an area's statistical neighbours; .csv its numbers, .svg its charts.
/analysis/themes/about/: the taxonomy, the method and how well it finds each theme."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from areas.models import LocalArea
from inspections.analysis.charts import stacked_chart
from inspections.analysis.selectors import data_as_of
from inspections.analysis.views import _csv, _note, _svg
from sendtracker.access import public_read

from .classify import METHOD_VERSION
from .quality import measured, uncertain_themes
from .selectors import MONITORING_COLUMNS, REVISIT_COLUMNS, area_theme_shares, monitoring_by_theme, revisit_by_theme
from .taxonomy import ALL_KEYS, theme_label

CSV_HEADER = ["table", "scope", "theme", "theme_uncertain", "column", "count", "area_gss_codes"]
TABLES = {"revisit": REVISIT_COLUMNS, "monitoring": MONITORING_COLUMNS}
COLOURS = ["#0072B2", "#D55E00", "#999999", "#E69F00", "#56B4E9"]
TITLES = {"revisit": "2016: significant weaknesses judged at revisit, by theme",
          "monitoring": "2023: priority actions and areas for improvement, by theme"}


def _scopes(request: HttpRequest) -> tuple[list[tuple[str, dict]], LocalArea | None, str, HttpResponse | None]:
    """[(scope label, selector arguments)]: England, then the region (?region=), then the neighbours of ?area=<gss>."""
    region = request.GET.get("region", "")
    if region and region not in LocalArea.Region.values:
        return [], None, "", HttpResponseBadRequest(f"Unknown region {region!r}: use one of {', '.join(LocalArea.Region.values)}.")
    scopes: list[tuple[str, dict]] = [("England", {})]
    if region:
        scopes.append((region, {"region": region}))
    area = None
    gss = request.GET.get("area", "").strip().upper()
    if gss:
        area = LocalArea.objects.filter(gss_code=gss).first()
        if area is None:
            return [], None, "", HttpResponseBadRequest(f"No area with GSS code {gss}.")
        neighbours = list(LocalArea.objects.filter(gss_code__in=area.stat_neighbours or []).values_list("pk", flat=True))
        scopes.append((f"{area.name}'s statistical neighbours", {"area_ids": neighbours}))
    return scopes, area, region, None


def _cell_url(table: str, theme: str, column: str, scope_args: dict) -> str | None:
    """The weaknesses list behind a count, when its filters can say the scope (England or a region)."""
    if "area_ids" in scope_args:
        return None
    query = {"theme": theme, **({"region": scope_args["region"]} if "region" in scope_args else {})}
    if table == "revisit":
        query |= {"framework": "2016", "kind": "significant_weakness",
                  "judgement": {"sufficient": "sufficient", "insufficient": "insufficient"}.get(column, "")}
    else:
        query |= {"framework": "2023", "kind": column if column in ("priority_action", "improvement_area") else "priority_action"}
        if column in ("effective", "not_effective"):
            query["judgement"] = "sufficient" if column == "effective" else "insufficient"
    return "/weaknesses/?" + urlencode({k: v for k, v in query.items() if v})


@public_read
def themes_page(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """?region=<one of England's nine>&area=<GSS code> (its statistical neighbours); .csv every table's numbers with
    the areas behind each count; .svg?table=revisit|monitoring the chart of the narrowest scope asked for.
    Queries: two per scope for the revisit table, three for the monitoring table, one for the data's date."""
    scopes, area, region, bad = _scopes(request)
    if bad:
        return bad
    as_of = data_as_of()
    tables = {"revisit": [(label, args, revisit_by_theme(**args)) for label, args in scopes],
              "monitoring": [(label, args, monitoring_by_theme(**args)) for label, args in scopes]}
    if fmt == "csv":
        rows = []
        for table, per_scope in tables.items():
            for label, _, theme_rows in per_scope:
                for r in theme_rows:
                    for column, _ in TABLES[table]:
                        rows.append((table, label, r.key, r.uncertain, column, r.get(column), " ".join(r.areas[column])))
        return _csv("themes" + (f"-{region.lower().replace(' ', '-')}" if region else "") +
                    (f"-neighbours-{area.gss_code}" if area else ""), CSV_HEADER, rows, as_of=as_of)
    charts = {}
    for table, per_scope in tables.items():
        label, _, theme_rows = per_scope[-1]
        charts[table] = stacked_chart(
            f"{TITLES[table]}, {label}",
            [(r.label + (" (uncertain)" if r.uncertain else ""), [r.get(c) for c, _ in TABLES[table]]) for r in theme_rows],
            [(words, colour) for (_, words), colour in zip(TABLES[table], COLOURS)],
            note=_note(as_of, f"Themes by keyword rules {METHOD_VERSION}; '(uncertain)': found unreliably, not a fact."))
    if fmt == "svg":
        table = request.GET.get("table", "revisit")
        if table not in charts:
            return HttpResponseBadRequest("Unknown table: use revisit or monitoring.")
        return _svg(f"themes-{table}", charts[table])
    sections = []
    scope_query = {k: v for k, v in (("region", region), ("area", area.gss_code if area else "")) if v}
    for table, per_scope in tables.items():
        scoped = []
        for label, args, theme_rows in per_scope:
            scoped.append((label, [(r, [(column, r.get(column), r.areas[column], _cell_url(table, r.key, column, args))
                                        for column, _ in TABLES[table]]) for r in theme_rows]))
        sections.append({"key": table, "title": TITLES[table], "columns": TABLES[table], "scopes": scoped,
                         "svg": mark_safe(charts[table]),  # noqa: S308 - built escaped (charts.py)
                         "svg_url": "/analysis/themes.svg?" + urlencode({**scope_query, "table": table})})
    query = urlencode(scope_query)
    return render(request, "themes/analysis.html", {
        "sections": sections, "region": region, "regions": LocalArea.Region.values, "area": area,
        "areas": LocalArea.objects.filter(end_date__isnull=True).order_by("name").values_list("gss_code", "name"),
        "as_of": as_of, "today": timezone.localdate(), "query": f"?{query}" if query else "",
        "uncertain": [theme_label(k) for k in ALL_KEYS if k in uncertain_themes()],
    })


@public_read
def about(request: HttpRequest) -> HttpResponse:
    """The taxonomy, the method, and its measurement on the held-out test split (inspections/themes/measured.json)."""
    try:
        record = measured()
    except FileNotFoundError:
        record = None
    rows = []
    for key in ALL_KEYS:
        scores = (record or {}).get("themes", {}).get(key, {})
        rows.append({"key": key, "label": theme_label(key), **scores, "uncertain": key in uncertain_themes()})
    return render(request, "themes/about.html", {"record": record, "rows": rows, "method_version": METHOD_VERSION})


@public_read
def area_themes(request: HttpRequest, gss: str, fmt: str = "html") -> HttpResponse:
    """/analysis/themes/area/<gss>/: the area's weakness themes (every framework and kind) beside its statistical
    neighbours' and England's, as shares of each one's classified weaknesses; part/: the table alone, which the
    area page loads after it has rendered (so the timeline's own queries do not grow). Four queries."""
    area = LocalArea.objects.filter(gss_code=gss.upper()).first()
    if area is None:
        raise Http404(f"No area with GSS code {gss}")
    neighbours = list(LocalArea.objects.filter(gss_code__in=area.stat_neighbours or []).values_list("pk", flat=True))
    shares = area_theme_shares(area_ids=[area.pk], neighbour_ids=neighbours)
    totals = shares["totals"]
    rows = [(r, [(column, r.get(column), round(100 * r.get(column) / totals[column]) if totals[column] else None)
                 for column in ("area", "neighbours", "england")]) for r in shares["rows"]]
    template = "themes/_area_part.html" if fmt == "part" else "themes/area.html"
    return render(request, template, {"area": area, "rows": rows, "totals": totals, "neighbour_count": len(neighbours)})
