"""Writing a dataset: a stored Document whose bytes are a known dataset becomes a `Dataset` row and one SourceLetter per
inspection or revisit its rows state, projected with the area's letters (pipeline/write.py) in one transaction.

Called by pipeline/run.py for every document, before text extraction: `dataset_in(data)` says whether the bytes
are a dataset (by content: spreadsheet type, sheet names, column headings). Re-importing the same file is a
duplicate document (sha256); a later release of the same series brings rows with the same or newer values, which
the projection merges into the same inspection rows (the later release leads) — never a second row.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from inspections.models import Dataset, Document
from inspections.pipeline.extract import sniff_content_type
from inspections.pipeline.resolve import check_framework_years
from inspections.pipeline.types import ExtractionError, IngestReport, ResolvedLetter

from .kinds import DatasetFormatError, DatasetRead, DatasetRecord, read_dataset
from .tables import CSV, HTML, ODS, XLSX, TableError, read_tables, spreadsheet_type


def dataset_in(data: bytes) -> DatasetRead | None:
    """The dataset these bytes hold, or None when they are not one (a letter, a report, a council page).

    Raises ExtractionError (shown to people) for a spreadsheet that is not a dataset sendtracker reads, or a
    dataset with a missing or renamed column, naming it."""
    content_type = spreadsheet_type(data)
    if not content_type:
        sniffed = sniff_content_type(data)
        if sniffed == "text/html" and b"<table" in data.lower():
            content_type = HTML
        elif sniffed == "text/plain" and b"," in data[:4096]:
            content_type = CSV
        else:
            return None
    try:
        read = read_dataset(read_tables(data, content_type), raw=data)
    except DatasetFormatError as exc:
        raise ExtractionError(str(exc)) from exc
    except TableError as exc:
        if content_type in (ODS, XLSX):
            raise ExtractionError(str(exc)) from exc
        return None
    if read is None and content_type in (ODS, XLSX):
        raise ExtractionError(
            "The file is a spreadsheet, but none of its sheets has the column headings of a dataset sendtracker reads "
            "(Ofsted's official statistics or management information on area SEND inspections, or data-to-insight's "
            "summary). Letters and reports are read from PDF, Word, HTML or text."
        )
    return read


def _resolve(record: DatasetRecord, register) -> ResolvedLetter:
    """The area a row is about: by the GSS code the row gives when the register holds it, else by the name as
    printed on the date the row speaks for (a month-only note: its first day), so a former authority's row belongs
    to the authority in force then (Dorset in January 2017 is Dorset county, not Dorset Council)."""
    letter = record.letter
    check_framework_years(letter)
    on = letter.start_date or letter.published_date or _first_of_month(letter.period_text or letter.initial_period_text)
    by_code = register.get(record.area_code) if record.area_code else None
    if by_code is not None and (on is None or by_code.in_force(on)):
        return ResolvedLetter(letter=letter, gss_code=record.area_code)
    # No code, or a code of an authority not in force on the row's date (data-to-insight gives Dorset county's
    # code for Dorset Council's 2024 inspection): the name on that date decides.
    result = register.resolve(record.area_name, on=on)
    if getattr(result, "warning", ""):
        letter.flag(result.warning)
    if result.ok:
        return ResolvedLetter(letter=letter, gss_code=result.gss_code, area_score=result.score)
    return ResolvedLetter(letter=letter, area_reason=f"{letter.source_label}: area “{record.area_name}” could not be matched to one local area: {result.reason}")


def _first_of_month(text: str) -> dt.date | None:
    m = re.search(r"([A-Z][a-z]+) (\d{4})", text or "")
    if not m:
        return None
    try:
        return dt.datetime.strptime(f"{m.group(1)} {m.group(2)}", "%B %Y").date()
    except ValueError:
        return None


@transaction.atomic
def dataset_write(*, document: Document, read: DatasetRead) -> IngestReport:
    """Store `read` for `document`: its rendered rows as the document's text, a `Dataset` row, and its records as
    letters projected onto the fact tables. Returns the pipeline's report (created/updated lines, rows skipped)."""
    from areas.resolver import AreaRegister
    from inspections.pipeline.write import write_document

    Document.objects.filter(pk=document.pk).update(text=read.text, published_date=read.published)
    document.text = read.text
    register = AreaRegister.from_db()
    resolved = [_resolve(record, register) for record in read.records]
    report = write_document(document=document, letters=resolved)
    Dataset.objects.update_or_create(document=document, defaults={
        "kind": read.kind, "title": read.title, "source_kind": read.source_kind, "published": read.published,
        "covers_to": read.covers_to, "currency": read.currency[:200], "licence": read.licence,
        "attribution": read.attribution, "records": len(read.records), "parts": read.parts,
    })
    report.skipped += read.notes
    return report
