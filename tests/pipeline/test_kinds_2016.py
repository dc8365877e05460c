"""Issue 12, 2016 framework and texts about an inspection: each kind of fault as a small input of our own
(tests/fixtures/kinds/2016/, see its README), run through extract -> split -> classify -> parse -> resolve on the
committed area register, without a database.

The rule every test holds the pipeline to: a fact is stored only when the text states it; absence is unknown; a value
read from a text about the letter is `secondary` and flagged; an area that did not exist at the date is never picked.
"""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest

from areas.register import area_records, default_rows
from areas.resolver import AreaRegister
from inspections.pipeline.classify import classify
from inspections.pipeline.extract import extract_text
from inspections.pipeline.parse import parse_letter
from inspections.pipeline.resolve import letter_date, resolve_letter
from inspections.pipeline.split import split_letters
from inspections.pipeline.types import NotSendDocument, ResolvedLetter
from tests.conftest import FIXTURES, SHARED

KINDS = FIXTURES / "kinds" / "2016"
REGISTER = AreaRegister(area_records(default_rows()))


def run_text(text: str) -> list[ResolvedLetter]:
    return [resolve_letter(parse_letter(classify(chunk), text), REGISTER) for chunk in split_letters(text)]


def run_file(path: Path) -> list[ResolvedLetter]:
    """As an upload: bytes -> extract_text (which also restores a flattened letter's lines) -> the stages."""
    return run_text(extract_text(path.read_bytes()).text)


def one(name: str) -> ResolvedLetter:
    (resolved,) = run_file(KINDS / name)
    return resolved


def gss(name: str) -> str:
    return REGISTER.resolve(name, on=date(2022, 1, 1)).gss_code


def reasons(resolved: ResolvedLetter) -> str:
    return " | ".join(resolved.letter.review_reasons)


# --- kind 1: a letter flattened onto one line --------------------------------------------------------------------


def test_k1_a_flattened_letter_is_read_with_its_letter_date_and_nothing_it_does_not_state():
    r = one("k1_flat_letter_rutland.txt")
    letter = r.letter
    assert (letter.kind, letter.source_kind, r.gss_code) == ("initial_inspection", "letter", "E06000017")
    assert (letter.start_date, letter.end_date, letter.letter_date) == (date(2020, 2, 10), date(2020, 2, 14), date(2020, 3, 2))
    assert letter.outcome == ""  # cut before any sentence about a WSOA: unknown, not "no WSOA" (kind 2)


def test_k1_a_flattened_letter_keeps_its_outcome_bodies_and_signatory():
    letter = one("k1_flat_wsoa_signed.txt").letter
    assert letter.area_name == "Sandwell" and letter.letter_date == date(2019, 1, 14)
    assert letter.outcome == "wsoa_required"
    assert letter.wsoa_bodies == "the local authority and the area's clinical commissioning group"
    assert letter.lead_inspector == "Helen Marsh"


def test_k1_a_flattened_revisit_letter_states_its_overall_result():
    r = one("k1_flat_revisit.txt")
    assert (r.letter.kind, r.letter.source_kind, r.gss_code) == ("revisit", "letter", "E08000036")
    assert r.letter.letter_date == date(2021, 12, 9)
    assert r.letter.overall == "sufficient_all"


def test_k1_a_flattened_line_keeps_its_length_so_every_span_still_points_at_the_source():
    raw = (KINDS / "k1_flat_letter_rutland.txt").read_text(encoding="utf-8")
    text = extract_text(raw.encode()).text
    assert len(text) == len(raw) and text.replace("\n", " ") == raw.replace("\n", " ")
    letter = run_text(text)[0].letter
    assert text[letter.area_span.start : letter.area_span.end] == "Rutland"


def test_k1_prose_that_mentions_dear_and_a_title_is_not_rebroken():
    prose = "The council wrote 'Dear colleagues' to schools about the joint local area SEND inspection in May. " * 5
    assert extract_text(prose.encode()).text == prose


def test_k1_a_list_run_into_its_sentence_gives_each_semicolon_separated_weakness():
    letter = one("k1_flat_semicolon_list.txt").letter
    assert [w.text for w in letter.weaknesses] == [
        "the slow progress in joint commissioning",
        "the weak quality assurance of education, health and care plans",
        "the limited involvement of parents in planning",
    ]
    assert letter.lead_inspector == "Carl Mead"


# --- kind 2: absence is unknown, never "no WSOA" -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "area", "letter_date"),
    [("k2_cut_before_findings.txt", "Lincolnshire", date(2017, 4, 12)), ("k2_cut_in_findings.txt", "Shropshire", date(2018, 10, 3))],
)
def test_k2_a_letter_cut_off_before_any_wsoa_sentence_leaves_the_outcome_unknown(name, area, letter_date):
    letter = one(name).letter
    assert letter.area_name == area and letter.letter_date == letter_date
    assert letter.outcome == ""
    assert "is not stated" in reasons(one(name))


# --- kind 3: texts that repeat the letter's wording are not the letter ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "gss_code", "start", "outcome"),
    [
        ("k3_press_torbay.txt", "E06000027", date(2017, 6, 5), ""),
        ("k3_forum_post.txt", "E10000029", date(2018, 6, 11), "wsoa_required"),
        ("k3_parliament_answer.txt", "E10000016", date(2019, 1, 29), "wsoa_required"),
    ],
)
def test_k3_press_forum_and_parliament_repeating_the_letter_are_secondary_and_flagged(name, gss_code, start, outcome):
    r = one(name)
    assert r.letter.source_kind == "secondary" and r.gss_code == gss_code
    assert r.letter.start_date == start and r.letter.outcome == outcome
    assert r.letter.letter_date is None  # a page's own date is never the letter's
    assert "secondary source" in reasons(r)


def test_k3_a_notice_of_a_visit_to_come_records_nothing():
    with pytest.raises(NotSendDocument, match="notice"):
        run_file(KINDS / "k3_notice_of_revisit.txt")


def test_k3_a_notice_of_a_revisit_that_speaks_of_the_areas_wsoa_records_only_that_wsoa():
    r = one("k3_notice_will_revisit.txt")
    letter = r.letter
    assert (letter.kind, letter.source_kind, letter.outcome) == ("initial_inspection", "secondary", "wsoa_required")
    assert r.gss_code == gss("Havering")
    assert (letter.start_date, letter.end_date, letter.period_text) == (None, None, "")  # the visit to come is not read
    assert "notice of a revisit to come" in reasons(r)


def test_k3_the_same_sentences_with_the_letters_own_furniture_are_the_letter():
    press = (KINDS / "k3_press_torbay.txt").read_text(encoding="utf-8").split("\n", 2)[2]
    (r,) = run_text("Dear Mrs Harris\n\nJoint local area SEND inspection in Torbay\n\n" + press + "\nYours sincerely\n")
    assert r.letter.source_kind == "letter"


# --- kind 4: secondary texts in their own words ----------------------------------------------------------------------


def test_k4_our_send_inspection_page_is_read_as_a_secondary_initial_inspection():
    r = one("k4_rotherham_our_inspection.txt")
    letter = r.letter
    assert (letter.kind, letter.framework, letter.source_kind, r.gss_code) == ("initial_inspection", "2016", "secondary", "E08000018")
    assert (letter.start_date, letter.end_date) == (date(2022, 11, 7), date(2022, 11, 11))
    assert letter.outcome == "wsoa_required" and letter.review_reasons


def test_k4_nhs_news_states_no_wsoa_in_its_own_words():
    r = one("k4_nhs_news.txt")
    assert (r.gss_code, r.letter.outcome, r.letter.source_kind) == ("E06000054", "no_wsoa", "secondary")
    assert (r.letter.start_date, r.letter.end_date) == (date(2020, 1, 13), date(2020, 1, 17))


def test_k4_a_local_offer_page_on_a_revisit_gives_the_revisit_and_its_result():
    r = one("k4_local_offer_revisit.txt")
    assert (r.letter.kind, r.gss_code, r.letter.overall) == ("revisit", "E08000016", "sufficient_all")
    assert (r.letter.start_date, r.letter.end_date) == (date(2022, 2, 7), date(2022, 2, 9))


def test_k4_a_web_pages_list_ends_with_its_last_line_not_with_the_paragraph_after_it():
    r = one("k4_web_list_then_paragraph.txt")
    assert r.gss_code == "E09000016" and r.letter.outcome == "wsoa_required"
    assert [w.text for w in r.letter.weaknesses] == [
        "The quality of education, health and care plans is too variable",
        "Waiting times for speech and language therapy are too long",
        "The local offer is not well known",
    ]


def test_k4_press_giving_dates_and_findings_but_no_outcome_gives_the_dates_and_leaves_the_outcome_unknown():
    (r,) = run_text(
        "Telford & Wrekin SEND services rated highly\n\n22 July 2019\n\nChildren with special educational needs and "
        "disabilities in Telford and Wrekin are well supported, according to a joint inspection by Ofsted and the Care "
        "Quality Commission. The inspection, from 10 to 14 June 2019, looked at education, health and care services. "
        "Inspectors found that leaders know the area well.\n"
    )
    assert (r.gss_code, r.letter.source_kind, r.letter.outcome) == ("E06000020", "secondary", "")
    assert (r.letter.start_date, r.letter.end_date) == (date(2019, 6, 10), date(2019, 6, 14))


def test_k4_a_work_programme_that_only_expects_the_findings_states_nothing():
    with pytest.raises(NotSendDocument):
        run_text(
            "Report to: Scrutiny Committee\nAgenda item 6: Work programme\n\nThe Committee will receive a report on the "
            "local area SEND inspection when Ofsted and the CQC publish their findings. The inspection took place "
            "between 10 and 14 June 2019.\n"
        )


@pytest.mark.parametrize(
    ("sentence", "published"),
    [
        ("The inspection letter was published on 29 November 2021.", date(2021, 11, 29)),
        ("The findings were published in a letter on 10 March 2020.", date(2020, 3, 10)),
        ("You can read the outcome letter, which was published on 21 March 2019, online.", date(2019, 3, 21)),
        ("Our Written Statement of Action was published on 2 June 2020.", None),  # the plan, not the letter
    ],
)
def test_k4_the_letters_publication_date_is_read_and_a_plans_is_not(sentence, published):
    (r,) = run_text(
        "Our SEND inspection\n\nOfsted and the CQC carried out a joint inspection of the local area of Hampshire from 4 to "
        f"8 February 2019. A Written Statement of Action was required. {sentence}\n"
    )
    assert r.gss_code == "E10000014" and r.letter.published_date == published


# --- kind 5: typography ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "gss_code", "start", "end"),
    [
        ("k5_curly_quotes_nbsp.txt", "E06000030", date(2019, 9, 16), date(2019, 9, 20)),
        ("k5_dashes_ligatures.txt", "E08000009", date(2017, 10, 9), date(2017, 10, 13)),
        ("k5_nbsp_letter.txt", "E08000014", date(2019, 3, 4), date(2019, 3, 8)),
    ],
)
def test_k5_quotes_inside_the_phrase_dashes_nbsp_and_ligatures_hide_nothing(name, gss_code, start, end):
    r = one(name)
    assert r.gss_code == gss_code and (r.letter.start_date, r.letter.end_date) == (start, end)
    assert r.letter.outcome == "wsoa_required"


# --- kind 6: area names in running text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "printed", "gss_code"),
    [
        ("k6_wirral.txt", "Wirral", "E08000015"),
        ("k6_greenwich_rbg.txt", "Royal Borough of Greenwich", "E09000011"),
        ("k6_solihull_possessive.txt", "Solihull", "E08000029"),
        ("k6_bcp_comma.txt", "Bournemouth, Christchurch and Poole", "E06000058"),
    ],
)
def test_k6_area_names_with_articles_styles_possessives_abbreviations_and_commas(name, printed, gss_code):
    r = one(name)
    assert (r.letter.area_name, r.gss_code) == (printed, gss_code)
    assert "also names" not in reasons(r)  # "Bournemouth" cut at the comma is not offered beside the whole name


def test_k6_two_different_areas_named_in_one_text_are_not_guessed_between():
    (r,) = run_text(
        "SEND news\n\nOfsted and the CQC carried out a joint inspection of the local area of Rutland between 4 and 8 "
        "June 2018. A joint inspection of SEND services in Leicester followed. A Written Statement of Action is required.\n"
    )
    assert r.gss_code is None and "more than one local area" in r.area_reason


# --- kind 7: an authority that did not exist at the date -----------------------------------------------------------


def test_k7_northamptonshire_for_a_2022_visit_is_never_resolved():
    r = one("k7_northamptonshire_2022.txt")
    assert r.letter.area_name == "Northamptonshire" and r.gss_code is None
    assert "no longer existed on 2022-01-24" in r.area_reason and "E06000061" in r.area_reason


def test_k7_cumbria_in_2024_and_an_undated_former_authority():
    letter = run_text((KINDS / "k6_wirral.txt").read_text(encoding="utf-8"))[0].letter
    letter.findings.pop("area_names")
    letter.area_name, letter.start_date, letter.end_date = "Cumbria", date(2024, 5, 1), date(2024, 5, 3)
    r = resolve_letter(letter, REGISTER)
    assert r.gss_code is None and "no longer existed on 2024-05-01" in r.area_reason
    letter.area_name, letter.start_date, letter.end_date = "Cumbria", None, None
    r = resolve_letter(letter, REGISTER)
    assert r.gss_code == "E10000006" and "no date was read" in reasons(r)


def test_k7_a_month_stated_alone_still_dates_the_resolution():
    (r,) = run_text(
        "Written Statement of Action\n\nFollowing the Ofsted and CQC SEND inspection in March 2022, Buckinghamshire "
        "was required to submit a Written Statement of Action.\n"
    )
    assert r.gss_code == "E06000060"  # Buckinghamshire Council, in force in 2022 (not the county, ended 2020)
    assert r.letter.start_date is None and r.letter.findings["month_stated"] == "2022-03"


# --- kind 10: negation, and dates outside the framework ----------------------------------------------------------


@pytest.mark.parametrize(("name", "gss_code"), [("k10_no_wsoa_issued.txt", "E06000017"), ("k10_wsoa_not_required.txt", "E06000014")])
def test_k10_negated_wsoa_is_no_wsoa(name, gss_code):
    r = one(name)
    assert (r.gss_code, r.letter.outcome) == (gss_code, "no_wsoa")


@pytest.mark.parametrize(
    "sentence",
    [
        "A Written Statement of Action was not required.",
        "The area did not need to produce a written statement of action.",
        "The local area was not required to produce a Written Statement of Action.",
        "Inspectors found no significant weaknesses and no WSoA was needed.",
    ],
)
def test_k10_negation_forms_in_a_letter_are_never_read_as_required(sentence):
    text = (
        "Dear Ms Lowe\n\nJoint local area SEND inspection in Halton\n\nBetween 5 March 2018 and 9 March 2018, Ofsted and the "
        "Care Quality Commission (CQC) conducted a joint inspection of the local area of Halton to judge the effectiveness "
        f"of the area.\n\n{sentence}\n\nYours sincerely\n\nAnn Lowe\nHMI Lead Inspector\n"
    )
    (r,) = run_text(text)
    assert r.letter.outcome == "no_wsoa", sentence


def test_k10_a_2016_framework_inspection_dated_2023_is_flagged():
    r = one("k10_dated_2023.txt")
    assert "outside the years of the 2016 framework" in reasons(r)


# --- near-misses and unplaced sentences --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["near_general_explanation.txt", "near_wales_estyn.txt"])
def test_near_misses_give_nothing(name):
    with pytest.raises(NotSendDocument):
        run_file(KINDS / name)


def test_a_sentence_about_the_outcome_that_is_not_placed_is_shown_in_the_review_reason():
    (r,) = run_text(
        "Our SEND inspection\n\nOfsted and the CQC inspected SEND services in York between 11 and 15 March 2019. "
        "The Written Statement of Action question will be settled by the Minister.\n"
    )
    assert r.letter.outcome == ""
    assert "“The Written Statement of Action question will be settled by the Minister.”" in reasons(r)


# --- issue 10: split and classify share patterns.py; nothing imports back -----------------------------------------


def test_split_and_classify_import_patterns_and_nothing_imports_back():
    pipeline = Path(__file__).resolve().parents[2] / "inspections" / "pipeline"

    def imports(name: str) -> set[str]:
        tree = ast.parse((pipeline / name).read_text(encoding="utf-8"))
        return {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}

    assert "patterns" in imports("split.py") and "patterns" in imports("classify.py")
    assert "classify" not in imports("split.py") and "split" not in imports("classify.py")
    assert not imports("patterns.py") & {"split", "classify"}


# --- the 17 real council texts of ../shared (labels.jsonl): zero wrong facts --------------------------------------

SECONDARY = SHARED / "corpus" / "secondary"


def _labels() -> list[dict]:
    path = SECONDARY / "labels.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] if path.is_file() else []


@pytest.mark.shared
def test_real_council_texts_give_no_wrong_fact_and_keep_what_they_state():
    read = 0
    for label in _labels():
        text = extract_text((SECONDARY / label["file"]).read_bytes()).text
        try:
            letters = run_text(text)
        except NotSendDocument:
            continue
        facts = label["facts"]
        for r in letters:
            letter = r.letter
            if r.gss_code is None:
                continue  # held for review with no facts
            assert letter.source_kind == "secondary" and letter.review_reasons, label["file"]
            assert r.gss_code == REGISTER.resolve(label["area"], on=letter_date(letter)).gss_code, label["file"]
            read += 1
            prefix = "revisit" if letter.kind == "revisit" else "inspection"
            if letter.start_date:
                assert facts.get(f"{prefix}_start") == letter.start_date.isoformat(), label["file"]
                assert facts.get(f"{prefix}_end") == letter.end_date.isoformat(), label["file"]
                read += 2
            if letter.outcome:
                assert facts.get("wsoa_required") is (letter.outcome == "wsoa_required"), label["file"]
                read += 1
            if letter.weaknesses:
                assert len(letter.weaknesses) == facts.get("number_of_weaknesses"), label["file"]
            assert letter.letter_date is None or facts.get("letter_date") == letter.letter_date.isoformat(), label["file"]
    print(f"facts read from the real council texts: {read}")
    assert read >= READ_FROM_REAL_COUNCIL_TEXTS, read  # a fall means stated facts are no longer read


# Measured when written (issue 12): areas, date pairs (2 each) and WSOA outcomes read from the 17 texts, none wrong.
READ_FROM_REAL_COUNCIL_TEXTS = 28
