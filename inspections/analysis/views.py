import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from areas.models import LocalArea
from inspections.analysis.charts import box_chart, stacked_chart
from inspections.analysis.durations import MEASURES, Summary
from inspections.analysis.figures import Comparison, area_comparison, due_list, outcome_trends, path_table, stage_times
from inspections.analysis.forms import DueFilter
from inspections.analysis.national import national_context
from inspections.analysis.paths import OUTCOME_LABELS as PATH_OUTCOME_LABELS
from inspections.analysis.paths import OUTCOMES as PATH_OUTCOMES
from inspections.analysis.paths import PATH_LABELS, PATHS
from inspections.analysis.selectors import OUTCOME_COLOURS, STATUSES, Dashboard, dashboard_summary
from inspections.ingest.sources.selectors import fetch_currency
from inspections.analysis.snapshot import snapshot
from inspections.analysis.trends import BASES, PERIODS
from inspections.facts.exports import csv_lines, format_cell
from inspections.themes.selectors import dashboard_themes
from inspections.vocabulary import plural
from sendtracker.access import public_read

DAYS = ("day", "days")

# The map's ~190 shapes and the table of every area are built with format_html_join (escaped like a
# template) rather than template loops: at ten times today's data that halves the page's render time. They are
# built once per snapshot of the facts and region (`_dashboard_parts`), not per request (issue 15 item 7).
_SHAPE = ('<a href="/areas/{}/" class="{}" data-gss="{}" data-status="{}"{}><path d="{}" fill="{}">'
          "<title>{}: {}</title></path></a>\n")
_ROW = ('<tr><td><a href="/areas/{}/">{}</a>{}</td><td><span class="swatch" style="--swatch: {}"></span>{}</td></tr>\n')


# Inset shapes repeat shapes of the main map, inside an aria-hidden group: out of the tab order. Marked safe, or
# format_html_join would escape it into tabindex="&quot;-1&quot;", which browsers ignore (axe: aria-hidden-focus).
_NOT_IN_TAB_ORDER = mark_safe(' tabindex="-1"')


def _map_class(a, inset: bool = False) -> str:
    return "map-area" + (" map-area-inset" if inset else "") + ("" if a.in_region else " map-area-outside")


def _map_parts(d: Dashboard) -> dict:
    shapes = format_html_join(
        "", _SHAPE,
        ((a.gss, _map_class(a), a.gss, a.status.key, "", a.d, a.status.colour, a.name, a.status.label) for a in d.map_areas),
    )
    inset = format_html_join(
        "", _SHAPE,
        ((a.gss, _map_class(a, inset=True), a.gss, a.status.key, _NOT_IN_TAB_ORDER, a.d, a.status.colour, a.name,
          a.status.label) for a in (d.inset or {}).get("areas", [])),
    )
    # With a region, the table lists that region's areas only (the map still draws England, the rest faded).
    rows = format_html_join("", _ROW, (
        *((a.gss, a.name, "", a.status.colour, a.status.label) for a in d.map_areas if a.in_region),
        *((gss, name, " (not on the map)", status.colour, status.label) for gss, name, status in d.unmapped),
    ))
    return {"map_shapes": shapes, "inset_shapes": inset, "map_rows": rows}


def _dashboard_parts(region: str, params) -> dict:
    """The dashboard's figures and its map's markup for `region` ('' = England), from the analysis snapshot: built
    on the first request after the facts change (two queries besides the snapshot's, and two for the sources'
    currency line), then reused as is; with the national figures of `?as_at=` (analysis/national.py)."""
    snap = snapshot()

    def build() -> dict:
        summary = dashboard_summary(region, statuses=snap.statuses, areas=snap.areas)
        return {"d": summary, **_map_parts(summary)}

    # Weakness themes: national whatever the region (the card says so), built once per snapshot.
    return {**snap.once(f"dashboard:{region}", build), "themes": snap.once("dashboard:themes", dashboard_themes),
            **national_context(params, snap)}


@public_read
def dashboard(request: HttpRequest) -> HttpResponse:
    """/ (?region=<one of England's nine regions>): the national picture, or one region's: every figure, the
    map's highlight and every chart link scoped to it. An unknown region: 400, the error and no figures.
    Queries: the snapshot's fingerprint and the last successful fetch (two); after a change, the snapshot's
    and three more, once."""
    region = request.GET.get("region", "")
    context = {"statuses": STATUSES, "regions": LocalArea.Region.values, "region": region,
               "fetching_on": settings.FETCH_REPORTS_DAILY}
    if region and region not in LocalArea.Region.values:
        context["invalid_region"] = region
        return render(request, "analysis/dashboard.html", context, status=400)
    parts = _dashboard_parts(region, request.GET)
    currency = fetch_currency()  # one query: the last successful fetch and any trouble since, in words
    return render(request, "analysis/dashboard.html", {**context, **parts, "last_fetch": currency.last_success,
                                                       "fetch_problem": currency.problem},
                  status=400 if parts["as_at_error"] else 200)


# --- the analysis pages -----------------------------------------------------------------------------------
# Each page: a selector computes the figures; the view reads the filters from GET, renders the page or, with
# `.csv`, exactly the page's numbers (one csv helper with the list exports: BOM, formula escaping, INCOMPLETE).

def _facts_as_of(as_of) -> str:
    """The data's date as the page's "facts held as of" shows it (Europe/London, the page's zone), in ISO 8601 to
    the second: 2026-11-29T14:05:31+00:00. Empty when no document has been processed (the page says so)."""
    return timezone.localtime(as_of).isoformat(timespec="seconds") if as_of else ""


def _csv(name: str, header: list[str], rows, *, as_of) -> StreamingHttpResponse:
    """The download of one analysis table. Every row ends with `facts_as_of`, the data's date of the snapshot the
    view just computed from (a file cut out of a spreadsheet still says how old its figures are), and the filename
    carries that day after the day it was computed: sendtracker-due-2026-11-30-facts-2026-11-29.csv."""
    today = timezone.localdate().isoformat()
    stamp = _facts_as_of(as_of)
    body = csv_lines([[*header, "facts_as_of"], *([*(format_cell(v) for v in row), stamp] for row in rows)])
    response = StreamingHttpResponse((line.encode("utf-8") for line in body), content_type="text/csv; charset=utf-8")
    facts_day = f"-facts-{timezone.localtime(as_of).date().isoformat()}" if as_of else ""
    response["Content-Disposition"] = f'attachment; filename="sendtracker-{name}-{today}{facts_day}.csv"'
    return response


@dataclass
class SortLink:
    """A sortable column header (templates/facts/_sort_th.html): label, query (the link), aria_sort."""

    label: str
    query: str
    aria_sort: str


def _sort_links(request: HttpRequest, labels: dict[str, str], current: str) -> dict[str, SortLink]:
    links = {}
    for key, label in labels.items():
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        target = f"-{key}" if active and not descending else key
        params = {**request.GET.dict(), "sort": target}
        links[key] = SortLink(label, "?" + urlencode(params),
                              ("descending" if descending else "ascending") if active else "none")
    return links


# The due table's rows are built with format_html_join (escaped like a template): a few hundred rows through
# template tags and |date cost several times the rest of the page (as the dashboard's map table did).
_DUE_ROW = ('<tr class="due-{}" data-gss="{}"><th scope="row"><a href="/areas/{}/">{}</a></th>'
            '<td class="col-optional">{}</td><td class="col-optional"><span class="stage stage-{}">{}</span></td>'
            '<td>{}{}</td><td class="col-optional">{} <span class="muted">({})</span> + {} months</td>'
            '<td><strong>{}</strong><br><span class="{}">{}</span></td>'
            '<td class="col-optional"><q>{}</q>{}</td></tr>\n')
_UNCONFIRMED = mark_safe(' <span class="badge badge-review">unconfirmed</span>')  # noqa: S308 - a constant


def _day(d) -> str:
    """'9 Feb 2029' (English month abbreviations, as the rest of the site's |date:"j M Y")."""
    return f"{d.day} {d:%b %Y}" if d else ""


def _due_rows(rows: list[dict]) -> str:
    return format_html_join("", _DUE_ROW, (
        (r["row"].status, r["gss_code"], r["gss_code"], r["name"], r["region"] or "—", r["status"].key, r["status"].label,
         r["visit"].kind_label, _UNCONFIRMED if r["visit"].unconfirmed else "", _day(r["visit"].due_from),
         r["visit"].counted_from_label, r["visit"].months, _day(r["visit"].due_by),
         "overdue" if r["row"].status == "overdue" else "muted",
         f"overdue by {plural(-r['row'].days, DAYS)}" if r["row"].status == "overdue" else f"in {plural(r['row'].days, DAYS)}",
         r["visit"].sentence,
         format_html(' <a href="/facts/{}/{}/">source</a>', *r["visit"].source) if r["visit"].source else "")
        for r in rows))


DUE_CSV_HEADER = ["area_name", "area_gss_code", "region", "stage", "status", "next_visit_kind", "next_visit_due_from",
                  "counted_from", "window_months", "next_visit_due_by", "days_until_due", "unconfirmed", "sentence"]


@public_read
def due(request: HttpRequest, as_csv: bool = False) -> HttpResponse:
    """/analysis/due/: areas overdue or due within N months (?months=12&region=&outcome=&sort=); .csv: its rows."""
    form = DueFilter(request.GET or None)
    if request.GET and not form.is_valid():
        if as_csv:
            return HttpResponseBadRequest("Invalid filters: " + "; ".join(
                f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return render(request, "analysis/due.html", {"form": form, "invalid": True}, status=400)
    values = form.values() if request.GET else {"months": 12, "region": "", "outcome": "", "sort": "due"}
    result = due_list(today=timezone.localdate(), **values)
    if as_csv:
        return _csv(f"due{_in_region(values['region'])}", DUE_CSV_HEADER, (
            (r["name"], r["gss_code"], r["region"], r["status"].key, r["row"].status, r["visit"].kind,
             r["visit"].due_from, r["visit"].counted_from, r["visit"].months, r["visit"].due_by, r["row"].days,
             r["visit"].unconfirmed, r["visit"].sentence) for r in result.rows), as_of=result.as_of)
    query = request.GET.urlencode()
    return render(request, "analysis/due.html", {
        "form": form, "d": result, "as_of": result.as_of, "due_rows": _due_rows(result.rows),
        "export_url": "/analysis/due.csv" + (f"?{query}" if query else ""),
        "filtered": bool(values["region"] or values["outcome"] or request.GET.get("months")),
        "sorts": _sort_links(request, {"area": "Area", "region": "Region", "status": "Outcome or stage",
                                       "kind": "Next visit", "due": "Due by"}, values["sort"]),
        "overdue": sum(r["row"].status == "overdue" for r in result.rows),
    })


def _region(request: HttpRequest) -> tuple[str, HttpResponse | None]:
    """?region= validated against England's nine regions (no query); (region, None) or ("", a 400 response)."""
    region = request.GET.get("region", "")
    if region and region not in LocalArea.Region.values:
        return "", HttpResponseBadRequest(f"Unknown region {region!r}: use one of {', '.join(LocalArea.Region.values)}.")
    return region, None


def _in_region(region: str) -> str:
    """'-north-east' for a region, '' for England: a downloaded file's name says which region it holds."""
    return f"-{slugify(region)}" if region else ""


def _svg(name: str, svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sendtracker-{name}-{timezone.localdate().isoformat()}.svg"'
    return response


def _note(as_of, extra: str = "") -> str:
    when = as_of.strftime("%-d %B %Y") if as_of else "no document processed yet"
    return f"sendtracker, computed {timezone.localdate():%-d %B %Y} from facts as of {when}.{(' ' + extra) if extra else ''}"


DURATIONS_CSV_HEADER = ["scope", "measure", "count", "median_days", "q1_days", "q3_days", "min_days", "max_days",
                        "median_months", "left_out", "left_out_reasons", "unconfirmed", "not_counted", "not_counted_reasons"]


def _duration_rows(scope: str, summaries: dict[str, Summary]):
    for m in MEASURES:
        s = summaries[m.key]
        yield (scope, m.key, s.count, s.median, s.q1, s.q3, s.low, s.high, s.median_months, s.left_out,
               "; ".join(f"{n} {reason}" for reason, n in s.left_out_by_reason.items()), s.unconfirmed,
               sum(s.not_counted_by_reason.values()),
               "; ".join(f"{n} {reason}" for reason, n in s.not_counted_by_reason.items()))


def _box_rows(summaries: dict[str, Summary]) -> list[tuple[str, dict | None]]:
    return [(m.label, {"low": s.months("low"), "q1": s.months("q1"), "median": s.median_months, "q3": s.months("q3"),
                       "high": s.months("high"), "count": s.count} if s.count else None)
            for m in MEASURES for s in [summaries[m.key]]]


@public_read
def durations(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """/analysis/durations/ (?region=): each measure's distribution for England and, with a region, for it too.
    .csv: the table's numbers; .svg: the chart (England, or the region when one is chosen)."""
    region, bad = _region(request)
    if bad:
        return bad
    times = stage_times(region=region)
    england, scoped, as_of = times.england, times.region, times.as_of
    if fmt == "csv":
        rows = list(_duration_rows("England", england)) + (list(_duration_rows(region, scoped)) if scoped else [])
        return _csv(f"durations{_in_region(region)}", DURATIONS_CSV_HEADER, rows, as_of=as_of)
    shown = scoped or england
    svg = box_chart(f"Time between stages, {region or 'England'} (months)", _box_rows(shown), unit="months",
                    note=_note(as_of, "Box: quartiles; bar: median; line: range."))
    if fmt == "svg":
        return _svg(f"durations{_in_region(region)}", svg)
    query = request.GET.urlencode()
    return render(request, "analysis/durations.html", {
        "measures": [(m, england[m.key], scoped[m.key] if scoped else None) for m in MEASURES],
        "region": region, "regions": LocalArea.Region.values, "svg": mark_safe(svg), "as_of": as_of,  # noqa: S308 - built escaped
        "today": timezone.localdate(), "query": f"?{query}" if query else "",
    })


COMPARE_CSV_HEADER = ["area_gss_code", "measure", "scope", "count", "median_days", "q1_days", "q3_days", "min_days",
                      "max_days", "left_out", "unconfirmed"]


def _comparison(gss: str) -> Comparison:
    found = area_comparison(gss.upper())  # codes are upper case; /areas/e06000004/ answers too
    if found is None:
        raise Http404(f"No current area with GSS code {gss}")
    return found


@public_read
def compare(request: HttpRequest, gss: str, fmt: str = "html") -> HttpResponse:
    """/analysis/compare/<gss>/: the area beside its statistical neighbours, region and England; .csv its numbers;
    part/: the tables alone, which the area page loads into its include (templates/analysis/_area_comparison.html)."""
    c = _comparison(gss)
    if fmt == "csv":
        rows = []
        for m, scopes in c.measures:
            for scope, s in scopes.items():
                rows.append((c.area["gss_code"], m.key, scope, s.count, s.median, s.q1, s.q3, s.low, s.high, s.left_out,
                             s.unconfirmed))
        for status, row in c.stages:
            rows.append((c.area["gss_code"], f"stage:{status.key}", "area", int(row["area"]), "", "", "", "", "", "", ""))
            for scope in ("neighbours", "region", "england"):
                rows.append((c.area["gss_code"], f"stage:{status.key}", scope, row[scope][0], "", "", "", "", "", "", ""))
        return _csv(f"compare-{c.area['gss_code']}", COMPARE_CSV_HEADER, rows, as_of=c.as_of)
    template = "analysis/_comparison_part.html" if fmt == "part" else "analysis/compare.html"
    return render(request, template, {"c": c, "as_of": c.as_of, "today": timezone.localdate()})


@public_read
def compare_index(request: HttpRequest) -> HttpResponse:
    """/analysis/compare/?area=<gss>: a chooser that sends to the area's comparison."""
    gss = request.GET.get("area", "").strip().upper()
    if gss:
        return redirect(f"/analysis/compare/{gss}/")
    areas = LocalArea.objects.filter(end_date__isnull=True).order_by("name").values_list("gss_code", "name")
    return render(request, "analysis/compare_index.html", {"areas": areas})


@public_read
def index(request: HttpRequest) -> HttpResponse:
    """/analysis/: what each analysis page answers."""
    return render(request, "analysis/index.html")


PATHS_CSV_HEADER = ["path_2016", "outcome_2023", "areas", "unconfirmed", "area_gss_codes"]


def _path_url(path: str, outcome: str, region: str) -> str:
    return "/analysis/paths/areas/?" + urlencode({k: v for k, v in (("path", path), ("outcome", outcome),
                                                                   ("region", region)) if v})


@public_read
def paths(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """/analysis/paths/ (?region=): 2016 path × 2023 outcome, each cell linking to its areas; .csv, .svg."""
    region, bad = _region(request)
    if bad:
        return bad
    table = path_table(region=region)
    if fmt == "csv":
        return _csv(f"paths{_in_region(region)}", PATHS_CSV_HEADER, (
            (p, o, len(table.cells[(p, o)]), table.unconfirmed[(p, o)], " ".join(a["gss_code"] for a in table.cells[(p, o)]))
            for p, _ in PATHS for o, _ in PATH_OUTCOMES), as_of=table.as_of)
    as_of = table.as_of
    colours = {**OUTCOME_COLOURS, "outcome_unrecorded": OUTCOME_COLOURS[""], "not_inspected": "#DDDDDD"}
    svg = stacked_chart(
        f"2023 outcome by 2016 path, {region or 'England'} (areas)",
        [(label, [len(table.cells[(p, o)]) for o, _ in PATH_OUTCOMES]) for p, label in PATHS],
        [(label, colours[o]) for o, label in PATH_OUTCOMES], note=_note(as_of))
    if fmt == "svg":
        return _svg(f"paths{_in_region(region)}", svg)
    rows = []
    for p, label in PATHS:
        cells = [(o, len(table.cells[(p, o)]), table.unconfirmed[(p, o)], _path_url(p, o, region)) for o, _ in PATH_OUTCOMES]
        rows.append((p, label, cells, sum(c[1] for c in cells)))
    totals = [sum(len(table.cells[(p, o)]) for p, _ in PATHS) for o, _ in PATH_OUTCOMES]
    query = request.GET.urlencode()
    return render(request, "analysis/paths.html", {
        "rows": rows, "outcomes": PATH_OUTCOMES, "totals": totals, "table": table, "region": region,
        "regions": LocalArea.Region.values, "svg": mark_safe(svg), "as_of": as_of,  # noqa: S308 - built escaped
        "today": timezone.localdate(), "query": f"?{query}" if query else "",
    })


@public_read
def path_areas(request: HttpRequest) -> HttpResponse:
    """/analysis/paths/areas/?path=&outcome=&region=: the areas of one cross-table cell (either key may be
    omitted: the whole row or column)."""
    region, bad = _region(request)
    if bad:
        return bad
    path, outcome = request.GET.get("path", ""), request.GET.get("outcome", "")
    if (path and path not in PATH_LABELS) or (outcome and outcome not in PATH_OUTCOME_LABELS):
        return HttpResponseBadRequest("Unknown path or outcome.")
    table = path_table(region=region)
    areas = sorted((a for (p, o), rows in table.cells.items() if (not path or p == path) and (not outcome or o == outcome)
                    for a in rows), key=lambda a: a["name"])
    return render(request, "analysis/path_areas.html", {
        "areas": areas, "path_label": PATH_LABELS.get(path, "any 2016 path"),
        "outcome_label": PATH_OUTCOME_LABELS.get(outcome, "any 2023 outcome"), "region": region,
    })


TRENDS_CSV_HEADER = ["scope", "series", "basis", "period", "period_label", "outcome", "count", "share_of_period"]


@public_read
def trends_page(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """/analysis/trends/?period=month|quarter|calendar_year|academic_year (default academic_year)&basis=publication|
    inspection (default publication)&region= (one of England's nine; its current areas only, as /analysis/durations/):
    outcome counts and shares per series, every period from the first held to the last (empty ones with 0); .csv
    the same numbers; .svg?series=<kind> one series' chart (default the 2023 inspections)."""
    period = request.GET.get("period", "academic_year")
    basis = request.GET.get("basis", "publication")
    if period not in PERIODS or basis not in BASES:
        return HttpResponseBadRequest(f"Unknown period or basis: use period one of {', '.join(PERIODS)}, "
                                      f"basis one of {', '.join(BASES)}.")
    region, bad = _region(request)
    if bad:
        return bad
    raw_as_at = request.GET.get("as_at", "").strip()
    try:
        as_at = dt.date.fromisoformat(raw_as_at) if raw_as_at else None
    except ValueError:
        # Never the whole series in place of a date that could not be read.
        return HttpResponseBadRequest(f"as_at “{raw_as_at}” is not a date as YYYY-MM-DD (e.g. 2021-03-31); "
                                      "no series is shown.")
    series, as_of = outcome_trends(period=period, basis=basis, region=region, as_at=as_at)
    scope = region or "England"
    if as_at:
        scope += f" as at {as_at.isoformat()}"
    # The files say which region, and which as-at day, they hold.
    in_region = (f"-{slugify(region)}" if region else "") + (f"-as-at-{as_at.isoformat()}" if as_at else "")
    if fmt == "csv":
        rows = []
        for t in series:
            for key, label, counts in t.rows:
                total = sum(counts.values())
                for o, _ in t.outcomes:  # an empty period: count 0, no share (0 of 0 is not a share)
                    rows.append((scope, t.kind, basis, key, label, o or "not_recorded", counts[o],
                                 round(counts[o] / total, 4) if total else ""))
        return _csv(f"trends-{period}-{basis}{in_region}", TRENDS_CSV_HEADER, rows, as_of=as_of)
    charts = {}
    dated = "Dated by first day of the inspection." if basis == "inspection" else \
        "Dated by publication, else letter, else last day of the inspection."
    for t in series:
        charts[t.kind] = stacked_chart(
            f"{t.title} by {PERIODS[period].split(' (')[0].lower()}, {scope}",
            [(label, [counts[o] for o, _ in t.outcomes]) for _, label, counts in t.rows],
            [(label, OUTCOME_COLOURS.get(o, OUTCOME_COLOURS[""])) for o, label in t.outcomes],
            note=_note(as_of, dated))
    if fmt == "svg":
        kind = request.GET.get("series", "full_inspection")
        if kind not in charts:
            return HttpResponseBadRequest("Unknown series.")
        return _svg(f"trends-{kind}-{period}-{basis}{in_region}", charts[kind])
    tables = []
    for t in series:
        rows = []
        for key, label, counts in t.rows:
            total = sum(counts.values())
            rows.append((label, [(counts[o], round(100 * counts[o] / total) if total else None) for o, _ in t.outcomes], total))
        tables.append((t, rows, mark_safe(charts[t.kind])))  # noqa: S308 - built escaped
    return render(request, "analysis/trends.html", {
        "tables": tables, "period": period, "periods": PERIODS, "basis": basis, "bases": BASES, "as_of": as_of,
        "region": region, "regions": LocalArea.Region.values, "today": timezone.localdate(),
        "as_at": as_at, "as_at_label": f"{as_at.day} {as_at:%B %Y}" if as_at else "",
        "query": "?" + urlencode({"period": period, "basis": basis, **({"region": region} if region else {}),
                                  **({"as_at": as_at.isoformat()} if as_at else {})}),
    })
