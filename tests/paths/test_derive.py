"""inspections/paths/derive.py: the one derivation of an area's path (issue 19), Django-free.

Each of issue 19's kinds of "unknown read as no" is pinned by a hand-worked case, then a hypothesis property test
over generated fact sets asserts that the derived path never states what its facts do not."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from inspections.paths.derive import (
    COVERAGE_LABELS,
    COVERAGE_NONE,
    COVERAGE_OFFICIAL,
    COVERAGE_PARTLY,
    COVERAGE_SECONDARY,
    COVERAGE_WHOLE,
    PATHS_2016,
    STAGE_LABELS,
    AreaFacts,
    InspectionFact,
    Judgement,
    RevisitFact,
    derive_path,
    next_visit_from_json,
)

D = dt.date


def initial(id=1, outcome="wsoa_required", weaknesses=3, **kw) -> InspectionFact:
    kw.setdefault("start", D(2017, 3, 6))
    return InspectionFact(id, "2016", "initial_inspection", outcome=outcome, weaknesses=weaknesses, **kw)


def full(id=9, outcome="inconsistent", **kw) -> InspectionFact:
    kw.setdefault("start", D(2024, 2, 5))
    return InspectionFact(id, "2023", "full_inspection", outcome=outcome, **kw)


def revisit(id=5, inspection_id=1, overall="", judgements=(), **kw) -> RevisitFact:
    kw.setdefault("start", D(2018, 10, 1))
    return RevisitFact(id, inspection_id, overall=overall, judgements=tuple(judgements), **kw)


def derive(*facts):
    return derive_path(AreaFacts(tuple(f for f in facts if isinstance(f, InspectionFact)),
                                 tuple(f for f in facts if isinstance(f, RevisitFact))))


# --- item 1: unknown is never "not sufficient" --------------------------------------------------------------

def test_a_revisit_with_no_stated_result_is_result_not_known_and_unknown_judgements_are_counted_as_unknown():
    judged = [Judgement(1, True), Judgement(2, None), Judgement(3, None), Judgement(4, None), Judgement(5, None)]
    path = derive(initial(weaknesses=5), revisit(judgements=judged))
    assert path.stage == "revisit_unknown" and path.path_2016 == "revisit_unknown"
    assert path.stage_label == "Revisit: result not known (1 of 5 weaknesses judged sufficient, 4 not known)"
    assert (path.judged_sufficient, path.judged_insufficient, path.judged_unknown) == (1, 0, 4)
    assert "not sufficient" not in path.stage_label
    assert path.steps[-1].state == "result_not_known"


# --- item 3: a rejected judgement removes that verdict only; the letter's result stands ------------------------

def test_a_rejected_judgement_leaves_the_letters_result_and_counts_the_weakness_as_not_known():
    # The revisit letter says "not sufficient in all"; an analyst rejected one "not sufficient" judgement (the
    # writer hands the derivation only visible judgements).
    path = derive(initial(weaknesses=3), revisit(overall="sufficient_some",
                                                 judgements=[Judgement(1, True), Judgement(2, True)]))
    assert path.stage == "revisit_insufficient"
    assert path.stage_label == "Revisit: not sufficient in all (2 of 3 weaknesses judged sufficient, 1 not known)"
    assert path.weakness_count == 3


def test_the_letters_stated_result_outranks_a_count_of_judgements():
    # Every judgement held says sufficient, but the letter says "some": the letter decides.
    path = derive(initial(weaknesses=2), revisit(overall="sufficient_some", judgements=[Judgement(1, True)]))
    assert path.stage == "revisit_insufficient"
    # And judgements alone never make "sufficient in all" when the letter's result is not known.
    path = derive(initial(weaknesses=2), revisit(judgements=[Judgement(1, True), Judgement(2, True)]))
    assert path.stage == "revisit_unknown"


# --- item 5: "no revisit yet" only while nothing later is known ------------------------------------------------

def test_wsoa_with_no_revisit_is_open_only_while_nothing_later_is_known():
    assert (derive(initial()).stage, derive(initial()).wsoa_open) == ("wsoa_open", True)
    # A 2023 inspection since (no outcome read, so the 2016 path decides the stage)
    later = derive(initial(), full(outcome=""))
    assert later.stage == "wsoa_revisit_not_held" and later.wsoa_open is None
    assert later.path_2016 == "wsoa_revisit_not_held"
    assert "later 2023-framework inspection" in later.reasons[0]
    # A later report names a visit after the initial inspection (its letter not held)
    named = derive(initial(), full(outcome="positive", previous_start=D(2019, 12, 9), previous_held=False))
    assert named.path_2016 == "wsoa_revisit_not_held" and named.wsoa_open is None
    assert "2019-12-09" in named.reasons[0]


# --- item 4: earlier visits known from later reports count as known ---------------------------------------------

def test_an_earlier_visit_named_by_a_later_report_is_a_known_step_never_not_inspected():
    earlier = InspectionFact(3, "2016", "earlier_visit", start=D(2022, 1, 31), end=D(2022, 2, 3), placeholder=True,
                             known_from="80464_dudley.pdf")
    path = derive(earlier, full(outcome="inconsistent", previous_start=D(2022, 1, 31)))
    assert path.path_2016 == "known_not_held"
    assert path.stage == "inconsistent"
    assert path.coverage == COVERAGE_PARTLY
    assert path.steps[0].kind == "earlier_visit" and path.steps[0].source == "later_document"
    assert "80464_dudley.pdf" in path.steps[0].label
    only = derive(earlier)
    assert only.stage == "known_not_held" and only.coverage == COVERAGE_SECONDARY


# --- item 6: coverage classes ---------------------------------------------------------------------------------

def test_coverage_classes_say_where_each_step_comes_from():
    assert derive().coverage == COVERAGE_NONE
    assert derive(initial(), revisit(overall="sufficient_all")).coverage == COVERAGE_WHOLE
    # Middlesbrough: the revisit known from a council report only — not "whole path held".
    assert derive(initial(), revisit(overall="sufficient_all", source_kind="secondary")).coverage == COVERAGE_PARTLY
    assert derive(initial(source_kind="secondary")).coverage == COVERAGE_SECONDARY
    assert derive(initial(source_kind="official")).coverage == COVERAGE_OFFICIAL
    # A report naming an earlier visit whose letter is not held is not "whole" either.
    assert derive(full(previous_start=D(2019, 5, 1), previous_held=False)).coverage == COVERAGE_PARTLY
    assert set(COVERAGE_LABELS) == {COVERAGE_WHOLE, COVERAGE_PARTLY, COVERAGE_OFFICIAL, COVERAGE_SECONDARY, COVERAGE_NONE}


def test_a_stage_resting_on_a_secondary_fact_says_so():
    path = derive(initial(), revisit(overall="sufficient_all", source_kind="secondary", needs_review=True))
    assert path.stage == "revisit_sufficient" and path.secondary and path.unconfirmed


def test_as_at_counts_only_what_had_happened_by_then():
    facts = (initial(), revisit(overall="sufficient_all", start=D(2019, 5, 1)), full(outcome="positive"))
    assert derive_path(AreaFacts(facts[:1] + facts[2:], facts[1:2]), as_at=D(2018, 1, 1)).stage == "wsoa_open"
    assert derive_path(AreaFacts(facts[:1] + facts[2:], facts[1:2]), as_at=D(2020, 1, 1)).stage == "revisit_sufficient"
    assert derive_path(AreaFacts(facts[:1] + facts[2:], facts[1:2])).stage == "positive"


def test_the_next_visit_is_stored_whole_and_read_back():
    path = derive(full(outcome="systemic_failings", end=D(2024, 2, 9),
                       next_text="A monitoring inspection will be carried out within approximately 18 months."))
    visit = next_visit_from_json(path.next_visit)
    assert (visit.kind, visit.due_by, path.next_due_by) == ("monitoring_inspection", D(2025, 8, 9), D(2025, 8, 9))


# --- the property test ------------------------------------------------------------------------------------------

dates = st.one_of(st.none(), st.dates(min_value=D(2016, 5, 1), max_value=D(2026, 6, 30)))
sources = st.sampled_from(["letter", "secondary", "official"])
verdicts = st.sampled_from([True, False, None])


@st.composite
def fact_sets(draw) -> AreaFacts:
    inspections, revisits = [], []
    next_id = iter(range(1, 10_000))
    for _ in range(draw(st.integers(0, 3))):
        framework = draw(st.sampled_from(["2016", "2023"]))
        kind = {"2016": draw(st.sampled_from(["initial_inspection", "earlier_visit"])), "2023": "full_inspection"}[framework]
        outcome = draw(st.sampled_from(
            ["", "wsoa_required", "no_wsoa"] if framework == "2016" else ["", "positive", "inconsistent", "systemic_failings"]))
        placeholder = kind == "earlier_visit" or draw(st.booleans())
        fact = InspectionFact(next(next_id), framework, kind, start=draw(dates), outcome=outcome if kind != "earlier_visit" else "",
                              source_kind=draw(sources), needs_review=draw(st.booleans()), placeholder=placeholder,
                              weaknesses=draw(st.integers(0, 6)), previous_start=draw(dates) if framework == "2023" else None,
                              previous_held=draw(st.booleans()))
        inspections.append(fact)
        for _ in range(draw(st.integers(0, 2)) if kind != "earlier_visit" else 0):
            judgements = tuple(Judgement(n, draw(verdicts), draw(st.booleans()))
                               for n in range(draw(st.integers(0, fact.weaknesses))))
            revisits.append(RevisitFact(
                next(next_id), fact.id, kind="revisit" if framework == "2016" else "monitoring_inspection",
                start=draw(dates), overall=draw(st.sampled_from(["", "sufficient_all", "sufficient_some", "sufficient_none"])),
                source_kind=draw(sources), needs_review=draw(st.booleans()), judgements=judgements))
    order = draw(st.permutations(range(len(inspections)))) if inspections else []
    return AreaFacts(tuple(inspections[i] for i in order), tuple(draw(st.permutations(revisits)) if revisits else ()))


@settings(max_examples=400, deadline=None)
@given(fact_sets())
def test_the_derived_path_never_states_what_its_facts_do_not(facts: AreaFacts):
    path = derive_path(facts)
    assert path.stage in STAGE_LABELS and path.path_2016 in dict(PATHS_2016)
    assert path.stage_label.startswith(STAGE_LABELS[path.stage])
    results = {r.overall for r in facts.revisits}
    # No "not sufficient" without a stated insufficient result.
    if path.stage == "revisit_insufficient":
        assert results & {"sufficient_some", "sufficient_none"}
    if path.stage == "revisit_sufficient":
        assert "sufficient_all" in results
    # No "no revisit yet" when a later step is known.
    if path.wsoa_open:
        assert not any(i.framework == "2023" for i in facts.inspections)
        assert not any(r.kind == "monitoring_inspection" for r in facts.revisits)
    # Counts equal the facts counted.
    assert path.judged_sufficient + path.judged_insufficient + path.judged_unknown == (path.weakness_count or 0)
    if path.weakness_count is not None:
        latest = [r for r in facts.revisits if r.start == path.revisit_start and r.overall == path.revisit_overall]
        assert any(sum(j.sufficient is True for j in r.judgements) == path.judged_sufficient
                   and sum(j.sufficient is False for j in r.judgements) == path.judged_insufficient for r in latest)
    # Inspected is never "not inspected"; nothing known is never "inspected".
    assert (path.stage == "not_inspected") == (not facts.inspections)
    assert (path.coverage == COVERAGE_NONE) == (not facts.inspections)
    # Order-independent: the same facts in another order give the same path.
    again = derive_path(AreaFacts(tuple(reversed(facts.inspections)), tuple(reversed(facts.revisits))))
    assert again.as_json() == path.as_json()
