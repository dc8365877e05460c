"""CSV exports: one definition of each file's columns, used by the web (/exports/<name>.csv) and by
`python manage.py export <name> FILE`, so both give the same bytes for the same filters.

- Rows come from the list selectors (inspections/facts/selectors.py) with the list's FilterSet applied, read
  with `.iterator(chunk_size=...)`: memory stays flat whatever the number of rows.
- UTF-8 with a BOM (Excel then reads the accents right); dates ISO 8601; booleans true/false.
- Cells that a spreadsheet would run as a formula (starting with = + - @ | % tab or CR) get a leading
  apostrophe (OWASP "CSV Injection"); numbers, including negative ones, are left alone.
- If reading fails half-way, the file ends with a line saying it is incomplete, rather than
  looking complete. The columns are documented in docs/CSV.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse

from inspections.facts.filters import AreaFilter, InspectionFilter, SortedFilterSet, WeaknessFilter
from inspections.facts.selectors import area_list, inspection_rows, stage_label, weakness_rows
from inspections.themes.classify import METHOD_VERSION
from inspections.themes.selectors import SEPARATOR, split_keys

log = logging.getLogger(__name__)

BOM = "\ufeff"
CHUNK_SIZE = 2000
INCOMPLETE = "# EXPORT INCOMPLETE: an error stopped the export before the last row; do not use this file."
_FORMULA_START = ("=", "+", "-", "@", "|", "%", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def escape_cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would treat as a formula; leave plain numbers alone."""
    if value and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def format_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):  # e.g. corrected_fields: its items, ';'-separated (as the themes)
        return escape_cell(SEPARATOR.join(str(v) for v in value))
    return escape_cell(str(value))


@dataclass(frozen=True)
class Export:
    name: str
    columns: tuple[tuple[str, Callable[[dict], object]], ...]  # (header, row -> value)
    rows: Callable[..., Iterable[dict]]  # selector(filters=...) -> ordered queryset of dicts

    @property
    def header(self) -> list[str]:
        return [name for name, _ in self.columns]

    def iter_rows(self, filters=None) -> Iterator[list[str]]:
        """The header, then one formatted row per selector row, read in chunks."""
        yield self.header
        for row in self.rows(filters=filters).iterator(chunk_size=CHUNK_SIZE):
            yield [format_cell(get(row)) for _, get in self.columns]


def _key(name: str) -> Callable[[dict], object]:
    return lambda row: row.get(name)


def _judged(name: str) -> Callable[[dict], object]:
    """A revisit's count of judgements, empty when there is no revisit (the stored path keeps 0 there; an
    area never revisited has no verdicts to count, not "0 sufficient")."""
    return lambda row: None if row.get("revisit_weaknesses") is None else row.get(name)


def corrected_fields(locked) -> list[str]:
    """The fields an analyst corrected or locked, sorted (`locked_fields` {field: value}; a JSON string on SQLite)."""
    if isinstance(locked, str):
        locked = json.loads(locked or "{}")
    return sorted(locked or {})


def _corrected(name: str) -> Callable[[dict], object]:
    return lambda row: corrected_fields(row.get(name))


def _themes_method(row: dict) -> str:
    """'analyst' (an analyst decided the themes), the rules' version (e.g. rules-1), or '' when not classified."""
    if not row.get("theme_keys"):
        return ""
    return "analyst" if row.get("theme_method") == "analyst" else METHOD_VERSION


INSPECTIONS = Export(
    "inspections",
    (
        ("area_name", _key("area_name")),
        ("area_gss_code", _key("area_gss_code")),
        ("framework", _key("row_framework")),
        ("kind", _key("row_kind")),
        ("start_date", _key("row_start_date")),
        ("end_date", _key("row_end_date")),
        ("letter_date", _key("row_letter_date")),
        ("outcome", _key("row_outcome")),
        ("wsoa_required", _key("wsoa_required")),
        ("weakness_count", _key("weakness_count")),
        ("source_kind", _key("row_source_kind")),
        ("source_file", _key("source_file")),
        ("needs_review", _key("row_needs_review")),
        ("region", _key("region")),
        # Issue 13 item 14: the publication date and the two other codes analysts join on; item 8: the
        # areas that replaced a former authority; item 13: the original's address on the publisher's site.
        ("published_date", _key("row_published_date")),
        ("area_dfe_la_code", _key("area_dfe_la_code")),
        ("area_ofsted_urn", _key("area_ofsted_urn")),
        ("area_replaced_by", _key("row_area_successors")),
        ("source_url", _key("row_source_url")),
        ("known_from", _key("row_known_from")),
        # Appended after the columns analysts' scripts already read by position: a visit dated only to the month or
        # the year, the counts Ofsted's datasets state, and the dataset row a fact rests on (docs/CSV.md).
        ("period_text", _key("row_period_text")),
        ("date_precision", _key("row_date_precision")),
        ("stated_weaknesses", _key("row_stated_weaknesses")),
        ("stated_sufficient", _key("row_stated_sufficient")),
        ("stated_insufficient", _key("row_stated_insufficient")),
        ("source_label", _key("row_source_label")),
        ("source_sheet", _key("row_source_sheet")),
        ("source_row", _key("row_source_row")),
        ("source_columns", _key("row_source_columns")),
        # Appended: where the row is read (its span of its document's text, /documents/<id>/: the passage naming
        # the visit) and what an analyst changed of it — as the API gives them.
        ("source_document_id", _key("row_source_document_id")),
        ("span_start", _key("row_span_start")),
        ("span_end", _key("row_span_end")),
        ("corrected_fields", _corrected("row_locked_fields")),
    ),
    inspection_rows,
)

WEAKNESSES = Export(
    "weaknesses",
    (
        ("area_name", _key("area_name")),
        ("area_gss_code", _key("area_gss_code")),
        ("framework", _key("framework")),
        ("inspection_start_date", _key("inspection_start_date")),
        ("weakness_kind", _key("weakness_kind")),
        ("number", _key("number")),
        ("text", _key("text")),
        ("judgement", _key("judgement")),
        ("judged_on", _key("judged_on")),
        ("revisit_kind", _key("revisit_kind")),
        ("region", _key("region")),
        ("needs_review", _key("needs_review")),
        ("judgement_needs_review", _key("judgement_needs_review")),
        ("published_date", _key("inspection_published_date")),
        ("area_dfe_la_code", _key("area_dfe_la_code")),
        ("area_ofsted_urn", _key("area_ofsted_urn")),
        ("area_replaced_by", _key("row_area_successors")),
        ("inspection_known_from", _key("inspection_known_from")),
        # Weakness themes (docs/THEMES.md): the keys shown as fact, those the rules find unreliably, and who decided.
        ("themes", lambda row: SEPARATOR.join(split_keys(row.get("theme_keys"), row.get("theme_method"))[0])),
        ("themes_uncertain", lambda row: SEPARATOR.join(split_keys(row.get("theme_keys"), row.get("theme_method"))[1])),
        ("themes_method", lambda row: _themes_method(row)),
        ("responsible_bodies", _key("responsible_bodies")),
        # Appended: where the weakness was read, and how many the inspection's dataset row states (docs/CSV.md).
        ("source_kind", _key("source_kind")),
        ("source_label", _key("source_label")),
        ("inspection_stated_weaknesses", _key("inspection_stated_weaknesses")),
        ("source_document_id", _key("source_document_id")),
        ("span_start", _key("span_start")),
        ("span_end", _key("span_end")),
        ("corrected_fields", _corrected("locked_fields")),
        ("judgement_corrected_fields", _corrected("judgement_locked_fields")),
    ),
    weakness_rows,
)


def _current_only(key: str) -> Callable[[dict], object]:
    return lambda row: None if row.get("end_date") is not None else row.get(key)


AREAS = Export(
    "areas",
    (
        ("area_name", _key("name")),
        ("area_gss_code", _key("gss_code")),
        ("region", _key("region")),
        ("authority_type", _key("authority_type")),
        ("current", lambda row: row.get("end_date") is None),
        ("stage", _key("stage")),
        ("stage_label", stage_label),
        ("coverage", _key("coverage")),
        ("path_2016", _key("path_2016")),
        ("outcome_2023", _key("outcome_2023")),
        ("latest_outcome", _key("latest_outcome")),
        ("latest_inspection_date", _key("latest_date")),
        ("wsoa_open", _key("wsoa_open")),
        ("revisit_result", _key("revisit_overall")),
        ("revisit_date", _key("revisit_start")),
        ("weaknesses_judged", _key("revisit_weaknesses")),
        ("weaknesses_sufficient", _judged("judged_sufficient")),
        ("weaknesses_insufficient", _judged("judged_insufficient")),
        ("weaknesses_not_known", _judged("judged_unknown")),
        ("stage_needs_review", _key("stage_unconfirmed")),
        ("stage_secondary", _key("stage_secondary")),
        ("area_dfe_la_code", _key("dfe_la_code")),
        ("area_ofsted_urn", _key("ofsted_urn")),
        ("replaced_by", _key("replaced_by_codes")),
        ("replaced", _key("replaces_codes")),
        # The next expected visit, from what the area's reports state (stored with its path: paths/derive.py via
        # analysis/due.py; docs/CSV.md). A former authority gets none: it will not be visited again.
        ("next_visit_kind", _current_only("next_kind")),
        ("next_visit_due_from", _current_only("next_due_from")),
        ("next_visit_due_by", _current_only("next_due_by")),
    ),
    area_list,
)

EXPORTS: dict[str, Export] = {e.name: e for e in (INSPECTIONS, WEAKNESSES, AREAS)}

# Each export's FilterSet: a filter it does not know is not applied, one it knows but cannot read is refused.
FILTER_CLASSES: dict[str, type[SortedFilterSet]] = {
    "inspections": InspectionFilter, "weaknesses": WeaknessFilter, "areas": AreaFilter,
}
FILTERS_BY_EXPORT: dict[str, frozenset[str]] = {name: frozenset(cls.base_filters) for name, cls in FILTER_CLASSES.items()}


def filter_errors(name: str, filters) -> dict[str, list[str]]:
    """{parameter: [reason]} for the invalid filters of export `name`; {} when they are all valid. An invalid
    filter selects no rows (filters.SortedFilterSet.errors_for); the web answers 400 with these reasons."""
    return FILTER_CLASSES[name].errors_for(filters)


def errors_text(errors: dict[str, list[str]]) -> str:
    """'outcome: Select a valid choice. foo is not one of the available choices.' (one line per filter)."""
    return "\n".join(f"{name}: {' '.join(reasons)}" for name, reasons in sorted(errors.items()))


# What each column holds: the workbook's "Columns" sheet, and (word for word) docs/CSV.md's tables;
# tests/web/test_exports_honest.py checks every column of every export is described in both.
_SHARED_NOTES = {
    "area_name": "Local area, as named in the register.",
    "area_gss_code": "The area's GSS code, e.g. E06000001.",
    "region": "The area's region (one of England's nine).",
    "area_dfe_la_code": "The area's DfE local authority code (3 digits), e.g. 805; empty when the register has none.",
    "area_ofsted_urn": "The area's Ofsted URN (unique reference number) for the local authority; empty when not known.",
    "area_replaced_by": "For a former authority: GSS codes (space-separated) of the areas that replaced it; else empty.",
    "published_date": "Date the inspectorates published the letter or report, when a document held states it; empty "
                      "when not known (never the letter or inspection date instead).",
    "framework": "2016 (2016-2022 framework) or 2023.",
    "needs_review": "true when the fact was read with low confidence or from a secondary source and no analyst has "
                    "checked it yet.",
}
_PROVENANCE_NOTES = {
    "source_document_id": "The document the fact is read from (its page: /documents/<id>/); empty when none is held.",
    "span_start": "Where the fact is read: a character offset in its document's text as sendtracker reads it (the "
                  "text its document page shows; for a dataset, its rows written as lines, not the file's bytes). "
                  "An inspection's or revisit's span is the passage naming the visit (area and dates: its outcome's "
                  "own sentence is on its fact page); a weakness's span is its words.",
    "span_end": "The end of that span (exclusive).",
    "corrected_fields": "The fields an analyst corrected or locked, separated by ';'; empty when none.",
    "judgement_corrected_fields": "The judgement's fields an analyst corrected or locked, separated by ';'.",
}

COLUMN_NOTES: dict[str, dict[str, str]] = {
    "inspections": {
        **_SHARED_NOTES,
        "kind": "initial_inspection (2016), revisit (2016), full_inspection (2023 area SEND inspection), "
                "monitoring_inspection (2023).",
        "start_date": "First day on site; empty when not known.",
        "end_date": "Last day on site; empty when not known.",
        "letter_date": "Date of the outcome letter; empty when the letter does not give it.",
        "outcome": "wsoa_required / no_wsoa (2016 inspection); sufficient_all / sufficient_some / sufficient_none "
                   "(revisit, monitoring); positive / inconsistent / systemic_failings (2023); empty when not recorded.",
        "wsoa_required": "true / false for 2016 initial inspections; empty for other kinds or when not recorded.",
        "weakness_count": "Inspections: weaknesses, priority actions and improvement areas recorded. Revisits and "
                          "monitoring inspections: the weaknesses (areas for priority action) they follow up. Empty "
                          "when not known: none is held and the row was not read from its own letter or report "
                          "(a dataset's count is in stated_weaknesses).",
        "known_from": "For a visit known only from a later document (its own letter is not held): that document's "
                      "file name; empty for a visit held as its own letter or report.",
        "source_kind": "letter (the inspectorates' letter or report), official (Ofsted's official statistics or "
                       "management information) or secondary (a council report or a third party's dataset).",
        "source_file": "Original file name of the document the row was read from.",
        "source_url": "Address of the original on the publisher's website, when known; else empty.",
        "period_text": "For a visit dated only to the month or the year: the period as written, e.g. 'January 2017'; "
                       "empty when the day is known (start_date) or nothing dates it.",
        "date_precision": "How precisely the visit is dated: day (start_date holds it), month or year (period_text); "
                          "empty when not known.",
        "stated_weaknesses": "Inspections: how many significant weaknesses (2016) or areas for priority action (2023) "
                             "a dataset states; empty when no dataset states it (never 0 for unknown), and always for "
                             "revisits and monitoring inspections.",
        "stated_sufficient": "Revisits: how many weaknesses a dataset states made sufficient progress; empty when not "
                             "stated, and always for inspections.",
        "stated_insufficient": "Revisits: how many weaknesses a dataset states did not make sufficient progress; empty "
                               "when not stated, and always for inspections.",
        "source_label": "For a row read from a dataset: the dataset row in words, e.g. 'Ofsted official statistics, "
                        "published 17 November 2022, sheet Area_SEND_up_to_31_Aug_2022, row 10'; empty for a letter.",
        "source_sheet": "For a row read from a dataset: its sheet or table; else empty.",
        "source_row": "For a row read from a dataset: its row number (1-based, as a spreadsheet numbers rows); else empty.",
        "source_columns": "For a row read from a dataset: the headings of the cells it rests on (comma-separated).",
        **{name: note for name, note in _PROVENANCE_NOTES.items() if name != "judgement_corrected_fields"},
    },
    "weaknesses": {
        **_SHARED_NOTES,
        "inspection_start_date": "Start date of the inspection that named the weakness; empty when not known.",
        "weakness_kind": "significant_weakness (2016), priority_action or improvement_area (2023).",
        "number": "Its number in the letter's list.",
        "text": "The weakness as the letter words it.",
        "judgement": "sufficient, insufficient, or empty (not judged, or the judgement is not known).",
        "judged_on": "Start date of the revisit or monitoring inspection that judged it; empty when not judged or "
                     "not known.",
        "revisit_kind": "revisit or monitoring_inspection, for a judged row.",
        "judgement_needs_review": "true when the judgement (e.g. a weak match of a restated weakness) awaits an "
                                  "analyst's check; empty when not judged.",
        "published_date": "Publication date of the letter or report that named the weakness, when known.",
        "inspection_known_from": "When the inspection is known only from a later document (e.g. a revisit letter "
                                 "restating it): that document's file name; else empty.",
        "themes": "Its themes (docs/THEMES.md keys, separated by ';') shown as fact: found by rules measured reliable "
                  "on hand labels, or decided by an analyst; 'other' when none fits; empty when not classified.",
        "themes_uncertain": "Themes the rules found but cannot find reliably (recall below 0.6 on the labelled test "
                            "split): not facts; separated by ';'.",
        "themes_method": "Who assigned the themes: 'analyst', or the rules' version (e.g. rules-1); empty when not "
                         "classified.",
        "responsible_bodies": "The bodies a 2023 report names as responsible for a priority action or improvement "
                              "area, as printed; empty when the letter or report names none.",
        "source_kind": "Where the weakness was read: letter (the inspectorates' letter or report) or secondary (a "
                       "council report). Datasets state only counts, never a weakness's words.",
        "source_label": "For a weakness read from a dataset row: that row in words; else empty.",
        "inspection_stated_weaknesses": "How many significant weaknesses or areas for priority action a dataset "
                                        "states for the inspection that named this one; empty when none states it.",
        **_PROVENANCE_NOTES,
    },
    "areas": {
        **_SHARED_NOTES,
        "authority_type": "county, unitary, metropolitan, london or other.",
        "current": "false for a former authority (e.g. Cumbria).",
        "stage": "positive / inconsistent / systemic_failings (latest 2023 outcome); else revisit_sufficient, "
                 "revisit_insufficient, revisit_unknown (a revisit whose overall result nothing held states), "
                 "wsoa_open (no revisit and nothing later known), wsoa_revisit_not_held (a later step is known, the "
                 "revisit letter is not held), no_wsoa (2016 path); else outcome_not_recorded (held, outcome not "
                 "recorded), known_not_held (known only from a later letter or report) or not_inspected (no "
                 "inspection known). Derived once per area (inspections/paths/derive.py); every page reads the same.",
        "stage_label": "The stage in the dashboard's words, with detail in brackets (counts say what they count).",
        "coverage": "How much of the path is held: whole (every step from its own letter or report), partly, "
                    "official_only (Ofsted's data, no letter), secondary_only (secondary sources or later documents "
                    "only), none.",
        "path_2016": "The 2016-framework path, as /analysis/paths/ rows it (no_wsoa, sufficient_all, sufficient_some, "
                     "sufficient_none, revisit_unknown, wsoa_no_revisit, wsoa_revisit_not_held, outcome_unrecorded, "
                     "known_not_held, not_inspected).",
        "outcome_2023": "The latest 2023 inspection's outcome, outcome_unrecorded or not_inspected.",
        "latest_outcome": "Outcome of the latest inspection (2023 if any, else 2016).",
        "latest_inspection_date": "Start date of the latest inspection, revisit or monitoring inspection.",
        "wsoa_open": "true when the latest 2016 inspection required a WSOA, no revisit is held and nothing later is "
                     "known; empty (not known) when a later step is known but its revisit letter is not held.",
        "revisit_result": "Stated result of the latest revisit of the latest 2016 inspection; empty when not stated.",
        "revisit_date": "Its start date.",
        "weaknesses_judged": "At that revisit: the weaknesses it follows up (the inspection's). Empty (and the "
                             "three counts after it) when the area has no 2016 revisit on record.",
        "weaknesses_sufficient": "Of those, judged to have made sufficient progress.",
        "weaknesses_insufficient": "Of those, judged not to have made sufficient progress.",
        "weaknesses_not_known": "Of those, with no verdict held (not read, not stated, or rejected by an analyst).",
        "stage_needs_review": "true when a fact behind the stage (the inspection, a revisit or a judgement) awaits "
                              "an analyst's check.",
        "stage_secondary": "true when the stage rests on a secondary source (a council, press or third-party text).",
        "area_dfe_la_code": _SHARED_NOTES["area_dfe_la_code"],
        "area_ofsted_urn": _SHARED_NOTES["area_ofsted_urn"],
        "replaced_by": "GSS codes of the areas that replaced this former authority (space-separated).",
        "replaced": "GSS codes of the former authorities this area replaced (space-separated).",
        "next_visit_kind": "The next expected visit, from what the area's latest report states.",
        "next_visit_due_from": "Date the stated window is counted from; empty when unknown.",
        "next_visit_due_by": "End of the stated window; empty when no report states one. Never estimated.",
    },
}

ATTRIBUTION_NAME = "ATTRIBUTION.txt"


def attribution_text(today: dt.date | None = None) -> str:
    """The sidecar shipped with every CSV (/exports/ATTRIBUTION.txt, and FILE.attribution.txt beside a file the
    `export` command writes): the licence statements, so the CSV columns stay clean (issue 13 item 15)."""
    from inspections.vocabulary import ATTRIBUTION

    lines = [
        "sendtracker exports: sources and attribution",
        f"Written {(today or dt.date.today()).isoformat()}.",
        "",
        *ATTRIBUTION,
        "",
        "Columns: docs/CSV.md in the sendtracker repository, or the 'Columns' sheet of /exports/workbook.xlsx.",
    ]
    return "\n".join(lines) + "\n"


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """BOM + CSV lines; on an error mid-way, log it and end with the INCOMPLETE line."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM
    try:
        for row in rows:
            yield writer.writerow(row)
    except Exception:  # noqa: BLE001 - whatever broke, the reader must see that the file is cut short
        log.exception("CSV export failed mid-stream")
        yield writer.writerow([INCOMPLETE])


def export_lines(name: str, filters=None) -> Iterator[str]:
    return csv_lines(EXPORTS[name].iter_rows(filters))


def export_response(name: str, filters=None) -> HttpResponse:
    """The streamed download of export `name` for these (GET) filters; 400 with the reasons, and no rows, when
    a filter is invalid (a file of every row would look like the answer). The `Link` header points at the
    attribution sidecar."""
    errors = filter_errors(name, filters)
    if errors:
        return HttpResponseBadRequest(
            f"Invalid filter, so no rows were exported:\n{errors_text(errors)}\n", content_type="text/plain; charset=utf-8"
        )
    today = dt.date.today().isoformat()
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in export_lines(name, filters)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sendtracker-{name}-{today}.csv"'
    response["Link"] = f'</exports/{ATTRIBUTION_NAME}>; rel="license"'
    return response


def export_to_file(name: str, path, filters=None) -> int:
    """Write export `name` to `path` (the same bytes as the web download); returns the data row count."""
    count = -1  # the header is not a data row
    with open(path, "w", encoding="utf-8", newline="") as out:
        for line in export_lines(name, filters):
            out.write(line)
            count += line != BOM
    return count
