"""The writer never loads a document's text back from the database: one text of many letters used to be loaded
once per letter (select_related("document") in the projection and in the duplicate look-up), 330 letters of a
4.5 MB text taking a worker to 12 GB. Measured with bench/hostile_rss.py; asserted here through the SQL."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Document, SourceLetter
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store
from tests.hostile_corpus import many_letters

pytestmark = pytest.mark.django_db


def _reads_a_text(sql: str) -> bool:
    return sql.lstrip().upper().startswith("SELECT") and '"inspections_document"."text"' in sql


def test_many_letters_in_one_text_are_written_without_reloading_the_text(areas):
    document = document_store(stream=ContentFile(many_letters(40)), original_name="many.txt")
    with CaptureQueriesContext(connection) as queries:
        report = ingest_document(document.pk)
    assert report.status in (Document.Status.DONE, Document.Status.NEEDS_REVIEW), report.message
    assert SourceLetter.objects.filter(document=document).count() == 40
    loads = [q["sql"][:200] for q in queries.captured_queries if _reads_a_text(q["sql"])]
    assert loads == [], f"{len(loads)} queries loaded a document's text, e.g. {loads[:1]}"


def test_a_second_document_repeating_the_letters_does_not_load_the_first_one_s_text(areas):
    first = document_store(stream=ContentFile(many_letters(5)), original_name="first.txt")
    ingest_document(first.pk)
    second = document_store(stream=ContentFile(many_letters(6)), original_name="second.txt")
    with CaptureQueriesContext(connection) as queries:
        ingest_document(second.pk)
    assert not [q for q in queries.captured_queries if _reads_a_text(q["sql"])]
    # 11 copies of one letter: one stands, every other points at it.
    assert SourceLetter.objects.filter(duplicate_of__isnull=True).count() == 1
    assert SourceLetter.objects.filter(duplicate_of__isnull=False).count() == 10
