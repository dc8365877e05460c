"""End to end with real services: a seed file is stored, a REAL Celery worker (not eager mode) takes the task
from Redis, runs the pipeline against the same PostgreSQL database, and the records appear."""

import pytest

from inspections.models import Document, Inspection, Revisit
from inspections.pipeline.store import document_store
from inspections.ingest.tasks import ingest_document
from tests.conftest import SEEDS

from .conftest import wait_finished

pytestmark = pytest.mark.integration


def _store(name: str) -> Document:
    with (SEEDS / name).open("rb") as stream:
        return document_store(stream=stream, original_name=name)


def test_a_real_worker_ingests_uploaded_seed_letters(areas, celery_worker):
    hartlepool_and_middlesbrough = _store("000_30b352e54e3c96f7.txt")
    middlesbrough_revisit = _store("003_64ea2d33c3f63492.txt")

    results = [ingest_document.delay(doc.pk) for doc in (hartlepool_and_middlesbrough, middlesbrough_revisit)]
    assert all(type(result).__name__ == "AsyncResult" for result in results), "the task ran eagerly, not on the worker"

    documents = wait_finished([hartlepool_and_middlesbrough.pk, middlesbrough_revisit.pk], [celery_worker], timeout=90)
    # A council report is a secondary source: its facts are recorded but flagged, so its document needs review.
    expected = {hartlepool_and_middlesbrough.pk: Document.Status.DONE, middlesbrough_revisit.pk: Document.Status.NEEDS_REVIEW}
    for doc in documents.values():
        assert doc.status == expected[doc.pk], (doc.original_name, doc.status, doc.error)
        assert doc.started_at and doc.finished_at and doc.parser_version

    # The worker, not this process, ran both tasks.
    for result in results:
        assert f"[{result.id}] succeeded" in celery_worker.log()

    initial = {(i.area.name, i.start_date.isoformat()) for i in Inspection.objects.select_related("area")}
    assert initial == {("Hartlepool", "2016-10-03"), ("Middlesbrough", "2017-03-20")}  # the duplicate letter ignored
    revisit = Revisit.objects.select_related("inspection__area").get()
    assert revisit.inspection.area.gss_code == "E06000002"
    assert revisit.start_date.isoformat() == "2019-07-08"
    assert revisit.source_kind == "secondary"
    assert revisit.source_document_id == middlesbrough_revisit.pk


def test_worker_stops_cleanly_and_a_new_one_takes_over(areas, celery_workers):
    first = celery_workers.start()
    assert first.stop() == 0, first.log()[-4000:]

    second = celery_workers.start()
    document = _store("004_88fbfc01210d008c.txt")
    ingest_document.delay(document.pk)
    documents = wait_finished([document.pk], [second], timeout=90)
    assert documents[document.pk].status == Document.Status.DONE, documents[document.pk].error
    assert Inspection.objects.get().area.gss_code == "E06000004"  # Stockton-on-Tees
