"""Ingest tests run the whole pipeline (store -> ... -> write) on the project's seed documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspections.models import Document
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store

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


def snapshot() -> dict[str, list]:
    """Every fact and letter as plain values, keyed by what they are (no ids, no timestamps): two databases
    with equal snapshots hold the same facts with the same provenance."""
    from inspections.models import (
        Inspection,
        ProgressJudgement,
        Revisit,
        SignificantWeakness,
        SourceLetter,
        WrittenStatementOfAction,
    )

    def prov(row):
        doc = row.source_document.original_name if row.source_document_id else None
        return (doc, row.span_start, row.span_end, row.source_kind, round(row.confidence, 3), row.needs_review,
                tuple(row.review_reasons), row.rejected, repr(sorted((row.locked_fields or {}).items())))

    def inspection_key(row):
        return (row.area.gss_code, row.framework, row.kind, row.start_date)

    def revisit_key(row):
        return (*inspection_key(row.inspection), row.kind, row.start_date)

    def weakness_key(row):
        return (*inspection_key(row.inspection), row.kind, row.number)

    def _sorted(rows):
        return sorted(rows, key=repr)  # None and dates do not compare; their reprs do

    return {
        "inspections": _sorted(
            (inspection_key(r), r.end_date, r.period_text, r.letter_date, r.published_date, r.outcome, r.outcome_text,
             r.lead_inspector, repr(r.inspection_team), repr(sorted(r.findings.items())), r.next_inspection_text,
             inspection_key(r.previous_inspection) if r.previous_inspection_id else None, r.previous_inspection_start,
             r.previous_inspection_end, r.is_placeholder, prov(r))
            for r in Inspection.all_objects.select_related("area", "source_document", "previous_inspection__area")
        ),
        "weaknesses": _sorted(
            (weakness_key(r), r.text, r.responsible_bodies, prov(r))
            for r in SignificantWeakness.all_objects.select_related("inspection__area", "source_document")
        ),
        "wsoas": _sorted(
            (inspection_key(r.inspection), r.required_on, r.responsible_bodies, r.fit_for_purpose_on, prov(r))
            for r in WrittenStatementOfAction.all_objects.select_related("inspection__area", "source_document")
        ),
        "revisits": _sorted(
            (revisit_key(r), r.end_date, r.letter_date, r.overall, r.overall_text, r.next_steps, r.lead_inspector, prov(r))
            for r in Revisit.all_objects.select_related("inspection__area", "source_document")
        ),
        "judgements": _sorted(
            (revisit_key(r.revisit), weakness_key(r.weakness), r.sufficient_progress, r.text_as_restated, r.match_score, prov(r))
            for r in ProgressJudgement.all_objects.select_related(
                "revisit__inspection__area", "weakness__inspection__area", "source_document"
            )
        ),
        "letters": _sorted(
            (r.document.original_name, r.position, r.area.gss_code if r.area_id else None, r.fingerprint, r.needs_review,
             (r.duplicate_of.document.original_name, r.duplicate_of.position) if r.duplicate_of_id else None)
            for r in SourceLetter.objects.select_related("document", "area", "duplicate_of__document")
        ),
    }


def wipe() -> None:
    """Forget every document and fact (between hypothesis examples, inside one test's transaction)."""
    from inspections.models import Document, Inspection

    Inspection.all_objects.all().delete()
    Document.objects.all().delete()
