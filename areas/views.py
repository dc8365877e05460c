"""/areas/ (every area with its latest stage) and /areas/<GSS code>/ (its timeline)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from areas.selectors import GSS_CODE, areas_by_slug

from inspections.facts.filters import AreaFilter
from inspections.facts.selectors import area_pages, area_timeline, stage_label
from inspections.facts.views import describe_source, render_list, short_date
from inspections.vocabulary import KIND_TITLES, weakness_group_label
from sendtracker.access import public_read


@public_read
def area_list_view(request: HttpRequest) -> HttpResponse:
    response = render_list(
        request,
        template="areas/list.html",
        rows=area_pages(filters=request.GET),
        filter_class=AreaFilter,
        export_name="areas",
        sort_labels={"name": "Area", "region": "Region", "stage": "Latest stage", "date": "Latest inspection or revisit"},
        decorate=_with_labels,
    )
    return response


@public_read
def area_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    """/areas/<GSS code>/: the timeline. /areas/<name>/ (a name, official, alternative or former name, as a slug:
    /areas/hartlepool/, /areas/telford-and-wrekin/) redirects to it; a name two areas share lists both; an
    unknown name answers 404 with a link to the areas list searched for it."""
    if not GSS_CODE.match(gss_code):
        found = areas_by_slug(gss_code)
        if len(found) == 1:
            return redirect("area_detail", gss_code=found[0].gss_code)
        words = gss_code.replace("-", " ")
        return render(request, "areas/choose.html", {"areas": found, "words": words},
                      status=200 if found else 404)
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
        step.title = KIND_TITLES.get(step.kind, "")
        _describe_sources(step)
    for step in timeline.steps:
        inspection = step.obj
        if step.kind not in ("initial_inspection", "full_inspection"):
            continue
        if inspection.previous_inspection_start:
            inspection.previous_anchor = by_date.get(inspection.previous_inspection_start) or by_inspection.get(
                inspection.previous_inspection_id, "")
            # Named from before this area existed: it was an inspection of the authority (or one of those) it
            # replaced, whose page says so too (issue 13 item 8).
            begun = timeline.area.start_date
            if begun and inspection.previous_inspection_start < begun and timeline.predecessors:
                inspection.previous_of = timeline.predecessors
        inspection.weakness_groups = _weakness_groups(inspection)


# A 2023 report lists its areas for priority action before its areas for improvement; the timeline follows it.
_GROUP_ORDER = {"priority_action": 0, "improvement_area": 1, "significant_weakness": 2}


def _weakness_groups(inspection) -> list[tuple[str, list]]:
    """[(heading, weaknesses in number order)], priority actions first (from the prefetched weaknesses); the
    heading is the vocabulary's, singular or plural by count: 'Areas for improvement (3)'."""
    groups: dict[str, list] = {}
    for weakness in inspection.weaknesses.all():
        groups.setdefault(weakness.kind, []).append(weakness)
    return [(weakness_group_label(kind, len(items)), sorted(items, key=lambda w: w.number))
            for kind, items in sorted(groups.items(), key=lambda item: _GROUP_ORDER.get(item[0], len(_GROUP_ORDER)))]


def _describe_sources(step) -> None:
    """Name each fact's source document by what it is (kind, area, date, publisher), not by its stored file
    name (issue 13 item 13): sets `source_name`, which the provenance tag prints. Facts under a step (weaknesses,
    judgements) share its document's description. Nothing is read: the step's facts are prefetched."""
    fact = step.obj
    if fact is None or not getattr(fact, "source_document_id", None):
        return
    letter_date = getattr(fact, "letter_date", None)
    if step.kind == "wsoa":
        letter_date = step.obj.inspection.letter_date if step.obj.inspection_id else None
    fact.source_file_name = fact.source_name
    fact.source_name = describe_source(source_kind=fact.source_kind, area_name=step.area.name,
                                       published=getattr(fact, "source_published", None), letter_date=letter_date,
                                       dataset_row=getattr(fact, "dataset_source", ""))
    children = list(fact.weaknesses.all()) if hasattr(fact, "weaknesses") and step.kind != "wsoa" else []
    if step.kind in ("revisit", "monitoring_inspection"):
        children = list(fact.judgements.all())
    for child in children:
        if child.source_document_id == fact.source_document_id:
            child.source_file_name, child.source_name = child.source_name, fact.source_name
        elif child.source_document_id:
            child.source_file_name = child.source_name
            child.source_name = describe_source(source_kind=child.source_kind, area_name=step.area.name,
                                                published=getattr(child, "source_published", None),
                                                dataset_row=getattr(child, "dataset_source", ""))


def _with_labels(rows):
    for row in rows:
        row["label"] = stage_label(row)
        row["date_label"] = short_date(row["latest_date"])
    return rows
