"""Reads of the API capability that the list selectors do not already give: documents' metadata, and the data's
as-of time for conditional requests. Nothing here writes."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import QuerySet

from inspections.api.filters import DocumentFilter
from inspections.models import ApiToken, AreaPath, Document, FieldCorrection

DOCUMENT_COLUMNS = (
    "id", "original_name", "content_type", "size", "sha256", "status", "error", "progress", "parser_version",
    "duplicate_of_id", "source_url", "published_date", "created_at", "updated_at", "started_at", "finished_at",
)


def document_rows(*, filters=None) -> QuerySet:
    """Documents as dicts with DOCUMENT_COLUMNS (never the text or the file), filtered and ordered by DocumentFilter;
    none when a filter is invalid (`DocumentFilter.errors_for` says why)."""
    return DocumentFilter.apply(filters, Document.objects.values(*DOCUMENT_COLUMNS))


def as_of() -> dt.datetime | None:
    """When anything an API answer shows last changed (aware datetime; None for an empty database): the latest of
    the facts' as-of time (`data_as_of`: a document finished processing), the latest derived area path, the latest
    analyst correction and the latest change to any document's status. One query (on every API request)."""
    tables = [m._meta.db_table for m in (AreaPath, FieldCorrection, Document)]
    # The last column is `data_as_of()` (MAX(finished_at)), read in the same statement.
    sql = (f"SELECT (SELECT MAX(derived_at) FROM {tables[0]}), (SELECT MAX(created_at) FROM {tables[1]}), "
           f"(SELECT MAX(updated_at) FROM {tables[2]}), (SELECT MAX(finished_at) FROM {tables[2]})")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        stamps = list(cursor.fetchone())
    stamps = [s for s in stamps if s is not None]
    # SQLite hands back strings from a raw cursor; PostgreSQL datetimes.
    stamps = [dt.datetime.fromisoformat(s) if isinstance(s, str) else s for s in stamps]
    stamps = [s if s.tzinfo else s.replace(tzinfo=dt.timezone.utc) for s in stamps]
    return max(stamps, default=None)


def token_for(key_hash: str) -> ApiToken | None:
    """The active token with this key hash, with its user; None when there is none. One query."""
    return ApiToken.objects.select_related("user").filter(key_hash=key_hash, active=True, user__is_active=True).first()
