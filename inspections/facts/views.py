"""The list pages (/inspections/, /weaknesses/) and `render_list`, which /areas/ shares.

A list view only: calls its selector with request.GET (the selector applies the FilterSet and sorts),
paginates, and hands the template the filter form, sort links and the CSV link with the same filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.facts import exports
from inspections.facts.filters import InspectionFilter, SortedFilterSet, WeaknessFilter
from inspections.facts.selectors import inspection_rows, weakness_pages
from inspections.themes.selectors import split_keys, theme_labels
from inspections.models import SourceKind
from inspections.vocabulary import (
    FRAMEWORK_LABELS,
    JUDGEMENT_LABELS,
    KIND_LABELS,
    NOT_KNOWN,
    OUTCOME_LABELS,
    WEAKNESS_KIND_LABELS,
    label_for,
)
from sendtracker.access import public_read

PAGE_SIZE = 50


@dataclass
class SortLink:
    """A sortable column header: the query to request, and its aria-sort state now."""

    key: str
    label: str
    query: str
    aria_sort: str  # ascending | descending | none


def _query(request: HttpRequest, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def sort_links(request: HttpRequest, filter_class: type[SortedFilterSet], labels: dict[str, str]) -> dict[str, SortLink]:
    current = request.GET.get("sort") or filter_class.DEFAULT_SORT
    links = {}
    for key, label in labels.items():
        if current == key:
            state, next_value = "ascending", f"-{key}"
        elif current == f"-{key}":
            state, next_value = "descending", key
        else:
            state, next_value = "none", key
        links[key] = SortLink(key, label, _query(request, sort=next_value, page=None), state)
    return links


def render_list(
    request: HttpRequest,
    *,
    template: str,
    rows,
    filter_class: type[SortedFilterSet],
    export_name: str,
    sort_labels: dict[str, str],
    extra: dict | None = None,
    decorate=None,
) -> HttpResponse:
    """Paginate `rows` (an ordered selector queryset) and render `template` with: form, page, rows,
    sorts (key -> SortLink), export_url (the CSV with the same filters), workbook_url, filtered, as_at (the valid
    `as_at` date or None) with as_at_label ('31 March 2021') and as_at_note (the FilterSet's AS_AT_NOTE), prev_query,
    next_query, filter_errors ({parameter: [reason]}: the selector then returns no rows, issue 13 item 2) and
    summary (`selectors.RowSummary` when `rows` has one: the caption's counts). `decorate(rows)` may add
    display-only keys to the page's rows."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    as_at = filter_class.as_at_of(request.GET)
    page_rows = list(page.object_list)
    if decorate:
        decorate(page_rows)
    export_query = _query(request, page=None)
    context = {
        "form": filter_class.form_for(request.GET),
        "page": page,
        "rows": page_rows,
        "sorts": sort_links(request, filter_class, sort_labels),
        "export_url": f"/exports/{export_name}.csv{export_query if export_query != '?' else ''}",
        # The workbook names the list its filters come from, so each sheet knows what they mean (workbook.py).
        "workbook_url": f"/exports/workbook.xlsx{export_query}{'&' if export_query != '?' else ''}list={export_name}",
        "filter_errors": filter_class.errors_for(request.GET),
        # The address to share: these filters and this order, from the first page, so a colleague opens the same view.
        "share_url": request.build_absolute_uri(request.path + (export_query if export_query != "?" else "")),
        "summary": getattr(rows, "summary", None),
        # ?as_at=: the page says, above its rows, which day it answers for and what that means for these rows.
        "as_at": as_at, "as_at_label": long_date(as_at) if as_at else "", "as_at_note": filter_class.AS_AT_NOTE,
        "filtered": any(k not in ("page", "sort") and v for k, v in request.GET.items()),
        "prev_query": _query(request, page=page.previous_page_number()) if page.has_previous() else None,
        "next_query": _query(request, page=page.next_page_number()) if page.has_next() else None,
        **(extra or {}),
    }
    return render(request, template, context)


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(value) -> str:
    """'6 Mar 2017' (the template filter date:"j M Y"), '—' when unknown. Formatted here because Django's
    localised date filter costs ~0.03 ms a call: 150 calls were a tenth of a list page's time."""
    return f"{value.day} {_MONTHS[value.month]} {value.year}" if value else "—"


def describe_source(*, source_kind: str, area_name: str, published: dt.date | None = None,
                    letter_date: dt.date | None = None, dataset_row: str = "") -> str:
    """What a fact's document is, in words (issue 13 item 13), from what is held about it — never its stored
    file name: 'Ofsted/CQC letter or report on Hartlepool, published 3 May 2017', '... letter dated 7 January
    2022', 'Council report (secondary source) on Middlesbrough, date not known'. A fact read from a dataset row
    is named by that row ('Ofsted official statistics, published 17 November 2022, sheet …, row 34'): the
    dataset's own date, not the report's publication date the row states."""
    if dataset_row:
        return dataset_row
    what = {SourceKind.SECONDARY: "Council report or third-party dataset (secondary source)",
            SourceKind.OFFICIAL: "Ofsted official statistics / management information"}.get(source_kind, "Ofsted/CQC letter or report")
    if published:
        when = f"published {long_date(published)}"
    elif letter_date:
        when = f"letter dated {long_date(letter_date)}"
    else:
        when = "date not known"
    return f"{what} on {area_name}, {when}"


def long_date(value) -> str:
    """'6 March 2017' (the templates' date:"j F Y")."""
    return f"{value.day} {value.strftime('%B')} {value.year}"


def _label_inspections(rows):
    for row in rows:
        row["kind_label"] = label_for(KIND_LABELS, row["row_kind"])
        row["framework_label"] = label_for(FRAMEWORK_LABELS, row["row_framework"])
        row["outcome_label"] = label_for(OUTCOME_LABELS, row["row_outcome"])
        # A visit dated only to the month or the year shows its period as written ("January 2017"), never a day.
        row["start_label"] = short_date(row["row_start_date"]) if row["row_start_date"] else row.get("row_period_text") or "—"
        row["end_label"] = short_date(row["row_end_date"]) if row["row_end_date"] else ""
        row["letter_label"] = short_date(row["row_letter_date"])
        row["source_label"] = describe_source(
            source_kind=row["row_source_kind"], area_name=row["area_name"], published=row["row_published_date"],
            letter_date=row["row_letter_date"], dataset_row=row.get("row_source_label") or "",
        ) if row["row_source_document_id"] else ""


def _label_weaknesses(rows):
    for row in rows:
        row["kind_label"] = label_for(WEAKNESS_KIND_LABELS, row["weakness_kind"])
        row["inspected_label"] = short_date(row["inspection_start_date"])
        row["judged_label"] = short_date(row["judged_on"])
        row["judgement_label"] = JUDGEMENT_LABELS.get(row["judgement"], NOT_KNOWN)
        row["unconfirmed"] = bool(row["needs_review"] or row["judgement_needs_review"])
        shown, unsure = split_keys(row["theme_keys"], row["theme_method"])
        row["themes"] = theme_labels(shown + unsure, uncertain=unsure)
        row["themes_by_analyst"] = row["theme_method"] == "analyst"


@public_read
def inspection_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        template="facts/list_inspections.html",
        rows=inspection_rows(filters=request.GET),
        filter_class=InspectionFilter,
        export_name="inspections",
        sort_labels={"area": "Area", "kind": "Kind", "date": "Started", "outcome": "Outcome", "weaknesses": "Weaknesses"},
        decorate=_label_inspections,
    )


@public_read
def weakness_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        template="facts/list_weaknesses.html",
        rows=weakness_pages(filters=request.GET),
        filter_class=WeaknessFilter,
        export_name="weaknesses",
        sort_labels={"area": "Area", "date": "Inspected", "number": "No.", "judgement": "Judgement", "judged_on": "Judged on"},
        decorate=_label_weaknesses,
    )


@public_read
def export_csv(request: HttpRequest, name: str) -> HttpResponse:
    if name not in exports.EXPORTS:
        raise Http404(f"No export called {name}")
    return exports.export_response(name, request.GET)


@public_read
def export_workbook(request: HttpRequest) -> HttpResponse:
    """/exports/workbook.xlsx: the three tables, their columns and the attribution, with the list's filters;
    400 with the reasons when a filter a table knows is invalid."""
    from inspections.facts.workbook import LIST_PARAMETER, workbook_errors, workbook_response

    page = request.GET.get(LIST_PARAMETER) or None
    errors = workbook_errors(request.GET, page)
    if errors:
        return HttpResponse(f"Invalid filter, so no workbook was made:\n{exports.errors_text(errors)}\n",
                            status=400, content_type="text/plain; charset=utf-8")
    return workbook_response(request.GET, page)


@public_read
def export_attribution(request: HttpRequest) -> HttpResponse:
    """/exports/ATTRIBUTION.txt: the sources and licence statements that go with every CSV (its sidecar)."""
    return HttpResponse(exports.attribution_text(), content_type="text/plain; charset=utf-8")
