"""HTML with thousands of unclosed or nested tags is read (iteratively), not failed with RecursionError, and in
time linear in its size."""

from __future__ import annotations

import time

import pytest

from inspections.pipeline.extract import extract_text
from tests.hostile_corpus import letter_text, nested_html


@pytest.mark.parametrize("opening", ["<div><span>", "<b>", "<ul><li>", "<table><tr><td>", "<blockquote><p>"])
def test_thousands_of_unclosed_tags_are_read(opening):
    markup = "<!doctype html><html><body>" + opening * 3000 + "<p>Joint local area SEND inspection in Nowhere.</p>"
    started = time.monotonic()
    text = extract_text(markup.encode()).text
    assert "Joint local area SEND inspection in Nowhere." in text
    assert time.monotonic() - started < 15  # was RecursionError; the furniture pass alone was quadratic (minutes)


def test_a_letter_at_the_bottom_of_deep_nesting_keeps_its_lines():
    body = letter_text().replace("&", "&amp;").replace("<", "&lt;")
    paragraphs = "".join(f"<p>{line}</p>" for line in body.splitlines() if line.strip())
    text = extract_text(("<html><body>" + "<div>" * 2000 + paragraphs).encode()).text
    assert "Joint local area SEND revisit in Redcar and Cleveland" in text.splitlines()
    assert "Yours sincerely" in text.splitlines()


@pytest.mark.django_db
def test_the_pipeline_gives_deep_html_a_clear_status(areas):
    from django.core.files.base import ContentFile

    from inspections.models import Document
    from inspections.pipeline.run import ingest_document
    from inspections.pipeline.store import document_store

    document = document_store(stream=ContentFile(nested_html(5000)), original_name="nested.html")
    ingest_document(document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.REJECTED, document.error
    assert "unexpected error" not in document.error and "RecursionError" not in document.error
