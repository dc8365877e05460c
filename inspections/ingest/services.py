"""Writes about uploaded documents: store an upload, queue it, re-process it, claim it in a worker, give up on it.

Every queueing goes through `transaction.on_commit`: a worker must never receive the id of a row it cannot
see yet, and a rolled-back upload must never be processed. `robust=True` because a broker that is down must
not turn a saved upload into an error page: the document stays "queued" and `documents_requeue_stuck`
(the beat job) sends it again later.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from inspections.models import Document
from inspections.pipeline.store import document_store

from .queue import document_enqueue_on_commit

log = logging.getLogger(__name__)

FINISHED = frozenset({
    Document.Status.DONE, Document.Status.NEEDS_REVIEW, Document.Status.FAILED,
    Document.Status.REJECTED, Document.Status.DUPLICATE,
})
PENDING = frozenset({Document.Status.QUEUED, Document.Status.PROCESSING})


@transaction.atomic
def document_upload(*, files: Iterable[UploadedFile], user=None) -> list[Document]:
    """Store each (already validated) file and queue the new ones once the transaction commits.

    Identical content is recognised by sha256 (store.py): the repeat becomes a 'duplicate' row pointing at
    the original, is not stored again and is not queued.
    """
    documents = []
    try:
        for upload in files:
            document = document_store(
                stream=upload, original_name=upload.name or "upload",
                content_type=getattr(upload, "content_type", "") or "", uploaded_by=user,
            )
            if document.status != Document.Status.DUPLICATE:
                document_enqueue_on_commit(document.pk)
            documents.append(document)
    except BaseException:
        # This transaction is rolled back, so the rows of the files stored so far vanish: their files must go
        # too (nothing may stay in storage without its row). A full disk raises StorageFullError, whose
        # message the upload pages show.
        for document in documents:
            if document.status != Document.Status.DUPLICATE and document.file:
                with contextlib.suppress(OSError):
                    document.file.storage.delete(document.file.name)
        raise
    return documents


@transaction.atomic
def document_reprocess(*, documents: Iterable[Document]) -> list[Document]:
    """Run the whole pipeline again (with the current parser version) for finished documents.

    Duplicates have nothing of their own to process, and a document already queued or processing is left
    alone: resetting it under a running worker would make the worker's result look like a finished re-run.
    """
    chosen = [doc for doc in documents if doc.status in FINISHED and doc.status != Document.Status.DUPLICATE]
    if not chosen:
        return []
    Document.objects.filter(pk__in=[doc.pk for doc in chosen]).update(
        status=Document.Status.QUEUED, progress=0, error="", attempts=0, started_at=None, finished_at=None,
        updated_at=timezone.now(),
    )
    for doc in chosen:
        document_enqueue_on_commit(doc.pk)
    return list(Document.objects.filter(pk__in=[doc.pk for doc in chosen]))


def document_claim(*, document_id: int) -> bool:
    """Take a document for processing: True when it is queued, or was left 'processing' by a worker that died
    (a redelivered task). False when it is finished: a task delivered twice, or after a re-process already
    ran, does nothing. Conditional UPDATEs, so two workers cannot both take it.

    `attempts` counts the runs that began and did not end in a retry (`document_mark_retrying` gives its
    attempt back; a finished run leaves the document unclaimable; a re-process resets it). So a pending
    document that already has DOCUMENT_MAX_ATTEMPTS attempts ran that many times and never ended: the file
    kills its worker (out of memory, a crashing library, the hard time limit). It is failed here, with the
    reason, and False is returned. Counting at claim time is what stops the loop: each redelivery refreshes
    `started_at`, so the stuck-document job never sees such a document (issue 14, fault 3).
    """
    tried = Document.objects.filter(pk=document_id, status__in=PENDING).values_list("attempts", flat=True).first()
    if tried is None:
        return False  # finished or deleted
    now = timezone.now()
    # `attempts=tried` in both UPDATEs: if another worker claimed it since the read, neither applies.
    if tried >= settings.DOCUMENT_MAX_ATTEMPTS:
        given_up = Document.objects.filter(pk=document_id, status__in=PENDING, attempts=tried).update(
            status=Document.Status.FAILED, progress=100, finished_at=now, updated_at=now,
            error=f"Processing stopped the worker {tried} times (it was killed or crashed while reading this file), "
            "so sendtracker gave up on it. Re-process it once the cause is fixed, or try a smaller or simpler copy.",
        )
        if given_up:
            log.error("document %s: processing stopped the worker %s times; failed", document_id, tried)
        return False
    claimed = Document.objects.filter(pk=document_id, status__in=PENDING, attempts=tried).update(
        status=Document.Status.PROCESSING, attempts=tried + 1, started_at=now, progress=0, updated_at=now,
    )
    return claimed == 1


def document_fail(*, document_id: int, message: str) -> None:
    Document.objects.filter(pk=document_id).update(
        status=Document.Status.FAILED, error=message, progress=100, finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def document_mark_retrying(*, document_id: int, message: str) -> None:
    """Back to 'queued' with the reason while a transient error waits for its retry. The run gives its attempt
    back: a database or storage outage is not the file's fault and must not count towards giving up on it."""
    Document.objects.filter(pk=document_id, status=Document.Status.PROCESSING, attempts__gt=0).update(
        status=Document.Status.QUEUED, error=message, attempts=F("attempts") - 1, updated_at=timezone.now(),
    )


def documents_requeue_stuck(*, now=None) -> dict[str, int]:
    """Recover documents a lost task left behind (the beat job).

    - 'processing' for longer than the hard time limit (plus a margin): the worker died with it. Queue it
      again, unless it has been tried `DOCUMENT_MAX_ATTEMPTS` times already: then it fails, with the reason.
    - 'queued' for longer than `DOCUMENT_QUEUED_STALE_SECONDS`: its message was lost (broker down at upload
      time, or a broker restart without persistence). Send it again; a second copy is harmless because a
      task only claims a pending document.
    """
    now = now or timezone.now()
    max_attempts = settings.DOCUMENT_MAX_ATTEMPTS
    stuck_before = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    stale_before = now - timedelta(seconds=settings.DOCUMENT_QUEUED_STALE_SECONDS)
    counts = {"requeued": 0, "given_up": 0}
    with transaction.atomic():
        stuck = Document.objects.select_for_update(skip_locked=True).filter(
            Q(status=Document.Status.PROCESSING, started_at__lt=stuck_before)
            | Q(status=Document.Status.PROCESSING, started_at__isnull=True, updated_at__lt=stuck_before)
            | Q(status=Document.Status.QUEUED, updated_at__lt=stale_before)
        )
        for doc in stuck:
            if doc.status == Document.Status.PROCESSING and doc.attempts >= max_attempts:
                document_fail(
                    document_id=doc.pk,
                    message=f"Processing was interrupted {doc.attempts} times (the worker stopped or timed out); "
                    "sendtracker gave up. Re-process it once the cause is fixed.",
                )
                counts["given_up"] += 1
                continue
            Document.objects.filter(pk=doc.pk).update(status=Document.Status.QUEUED, updated_at=now)
            document_enqueue_on_commit(doc.pk)
            counts["requeued"] += 1
    if any(counts.values()):
        log.warning("stuck documents: %s", counts)
    return counts


def document_delete(*, documents: Iterable[Document]) -> int:
    """Delete documents without leaving orphan facts: each one's letters are forgotten first (its areas are
    re-projected from the letters that remain, as if it had never been ingested), then its stored file, its
    duplicate rows (they hold no file of their own) and the row itself. Returns how many rows went."""
    from inspections.pipeline.write import forget_document  # the Django-bound pipeline stage

    deleted = 0
    for document in documents:
        with transaction.atomic():
            forget_document(document=document)
            name = document.file.name if document.file else ""
            deleted += Document.objects.filter(Q(pk=document.pk) | Q(duplicate_of=document.pk)).delete()[1].get(
                Document._meta.label, 0
            )
            if name:
                storage = document.file.storage
                # The file goes only after the rows are gone for good; a failed delete keeps it.
                transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return deleted
