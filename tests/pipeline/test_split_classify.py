"""Splitting a document into letters and classifying each (pure functions, no Django)."""

from __future__ import annotations

import pytest

from inspections.pipeline.classify import classify
from inspections.pipeline.split import split_letters
from inspections.pipeline.types import LetterChunk, NotSendDocument, Span
from tests.conftest import SEEDS, SHARED


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}*.txt")).read_text(encoding="utf-8")


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(c.kind, c.framework, c.source_kind) for c in map(classify, split_letters(text))]


def whole(text: str) -> LetterChunk:
    return LetterChunk(span=Span(0, len(text)), text=text)


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("000", [("initial_inspection", "2016", "letter")] * 3),
        ("001", [("revisit", "2016", "letter")]),
        ("002", [("initial_inspection", "2016", "letter")]),
        ("003", [("revisit", "2016", "secondary")]),
        ("004", [("initial_inspection", "2016", "letter")]),
    ],
)
def test_seed_documents(prefix, expected):
    assert kinds(seed(prefix)) == expected


def test_chunks_are_ordered_disjoint_spans_of_the_text():
    text = seed("000")
    chunks = split_letters(text)
    assert [c.text for c in chunks] == [text[c.span.start : c.span.end] for c in chunks]
    assert chunks[0].span.start == 0 and chunks[-1].span.end == len(text)
    assert all(a.span.end == b.span.start for a, b in zip(chunks, chunks[1:], strict=False))
    # Each letter starts at its own letterhead, so the exact repeat is byte-for-byte the first letter.
    assert chunks[0].text.startswith("Ofsted Agora") and chunks[1].text.startswith("Ofsted Agora")
    assert chunks[0].text == chunks[1].text
    assert chunks[2].text.startswith("Ofsted Agora") and "Middlesbrough" in chunks[2].text[:1000]


def test_medway_letter_chunk_starts_at_the_appendix_letterhead():
    text = seed("002")
    (chunk,) = split_letters(text)
    assert chunk.text.startswith("Ofsted\nAgora")
    assert "31 January 2018" in chunk.text[:300]
    assert "OVERVIEW AND SCRUTINY COMMITTEE" not in chunk.text


def test_letter_without_letterhead_starts_at_salutation():
    (chunk,) = split_letters(seed("004"))
    assert chunk.text.lstrip().startswith("Dear Mr Gray")


def test_title_in_a_list_of_appendices_is_not_a_letter():
    text = seed("003").replace(
        "Appendix A Report from Ofsted and the CQC on the Joint Local Area SEND Revisit in Middlesbrough",
        "Appendix A\nJoint Local Area SEND Revisit in Middlesbrough",
    )
    assert "\nJoint Local Area SEND Revisit in Middlesbrough" in text
    assert kinds(text) == [("revisit", "2016", "secondary")]


def test_no_letter_found_returns_the_whole_text_for_classify_to_judge():
    text = "Minutes of the parish council.\n\nThe meeting discussed the village hall roof."
    (chunk,) = split_letters(text)
    assert chunk.span == Span(0, len(text))
    with pytest.raises(NotSendDocument) as exc:
        classify(chunk)
    assert "not a local area SEND inspection document" in exc.value.message
    assert exc.value.status == "rejected"


@pytest.mark.parametrize(
    "text, reason",
    [
        (
            "Inspection of Anytown local authority children's services\nInspection dates: 1 to 12 May 2023\n"
            "Children with special educational needs and/or disabilities (SEND) are helped well.",
            "local authority children's services (ILACS)",
        ),
        (
            "Joint targeted area inspection of the multi-agency response to abuse in Anytown\nLetter to the director",
            "joint targeted area inspection",
        ),
        (
            "School report\nAnytown Primary School\nUnique reference number: 123456\nHeadteacher: A Person\n"
            "Pupils with special educational needs and/or disabilities (SEND) achieve well. This inspection found...",
            "school or college",
        ),
        (
            "Our SEND newsletter. Ofsted inspected the nursery last week and parents of children with SEND were pleased.",
            "holds no local area SEND inspection letter",
        ),
    ],
    ids=["ilacs", "jtai", "school", "send-mention"],
)
def test_other_documents_are_rejected_with_a_readable_reason(text, reason):
    with pytest.raises(NotSendDocument) as exc:
        classify(whole(text))
    assert reason in exc.value.message


def test_a_wsoa_evaluation_letter_is_read_as_a_text_about_the_inspection_that_required_it():
    """Ofsted and the CQC's letter judging a WSOA fit for purpose states the WSOA and that date: read, as secondary."""
    item = classify(whole(
        "Dear Ms Tough\nOfsted and the Care Quality Commission (CQC) have jointly evaluated the written statement of "
        "action submitted to us on 11 September 2020.\nThe statement of action is deemed to be fit for purpose."
    ))
    assert (item.kind, item.framework, item.source_kind) == ("initial_inspection", "2016", "secondary")


def test_letter_body_without_title_is_classified_from_its_opening_sentence():
    body = "Between 22 and 24 November 2021, Ofsted and the Care Quality Commission (CQC), revisited the area of Redcar and Cleveland to decide whether"
    assert classify(whole(body)).kind == "revisit"
    body = "During 3 to 7 October 2016, Ofsted and the Care Quality Commission (CQC) conducted a joint inspection of the local area of Hartlepool to judge"
    assert classify(whole(body)).kind == "initial_inspection"


@pytest.mark.parametrize(
    "title, kind",
    [
        ("Local area SEND inspection in Anytown", "initial_inspection"),
        ("Joint local area special educational needs and/or disabilities (SEND) inspection in Anytown", "initial_inspection"),
        ("Local area SEND revisit in Anytown", "revisit"),
        ("Joint area SEND revisit in Anytown", "revisit"),
        ("JOINT LOCAL AREA SEND RE-VISIT IN ANYTOWN", "revisit"),
    ],
)
def test_title_wording_variants(title, kind):
    text = f"Dear Ms Smith\n\n{title}\n\nBetween 1 and 3 May 2019, Ofsted and the Care Quality Commission (CQC) inspected the area.\n"
    (chunk,) = split_letters(text)
    assert chunk.text.startswith("Dear Ms Smith")
    assert (classify(chunk).kind, classify(chunk).framework) == (kind, "2016")


def test_2023_monitoring_title():
    text = "Area SEND monitoring inspection of Anytown Local Area Partnership\nInspection dates: 1 to 3 May 2025\nDate of previous inspection: 1 to 5 May 2023\n"
    (chunk,) = split_letters(text)
    assert (classify(chunk).kind, classify(chunk).framework) == ("monitoring_inspection", "2023")


def _pdf_text(path) -> str:
    from inspections.pipeline.extract import extract_text

    return extract_text(path.read_bytes()).text


NOT_SEND = sorted((SHARED / "corpus" / "not-send").glob("*.pdf")) if SHARED.is_dir() else []
REPORTS_2023 = sorted((SHARED / "corpus" / "reports-2023").glob("*.pdf")) if SHARED.is_dir() else []


@pytest.mark.shared
def test_shared_corpus_is_present():
    assert len(NOT_SEND) >= 5 and len(REPORTS_2023) >= 29


@pytest.mark.shared
@pytest.mark.parametrize("path", NOT_SEND, ids=lambda p: p.name)
def test_ilacs_reports_are_rejected(path):
    chunks = split_letters(_pdf_text(path))
    assert len(chunks) == 1
    with pytest.raises(NotSendDocument) as exc:
        classify(chunks[0])
    assert exc.value.message == (
        "This is an Ofsted inspection of local authority children's services (ILACS), not a local area SEND inspection."
    )


@pytest.mark.shared
@pytest.mark.parametrize("path", REPORTS_2023, ids=lambda p: p.name)
def test_2023_reports_are_one_full_inspection_each(path):
    text = _pdf_text(path)
    chunks = split_letters(text)
    assert len(chunks) == 1  # page footers 'Area SEND inspection report: X' do not start new reports
    assert chunks[0].span.start == 0
    assert (classify(chunks[0]).kind, classify(chunks[0]).framework) == ("full_inspection", "2023")


@pytest.mark.shared
def test_2023_report_then_2016_letter_in_one_file():
    text = _pdf_text(REPORTS_2023[0]) + "\n\f" + seed("004")
    assert kinds(text) == [("full_inspection", "2023", "letter"), ("initial_inspection", "2016", "letter")]


def test_focused_visit_letter_is_rejected():
    text = "Focused visit to Anytown local authority children's services\n\nDear Mr Smith\n\nThis letter summarises the findings of the focused visit."
    with pytest.raises(NotSendDocument) as exc:
        classify(whole(text))
    assert "focused or monitoring visit" in exc.value.message


def test_ilacs_quoting_a_send_title_is_still_rejected():
    text = (
        "Inspection of Anytown local authority children's services\nInspection dates: 1 to 12 May 2023\n\n"
        "Leaders responded well to the findings of the\nJoint local area SEND inspection in Anytown\n"
        "that Ofsted and the Care Quality Commission conducted a joint inspection of the local area of Anytown in 2019.\n"
    )
    with pytest.raises(NotSendDocument) as exc:
        classify(split_letters(text)[0])
    assert "(ILACS)" in exc.value.message


def test_title_naming_a_year_is_not_a_letter():
    text = "Council minutes\n\nJoint local area SEND inspection in 2018 found that Ofsted inspected the area.\n"
    assert split_letters(text)[0].span == Span(0, len(text))


def test_title_in_council_prose_without_letter_furniture_is_not_a_letter():
    letter = seed("004")
    text = (
        "Report to Cabinet\n\n"
        "Local area SEND inspection of Stockton-on-Tees: the outcome was published in April 2019 and is attached.\n"
        "The Council welcomes the findings.\n\n" + letter
    )
    chunks = split_letters(text)
    assert len(chunks) == 1 and chunks[0].text.lstrip().startswith("Dear Mr Gray")


def test_title_broken_over_two_lines_still_splits_letters():
    first = seed("001").replace("Joint local area SEND revisit in Redcar and Cleveland", "Joint local area SEND\nrevisit in Redcar and Cleveland")
    text = first + "\n\f" + seed("004")
    assert kinds(text) == [("revisit", "2016", "letter"), ("initial_inspection", "2016", "letter")]


@pytest.mark.parametrize("glyph", ["\uf0a7", "\uf0b7", "●", "▪"])
def test_symbol_font_bullets_from_pdf(glyph):
    from inspections.pipeline.parse import parse_letter

    text = seed("004").replace("◼", glyph)
    (letter,) = [parse_letter(classify(c), text) for c in split_letters(text)]
    assert len(letter.weaknesses) == 4
    assert letter.weaknesses[1].text == "the quality of EHC assessments and plans is too variable"


def test_bullet_glyph_on_its_own_line():
    from inspections.pipeline.parse import parse_letter

    text = seed("004").replace("◼ ", "•\n")
    (letter,) = [parse_letter(classify(c), text) for c in split_letters(text)]
    assert [w.text[:20] for w in letter.weaknesses] == ["coproduction, engage", "the quality of EHC a", "strategic joint comm", "local area leaders h"]
