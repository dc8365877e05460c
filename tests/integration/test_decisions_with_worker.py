"""Issue 14 fault 1 with the real parts: a REAL Celery worker on Redis and PostgreSQL.

An analyst corrects the inspection's start date and a weakness's number, and rejects another weakness, after a
worker ingested the letter; then copies of the same letter (a forwarded copy, a copy with a note) arrive and a
worker ingests them, and the original is re-processed. One inspection, every decision still applied.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from inspections.ingest.services import document_reprocess
from inspections.ingest.tasks import ingest_document
from inspections.models import Document, Inspection, SignificantWeakness
from inspections.pipeline.store import document_store
from inspections.review.services import fact_correct, fact_reject
from tests.conftest import SEEDS

from .conftest import wait_finished

pytestmark = pytest.mark.integration

LETTER = (SEEDS / "002_1a880b05da5a12dc.txt").read_text(encoding="utf-8")  # Medway's initial letter, 8 weaknesses
CORRECTED = dt.date(2017, 3, 1)


def _run(name: str, text: str, worker) -> Document:
    document = document_store(stream=ContentFile(text.encode()), original_name=name)
    ingest_document.delay(document.pk)
    return wait_finished([document.pk], [worker], timeout=90)[document.pk]


def test_decisions_bind_copies_ingested_by_a_real_worker(areas, celery_worker):
    analyst = get_user_model().objects.create_user("decider")
    original = _run("original.txt", LETTER, celery_worker)
    inspection = Inspection.objects.get(area__gss_code="E06000035")
    first, second = SignificantWeakness.objects.filter(inspection=inspection).order_by("number")[:2]
    fact_correct(fact=inspection, field="start_date", value=CORRECTED, user=analyst)
    fact_correct(fact=first, field="number", value=9, user=analyst)
    fact_reject(fact=second, user=analyst, note="not in the letter")

    _run("forwarded.txt", "From: SEND team\nSubject: FW: the letter\n\n" + LETTER, celery_worker)
    _run("with-note.txt", LETTER + "\n\nCirculated to the SEND Improvement Board.\n", celery_worker)
    document_reprocess(documents=[Document.objects.get(pk=original.pk)])
    wait_finished([original.pk], [celery_worker], timeout=90)

    (inspection,) = Inspection.all_objects.filter(area__gss_code="E06000035")
    assert inspection.start_date == CORRECTED
    assert "no source letter supports" not in " ".join(inspection.review_reasons or [])
    visible = sorted(SignificantWeakness.objects.filter(inspection=inspection).values_list("number", flat=True))
    assert visible == [3, 4, 5, 6, 7, 8, 9]
    assert SignificantWeakness.all_objects.filter(inspection=inspection).count() == 8
    assert SignificantWeakness.all_objects.get(pk=second.pk).rejected
