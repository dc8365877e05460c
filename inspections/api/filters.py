"""The documents list's FilterSet (the fact lists use inspections/facts/filters.py's, shared with their pages)."""

from __future__ import annotations

import django_filters as df

from inspections.facts.filters import ANY, SortedFilterSet
from inspections.models import Document


class DocumentFilter(SortedFilterSet):
    """/api/v1/documents: by processing status; newest first by default."""

    status = df.ChoiceFilter(choices=Document.Status.choices, label="Processing status", empty_label=ANY)

    SORTS = {"created": "created_at", "updated": "updated_at", "name": "original_name"}
    DEFAULT_SORT = "-created"
    TIEBREAK = ("-id",)
