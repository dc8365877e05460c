"""Stages 6 and 7a without a database: area resolution, judgement matching, the area projection plan."""

from __future__ import annotations

from datetime import date

from areas.register import area_records, default_rows
from areas.resolver import AreaRegister
from inspections.pipeline.match import REVIEW_BELOW, assign
from inspections.pipeline.project import LetterRecord, project_area
from inspections.pipeline.resolve import resolve_letters
from inspections.pipeline.types import ParsedJudgement, ParsedLetter, ParsedWeakness, Span

REGISTER = AreaRegister(area_records(default_rows()))


def _letter(kind="initial_inspection", area="Hartlepool", start=date(2016, 10, 3), **fields) -> ParsedLetter:
    framework = "2023" if kind in ("full_inspection", "monitoring_inspection") else "2016"
    return ParsedLetter(kind=kind, framework=framework, source_kind=fields.pop("source_kind", "letter"),
                        span=Span(0, 100), area_name=area, start_date=start, **fields)


def test_resolve_names_the_area_or_says_why_not():
    ok, unknown, blank = resolve_letters([_letter(), _letter(area="Atlantis Vale"), _letter(area="")], REGISTER)
    assert ok.gss_code == "E06000001" and ok.resolved
    assert unknown.gss_code is None and "Atlantis Vale" in unknown.area_reason
    assert blank.gss_code is None and "names no local area" in blank.area_reason


def test_resolve_uses_the_letter_date_for_former_authorities():
    old, new = resolve_letters(
        [_letter(area="North Yorkshire", start=date(2016, 6, 27)), _letter("full_inspection", "North Yorkshire", date(2024, 4, 29))],
        REGISTER,
    )
    assert (old.gss_code, new.gss_code) == ("E10000023", "E06000065")


def test_assign_is_one_to_one_by_wording_not_position():
    weaknesses = ["leaders do not use data to improve", "the local offer is poor", "EHC plans are weak in quality"]
    restated = ["The quality of EHC plans was weak", "Leaders did not use data to improve", "The Local Offer was poor"]
    matches = assign(restated, weaknesses)
    assert [m.weakness for m in matches] == [2, 0, 1]
    assert all(m.score >= REVIEW_BELOW and not m.review_reason for m in matches[1:])


def test_assign_flags_a_weak_match_and_leaves_a_surplus_unassigned():
    matches = assign(["co-production with parents is weak", "something else entirely about transport"], ["co-production with parents is weak"])
    assert matches[0].weakness == 0 and matches[0].score == 100
    assert matches[1].weakness is None and matches[1].review_reason
    weak = assign(["school transport is late"], ["the quality of EHC plans"])
    assert weak[0].weakness == 0 and weak[0].score < REVIEW_BELOW and "weak wording match" in weak[0].review_reason


def _record(n: int, letter: ParsedLetter, fingerprint: str | None = None) -> LetterRecord:
    return LetterRecord(n, n, f"sha{n}", 0, fingerprint or f"fp{n}", letter)


def test_revisit_follows_the_initial_inspection_its_period_names():
    first = _letter(start=date(2016, 10, 3), outcome="wsoa_required", weaknesses=[ParsedWeakness(1, "weak commissioning", Span(1, 2))])
    second = _letter(start=date(2019, 3, 4), outcome="wsoa_required", weaknesses=[ParsedWeakness(1, "poor data", Span(1, 2))])
    revisit = _letter("revisit", start=date(2021, 1, 11), initial_period_text="October 2016",
                      judgements=[ParsedJudgement("weak commissioning", True, Span(3, 4), 1)])
    plan = project_area([_record(1, first), _record(2, second), _record(3, revisit)])
    followed = [p for p in plan.inspections if p.revisits]
    assert [p.start_date for p in followed] == [date(2016, 10, 3)]
    assert followed[0].revisits[0].judgements[0].weakness == ("significant_weakness", 1)
    # Without the period: the latest initial inspection before the revisit.
    revisit.initial_period_text = ""
    plan = project_area([_record(1, first), _record(2, second), _record(3, revisit)])
    assert [p.start_date for p in plan.inspections if p.revisits] == [date(2019, 3, 4)]


def test_exact_repeats_keep_the_copy_with_the_lowest_document_key_whatever_the_order():
    a = LetterRecord(7, 7, "aaa", 1, "same", _letter())
    b = LetterRecord(3, 3, "bbb", 0, "same", _letter())
    for records in ([a, b], [b, a]):
        plan = project_area(records)
        assert plan.duplicate_of == {7: None, 3: 7}
        assert plan.inspections[0].prov.document_id == 7


def test_secondary_source_never_overrides_a_letter():
    letter = _letter(lead_inspector="From the letter", outcome="wsoa_required")
    council = _letter(source_kind="secondary", lead_inspector="From the council", outcome="no_wsoa")
    plan = project_area([_record(2, council), _record(1, letter)])
    (inspection,) = plan.inspections
    assert inspection.values["lead_inspector"] == "From the letter" and inspection.prov.source_kind == "letter"
    assert any("secondary source" in note for _, note in plan.notes)
    alone = project_area([_record(2, council)]).inspections[0]
    assert alone.prov.source_kind == "secondary" and alone.prov.fields()["needs_review"] is True


def test_monitoring_inspection_follows_the_full_inspection_and_judges_its_priority_actions():
    full = _letter("full_inspection", start=date(2023, 3, 13), outcome="systemic_failings", weaknesses=[
        ParsedWeakness(1, "Leaders should cut waiting times for autism assessment", Span(1, 2), "priority_action"),
        ParsedWeakness(2, "Leaders should improve the quality of EHC plans", Span(3, 4), "priority_action"),
        ParsedWeakness(1, "Leaders should improve the local offer", Span(5, 6), "improvement_area"),
    ])
    monitoring = _letter("monitoring_inspection", start=date(2024, 9, 2), initial_start_date=date(2023, 3, 13), judgements=[
        ParsedJudgement("Leaders should improve the quality of EHC plans", False, Span(7, 8), 1),
        ParsedJudgement("Leaders should cut waiting times for autism assessment", True, Span(9, 10), 2),
    ])
    plan = project_area([_record(2, monitoring), _record(1, full)])
    (inspection,) = plan.inspections
    assert inspection.kind == "full_inspection" and inspection.wsoa is None
    (revisit,) = inspection.revisits
    assert revisit.kind == "monitoring_inspection"
    assert [(j.weakness, j.values["sufficient_progress"]) for j in revisit.judgements] == [
        (("priority_action", 2), False), (("priority_action", 1), True),
    ]
