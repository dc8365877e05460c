"""Issue 12, the 2023-framework kinds: 8 (framework from wording and dates), 9 (summaries of full and monitoring
inspections are secondary facts; general lists of the possible outcomes give none), 11 (notices of visits to come
record nothing) and 12 (report lists: unmarked paragraphs, a priority-action row broken by a page footer).

Inputs are our own short texts in tests/fixtures/kinds/2023/ with hand-written labels (labels.json) of exactly what
each states; a field a label leaves out must come out empty or unknown.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from inspections.pipeline.classify import classify
from inspections.pipeline.parse import parse_letter
from inspections.pipeline.parse.report_2023 import parse_report
from inspections.pipeline.parse.secondary_2023 import chosen_outcome, sentences
from inspections.pipeline.parse.text_2023 import clean_report, page_breaks
from inspections.pipeline.split import split_letters
from inspections.pipeline.types import Classified, LetterChunk, NotSendDocument, ParsedLetter, Span

KINDS = Path(__file__).resolve().parent.parent / "fixtures" / "kinds" / "2023"
LABELS = {k: v for k, v in json.loads((KINDS / "labels.json").read_text(encoding="utf-8")).items() if not k.startswith("_")}
NOTICE_REASON = "A notice of a coming visit, not a report"


def _read(name: str) -> str:
    return (KINDS / name).read_text(encoding="utf-8")


def _parse(text: str) -> list[ParsedLetter]:
    return [parse_letter(classify(chunk), text) for chunk in split_letters(text)]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def test_the_corpus_covers_every_kind_with_variants():
    kinds = [name.split("_")[0] for name in LABELS]
    assert {k: kinds.count(k) for k in ("k08", "k09", "k11", "k12")} == {"k08": 6, "k09": 19, "k11": 4, "k12": 5}
    assert sorted(LABELS) == sorted(p.name for p in KINDS.glob("*.txt"))


@pytest.mark.parametrize("name", sorted(n for n, v in LABELS.items() if v["kind"] in {"report", "secondary"}))
def test_stated_facts_are_read_and_nothing_else(name):
    label = LABELS[name]
    (letter,) = _parse(_read(name))
    assert (letter.framework, letter.kind) == (label["framework"], label["letter_kind"])
    assert letter.source_kind == ("letter" if label["kind"] == "report" else "secondary")
    assert letter.area_name == label["area"]
    assert (_iso(letter.start_date), _iso(letter.end_date)) == (label.get("start"), label.get("end"))
    # Never an outcome or overall result the text does not state for this area.
    assert letter.outcome == label.get("outcome", "")
    assert letter.overall == label.get("overall", "")
    for key in ("priority_actions_count", "improvement_areas_count", "monitoring_month", "inspection_month"):
        assert letter.findings.get(key) == label.get(key), key
    if "monitoring_within_months" in label:
        assert letter.findings["monitoring_inspection_within_months"] == label["monitoring_within_months"]
    if label["kind"] == "secondary":
        # A secondary fact is always flagged for review, with a reason a person understands.
        assert letter.review_reasons and "secondary" in letter.review_reasons[0]
    if "verdict_label" in label:
        assert {v["label"] for v in letter.findings["verdicts"]} == {label["verdict_label"]}
        assert all(v["vocabulary"] == "effective_action" for v in letter.findings["verdicts"])


@pytest.mark.parametrize("name", sorted(n for n, v in LABELS.items() if v["kind"] == "notice"))
def test_a_notice_of_a_visit_to_come_records_nothing(name):
    with pytest.raises(NotSendDocument) as caught:
        _parse(_read(name))
    assert NOTICE_REASON in caught.value.message


@pytest.mark.parametrize("name", sorted(n for n, v in LABELS.items() if v["kind"] == "nothing"))
def test_near_misses_and_general_pages_are_rejected_with_a_reason(name):
    with pytest.raises(NotSendDocument) as caught:
        _parse(_read(name))
    assert NOTICE_REASON not in caught.value.message and len(caught.value.message) > 40


# --- kind 8: wording and dates decide the framework ------------------------------------------------------------


def test_a_2024_council_report_on_systemic_failings_is_a_2023_full_inspection_not_a_2016_initial():
    (letter,) = _parse(_read("k08_committee_report_systemic.txt"))
    assert (letter.framework, letter.kind, letter.outcome) == ("2023", "full_inspection", "systemic_failings")
    text = _read("k08_committee_report_systemic.txt")
    assert "widespread and/or systemic failings" in text[letter.outcome_span.start : letter.outcome_span.end]


def test_a_2020_council_report_with_2016_wording_stays_in_the_2016_framework():
    (letter,) = _parse(_read("k08_control_2016_council.txt"))
    assert (letter.framework, letter.kind, letter.outcome) == ("2016", "initial_inspection", "wsoa_required")


def test_2023_vocabulary_in_a_text_dated_before_2023_is_not_read_as_a_2023_inspection():
    text = (
        "SEND news, June 2022\n\nThe new area SEND inspection framework will look at areas for priority action. "
        "Ofsted and the CQC inspected the local area of Rotherham between 7 and 11 November 2021.\n"
    )
    try:
        letters = _parse(text)
    except NotSendDocument:
        return
    assert all(letter.framework == "2016" for letter in letters)


def test_a_quoted_outcome_in_curly_quotes_is_read():
    text = (
        "Inspectors criticise Leeds SEND services\n\nOfsted and the CQC inspected the Leeds local area partnership "
        "from 3\u20137 March 2025. They found \u2018widespread and/or systemic failings\u2019 and set two areas for "
        "priority action.\n"
    )
    (letter,) = _parse(text)
    assert (letter.outcome, letter.start_date, letter.findings["priority_actions_count"]) == (
        "systemic_failings", date(2025, 3, 3), 2,
    )


# --- kind 9: only an outcome stated for the area -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Inspectors did not find widespread and/or systemic failings in the Leeds local area partnership.",
        "If there are widespread and/or systemic failings, a monitoring inspection follows.",
        "The outcome can be that arrangements lead to inconsistent experiences and outcomes.",
    ],
    ids=["negated", "conditional", "possible"],
)
def test_a_negated_or_general_outcome_sentence_gives_no_outcome(sentence):
    chosen, _ = chosen_outcome(sentences(sentence))
    assert chosen is None


def test_an_outcome_stated_beside_a_list_of_the_possible_outcomes_is_the_one_found():
    text = (
        "An inspection has one of three possible outcomes:\n"
        "- arrangements typically lead to positive experiences and outcomes\n"
        "- arrangements lead to inconsistent experiences and outcomes\n\n"
        "Inspectors found that the Kirklees local area partnership's arrangements lead to inconsistent experiences and outcomes.\n"
    )
    chosen, _ = chosen_outcome(sentences(text))
    assert chosen is not None and chosen.outcome == "inconsistent" and "Kirklees" in chosen.sentence.text


def test_a_monitoring_summary_keeps_the_month_only_and_the_full_inspection_it_follows():
    (letter,) = _parse(_read("k09_monitoring_effective_both.txt"))
    assert letter.start_date is None and letter.findings["monitoring_month"] == "2025-05"
    assert letter.initial_period_text == "February 2024"
    assert "effective action on both areas" in letter.overall_text
    assert any("Only the month" in r for r in letter.review_reasons)


# --- kind 12: report lists ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n, v in LABELS.items() if "priority_actions" in v))
def test_a_priority_action_row_broken_by_a_page_footer_stays_whole(name):
    (letter,) = _parse(_read(name))
    rows = [[w.responsible_bodies, w.text] for w in letter.weaknesses if w.kind == "priority_action"]
    assert rows == LABELS[name]["priority_actions"]
    assert any("broken by a page" in r for r in letter.review_reasons)  # the join is shown to a person


def test_a_body_cell_carried_past_a_page_footer_keeps_every_action_and_is_flagged():
    name = "k12_report_body_alone_after_break.txt"
    (letter,) = _parse(_read(name))
    actions = [w for w in letter.weaknesses if w.kind == "priority_action"]
    assert [w.text for w in actions] == LABELS[name]["priority_action_texts"]
    # Where row 2's body ends and row 3's begins is not certain: said, never silently decided.
    assert any("responsible-body cell may hold the end of the previous row" in r for r in letter.review_reasons)


def test_responsible_bodies_either_side_of_an_uncertain_page_break_are_unknown_not_guessed():
    """Where row 2's body ends and row 3's begins after a footer is not certain: neither body is read (a wrong body
    would be a confident wrong fact); row 1's body, before the break, is."""
    name = "k12_report_body_alone_after_break.txt"
    (letter,) = _parse(_read(name))
    bodies = [w.responsible_bodies for w in letter.weaknesses if w.kind == "priority_action"]
    assert bodies == [LABELS[name]["priority_action_bodies_true"][0], "", ""]


def test_a_paragraph_that_refers_back_is_part_of_the_area_before_it():
    """An area for improvement opens by naming who must act; 'They should also …' carries on the area before it."""
    (letter,) = _parse(_read("k12_web_improvement_paragraphs.txt"))
    items = [w.text for w in letter.weaknesses if w.kind == "improvement_area"]
    assert len(items) == 3 and items[1].endswith(
        "independent travel. They should also make sure that health services for young adults are planned before young people turn 18."
    )
    assert any("referring back" in r and "part of the item before" in r for r in letter.review_reasons)


@pytest.mark.parametrize("name", sorted(n for n, v in LABELS.items() if "improvement_areas" in v))
def test_improvement_areas_as_plain_paragraphs_are_separate_items(name):
    (letter,) = _parse(_read(name))
    assert [w.text for w in letter.weaknesses if w.kind == "improvement_area"] == LABELS[name]["improvement_areas"]


def test_page_breaks_are_found_in_clean_text():
    text = _read("k12_report_footer_breaks_priority_row.txt")
    c = clean_report(text)
    breaks = page_breaks(c, text)
    assert len(breaks) == text.count("\f")
    assert all(not c.text[b:].startswith("Area SEND inspection report") for b in breaks)


_BASE = "k12_pdf_improvement_sentence_at_edge.txt"
LISTS = {
    "bullets-then-paragraph": (
        "• Leaders should improve the quality of plans so that they describe needs.\n"
        "• Leaders should improve the way the local offer is shared with families.\n"
        "The partnership should improve the co-production of services with the parent carer forum.\n",
        3,
    ),
    "numbered-then-paragraph": (
        "1. Leaders should improve the quality of plans so that they describe needs.\n"
        "2. Leaders should improve the way the local offer is shared with families.\n"
        "The partnership should improve the co-production of services with the parent carer forum.\n",
        3,
    ),
    "any-subject-that-acts": (
        "Education settings should make sure that every child with SEND has a pupil passport that staff use,\n"
        "so that their needs are understood in every lesson and at the start of each day in school.\n"
        "SENCOs and headteachers should work with the inclusion team to reduce suspensions of pupils with\n"
        "SEND, especially in the secondary phase, where the numbers have risen in the last two years.\n"
        "The designated clinical officer should improve the health advice written for EHC plans.\n",
        3,
    ),
    "a-passive-sentence-continues-its-item": (
        "Leaders should improve the quality of education, health and care plans so that they describe\n"
        "children's needs precisely, and say what help each child will get and who will provide it.\n"
        "Plans should be checked each year so that they stay up to date with each child's needs.\n"
        "The partnership should improve the co-production of services with the parent carer forum.\n",
        2,
    ),
}


@pytest.mark.parametrize("body,count", LISTS.values(), ids=LISTS.keys())
def test_list_shapes_of_areas_for_improvement(body, count):
    base = _read(_BASE)
    a = base.index("Areas for improvement\n")
    b = base.index("\fArea SEND inspection report", a)
    text = base[:a] + "Areas for improvement\n" + body + base[b:]
    letter = parse_report(Classified(LetterChunk(Span(0, len(text)), text), "full_inspection", "2023", "letter"), text)
    items = [w.text for w in letter.weaknesses if w.kind == "improvement_area"]
    assert len(items) == count
    # Every item is complete: each ends its sentence, and together they hold every word of the list.
    assert all(item.endswith(".") for item in items)
    assert " ".join(items).replace("• ", "").split() == " ".join(
        line.lstrip("•0123456789. ") for line in body.splitlines()
    ).split()


# --- the whole pipeline: a secondary monitoring summary and a notice ----------------------------------------------


@pytest.mark.django_db
def test_ingested_secondary_monitoring_summary_is_a_flagged_secondary_revisit(register):
    from inspections.models import Document, Revisit

    report = _ingest("k09_monitoring_not_effective_press.txt")
    assert report.status != Document.Status.REJECTED
    revisit = Revisit.objects.get()
    assert (revisit.kind, revisit.start_date, revisit.overall) == ("monitoring_inspection", date(2025, 6, 2), "sufficient_none")
    assert revisit.source_kind == "secondary" and revisit.needs_review
    assert revisit.inspection.area.name.startswith("Sheffield") and revisit.inspection.is_placeholder


@pytest.mark.django_db
def test_a_council_summary_and_the_report_make_one_inspection_with_the_reports_facts(register):
    from inspections.models import Inspection

    _ingest("k08_committee_report_systemic.txt")
    summary = Inspection.objects.get()
    assert (summary.framework, summary.kind, summary.outcome) == ("2023", "full_inspection", "systemic_failings")
    assert summary.source_kind == "secondary" and summary.needs_review
    _ingest("k12_report_footer_breaks_priority_row.txt")  # the report itself, same area and dates
    (inspection,) = Inspection.objects.filter(framework="2023")  # (the report also dates a previous 2016 one)
    assert inspection.source_kind == "letter" and inspection.start_date == date(2024, 7, 8)
    assert inspection.weaknesses.filter(kind="priority_action").count() == 3


@pytest.mark.django_db
def test_ingested_notice_is_rejected_with_its_reason(register):
    from inspections.models import Document, Inspection

    report = _ingest("k11_forum_notice_monitoring_return.txt")
    assert report.status == Document.Status.REJECTED and NOTICE_REASON in report.message
    assert not Inspection.all_objects.exists()


@pytest.fixture
def register(areas):
    from areas.resolver import AreaRegister

    AreaRegister.clear_cache()
    return areas


def _ingest(name: str):
    from inspections.pipeline.run import ingest_document
    from inspections.pipeline.store import document_store_bytes

    document = document_store_bytes(data=(KINDS / name).read_bytes(), original_name=name)
    return ingest_document(document.pk)


# --- faults found by the precision evaluation (tests/fixtures/texts): each fixed as a kind --------------------------

_PIPE_REPORT = (
    "Area SEND inspection of Hartside Local Area Partnership\n\n"
    "Inspection dates: 3 to 7 February 2025\n"
    "Dates of previous inspection: 4 to 8 March 2019\n\n"
    "Inspection outcome\n\n"
    "There are widespread and/or systemic failings leading to significant concerns about the experiences and outcomes "
    "of children and young people with special educational needs and/or disabilities (SEND), which the local area "
    "partnership must address urgently.\n\n"
    "Areas for priority action\n\n{table}\n"
)
_ROW1 = ("Hartside Council and NHS Hartside Integrated Care Board",
         "Leaders should urgently reduce the time families wait for an assessment of their child's needs.")
_ROW2 = ("Hartside Council", "Leaders should make sure that annual reviews of plans take place on time.")
PIPE_TABLES = {
    "pipes-between-cells": (
        f"Responsible body | Area for priority action\n{_ROW1[0]} | {_ROW1[1]}\n{_ROW2[0]} | {_ROW2[1]}", [_ROW1, _ROW2]),
    "markdown-with-rule-row": (
        f"| Responsible body | Area for priority action |\n|---|---|\n| {_ROW1[0]} | {_ROW1[1]} |\n| {_ROW2[0]} | {_ROW2[1]} |",
        [_ROW1, _ROW2]),
    "columns-in-the-other-order": (
        f"Area for priority action | Responsible body\n{_ROW1[1]} | {_ROW1[0]}", [_ROW1]),
    "action-wrapped-onto-the-next-line": (
        f"{_ROW1[0]} | Leaders should urgently reduce the time families wait\nfor an assessment of their child's needs.",
        [_ROW1]),
    "no-header-row": (f"{_ROW2[0]} | {_ROW2[1]}", [_ROW2]),
    "no-header-action-first": (f"{_ROW2[1]} | {_ROW2[0]}", [_ROW2]),  # only the action reads as a sentence
}


@pytest.mark.parametrize("table,rows", PIPE_TABLES.values(), ids=PIPE_TABLES.keys())
def test_a_priority_action_table_written_with_pipes_is_read_by_its_cells(table, rows):
    """A `|`-separated row is a table row, like a tab-separated one: the body cell is the responsible body, the
    action cell the action; the header row and a Markdown rule row are no rows; no pipe is left in any text."""
    text = _PIPE_REPORT.format(table=table)
    (letter,) = _parse(text)
    got = [(w.responsible_bodies, w.text) for w in letter.weaknesses if w.kind == "priority_action"]
    assert got == [tuple(r) for r in rows]
    for w in letter.weaknesses:
        # The span is the action cell's own text in the document (the first words of the action).
        assert text[w.span.start : w.span.end].startswith(w.text.split()[0]) and "|" not in w.text


def test_areas_for_improvement_written_as_a_one_column_pipe_table_are_items_without_pipes():
    text = _PIPE_REPORT.format(table=f"{_ROW2[0]} | {_ROW2[1]}") + (
        "\nAreas for improvement\n\n| Areas for improvement |\n| --- |\n"
        "| Leaders should improve how the views of children are used to plan services. |\n"
        "| The partnership should strengthen the local offer's information for families. |\n"
    )
    (letter,) = _parse(text)
    assert [w.text for w in letter.weaknesses if w.kind == "improvement_area"] == [
        "Leaders should improve how the views of children are used to plan services.",
        "The partnership should strengthen the local offer's information for families.",
    ]


COUNCIL_TEXTS_WITH_2023_WORDS = {
    # Committee minutes on a 2021 inspection that mention the new framework: 2016 framework by its dates, secondary.
    "minutes-2016-inspection": (
        "Agenda item\n\nSEND Written Statement of Action\n\nReport of the Director of Children's Services\n\n"
        "The submitted report stated that the local area of Hartlepool was inspected by Ofsted and CQC between "
        "6 December 2021 and 10 December 2021 and that three areas of significant weakness were identified. "
        "The Council, together with health partners, was required to produce a Written Statement of Action.\n\n"
        "Members were informed that any future inspection would be under the new Area SEND Inspection Framework, "
        "which looks at the local area partnership.\n\nRESOLVED - That the report be noted.\n",
        ("2016", "initial_inspection", "wsoa_required"),
    ),
    # A cabinet report on a 2024 inspection in the report's own words but without its labelled lines.
    "cabinet-report-2023-inspection": (
        "Cabinet - 12 November 2024\n\nReport of the Executive Director of People\n\n"
        "Area SEND inspection of the Hartlepool local area partnership\n\n"
        "Ofsted and the CQC inspected the Hartlepool local area partnership from 9 to 13 September 2024. "
        "Inspectors found that the local area partnership's arrangements lead to inconsistent experiences and "
        "outcomes for children and young people with SEND.\n\nRecommendation: that Cabinet notes the outcome.\n",
        ("2023", "full_inspection", "inconsistent"),
    ),
}


@pytest.mark.parametrize("text,expected", COUNCIL_TEXTS_WITH_2023_WORDS.values(), ids=COUNCIL_TEXTS_WITH_2023_WORDS.keys())
def test_a_council_text_is_never_the_letter_whatever_framework_words_it_uses(text, expected):
    (letter,) = _parse(text)
    assert letter.source_kind == "secondary" and letter.review_reasons
    assert (letter.framework, letter.kind, letter.outcome) == expected
    assert letter.area_name == "Hartlepool"


STATISTICS = {
    "2023-framework-outcomes": (
        "Area SEND inspections: outcomes to 30 September 2024 (official statistics)\n\n"
        "Between 1 January 2023 and 30 September 2024, Ofsted and the CQC carried out 51 area SEND inspections. "
        "Of these, 15 local area partnerships received the highest outcome and 12 were found to have widespread "
        "and/or systemic failings.\n"
    ),
    "2016-framework-totals": (
        "Local area SEND inspections 2016 to 2022: summary\n\n"
        "Ofsted and the CQC inspected 151 local areas between May 2016 and December 2022. Of these, 91 local "
        "areas were required to produce a written statement of action because of significant weaknesses.\n"
    ),
}


@pytest.mark.parametrize("text", STATISTICS.values(), ids=STATISTICS.keys())
def test_figures_about_many_areas_naming_none_are_rejected_not_held(text):
    """National statistics name no area's inspection: rejected with the reason, so nothing is held or stored (even an
    outcome sentence in them belongs to no area)."""
    with pytest.raises(NotSendDocument) as caught:
        _parse(text)
    assert "figures about many local areas" in caught.value.message


def test_figures_beside_one_named_areas_result_are_still_read():
    text = (
        "Inspectors found that the Hartlepool local area partnership's arrangements typically lead to positive "
        "experiences and outcomes for children and young people with SEND. It was one of 51 area SEND inspections "
        "carried out since January 2023.\n"
    )
    (letter,) = _parse(text)
    assert (letter.area_name, letter.outcome, letter.source_kind) == ("Hartlepool", "positive", "secondary")


# --- the kind fixtures are measured too: tests/fixtures/kinds/labels.jsonl (the evaluation's text-label format) -------

KIND_LABELS = KINDS.parent / "labels.jsonl"


def _kind_labels() -> dict[str, dict]:
    return {entry["file"]: entry for entry in map(json.loads, KIND_LABELS.read_text(encoding="utf-8").splitlines()) if entry}


def test_every_kind_fixture_has_one_evaluation_label_the_evaluation_can_read():
    from evaluation.extraction import load_labels

    labels = load_labels([KIND_LABELS])  # raises for a label the judge would misread, or a file labelled twice
    fixtures = sorted(p.name for folder in ("2016", "2023") for p in (KINDS.parent / folder).glob("*.txt"))
    assert sorted(t["file"] for t in labels.texts) == fixtures


@pytest.mark.parametrize("name", sorted(LABELS))
def test_the_evaluation_labels_agree_with_the_2023_kind_labels(name):
    """labels.json says what the parser must read; labels.jsonl what the text states (it may state more, never other)."""
    label, text_label = LABELS[name], _kind_labels()[name]
    if label["kind"] == "nothing":
        assert text_label["kind"] == "nothing" and not text_label["facts"]
        return
    assert text_label["area"] == (label.get("area") or text_label["area"]) and text_label["framework"] == label.get("framework", "2023")
    facts = text_label["facts"]
    if label.get("outcome") in ("positive", "inconsistent", "systemic_failings"):
        assert facts["outcome"] == label["outcome"]
    prefix = "monitoring" if label.get("letter_kind") == "monitoring_inspection" else "inspection"
    if label.get("start"):
        assert (facts[f"{prefix}_start"], facts[f"{prefix}_end"]) == (label["start"], label["end"])


def test_a_placeholder_for_the_inspection_a_stated_follow_up_implies_is_right_but_its_fields_are_judged():
    from evaluation import precision as pr

    register = pr.load_register(KINDS.parents[3] / "areas" / "data" / "local_areas.csv")
    label = {"file": "t.txt", "kind": "secondary", "text_style": "monitoring_summary", "area": "Rutland", "framework": "2023",
             "facts": {"monitoring_month": "2025-07", "overall": "effective action on all 2 of 2"}}
    placeholder = pr.StoredRecord(file="t.txt", record="inspection", record_id=1, kind="full_inspection", source_kind="secondary",
                                  gss_code="E06000017", framework="2023", is_placeholder=True, fields={})
    assert all(v.right for v in pr.judge_text(label, [placeholder], register))
    dated = pr.StoredRecord(**{**placeholder.__dict__, "fields": {"start_date": date(2024, 2, 5)}})
    assert [v.field for v in pr.judge_text(label, [dated], register) if not v.right] == ["start_date"]
    no_follow_up = {**label, "facts": {}}
    assert [v.field for v in pr.judge_text(no_follow_up, [placeholder], register) if not v.right] == ["record"]


def test_a_pipe_table_row_that_does_not_fit_the_header_gives_its_action_and_no_body_flagged():
    table = (f"| No. | Responsible body | Area for priority action |\n|---|---|---|\n| 1 | {_ROW1[0]} | {_ROW1[1]} |\n"
             f"| {_ROW2[0]} | {_ROW2[1]} |")
    (letter,) = _parse(_PIPE_REPORT.format(table=table))
    got = [(w.responsible_bodies, w.text) for w in letter.weaknesses if w.kind == "priority_action"]
    assert got == [_ROW1, ("", _ROW2[1])]  # the three-column header places row 1; row 2 fits no column layout
    assert any("does not have the table's cells" in r for r in letter.review_reasons)
