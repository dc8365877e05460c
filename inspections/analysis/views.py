from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html_join

from inspections.analysis.selectors import STATUSES, Dashboard, dashboard_summary
from sendtracker.access import public_read

# The map's ~190 shapes and the table of every area are built with format_html_join (escaped like a
# template) rather than template loops: at ten times today's data that halves the page's render time.
_SHAPE = ('<a href="/areas/{}/" class="{}" data-gss="{}" data-status="{}"{}><path d="{}" fill="{}">'
          "<title>{}: {}</title></path></a>\n")
_ROW = ('<tr><td><a href="/areas/{}/">{}</a>{}</td><td><span class="swatch" style="--swatch: {}"></span>{}</td></tr>\n')


def _map_parts(d: Dashboard) -> dict:
    shapes = format_html_join(
        "", _SHAPE,
        ((a.gss, "map-area", a.gss, a.status.key, "", a.d, a.status.colour, a.name, a.status.label) for a in d.map_areas),
    )
    inset = format_html_join(
        "", _SHAPE,
        ((a.gss, "map-area map-area-inset", a.gss, a.status.key, ' tabindex="-1"', a.d, a.status.colour, a.name,
          a.status.label) for a in (d.inset or {}).get("areas", [])),
    )
    rows = format_html_join("", _ROW, (
        *((a.gss, a.name, "", a.status.colour, a.status.label) for a in d.map_areas),
        *((gss, name, " (not on the map)", status.colour, status.label) for gss, name, status in d.unmapped),
    ))
    return {"map_shapes": shapes, "inset_shapes": inset, "map_rows": rows}


@public_read
def dashboard(request: HttpRequest) -> HttpResponse:
    summary = dashboard_summary()
    return render(request, "analysis/dashboard.html", {"d": summary, "statuses": STATUSES, **_map_parts(summary)})
