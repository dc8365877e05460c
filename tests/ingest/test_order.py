"""Order independence: the facts depend on the set of letters, never on the order they arrived or on repeats."""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.models import Document, Inspection, SourceLetter

from .conftest import SEED_FILES, VARIANT_FILES, ingest, snapshot, wipe

ALL_FILES = SEED_FILES + VARIANT_FILES


@pytest.fixture
def fast_extract(monkeypatch):
    """Reading a PDF/DOCX is the slow stage and is not what these tests are about: read each file once."""
    from inspections.pipeline import run

    monkeypatch.setattr(run, "extract_text", functools.lru_cache(maxsize=None)(run.extract_text))


def _ingest_all(names, *, reprocess=False):
    for name in names:
        ingest(name, reprocess=reprocess)
    return snapshot()


def test_reingesting_everything_twice_changes_nothing(register, fast_extract):
    first = _ingest_all(ALL_FILES)
    assert first["inspections"] and first["judgements"]
    ids = sorted(Inspection.all_objects.values_list("pk", flat=True))
    for _ in range(2):
        reports = [ingest(name, reprocess=True) for name in ALL_FILES]
        assert all(not r.created and not r.updated for r in reports), [r.created + r.updated for r in reports]
    assert snapshot() == first
    assert sorted(Inspection.all_objects.values_list("pk", flat=True)) == ids  # updated in place, not re-created
    assert Document.objects.count() == len(ALL_FILES)


def test_reverse_order_matches_canonical(register, fast_extract):
    canonical = _ingest_all(ALL_FILES)
    wipe()
    assert _ingest_all(list(reversed(ALL_FILES))) == canonical


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_subset_in_any_order_with_repeats_gives_the_canonical_rows(register, fast_extract, data):
    chosen = data.draw(st.lists(st.sampled_from(ALL_FILES), min_size=1, max_size=8), label="files")
    wipe()
    canonical = _ingest_all(sorted(set(chosen)))
    wipe()
    shuffled = data.draw(st.permutations(chosen), label="order")
    repeats = data.draw(st.booleans(), label="re-process repeats")
    assert _ingest_all(shuffled, reprocess=repeats) == canonical
    assert SourceLetter.objects.filter(duplicate_of__isnull=True, area__gss_code="E06000001").count() == (
        1 if SEED_FILES[0] in chosen else 0
    )
