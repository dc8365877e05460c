"""GIN indexes for full-text search (inspections/search/selectors.py), on PostgreSQL only.

Expression indexes matching SearchVector(<field>, config="english") exactly, so PostgreSQL can find
matching documents and weaknesses without computing every tsvector per query. SQLite has no full-text
search here (search.py falls back to icontains), so nothing is created there.
"""

from django.db import migrations

INDEXES = {
    "inspections_document_text_fts": "inspections_document",
    "inspections_weakness_text_fts": "inspections_significantweakness",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(text, ''::text)))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
