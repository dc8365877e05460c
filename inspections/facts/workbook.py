"""The Excel workbook export (/exports/workbook.xlsx): the three CSV files' rows as one .xlsx, plus a sheet
describing every column and a sheet with the data's date, the filters and the attribution (issue 13 items 14
and 15).

- The rows are exactly the CSV files' (`exports.EXPORTS`: the same selectors, FilterSets and columns), so the
  workbook, the CSVs and the list pages cannot disagree. A link from a list page names its list (`?list=`): that
  list's sheet applies all its filters, the other sheets those that mean the same for their rows
  (`SAME_MEANING`). Each data sheet's first line says which filters it applied and which not, and why.
- Written with openpyxl in write-only mode: rows are streamed into the file as they are read (`.iterator()`),
  so memory stays flat whatever the number of rows; the finished file is then sent from a temporary file.
  openpyxl is the library Python's data tools (pandas among them) use to write .xlsx: maintained since 2010,
  pure Python, MIT-licensed, no native code to build.
- Cells keep their types: dates are Excel dates, counts are numbers, booleans are TRUE/FALSE; an unknown value
  is an empty cell, never a stand-in. Text that a spreadsheet would run as a formula is written as text
  (openpyxl would store a string starting with "=" as a formula: we prefix an apostrophe, as the CSV does).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Max
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from inspections.facts.exports import (
    CHUNK_SIZE, COLUMN_NOTES, EXPORTS, FILTER_CLASSES, FILTERS_BY_EXPORT, escape_cell, format_cell,
)
from inspections.models import Document
from inspections.vocabulary import ATTRIBUTION

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = (("inspections", "Inspections"), ("weaknesses", "Weaknesses"), ("areas", "Areas"))
_BOLD = Font(bold=True)
_ITALIC = Font(italic=True)


def _value(value):
    """A cell's value with its type kept; '' for unknown; formula-like text neutralised."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float, dt.date, dt.datetime)):
        return value
    if isinstance(value, (list, tuple)):
        return format_cell(value) or None  # its items ';'-separated, as in the CSV
    return escape_cell(str(value))


def _header(sheet, names) -> None:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = _BOLD
        cells.append(cell)
    sheet.append(cells)


# The list page a workbook link comes from: `?list=weaknesses`. Its own sheet applies every filter of the page; the
# other sheets apply only the filters that mean the same thing for their rows (below), renamed where the name differs.
# A filter outside this table (a weakness's kind on the Inspections sheet, whose kinds are visits) is not applied
# there, and the sheet says so: the inspections page's `kind=revisit` once made the weaknesses page's workbook a 400.
LIST_PARAMETER = "list"
SAME_MEANING: dict[tuple[str, str], dict[str, str]] = {
    # (page, sheet): {page's parameter: sheet's parameter}. `as_at` means the same on every sheet: the records as
    # they stood that day (each FilterSet's AS_AT_NOTE says what that is for its rows).
    ("inspections", "weaknesses"): {"area": "area", "region": "region", "framework": "framework", "outcome": "outcome",
                                    "as_at": "as_at"},
    ("inspections", "areas"): {"area": "area", "region": "region", "framework": "framework", "as_at": "as_at"},
    ("weaknesses", "inspections"): {"area": "area", "region": "region", "framework": "framework", "as_at": "as_at"},
    ("weaknesses", "areas"): {"area": "area", "region": "region", "framework": "framework", "as_at": "as_at"},
    ("areas", "inspections"): {"q": "area", "region": "region", "framework": "framework", "as_at": "as_at"},
    ("areas", "weaknesses"): {"q": "area", "region": "region", "framework": "framework", "as_at": "as_at"},
}
NOT_FILTERS = frozenset({"page", LIST_PARAMETER})


@dataclass
class SheetFilters:
    """What one sheet does with a page's filters: `applied` ({parameter: value} given to its FilterSet) and
    `not_applied` ({parameter: why}), for the sheet's first line and the About sheet."""

    applied: dict[str, str] = field(default_factory=dict)
    not_applied: dict[str, str] = field(default_factory=dict)

    def words(self) -> str:
        applied = ", ".join(f"{k}={v}" for k, v in sorted(self.applied.items()) if k != "sort")
        text = f"Filters applied to this sheet: {applied}" if applied else "Filters applied to this sheet: none (every row)"
        if self.not_applied:
            text += ". Not applied here: " + "; ".join(f"{k} ({why})" for k, why in sorted(self.not_applied.items()))
        return text + "."


def sheet_filters(filters: Mapping, page: str | None) -> dict[str, SheetFilters]:
    """{sheet name: SheetFilters} for a page's GET parameters. `page` is the list the link came from (None: an area
    page or a hand-made link — each sheet then applies the parameters its own FilterSet knows)."""
    given = {k: v for k, v in filters.items() if k not in NOT_FILTERS and v not in ("", None)}
    out: dict[str, SheetFilters] = {}
    for name, _ in SHEETS:
        result = out[name] = SheetFilters()
        if page is None or page == name:
            for key, value in given.items():
                if key in FILTERS_BY_EXPORT[name]:
                    result.applied[key] = value
                else:
                    result.not_applied[key] = f"the {name} table has no such filter"
            continue
        meaning = SAME_MEANING.get((page, name), {})
        for key, value in given.items():
            target = meaning.get(key)
            if key == "sort":
                continue  # each sheet keeps its own order
            if target is None:
                result.not_applied[key] = f"it does not describe a row of {name}"
            elif FILTER_CLASSES[name].errors_for({target: value}):
                result.not_applied[key] = f"{value} is not a value {name} can be filtered by"
            else:
                result.applied[target] = value
    return out


def write_workbook(out, filters: Mapping | None = None, *, today: dt.date | None = None,
                   page: str | None = None) -> dict[str, int]:
    """Write the workbook to the binary file `out`; returns {table: data rows written}.

    `filters` are a page's GET parameters and `page` the list they come from (`sheet_filters` says what each
    sheet applies). Every data sheet's first line states its filters; its column names are on the second."""
    filters = dict(filters.items()) if filters else {}
    today = today or dt.date.today()
    book = Workbook(write_only=True)
    counts: dict[str, int] = {}
    per_sheet = sheet_filters(filters, page)
    for name, title in SHEETS:
        export = EXPORTS[name]
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A3"
        note = WriteOnlyCell(sheet, value=per_sheet[name].words())
        note.font = _ITALIC
        sheet.append([note])
        _header(sheet, export.header)
        n = 0
        for row in export.rows(filters=per_sheet[name].applied).iterator(chunk_size=CHUNK_SIZE):
            sheet.append([_value(get(row)) for _, get in export.columns])
            n += 1
        counts[name] = n

    columns = book.create_sheet("Columns")
    _header(columns, ["sheet", "column", "meaning"])
    for name, title in SHEETS:
        for header in EXPORTS[name].header:
            columns.append([title, header, COLUMN_NOTES[name].get(header, "")])

    about = book.create_sheet("About")
    _header(about, ["", ""])
    as_of = _data_as_of()
    # A date-and-time cell with a format that shows the time: a bare date printed "00:00" as if that were the
    # data's time. Excel has no time zones, so the zone is said in words beside it.
    made = WriteOnlyCell(about, value=today)
    made.number_format = "yyyy-mm-dd"
    about.append(["Made on", made])
    if as_of is None:
        about.append(["Facts as of", "No document has been processed yet."])
    else:
        local = timezone.localtime(as_of)
        held = WriteOnlyCell(about, value=local.replace(tzinfo=None))
        held.number_format = "yyyy-mm-dd hh:mm"
        about.append(["Facts as of", held, f"when a document last finished processing ({local.tzname()})"])
    about.append(["Made by", "sendtracker: facts read from Ofsted/CQC local area SEND inspection letters and reports"])
    if page:
        about.append(["Filters from", f"the {page} list"])
    for name, title in SHEETS:
        about.append([f"{title}: filters", per_sheet[name].words()])
        about.append([f"{title}: rows", counts[name]])
    about.append(["Unknown values", "An empty cell: the documents held do not give it. Nothing is estimated."])
    about.append(["needs_review", "TRUE: the fact was read with low confidence or from a council report and "
                                  "has not been checked by an analyst."])
    about.append([])
    about.append(["Attribution", ""])
    for line in ATTRIBUTION:
        about.append(["", line])
    book.save(out)
    return counts


def _data_as_of() -> dt.datetime | None:
    """When the facts last changed: the latest time a document finished processing (as the analysis pages say)."""
    return Document.objects.aggregate(latest=Max("finished_at"))["latest"]


def workbook_errors(filters: Mapping, page: str | None) -> dict[str, list[str]]:
    """{parameter: [reason]} for the filters a workbook link cannot use: with `page`, that page's own filters
    (exactly what its list accepts); without, each table's own. An unknown `page` is itself an error."""
    if page is not None and page not in FILTER_CLASSES:
        return {LIST_PARAMETER: [f"{page} is not a list (inspections, weaknesses or areas)."]}
    errors: dict[str, list[str]] = {}
    for name in ([page] if page else FILTER_CLASSES):
        own = {k: v for k, v in filters.items() if k in FILTERS_BY_EXPORT[name]}
        errors.update(FILTER_CLASSES[name].errors_for(own))
    return errors


def workbook_response(filters: Mapping | None = None, page: str | None = None) -> FileResponse:
    """The workbook as a download. Written to a temporary file (spooled in memory up to 8 MiB) and streamed
    from there: write-only openpyxl needs a file to finish the zip, not memory for the rows."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_workbook(spool, filters, page=page)
    spool.seek(0)
    today = dt.date.today().isoformat()
    return FileResponse(spool, as_attachment=True, filename=f"sendtracker-{today}.xlsx", content_type=CONTENT_TYPE)
