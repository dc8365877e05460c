"""Celery tasks: thin. They take a document id, call the pipeline, and own retry and failure handling.

`ingest_document` may run more than once for one upload (acks_late: a worker killed mid-task has its message
redelivered; the beat job may send a second copy). That is safe because
- it first *claims* the document (queued/processing -> processing): a finished document is left alone;
- on PostgreSQL it holds a session advisory lock on the document while it works, so a second copy running at
  the same moment backs off (the lock dies with the connection if the worker is killed);
- the write stage is idempotent (letters reconciled by natural key in one transaction).

Retries are for transient trouble only (database connection, storage I/O), with exponential backoff over
minutes and jitter (`retry_countdown`); a retry gives the run's attempt back, so only runs that never ended
count towards DOCUMENT_MAX_ATTEMPTS (checked when a document is claimed). While even a failure cannot be recorded
(the database is away), the message is kept alive rather than acknowledged. A PipelineError (bad file, not a SEND document) is a verdict, recorded by the pipeline, never retried.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

from inspections.models import Document
from inspections.pipeline.run import database_limit_reason as permanent_database_reason
from inspections.pipeline.run import ingest_document as run_pipeline
from inspections.pipeline.types import PipelineError
from inspections.ingest.services import (
    document_claim,
    document_fail,
    document_mark_retrying,
    documents_requeue_stuck,
)

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
# With the default DOCUMENT_RETRY_FIRST_SECONDS / DOCUMENT_RETRY_MAX_SECONDS (15 s, 10 min) eight retries
# span about 18 to 36 minutes: a database restart or failover is waited out, not burnt through in seconds.
MAX_RETRIES = 8
UNLIMITED_RETRIES = 10**9  # Celery's retry() treats None as "the task's default", not "no limit"
_LOCK_NAMESPACE = 0x5E4D  # advisory-lock key space for documents ("SEND")


@shared_task(name="inspections.ingest.tasks.ingest_document", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def ingest_document(self, document_id: int) -> str:
    try:
        with _document_lock(document_id) as locked:
            if not locked:
                return "busy"  # another worker has it right now; it will finish it
            if not document_claim(document_id=document_id):
                return "skipped"  # finished already (a redelivered or repeated message) or deleted
            _test_pause()
            return run_pipeline(document_id).status
    except PipelineError as exc:
        # The pipeline records these itself; one that escapes is still a verdict, never a reason to retry.
        Document.objects.filter(pk=document_id).update(status=exc.status, error=exc.message, progress=100)
        return exc.status
    except SoftTimeLimitExceeded:
        limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
        document_fail(
            document_id=document_id,
            message=f"Processing took longer than the {limit} s limit and was stopped. The file may be too "
            "large or complex; try a smaller or simpler copy.",
        )
        return Document.Status.FAILED
    except TRANSIENT_ERRORS as exc:
        permanent = permanent_database_reason(exc)
        if permanent:
            # A value past a database limit (SQLSTATE class 54: an OperationalError like a lost connection, but the
            # same text meets the same limit on every try): a verdict, not a reason to retry for half an hour.
            _close_broken_connection()
            document_fail(document_id=document_id, message=permanent)
            return Document.Status.FAILED
        reason = f"{type(exc).__name__}: {exc}".strip()
        _close_broken_connection()
        if self.request.retries >= self.max_retries:
            try:
                document_fail(
                    document_id=document_id,
                    message=f"A temporary error persisted after {self.request.retries + 1} tries, so processing "
                    f"stopped ({reason}). Re-process the document once the database/storage is healthy.",
                )
                return Document.Status.FAILED
            except TRANSIENT_ERRORS:
                # The failure cannot even be recorded: the database is still away. Ending the task now would
                # acknowledge the message and leave the document 'queued'/'processing' with no word of why, until
                # the beat job (if one runs) notices. Keep the message alive instead, at the longest interval,
                # until the database answers; then the next try processes the document or records the failure.
                _close_broken_connection()
                countdown = retry_countdown(self.max_retries)
                log.error("document %s: database unreachable after %s tries; trying again in %ss: %s",
                          document_id, self.request.retries + 1, countdown, reason)
                raise self.retry(exc=exc, countdown=countdown, max_retries=UNLIMITED_RETRIES) from None
        countdown = retry_countdown(self.request.retries)
        with contextlib.suppress(*TRANSIENT_ERRORS):
            document_mark_retrying(document_id=document_id, message=f"Temporary error, retrying in {countdown} s ({reason}).")
        log.warning("document %s: transient error, retry %s in %ss: %s", document_id, self.request.retries + 1, countdown, reason)
        raise self.retry(exc=exc, countdown=countdown)
    except Exception as exc:
        # A bug or a file that defeats a library in a way we did not foresee: record it rather than leave the
        # document 'processing' (retrying would fail the same way). Anything written was rolled back with the
        # write transaction.
        log.exception("document %s: unexpected error", document_id)
        document_fail(
            document_id=document_id,
            message=f"The file could not be processed: an unexpected error ({type(exc).__name__}) stopped it. "
            "It has been logged for the maintainers.",
        )
        return Document.Status.FAILED


@shared_task(name="inspections.ingest.tasks.requeue_stuck_documents")
def requeue_stuck_documents() -> dict[str, int]:
    return documents_requeue_stuck()


@contextlib.contextmanager
def _document_lock(document_id: int):
    """A PostgreSQL session advisory lock on the document, released on exit or when the connection dies.
    Other databases (SQLite: one writer, the dev setup) get no lock: the claim alone protects them."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, document_id])
        locked = cursor.fetchone()[0]
    try:
        yield locked
    finally:
        if locked:
            with contextlib.suppress(*TRANSIENT_ERRORS), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, document_id])


def retry_countdown(retries: int) -> int:
    """Seconds to wait before retry number `retries + 1` (retries counts from 0) after a transient error.

    Exponential from DOCUMENT_RETRY_FIRST_SECONDS, doubling, capped at DOCUMENT_RETRY_MAX_SECONDS, with "equal
    jitter": a random point in the upper half of that step, so workers that failed together spread out, yet
    each wait still grows (full jitter can draw ~0 s and spend the retries within seconds). At least 1 s.
    """
    first = settings.DOCUMENT_RETRY_FIRST_SECONDS
    ceiling = settings.DOCUMENT_RETRY_MAX_SECONDS
    step = min(ceiling, first * 2 ** min(retries, 32))
    return max(1, round(step / 2 + random.uniform(0, step / 2)))


def _test_pause() -> None:
    """Test-only: SENDTRACKER_TEST_SLOW_SECONDS (0 everywhere else) holds a claimed document in 'processing'
    so the integration tests can kill a worker mid-task deterministically."""
    seconds = settings.SENDTRACKER_TEST_SLOW_SECONDS
    if seconds:
        log.info("SENDTRACKER_TEST_SLOW_SECONDS: pausing %s s", seconds)
        time.sleep(seconds)


def _close_broken_connection() -> None:
    with contextlib.suppress(Exception):
        if connection.connection is not None and not connection.is_usable():
            connection.close()
