"""The pipeline, end to end, for one stored Document. Celery tasks and the `ingest` command call this."""

from __future__ import annotations

import logging

from django.utils import timezone

from inspections.models import Document

from . import PARSER_VERSION
from .classify import classify
from .extract import extract_text
from .parse import parse_letter
from .split import split_letters
from .store import read_document_bytes
from .types import IngestReport, PipelineError

log = logging.getLogger(__name__)


def ingest_document(document_id: int) -> IngestReport:
    document = Document.objects.get(pk=document_id)
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
        report = write_document(document=document, letters=resolved)
    except PipelineError as exc:
        from .write import forget_document

        forget_document(document=document)
        _finish(document, exc.status, exc.message)
        return IngestReport(document_id=document.pk, status=exc.status, message=exc.message)
    _finish(document, report.status, report.message)
    return report


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
