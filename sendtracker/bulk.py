"""Updating many rows of one table, each with its own values, in one statement.

Django's `QuerySet.bulk_update` writes `SET f = CASE WHEN id = 1 THEN … WHEN id = 2 THEN … END` for every field,
building and resolving one `When` expression per row per field in Python: for a dataset release that changes
twenty fields of a hundred inspections that is 2,000 expressions, most of an import's time (bench/
datasets_vs_letters.py). `update_rows` sends the same change as

    UPDATE t SET f = v.column2, g = v.column3 FROM (VALUES (%s, %s, %s), …) AS v WHERE t.id = v.column1

whose parameters are the fields' own database values (`Field.get_db_prep_save`, as bulk_update uses), so what is
stored is what bulk_update would store. PostgreSQL needs each value's type (a VALUES list of parameters is text):
the first row casts each column to the field's `db_type`. SQLite (3.33+ for UPDATE … FROM) stores them as Django
would. No package on our registry mirror does this for both backends (django-bulk-load is PostgreSQL-only and
unmaintained since 2023), so it is these forty lines; tests/test_bulk.py checks them against bulk_update.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

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
    sets = ", ".join(f"{quote(f.column)} = v.column{i + 2}" for i, f in enumerate(columns))
    casts = [f"::{_cast(f.db_type(connection))}" for f in [pk, *columns]] if postgres else [""] * (len(columns) + 1)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            params, tuples = [], []
            for n, row in enumerate(batch):
                params.append(pk.get_db_prep_save(row.pk, connection))
                params += [f.get_db_prep_save(getattr(row, f.attname), connection) for f in columns]
                marks = [f"%s{casts[i]}" if n == 0 else "%s" for i in range(len(columns) + 1)]
                tuples.append(f"({', '.join(marks)})")
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {sets} FROM (VALUES {', '.join(tuples)}) AS v "
                f"WHERE {quote(meta.db_table)}.{quote(pk.column)} = v.column1",
                params,
            )
    return len(rows)


def _cast(db_type: str) -> str:
    """The type to cast a parameter to: varchar without its length (a cast to varchar(100) would cut a long value
    silently, where the column itself refuses it)."""
    return re.sub(r"^(varchar|character varying)\(\d+\)$", "varchar", db_type)
