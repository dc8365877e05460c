"""Reads for the document pages: recent uploads and one document's status."""

from __future__ import annotations

from django.db.models import QuerySet

from inspections.models import Document
from inspections.ingest.services import PENDING

RECENT = 100


def document_recent(*, limit: int = RECENT) -> QuerySet[Document]:
    # `text` can be megabytes per row: never load it for a list.
    return Document.objects.select_related("duplicate_of", "uploaded_by").defer("text", "duplicate_of__text")[:limit]


def document_pending(document: Document) -> bool:
    """Still changing: the page keeps polling."""
    return document.status in PENDING
