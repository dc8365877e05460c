"""/areas/ (every area with its latest stage) and /areas/<GSS code>/ (its timeline)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.facts.filters import AreaFilter
from inspections.facts.selectors import area_list, area_timeline, stage_label
from inspections.facts.views import render_list, short_date
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
    _decorate_timeline(timeline)
    return render(request, "areas/timeline.html", {"t": timeline, "area": timeline.area})


def _decorate_timeline(timeline) -> None:
    """Display-only additions, no queries (the timeline holds every step): each step an `anchor`; each
    inspection its `weakness_groups` in the report's order, and, when it names an earlier inspection (a 2023
    report's "previous inspection"), `previous_anchor`: that step's anchor if it is on this page, else "" (not
    held). The date is matched first: the report's "previous inspection" is often a 2016 revisit (Middlesbrough,
    8 July 2019), which the writer links to the revisit's inspection."""
    by_date, by_inspection = {}, {}
    for step in timeline.steps:
        step.anchor = f"{step.kind}-{step.obj.pk}" if step.obj is not None else ""
        if step.kind in ("initial_inspection", "full_inspection"):
            by_inspection[step.obj.pk] = step.anchor
        if step.date and step.anchor and step.kind != "wsoa":
            by_date.setdefault(step.date, step.anchor)
    for step in timeline.steps:
        inspection = step.obj
        if step.kind not in ("initial_inspection", "full_inspection"):
            continue
        if inspection.previous_inspection_start:
            inspection.previous_anchor = by_date.get(inspection.previous_inspection_start) or by_inspection.get(
                inspection.previous_inspection_id, "")
        inspection.weakness_groups = _weakness_groups(inspection)


# A 2023 report lists its areas for priority action before its areas for improvement; the timeline follows it.
_GROUP_ORDER = {"priority_action": 0, "improvement_area": 1, "significant_weakness": 2}


def _weakness_groups(inspection) -> list[tuple[str, list]]:
    """[(kind label, weaknesses in number order)], priority actions first (from the prefetched weaknesses)."""
    groups: dict[str, list] = {}
    for weakness in inspection.weaknesses.all():
        groups.setdefault(weakness.kind, []).append(weakness)
    return [(items[0].get_kind_display(), sorted(items, key=lambda w: w.number))
            for kind, items in sorted(groups.items(), key=lambda item: _GROUP_ORDER.get(item[0], len(_GROUP_ORDER)))]


def _with_labels(rows):
    for row in rows:
        row["label"] = stage_label(row)
        row["date_label"] = short_date(row["latest_date"])
    return rows
