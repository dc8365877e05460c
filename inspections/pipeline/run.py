"""The pipeline, end to end, for one stored Document. Celery tasks and the `ingest` command call this."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from inspections.models import Document

from . import PARSER_VERSION
from .classify import classify
from .extract import extract_text_bounded
from .parse import parse_letter
from .split import split_letters
from .store import read_document_bytes
from .types import ExtractedText, IngestReport, PipelineError

log = logging.getLogger(__name__)


def ingest_document(document_id: int) -> IngestReport:
    # Not the text a previous run stored (megabytes): this run extracts it again.
    document = Document.objects.defer("text").get(pk=document_id)
    if document.status == Document.Status.DUPLICATE:
        return IngestReport(document_id=document.pk, status=document.status, message=document.error)
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.PROCESSING, started_at=timezone.now(), progress=0, error=""
    )
    try:
        data = read_document_bytes(document)
        _progress(document, 10)
        from inspections.datasets.services import dataset_in, dataset_write  # Django-bound, like write.py

        dataset = dataset_in(data)  # Ofsted's statistics, management information, data-to-insight's summary
        if dataset is not None:
            report = dataset_write(document=document, read=dataset)
            _finish(document, report.status, report.message)
            return report
        extracted = extract_text(data)
        del data  # the file's bytes are not needed past extraction (a 50 MB upload is 50 MB held to the end)
        text = extracted.text
        Document.objects.filter(pk=document.pk).update(text=text, content_type=extracted.content_type, progress=30)
        document.text = text
        classified = [classify(chunk) for chunk in split_letters(text)]
        _progress(document, 50)
        parsed = [parse_letter(item, text) for item in classified]
        _progress(document, 70)
        from .resolve import resolve_letters
        from .write import write_document  # Django-bound stages

        resolved = resolve_letters(parsed, _register())
        try:
            report = write_document(document=document, letters=resolved)
        except DatabaseError as exc:
            reason = database_limit_reason(exc)
            if not reason:
                raise  # transient or unforeseen: the task decides
            raise PipelineError(reason) from exc
    except PipelineError as exc:
        from .write import forget_document

        forget_document(document=document)
        _finish(document, exc.status, exc.message)
        return IngestReport(document_id=document.pk, status=exc.status, message=exc.message)
    _finish(document, report.status, report.message)
    return report


def database_limit_reason(exc: BaseException) -> str:
    """Why the database refused the document for good, in plain words, or '' when `exc` is not such an error.

    PostgreSQL reports a value past one of its limits as SQLSTATE class 54 ("program limit exceeded"), which
    psycopg (and so Django) raise as an OperationalError — the same class as a lost connection. Retrying cannot
    help (the same text meets the same limit), so it is a verdict on the document, not a temporary error. The one
    a letter meets: its search vector (to_tsvector of its text, kept by a trigger) may hold at most 1 MB of
    distinct words and positions."""
    cause: BaseException | None = exc
    while cause is not None:
        sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if sqlstate and str(sqlstate).startswith("54"):
            detail = str(cause).strip().splitlines()[0][:160] if str(cause).strip() else sqlstate
            if "tsvector" in str(cause):
                return (
                    "The text has too many different words for PostgreSQL's full-text search (a letter's search index "
                    f"holds at most 1 MB of words; the database said: {detail}). It is not a single inspection letter; "
                    "nothing of it was stored."
                )
            return f"The document is past a limit of the database ({detail}); nothing of it was stored."
        cause = cause.__cause__ or cause.__context__
    return ""


def extract_text(data: bytes) -> ExtractedText:
    """The document's text, read in a child process with the configured memory and CPU-time limits
    (EXTRACT_MAX_MEMORY_MB, EXTRACT_MAX_CPU_SECONDS): a hostile file fails with the reason and the worker carries
    on (extract.py: extract_text_bounded). Raises ExtractionError."""
    return extract_text_bounded(
        data, max_memory_mb=settings.EXTRACT_MAX_MEMORY_MB, max_cpu_seconds=settings.EXTRACT_MAX_CPU_SECONDS
    )


def _register():
    from areas.resolver import AreaRegister  # read from the database once per document

    return AreaRegister.from_db()


def _progress(document: Document, percent: int) -> None:
    """Coarse progress for the status page (a large file spends seconds in each stage)."""
    Document.objects.filter(pk=document.pk).update(progress=percent, updated_at=timezone.now())


def _finish(document: Document, status: str, message: str) -> None:
    Document.objects.filter(pk=document.pk).update(
        status=status, error=message, progress=100, finished_at=timezone.now(), parser_version=PARSER_VERSION
    )
