"""Import a whole archive (a folder or a .zip) through the normal store and queue: the service behind
`manage.py import_archive`.

Each file is checked by content (a type the pipeline reads), skipped when its sha256 is already held (no
duplicate row is written, so importing the same archive again changes nothing), otherwise stored and queued
exactly like an upload. `archive_wait` then follows the queued documents to their final status; with tasks
in-process (no REDIS_URL) they are final as soon as each is stored.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction

from inspections.ingest.queue import document_enqueue_on_commit
from inspections.models import Document
from inspections.pipeline.extract import SUPPORTED
from inspections.pipeline.store import document_store

from .archive import Member, readable_type

# The table's rows, in order. "refused" = not stored (a type not read, too large, encrypted, a nested zip);
# "pending" = still queued or processing when the wait ended.
OUTCOMES = ("done", "needs_review", "rejected", "failed", "duplicate", "refused", "pending")
_FINAL = {
    Document.Status.DONE: "done", Document.Status.NEEDS_REVIEW: "needs_review", Document.Status.REJECTED: "rejected",
    Document.Status.FAILED: "failed", Document.Status.DUPLICATE: "duplicate",
}


@dataclass
class ImportRow:
    path: str
    outcome: str
    reason: str = ""
    document_id: int | None = None


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    timed_out: bool = False

    def counts(self) -> Counter:
        counts = Counter({outcome: 0 for outcome in OUTCOMES})
        counts.update(row.outcome for row in self.rows)
        return counts

    def problems(self) -> list[ImportRow]:
        """Rows with a reason worth reading: failed, rejected, refused (duplicates say what they repeat)."""
        return [row for row in self.rows if row.outcome in {"failed", "rejected", "refused"}]


def archive_import(*, members: Iterable[Member], user=None, on_file: Callable[[ImportRow], None] | None = None) -> ImportResult:
    """Store and queue every readable member not already held. `on_file` is called after each (progress)."""
    result = ImportResult()
    for member in members:
        row = _import_one(member, user)
        result.rows.append(row)
        if on_file:
            on_file(row)
    return result


def _import_one(member: Member, user) -> ImportRow:
    if member.data is None:
        return ImportRow(member.path, "refused", member.refusal)
    if not member.data:
        return ImportRow(member.path, "refused", "The file is empty (0 bytes).")
    if not readable_type(member.data):
        kinds = ", ".join(SUPPORTED.values())
        return ImportRow(member.path, "refused", f"The content is not a type sendtracker reads ({kinds}).")
    sha = hashlib.sha256(member.data).hexdigest()
    held = Document.objects.exclude(status=Document.Status.DUPLICATE).filter(sha256=sha).only("pk", "original_name").first()
    if held is not None:
        return ImportRow(member.path, "duplicate", f"Identical to document #{held.pk} ({held.original_name}).", held.pk)
    with transaction.atomic():
        document = document_store(stream=ContentFile(member.data), original_name=member.name, uploaded_by=user)
        if document.status == Document.Status.DUPLICATE:  # stored by someone else between the check and now
            return ImportRow(member.path, "duplicate", document.error, document.pk)
        document_enqueue_on_commit(document.pk)
    return ImportRow(member.path, "pending", "", document.pk)


def archive_wait(result: ImportResult, *, timeout: float, poll: float = 1.0,
                 on_poll: Callable[[int], None] | None = None) -> ImportResult:
    """Refresh each stored document's outcome until none is queued/processing or `timeout` seconds pass
    (then `timed_out` is set and those rows stay 'pending'). `on_poll(n_pending)` after each look."""
    deadline = time.monotonic() + timeout
    while True:
        pending = [row for row in result.rows if row.document_id and row.outcome == "pending"]
        if pending:
            statuses = dict(
                Document.objects.filter(pk__in=[row.document_id for row in pending]).values_list("pk", "status")
            )
            errors = dict(Document.objects.filter(
                pk__in=[row.document_id for row in pending], status__in=[Document.Status.FAILED, Document.Status.REJECTED],
            ).values_list("pk", "error"))
            for row in pending:
                status = statuses.get(row.document_id)
                if status is None:
                    row.outcome, row.reason = "failed", "The document was deleted before it was processed."
                elif status in _FINAL:
                    row.outcome, row.reason = _FINAL[status], errors.get(row.document_id, "")
            pending = [row for row in pending if row.outcome == "pending"]
        if on_poll:
            on_poll(len(pending))
        if not pending:
            return result
        if time.monotonic() >= deadline:
            result.timed_out = True
            return result
        time.sleep(poll)


def import_table(result: ImportResult) -> list[str]:
    """The closing table as text lines: one line per outcome with its count, then each problem's reason."""
    counts = result.counts()
    labels = {"done": "done", "needs_review": "needs review", "rejected": "rejected", "failed": "failed",
              "duplicate": "duplicate (already held)", "refused": "refused (not stored)", "pending": "still queued"}
    width = max(len(label) for label in labels.values())
    lines = [f"{'outcome':<{width}}  files", f"{'-' * width}  -----"]
    lines += [f"{labels[o]:<{width}}  {counts[o]:>5}" for o in OUTCOMES if o != "pending" or counts[o]]
    lines.append(f"{'total':<{width}}  {len(result.rows):>5}")
    problems = result.problems()
    if problems:
        lines.append("")
        lines.append("Reasons:")
        lines += [f"  {row.outcome:<8} {row.path}: {row.reason}" for row in problems]
    return lines
