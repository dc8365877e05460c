# The admin's plural names (issue 13 item 9: "Significant weaknesss"). Options only: no schema change.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0007_fetchrun_fetchedurl_document_source"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="significantweakness",
            options={"ordering": ["inspection_id", "kind", "number"], "verbose_name_plural": "significant weaknesses"},
        ),
        migrations.AlterModelOptions(
            name="writtenstatementofaction",
            options={"verbose_name": "written statement of action", "verbose_name_plural": "written statements of action"},
        ),
    ]
