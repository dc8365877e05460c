"""inspections/review/services.py and locks.py: decisions are validated, locked and audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inspections.models import FieldCorrection, Inspection, ProgressJudgement, Revisit, SignificantWeakness
from inspections.review.selectors import fact_history
from inspections.review.locks import REJECTED, apply_locks, is_rejected
from inspections.review.services import correctable_fields, fact_confirm, fact_correct, fact_reject
from tests.factories import make_area, make_document, make_inspection, make_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def doubtful():
    document = make_document("The inspection took place from 6 to 10 March 2017. More text.")
    return make_inspection(document=document, phrase="6 to 10 March 2017", needs_review=True, confidence=0.4,
                           review_reasons=["The inspection dates were not in the letter's opening sentence."])


def test_correct_sets_value_locks_it_and_writes_an_audit_row(doubtful, analyst):
    row = fact_correct(fact=doubtful, field="start_date", value="2017-03-07", user=analyst, note="Typo in letter",
                       resolves=None)
    doubtful.refresh_from_db()
    assert doubtful.start_date == dt.date(2017, 3, 7)  # the string was cleaned by full_clean
    lock = doubtful.locked_fields["start_date"]
    assert lock["value"] == "2017-03-07" and lock["by"] == "ada" and lock["at"]
    assert not doubtful.needs_review and doubtful.review_reasons == []
    assert (row.action, row.field, row.old_value, row.new_value, row.note, row.user) == (
        "correct", "start_date", "2017-03-06", "2017-03-07", "Typo in letter", analyst)
    assert list(fact_history(doubtful)) == [row]


def test_correct_keeps_needs_review_while_other_doubts_remain(analyst):
    fact = make_inspection(needs_review=True, review_reasons=["dates unclear", "area name differs"])
    fact_correct(fact=fact, field="outcome", value="no_wsoa", user=analyst, resolves=["dates unclear"])
    fact.refresh_from_db()
    assert fact.needs_review is True and fact.review_reasons == ["area name differs"]
    fact_correct(fact=fact, field="lead_inspector", value="Jo Smith HMI", user=analyst)  # settles nothing
    fact.refresh_from_db()
    assert fact.needs_review is True
    assert set(fact.locked_fields) == {"outcome", "lead_inspector", "needs_review", "review_reasons"}


@pytest.mark.parametrize("field, value, message", [
    ("outcome", "brilliant", "not a valid choice"),
    ("start_date", "31 February", "invalid date format"),
    ("area", 1, "cannot be corrected"),
    ("locked_fields", {}, "cannot be corrected"),
])
def test_invalid_corrections_change_nothing(doubtful, analyst, field, value, message):
    before = Inspection.objects.values().get(pk=doubtful.pk)
    with pytest.raises(ValidationError, match=message):
        fact_correct(fact=doubtful, field=field, value=value, user=analyst)
    assert Inspection.objects.values().get(pk=doubtful.pk) == before
    assert not FieldCorrection.objects.exists()


def test_correction_may_not_break_the_natural_key(analyst):
    area = make_area()
    make_inspection(area, start_date=dt.date(2017, 1, 9))
    other = make_inspection(area, start_date=dt.date(2018, 1, 8))
    with pytest.raises(ValidationError, match="already exists"):
        fact_correct(fact=other, field="start_date", value=dt.date(2017, 1, 9), user=analyst)
    other.refresh_from_db()
    assert other.start_date == dt.date(2018, 1, 8) and other.locked_fields == {}


def test_unchanged_value_is_refused(doubtful, analyst):
    with pytest.raises(ValidationError, match="already the recorded value"):
        fact_correct(fact=doubtful, field="outcome", value=doubtful.outcome, user=analyst)


def test_confirm_settles_every_doubt_and_locks_the_review_state(doubtful, analyst):
    row = fact_confirm(fact=doubtful, user=analyst, note="Checked")
    doubtful.refresh_from_db()
    assert not doubtful.needs_review and doubtful.review_reasons == []
    assert set(doubtful.locked_fields) == {"needs_review", "review_reasons"}
    assert row.action == "confirm" and row.old_value["needs_review"] is True and row.username == "ada"
    # What a re-parse raising the same doubt would write is dropped.
    assert apply_locks(doubtful, {"needs_review": True, "review_reasons": ["x"], "outcome": "no_wsoa"}) == {
        "outcome": "no_wsoa"}


def test_reject_hides_the_fact_and_its_dependants_everywhere(analyst):
    path = make_path(weaknesses=2, sufficient=1)
    inspection = path["inspection"]
    fact_reject(fact=inspection, user=analyst, note="Not this area's letter")
    assert not Inspection.objects.filter(pk=inspection.pk).exists()  # default manager hides it
    inspection = Inspection.all_objects.get(pk=inspection.pk)
    assert inspection.rejected and is_rejected(inspection)
    assert inspection.locked_fields[REJECTED]["note"] == "Not this area's letter"
    assert not SignificantWeakness.objects.filter(inspection=inspection).exists()
    assert not Revisit.objects.filter(inspection=inspection).exists()
    assert not ProgressJudgement.objects.filter(revisit__inspection=inspection).exists()
    assert SignificantWeakness.all_objects.filter(inspection=inspection, rejected=True).count() == 2
    # One audit row per rejected fact: inspection, 2 weaknesses, WSOA, revisit, 2 judgements.
    assert FieldCorrection.objects.filter(action="reject").count() == 7
    with pytest.raises(ValidationError, match="rejected"):
        fact_correct(fact=inspection, field="outcome", value="no_wsoa", user=analyst)


def test_reject_needs_a_reason(doubtful, analyst):
    with pytest.raises(ValidationError, match="why"):
        fact_reject(fact=doubtful, user=analyst, note="  ")
    doubtful.refresh_from_db()
    assert not doubtful.rejected


def test_apply_locks_drops_locked_and_bookkeeping_fields(doubtful, analyst):
    values = {"start_date": dt.date(2017, 3, 6), "outcome": "wsoa_required", "rejected": False, "locked_fields": {}}
    assert apply_locks(None, values) == {"start_date": dt.date(2017, 3, 6), "outcome": "wsoa_required"}
    fact_correct(fact=doubtful, field="start_date", value=dt.date(2017, 3, 7), user=analyst)
    assert apply_locks(doubtful, values) == {"outcome": "wsoa_required"}


def test_correctable_fields_are_the_facts_own_values():
    names = {f.name for f in correctable_fields(Inspection)}
    assert {"start_date", "outcome", "letter_date", "lead_inspector"} <= names
    assert not names & {"area", "source_document", "span_start", "needs_review", "locked_fields", "rejected", "id"}
