"""The real corpus in ../shared (read, never copied): not-send PDFs are rejected with a reason and leave no
rows; 2023 reports link to the earlier inspection of their area."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from inspections.models import Document, Inspection, Revisit, SourceLetter
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store
from tests.conftest import SHARED

from .conftest import SEED_FILES, SEEDS, ingest

pytestmark = pytest.mark.shared
NOT_SEND = sorted((SHARED / "corpus" / "not-send").glob("*.pdf")) if SHARED.is_dir() else []
REPORTS = SHARED / "corpus" / "reports-2023"


def _ingest_path(path):
    with path.open("rb") as stream:
        document = document_store(stream=stream, original_name=path.name)
    return ingest_document(document.pk)


@pytest.mark.parametrize("path", NOT_SEND, ids=[p.name for p in NOT_SEND])
def test_not_send_documents_are_rejected_with_a_reason_and_no_rows(register, path):
    report = _ingest_path(path)
    assert report.status == "rejected"
    assert "not a local area SEND inspection" in report.message
    document = Document.objects.get(pk=report.document_id)
    assert document.status == "rejected" and document.error == report.message
    assert not SourceLetter.objects.exists()
    assert not Inspection.all_objects.exists()


def test_2023_report_links_to_the_2016_inspection_of_its_area(register):
    ingest(SEED_FILES[0])  # Hartlepool 2016 (and Middlesbrough 2017)
    ingest(SEED_FILES[3])  # Middlesbrough's 2019 revisit (secondary)
    for name in ("80473_hartlepool.pdf", "80523_middlesbrough.pdf"):
        assert _ingest_path(REPORTS / name).status == "done"
    hartlepool = Inspection.objects.get(area__gss_code="E06000001", framework="2023")
    assert hartlepool.kind == "full_inspection"
    assert hartlepool.previous_inspection == Inspection.objects.get(area__gss_code="E06000001", framework="2016")
    assert hartlepool.weaknesses.filter(kind="improvement_area").count() == 3
    # Middlesbrough's "previous inspection" is the 2019 revisit: the link is the inspection it followed up.
    middlesbrough = Inspection.objects.get(area__gss_code="E06000002", framework="2023")
    assert middlesbrough.previous_inspection_start == date(2019, 7, 8)
    assert middlesbrough.previous_inspection == Revisit.objects.get(inspection__area__gss_code="E06000002").inspection


def test_2023_report_without_the_earlier_inspection_keeps_the_printed_dates(register):
    assert _ingest_path(REPORTS / "80522_medway.pdf").status == "done"
    medway = Inspection.objects.get(area__gss_code="E06000035", framework="2023")
    assert (medway.previous_inspection_start, medway.previous_inspection_end) == (date(2019, 12, 9), date(2019, 12, 11))
    # Issue 19 item 4: the visit it names (three days in 2019: inspection or revisit, not stated) is a record of its
    # own, known from this report, and the report points at it.
    earlier = Inspection.objects.get(area__gss_code="E06000035", kind="earlier_visit")
    assert earlier.is_placeholder and (earlier.start_date, earlier.end_date) == (date(2019, 12, 9), date(2019, 12, 11))
    assert medway.previous_inspection == earlier


def test_ingest_command_says_what_it_did(register, capsys):
    seed = SEEDS / SEED_FILES[0]
    call_command("ingest", str(seed), str(NOT_SEND[0]))
    out = capsys.readouterr().out
    assert f"{SEED_FILES[0]}: done" in out
    assert "created initial inspection of Hartlepool 2016-10-03" in out
    assert "skipped letter 2 (Hartlepool initial inspection 2016-10-03): an exact repeat" in out
    assert f"{NOT_SEND[0].name}: rejected - This is an Ofsted inspection of local authority children's services" in out
    call_command("ingest", str(seed))
    assert "skipped, identical to document" in capsys.readouterr().out
    call_command("ingest", "--reprocess", str(seed))
    out = capsys.readouterr().out
    assert "created" not in out and "updated" not in out
    assert "no changes" in out
