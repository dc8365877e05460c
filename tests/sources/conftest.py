"""Fixtures for the report-source tests: a real local HTTP imitation of the Ofsted reports site
(tests/sources/fake_ofsted.py) filled with the seed letters or, for tests marked `shared`, the 29 real
2023-framework reports of ../shared/corpus/reports-2023 (read in place, never copied)."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from tests.conftest import PROJECT_ROOT, SEEDS, SHARED
from tests.sources.fake_ofsted import FakeOfstedSite

REGISTER = PROJECT_ROOT / "areas" / "data" / "local_areas.csv"
# The seed letters, one on each of these areas' pages (by GSS code); which letter sits where does not matter:
# a provider page only lists files, the pipeline decides what each is.
SEED_PROVIDERS = ["E06000001", "E06000002", "E06000003", "E06000004", "E06000035"]


def register_rows() -> dict[str, dict]:
    with REGISTER.open(encoding="utf-8") as handle:
        return {row["gss_code"]: row for row in csv.DictReader(handle)}


def current_areas_with_urn() -> list[dict]:
    return [row for row in register_rows().values() if row["ofsted_urn"] and not row["end_date"]]


def add_every_current_area(site: FakeOfstedSite) -> int:
    """Every current area of the register as a provider, as the real listing shows them, each with one
    non-SEND publication (never fetched). Returns how many providers that makes."""
    rows = current_areas_with_urn()
    for row in rows:
        site.add_publication(row["ofsted_urn"], row["name"], kind="Children's services inspection",
                             published=date(2023, 6, 1), content=f"ILACS report for {row['name']}".encode())
    return len(rows)


def add_seed_letters(site: FakeOfstedSite) -> list:
    """Every current area listed (add_every_current_area), five of them with a seed letter each ("Local area
    SEND inspection"). Returns the SEND publications."""
    add_every_current_area(site)
    rows = register_rows()
    publications = []
    for index, (gss, path) in enumerate(zip(SEED_PROVIDERS, sorted(SEEDS.glob("*.txt")))):
        row = rows[gss]
        publications.append(site.add_publication(
            row["ofsted_urn"], row["name"], kind="Local area SEND inspection", published=date(2018, 3, 1 + index),
            content=path.read_bytes(),
        ))
    return publications


def add_shared_reports(site: FakeOfstedSite) -> list:
    """Each ../shared 2023 report on its area's page (the file name starts with the area's URN)."""
    add_every_current_area(site)
    names = {row["ofsted_urn"]: row["name"] for row in register_rows().values() if row["ofsted_urn"]}
    publications = []
    for index, path in enumerate(sorted((SHARED / "corpus" / "reports-2023").glob("*.pdf"))):
        urn = path.name.split("_", 1)[0]
        publications.append(site.add_publication(
            urn, names.get(urn, path.stem), kind="Area SEND full inspection", published=date(2024, 1, 1 + index % 28),
            content=path.read_bytes(),
        ))
    return publications


@pytest.fixture
def fake_ofsted():
    """A started FakeOfstedSite (empty: add providers and publications), stopped after the test."""
    site = FakeOfstedSite().start()
    yield site
    site.stop()
