"""Admin registrations, one module per capability (Django discovers only this module)."""

from django.contrib import admin

from inspections.ingest import admin as ingest_admin  # noqa: F401  Document's admin: upload, status, re-process
from inspections.ingest.sources import admin as sources_admin  # noqa: F401  fetch runs, fetched URLs (read-only)
from inspections.review import admin as review_admin  # noqa: F401  the facts (rejected ones too), the correction audit

from .models import SourceLetter


@admin.register(SourceLetter)
class SourceLetterAdmin(review_admin.ReadOnlyAdmin):
    """Read-only: a letter's parsed JSON is what the facts are projected from, so editing it here would change
    facts with no correction and no lock. Facts change through the review pages only."""
