"""The 'analyst' group and its permissions, kept in step with the code.

Migration 0004 makes the group on a new database; this runs after every `migrate` (post_migrate) as well,
so a permission added later reaches the group, and a flushed test database gets the group back.

Least privilege: an analyst uploads and re-processes documents and decides on facts through the review
contract (`review_fact`); it may view the facts but holds no add/change/delete permission on them, because a
fact changes only through a review decision (audited, locked). Databases made before that rule have those
permissions on the group: the sync takes them back (`RETIRED_CODENAMES`), touching nothing else an admin gave.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from sendtracker.access import ANALYST_GROUP

FACT_MODELS = ["inspection", "writtenstatementofaction", "revisit", "significantweakness", "progressjudgement"]
ANALYST_CODENAMES = [f"{action}_document" for action in ("add", "change", "view")] + [
    *(f"view_{model}" for model in FACT_MODELS), "view_sourceletter", "view_fieldcorrection", "review_fact",
]
# Facts and the letters they are projected from are never written outside the review contract.
RETIRED_CODENAMES = [f"{action}_{model}" for model in [*FACT_MODELS, "sourceletter"] for action in ("add", "change", "delete")]


def analyst_group_sync(**_signal_kwargs) -> Group:
    group, _ = Group.objects.get_or_create(name=ANALYST_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="inspections", codename__in=ANALYST_CODENAMES)
    )
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="inspections", codename__in=RETIRED_CODENAMES)
    )
    return group
