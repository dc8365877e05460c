"""Issue 14 faults 3 and 4, without a broker: attempts are counted when a document is claimed, so a file that
kills its worker every time is failed with the reason; a transient error gives its attempt back; and a task that
cannot even record a failure keeps its message alive instead of ending. Tasks run in-process (eager)."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from inspections.ingest import services, tasks
from inspections.ingest.services import document_claim, document_mark_retrying
from inspections.models import Document
from tests.factories import make_document
from tests.test_tasks import pipeline  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["queued", "processing"])
def test_a_document_whose_runs_never_ended_is_failed_at_claim_time(settings, status):
    settings.DOCUMENT_MAX_ATTEMPTS = 3
    document = make_document(status=status, attempts=3)
    assert document_claim(document_id=document.pk) is False
    document.refresh_from_db()
    assert document.status == "failed" and document.attempts == 3 and document.finished_at
    assert document.error.startswith("Processing stopped the worker 3 times")


def test_the_claims_before_the_limit_take_the_document(settings):
    settings.DOCUMENT_MAX_ATTEMPTS = 3
    document = make_document(status="queued")
    for expected in (1, 2, 3):  # a worker killed after each claim leaves it 'processing'; redelivery claims again
        assert document_claim(document_id=document.pk) is True
        document.refresh_from_db()
        assert (document.status, document.attempts) == ("processing", expected)
    assert document_claim(document_id=document.pk) is False  # the fourth delivery gives up
    assert Document.objects.get(pk=document.pk).status == "failed"


def test_a_redelivered_task_for_a_document_that_kills_its_worker_ends_failed(pipeline, settings):  # noqa: F811
    settings.DOCUMENT_MAX_ATTEMPTS = 3
    document = make_document(status="processing", attempts=3)  # three runs began, none ended
    tasks.ingest_document.apply(args=[document.pk])
    document.refresh_from_db()
    assert pipeline.calls == [] and document.status == "failed" and "stopped the worker 3 times" in document.error


def test_a_transient_retry_gives_its_attempt_back():
    document = make_document(status="processing", attempts=2)
    document_mark_retrying(document_id=document.pk, message="Temporary error, retrying in 15 s (OperationalError).")
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("queued", 1) and "retrying in 15 s" in document.error


def test_when_even_the_failure_cannot_be_recorded_the_task_keeps_trying(pipeline, monkeypatch):  # noqa: F811
    """The database is still away when the retries run out: the task must not end (acknowledging its message
    and leaving the document 'queued' with no reason); it retries until the database answers."""
    document = make_document(status="queued")
    pipeline.effects = [OperationalError("could not connect to server")] * (tasks.MAX_RETRIES + 1) + ["done"]
    real_fail = services.document_fail
    unrecorded: list[int] = []

    def fail_while_down(*, document_id, message):
        if not unrecorded:
            unrecorded.append(document_id)
            raise OperationalError("could not connect to server")
        real_fail(document_id=document_id, message=message)

    monkeypatch.setattr(tasks, "document_fail", fail_while_down)
    tasks.ingest_document.apply(args=[document.pk])
    document.refresh_from_db()
    assert unrecorded == [document.pk]
    # One more run after the retries ran out, and the database was back: the document was processed.
    assert len(pipeline.calls) == tasks.MAX_RETRIES + 2 and document.status == "done"
