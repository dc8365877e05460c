"""The 'analyst' group: may upload documents and review, correct or reject facts (issue 5).

Permissions are normally created after all migrations (post_migrate), so they are created here first;
running it again, or on a database that already has them, changes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "analyst"
MODELS = ["document", "inspection", "writtenstatementofaction", "revisit", "significantweakness", "progressjudgement"]
CODENAMES = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")] + [
    "view_sourceletter", "view_fieldcorrection", "review_fact",
]


def create_analyst_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # Historical app configs have no models module; create_permissions skips those without this.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    perms = Permission.objects.filter(content_type__app_label="inspections", codename__in=CODENAMES)
    missing = set(CODENAMES) - set(perms.values_list("codename", flat=True))
    assert not missing, f"permissions not found: {sorted(missing)}"
    group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_review_corrections_rejected"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_analyst_group, migrations.RunPython.noop)]
