"""/areas/ (every area with its latest stage) and /areas/<GSS code>/ (its timeline)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.filters import AreaFilter
from inspections.selectors import area_list, area_timeline, stage_label
from inspections.views.lists import render_list, short_date
from sendtracker.access import public_read


@public_read
def area_list_view(request: HttpRequest) -> HttpResponse:
    response = render_list(
        request,
        template="areas/list.html",
        rows=area_list(filters=request.GET),
        filter_class=AreaFilter,
        export_name="areas",
        sort_labels={"name": "Area", "region": "Region", "stage": "Latest stage", "date": "Latest inspection"},
        decorate=_with_labels,
    )
    return response


@public_read
def area_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    timeline = area_timeline(gss_code=gss_code.upper())
    return render(request, "areas/timeline.html", {"t": timeline, "area": timeline.area})


def _with_labels(rows):
    for row in rows:
        row["label"] = stage_label(row)
        row["date_label"] = short_date(row["latest_date"])
    return rows
