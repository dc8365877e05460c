"""2023-framework monitoring reports (and full-report wording) the shared corpus does not hold.

No real area SEND monitoring report text was found (tests/fixtures/real_2023/README.md), so the fixtures are
realistic variants: the judgement vocabularies public accounts of real monitoring reports use ("has taken effective
action"), graded verdicts ("has made some progress"), inline labels, a web/Word copy. Each fixture's header states
its facts, written by hand; the parser must read them or flag the letter, never guess."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from inspections.pipeline.classify import classify
from inspections.pipeline.parse import parse_letter
from inspections.pipeline.parse.monitoring_2023 import parse_monitoring
from inspections.pipeline.parse.report_2023 import parse_report
from inspections.pipeline.project import LetterRecord, project_area
from inspections.pipeline.split import split_letters
from inspections.pipeline.types import Classified, LetterChunk, ParsedLetter, ParsedWeakness, Span

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real_2023"


def _fixture(name: str) -> str:
    """The fixture's text without its '#' header (source, licence, facts)."""
    return re.sub(r"\A(?:#[^\n]*\n)+\n", "", (FIXTURES / name).read_text(encoding="utf-8"))


def _parse(text: str) -> ParsedLetter:
    (chunk,) = split_letters(text)
    item = classify(chunk)
    assert (item.framework, item.kind) == ("2023", "monitoring_inspection")
    return parse_letter(item, text)


def _whole(text: str, kind: str = "monitoring_inspection") -> Classified:
    return Classified(LetterChunk(Span(0, len(text)), text), kind, "2023", "letter")


# name -> area, dates, inspection followed up, verdicts, overall, next steps (contains), flagged
FACTS = {
    "monitoring_effective_action.txt": (
        "Northshire", (date(2025, 7, 7), date(2025, 7, 9)), (date(2023, 1, 30), date(2023, 2, 3)),
        [True, False], "sufficient_some", "within approximately three years", False,
    ),
    "monitoring_three_way.txt": (
        "Southborough", (date(2025, 3, 3), date(2025, 3, 5)), (date(2023, 9, 11), date(2023, 9, 15)),
        [True, None, False], "", "within approximately 18 months", True,
    ),
    "monitoring_web.txt": (
        "Westmere", (date(2025, 10, 14), date(2025, 10, 16)), (date(2024, 3, 20), date(2024, 3, 24)),
        [True, True], "sufficient_all", "within approximately three years", False,
    ),
}


@pytest.mark.parametrize("name", sorted(FACTS))
def test_monitoring_fixture_facts(name):
    area, dates, followed, verdicts, overall, next_steps, flagged = FACTS[name]
    text = _fixture(name)
    letter = _parse(text)
    assert letter.area_name == area
    assert (letter.start_date, letter.end_date) == dates
    assert (letter.initial_start_date, letter.initial_end_date) == followed
    assert [j.sufficient_progress for j in letter.judgements] == verdicts
    assert [j.number for j in letter.judgements] == list(range(1, len(verdicts) + 1))
    assert letter.overall == overall
    assert next_steps in letter.next_steps and letter.next_steps == letter.next_inspection_text
    assert bool(letter.review_reasons) == flagged, letter.review_reasons
    for j in letter.judgements:
        # The action as restated (not the narrative after it), and the verdict sentence the judgement points at.
        restated = text[j.weakness_span.start : j.weakness_span.end]
        assert " ".join(restated.split()) == j.weakness_text
        assert re.search(r"\b(?:should|must)\b", j.weakness_text)
        assert not re.search(r"progress|effective action", j.weakness_text, re.I)
        assert " ".join(text[j.span.start : j.span.end].split()) == j.verdict_text
        assert re.search(r"progress|effective action", j.verdict_text)


def test_a_graded_verdict_is_kept_as_text_and_flagged():
    letter = _parse(_fixture("monitoring_three_way.txt"))
    graded = letter.judgements[1]
    assert graded.sufficient_progress is None
    assert "has made some progress" in graded.verdict_text
    assert any("Priority action 2" in r and "could not be read" in r for r in letter.review_reasons)


def test_childrens_progress_is_not_a_verdict():
    text = _fixture("monitoring_effective_action.txt").replace(
        "The local area partnership has taken effective action to address this area for priority action.\n", ""
    )
    letter = parse_monitoring(_whole(text), text)
    # "Many children and young people have made strong progress …" is about children, not the partnership.
    assert letter.judgements[0].sufficient_progress is None
    assert letter.overall == ""
    assert any("Priority action 1" in r for r in letter.review_reasons)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The local area partnership has made sufficient progress in addressing this area for priority action.", True),
        ("The partnership has not yet made enough progress on this area for priority action.", False),
        ("The local area partnership has made insufficient progress in addressing this area for priority action.", False),
        ("The local area partnership has made limited progress in addressing this area for priority action.", False),
        ("Leaders are taking effective action to address this area for priority action.", True),
        ("The local area partnership is not taking effective action to address this area for priority action.", False),
        ("Action taken by the partnership to address this area for priority action has not been effective.", False),
        ("The local area partnership has taken some effective action on this area for priority action.", None),
        ("The local area partnership has made progress in addressing this area for priority action.", None),
        ("The partnership has made sufficient progress on assessments but has not made sufficient progress on reviews of this area.", None),
    ],
)
def test_verdict_wordings(sentence, expected):
    text = (
        "Area SEND monitoring inspection of Exampleshire Local Area Partnership\n"
        "Inspection dates: 2 to 4 December 2026\nDates of previous inspection: 28 April to 2 May 2025\n"
        "Areas for priority action\nLeaders should urgently reduce the time families wait for EHC needs assessments.\n"
        f"{sentence}\nInspection team\nAnn Example, Ofsted HMI Lead inspector\n"
    )
    letter = parse_monitoring(_whole(text), text)
    (j,) = letter.judgements
    assert j.sufficient_progress is expected
    assert j.weakness_text == "Leaders should urgently reduce the time families wait for EHC needs assessments."
    assert (expected is None) == any("could not be read" in r for r in letter.review_reasons)


def test_out_of_sequence_numbers_are_flagged():
    text = _fixture("monitoring_effective_action.txt").replace("Area for priority action 2", "Area for priority action 3")
    letter = parse_monitoring(_whole(text), text)
    assert [j.number for j in letter.judgements] == [1, 3]
    assert any("numbered [1, 3]" in r for r in letter.review_reasons)


def test_the_monitoring_report_judges_the_full_reports_priority_actions_and_keeps_next_steps():
    text = _fixture("monitoring_effective_action.txt")
    monitoring = _parse(text)
    actions = [j.weakness_text for j in monitoring.judgements]
    full = ParsedLetter(
        kind="full_inspection", framework="2023", source_kind="letter", span=Span(0, 10), area_name="Northshire",
        start_date=date(2023, 1, 30), end_date=date(2023, 2, 3), outcome="systemic_failings",
        weaknesses=[ParsedWeakness(n, t, Span(n, n + 1), "priority_action") for n, t in ((2, actions[1]), (1, actions[0]))],
    )
    plan = project_area([LetterRecord(2, 2, "sha2", 0, "fp2", monitoring), LetterRecord(1, 1, "sha1", 0, "fp1", full)])
    (inspection,) = plan.inspections
    (revisit,) = inspection.revisits
    assert revisit.values["overall"] == "sufficient_some"
    assert "within approximately three years" in revisit.values["next_steps"]
    assert sorted((j.weakness, j.values["sufficient_progress"]) for j in revisit.judgements) == [
        (("priority_action", 1), True), (("priority_action", 2), False),
    ]


# --- full reports: wording the 29 held reports do not use ---------------------------------------------------

FULL = """Area SEND inspection of Exampleshire Local Area Partnership
Inspection dates: 3 to 7 March 2025
Dates of the previous full inspection: 1 to 5 May 2017
Inspection outcome
{outcome}
Areas for improvement
1. Leaders should improve the timeliness of EHC plans.
2. Leaders should improve the local offer.
Inspection team
Ann Example, Ofsted HMI Lead inspector
"""


@pytest.mark.parametrize(
    ("outcome", "expected", "months", "years"),
    [
        ("The local area partnership's SEND arrangement leads to inconsistent experiences and outcomes for children "
         "and young people with SEND. The local area partnership must work jointly to make improvements. The next "
         "full area SEND inspection will take place within approximately three years.", "inconsistent", None, 3),
        ("There are widespread and/or systemic failings leading to significant concerns about the experiences and "
         "outcomes of children and young people with SEND, which the local area partnership must address urgently. "
         "A monitoring inspection will take place within approximately 18 months. The next full area SEND "
         "inspection is due within approximately three years.", "systemic_failings", 18, 3),
    ],
)
def test_full_report_outcome_variants(outcome, expected, months, years):
    text = FULL.format(outcome=outcome)
    letter = parse_report(_whole(text, "full_inspection"), text)
    assert letter.outcome == expected
    assert letter.previous_start_date == date(2017, 5, 1)
    assert letter.findings.get("monitoring_inspection_within_months") == months
    assert letter.findings["next_full_inspection_within_years"] == years
    assert [w.number for w in letter.weaknesses if w.kind == "improvement_area"] == [1, 2]
    # Systemic failings with no "Areas for priority action" section is flagged, not passed silently.
    assert bool(letter.review_reasons) == (expected == "systemic_failings")


def test_actions_listed_before_their_verdicts_are_flagged_not_paired_by_guess():
    text = (
        "Area SEND monitoring inspection of Exampleshire Local Area Partnership\n"
        "Inspection dates: 2 to 4 December 2026\nDates of previous inspection: 28 April to 2 May 2025\n"
        "Areas for priority action\n"
        "Leaders should urgently reduce the time families wait for EHC needs assessments.\n"
        "Health leaders must address the current waiting times for speech and language therapy.\n"
        "The local area partnership has made sufficient progress in addressing the first area for priority action.\n"
        "The local area partnership has not made sufficient progress in addressing the second area for priority action.\n"
        "Inspection team\nAnn Example, Ofsted HMI Lead inspector\n"
    )
    letter = parse_monitoring(_whole(text), text)
    assert all(j.sufficient_progress is None for j in letter.judgements)
    assert letter.overall == ""
    assert any("more than one action-like paragraph" in r for r in letter.review_reasons)
