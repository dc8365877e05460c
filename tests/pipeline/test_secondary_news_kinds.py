"""The kinds of sentence real press, council and forum texts use about area SEND inspections, each as a short text
of our own writing (areas are real register names; people, dates and findings are invented), run through
split -> classify -> parse -> resolve on the committed register, without a database.

The rule held throughout: a fact is read only when the text states it; a month stays a month (never a day); an
unknown result stays unknown; a secondary fact is marked secondary. Also here: partial revisit results (a named
weakness sufficient, "the three other areas" not), the WSOA's provenance on a revisit letter, numeric letter dates.
"""

from __future__ import annotations

from datetime import date

import pytest

from areas.register import area_records, default_rows
from areas.resolver import AreaRegister
from inspections.pipeline.classify import classify
from inspections.pipeline.parse import parse_letter
from inspections.pipeline.project import LetterRecord, project_area
from inspections.pipeline.resolve import resolve_letter
from inspections.pipeline.split import split_letters
from inspections.pipeline.types import NotSendDocument, ResolvedLetter
from tests.conftest import FIXTURES

REGISTER = AreaRegister(area_records(default_rows()))


def run(text: str) -> ResolvedLetter:
    (resolved,) = [resolve_letter(parse_letter(classify(chunk), text), REGISTER) for chunk in split_letters(text)]
    return resolved


def gss(name: str) -> str:
    result = REGISTER.resolve(name, on=date(2020, 1, 1))
    assert result.ok, result.reason
    return result.gss_code


# --- kind 1: the area named other ways ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, area",
    [
        ("Rochdale had its first SEND inspection in 2017. Ofsted and the CQC said a written statement of action was required.", "Rochdale"),
        ("Parents were invited to meet inspectors during the SEND revisit to Stockport, which took place between 3 and 5 June 2019. "
         "Inspectors found sufficient progress in all of the areas of significant weakness.", "Stockport"),
        ("Ofsted and the CQC inspected services for children with special educational needs and disabilities (SEND) in Wigan in "
         "March 2018 and asked the council to submit a written statement of action.", "Wigan"),
        ("Following the SEND inspection, Bury Metropolitan Borough Council was asked to submit a written statement of action in 2017.", "Bury"),
        ("A joint SEND inspection in Knowsley of special educational needs services took place in October 2017, and a written "
         "statement of action was required.", "Knowsley"),
        ("In Sefton's case, the SEND inspection was carried out in November 2016 and a written statement of action was required.", "Sefton"),
    ],
)
def test_k1_the_area_is_read_from_running_text(text, area):
    r = run(text)
    assert r.gss_code == gss(area), r.area_reason
    assert r.letter.source_kind == "secondary"


def test_k1_two_areas_in_running_text_are_never_one_of_them():
    r = run("Ofsted and the CQC inspected SEND services in Bury in June 2017. Bolton Council was asked to submit a written "
            "statement of action in 2017.")
    assert r.gss_code is None and "more than one local area" in r.area_reason


# --- kind 2 and 6: a visit, dated to the month or the year ------------------------------------------------------


def test_k6_an_inspection_dated_to_the_month_is_kept_as_written_never_as_a_day():
    r = run("Special educational needs services in Salford were inspected by Ofsted and the Care Quality Commission in "
            "January 2017. The council was told to provide a written statement of action.")
    letter = r.letter
    assert r.gss_code == gss("Salford"), r.area_reason  # "Special educational needs services in Salford"
    assert (letter.start_date, letter.end_date) == (None, None)
    assert (letter.period_text, letter.date_precision) == ("January 2017", "month")
    assert letter.outcome == "wsoa_required"
    assert "Only the month" in " ".join(letter.review_reasons)


def test_k6_a_year_alone_is_a_year():
    r = run("Rochdale had its first SEND inspection in 2017. A written statement of action was required.")
    assert (r.letter.period_text, r.letter.date_precision, r.letter.start_date) == ("2017", "year", None)


def test_k6_a_month_of_something_else_is_not_the_visit():
    r = run("Ofsted and the CQC inspected SEND services in Trafford between 4 and 8 March 2019. A written statement of action "
            "was required and it was published in July 2019.")
    assert (r.letter.start_date, r.letter.end_date, r.letter.period_text) == (date(2019, 3, 4), date(2019, 3, 8), "")


def test_k2_a_follow_up_visit_dated_to_the_month_is_the_revisits():
    r = run("SEND revisit: inspectors re-visited Oldham in May 2019, after the original inspection in June 2017, and found that "
            "sufficient progress had been made in all of the areas of significant weakness.")
    letter = r.letter
    assert letter.kind == "revisit"
    assert (letter.period_text, letter.date_precision, letter.start_date) == ("May 2019", "month", None)
    assert letter.initial_period_text == "June 2017"
    assert letter.overall == "sufficient_all"


# --- kind 3: WSOA said other ways --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The council was asked to submit a written statement of action in 2017.",
        "Leaders were told to provide a written statement of action to Ofsted.",
        "After the inspection a written action plan was required from the partnership.",
        "The partners were asked to explain in writing how they would tackle the weaknesses.",
        "Work continues on the areas detailed in the written statement of action.",
        "Inspectors noted strong progress with your written statement of action.",
        "Our Written Statement of Action to Ofsted has been deemed fit for purpose.",
    ],
)
def test_k3_a_wsoa_said_other_ways_is_read(sentence):
    r = run(f"Ofsted and the CQC inspected SEND services in Salford in March 2018. {sentence}")
    assert r.letter.outcome == "wsoa_required", r.letter.review_reasons


@pytest.mark.parametrize(
    "sentence",
    [
        "No written action plan was required.",
        "If significant weaknesses are found, a written statement of action is required.",
    ],
)
def test_k3_a_wsoa_not_required_or_explained_in_general_is_not_read_as_required(sentence):
    r = run(f"Ofsted and the CQC inspected SEND services in Salford in March 2018. {sentence}")
    assert r.letter.outcome != "wsoa_required"


# --- kind 4: a revisit text that restates the initial inspection ----------------------------------------------------


REVISIT_TEXT = (
    "Ofsted and the CQC re-visited Salford between 2 and 4 December 2019 to see whether enough progress had been made with SEND. "
    "Salford was first inspected between 10 and 14 July 2017, after which a written statement of action was required. "
    "Inspectors found that sufficient progress had been made in addressing all of the areas of significant weakness."
)


def test_k4_a_revisit_text_keeps_the_initial_inspections_dates_and_wsoa():
    letter = run(REVISIT_TEXT).letter
    assert letter.kind == "revisit"
    assert (letter.start_date, letter.end_date) == (date(2019, 12, 2), date(2019, 12, 4))
    assert (letter.initial_start_date, letter.initial_end_date) == (date(2017, 7, 10), date(2017, 7, 14))
    assert letter.initial_outcome == "wsoa_required"
    stated = REVISIT_TEXT[letter.initial_outcome_span.start : letter.initial_outcome_span.end]
    assert "written statement of action was required" in stated and "December" not in stated


def test_k4_the_placeholder_inspection_holds_the_restated_wsoa_with_its_own_sentence():
    resolved = run(REVISIT_TEXT)
    plan = project_area([LetterRecord(1, 1, "a", 0, "f1", resolved.letter)])
    (inspection,) = plan.inspections
    assert inspection.values["outcome"] == "wsoa_required" and inspection.values["start_date"] == date(2017, 7, 10)
    wsoa_span = inspection.wsoa.prov.span
    assert "written statement of action was required" in REVISIT_TEXT[wsoa_span.start : wsoa_span.end]
    # The inspection itself cites the sentence that dates it, never the revisit's dates.
    cited = REVISIT_TEXT[inspection.prov.span.start : inspection.prov.span.end]
    assert "first inspected between 10 and 14 July 2017" in cited and "December" not in cited


# --- kind 5 (and issue 19 item 2): results given partly ------------------------------------------------------------


def test_k5_a_named_weakness_sufficient_and_the_others_not_is_sufficient_some():
    text = (
        "SEND revisit\n\nInspectors came back to Salford in March 2019. They concluded that sufficient progress had been made regarding the "
        "leadership of the area's work on the reforms. However, insufficient progress had been made in the two other areas "
        "of weakness. These were:\n"
        "  • the quality of education, health and care plans\n"
        "  • the support for young people preparing for adulthood\n"
        "The council said it would keep working with families.\n"
    )
    letter = run(text).letter
    assert letter.overall == "sufficient_some"  # never sufficient_none
    judged = [(j.weakness_text, j.sufficient_progress) for j in letter.judgements]
    assert judged == [
        ("the leadership of the area's work on the reforms", True),
        ("the quality of education, health and care plans", False),
        ("the support for young people preparing for adulthood", False),
    ]


def test_k5_the_following_areas_with_the_total_stated_is_some():
    text = (
        "SEND services in Salford were inspected in June 2017, when six areas of weakness were identified.\n\n"
        "Inspectors re-visited Salford in May 2019 and found sufficient progress made in the following four areas:\n\n"
        "  • Joint commissioning of services.\n\n"
        "  • Co-production with families.\n\n"
        "  • Timeliness of assessments.\n\n"
        "  • The local offer.\n\n"
        "What happens next\n"
    )
    letter = run(text).letter
    assert letter.overall == "sufficient_some"
    assert [j.sufficient_progress for j in letter.judgements] == [True] * 4
    assert letter.judgements[3].weakness_text == "The local offer."


def test_k5_the_following_areas_without_a_total_leaves_the_result_unknown():
    text = (
        "Inspectors re-visited SEND services in Salford in May 2019 and found sufficient progress made in the following two areas:\n\n"
        "  • Joint commissioning of services.\n\n"
        "  • The local offer.\n\n"
        "What happens next\n"
    )
    letter = run(text).letter
    assert letter.overall == ""  # the text does not fix it: unknown, never a guess
    assert [j.sufficient_progress for j in letter.judgements] == [True, True]
    assert "not known" in " ".join(letter.review_reasons)


def test_k5_improvements_in_some_areas_is_no_verdict():
    letter = run("Inspectors re-visited SEND services in Salford in May 2019 and saw improvements in two of the four areas of significant weakness.").letter
    assert letter.overall == "" and not letter.judgements


# --- kind 7: a range with one day ------------------------------------------------------------------------------


def test_k7_a_range_whose_start_has_only_its_month():
    r = run("The committee heard that Salford was inspected by Ofsted and CQC between March 2022 and 4 April 2022; a "
            "written statement of action was required.")
    letter = r.letter
    assert (letter.start_date, letter.end_date) == (None, date(2022, 4, 4))
    assert (letter.period_text, letter.date_precision) == ("March 2022", "month")


# --- kind 8: a 2023 monitoring inspection in news ---------------------------------------------------------------


def test_k8_a_monitoring_inspection_in_news_is_a_monitoring_inspection_with_its_result():
    r = run("Ofsted and the CQC carried out a monitoring inspection of the Sheffield local area partnership in July 2025. "
            "It found the partnership has taken effective action to address both areas for priority action.")
    letter = r.letter
    assert (letter.kind, letter.framework, r.gss_code) == ("monitoring_inspection", "2023", gss("Sheffield"))
    assert letter.overall == "sufficient_all"
    assert (letter.start_date, letter.period_text, letter.date_precision) == (None, "July 2025", "month")


# --- kind 9: press wording about a SEND inspection ---------------------------------------------------------------


def test_k9_press_wording_about_a_2023_inspection_is_recognised_by_its_dates():
    r = run("Latest SEND inspection reports\n\nDerbyshire County Council\n\n"
            "Inspectors visited between 4 and 8 March 2024. They spoke with families and leaders.\n")
    letter = r.letter
    assert (letter.kind, letter.framework, r.gss_code) == ("full_inspection", "2023", gss("Derbyshire"))
    assert (letter.start_date, letter.end_date) == (date(2024, 3, 4), date(2024, 3, 8))
    assert letter.outcome == ""  # no outcome stated


def test_k9_press_date_ranges():
    r = run("From the 13th to the 17th of May 2024 an inspection of SEND services of the Halton local area partnership was carried out.")
    assert (r.letter.start_date, r.letter.end_date) == (date(2024, 5, 13), date(2024, 5, 17))
    r = run("Between the 6 May 2024 and 10 May 2024, Ofsted and the CQC undertook a joint inspection of SEND services of the Halton local area partnership.")
    assert (r.letter.start_date, r.letter.end_date) == (date(2024, 5, 6), date(2024, 5, 10))


def test_k9_a_childrens_services_focused_visit_is_still_rejected():
    with pytest.raises(NotSendDocument):
        run("Focused visit to Halton children's services\n\nDear Ms Smith\n\nThis letter summarises the findings of a focused "
            "visit to Halton children's services on 3 and 4 May 2024. Inspectors looked at children with special "
            "educational needs and disabilities (SEND) in care.\n")


# --- kind 10: a letter judging a WSOA fit for purpose -------------------------------------------------------------


def test_k10_a_wsoa_evaluation_letter_records_the_fit_for_purpose_date():
    text = (
        "12 October 2019\n\nMr A Person, Director of Children's Services, Salford City Council\n\nDear Mr Person\n\n"
        "Ofsted and the Care Quality Commission (CQC) have jointly evaluated the written statement of action submitted to us "
        "on 20 September 2019.\n\nThe statement of action is deemed to be fit for purpose in setting out how the area will "
        "tackle the significant areas of weakness identified in the published report letter.\n"
    )
    r = run(text)
    letter = r.letter
    assert (letter.kind, letter.source_kind, r.gss_code) == ("initial_inspection", "secondary", gss("Salford"))
    assert letter.outcome == "wsoa_required"
    assert letter.wsoa_fit_for_purpose == date(2019, 10, 12)
    assert letter.letter_date is None  # the evaluation letter's date is not the inspection letter's


def test_k10_a_stated_fit_for_purpose_date_is_read():
    r = run("SEND services in Salford were inspected by Ofsted and the CQC in March 2018. The WSoA was approved as fit for purpose by Ofsted on 9 August 2018.")
    assert (r.letter.outcome, r.letter.wsoa_fit_for_purpose) == ("wsoa_required", date(2018, 8, 9))


# --- issue 19 item 7: on a revisit letter, the WSOA points at its own sentence ----------------------------------------


def test_the_revisit_letters_restated_wsoa_points_at_the_hmci_sentence():
    from inspections.pipeline.extract import extract_text

    checked = 0
    for path in sorted((FIXTURES / "seeds").glob("*.txt")):
        text = extract_text(path.read_bytes()).text
        for chunk in split_letters(text):
            letter = parse_letter(classify(chunk), text)
            if letter.kind != "revisit" or not letter.wsoa_bodies:
                continue
            span = letter.initial_outcome_span
            stated = text[span.start : span.end]
            assert "determined" in stated and "written statement" in stated.lower()
            assert span != letter.dates_span
            plan = project_area([LetterRecord(1, 1, "a", 0, "f1", letter)])
            wsoa_span = plan.inspections[0].wsoa.prov.span
            assert wsoa_span == span  # the WSOA fact cites that sentence, not the revisit's dates
            if letter.initial_start_date:
                cited = text[plan.inspections[0].prov.span.start : plan.inspections[0].prov.span.end]
                assert cited != text[letter.dates_span.start : letter.dates_span.end]
            checked += 1
    assert checked >= 1


# --- issue 19 item 8: a letter's date in a form not read is flagged, never silently unknown -----------------------------


@pytest.mark.parametrize("written", ["13/25/2022", "09/06/22"])
def test_a_letterhead_date_that_cannot_be_read_is_flagged_with_the_reason(written):
    seed = (FIXTURES / "seeds" / "001_3cc412fc11709ace.txt").read_text(encoding="utf-8")
    text = seed.replace("\n7 January 2022\n", f"\n{written}\n")
    (letter,) = [parse_letter(classify(c), text) for c in split_letters(text)]
    assert letter.letter_date is None
    assert any(written in r and "could not be read" in r for r in letter.review_reasons)


def test_k5_insufficient_progress_in_some_areas_is_not_none():
    letter = run("SEND revisit\n\nInspectors re-visited SEND services in Salford in May 2019 and found insufficient progress "
                 "in two areas of significant weakness.").letter
    assert letter.overall == ""  # the others are not stated: unknown, never sufficient_none
    letter = run("SEND revisit\n\nInspectors re-visited SEND services in Salford in May 2019 and found that the area had not "
                 "made sufficient progress in any of the areas of significant weakness.").letter
    assert letter.overall == "sufficient_none"


def test_k6_the_month_before_the_subject_and_a_year_before_the_word():
    r = run("In October 2017 the Salford City Council area was inspected by Ofsted and the CQC for its SEND services. A "
            "written statement of action was required.")
    assert (r.letter.period_text, r.letter.date_precision) == ("October 2017", "month")
    letter = run("Between Monday, 3 June 2019 and Wednesday, 5 June 2019 Ofsted and the Care Quality Commission carried out "
                 "a joint local area special educational needs and disabilities (SEND) revisit in Salford following a 2017 "
                 "inspection. Inspectors said sufficient progress had been made in all areas.").letter
    assert (letter.kind, letter.start_date, letter.end_date) == ("revisit", date(2019, 6, 3), date(2019, 6, 5))
    assert (letter.initial_period_text, letter.overall) == ("2017", "sufficient_all")


def test_k5_a_count_sufficient_and_the_rest_outstanding_is_some_with_judgements_open():
    letter = run("SEND revisit\n\nInspectors re-visited SEND services in Salford in May 2019. The inspection team said that "
                 "sufficient progress had been made against three areas, with two remaining outstanding.").letter
    assert letter.overall == "sufficient_some" and letter.judgements == []
