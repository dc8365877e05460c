"""A trigram index for the weaknesses list's "Text contains" filter (/weaknesses/?text=...), PostgreSQL only.

The filter is Django's `icontains`: on PostgreSQL `UPPER("text"::text) LIKE UPPER('%words%')` (the cast of a
text column to text is dropped by the parser), a substring match that a B-tree cannot serve, so every
weakness text was read and upper-cased on every filtered request. A GIN index of `upper(text)` with pg_trgm's
`gin_trgm_ops` serves `LIKE '%...%'` on exactly that expression: PostgreSQL looks up the pattern's trigrams
and rechecks only the candidate rows. The filter's meaning is unchanged (the index is used, or not, for the
same SQL; a pattern under three characters has no trigram and is scanned as before).

pg_trgm is a contrib extension shipped with PostgreSQL and "trusted" since PostgreSQL 13, so the database
owner may create it without superuser rights. SQLite: nothing is created (its LIKE is the fallback).
The reverse drops the index and leaves the extension (something else may use it).
"""

from django.db import migrations

INDEX = "inspections_weakness_text_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON inspections_significantweakness USING gin (upper(text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0005_search_vectors")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
