"""The 'analyst' group and its permissions, kept in step with the code.

Migration 0004 makes the group on a new database; this runs after every `migrate` (post_migrate) as well,
so a permission added later reaches the group, and a flushed test database gets the group back.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from sendtracker.access import ANALYST_GROUP

FACT_AND_DOCUMENT_MODELS = [
    "document", "inspection", "writtenstatementofaction", "revisit", "significantweakness", "progressjudgement",
]
ANALYST_CODENAMES = [f"{action}_{model}" for model in FACT_AND_DOCUMENT_MODELS for action in ("add", "change", "view")] + [
    "view_sourceletter", "view_fieldcorrection", "review_fact",
]


def analyst_group_sync(**_signal_kwargs) -> Group:
    group, _ = Group.objects.get_or_create(name=ANALYST_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="inspections", codename__in=ANALYST_CODENAMES)
    )
    return group
