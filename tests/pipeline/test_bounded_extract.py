"""Text extraction runs in a helper process with memory (RLIMIT_AS) and CPU-time (RLIMIT_CPU) limits: a file built
to exhaust either fails with the limit named, and the process that asked carries on reading the next file."""

from __future__ import annotations

import resource
import time

import pytest

from inspections.pipeline import extract
from inspections.pipeline.extract import extract_text_bounded
from inspections.pipeline.types import ExtractionError
from tests.hostile_corpus import letter_text, nested_html, pdf_bomb
from tests.pipeline.bad_inputs import pdf


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_pdf_bomb_fails_with_the_memory_limit_and_the_caller_carries_on():
    bomb = pdf_bomb(400)  # 400 MB of blank space in a 0.4 MB file; read in-process it took ~900 MB
    before = _peak_rss_mb()
    with pytest.raises(ExtractionError) as caught:
        extract_text_bounded(bomb, max_memory_mb=128)
    assert "The PDF expands beyond the 128 MB limit" in caught.value.message
    assert _peak_rss_mb() - before < 64  # the inflating happened elsewhere
    # The next document is read as usual (a new helper replaces the one that died).
    text = extract_text_bounded(pdf("Joint local area SEND inspection in Rutland"), max_memory_mb=128).text
    assert "Rutland" in text


def test_ordinary_files_read_the_same_as_in_process():
    for data in (pdf("Joint local area SEND inspection in Rutland", pages=3), letter_text().encode(), nested_html(10)):
        assert extract_text_bounded(data) == extract.extract_text(data)


def test_the_reader_s_own_reasons_come_back_unchanged():
    with pytest.raises(ExtractionError, match="The file is empty"):
        extract_text_bounded(b"")
    with pytest.raises(ExtractionError, match="not a type sendtracker reads"):
        extract_text_bounded(b"\x00\x01\x02" * 100)


def test_a_file_that_keeps_the_reader_busy_fails_with_the_cpu_limit(monkeypatch):
    def busy(data, **kwargs):
        while True:
            pass

    monkeypatch.setattr(extract, "extract_text", busy)
    started = time.monotonic()
    with pytest.raises(ExtractionError) as caught:
        extract_text_bounded(b"hello", max_memory_mb=256, max_cpu_seconds=1)  # new limits: a new helper, forked now
    assert "more than the 1 s CPU-time limit" in caught.value.message
    assert time.monotonic() - started < 20
    monkeypatch.undo()
    assert extract_text_bounded(b"hello there", max_memory_mb=256, max_cpu_seconds=2).text == "hello there"


@pytest.mark.django_db
def test_the_pipeline_fails_a_bomb_with_the_reason_and_reads_the_next_document(settings, areas):
    from django.core.files.base import ContentFile

    from inspections.models import Document
    from inspections.pipeline.run import ingest_document
    from inspections.pipeline.store import document_store

    settings.EXTRACT_MAX_MEMORY_MB = 128
    bomb = document_store(stream=ContentFile(pdf_bomb(300)), original_name="bomb.pdf")
    report = ingest_document(bomb.pk)
    bomb.refresh_from_db()
    assert bomb.status == Document.Status.FAILED and report.status == "failed"
    assert "expands beyond the 128 MB limit" in bomb.error
    letter = document_store(stream=ContentFile(letter_text().encode()), original_name="letter.txt")
    assert ingest_document(letter.pk).status in ("done", "needs_review")


def test_a_reader_s_bug_is_a_failure_with_the_reason_and_is_logged(monkeypatch, caplog):
    def broken(data, **kwargs):
        raise KeyError("/Widths")

    monkeypatch.setattr(extract, "extract_text", broken)
    with pytest.raises(ExtractionError) as caught:
        extract_text_bounded(pdf("x"), max_memory_mb=300, max_cpu_seconds=30)  # new limits: forked with the patch
    assert "could not be read: the reader failed (KeyError: '/Widths')" in caught.value.message
    assert "KeyError" in caplog.text and "Traceback" in caplog.text
