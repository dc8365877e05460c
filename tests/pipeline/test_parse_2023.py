"""2023-framework area SEND reports: the real shared reports against their labels, and synthetic texts for the
layouts the parser must survive (footers inside lists, two-column tables, wrapped team roles, monitoring reports)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from evaluation import extraction as ev
from inspections.pipeline.classify import classify
from inspections.pipeline.parse import parse_letter
from inspections.pipeline.parse.monitoring_2023 import parse_monitoring
from inspections.pipeline.parse.report_2023 import parse_report
from inspections.pipeline.parse.text_2023 import clean_report
from inspections.pipeline.split import split_letters
from inspections.pipeline.types import Classified, LetterChunk, Span
from tests.conftest import SHARED

LABELS = SHARED / "corpus" / "labels" / "reports-2023.jsonl"
REPORTS = SHARED / "corpus" / "reports-2023"


def _labels() -> list[dict]:
    if not LABELS.is_file():
        return []
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _whole(text: str, kind: str = "full_inspection") -> Classified:
    return Classified(LetterChunk(Span(0, len(text)), text), kind, "2023", "letter")


@pytest.fixture(scope="module")
def parsed_reports():
    from inspections.pipeline.extract import extract_text

    out = {}
    for label in _labels():
        text = extract_text((REPORTS / label["file"]).read_bytes()).text
        out[label["file"]] = (text, [parse_letter(classify(chunk), text) for chunk in split_letters(text)])
    return out


@pytest.mark.shared
@pytest.mark.parametrize("label", _labels(), ids=lambda r: r["file"])
def test_shared_report_matches_its_labels(label, parsed_reports):
    text, letters = parsed_reports[label["file"]]
    assert len(letters) == 1 and letters[0].kind == "full_inspection"
    inspections, _ = ev.views_from_parsed(label["file"], letters)
    result = ev.evaluate(ev.LabelSet(reports=[label]), inspections, [], with_gss=False)
    assert [(m.field, m.expected, m.got) for m in result.misses] == []


@pytest.mark.shared
@pytest.mark.parametrize("label", _labels(), ids=lambda r: r["file"])
def test_shared_report_spans_point_at_the_source(label, parsed_reports):
    text, (letter,) = parsed_reports[label["file"]]
    assert text[letter.area_span.start : letter.area_span.end].replace("\x02", "-").split()[0] == letter.area_name.split()[0]
    assert letter.start_date.strftime("%Y") in text[letter.dates_span.start : letter.dates_span.end]
    for weakness in letter.weaknesses:
        source = text[weakness.span.start : weakness.span.end]
        words = weakness.text.replace("•", "").split()
        assert source.lstrip("0123456789. ").startswith(words[0]), weakness.text
        assert source.rstrip().endswith(words[-1]), weakness.text


SYNTHETIC = """Local area partnership report
Area SEND inspection of Exampleshire
Local Area Partnership
Inspection dates: 28 April to 2 May 2025
Date of previous inspection: Not previously inspected
Inspection outcome
There are widespread and/or systemic failings leading to significant concerns about the
experiences and outcomes of children and young people with special educational needs
and/or disabilities (SEND), which the local area partnership must address urgently.
A monitoring inspection will be carried out within approximately 18 months. The next
full reinspection will be within approximately three years.
Information about the local area partnership
Exampleshire County Council and NHS Example ICB are jointly responsible.
Areas for priority action
Responsible body Areas for priority action
Exampleshire County
Council and NHS
Example ICB
Leaders across the partnership should urgently reduce the time families wait
for EHC needs assessments so that children receive support at the earliest
opportunity.
NHS Example ICB
Health leaders must address the current waiting times for speech and language
therapy and for neurodevelopmental assessment.
Areas for improvement
Areas for improvement
Leaders across the partnership should improve the quality of EHC plans so that
they reflect the current needs of children and young people. This includes:
\f Area SEND inspection report: Exampleshire Local Area Partnership
28 April to 2 May 2025 7
▪ ensuring that health and social care advice is included; and
▪ ensuring that annual reviews happen on time.
The local area partnership should strengthen its work with schools to reduce
suspensions of children and young people with SEND.
Local area partnership details
Inspection team
Ofsted Care Quality Commission
Dr Ann Example, Ofsted HMI lead
inspector
Bob Sample, CQC Lead inspector
Cara Person HMI, Ofsted Dan Other, CQC inspector
"""


def test_synthetic_report_reads_every_fact():
    letter = parse_report(_whole(SYNTHETIC), SYNTHETIC)
    assert letter.area_name == "Exampleshire"
    assert (letter.start_date, letter.end_date) == (date(2025, 4, 28), date(2025, 5, 2))
    assert letter.previous_start_date is None and letter.findings["previous_inspection_text"] == "Not previously inspected"
    assert letter.outcome == "systemic_failings"
    assert letter.findings["next_full_inspection_within_years"] == 3
    assert letter.findings["monitoring_inspection_within_months"] == 18
    priority = [w for w in letter.weaknesses if w.kind == "priority_action"]
    assert [w.responsible_bodies for w in priority] == ["Exampleshire County Council and NHS Example ICB", "NHS Example ICB"]
    assert priority[1].text.startswith("Health leaders must address") and priority[1].number == 2
    improvement = [w for w in letter.weaknesses if w.kind == "improvement_area"]
    assert [w.number for w in improvement] == [1, 2]
    # The page footer inside the first area's bullet list is not part of its text.
    assert improvement[0].text.endswith(
        "This includes: • ensuring that health and social care advice is included; and • ensuring that annual reviews happen on time."
    )
    assert "inspection report" not in improvement[0].text.lower()
    assert letter.lead_inspector == "Ann Example; Bob Sample"
    assert letter.inspection_team[0] == {"name": "Ann Example", "role": "Ofsted HMI lead inspector", "organisation": "Ofsted"}
    assert letter.inspection_team[2] == {"name": "Cara Person", "role": "HMI, Ofsted", "organisation": "Ofsted"}
    assert letter.review_reasons == []


def test_unknown_outcome_is_flagged_not_guessed():
    text = SYNTHETIC.replace("There are widespread and/or systemic failings", "There are some findings")
    letter = parse_report(_whole(text), text)
    assert letter.outcome == ""
    assert letter.review_reasons and letter.confidence < 1


def test_body_and_action_on_one_line_is_split_and_flagged():
    # PDFium puts a one-line body cell and the action's first line on one line when they share a baseline:
    # that line is longer than any line of the action column.
    text = SYNTHETIC.replace(
        "NHS Example ICB\nHealth leaders must address the current waiting times for speech and language\n",
        "NHS Example ICB Health leaders must address the long waits for speech and language therapy services\n",
    )
    letter = parse_report(_whole(text), text)
    priority = [w for w in letter.weaknesses if w.kind == "priority_action"]
    assert len(priority) == 2
    assert priority[1].responsible_bodies == "NHS Example ICB"
    assert priority[1].text.startswith("Health leaders must address the long waits for speech")
    assert any("one line" in reason for reason in letter.review_reasons)


def test_footer_glued_to_text_and_soft_hyphen_are_cleaned():
    text = "Intro line.\n\fArea SEND inspection report: X Local Area Partnership, 1 to 5 May 2023 2What is it like\nco\x02production"
    cleaned = clean_report(text)
    assert cleaned.text == "Intro line.\nWhat is it like\nco-production"
    at = cleaned.text.index("What")
    assert text[cleaned.pos[at] : cleaned.pos[at] + 4] == "What"


def test_split_and_classify_route_a_2023_report_here():
    (chunk,) = split_letters(SYNTHETIC)
    item = classify(chunk)
    assert (item.framework, item.kind) == ("2023", "full_inspection")
    assert parse_letter(item, SYNTHETIC).outcome == "systemic_failings"


MONITORING = """Local area partnership report
Area SEND monitoring inspection of Exampleshire Local Area Partnership
Inspection dates: 2 to 4 December 2026
Date of previous inspection: 28 April to 2 May 2025
Monitoring inspection outcome
The local area partnership has made sufficient progress in addressing one of the two areas for priority
action identified at the previous inspection. The next full reinspection will be within approximately
18 months of this monitoring inspection.
Areas for priority action
Area for priority action 1
Leaders across the partnership should urgently reduce the time families wait for EHC needs assessments.
Progress
The local area partnership has made sufficient progress in addressing this area for priority action.
Assessments are now completed within 20 weeks.
Area for priority action 2
Health leaders must address the current waiting times for speech and language therapy.
Progress
The local area partnership has not made sufficient progress in addressing this area for priority action.
Inspection team
Ofsted Care Quality Commission
Ann Example, Ofsted HMI Lead inspector Bob Sample, CQC Lead inspector
"""


def test_synthetic_monitoring_report():
    (chunk,) = split_letters(MONITORING)
    item = classify(chunk)
    assert (item.framework, item.kind) == ("2023", "monitoring_inspection")
    letter = parse_letter(item, MONITORING)
    assert letter.area_name == "Exampleshire"
    assert (letter.start_date, letter.end_date) == (date(2026, 12, 2), date(2026, 12, 4))
    assert (letter.initial_start_date, letter.initial_end_date) == (date(2025, 4, 28), date(2025, 5, 2))
    assert [(j.number, j.sufficient_progress) for j in letter.judgements] == [(1, True), (2, False)]
    assert letter.judgements[1].weakness_text == (
        "Health leaders must address the current waiting times for speech and language therapy."
    )
    span = letter.judgements[0].weakness_span
    assert MONITORING[span.start : span.end].startswith("Leaders across the partnership")
    verdict = letter.judgements[0].span  # the judgement points at its verdict sentence
    assert MONITORING[verdict.start : verdict.end].startswith("The local area partnership has made sufficient progress")
    assert letter.overall == "sufficient_some"
    assert "18 months" in letter.next_inspection_text
    assert letter.lead_inspector == "Ann Example; Bob Sample"
    assert letter.review_reasons == []


def test_monitoring_unnumbered_blocks_and_unreadable_verdict_is_flagged():
    text = MONITORING.replace("Area for priority action 1\n", "").replace("Area for priority action 2\n", "").replace(
        "Progress\n", ""
    ).replace("has not made sufficient progress", "has made some progress")
    letter = parse_monitoring(_whole(text, "monitoring_inspection"), text)
    assert [j.sufficient_progress for j in letter.judgements] == [True, None]
    assert letter.overall == ""
    assert any("could not be read" in reason for reason in letter.review_reasons)
