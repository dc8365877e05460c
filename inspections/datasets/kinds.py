"""The datasets sendtracker reads, each found by its column headings (never by file name), and their rows as facts.

No Django here: `read_dataset(workbook)` -> `DatasetRead` (what the file is, its date, its licence, and one
`ParsedLetter` per inspection or revisit a row states, with the sheet, row and columns it came from). The writer
stores these like letters (inspections/datasets/services.py), so the projection (pipeline/project.py) joins them
with the letters of the same area.

Kinds (the files themselves are described in ../shared/README.md):
- Ofsted's official statistics of 2016-framework inspections and revisits (.ods): one row per local area, plus a
  Notes sheet stating two former authorities (Dorset county, Northamptonshire county) in words;
- Ofsted's management information on 2023-framework inspections (.csv/.xlsx/.ods; also as re-saved by the DfE's
  dashboard with R's dotted headings and a row-number column);
- data-to-insight's scrape of 2023-framework reports (its summary page .html or its workbook .xlsx): a third
  party's reading of the reports, so a secondary source.

Dates: the spreadsheets type their dates. The CSV and HTML files write them as text, dd/mm/yyyy or dd/mm/yy; a
numeric date's order is taken as day-first only when the file itself proves it (some value's first number is over
12), otherwise the file is refused — never a guessed month.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from inspections.analysis.periods import period_precision
from inspections.pipeline.types import ParsedLetter, Span

from .tables import Table, Workbook, as_date, html_text

OGL = "Contains Ofsted data licensed under the Open Government Licence v3.0."
OGL_LICENCE = "Open Government Licence v3.0 (© Crown copyright)"
D2I_LICENCE = "MIT licence (data-to-insight, ofsted-send-scrape-tool)"
D2I_ATTRIBUTION = "Contains data from data-to-insight's Ofsted SEND scrape tool (MIT licence), itself read from Ofsted's published reports."


class DatasetFormatError(Exception):
    """A table that is (or looks like) a known dataset but cannot be read: a missing or renamed column, an
    unreadable date order. The message names what is wrong and is shown to people as is."""


@dataclass
class DatasetRecord:
    letter: ParsedLetter  # source_kind "official" or "secondary"; span = its line in DatasetRead.text
    area_code: str = ""  # the GSS code the row gives, when it gives one
    area_name: str = ""


@dataclass
class DatasetRead:
    kind: str  # "ofsted_statistics" | "ofsted_mi" | "d2i_scrape"
    title: str  # "Ofsted official statistics"
    source_kind: str  # "official" | "secondary"
    published: dt.date | None  # the publisher's release date, when the file states it
    covers_to: dt.date | None  # the latest date the file speaks for
    currency: str  # how current it is, in words: "inspections and revisits as at 31 August 2022"
    licence: str
    attribution: str
    records: list[DatasetRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # rows skipped, with the reason
    text: str = ""  # the rows as lines of text: each record's span points at its line
    parts: list[dict] = field(default_factory=list)  # a derived table: the sources it was built from (see TABLE)

    @property
    def released(self) -> dt.date | None:
        """The date that orders two releases of the same series (a later one updates an earlier one)."""
        return self.published or self.covers_to


# --- headings ----------------------------------------------------------------------------------------------


def heading_key(value: Any) -> str:
    """'Priority.action.plan.required.' and 'Priority action plan required?' -> 'priority action plan required'."""
    return re.sub(r"[^a-z0-9]+", " ", str(value).lower()).strip()


@dataclass
class _Kind:
    name: str
    title: str
    columns: dict[str, str]  # field -> the heading as published
    minimum: int  # how many headings a row must carry to be taken for this kind


_KINDS = [
    _Kind("ofsted_statistics", "Ofsted official statistics", {
        "code": "Local authority code", "name": "Area name", "region": "Ofsted region",
        "start": "Inspection start date", "published": "Inspection publication date",
        "wsoa": "Inspection outcome: written statement of action required?",
        "weaknesses": "Number significant weaknesses identified in written statement of action",
        "revisit_start": "Revisit start date", "revisit_published": "Revisit publication date",
        "revisit_outcome": "Revisit outcome: sufficient progress in addressing all significant weaknesses?",
        "sufficient": "Number significant weaknesses where sufficient progress has been made",
        "insufficient": "Number significant weaknesses where sufficient progress has not been made",
    }, 6),
    _Kind("ofsted_mi", "Ofsted management information", {
        "name": "Local area partnership", "region": "Ofsted region", "start": "Inspection start date",
        "published": "Inspection publication date", "outcome": "Inspection outcome",
        "pap": "Priority action plan required", "priority_actions": "Number of areas for priority action",
    }, 5),
    _Kind("d2i_scrape", "data-to-insight's scrape of Ofsted's area SEND reports", {
        "name": "Local Authority", "code": "LTLA23CD", "start": "Inspection Start Date", "end": "Inspection End Date",
        "grade": "Outcome Grade", "published": "Publication Date",
    }, 4),
]

# The England table shipped with the product (inspections/datasets/data/england.csv, built by build_england.py
# from the files above): one row per record, with the source it was read from. Its columns:
TABLE = (
    "series", "series_title", "source_kind", "series_published", "series_covers_to", "series_currency", "licence",
    "framework", "kind", "area_code", "area_name", "start_date", "end_date", "published_date", "period_text",
    "initial_start_date", "initial_period_text", "outcome", "outcome_text", "overall", "overall_text",
    "stated_weaknesses", "stated_sufficient", "stated_insufficient", "source_sheet", "source_row", "source_columns",
    "source_label", "review_reasons", "line",
)
_KINDS.append(_Kind("england_table", "sendtracker's England table", {c: c for c in TABLE}, 12))


@dataclass
class _Located:
    kind: _Kind
    table: Table
    heading_row: int  # 1-based
    index: dict[str, int]  # field -> column index


def _locate(workbook: Workbook) -> _Located | None:
    best: tuple[float, _Located] | None = None
    keys_of: dict[tuple[int, int], list[str]] = {}  # each row's headings, normalised once for all the kinds
    for kind in _KINDS:
        wanted = {heading_key(h): f for f, h in kind.columns.items()}
        for t, table in enumerate(workbook.tables):
            for number, row in enumerate(table.rows[:40], 1):
                keys = keys_of.get((t, number))
                if keys is None:
                    keys = keys_of[(t, number)] = [heading_key(c) for c in row]
                index = {wanted[k]: i for i, k in reversed(list(enumerate(keys))) if k in wanted}
                if len(index) >= kind.minimum:
                    score = len(index) / len(kind.columns)
                    if best is None or score > best[0]:
                        best = (score, _Located(kind, table, number, index))
                    break
    return best[1] if best else None


def read_dataset(workbook: Workbook, *, raw: bytes = b"") -> DatasetRead | None:
    """The dataset in `workbook`, or None when no table carries a known dataset's headings.

    Raises DatasetFormatError when a table is recognised but a column is missing or renamed (naming it), or its
    dates cannot be read."""
    found = _locate(workbook)
    if found is None:
        return None
    missing = [h for f, h in found.kind.columns.items() if f not in found.index]
    if missing:
        names = "; ".join(f"“{h}”" for h in missing)
        raise DatasetFormatError(
            f"This looks like {found.kind.title} (sheet “{found.table.sheet}”, headings in row {found.heading_row}) "
            f"but it has no column {names}: was it renamed? Nothing was imported."
        )
    return _READERS[found.kind.name](workbook, found, raw)


# --- values ----------------------------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*$")
_NOT_READ = dt.date(1900, 1, 1)  # data-to-insight's marker for a date its scrape could not read


class _Dates:
    """Text dates of one file, read day-first only when the file proves that order."""

    def __init__(self, table: Table, columns: list[int], first_row: int, title: str):
        proof = False
        for row in table.rows[first_row - 1:]:
            for i in columns:
                m = _NUMERIC_DATE.match(str(row[i]) if i < len(row) else "")
                if m and int(m.group(1)) > 12:
                    proof = True
        self.day_first = proof
        self.title = title

    def read(self, value: Any) -> dt.date | None:
        typed = as_date(value)
        if typed:
            return typed
        text = str(value).strip()
        m = _NUMERIC_DATE.match(text)
        if not m:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return None
        if not self.day_first:
            raise DatasetFormatError(
                f"The dates in {self.title} are written as numbers (“{text}”) and no value shows whether the day or the "
                "month comes first; nothing was imported rather than guess."
            )
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year = year + 2000 if year < 100 else year
        try:
            found = dt.date(year, month, day)
        except ValueError:
            return None
        return None if found == _NOT_READ else found


def _blank(value: Any) -> bool:
    return value is None or str(value).strip() in ("", "NA", "N/A", "-", "nan", "NaN")


def _count(value: Any) -> int | None:
    if _blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number:  # NaN: a scrape's empty number
        return None
    return int(number) if number == int(number) and number >= 0 else None


def _show(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return as_date(value).isoformat()
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value).strip()


def _long(d: dt.date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else ""


class _Text:
    """The dataset's rows as lines: each record's span is its line (shown as the fact's source text)."""

    def __init__(self, header: str):
        self.parts = [header, "\n"]
        self.length = len(header) + 1

    def line(self, text: str) -> Span:
        start = self.length
        self.parts += [text, "\n"]
        self.length += len(text) + 1
        return Span(start, start + len(text))

    def value(self) -> str:
        return "".join(self.parts)


def _record(text: _Text, line: str, letter: ParsedLetter, *, code: str = "", name: str = "") -> DatasetRecord:
    letter.span = text.line(line)
    return DatasetRecord(letter, code, name)


def _line(title: str, what: str, name: str, values: list[tuple[str, Any]]) -> str:
    """One record's line: its publisher, what it is, the area and the cells it rests on (no row number, so the
    same row in two releases reads the same and counts once)."""
    cells = "; ".join(f"{h}: {_show(v)}" for h, v in values if not _blank(v))
    return f"{title} — {what} — {name}: {cells}"


def _source(read: DatasetRead, sheet: str, row: int | None) -> str:
    when = f", published {_long(read.published)}" if read.published else (f", to {_long(read.covers_to)}" if read.covers_to else "")
    where = f", sheet {sheet}" if sheet and sheet not in ("CSV",) else ""
    return f"{read.title}{when}{where}" + (f", row {row}" if row else "")


# --- Ofsted's official statistics (2016 framework) --------------------------------------------------------------

_WSOA = {"yes": "wsoa_required", "no": "no_wsoa"}
_REVISIT = {"yes": "sufficient_all", "some": "sufficient_some", "no": "sufficient_none"}
_NOT_REVISITED = {"not revisited yet", "not yet revisited"}


def _cover_value(workbook: Workbook, label: str) -> Any:
    cover = workbook.sheet("Cover")
    for row in cover.rows if cover else []:
        if row and heading_key(row[0]) == heading_key(label) and len(row) > 1:
            return row[1]
    return None


def _statistics(workbook: Workbook, found: _Located, raw: bytes) -> DatasetRead:
    period = str(_cover_value(workbook, "Period covered:") or "")
    m = re.search(r"as at (\d{1,2} \w+ \d{4})", period)
    covers_to = dt.datetime.strptime(m.group(1), "%d %B %Y").date() if m else None
    read = DatasetRead(
        kind="ofsted_statistics", title="Ofsted official statistics", source_kind="official",
        published=as_date(_cover_value(workbook, "Published on:")), covers_to=covers_to,
        currency=f"inspections and revisits as at {_long(covers_to)}" if covers_to else period, licence=OGL_LICENCE, attribution=OGL,
    )
    text = _Text(f"{read.title} ({period or 'period not stated'})")
    t, ix = found.table, found.index
    dates = _Dates(t, [], found.heading_row + 1, read.title)
    heading = found.kind.columns
    for number in range(found.heading_row + 1, len(t.rows) + 1):
        row = t.row(number)
        cell = lambda f: row[ix[f]] if ix[f] < len(row) else ""  # noqa: E731
        name, code = _show(cell("name")), _show(cell("code"))
        if not name and not code:
            continue
        source = _source(read, t.sheet, number)
        start = dates.read(cell("start"))
        inspection = ParsedLetter(kind="initial_inspection", framework="2016", source_kind="official", span=Span(0, 0),
                                  area_name=name, start_date=start, published_date=dates.read(cell("published")))
        _provenance(inspection, t.sheet, number, source, read, [heading[f] for f in ("start", "published", "wsoa", "weaknesses")])
        if start is None:
            inspection.flag(f"{source}: the inspection start date “{_show(cell('start'))}” could not be read as a date.")
        wsoa = heading_key(cell("wsoa"))
        inspection.outcome = _WSOA.get(wsoa, "")
        if wsoa and not inspection.outcome:
            inspection.flag(f"{source}: “{_show(cell('wsoa'))}” is not Yes or No; the outcome was not recorded.")
        inspection.stated_weaknesses = _count(cell("weaknesses"))
        if inspection.outcome == "wsoa_required" and inspection.stated_weaknesses is None:
            inspection.flag(f"{source}: a written statement of action was required but the number of significant weaknesses is not given.")
        values = [(heading[f], cell(f)) for f in ("start", "published", "wsoa", "weaknesses")]
        read.records.append(_record(text, _line(read.title, "initial inspection", name, values), inspection, code=code, name=name))

        revisit_start = cell("revisit_start")
        if _blank(revisit_start) or heading_key(revisit_start) in _NOT_REVISITED:
            continue  # no revisit yet (or none due): nothing is stated about one
        revisit = ParsedLetter(kind="revisit", framework="2016", source_kind="official", span=Span(0, 0), area_name=name,
                               start_date=dates.read(revisit_start), published_date=dates.read(cell("revisit_published")),
                               initial_start_date=start)
        _provenance(revisit, t.sheet, number, source, read,
                    [heading[f] for f in ("revisit_start", "revisit_published", "revisit_outcome", "sufficient", "insufficient")])
        if revisit.start_date is None:
            revisit.flag(f"{source}: the revisit start date “{_show(revisit_start)}” could not be read as a date.")
        outcome = heading_key(cell("revisit_outcome"))
        revisit.overall = _REVISIT.get(outcome, "")
        if outcome and not revisit.overall:
            revisit.flag(f"{source}: “{_show(cell('revisit_outcome'))}” is not Yes, Some or No; the revisit outcome was not recorded.")
        revisit.stated_sufficient, revisit.stated_insufficient = _count(cell("sufficient")), _count(cell("insufficient"))
        values = [(heading[f], cell(f)) for f in ("start", "revisit_start", "revisit_published", "revisit_outcome", "sufficient", "insufficient")]
        read.records.append(_record(text, _line(read.title, "revisit", name, values), revisit, code=code, name=name))
    _former_authorities(workbook, read, text)
    read.text = text.value()
    return read


# The Notes sheet: "Dorset were inspected in January 2017 and required a WSoA. The revisit took place in February
# 2019 and Dorset were deemed to be making sufficient progress in addressing some significant weaknesses."
_NOTE_INSPECTED = re.compile(
    r"(?P<name>[A-Z][A-Za-z' ]+?) (?:were|was) inspected in (?P<month>[A-Z][a-z]+ \d{4}) and "
    r"(?P<wsoa>required|did not require) a WSoA", re.I)
_NOTE_REVISIT = re.compile(
    r"revisit took place in (?P<month>[A-Z][a-z]+ \d{4}) and .*? sufficient progress in addressing "
    r"(?P<which>all|some|no|none of the) significant weaknesses", re.I)


def _former_authorities(workbook: Workbook, read: DatasetRead, text: _Text) -> None:
    """Dorset (the county, to March 2019) and Northamptonshire (the county, to March 2021) are stated only in words.
    The month is all that is known of each date: kept as a period, never as a made-up day. The area is named as
    the note names it and resolved on the first of that month, which the register answers with the former
    authority (not today's council)."""
    notes = workbook.sheet("Notes")
    for number, row in enumerate(notes.rows if notes else [], 1):
        note = " ".join(_show(c) for c in row[1:] if not _blank(c))
        m = _NOTE_INSPECTED.search(note)
        if not m:
            continue
        name = m.group("name").strip()
        source = _source(read, "Notes", number)
        inspection = ParsedLetter(kind="initial_inspection", framework="2016", source_kind="official", span=Span(0, 0),
                                  area_name=name, outcome="wsoa_required" if m.group("wsoa").lower() == "required" else "no_wsoa")
        inspection.period_text, inspection.date_precision = m.group("month"), period_precision(m.group("month"))
        _provenance(inspection, "Notes", number, source, read, ["Note text"])
        read.records.append(_record(text, f"{read.title} — note — {note}", inspection, name=name))
        r = _NOTE_REVISIT.search(note)
        if r:
            revisit = ParsedLetter(kind="revisit", framework="2016", source_kind="official", span=Span(0, 0), area_name=name,
                                   initial_period_text=m.group("month"),
                                   overall={"all": "sufficient_all", "some": "sufficient_some"}.get(r.group("which").lower(), "sufficient_none"))
            revisit.overall_text = f"Revisit in {r.group('month')}: sufficient progress in addressing {r.group('which').lower()} significant weaknesses (Ofsted's note)."
            revisit.period_text, revisit.date_precision = r.group("month"), period_precision(r.group("month"))
            _provenance(revisit, "Notes", number, source, read, ["Note text"])
            read.records.append(_record(text, f"{read.title} — note, revisit — {note}", revisit, name=name))


def _provenance(letter: ParsedLetter, sheet: str, row: int, label: str, read: DatasetRead, columns: list[str]) -> None:
    letter.source_sheet, letter.source_row, letter.source_label = sheet, row, label
    letter.source_columns = ", ".join(columns)
    letter.dataset_released = read.released


# --- Ofsted's management information (2023 framework) ------------------------------------------------------------

_OUTCOMES_2023 = {
    "typically positive experiences and outcomes": "positive",
    "inconsistent experiences and outcomes": "inconsistent",
    "widespread and or systemic failings": "systemic_failings",
}


def _management_information(workbook: Workbook, found: _Located, raw: bytes) -> DatasetRead:
    t, ix = found.table, found.index
    first = found.heading_row + 1
    dates = _Dates(t, [ix["start"], ix["published"]], first, "Ofsted management information")
    rows = [(n, t.row(n)) for n in range(first, len(t.rows) + 1) if any(not _blank(c) for c in t.row(n))]
    latest = max((d for _, r in rows for d in [dates.read(r[ix["published"]])] if d), default=None)
    read = DatasetRead(
        kind="ofsted_mi", title="Ofsted management information", source_kind="official", published=None,
        covers_to=latest, currency=f"reports published to {_long(latest)}" if latest else "no dated rows",
        licence=OGL_LICENCE, attribution=OGL,
    )
    text = _Text(f"{read.title} (area SEND inspections, 2023 framework)")
    heading = found.kind.columns
    for number, row in rows:
        cell = lambda f: row[ix[f]] if ix[f] < len(row) else ""  # noqa: E731
        name = _show(cell("name"))
        if not name:
            continue
        source = _source(read, t.sheet, number)
        letter = ParsedLetter(kind="full_inspection", framework="2023", source_kind="official", span=Span(0, 0), area_name=name,
                              start_date=dates.read(cell("start")), published_date=dates.read(cell("published")))
        _provenance(letter, t.sheet, number, source, read, [heading[f] for f in ("start", "published", "outcome", "pap", "priority_actions")])
        outcome = heading_key(cell("outcome"))
        letter.outcome = _OUTCOMES_2023.get(outcome, "")
        letter.outcome_text = _show(cell("outcome")) if letter.outcome else ""
        if outcome and not letter.outcome:
            letter.flag(f"{source}: the outcome “{_show(cell('outcome'))}” is not one of the 2023 framework's three; it was not recorded.")
        letter.stated_weaknesses = _count(cell("priority_actions"))
        pap = heading_key(cell("pap"))
        if pap == "no" and letter.stated_weaknesses is None:
            letter.stated_weaknesses = 0  # "No" priority action plan: the file states there are no areas for priority action
        if (pap == "yes") != (letter.outcome == "systemic_failings") and letter.outcome and pap in ("yes", "no"):
            letter.flag(f"{source}: a priority action plan “{_show(cell('pap'))}” with the outcome “{letter.outcome_text}” — Ofsted's framework requires one exactly when there are widespread or systemic failings.")
        if letter.start_date is None:
            letter.flag(f"{source}: the inspection start date “{_show(cell('start'))}” could not be read.")
        values = [(heading[f], cell(f)) for f in ("start", "published", "outcome", "pap", "priority_actions")]
        read.records.append(_record(text, _line(read.title, "area SEND inspection", name, values), letter, name=name))
    read.text = text.value()
    return read


# --- data-to-insight's scrape (secondary) ------------------------------------------------------------------

_GRADES = {1: "positive", 2: "inconsistent", 3: "systemic_failings"}
_UPDATED = re.compile(r"Summary data last updated:\s*(\d{1,2})\s+(\d{1,2})\s+(\d{4})")
D2I_REASON = ("Read from data-to-insight's scrape of the published reports (a secondary source with known slips), "
              "not from the report itself or Ofsted's own figures.")


def _scrape(workbook: Workbook, found: _Located, raw: bytes) -> DatasetRead:
    t, ix = found.table, found.index
    first = found.heading_row + 1
    dates = _Dates(t, [ix["start"], ix["end"], ix["published"]], first, "data-to-insight's scrape")
    updated = None
    if raw and workbook.content_type == "text/html":
        m = _UPDATED.search(html_text(raw))
        if m:
            updated = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))  # "29 06 2026": the page's own order
    rows = [(n, t.row(n)) for n in range(first, len(t.rows) + 1) if any(not _blank(c) for c in t.row(n))]
    latest = max((d for _, r in rows for d in [dates.read(r[ix["published"]])] if d), default=None)
    read = DatasetRead(
        kind="d2i_scrape", title="data-to-insight summary", source_kind="secondary", published=updated, covers_to=latest,
        currency=(f"summary of {_long(updated)}" if updated else f"reports published to {_long(latest)}"),
        licence=D2I_LICENCE, attribution=D2I_ATTRIBUTION,
    )
    text = _Text(f"{read.title} (secondary source)")
    heading = found.kind.columns
    for number, row in rows:
        cell = lambda f: row[ix[f]] if ix[f] < len(row) else ""  # noqa: E731
        name, code = _show(cell("name")), _show(cell("code"))
        source = _source(read, t.sheet if workbook.content_type != "text/html" else "", number)
        start = dates.read(cell("start"))
        if start is None:
            read.notes.append(f"{source} ({name}): no inspection date was read by the scrape; not recorded.")
            continue
        letter = ParsedLetter(kind="full_inspection", framework="2023", source_kind="secondary", span=Span(0, 0),
                              area_name=name, start_date=start, end_date=dates.read(cell("end")),
                              published_date=dates.read(cell("published")))
        _provenance(letter, t.sheet, number, source, read, [heading[f] for f in ("start", "end", "grade", "published")])
        grade = _count(cell("grade"))
        letter.outcome = _GRADES.get(grade, "")
        letter.flag(D2I_REASON, confidence=0.7)
        values = [(heading[f], cell(f)) for f in ("start", "end", "grade", "published")]
        read.records.append(_record(text, _line(read.title, "area SEND inspection", name, values), letter, code=code, name=name))
    read.text = text.value()
    return read


# --- the England table (derived; shipped with the product) -------------------------------------------------------

TABLE_TITLE = "sendtracker's England table (derived from Ofsted's and data-to-insight's datasets)"
_TABLE_DATES = ("start_date", "end_date", "published_date", "initial_start_date")
_TABLE_TEXT = ("period_text", "initial_period_text", "outcome", "outcome_text", "overall", "overall_text")
_TABLE_COUNTS = ("stated_weaknesses", "stated_sufficient", "stated_insufficient")


def table_rows(reads: list[DatasetRead]) -> list[dict[str, str]]:
    """The England table's rows for the datasets `reads` (build_england.py writes them): every record, once — a
    record whose line an earlier release already gave (the same row in two management-information files) is
    kept from the latest release only. Ordered by series, area and date, so a rebuild gives the same bytes."""
    rows, seen = [], set()
    for read in sorted(reads, key=lambda r: (r.kind, -(r.released or dt.date.min).toordinal())):
        for record in read.records:
            p = record.letter
            line = read.text[p.span.start:p.span.end]
            if line in seen:
                continue
            seen.add(line)
            row = {
                "series": read.kind, "series_title": read.title, "source_kind": p.source_kind,
                "series_published": read.published.isoformat() if read.published else "",
                "series_covers_to": read.covers_to.isoformat() if read.covers_to else "", "series_currency": read.currency,
                "licence": read.licence, "framework": p.framework, "kind": p.kind, "area_code": record.area_code,
                "area_name": record.area_name or p.area_name, "source_sheet": p.source_sheet,
                "source_row": str(p.source_row or ""), "source_columns": p.source_columns, "source_label": p.source_label,
                "review_reasons": " | ".join(p.review_reasons), "line": line,
            }
            row.update({n: getattr(p, n).isoformat() if getattr(p, n) else "" for n in _TABLE_DATES})
            row.update({n: getattr(p, n) for n in _TABLE_TEXT})
            row.update({n: "" if getattr(p, n) is None else str(getattr(p, n)) for n in _TABLE_COUNTS})
            rows.append(row)
    rows.sort(key=lambda r: (r["series"], r["area_name"].lower(), r["framework"], r["kind"], r["start_date"], r["source_label"]))
    return rows


def _iso(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _england_table(workbook: Workbook, found: _Located, raw: bytes) -> DatasetRead:
    """Each row rebuilt as the record its source's reader made: the same line (so the same fingerprint: a row of the
    table and the same row read from the original file count once), the source's own sheet, row and label."""
    t, ix = found.table, found.index
    rows = [dict(zip(TABLE, (row[ix[c]] if ix[c] < len(row) else "" for c in TABLE)))
            for row in t.rows[found.heading_row:] if any(not _blank(c) for c in row)]
    read = DatasetRead(kind="england_table", title=TABLE_TITLE, source_kind="official", published=None,
                       covers_to=max((_iso(r["series_covers_to"]) for r in rows if r["series_covers_to"]), default=None),
                       currency="", licence="; ".join(sorted({r["licence"] for r in rows})),
                       attribution=" ".join(sorted({OGL if r["source_kind"] == "official" else D2I_ATTRIBUTION for r in rows})))
    parts: dict[tuple, dict] = {}
    for r in rows:
        parts.setdefault((r["series"], r["series_published"], r["series_covers_to"]), {
            "kind": r["series"], "title": r["series_title"], "source_kind": r["source_kind"],
            "published": r["series_published"], "covers_to": r["series_covers_to"], "currency": r["series_currency"]})
    read.parts = sorted(parts.values(), key=lambda p: (p["kind"], p["published"], p["covers_to"]))
    read.currency = f"{len(read.parts)} releases of {len({p['kind'] for p in read.parts})} series"
    text = _Text(TABLE_TITLE)
    for r in rows:
        if r["source_kind"] not in ("official", "secondary"):
            raise DatasetFormatError(f"The England table's row for {r['area_name']} has source_kind “{r['source_kind']}”: "
                                     "only official or secondary rows are shipped.")
        letter = ParsedLetter(kind=r["kind"], framework=r["framework"], source_kind=r["source_kind"], span=Span(0, 0),
                              area_name=r["area_name"])
        for n in _TABLE_DATES:
            setattr(letter, n, _iso(r[n]))
        for n in _TABLE_TEXT:
            setattr(letter, n, r[n])
        for n in _TABLE_COUNTS:
            setattr(letter, n, int(r[n]) if r[n] != "" else None)
        if letter.start_date is None:
            letter.date_precision = period_precision(letter.period_text)
        letter.source_sheet, letter.source_row = r["source_sheet"], int(r["source_row"]) if r["source_row"] else None
        letter.source_columns, letter.source_label = r["source_columns"], r["source_label"]
        letter.dataset_released = _iso(r["series_published"]) or _iso(r["series_covers_to"])
        for reason in filter(None, r["review_reasons"].split(" | ")):
            letter.flag(reason, confidence=0.7)
        read.records.append(_record(text, r["line"], letter, code=r["area_code"], name=r["area_name"]))
    read.text = text.value()
    return read


_READERS: dict[str, Callable[[Workbook, _Located, bytes], DatasetRead]] = {
    "ofsted_statistics": _statistics, "ofsted_mi": _management_information, "d2i_scrape": _scrape,
    "england_table": _england_table,
}
