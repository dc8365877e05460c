"""Celery tasks: thin. They take a document id, call the pipeline, and let it record the status."""

from celery import shared_task

from inspections.pipeline.run import ingest_document as run_pipeline


@shared_task(name="inspections.tasks.ingest_document", acks_late=True)
def ingest_document(document_id: int) -> str:
    return run_pipeline(document_id).status
