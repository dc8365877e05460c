"""A letter's search vector may be given with the row: the insert trigger computes it only when it is not.

Migration 0005's trigger computed every new letter's vector from its span of the document's text. A dataset stores
~200 letters in one document of ~55,000 characters, and `substr` by characters walks the whole text for each
row: most of the statement's time (bench/README.md, issue 21). The datasets' writer now sends each letter's text
with the insert (`sendtracker.bulk.insert_rows(..., computed=...)` with `inspections.models.LETTER_VECTOR_SQL`,
the same expression), so:

- BEFORE INSERT, only WHEN the row brings no vector: computed from the document as before (every other writer);
- BEFORE UPDATE OF the span or document: always recomputed (an update keeps the old vector, which is not NULL);
- the document-text trigger is unchanged.

PostgreSQL only, as 0005. Reversible: the reverse restores 0005's single trigger.
"""

from django.db import migrations

FORWARD = [
    "DROP TRIGGER IF EXISTS inspections_sourceletter_search_vector ON inspections_sourceletter",
    """
    CREATE TRIGGER inspections_sourceletter_search_vector
    BEFORE INSERT ON inspections_sourceletter
    FOR EACH ROW WHEN (NEW.search_vector IS NULL) EXECUTE FUNCTION inspections_sourceletter_search_vector()
    """,
    """
    CREATE TRIGGER inspections_sourceletter_search_vector_moved
    BEFORE UPDATE OF document_id, span_start, span_end ON inspections_sourceletter
    FOR EACH ROW EXECUTE FUNCTION inspections_sourceletter_search_vector()
    """,
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS inspections_sourceletter_search_vector_moved ON inspections_sourceletter",
    "DROP TRIGGER IF EXISTS inspections_sourceletter_search_vector ON inspections_sourceletter",
    """
    CREATE TRIGGER inspections_sourceletter_search_vector
    BEFORE INSERT OR UPDATE OF document_id, span_start, span_end ON inspections_sourceletter
    FOR EACH ROW EXECUTE FUNCTION inspections_sourceletter_search_vector()
    """,
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0014_hapi2_api_token")]
    operations = [migrations.RunPython(forward, backward)]
