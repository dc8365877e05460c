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
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import StreamingHttpResponse

from inspections.facts.selectors import area_list, inspection_rows, stage_label, weakness_rows

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
    ),
    weakness_rows,
)

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
        ("latest_outcome", _key("latest_outcome")),
        ("latest_inspection_date", _key("latest_date")),
        ("wsoa_open", _key("wsoa_open")),
        ("revisit_result", _key("revisit_overall")),
        ("revisit_date", _key("revisit_start")),
        ("weaknesses_judged", _key("judged_total")),
        ("weaknesses_sufficient", _key("judged_sufficient")),
    ),
    area_list,
)

EXPORTS: dict[str, Export] = {e.name: e for e in (INSPECTIONS, WEAKNESSES, AREAS)}


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


def export_response(name: str, filters=None) -> StreamingHttpResponse:
    """The streamed download of export `name` for these (GET) filters."""
    today = dt.date.today().isoformat()
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in export_lines(name, filters)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sendtracker-{name}-{today}.csv"'
    return response


def export_to_file(name: str, path, filters=None) -> int:
    """Write export `name` to `path` (the same bytes as the web download); returns the data row count."""
    count = -1  # the header is not a data row
    with open(path, "w", encoding="utf-8", newline="") as out:
        for line in export_lines(name, filters):
            out.write(line)
            count += line != BOM
    return count
