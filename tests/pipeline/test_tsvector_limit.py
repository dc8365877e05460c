"""A letter too rich in distinct words for PostgreSQL's tsvector ("string is too long for tsvector", at 1 MB of
lexemes) fails at once with a reason a person understands: it is not a temporary database error to retry for half
an hour, and nothing of it is stored."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from inspections.models import Document, SourceLetter
from inspections.pipeline.store import document_store
from tests.hostile_corpus import huge_letter, letter_text

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "too many different words for PostgreSQL's full-text search"


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's tsvector limit (set DATABASE_URL to a PostgreSQL database)")


def test_the_pipeline_fails_the_document_with_the_reason(postgres, areas):
    from inspections.pipeline.run import ingest_document

    document = document_store(stream=ContentFile(huge_letter(250_000)), original_name="huge.txt")
    report = ingest_document(document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED and report.status == "failed"
    assert REASON in document.error, document.error
    assert not SourceLetter.objects.filter(document=document).exists()
    # The database is fine afterwards: the next document is read and written.
    ordinary = document_store(stream=ContentFile(letter_text().encode()), original_name="ordinary.txt")
    assert ingest_document(ordinary.pk).status in ("done", "needs_review")


def test_the_task_does_not_retry_it(postgres, areas, settings):
    from inspections.ingest.tasks import ingest_document

    document = document_store(stream=ContentFile(huge_letter(250_000)), original_name="huge.txt")
    result = ingest_document.apply(args=[document.pk])
    document.refresh_from_db()
    assert result.result == Document.Status.FAILED
    assert document.status == Document.Status.FAILED and REASON in document.error
    assert "Temporary error" not in document.error and "retry" not in document.error.lower()


def test_a_program_limit_error_from_the_database_is_not_transient():
    import psycopg
    from django.db import OperationalError

    from inspections.ingest.tasks import permanent_database_reason

    try:
        try:
            raise psycopg.errors.ProgramLimitExceeded("string is too long for tsvector (1100000 bytes, max 1048575 bytes)")
        except psycopg.Error as inner:
            raise OperationalError(str(inner)) from inner
    except OperationalError as exc:
        assert REASON in permanent_database_reason(exc)
    assert permanent_database_reason(OperationalError("connection refused")) == ""
