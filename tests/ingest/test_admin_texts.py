"""The admin never renders or loads a document's whole text: the document page shows a bounded excerpt and links
the document's page; the source-letter list and a letter's page load no document text."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Document, SourceLetter
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store
from tests.hostile_corpus import many_letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_document(areas):
    document = document_store(stream=ContentFile(many_letters(120)), original_name="many.txt")  # 1.6 MB of text
    ingest_document(document.pk)
    document.refresh_from_db()
    assert len(document.text) > 1_500_000
    return document


# The text selected as a column (LENGTH(...) or SUBSTR(...) of it is fine: the database sends back a number or
# 2,000 characters).
WHOLE_TEXT = re.compile(r'(?:SELECT|,)\s*"inspections_document"\."text"\s*(?:,|FROM)')


def _loads_text(queries) -> list[str]:
    return [q["sql"][:160] for q in queries.captured_queries if WHOLE_TEXT.search(q["sql"])]


def test_the_document_page_shows_an_excerpt_and_a_link(admin_client, big_document):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:inspections_document_change", args=[big_document.pk]))
    assert response.status_code == 200
    assert len(response.content) < 200_000  # was the whole text: 1.6 MB here, 4.6 MB in the report
    page = response.content.decode()
    assert "Joint local area SEND revisit in Redcar and Cleveland" in page
    assert f"the first 2,000 of {len(big_document.text):,} characters" in page
    assert reverse("document_detail", args=[big_document.pk]) in page
    assert _loads_text(queries) == []


def test_the_document_list_loads_no_text(admin_client, big_document):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:inspections_document_changelist"))
    assert response.status_code == 200 and "many.txt" in response.content.decode()
    assert _loads_text(queries) == []


def test_the_source_letter_list_and_page_load_no_document_text(admin_client, big_document):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:inspections_sourceletter_changelist"))
    assert response.status_code == 200 and "many.txt" in response.content.decode()
    assert _loads_text(queries) == []
    assert len(queries.captured_queries) < 10  # no query per row
    letter = SourceLetter.objects.filter(document=big_document).order_by("position").first()
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:inspections_sourceletter_change", args=[letter.pk]))
    assert response.status_code == 200
    assert "Joint local area SEND revisit in Redcar and Cleveland" in response.content.decode()
    assert len(response.content) < 100_000
    assert _loads_text(queries) == []


def test_letters_cannot_be_edited_in_the_admin(admin_client, big_document):
    letter = SourceLetter.objects.filter(document=big_document).first()
    response = admin_client.post(reverse("admin:inspections_sourceletter_change", args=[letter.pk]), {"kind": "revisit"})
    assert response.status_code == 403
    assert Document.objects.filter(pk=big_document.pk).exists()
