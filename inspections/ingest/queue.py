"""The one narrow way a service asks for a document to be processed.

Services must not import the task module (the task module imports services: that would be an import circle),
so they enqueue by the task's registered name. `ingest_document(document_id)` is registered by
`inspections.ingest.tasks`, which Celery imports at start (sendtracker/celery.py) and Django imports when the
app is ready (inspections/apps.py), so the name resolves in workers, in the web process and in tests.
"""

from __future__ import annotations

from django.db import transaction

INGEST_TASK = "inspections.ingest.tasks.ingest_document"


def document_enqueue_on_commit(document_id: int) -> None:
    """Queue `ingest_document(document_id)` once the current transaction commits (immediately outside one).

    `robust=True`: a broker that is down must not turn a saved upload into an error page; the document stays
    'queued' and the beat job (`documents_requeue_stuck`) sends it again later.
    """
    from celery import current_app

    task = current_app.tasks[INGEST_TASK]
    transaction.on_commit(lambda: task.delay(document_id), robust=True)
