"""The API's shapes (pydantic, through django-ninja): each list's query parameters, built from its FilterSet so
the OpenAPI description lists exactly the filters and values the page accepts, and each list's rows, whose field
names are the CSV export's columns (docs/CSV.md) plus stable ids and provenance."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

import django_filters as df
from ninja import Field, Schema
from pydantic import BaseModel, create_model

from inspections.facts.filters import YEAR_BOUNDS, SortedFilterSet

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# No control characters (the site refuses them: sendtracker/hygiene.py); as long as a typed search can be.
_TEXT = {"max_length": 200, "pattern": r"^[^\x00-\x1f\x7f]*$"}


ISO_DAY = (r"^((19|20)\d\d-((0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
           r"|((19|20)(0[48]|[2468][048]|[13579][26])|2000)-02-29)?$")


def query_model(name: str, filter_class: type[SortedFilterSet]) -> type[Schema]:
    """A Schema of `filter_class`'s parameters (every one optional; '' means "any", as the page's form sends it),
    plus `page` and `page_size`. Only for the description and a first check: the FilterSet itself reads the
    request's parameters (`errors_for`), so the page and the API apply the very same filters."""
    fields: dict = {}
    for key, filt in filter_class.base_filters.items():
        label = str(filt.label or key)
        if key == "sort":
            values = [k for s in filter_class.SORTS for k in (s, f"-{s}")]
            label = f"Sort key, '-' first for descending (default {filter_class.DEFAULT_SORT})"
            kind = Optional[Literal[tuple(["", *values])]]
        elif isinstance(filt, (df.ChoiceFilter, df.TypedChoiceFilter)):
            values = [str(v) for v, _ in filt.extra["choices"] if v != ""]
            kind = Optional[Literal[tuple(["", *values])]]
        elif isinstance(filt, df.BooleanFilter):
            kind = Optional[Literal["", "true", "false"]]
        elif isinstance(filt, df.DateFilter):
            # ?as_at=2021-03-31: an ISO date (or empty: any) of 1900-2099. Exactly the real days (the 31st of a long
            # month, 29 February of a leap year), so what the description allows the FilterSet's form accepts.
            fields[key] = (Optional[str], Field(None, description=f"{label} (YYYY-MM-DD)", pattern=ISO_DAY))
            continue
        elif isinstance(filt, df.NumberFilter):
            low, high = YEAR_BOUNDS["min_value"], YEAR_BOUNDS["max_value"]
            fields[key] = (Optional[str], Field(None, description=f"{label} ({low}–{high})",
                                                pattern=r"^(20\d\d|2100)?$"))
            continue
        else:
            fields[key] = (Optional[str], Field(None, description=label, **_TEXT))
            continue
        fields[key] = (kind, Field(None, description=label))
    fields["page"] = (int, Field(1, ge=1, le=1_000_000, description="Page number, from 1."))
    fields["page_size"] = (int, Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                                      description=f"Rows per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE})."))
    return create_model(name, __base__=Schema, **fields)


class Problem(Schema):
    """An error as RFC 9457 problem details (application/problem+json)."""

    type: str = Field(description="A URI naming the kind of problem ('about:blank': see the status).")
    title: str
    status: int
    detail: str
    errors: Optional[dict[str, list[str]]] = Field(None, description="For a bad parameter: {parameter: [reason]}.")


class PageMeta(BaseModel):
    count: int = Field(description="Rows matching the filters, on every page.")
    page: int
    page_size: int
    pages: int
    next: Optional[str] = Field(description="Address of the next page; null on the last.")
    previous: Optional[str]


_Str = Optional[str]
_Date = Optional[dt.date]
_Bool = Optional[bool]
_Int = Optional[int]


class Row(BaseModel):
    """A list row or page: a plain pydantic model, not a ninja Schema. The rows are dicts already; ninja's Schema
    wraps every value it validates in an attribute getter (for ORM objects), a quarter of a page's time at 100 rows."""


class AreaRow(Row):
    """An area and its stored path (inspections.models.AreaPath). Its facts' provenance: `stage_needs_review`,
    `stage_secondary` and `coverage` (how much of the path comes from the inspectorates' own letters)."""

    area_name: str
    area_gss_code: str = Field(description="Stable id: the GSS code.")
    region: _Str
    authority_type: _Str
    current: bool
    stage: _Str
    stage_label: _Str
    coverage: _Str
    path_2016: _Str
    outcome_2023: _Str
    latest_outcome: _Str
    latest_inspection_date: _Date
    wsoa_open: _Bool = Field(description="null: not known.")
    revisit_result: _Str
    revisit_date: _Date
    weaknesses_judged: _Int
    weaknesses_sufficient: _Int
    weaknesses_insufficient: _Int
    weaknesses_not_known: _Int
    stage_needs_review: _Bool
    stage_secondary: _Bool
    area_dfe_la_code: _Str
    area_ofsted_urn: _Str
    replaced_by: _Str
    replaced: _Str
    next_visit_kind: _Str
    next_visit_due_from: _Date
    next_visit_due_by: _Date


class InspectionRow(Row):
    """An inspection, revisit or monitoring inspection, as the /inspections/ list rows it."""

    id: str = Field(description="Stable id: '<row_type>-<row_id>', e.g. 'inspection-12', 'revisit-3'.")
    row_type: Literal["inspection", "revisit"]
    row_id: int
    span_start: _Int = Field(description="Provenance: where the fact is read, a character offset in its document's text.")
    span_end: _Int
    corrected_fields: list[str] = Field(description="Provenance: the fields an analyst corrected or locked (empty: none).")
    area_name: _Str
    area_gss_code: _Str
    framework: _Str
    kind: _Str
    start_date: _Date
    end_date: _Date
    letter_date: _Date
    outcome: _Str
    wsoa_required: _Bool = Field(description="2016 initial inspections; null for other kinds or when not recorded.")
    weakness_count: _Int
    source_kind: _Str = Field(description="Provenance: letter (the inspectorates'), official (Ofsted's statistics or "
                                          "management information) or secondary (a council report, a third party's data).")
    source_document_id: _Int = Field(description="Provenance: the document the row was read from.")
    source_file: _Str
    needs_review: _Bool = Field(description="Provenance: read with low confidence or from a secondary source, not yet checked.")
    region: _Str
    published_date: _Date
    area_dfe_la_code: _Str
    area_ofsted_urn: _Str
    area_replaced_by: _Str
    source_url: _Str
    known_from: _Str = Field(description="Provenance: for a visit known only from a later document, that document's name.")
    period_text: _Str = Field(description="A visit dated only to the month or year: the period as written; else empty.")
    date_precision: _Str = Field(description="day, month or year: how precisely the visit is dated; empty when not known.")
    stated_weaknesses: _Int = Field(description="Inspections: the weaknesses (or priority actions) a dataset states; "
                                                "null when none states it.")
    stated_sufficient: _Int = Field(description="Revisits: weaknesses with sufficient progress, as a dataset states; "
                                                "null when not stated.")
    stated_insufficient: _Int = Field(description="Revisits: weaknesses without sufficient progress, as a dataset "
                                                  "states; null when not stated.")
    source_label: _Str = Field(description="Provenance: for a row read from a dataset, the dataset row in words.")
    source_sheet: _Str = Field(description="Provenance: the dataset's sheet or table.")
    source_row: _Int = Field(description="Provenance: the dataset's row number (1-based).")
    source_columns: _Str = Field(description="Provenance: the headings of the dataset cells the row rests on.")


class WeaknessRow(Row):
    """A weakness, priority action or area for improvement, with one judgement of it (or none)."""

    id: int = Field(description="Stable id of the weakness (a weakness judged twice has two rows with this id).")
    judgement_id: _Int = Field(description="Stable id of the judgement; null when not judged.")
    span_start: _Int = Field(description="Provenance: where the weakness is read, a character offset in its document's text.")
    span_end: _Int
    corrected_fields: list[str] = Field(description="Provenance: the weakness's fields an analyst corrected or locked.")
    judgement_corrected_fields: list[str] = Field(description="Provenance: the judgement's fields an analyst corrected or locked.")
    area_name: _Str
    area_gss_code: _Str
    framework: _Str
    inspection_start_date: _Date
    weakness_kind: _Str
    number: _Int
    text: _Str
    judgement: _Str = Field(description="sufficient, insufficient or empty (not judged or not known).")
    judged_on: _Date
    revisit_kind: _Str
    region: _Str
    source_kind: _Str = Field(description="Provenance: letter or secondary.")
    source_document_id: _Int = Field(description="Provenance: the document the weakness was read from.")
    needs_review: _Bool
    judgement_needs_review: _Bool
    published_date: _Date
    area_dfe_la_code: _Str
    area_ofsted_urn: _Str
    area_replaced_by: _Str
    inspection_known_from: _Str
    responsible_bodies: _Str = Field(description="The bodies a 2023 report names as responsible, as printed.")
    themes: _Str = Field(description="Its themes (docs/THEMES.md keys, ';'-separated) shown as fact.")
    themes_uncertain: _Str = Field(description="Themes the rules cannot find reliably: not facts (';'-separated).")
    themes_method: _Str = Field(description="'analyst', or the rules' version; empty when not classified.")
    source_label: _Str = Field(description="Provenance: for a weakness read from a dataset row, that row in words.")
    inspection_stated_weaknesses: _Int = Field(description="The weaknesses a dataset states for the inspection; null "
                                                           "when none states it.")


class DocumentRow(Row):
    """A stored document's metadata and processing status (never its text or file)."""

    id: int
    original_name: str
    content_type: _Str
    size: int
    sha256: str
    status: str
    error: _Str
    progress: int
    parser_version: _Str
    duplicate_of_id: _Int
    source_url: _Str
    published_date: _Date
    created_at: dt.datetime
    updated_at: dt.datetime
    started_at: Optional[dt.datetime]
    finished_at: Optional[dt.datetime]


class AreaPage(PageMeta):
    results: list[AreaRow]


class InspectionPage(PageMeta):
    results: list[InspectionRow]


class WeaknessPage(PageMeta):
    results: list[WeaknessRow]


class DocumentPage(PageMeta):
    results: list[DocumentRow]
