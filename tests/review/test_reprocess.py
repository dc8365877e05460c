"""An analyst's decisions survive re-processing: the writer (inspections/pipeline/write.py) honours
`locked_fields` and `rejected` (contract in inspections/review/locks.py)."""

import datetime as dt

import pytest

from inspections.models import FieldCorrection, Inspection, SignificantWeakness
from inspections.review.services import fact_confirm, fact_correct, fact_reject
from tests.ingest.conftest import ingest

pytestmark = pytest.mark.django_db

SEED = "000_30b352e54e3c96f7.txt"  # Hartlepool (twice) and Middlesbrough, 2016 initial inspections


@pytest.fixture
def ingested(db):
    from django.core.management import call_command

    call_command("load_areas", verbosity=0)
    report = ingest(SEED)
    assert report is not None and report.status in ("done", "needs_review"), report
    return Inspection.objects.select_related("area").get(area__gss_code="E06000002")  # Middlesbrough


def test_correction_and_rejection_survive_reprocessing(ingested, analyst):
    middlesbrough = ingested
    assert middlesbrough.lead_inspector == "Nick Whittaker"
    fact_correct(fact=middlesbrough, field="lead_inspector", value="N. Whittaker HMI", user=analyst, note="house style")
    fact_correct(fact=middlesbrough, field="letter_date", value=dt.date(2017, 5, 20), user=analyst)
    weakness = SignificantWeakness.objects.filter(inspection=middlesbrough).order_by("number").first()
    fact_reject(fact=weakness, user=analyst, note="Misread")
    hartlepool = Inspection.objects.get(area__gss_code="E06000001")
    fact_confirm(fact=hartlepool, user=analyst)
    counts = {m: m.all_objects.count() for m in (Inspection, SignificantWeakness)}

    assert ingest(SEED, reprocess=True) is not None  # the same bytes, re-run through the whole pipeline

    middlesbrough = Inspection.objects.get(pk=middlesbrough.pk)  # same row: not deleted and re-created
    assert middlesbrough.lead_inspector == "N. Whittaker HMI"
    assert middlesbrough.letter_date == dt.date(2017, 5, 20)
    assert middlesbrough.start_date == dt.date(2017, 3, 20)  # unlocked fields still come from the letter
    weakness = SignificantWeakness.all_objects.get(pk=weakness.pk)
    assert weakness.rejected and not SignificantWeakness.objects.filter(pk=weakness.pk).exists()
    assert not Inspection.objects.get(pk=hartlepool.pk).needs_review
    assert {m: m.all_objects.count() for m in (Inspection, SignificantWeakness)} == counts  # nothing duplicated
    assert FieldCorrection.objects.count() == 4  # the audit is untouched by re-processing
