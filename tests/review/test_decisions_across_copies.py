"""An analyst's decision binds the fact, whatever file later repeats the letter (issue 14, fault 1;
docs/review-contract.md, rule 4).

The same letter arrives in several files (the original, a forwarded copy with a header, a copy with a note
after it). Corrections of natural-key fields (an inspection's start date, a weakness's number), rejections,
re-processing and deletions happen in any order: there is always one fact per natural key, with every decision
still applied.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.ingest.services import document_delete
from inspections.models import Document, Inspection, SignificantWeakness
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store
from inspections.review.services import fact_correct, fact_reject
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db

MEDWAY = "E06000035"
LETTER = (SEEDS / "002_1a880b05da5a12dc.txt").read_text(encoding="utf-8")
COPIES = {
    "original.txt": LETTER,
    "forwarded.txt": "From: SEND team\nSent: Monday\nSubject: FW: the inspection letter\n\n" + LETTER,
    "with-note.txt": LETTER + "\n\nCirculated to members of the SEND Improvement Board for information.\n",
}
CORRECTED_START = dt.date(2017, 3, 1)


@pytest.fixture
def register(areas):
    from areas.resolver import AreaRegister

    AreaRegister.clear_cache()
    return areas


def _ingest(name: str) -> Document:
    document = document_store(stream=ContentFile(COPIES[name].encode()), original_name=name)
    if document.status != Document.Status.DUPLICATE:
        ingest_document(document.pk)
    return document


def _inspections():
    return list(Inspection.all_objects.filter(area__gss_code=MEDWAY, framework="2016", kind="initial_inspection"))


def _the_inspection() -> Inspection:
    rows = _inspections()
    assert len(rows) == 1, [(r.pk, r.start_date, r.source_document_id) for r in rows]
    return rows[0]


def test_a_corrected_start_date_binds_the_copy_that_arrives_later(register, analyst):
    _ingest("original.txt")
    inspection = _the_inspection()
    parsed_start = inspection.start_date
    fact_correct(fact=inspection, field="start_date", value=CORRECTED_START, user=analyst)
    _ingest("forwarded.txt")
    _ingest("with-note.txt")
    inspection = _the_inspection()
    assert inspection.start_date == CORRECTED_START != parsed_start
    assert "no source letter supports" not in " ".join(inspection.review_reasons or [])
    assert SignificantWeakness.objects.filter(inspection=inspection).count() == 8  # Medway's letter names eight


def test_a_corrected_weakness_number_and_a_rejection_bind_copies(register, analyst):
    _ingest("forwarded.txt")
    inspection = _the_inspection()
    first, second = SignificantWeakness.objects.filter(inspection=inspection).order_by("number")[:2]
    fact_correct(fact=first, field="number", value=9, user=analyst)
    fact_reject(fact=second, user=analyst, note="not in the letter")
    _ingest("original.txt")
    _ingest("with-note.txt")
    numbers = sorted(SignificantWeakness.objects.filter(inspection=_the_inspection()).values_list("number", flat=True))
    assert numbers == [3, 4, 5, 6, 7, 8, 9]  # 1 became 9 and stays 9; 2 was rejected and does not come back
    assert SignificantWeakness.all_objects.filter(inspection__area__gss_code=MEDWAY).count() == 8


OPS = st.one_of(
    st.tuples(st.just("ingest"), st.sampled_from(sorted(COPIES))),
    st.tuples(st.just("delete"), st.sampled_from(sorted(COPIES))),
    st.tuples(st.just("reprocess"), st.sampled_from(sorted(COPIES))),
    st.tuples(st.just("correct_start"), st.none()),
    st.tuples(st.just("renumber"), st.none()),
    st.tuples(st.just("reject_weakness"), st.none()),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, min_size=1, max_size=9))
def test_any_sequence_keeps_one_fact_per_key_with_every_decision(register, analyst, ops):
    from inspections.models import FieldCorrection

    Inspection.all_objects.all().delete()
    Document.objects.all().delete()
    FieldCorrection.objects.all().delete()
    decided = {"start": False, "renumbered": None, "rejected": None}
    for op, name in ops:
        held = {d.original_name: d for d in Document.objects.exclude(status=Document.Status.DUPLICATE)}
        if op == "ingest":
            _ingest(name)
        elif op == "delete" and name in held:
            document_delete(documents=[held[name]])
        elif op == "reprocess" and name in held:
            ingest_document(held[name].pk)
        elif _inspections():
            inspection = _the_inspection()
            if inspection.rejected:
                continue
            weaknesses = list(SignificantWeakness.objects.filter(inspection=inspection).order_by("number"))
            if op == "correct_start" and not decided["start"]:
                fact_correct(fact=inspection, field="start_date", value=CORRECTED_START, user=analyst)
                decided["start"] = True
            elif op == "renumber" and decided["renumbered"] is None and weaknesses and weaknesses[0].number not in (9, 10):
                decided["renumbered"] = weaknesses[0].text
                fact_correct(fact=weaknesses[0], field="number", value=9, user=analyst)
            elif op == "reject_weakness" and decided["rejected"] is None and len(weaknesses) > 1:
                target = weaknesses[-1]
                decided["rejected"] = target.text
                fact_reject(fact=target, user=analyst, note="not in the letter")
        # Invariants after every step.
        rows = _inspections()
        assert len(rows) <= 1, [(r.pk, r.start_date) for r in rows]
        if not rows:
            continue
        inspection = rows[0]
        if decided["start"]:
            assert inspection.start_date == CORRECTED_START
        all_weaknesses = list(SignificantWeakness.all_objects.filter(inspection__area__gss_code=MEDWAY))
        keys = [(w.inspection_id, w.kind, w.number) for w in all_weaknesses]
        assert len(keys) == len(set(keys))
        texts = [w.text for w in all_weaknesses]
        assert len(texts) == len(set(texts)), texts  # no weakness doubled under another number
        if decided["renumbered"]:
            assert [w.number for w in all_weaknesses if w.text == decided["renumbered"]] == [9]
        if decided["rejected"]:
            assert [w.rejected for w in all_weaknesses if w.text == decided["rejected"]] == [True]



@pytest.mark.shared
def test_a_corrected_start_date_still_answers_to_the_date_a_later_report_prints(register, analyst):
    """Hartlepool's 2023 report prints its previous inspection as "3 to 7 October 2016"; correcting that
    inspection's start date must not unlink the report when the report is re-processed (found by bench/soak.py:
    the link depended on whether the report was projected before or after the correction)."""
    from tests.conftest import SHARED

    with (SEEDS / "000_30b352e54e3c96f7.txt").open("rb") as stream:  # Hartlepool's 2016 letter (and Middlesbrough's)
        letter = document_store(stream=stream, original_name="000.txt")
    ingest_document(letter.pk)
    with (SHARED / "corpus" / "reports-2023" / "80473_hartlepool.pdf").open("rb") as stream:
        report_document = document_store(stream=stream, original_name="80473_hartlepool.pdf")
    ingest_document(report_document.pk)
    initial = Inspection.objects.get(area__gss_code="E06000001", framework="2016")
    report = Inspection.objects.get(area__gss_code="E06000001", framework="2023")
    assert report.previous_inspection_id == initial.pk
    fact_correct(fact=initial, field="start_date", value=dt.date(2016, 10, 2), user=analyst)
    ingest_document(report_document.pk)  # re-processed after the correction
    report.refresh_from_db()
    assert report.previous_inspection_id == initial.pk


def _rejected_citations(order: list[str], analyst) -> dict:
    Inspection.all_objects.all().delete()
    Document.objects.all().delete()
    _ingest(order[0])
    fact_reject(fact=_the_inspection(), user=analyst, note="not this area's")
    for name in order[1:]:
        _ingest(name)
    inspection = _the_inspection()
    weaknesses = SignificantWeakness.all_objects.filter(inspection=inspection).select_related("source_document")
    assert inspection.rejected and all(w.rejected for w in weaknesses) and len(weaknesses) == 8
    return {"inspection": inspection.source_document.original_name,
            "weaknesses": sorted({w.source_document.original_name for w in weaknesses})}


def test_a_rejected_inspections_hidden_rows_do_not_depend_on_which_copy_came_first(register, analyst):
    """Its weaknesses follow the letters' provenance like the inspection does (found by bench/soak.py: they kept
    citing the copy held when it was rejected)."""
    one = _rejected_citations(["original.txt", "forwarded.txt"], analyst)
    other = _rejected_citations(["forwarded.txt", "original.txt"], analyst)
    assert one == other
    assert one["weaknesses"] == [one["inspection"]]
