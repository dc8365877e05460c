"""Stored, indexed full-text vectors for search (inspections/search/selectors.py): one per letter, one per weakness.

Letters. A letter's text is a span of its document's text (`Document.text[span_start:span_end]`), not a column
of the letter row, so a GENERATED column cannot hold its vector. On PostgreSQL two triggers keep
`SourceLetter.search_vector` equal to `to_tsvector('english', <the letter's text>)` whatever writes the rows
(the pipeline writer, bulk_create in fixtures and benchmarks, the admin):

- BEFORE INSERT, or UPDATE of the span or document, on a letter: compute it from the document's text;
- AFTER UPDATE OF text on a document, when the text really changed: recompute its letters' vectors
  (the pipeline normally replaces the letters after a re-read anyway).

Weaknesses. A weakness's text is a column of its own row, so PostgreSQL keeps its vector itself: a STORED
GENERATED column, no application code and no trigger. It is not a model field: Django must never write it,
and SQLite has no column at all; search.py names it only on PostgreSQL.

Existing rows are filled here and GIN indexes serve `search_vector @@ query`. They replace 0002's expression
indexes (the document one only narrowed letter search to candidate documents), which are dropped: one GIN
index less to maintain on every document text write. Reversible: the reverse restores 0002's indexes.

SQLite has no full-text search here (search.py falls back to icontains): the letter column exists and stays
NULL; nothing else is created.
"""

import django.contrib.postgres.search
from django.db import migrations

LETTER_VECTOR = (
    "to_tsvector('english'::regconfig, COALESCE(substr({text}, {letter}.span_start + 1, "
    "{letter}.span_end - {letter}.span_start), ''::text))"
)

CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION inspections_sourceletter_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := {LETTER_VECTOR.format(
            text="(SELECT d.text FROM inspections_document d WHERE d.id = NEW.document_id)", letter="NEW")};
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER inspections_sourceletter_search_vector
    BEFORE INSERT OR UPDATE OF document_id, span_start, span_end ON inspections_sourceletter
    FOR EACH ROW EXECUTE FUNCTION inspections_sourceletter_search_vector()
    """,
    f"""
    CREATE OR REPLACE FUNCTION inspections_document_letters_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE inspections_sourceletter l SET search_vector = {LETTER_VECTOR.format(text="NEW.text", letter="l")}
        WHERE l.document_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER inspections_document_letters_search_vector
    AFTER UPDATE OF text ON inspections_document
    FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text)
    EXECUTE FUNCTION inspections_document_letters_search_vector()
    """,
    f"""
    UPDATE inspections_sourceletter l SET search_vector = {LETTER_VECTOR.format(text="d.text", letter="l")}
    FROM inspections_document d WHERE d.id = l.document_id
    """,
    "CREATE INDEX IF NOT EXISTS inspections_sourceletter_search_vector_gin ON inspections_sourceletter USING gin (search_vector)",
    "DROP INDEX IF EXISTS inspections_document_text_fts",
    "ALTER TABLE inspections_significantweakness ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(text, ''::text))) STORED",
    "CREATE INDEX IF NOT EXISTS inspections_weakness_search_vector_gin ON inspections_significantweakness USING gin (search_vector)",
    "DROP INDEX IF EXISTS inspections_weakness_text_fts",
]

DROP = [
    "CREATE INDEX IF NOT EXISTS inspections_weakness_text_fts ON inspections_significantweakness "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, ''::text)))",
    "ALTER TABLE inspections_significantweakness DROP COLUMN IF EXISTS search_vector",  # drops its index too
    "DROP INDEX IF EXISTS inspections_sourceletter_search_vector_gin",
    "DROP TRIGGER IF EXISTS inspections_document_letters_search_vector ON inspections_document",
    "DROP FUNCTION IF EXISTS inspections_document_letters_search_vector()",
    "DROP TRIGGER IF EXISTS inspections_sourceletter_search_vector ON inspections_sourceletter",
    "DROP FUNCTION IF EXISTS inspections_sourceletter_search_vector()",
    "CREATE INDEX IF NOT EXISTS inspections_document_text_fts ON inspections_document "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, ''::text)))",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_analyst_group")]
    operations = [
        migrations.AddField(
            model_name="sourceletter",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True,
                help_text="to_tsvector('english', letter text); kept by PostgreSQL triggers (migration 0005), NULL on SQLite.",
            ),
        ),
        migrations.RunPython(create, drop),
    ]
