"""Reading a dataset file into plain tables (no Django): ODS and XLSX workbooks, CSV, and HTML pages with tables.

The format is decided by the bytes, never by the file name: a zip whose `mimetype` member says OpenDocument
spreadsheet is ODS, a zip holding `xl/workbook.xml` is XLSX, markup with a `<table>` is HTML, other text is tried
as CSV. Whether a table is a dataset sendtracker knows is the parsers' business (kinds.py), by sheet names and
column headings.

Libraries: python-calamine reads ODS and XLSX (one API, typed cells, fast — see pyproject.toml); the standard
`csv` module reads CSV; BeautifulSoup (already used for HTML letters, pipeline/extract.py) reads HTML tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

ODS = "application/vnd.oasis.opendocument.spreadsheet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
HTML = "text/html"
ZIP_SIGNATURE = b"PK\x03\x04"


class TableError(Exception):
    """The file is a spreadsheet or table that cannot be read. The message is shown to people as is."""


@dataclass
class Table:
    """One sheet (or one HTML table, or the CSV): its cells as Python values, row 1 = the first row of the sheet.

    Cells are str, float, int, bool, datetime.date/datetime or "" for an empty cell."""

    sheet: str
    rows: list[list[Any]] = field(default_factory=list)

    def row(self, number: int) -> list[Any]:
        """The cells of row `number` (1-based, as a spreadsheet program numbers rows)."""
        return self.rows[number - 1]


@dataclass
class Workbook:
    content_type: str
    tables: list[Table]

    @property
    def sheet_names(self) -> list[str]:
        return [t.sheet for t in self.tables]

    def sheet(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.sheet == name), None)


def spreadsheet_type(data: bytes) -> str:
    """ODS or XLSX when the bytes are one of those zips, else ''."""
    if not data.startswith(ZIP_SIGNATURE):
        return ""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names and zf.read("mimetype").strip() == ODS.encode():
                return ODS
            if "xl/workbook.xml" in names:
                return XLSX
    except zipfile.BadZipFile:
        return ""
    return ""


def read_tables(data: bytes, content_type: str) -> Workbook:
    """Every table of the file. `content_type`: ODS, XLSX, HTML or CSV (text that may be CSV).

    Raises TableError with a plain reason when the file cannot be read as that type."""
    if content_type in (ODS, XLSX):
        return Workbook(content_type, _workbook_tables(data))
    if content_type == HTML:
        return Workbook(HTML, _html_tables(data))
    return Workbook(CSV, [_csv_table(data)])


def _workbook_tables(data: bytes) -> list[Table]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [Table(name, [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)])
                for name in book.sheet_names]
    except Exception as exc:  # calamine raises its own error types for each broken part of the zip
        raise TableError(f"The spreadsheet could not be read: {exc}") from exc


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv_table(data: bytes) -> Table:
    text = _decode(data)
    try:
        rows = [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise TableError(f"The text could not be read as CSV: {exc}") from exc
    return Table("CSV", rows)


def _html_tables(data: bytes) -> list[Table]:
    # lxml.html (lxml is already installed for python-docx): the tables only, several times faster than building
    # a BeautifulSoup tree of the whole page; a cell's text with its whitespace collapsed, as get_text(" ", strip=True).
    import lxml.html

    try:
        root = lxml.html.document_fromstring(_decode(data))
    except Exception as exc:  # lxml's ParserError for markup it cannot read at all
        raise TableError(f"The page could not be read as HTML: {exc}") from exc
    tables = []
    for n, element in enumerate(root.iter("table"), 1):
        rows = [[" ".join(cell.text_content().split()) for cell in tr if cell.tag in ("th", "td")]
                for tr in element.iter("tr")]
        tables.append(Table(f"table {n}", rows))
    return tables


def html_text(data: bytes) -> str:
    """The page's text with its tags taken out (for a dataset's own statements such as "Summary data last updated:
    …"): a regular expression, not a second parse of the page — the statement is plain text in one paragraph."""
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _decode(data)))


def as_date(value: Any) -> dt.date | None:
    """A cell that a spreadsheet program typed as a date; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
