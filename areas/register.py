"""The project's area register table (areas/data/local_areas.csv): its columns, and reading it into typed rows.

Django-free, so the resolver's unit tests, the build script and `load_areas` share one reader. The table
is built by areas/data/build_register.py; areas/data/README.md says where each column comes from.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from areas.resolver import AreaRecord

REGISTER_CSV = Path(__file__).resolve().parent / "data" / "local_areas.csv"

COLUMNS = (
    "register_code",
    "gss_code",
    "name",
    "official_name",
    "authority_type",
    "region",
    "dfe_la_code",
    "ofsted_urn",
    "start_date",
    "end_date",
    "replaced_by",  # register codes of the successors
    "alt_names",
    "stat_neighbours",  # GSS codes, closest first
    "population_0_25",
)
LIST_SEPARATOR = "|"  # names hold commas ("Bristol, City of"), never a bar
AUTHORITY_TYPES = frozenset({"county", "unitary", "metropolitan", "london", "other"})
_GSS = re.compile(r"^E\d{8}$")


@dataclass(frozen=True)
class RegisterRow:
    register_code: str
    gss_code: str
    name: str
    official_name: str
    authority_type: str
    region: str
    dfe_la_code: str
    ofsted_urn: str
    start_date: dt.date | None
    end_date: dt.date | None
    replaced_by: tuple[str, ...]
    alt_names: tuple[str, ...]
    stat_neighbours: tuple[str, ...]
    population_0_25: int | None


class RegisterError(ValueError):
    """The register table is malformed: says which row and why."""


def split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip())


def join_list(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def read_register(path: Path | str = REGISTER_CSV) -> list[RegisterRow]:
    """Every row of the table, checked: a bad table fails loudly here rather than half-loading."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise RegisterError(f"{path}: missing columns {sorted(missing)}")
        rows = [_parse_row(raw, line=n) for n, raw in enumerate(reader, start=2)]
    _check_table(rows)
    return rows


@lru_cache(maxsize=1)
def default_rows() -> tuple[RegisterRow, ...]:
    """The committed table, read once per process (the `areas` test fixture loads it for every test)."""
    return tuple(read_register(REGISTER_CSV))


def area_records(rows: Iterable[RegisterRow]) -> list[AreaRecord]:
    """Rows -> the resolver's records (successors as GSS codes), without a database."""
    rows = list(rows)
    gss_by_code = {row.register_code: row.gss_code for row in rows}
    return [
        AreaRecord(
            gss_code=row.gss_code,
            name=row.name,
            alt_names=row.alt_names,
            start_date=row.start_date,
            end_date=row.end_date,
            replaced_by=tuple(gss_by_code[code] for code in row.replaced_by),
        )
        for row in rows
    ]


def _parse_row(raw: dict[str, str], *, line: int) -> RegisterRow:
    def date(column: str) -> dt.date | None:
        value = raw[column].strip()
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            raise RegisterError(f"line {line}: {column} {value!r} is not a YYYY-MM-DD date") from None

    row = RegisterRow(
        register_code=raw["register_code"].strip(),
        gss_code=raw["gss_code"].strip(),
        name=raw["name"].strip(),
        official_name=raw["official_name"].strip(),
        authority_type=raw["authority_type"].strip(),
        region=raw["region"].strip(),
        dfe_la_code=raw["dfe_la_code"].strip(),
        ofsted_urn=raw["ofsted_urn"].strip(),
        start_date=date("start_date"),
        end_date=date("end_date"),
        replaced_by=split_list(raw["replaced_by"]),
        alt_names=split_list(raw["alt_names"]),
        stat_neighbours=split_list(raw["stat_neighbours"]),
        population_0_25=int(raw["population_0_25"]) if raw["population_0_25"].strip() else None,
    )
    if not row.register_code or not row.name:
        raise RegisterError(f"line {line}: register_code and name are required")
    if not _GSS.match(row.gss_code):
        raise RegisterError(f"line {line}: {row.gss_code!r} is not an English GSS code")
    if row.authority_type not in AUTHORITY_TYPES:
        raise RegisterError(f"line {line}: unknown authority_type {row.authority_type!r}")
    if row.start_date and row.end_date and row.end_date < row.start_date:
        raise RegisterError(f"line {line}: {row.name} ends before it starts")
    return row


def _check_table(rows: list[RegisterRow]) -> None:
    for column in ("register_code", "gss_code"):
        counts = Counter(getattr(row, column) for row in rows)
        duplicates = sorted(value for value, n in counts.items() if n > 1)
        if duplicates:
            raise RegisterError(f"duplicate {column}: {duplicates}")
    codes = {row.register_code for row in rows}
    for row in rows:
        unknown = [code for code in row.replaced_by if code not in codes]
        if unknown:
            raise RegisterError(f"{row.register_code}: replaced_by names unknown register codes {unknown}")
