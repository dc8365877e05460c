"""Earlier inspections known from later reports (issue 11, item 3): project.py makes a placeholder for the
previous inspection a 2023 report states, only when its kind is certain, and the letter replaces it."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.pipeline.project import LetterRecord, project_area
from inspections.pipeline.types import ParsedLetter, Span


def _report(previous_start, previous_end, *, start=date(2024, 3, 11), n=1) -> LetterRecord:
    letter = ParsedLetter(
        kind="full_inspection", framework="2023", source_kind="letter", area_name="Dorset", span=Span(0, 900),
        start_date=start, end_date=date(start.year, start.month, start.day + 4), outcome="positive",
        previous_start_date=previous_start, previous_end_date=previous_end, previous_span=Span(400, 421),
    )
    return LetterRecord(n, n, f"sha{n}", 0, f"fp{n}", letter)


def _initial(start, end, n=2) -> LetterRecord:
    letter = ParsedLetter(kind="initial_inspection", framework="2016", source_kind="letter", area_name="Dorset",
                          span=Span(0, 500), start_date=start, end_date=end, outcome="no_wsoa", lead_inspector="A. Person")
    return LetterRecord(n, n, f"sha{n}", 0, f"fp{n}", letter)


def _by_kind(plan):
    return {(p.framework, p.kind): p for p in plan.inspections}


def test_a_stated_previous_inspection_is_known_from_the_later_report():
    plan = project_area([_report(date(2017, 1, 23), date(2017, 1, 27))])
    earlier = _by_kind(plan)[("2016", "initial_inspection")]
    assert earlier.is_placeholder and earlier.start_date == date(2017, 1, 23)
    assert earlier.values["end_date"] == date(2017, 1, 27)
    assert earlier.values["outcome"] == "" and earlier.wsoa is None  # nothing the report does not state
    assert earlier.prov.document_id == 1 and earlier.prov.span == Span(400, 421)  # the report's own line


@pytest.mark.parametrize("order", ["report first", "letter first"])
def test_the_letter_takes_the_placeholders_place_in_any_order(order):
    records = [_report(date(2017, 1, 23), date(2017, 1, 27)), _initial(date(2017, 1, 23), date(2017, 1, 27))]
    plan = project_area(records if order == "report first" else records[::-1])
    initials = [p for p in plan.inspections if p.kind == "initial_inspection"]
    assert len(initials) == 1 and not initials[0].is_placeholder
    assert initials[0].values["lead_inspector"] == "A. Person"


def test_dates_a_day_apart_are_the_same_visit():
    plan = project_area([_report(date(2017, 1, 23), date(2017, 1, 27)), _initial(date(2017, 1, 24), date(2017, 1, 27))])
    assert [p.start_date for p in plan.inspections if p.kind == "initial_inspection"] == [date(2017, 1, 24)]


def test_a_short_visit_after_2017_is_an_earlier_visit_of_unstated_kind_never_an_invented_inspection():
    """Issue 19 item 4: it may have been a revisit, so neither an inspection nor a revisit is invented — but the
    visit is a record of its own ("an earlier visit, inspection or revisit not stated"), known from the report."""
    plan = project_area([_report(date(2019, 12, 9), date(2019, 12, 11))])
    kinds = _by_kind(plan)
    assert set(kinds) == {("2023", "full_inspection"), ("2016", "earlier_visit")}
    earlier = kinds[("2016", "earlier_visit")]
    assert earlier.is_placeholder and earlier.start_date == date(2019, 12, 9)
    assert earlier.values["outcome"] == "" and earlier.wsoa is None
    assert earlier.prov.span == Span(400, 421)  # the report's own line


@pytest.mark.parametrize("order", ["report first", "letter first"])
def test_the_earlier_visit_merges_with_its_own_revisit_letter_when_that_arrives(order):
    revisit = ParsedLetter(kind="revisit", framework="2016", source_kind="letter", area_name="Dorset",
                           span=Span(0, 300), start_date=date(2019, 12, 9), end_date=date(2019, 12, 11),
                           initial_start_date=date(2017, 1, 23))
    records = [_report(date(2019, 12, 9), date(2019, 12, 11)), LetterRecord(3, 3, "sha3", 0, "fp3", revisit)]
    plan = project_area(records if order == "report first" else records[::-1])
    assert ("2016", "earlier_visit") not in _by_kind(plan)
    assert [r.start_date for p in plan.inspections for r in p.revisits] == [date(2019, 12, 9)]


def test_a_five_day_visit_in_2022_was_an_initial_inspection():
    plan = project_area([_report(date(2022, 1, 24), date(2022, 1, 28))])
    assert ("2016", "initial_inspection") in _by_kind(plan)


def test_no_previous_inspection_stated_makes_nothing():
    plan = project_area([_report(None, None)])
    assert len(plan.inspections) == 1


def test_the_publishers_listed_date_is_kept_when_the_letter_prints_none():
    record = _initial(date(2017, 1, 23), date(2017, 1, 27))
    listed = LetterRecord(record.letter_id, record.document_id, record.document_key, 0, record.fingerprint,
                          record.parsed, document_published=date(2017, 3, 20))
    (plan,) = project_area([listed]).inspections
    assert plan.values["published_date"] == date(2017, 3, 20)
    record.parsed.published_date = date(2017, 3, 21)  # the letter's own statement wins
    (plan,) = project_area([listed]).inspections
    assert plan.values["published_date"] == date(2017, 3, 21)
    assert project_area([record]).inspections[0].values["published_date"] == date(2017, 3, 21)


def test_nothing_is_placed_before_the_area_existed():
    plan = project_area([_report(date(2017, 1, 23), date(2017, 1, 27))], area_start=date(2019, 4, 1))
    assert [p.kind for p in plan.inspections] == ["full_inspection"]
