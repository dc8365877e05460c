"""Order independence across a reorganisation: a successor authority's 2023 report and its predecessor's 2016
letter give the same rows whichever file arrives first (found by bench/soak.py, issue 14)."""

from __future__ import annotations

from inspections.models import Document, Inspection
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store

from .conftest import FIXTURES, snapshot, wipe

CUMBRIA_2016 = "008_initial_letter_cumbria_ligatures.txt"  # Cumbria (E10000006), inspected 23 September 2019
CUMBERLAND_2023 = "019_report_2023_cumberland_inconsistent.txt"  # Cumberland (E06000063) replaced Cumbria; its
# report prints "Dates of previous inspection: 23 to 27 September 2019"


def _ingest(*names: str) -> dict:
    for name in names:
        with (FIXTURES / "texts" / name).open("rb") as stream:
            document = document_store(stream=stream, original_name=name)
        assert document.status != Document.Status.DUPLICATE
        ingest_document(document.pk)
    return snapshot()


def test_predecessor_letter_after_successor_report_gives_the_same_rows(register):
    predecessor_first = _ingest(CUMBRIA_2016, CUMBERLAND_2023)
    wipe()
    successor_first = _ingest(CUMBERLAND_2023, CUMBRIA_2016)
    assert successor_first == predecessor_first
    report = Inspection.all_objects.get(area__gss_code="E06000063", framework="2023")
    # Both the Cumbria letter and the placeholder the report made start that day: ambiguous, so no link.
    # Before the fix, the successor was projected first and kept its link to the placeholder.
    assert report.previous_inspection_start.isoformat() == "2019-09-23"
    assert report.previous_inspection is None


def _reject_weakness_4() -> None:
    from django.contrib.auth import get_user_model

    from inspections.models import SignificantWeakness
    from inspections.review.services import fact_reject

    user = get_user_model().objects.get_or_create(username="analyst")[0]
    weakness = SignificantWeakness.objects.get(inspection__area__gss_code="E06000004", number=4)
    fact_reject(fact=weakness, user=user, note="not in the letter")


def test_a_rejected_fact_cites_the_same_copy_whichever_arrived_first(register):
    """Two copies of one letter (the .docx and .html variants of seed 004): rejecting a weakness when only one is
    held, then ingesting the other, gives the rows of ingesting both and then rejecting (lock times aside)."""
    from .conftest import ingest

    first, second = "004_88fbfc01210d008c.docx", "004_88fbfc01210d008c.html"
    ingest(first)
    ingest(second)
    _reject_weakness_4()
    both_then_reject = snapshot()["weaknesses"]
    wipe()
    ingest(first)
    _reject_weakness_4()
    ingest(second)
    reject_then_copy = snapshot()["weaknesses"]

    def without_lock_times(rows):
        import re

        return [re.sub(r"'at': '[^']*'", "'at': '*'", repr(row)) for row in rows]

    assert without_lock_times(reject_then_copy) == without_lock_times(both_then_reject)
    assert any("True, \"[('__rejected__'" in row for row in without_lock_times(reject_then_copy))
