"""Admin registrations, one module per capability (Django discovers only this module)."""

from inspections.ingest import admin as ingest_admin  # noqa: F401  Document's admin: upload, status, re-process; letters (read-only)
from inspections.ingest.sources import admin as sources_admin  # noqa: F401  fetch runs, fetched URLs (read-only)
from inspections.review import admin as review_admin  # noqa: F401  the facts (rejected ones too), the correction audit
from inspections.themes import admin as themes_admin  # noqa: F401  weakness themes (read-only)
from inspections.api import admin as api_admin  # noqa: F401  API tokens (the key shown once)

