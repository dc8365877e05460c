"""The comparison behind `evaluate_extraction`: pure functions over labels and views."""

from __future__ import annotations

import json
from datetime import date

import pytest

from evaluation import extraction as ev

REPORT = {
    "file": "r.pdf", "area_name_in_report": "Exampleshire", "ons_code": "E06000099", "report_kind": "full_inspection",
    "inspection_start": "2024-03-11", "inspection_end": "2024-03-15",
    "previous_inspection_start": None, "previous_inspection_end": None, "outcome": 3,
    "next_full_inspection_within_years": 3, "monitoring_inspection_within": "18 months",
    "priority_actions": ["Act now."], "priority_action_responsible_bodies": ["The council"],
    "improvement_areas": ["Improve A.", "Improve B."],
    "lead_inspectors": [{"name": "Ann Example"}, {"name": "Bob Sample"}],
    "inspection_team": [{"name": "Ann Example", "role": "Ofsted HMI Lead inspector", "organisation": "Ofsted"}],
}


def _view(**changes) -> ev.InspectionView:
    view = ev.InspectionView(
        file="r.pdf", kind="full_inspection", framework="2023", gss_code="E06000099", area_name="Exampleshire",
        start_date=date(2024, 3, 11), end_date=date(2024, 3, 15), outcome="systemic_failings",
        lead_inspectors=["Bob Sample", "Ann Example"],
        team=[{"name": "Ann Example", "role": "Ofsted HMI Lead inspector", "organisation": "Ofsted"}],
        weaknesses=[
            ev.WeaknessView("priority_action", 1, "Act  now.", "The council"),
            ev.WeaknessView("improvement_area", 2, "Improve B."),
            ev.WeaknessView("improvement_area", 1, "Improve A."),
        ],
        next_full_inspection_within_years=3, monitoring_inspection_within_months=18,
    )
    for key, value in changes.items():
        setattr(view, key, value)
    return view


def test_a_perfect_view_scores_100_percent():
    result = ev.evaluate(ev.LabelSet(reports=[REPORT]), [_view()], [])
    assert result.misses == []
    assert result.accuracy == 1.0
    assert result.by_field()["improvement areas"] == (2, 2)


def test_each_wrong_or_surplus_fact_is_a_miss():
    extra = ev.WeaknessView("improvement_area", 3, "Invented.")
    view = _view(outcome="inconsistent", weaknesses=_view().weaknesses + [extra])
    result = ev.evaluate(ev.LabelSet(reports=[REPORT]), [view], [])
    misses = {(m.field, m.expected, m.got) for m in result.misses}
    assert misses == {("outcome", "systemic_failings", "inconsistent"), ("improvement areas", None, "Invented.")}
    assert result.by_field()["improvement areas"] == (2, 3)
    table = result.table()
    assert "improvement areas" in table and "66.7" in table and table.splitlines()[-1].startswith("ALL")


def test_a_missing_inspection_is_one_miss_not_a_crash():
    result = ev.evaluate(ev.LabelSet(reports=[REPORT]), [_view(start_date=date(2024, 3, 12))], [])
    assert [(m.field, m.got) for m in result.misses] == [("inspection found", False)]


def test_gss_is_compared_only_with_the_database():
    view = _view(gss_code="")
    assert ev.evaluate(ev.LabelSet(reports=[REPORT]), [view], [], with_gss=False).misses == []
    assert ev.evaluate(ev.LabelSet(reports=[REPORT]), [view], [], with_gss=True).misses[0].field == "inspection found"


@pytest.mark.parametrize(
    "label, code",
    [("sufficient progress in all 4 of 4", "sufficient_all"), ("sufficient progress in 2 of 4", "sufficient_some"),
     ("sufficient progress in none of 3", "sufficient_none"), ("sufficient progress in 0 of 3", "sufficient_none")],
)
def test_overall_code(label, code):
    assert ev.overall_code(label) == code


def test_within_from_text():
    text = "A monitoring inspection will be carried out within approximately 18 months. The next full reinspection will be within approximately three years."
    assert ev.within_from_text(text) == (3, 18)
    assert ev.within_from_text("The next full area SEND inspection will be within approximately 5 years.") == (5, None)
    assert ev.within_from_text("") == (None, None)


def test_judgements_match_by_wording_in_any_order():
    seed = {"file": "s.txt", "letters": [{
        "kind": "revisit", "framework": "2016", "area": "X", "gss_code": "E1", "start_date": "2019-07-08",
        "end_date": "2019-07-10", "letter_date": None, "lead_inspector": "N W", "overall": "sufficient progress in all 2 of 2",
        "judgements": [
            {"weakness": "A was weak.", "sufficient_progress": True, "matches_initial_weakness": 2},
            {"weakness": "B was weak.", "sufficient_progress": True, "matches_initial_weakness": 1},
        ],
    }]}
    revisit = ev.RevisitView(
        file="s.txt", kind="revisit", gss_code="E1", area_name="X", start_date=date(2019, 7, 8), end_date=date(2019, 7, 10),
        lead_inspector="N W", overall="sufficient_all",
        judgements=[ev.JudgementView(1, "B was weak.", True), ev.JudgementView(2, "A was weak.", True)],
    )
    result = ev.evaluate(ev.LabelSet(seeds=[seed]), [], [revisit])
    assert result.misses == []
    revisit.judgements[0].weakness_number = 3
    assert [(m.field, m.expected, m.got) for m in ev.evaluate(ev.LabelSet(seeds=[seed]), [], [revisit]).misses] == [
        ("seed: judgement linked weakness", 1, 3)
    ]


def test_load_labels_reads_both_formats(tmp_path):
    seeds = tmp_path / "seeds.json"
    seeds.write_text(json.dumps({"files": [{"file": "a.txt", "letters": []}]}))
    reports = tmp_path / "reports.jsonl"
    reports.write_text(json.dumps(REPORT) + "\n\n")
    labels = ev.load_labels([seeds, reports])
    assert labels.files == ["a.txt", "r.pdf"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"x": 1}')
    with pytest.raises(ValueError):
        ev.load_labels([bad])
