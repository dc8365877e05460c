"""Every fact of tests/fixtures/seeds/labels.json, read back from the fact tables after the real pipeline ran
on the five seed documents (one assertion per fact, so a failure names the fact)."""

from __future__ import annotations

from datetime import date

import pytest

from evaluation.extraction import normalise_text, overall_code
from inspections.models import (
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    SourceLetter,
    WrittenStatementOfAction,
)

from .conftest import LABELS, SEED_FILES, ingest

LETTERS = [(entry["file"], letter) for entry in LABELS["files"] for letter in entry["letters"]]


def _day(value):
    return date.fromisoformat(value) if value else None


@pytest.fixture
def seeded(register):
    return {name: ingest(name) for name in SEED_FILES}


def test_the_labels_cover_six_letters_in_five_files():
    assert len(LABELS["files"]) == 5
    assert len(LETTERS) == 6


@pytest.mark.parametrize("file,label", LETTERS, ids=[f"{l['area']}-{l['kind']}" for _, l in LETTERS])
def test_seed_letter_facts(seeded, file, label):
    source = label.get("source", "letter")
    if label["kind"] == "initial_inspection":
        rows = list(Inspection.objects.filter(area__gss_code=label["gss_code"], kind="initial_inspection"))
        assert len(rows) == 1, "one inspection per area, however often its letter appears"
        row = rows[0]
        assert row.is_placeholder is False
        assert row.framework == label["framework"]
        assert row.source_kind == source
        assert row.source_document.original_name == file
        assert row.start_date == _day(label["start_date"])
        assert row.end_date == _day(label["end_date"])
        assert row.letter_date == _day(label["letter_date"])
        assert row.wsoa_required is label["wsoa_required"]
        assert row.lead_inspector == label["lead_inspector"]
        if "published_date" in label:
            assert row.published_date == _day(label["published_date"])
        weaknesses = list(SignificantWeakness.objects.filter(inspection=row).order_by("number"))
        assert [w.number for w in weaknesses] == list(range(1, len(label["weaknesses"]) + 1))
        for weakness, expected in zip(weaknesses, label["weaknesses"]):
            assert normalise_text(weakness.text) == normalise_text(expected)
            assert weakness.kind == "significant_weakness"
            # Provenance: the span holds the weakness as printed.
            assert normalise_text(weakness.source_text).rstrip(".") in normalise_text(expected) or normalise_text(expected) in normalise_text(weakness.source_text)
        wsoa = WrittenStatementOfAction.objects.get(inspection=row)
        assert wsoa.required_on == row.letter_date
        assert "local authority" in wsoa.responsible_bodies
        assert row.start_date.strftime("%B %Y").split()[1] in row.source_text
        return
    revisit = Revisit.objects.select_related("inspection").get(
        inspection__area__gss_code=label["gss_code"], kind=label["kind"], start_date=_day(label["start_date"])
    )
    assert revisit.source_kind == source
    assert revisit.needs_review is (source == "secondary")
    assert revisit.source_document.original_name == file
    assert revisit.end_date == _day(label["end_date"])
    assert revisit.letter_date == _day(label["letter_date"])
    assert revisit.lead_inspector == label["lead_inspector"]
    assert revisit.overall == overall_code(label["overall"])
    if label.get("next_steps"):
        assert normalise_text(label["next_steps"]).lower() in normalise_text(revisit.next_steps).lower()
    if "initial_inspection_period" in label:
        assert revisit.inspection.period_text == label["initial_inspection_period"]
    if "initial_inspection_letter_published" in label:
        assert revisit.inspection.published_date == _day(label["initial_inspection_letter_published"])
    judgements = list(ProgressJudgement.objects.filter(revisit=revisit).select_related("weakness"))
    assert len(judgements) == len(label["judgements"])
    by_text = {normalise_text(j.text_as_restated): j for j in judgements}
    for expected in label["judgements"]:
        judgement = by_text[normalise_text(expected["weakness"])]
        assert judgement.sufficient_progress is expected["sufficient_progress"]
        assert judgement.source_kind == source
        assert judgement.weakness.inspection_id == revisit.inspection_id
        if "matches_initial_weakness" in expected:
            assert judgement.weakness.number == expected["matches_initial_weakness"]
            assert judgement.match_score >= 90


def test_hartlepool_repeat_is_recorded_once(seeded):
    letters = list(SourceLetter.objects.filter(document__original_name=SEED_FILES[0]).order_by("position"))
    assert [l.area_name_printed for l in letters] == ["Hartlepool", "Hartlepool", "Middlesbrough"]
    assert letters[0].fingerprint == letters[1].fingerprint
    assert letters[1].duplicate_of_id == letters[0].pk and letters[0].duplicate_of_id is None
    inspection = Inspection.objects.get(area__gss_code="E06000001")
    assert inspection.weaknesses.count() == 4
    assert inspection.span_start < letters[1].span_start  # read from the first copy
    assert any("exact repeat" in line for line in seeded[SEED_FILES[0]].skipped)


def test_medway_list_repeated_by_the_council_is_not_doubled(seeded):
    inspection = Inspection.objects.get(area__gss_code="E06000035")
    assert inspection.weaknesses.count() == 8
    assert SourceLetter.objects.filter(area__gss_code="E06000035").count() == 1
    assert Inspection.objects.filter(area__gss_code="E06000035").count() == 1


def test_middlesbrough_council_report_is_secondary_and_never_overwrites_the_letter(seeded):
    initial = Inspection.objects.get(area__gss_code="E06000002", kind="initial_inspection")
    assert initial.source_kind == "letter" and initial.needs_review is False
    assert initial.source_document.original_name == SEED_FILES[0]
    revisit = Revisit.objects.get(inspection=initial)
    assert revisit.source_kind == "secondary"
    assert any("secondary" in reason for reason in revisit.review_reasons)
    # Paraphrased and re-ordered (I-IV = 1, 4, 2, 3): linked by wording, not by position.
    linked = [j.weakness.number for j in ProgressJudgement.objects.filter(revisit=revisit).order_by("id")]
    assert sorted(linked) == [1, 2, 3, 4]
    assert all(j.needs_review for j in ProgressJudgement.objects.filter(revisit=revisit))
    assert seeded[SEED_FILES[3]].status == "needs_review"
    # The council report added no weakness of its own.
    assert SignificantWeakness.objects.filter(inspection__area__gss_code="E06000002").count() == 4


def test_redcar_revisit_creates_a_placeholder_with_its_own_weaknesses(seeded):
    placeholder = Inspection.objects.get(area__gss_code="E06000003")
    assert placeholder.is_placeholder is True
    assert placeholder.start_date is None and placeholder.period_text == "February and March 2018"
    weaknesses = list(placeholder.weaknesses.order_by("number"))
    assert [w.number for w in weaknesses] == [1, 2, 3, 4]
    assert weaknesses[0].text.startswith("There was poor shared understanding")
    assert weaknesses[0].source_document.original_name == SEED_FILES[1]
    revisit = placeholder.revisits.get()
    assert {(j.weakness.number, j.sufficient_progress) for j in revisit.judgements.all()} == {(n, True) for n in range(1, 5)}
    assert seeded[SEED_FILES[1]].status == "done"


def test_stockton_letter_without_letterhead(seeded):
    inspection = Inspection.objects.get(area__gss_code="E06000004")
    assert inspection.letter_date is None
    assert inspection.weaknesses.count() == 4
    assert seeded[SEED_FILES[4]].status == "done"
    assert seeded[SEED_FILES[4]].created  # the report says what it created
