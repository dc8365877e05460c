"""Linking across documents: a placeholder replaced by its initial letter, analysts' locks, forgetting a
document, an unknown area."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.models import Document, Inspection, ProgressJudgement, Revisit, SignificantWeakness, SourceLetter
from inspections.pipeline import write
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store_bytes
from inspections.pipeline.types import NotSendDocument, ParsedLetter, ParsedWeakness, ResolvedLetter, Span

from .conftest import SEED_FILES, SEEDS, ingest, snapshot, wipe

REDCAR = "E06000003"
# Redcar's 2018 weaknesses as an initial letter would word them, in another order than the revisit restates them.
REDCAR_WEAKNESSES = [
    "poor evaluation of the effectiveness of the local area's arrangements for improving the education, health and care outcomes of children and young people who have SEND",
    "poor shared understanding of the needs of children and young people who have SEND and their education, health and care outcomes",
    "too little involvement of children, young people and families in meaningfully co-producing the services, resources and support they need",
    "the lack of an effective approach to jointly planning and commissioning the services that children and young people who have SEND need",
]


def _redcar_initial() -> dict:
    """A synthetic initial letter for Redcar and Cleveland (the corpus has only its revisit), through the writer."""
    head = "Joint local area SEND inspection in Redcar and Cleveland\nBetween 26 February 2018 and 2 March 2018, Ofsted and CQC inspected.\n"
    text = head + "Main weaknesses:\n"
    weaknesses = []
    for n, item in enumerate(REDCAR_WEAKNESSES, 1):
        start = len(text)
        text += item + "\n"
        weaknesses.append(ParsedWeakness(number=n, text=item, span=Span(start, start + len(item))))
    document = Document.objects.create(sha256="f" * 64, original_name="redcar-initial.txt", text=text, status="processing")
    letter = ParsedLetter(
        kind="initial_inspection", framework="2016", source_kind="letter", span=Span(0, len(text)),
        area_name="Redcar and Cleveland", area_span=Span(head.index("Redcar"), head.index("Redcar") + 20),
        start_date=date(2018, 2, 26), end_date=date(2018, 3, 2), letter_date=date(2018, 4, 16),
        outcome="wsoa_required", wsoa_bodies="the local authority and the CCG", lead_inspector="A Inspector",
        weaknesses=weaknesses,
    )
    return {"document": document, "letters": [ResolvedLetter(letter=letter, gss_code=REDCAR)]}


def test_initial_letter_arriving_later_replaces_the_placeholder(register):
    ingest(SEED_FILES[1])
    placeholder = Inspection.objects.get(area__gss_code=REDCAR)
    assert placeholder.is_placeholder
    report = write.write_document(**_redcar_initial())
    assert report.status == "done"
    inspection = Inspection.objects.get(area__gss_code=REDCAR)  # one row: merged, no duplicate
    assert inspection.pk == placeholder.pk  # the same row, so links and analysts' decisions survive
    assert inspection.is_placeholder is False and inspection.start_date == date(2018, 2, 26)
    assert [w.text for w in inspection.weaknesses.order_by("number")] == REDCAR_WEAKNESSES
    revisit = Revisit.objects.get(inspection=inspection)
    for judgement in ProgressJudgement.objects.filter(revisit=revisit).select_related("weakness"):
        restated = judgement.text_as_restated.removeprefix("There was ").rstrip(".")
        assert judgement.weakness.text.endswith(restated[-40:]), (judgement.text_as_restated, judgement.weakness.text)
        assert judgement.match_score >= 90 and not judgement.needs_review
    merged = snapshot()
    # The other order: the initial letter first, then the revisit, gives the same rows.
    wipe()
    write.write_document(**_redcar_initial())
    ingest(SEED_FILES[1])
    assert snapshot() == merged


def test_locked_fields_and_rejections_survive_reprojection(register):
    for name in SEED_FILES:
        ingest(name)
    hartlepool = Inspection.objects.get(area__gss_code="E06000001")
    hartlepool.letter_date = date(2016, 10, 11)
    hartlepool.end_date = date(2016, 10, 9)  # not locked: re-processing restores what the letter says
    hartlepool.locked_fields = {"letter_date": {"value": "2016-10-11", "by": "analyst", "at": "2026-01-01T00:00:00"}}
    hartlepool.save()
    stockton = Inspection.objects.get(area__gss_code="E06000004")
    stockton.start_date = date(2019, 2, 5)  # an analyst corrected a natural-key field
    stockton.locked_fields = {"start_date": {"value": "2019-02-05", "by": "analyst", "at": "2026-01-01T00:00:00"}}
    stockton.save()
    weakness = SignificantWeakness.objects.get(inspection=stockton, number=2)
    weakness.rejected, weakness.locked_fields = True, {"__rejected__": {"value": True, "by": "analyst", "at": "x"}}
    weakness.save()
    for name in SEED_FILES:
        ingest(name, reprocess=True)
    hartlepool.refresh_from_db()
    assert hartlepool.letter_date == date(2016, 10, 11)
    assert hartlepool.end_date == date(2016, 10, 7)
    assert Inspection.objects.filter(area__gss_code="E06000004").count() == 1
    assert Inspection.objects.get(area__gss_code="E06000004").start_date == date(2019, 2, 5)
    assert SignificantWeakness.all_objects.filter(inspection=stockton, number=2).get().rejected is True
    assert list(SignificantWeakness.objects.filter(inspection=stockton).values_list("number", flat=True).order_by("number")) == [1, 3, 4]


def test_forgetting_a_document_removes_only_what_it_alone_supported(register):
    ingest(SEED_FILES[0])
    before = snapshot()
    report = ingest(SEED_FILES[3])
    assert Revisit.objects.filter(inspection__area__gss_code="E06000002").count() == 1
    write.forget_document(document=Document.objects.get(pk=report.document_id))
    assert snapshot() == before
    assert not SourceLetter.objects.filter(document_id=report.document_id).exists()


def test_a_failed_rerun_leaves_no_partial_records(register, monkeypatch):
    report = ingest(SEED_FILES[3])
    assert Revisit.objects.count() == 1

    def refuse(chunk):
        raise NotSendDocument("not a SEND document (test)")

    monkeypatch.setattr("inspections.pipeline.run.classify", refuse)
    Document.objects.filter(pk=report.document_id).update(status="queued")
    again = ingest_document(report.document_id)
    assert again.status == "rejected" and again.message == "not a SEND document (test)"
    assert Revisit.objects.count() == 0 and SourceLetter.objects.count() == 0


def test_an_unknown_area_is_stored_for_review_without_facts(register):
    text = (SEEDS / SEED_FILES[4]).read_text(encoding="utf-8").replace("Stockton-on-Tees", "Atlantis Vale")
    document = document_store_bytes(data=text.encode(), original_name="atlantis.txt")
    report = ingest_document(document.pk)
    assert report.status == "needs_review"
    assert "Atlantis Vale" in report.message
    letter = SourceLetter.objects.get(document=document)
    assert letter.area is None and letter.needs_review
    assert "Atlantis Vale" in letter.review_reasons[0]
    assert not Inspection.all_objects.exists()
    assert any("no facts recorded" in line for line in report.skipped)


def test_no_letters_is_rejected(register):
    document = Document.objects.create(sha256="e" * 64, original_name="empty.txt", text="")
    with pytest.raises(NotSendDocument):
        write.write_document(document=document, letters=[])


def test_the_same_letter_in_another_file_is_marked_a_duplicate_and_not_counted_twice(register):
    ingest(SEED_FILES[0])
    before = snapshot()
    first = SourceLetter.objects.get(document__original_name=SEED_FILES[0], position=0)
    text = Document.objects.get(original_name=SEED_FILES[0]).text[first.span_start : first.span_end]
    document = document_store_bytes(data=("\n\n" + text).encode(), original_name="hartlepool-copy.txt")
    ingest_document(document.pk)
    copy = SourceLetter.objects.get(document=document)
    assert copy.fingerprint == first.fingerprint
    letters = {copy.pk, first.pk}
    kept = SourceLetter.objects.filter(pk__in=letters, duplicate_of__isnull=True).get()
    assert SourceLetter.objects.filter(pk__in=letters - {kept.pk}, duplicate_of=kept).count() == 1
    assert Inspection.objects.filter(area__gss_code="E06000001").count() == 1
    assert SignificantWeakness.objects.filter(inspection__area__gss_code="E06000001").count() == 4
    if kept.pk == first.pk:
        assert snapshot()["inspections"] == before["inspections"]


def test_deleting_a_document_in_the_admin_removes_its_facts_and_file(register, admin_client, django_capture_on_commit_callbacks):
    ingest(SEED_FILES[0])
    before = snapshot()
    report = ingest(SEED_FILES[3])
    document = Document.objects.get(pk=report.document_id)
    stored = document.file.name
    assert document.file.storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/inspections/document/{document.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert snapshot() == before  # the revisit it alone supported is gone; the initial letter's facts stay
    assert not document.file.storage.exists(stored)
