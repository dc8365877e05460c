"""The Excel workbook export (/exports/workbook.xlsx): the three CSV files' rows as one .xlsx, plus a sheet
describing every column and a sheet with the data's date, the filters and the attribution (issue 13 items 14
and 15).

- The rows are exactly the CSV files' (`exports.EXPORTS`: the same selectors, FilterSets and columns), so the
  workbook, the CSVs and the list pages cannot disagree. The filters apply to each table that knows them; a
  filter a table does not have is ignored for that table and the "About" sheet says so.
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

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from inspections.facts.exports import CHUNK_SIZE, COLUMN_NOTES, EXPORTS, FILTERS_BY_EXPORT, escape_cell
from inspections.vocabulary import ATTRIBUTION

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = (("inspections", "Inspections"), ("weaknesses", "Weaknesses"), ("areas", "Areas"))
_BOLD = Font(bold=True)


def _value(value):
    """A cell's value with its type kept; '' for unknown; formula-like text neutralised."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float, dt.date, dt.datetime)):
        return value
    return escape_cell(str(value))


def _header(sheet, names) -> None:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = _BOLD
        cells.append(cell)
    sheet.append(cells)


def write_workbook(out, filters: Mapping | None = None, *, today: dt.date | None = None) -> dict[str, int]:
    """Write the workbook to the binary file `out`; returns {table: data rows written}.

    `filters` are a list page's GET parameters; each table is filtered by the ones its FilterSet knows."""
    filters = dict(filters.items()) if filters else {}
    today = today or dt.date.today()
    book = Workbook(write_only=True)
    counts: dict[str, int] = {}
    applied: dict[str, dict] = {}
    for name, title in SHEETS:
        export = EXPORTS[name]
        known = FILTERS_BY_EXPORT[name]
        own = {k: v for k, v in filters.items() if k in known}
        applied[name] = own
        sheet = book.create_sheet(title)
        _header(sheet, export.header)
        n = 0
        for row in export.rows(filters=own).iterator(chunk_size=CHUNK_SIZE):
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
    about.append(["Data as of", today])
    about.append(["Made by", "sendtracker: facts read from Ofsted/CQC local area SEND inspection letters and reports"])
    for name, title in SHEETS:
        words = ", ".join(f"{k}={v}" for k, v in sorted(applied[name].items())) or "none (every row)"
        about.append([f"{title}: filters", words])
        about.append([f"{title}: rows", counts[name]])
    ignored = sorted(set(filters) - set().union(*(set(a) for a in applied.values())) - {"page"})
    if ignored:
        about.append(["Filters no table has", ", ".join(ignored)])
    about.append(["Unknown values", "An empty cell: the documents held do not give it. Nothing is estimated."])
    about.append(["needs_review", "TRUE: the fact was read with low confidence or from a council report and "
                                  "has not been checked by an analyst."])
    about.append([])
    about.append(["Attribution", ""])
    for line in ATTRIBUTION:
        about.append(["", line])
    book.save(out)
    return counts


def workbook_response(filters: Mapping | None = None) -> FileResponse:
    """The workbook as a download. Written to a temporary file (spooled in memory up to 8 MiB) and streamed
    from there: write-only openpyxl needs a file to finish the zip, not memory for the rows."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_workbook(spool, filters)
    spool.seek(0)
    today = dt.date.today().isoformat()
    return FileResponse(spool, as_attachment=True, filename=f"sendtracker-{today}.xlsx", content_type=CONTENT_TYPE)
