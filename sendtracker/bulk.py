"""Writing many rows of one table, each with its own values, in one statement: `update_rows` and `insert_rows`.

Django's `QuerySet.bulk_update` writes `SET f = CASE WHEN id = 1 THEN … WHEN id = 2 THEN … END` for every field,
building and resolving one `When` expression per row per field in Python: for a dataset release that changes
twenty fields of a hundred inspections that is 2,000 expressions, most of an import's time (bench/
datasets_vs_letters.py). `update_rows` sends the same change as one statement whose parameters are the fields' own
database values (`Field.get_db_prep_save`, as bulk_update uses), so what is stored is what bulk_update would store:

- PostgreSQL: `UPDATE t SET f = v.c1, g = v.c2 FROM UNNEST(%b::bigint[], %b::date[], …) AS v(c0, c1, c2)
  WHERE t.id = v.c0` — one array parameter per column, the strategy Django's own bulk_create uses on PostgreSQL
  (django/db/backends/postgresql/compiler.py, InsertUnnest), bound on the server in binary. Django's cursors bind
  on the client: psycopg then quotes every value of every array in Python (regular expressions over each jsonb
  text), three times the statement's own time for 150 areas' paths (bench/README.md, issue 21); a VALUES list
  before that had one placeholder per value, parsed again on every call.
- SQLite (3.33+ for UPDATE … FROM): `… FROM (VALUES (%s, %s, %s), …) AS v WHERE t.id = v.column1`.

`insert_rows` is `bulk_create` (the same rows, the same primary keys set on the instances) bound the same way on
PostgreSQL, where a dataset's 200 letters carry their JSON that client-side binding escaped value by value;
on SQLite the statement bulk_create sends there, built without its compiler; elsewhere `bulk_create` itself.

No package on our registry mirror does this for both backends (django-bulk-load is PostgreSQL-only and
unmaintained since 2023), so it is these lines; tests/test_bulk.py checks them against bulk_update and bulk_create.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import connections, router
from django.db.models import Model

BATCH = 500  # rows per statement: well under SQLite's 32,766 parameters for the widest table we update


def update_rows(model: type[Model], rows: Iterable[Model], fields: Sequence[str]) -> int:
    """Write `fields` of each of `rows` (instances of `model` with their primary key set) to the database, one
    statement per BATCH rows. Returns the number of rows sent. Signals are not sent, `auto_now` is not applied
    and managers are bypassed, as with bulk_update. Raises ValueError for an unknown field or the primary key."""
    rows = list(rows)
    if not rows or not fields:
        return 0
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    if any(f.primary_key or not f.concrete or f.many_to_many for f in columns):
        raise ValueError(f"update_rows writes concrete, non-key fields only: {list(fields)}")
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    pk = meta.pk
    table, key = quote(meta.db_table), quote(pk.column)
    with (_binary_cursor(connection) if postgres else connection.cursor()) as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            values = [[pk.get_db_prep_save(row.pk, connection) for row in batch]]
            values += [[f.get_db_prep_save(getattr(row, f.attname), connection) for row in batch] for f in columns]
            if postgres:
                arrays = ", ".join(f"%b::{_cast(f.db_type(connection))}[]" for f in [pk, *columns])
                names = ", ".join(f"c{i}" for i in range(len(columns) + 1))
                sets = ", ".join(f"{quote(f.column)} = v.c{i + 1}" for i, f in enumerate(columns))
                cursor.execute(f"UPDATE {table} SET {sets} FROM UNNEST({arrays}) AS v({names}) WHERE {table}.{key} = v.c0",
                               values)
            else:
                sets = ", ".join(f"{quote(f.column)} = v.column{i + 2}" for i, f in enumerate(columns))
                tuples = ", ".join(["(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"] * len(batch))
                cursor.execute(f"UPDATE {table} SET {sets} FROM (VALUES {tuples}) AS v WHERE {table}.{key} = v.column1",
                               [value for row in zip(*values) for value in row])
    return len(rows)


def insert_rows(model: type[Model], objs: Iterable[Model], *,
                computed: Mapping[str, tuple[str, Sequence[str]]] | None = None) -> list[Model]:
    """Insert `objs` (new instances of `model`, primary keys unset) and set their primary keys, as
    `bulk_create(objs)` does: each field's `pre_save(obj, add=True)` (auto_now_add, auto_now), then its
    `get_db_prep_save`; no signals, no `save()`. One statement per BATCH rows. Returns `objs`.

    `computed`: {field name: (SQL of one text argument written `{}`, one text per object)} — on PostgreSQL the
    field is stored as that SQL of the object's text (the letters' search vectors: `LETTER_VECTOR_SQL` of each
    letter's text, which their insert trigger would otherwise compute row by row); elsewhere ignored.
    Raises ValueError for an object whose primary key is set (bulk_create would insert it with that key), or a
    `computed` entry without one text per object."""
    objs = list(objs)
    if not objs:
        return objs
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    pk = meta.pk
    if any(obj.pk is not None for obj in objs):
        raise ValueError("insert_rows inserts new rows: a primary key is set")
    for obj in objs:  # as bulk_create: a related object not saved yet is an error, never a NULL key
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    computed = {meta.get_field(name): spec for name, spec in (computed or {}).items()}
    if any(len(texts) != len(objs) for _, texts in computed.values()):
        raise ValueError("insert_rows: a computed field needs one text per object")
    fields = [f for f in meta.concrete_fields if f is not pk and not f.generated]
    if connection.vendor == "sqlite" and connection.features.can_return_rows_from_bulk_insert:
        return _sqlite_insert(connection, meta, fields, objs)
    if connection.vendor != "postgresql":
        return model._base_manager.using(connection.alias).bulk_create(objs)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    arrays = ", ".join("%b::text[]" if f in computed else f"%b::{_cast(f.db_type(connection))}[]" for f in fields)
    names = ", ".join(f"c{i}" for i in range(len(fields)))
    select = ", ".join(computed[f][0].format(f"v.c{i}") if f in computed else f"v.c{i}" for i, f in enumerate(fields))
    sql = (f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {select} FROM UNNEST({arrays}) AS v({names}) "
           f"RETURNING {quote(meta.db_table)}.{quote(pk.column)}")
    with _binary_cursor(connection) as cursor:
        for start in range(0, len(objs), BATCH):
            batch = objs[start:start + BATCH]
            values = [list(computed[f][1][start:start + BATCH]) if f in computed else
                      [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for obj in batch] for f in fields]
            cursor.execute(sql, values)
            # PostgreSQL returns an INSERT … SELECT's rows in the order it inserts them, the order of UNNEST's
            # arrays (Django's own UNNEST bulk_create relies on the same).
            _saved(batch, cursor.fetchall(), pk, connection.alias)
    return objs


def _sqlite_insert(connection, meta, fields, objs: list[Model]) -> list[Model]:
    """SQLite: the statement bulk_create sends there (INSERT … VALUES (…), (…) RETURNING id, as many rows as
    SQLite's parameter limit allows), without its compiler's per-value work (expressions resolved, placeholders
    asked of every field): half the time of a dataset's letters. Rows come back in the order given, which
    Django's own bulk_create relies on too."""
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), meta.pk
    head = f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per = max(1, min(BATCH, connection.features.max_query_params // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per):
            batch = objs[start:start + per]
            cursor.execute(f"{head}{', '.join([row] * len(batch))} RETURNING {table}.{quote(pk.column)}",
                           [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for obj in batch for f in fields])
            _saved(batch, cursor.fetchall(), pk, connection.alias)
    return objs


def _saved(objs: list[Model], keys: list[tuple], pk, alias: str) -> None:
    """Set each object's primary key from RETURNING's rows (in the order given) and mark it saved, as bulk_create."""
    for obj, (key,) in zip(objs, keys, strict=True):
        setattr(obj, pk.attname, key)
        obj._state.adding, obj._state.db = False, alias


def _binary_cursor(connection):
    """A cursor on `connection` (the same session and transaction) that binds its parameters on the server, `%b` in
    binary, wrapped as Django wraps its own (query log, execute wrappers, errors as django.db errors)."""
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors:
        # Django's own cursors are psycopg ClientCursors unless OPTIONS["server_side_binding"] (which measured
        # slower for the rest of an import: every query, text-bound). _prepare_cursor is how Django wraps one.
        return connection._prepare_cursor(psycopg.Cursor(connection.connection))


def _cast(db_type: str) -> str:
    """The array element type to cast a column's parameter to: the column's type without its parameters, as
    Django's UNNEST insert does (a cast to varchar(100)[] would cut a long value silently, where the column itself
    refuses it)."""
    return db_type.split("(")[0]
