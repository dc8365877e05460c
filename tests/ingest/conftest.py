"""Ingest tests run the whole pipeline (store -> ... -> write) on the project's seed documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspections.models import Document
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store
from tests.snapshots import snapshot  # noqa: F401  (the ingest tests import it from here)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = FIXTURES / "seeds"
VARIANTS = FIXTURES / "variants"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))
VARIANT_FILES = sorted(p.name for p in VARIANTS.iterdir() if p.suffix in {".pdf", ".docx", ".html"})
LABELS = json.loads((SEEDS / "labels.json").read_text(encoding="utf-8"))


def path_of(name: str) -> Path:
    return SEEDS / name if (SEEDS / name).is_file() else VARIANTS / name


def ingest(name: str, *, reprocess: bool = False):
    """Store and run one fixture file, as `manage.py ingest` does; returns the IngestReport (None for a
    byte-identical repeat that is not re-processed)."""
    with path_of(name).open("rb") as stream:
        document = document_store(stream=stream, original_name=name)
    if document.status == Document.Status.DUPLICATE:
        original = document.duplicate_of
        document.delete()
        if not reprocess:
            return None
        document = original
    return ingest_document(document.pk)


@pytest.fixture
def register(areas):
    """The real area register (areas/data/local_areas.csv, as load_areas loads it), resolver cache cleared."""
    from areas.resolver import AreaRegister

    AreaRegister.clear_cache()
    return areas


def wipe() -> None:
    """Forget every document and fact (between hypothesis examples, inside one test's transaction)."""
    from inspections.models import Document, Inspection

    Inspection.all_objects.all().delete()
    Document.objects.all().delete()
