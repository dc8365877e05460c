"""inspections/ingest/tasks.py: claim/idempotency, which errors are retried, time limits, and the stuck-document job.
The pipeline is replaced by a stub so each failure is exact; tasks run in-process (eager)."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from inspections.ingest import tasks
from inspections.models import Document
from inspections.pipeline.types import ExtractionError, IngestReport
from inspections.ingest.services import documents_requeue_stuck
from tests.factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(monkeypatch):
    """A stub pipeline: `pipeline.effects` is what each call does (an exception to raise, or a status)."""

    class Stub:
        calls: list[int] = []
        effects: list = []

        def __call__(self, document_id: int) -> IngestReport:
            self.calls.append(document_id)
            effect = self.effects.pop(0) if self.effects else "done"
            if isinstance(effect, BaseException):
                raise effect
            Document.objects.filter(pk=document_id).update(status=effect)
            return IngestReport(document_id=document_id, status=effect)

    stub = Stub()
    stub.calls, stub.effects = [], []
    monkeypatch.setattr(tasks, "run_pipeline", stub)
    return stub


def test_a_queued_document_is_claimed_and_processed(pipeline):
    document = make_document(status="queued")
    assert tasks.ingest_document.apply(args=[document.pk]).get() == "done"
    document.refresh_from_db()
    assert pipeline.calls == [document.pk] and document.attempts == 1 and document.started_at


@pytest.mark.parametrize("status", ["done", "needs_review", "failed", "rejected", "duplicate"])
def test_a_repeated_message_for_a_finished_document_does_nothing(pipeline, status):
    document = make_document(status=status, attempts=1)
    assert tasks.ingest_document.apply(args=[document.pk]).get() == "skipped"
    document.refresh_from_db()
    assert pipeline.calls == [] and document.status == status and document.attempts == 1


def test_a_document_left_processing_by_a_dead_worker_is_taken_again(pipeline):
    document = make_document(status="processing", attempts=1)
    tasks.ingest_document.apply(args=[document.pk])
    document.refresh_from_db()
    assert document.status == "done" and document.attempts == 2


def test_a_deleted_document_is_skipped(pipeline):
    assert tasks.ingest_document.apply(args=[987654]).get() == "skipped"
    assert pipeline.calls == []


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("connection already closed"),
                                   OSError(5, "Input/output error")])
def test_transient_errors_are_retried_then_succeed(pipeline, error):
    document = make_document(status="queued")
    pipeline.effects = [error, error]
    tasks.ingest_document.apply(args=[document.pk])
    document.refresh_from_db()
    # Each retry gave its attempt back: an outage is not the file's fault (only runs that never ended count).
    assert len(pipeline.calls) == 3 and document.status == "done" and document.attempts == 1


def test_a_transient_error_that_persists_ends_failed_with_the_reason(pipeline):
    document = make_document(status="queued")
    pipeline.effects = [OperationalError("could not connect to server")] * 10
    tasks.ingest_document.apply(args=[document.pk])
    document.refresh_from_db()
    assert len(pipeline.calls) == tasks.MAX_RETRIES + 1
    assert document.status == "failed"
    assert f"temporary error persisted after {tasks.MAX_RETRIES + 1} tries" in document.error
    assert "could not connect to server" in document.error


def test_the_retry_policy_backs_off_over_minutes_with_jitter_and_a_cap(settings):
    settings.DOCUMENT_RETRY_FIRST_SECONDS, settings.DOCUMENT_RETRY_MAX_SECONDS = 15, 600
    waits = [{tasks.retry_countdown(retries) for _ in range(50)} for retries in range(tasks.MAX_RETRIES)]
    assert len(waits[4]) > 1  # jitter: not one fixed delay
    assert 7 <= min(waits[0]) and max(waits[0]) <= 15  # the upper half of the first step
    assert all(min(later) >= max(earlier) / 2 for earlier, later in zip(waits, waits[1:]))  # never shrinks much
    assert max(max(w) for w in waits) <= 600  # capped
    # Issue 14 fault 4: a database outage of several minutes is waited out, not spent within seconds.
    assert sum(min(w) for w in waits) >= 15 * 60
    assert tasks.ingest_document.max_retries == tasks.MAX_RETRIES and tasks.ingest_document.acks_late


def test_a_pipeline_error_is_never_retried(pipeline):
    document = make_document(status="queued")
    pipeline.effects = [ExtractionError("The PDF is damaged and cannot be opened.")]
    tasks.ingest_document.apply(args=[document.pk])
    assert len(pipeline.calls) == 1
    document.refresh_from_db()
    assert (document.status, document.error) == ("failed", "The PDF is damaged and cannot be opened.")


def test_an_unexpected_error_fails_the_document_instead_of_leaving_it_processing(pipeline):
    document = make_document(status="queued")
    pipeline.effects = [KeyError("a library bug")]
    assert tasks.ingest_document.apply(args=[document.pk]).get() == "failed"
    document.refresh_from_db()
    assert len(pipeline.calls) == 1 and document.status == "failed"
    assert "unexpected error (KeyError)" in document.error


def test_soft_time_limit_records_a_readable_failure(pipeline, settings):
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 240
    document = make_document(status="queued")
    pipeline.effects = [SoftTimeLimitExceeded()]
    assert tasks.ingest_document.apply(args=[document.pk]).get() == "failed"
    document.refresh_from_db()
    assert document.status == "failed" and "longer than the 240 s limit" in document.error
    assert len(pipeline.calls) == 1


def _age(document: Document, *, seconds: int, field: str = "started_at") -> None:
    Document.objects.filter(pk=document.pk).update(**{field: timezone.now() - dt.timedelta(seconds=seconds)})


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    sent: list[int] = []
    monkeypatch.setattr(tasks.ingest_document, "delay", lambda document_id: sent.append(document_id))
    return sent


def test_stuck_processing_is_requeued_then_given_up(settings, enqueued, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_TIME_LIMIT = 300
    settings.DOCUMENT_MAX_ATTEMPTS = 3
    stuck = make_document(status="processing", attempts=1)
    _age(stuck, seconds=301 + 60)
    hopeless = make_document(status="processing", attempts=3)
    _age(hopeless, seconds=3600)
    running = make_document(status="processing", attempts=1)
    _age(running, seconds=100)  # within the hard limit: still running somewhere
    with django_capture_on_commit_callbacks(execute=True):
        counts = tasks.requeue_stuck_documents.apply().get()
    assert counts == {"requeued": 1, "given_up": 1}
    assert enqueued == [stuck.pk]
    assert Document.objects.get(pk=stuck.pk).status == "queued"
    hopeless.refresh_from_db()
    assert hopeless.status == "failed" and "interrupted 3 times" in hopeless.error
    assert Document.objects.get(pk=running.pk).status == "processing"


def test_long_queued_documents_are_sent_again(settings, enqueued, django_capture_on_commit_callbacks):
    settings.DOCUMENT_QUEUED_STALE_SECONDS = 900
    lost = make_document(status="queued")
    _age(lost, seconds=901, field="updated_at")
    fresh = make_document(status="queued")
    finished = make_document(status="done")
    _age(finished, seconds=99999, field="updated_at")
    with django_capture_on_commit_callbacks(execute=True):
        documents_requeue_stuck()
    assert enqueued == [lost.pk]
    assert {fresh.pk, finished.pk}.isdisjoint(enqueued)


def test_the_beat_schedule_runs_the_stuck_job(settings):
    from sendtracker.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "inspections.ingest.tasks.requeue_stuck_documents" in scheduled
    assert "inspections.ingest.tasks.requeue_stuck_documents" in app.tasks
