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


# --- precision and recall against labels of what each text states (evaluation.precision) ---------------------

from pathlib import Path  # noqa: E402

from evaluation import precision as pr  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ROOT / "tests" / "fixtures" / "texts"
REGISTER = pr.load_register(ROOT / "areas" / "data" / "local_areas.csv")
RUTLAND = "E06000017"


def _label(kind="secondary", style="council_page", area="Rutland", framework="2016", **facts):
    return {"file": "t.txt", "kind": kind, "text_style": style, "area": area, "framework": framework, "facts": facts}


def _inspection(source_kind="secondary", gss=RUTLAND, framework="2016", kind="initial_inspection", **fields):
    return pr.StoredRecord(file="t.txt", record="inspection", record_id=1, kind=kind, source_kind=source_kind,
                           gss_code=gss, framework=framework, fields=fields)


def _wrong(verdicts):
    return {(v.record.split(" ")[0], v.field) for v in verdicts if not v.right}


def test_a_fact_the_text_states_is_right_and_nothing_else_is_judged():
    label = _label(inspection_start="2020-02-10", inspection_end="2020-02-14", wsoa_required=True)
    rec = _inspection(start_date=date(2020, 2, 10), end_date=date(2020, 2, 14), outcome="wsoa_required", period_text="")
    verdicts = pr.judge_text(label, [rec], REGISTER)
    assert _wrong(verdicts) == set()
    # area, source kind, framework, "an inspection the text states", start, end, outcome: empty fields are not facts
    assert sorted(v.field for v in verdicts) == ["area", "end_date", "framework", "outcome", "record", "source_kind", "start_date"]


def test_absence_is_unknown_so_a_stored_no_wsoa_is_wrong_and_a_stated_false_is_right():
    cut_off = pr.judge_text(_label(inspection_start="2020-02-10"), [_inspection(outcome="no_wsoa")], REGISTER)
    assert [(v.field, v.reason) for v in cut_off if not v.right] == [("outcome", "the text does not say whether a WSOA was required")]
    stated = pr.judge_text(_label(wsoa_required=False), [_inspection(outcome="no_wsoa")], REGISTER)
    assert _wrong(stated) == set()
    negation = pr.judge_text(_label(wsoa_required=False), [_inspection(outcome="wsoa_required")], REGISTER)
    assert ("inspection", "outcome") in _wrong(negation)


def test_a_month_only_label_makes_a_stored_full_date_wrong_but_a_matching_period_right():
    label = _label(inspection_month="2019-10")
    verdicts = pr.judge_text(label, [_inspection(start_date=date(2019, 10, 1), period_text="October 2019")], REGISTER)
    wrong = [v for v in verdicts if not v.right]
    assert [(v.field, v.reason) for v in wrong] == [("start_date", "the text gives only month (2019-10), not a full date")]
    assert [v.right for v in verdicts if v.field == "period_text"] == [True]
    other_period = pr.judge_text(label, [_inspection(period_text="November 2019")], REGISTER)
    assert ("inspection", "period_text") in _wrong(other_period)


def test_anything_stored_from_a_near_miss_is_wrong():
    label = _label(kind="nothing", style="near_miss", area="Coventry", framework=None)
    weakness = pr.StoredRecord(file="t.txt", record="weakness", record_id=2, kind="significant_weakness",
                               fields={"text": "Something.", "number": 1})
    verdicts = pr.judge_text(label, [_inspection(start_date=date(2022, 3, 7)), weakness], REGISTER)
    assert verdicts and not any(v.right for v in verdicts)
    assert {v.field for v in verdicts} == {"record", "start_date", "text"}  # the weakness number is not a fact
    assert pr.recall_text(label, [], REGISTER) == []


def test_a_secondary_texts_fact_marked_letter_is_wrong_but_a_letters_fact_held_as_secondary_is_a_recall_miss():
    label = _label(inspection_start="2020-02-10")
    assert ("inspection", "source_kind") in _wrong(pr.judge_text(label, [_inspection(source_kind="letter", start_date=date(2020, 2, 10))], REGISTER))
    letter = _label(kind="letter", style="initial_letter", inspection_start="2020-02-10")
    held = _inspection(source_kind="secondary", start_date=date(2020, 2, 10))
    assert _wrong(pr.judge_text(letter, [held], REGISTER)) == set()
    recall = {c.field: c.found for c in pr.recall_text(letter, [held], REGISTER)}
    assert recall == {"area": True, "source_kind letter": False, "inspection_start": True}


def test_another_area_or_an_area_that_did_not_exist_at_the_date_is_wrong():
    label = _label(inspection_start="2020-02-10")
    assert ("inspection", "area") in _wrong(pr.judge_text(label, [_inspection(gss="E06000001", start_date=date(2020, 2, 10))], REGISTER))
    # "Northamptonshire" in 2022: the label has no area; storing the abolished county (or anything) is wrong.
    gone = _label(area=None, inspection_start="2022-03-14")
    verdicts = pr.judge_text(gone, [_inspection(gss="E10000021", start_date=date(2022, 3, 14))], REGISTER)
    assert [v.reason for v in verdicts if v.field == "area"] == ["the text names no area that existed at the date"]
    assert pr.recall_text(gone, [], REGISTER) == []  # nothing can be stored, so nothing is missed


def test_area_codes_choose_by_date_between_areas_sharing_a_name():
    assert pr.area_codes(REGISTER, "Somerset", date(2020, 3, 2)) == {"E10000027"}
    assert len(pr.area_codes(REGISTER, "Somerset", None)) == 2
    assert pr.area_codes(REGISTER, None, None) == set()


def test_framework_and_follow_ups_must_be_stated():
    label = _label(framework="2023", inspection_start="2024-03-04", outcome="systemic_failings")
    old = _inspection(framework="2016", start_date=date(2024, 3, 4), outcome="wsoa_required")
    assert {("inspection", "framework"), ("inspection", "outcome")} <= _wrong(pr.judge_text(label, [old], REGISTER))
    notice = _label(style="visit_notice", framework="2023", planned_visit_start="2025-03-10")
    visit = pr.StoredRecord(file="t.txt", record="revisit", record_id=3, kind="monitoring_inspection", gss_code=RUTLAND,
                            framework="2023", source_kind="secondary", fields={"start_date": date(2025, 3, 10), "overall": "sufficient_all"})
    assert {("revisit", "record"), ("revisit", "start_date"), ("revisit", "overall")} <= _wrong(pr.judge_text(notice, [visit], REGISTER))
    assert pr.recall_text(notice, [], REGISTER) == []  # a notice states no fact a record holds


@pytest.mark.parametrize(
    "label, code",
    [("sufficient progress in 3 of 6", "sufficient_some"), ("sufficient progress in all 5 of 5", "sufficient_all"),
     ("sufficient progress in all areas", "sufficient_all"), ("sufficient progress in none of 4", "sufficient_none"),
     ("sufficient progress in 0 of 3", "sufficient_none"), ("sufficient progress against 3 of 5 areas; 2 outstanding", "sufficient_some"),
     ("effective action on all 2 of 2", "sufficient_all"), ("'significant progress' in 3 of 5 areas", None),
     ("'still not doing well enough'; improvement notice", None), (None, None)],
)
def test_overall_from_label(label, code):
    assert pr.overall_from_label(label) == code


def test_item_key_ignores_enumerators_typography_and_trailing_and():
    assert pr.item_key("ASW 1: The area\u2019s plans.") == pr.item_key("the area's  plans")
    assert pr.item_key("b) the absence of joint commissioning; and") == "the absence of joint commissioning"
    assert pr.item_key("\u25aa quality of plans") == "quality of plans"
    assert pr.item_key("A; B") != pr.item_key("A")


def test_weaknesses_run_together_or_beyond_the_stated_count_are_wrong():
    label = _label(wsoa_required=True, number_of_weaknesses=2, weaknesses=["the quality of plans", "the local offer"])

    def weak(n, text):
        return pr.StoredRecord(file="t.txt", record="weakness", record_id=10 + n, kind="significant_weakness",
                               gss_code=RUTLAND, source_kind="secondary", fields={"text": text, "number": n})

    merged = pr.judge_text(label, [weak(1, "the quality of plans; the local offer")], REGISTER)
    assert [(v.field, v.right) for v in merged] == [("text", False)]
    surplus = pr.judge_text(label, [weak(1, "The quality of plans."), weak(2, "the local offer"), weak(3, "the local offer")], REGISTER)
    assert [(v.field, v.got) for v in surplus if not v.right] == [("count", 3)]


def test_judgements_need_a_stated_verdict_unless_they_claim_none():
    label = _label(revisit_start="2022-05-23", weaknesses=["ASW 1: plans"], judgements=[{"weakness": "the local offer", "sufficient_progress": True}])

    def judged(text, progress):
        return pr.StoredRecord(file="t.txt", record="judgement", record_id=20, source_kind="secondary",
                               fields={"text_as_restated": text, "sufficient_progress": progress})

    assert _wrong(pr.judge_text(label, [judged("the local offer", True)], REGISTER)) == set()
    assert _wrong(pr.judge_text(label, [judged("the local offer", False)], REGISTER)) == {("judgement", "sufficient_progress")}
    assert _wrong(pr.judge_text(label, [judged("ASW 1: plans", None)], REGISTER)) == set()  # looked at, verdict unknown
    assert _wrong(pr.judge_text(label, [judged("ASW 1: plans", True)], REGISTER)) == {("judgement", "weakness"), ("judgement", "sufficient_progress")}


def test_recall_and_precision_per_text_style():
    labels = [
        _label(inspection_start="2020-02-10", wsoa_required=True, news_date="2020-03-01"),
        {**_label(kind="letter", style="initial_letter", inspection_start="2019-01-07", letter_date="2019-02-20"), "file": "u.txt"},
    ]
    labels.append({**_label(kind="nothing", style="near_miss", area=None, framework=None), "file": "n.txt"})
    records = {"t.txt": [_inspection(start_date=date(2020, 2, 10), outcome="no_wsoa")]}
    result = pr.evaluate_texts(labels, records, REGISTER)
    table = result.by_style()
    assert table["near_miss"] == (0, 0, 0, 0)  # shown although nothing was stored from it (nothing is right)
    assert table["council_page"] == (2, 3, 5, 6)  # area + start found, WSOA missed; the stored no_wsoa is wrong
    assert table["initial_letter"] == (0, 3, 0, 0)  # nothing stored: area, start and letter date missed
    assert [v.field for v in result.wrong] == ["outcome"]
    assert result.unmeasured == ["news_date"]
    assert result.table().splitlines()[-1].split() == ["ALL", "33.3", "2/6", "83.3", "5/6"]
    assert "t.txt | inspection #1 (initial_inspection) | outcome" in result.wrong_lines()[0]


def test_load_labels_reads_text_labels_and_refuses_bad_ones(tmp_path):
    good = tmp_path / "texts.jsonl"
    good.write_text(json.dumps(_label()) + "\n" + json.dumps({**_label(kind="not_send"), "file": "n.txt"}) + "\n")
    labels = ev.load_labels([good])
    assert [t["file"] for t in labels.texts] == ["t.txt", "n.txt"] and labels.sources["n.txt"] == good
    for bad_label, message in (({**_label(), "kind": "maybe"}, "neither"), (_label(inspection_start="10/02/2020"), "ISO date"),
                               (_label(inspection_month="March 2020"), "YYYY-MM")):
        bad = tmp_path / "bad.jsonl"
        bad.write_text(json.dumps(bad_label) + "\n")
        with pytest.raises(ValueError, match=message):
            ev.load_labels([bad])
    with pytest.raises(ValueError, match="more than once"):
        ev.load_labels([good, good])


def test_shared_style_labels_get_a_style_and_a_framework_from_their_content():
    committee = {"file": "c.txt", "kind": "secondary", "url": "https://democracy.example.gov.uk/mgAi.aspx?ID=1", "facts": {"wsoa_required": True}}
    assert pr.text_style(committee) == "committee" and pr.label_framework(committee) == "2016"
    assert pr.text_style({"kind": "not_send", "facts": {}}) == "near_miss"
    assert pr.label_framework({"facts": {"outcome": "positive"}}) == "2023"
    assert pr.label_framework({"facts": {"complete": True}}) is None


def test_records_from_seeds_and_reports_must_be_the_labelled_ones():
    seed = {"file": "s.txt", "letters": [{"kind": "initial_inspection", "area": "X", "gss_code": "E1", "start_date": "2019-07-08",
                                          "end_date": "2019-07-12", "wsoa_required": False}]}
    labels = ev.LabelSet(seeds=[seed])
    ok = pr.StoredRecord(file="s.txt", record="inspection", record_id=1, kind="initial_inspection", gss_code="E1",
                         framework="2016", fields={"start_date": date(2019, 7, 8)})
    surplus = pr.StoredRecord(file="s.txt", record="inspection", record_id=2, kind="initial_inspection", gss_code="E2",
                              framework="2016", fields={"start_date": date(2019, 7, 8)})
    wsoa = pr.StoredRecord(file="s.txt", record="wsoa", record_id=3, gss_code="E1", parent_id=1, fields={})
    verdicts = ev.judge_letter_records(labels, [ok, surplus, wsoa])
    assert [(v.record, v.right) for v in verdicts] == [("inspection #1 (initial_inspection)", True),
                                                       ("inspection #2 (initial_inspection)", False), ("wsoa #3", False)]


# --- the committed corpus of our own texts -----------------------------------------------------------------------


def test_our_corpus_is_complete_and_its_labels_are_consistent():
    labels = ev.load_labels([TEXTS / "labels.jsonl"]).texts
    names = {p.name for p in TEXTS.iterdir() if p.suffix in {".txt", ".html"}}
    assert len(labels) >= 70 and {t["file"] for t in labels} == names
    register_names = {a.name for a in REGISTER}
    styles = {t["text_style"] for t in labels}
    assert {"initial_letter", "revisit_letter", "report_2023", "council_page", "committee", "press", "forum", "nhs_news",
            "parliamentary", "notice", "visit_notice", "monitoring_summary", "near_miss"} <= styles
    assert sum(t["kind"] == "nothing" for t in labels) >= 10
    for t in labels:
        text = (TEXTS / t["file"]).read_text(encoding="utf-8")
        assert 300 <= len(text) <= 2500, t["file"]
        assert t["area"] is None or t["area"] in register_names, t["file"]
        assert t["kind"] != "nothing" or (t["facts"] == {} and t["text_style"] == "near_miss"), t["file"]
        for key, value in t["facts"].items():
            if key in pr.DATE_KEYS and value:
                # every labelled full date is printed in the text (as "10 February 2020", NBSPs and all)
                d = date.fromisoformat(value)
                assert str(d.year) in text and str(d.day) in text, (t["file"], key)


@pytest.mark.django_db
def test_db_records_read_every_stored_row_and_the_seed_letters_store_only_labelled_records(areas):
    """The command's reader on a real ingest (the seed documents): one record per stored row, attributed to its
    file, and nothing stored that the seed labels do not list."""
    from inspections.management.commands.evaluate_extraction import db_records
    from inspections.models import Inspection, SignificantWeakness, WrittenStatementOfAction
    from inspections.pipeline.run import ingest_document
    from inspections.pipeline.store import document_store

    seeds = ROOT / "tests" / "fixtures" / "seeds"
    for name in ("000_30b352e54e3c96f7.txt", "001_3cc412fc11709ace.txt"):
        with (seeds / name).open("rb") as stream:
            ingest_document(document_store(stream=stream, original_name=name).pk)
    records = db_records()
    counts = {kind: sum(r.record == kind for r in records) for kind in ("inspection", "wsoa", "weakness")}
    assert counts == {"inspection": Inspection.objects.count(), "wsoa": WrittenStatementOfAction.objects.count(),
                      "weakness": SignificantWeakness.objects.count()}
    hartlepool = [r for r in records if r.record == "inspection" and r.gss_code == "E06000001"]
    assert len(hartlepool) == 1 and hartlepool[0].file == "000_30b352e54e3c96f7.txt"
    assert hartlepool[0].fields["start_date"] == date(2016, 10, 3) and hartlepool[0].fields["outcome"] == "wsoa_required"
    labels = ev.load_labels([seeds / "labels.json"])
    labels.seeds = [s for s in labels.seeds if s["file"] in ("000_30b352e54e3c96f7.txt", "001_3cc412fc11709ace.txt")]
    verdicts = ev.judge_letter_records(labels, records)
    assert verdicts and [v for v in verdicts if not v.right] == []


def test_a_placeholder_for_a_2023_reports_previous_inspection_is_judged_on_the_previous_dates():
    label = _label(kind="letter", style="report_2023", framework="2023", inspection_start="2024-05-13",
                   previous_inspection_start="2019-09-23", previous_inspection_end="2019-09-27")
    previous = _inspection(source_kind="letter", framework="2016", start_date=date(2019, 9, 23), end_date=date(2019, 9, 27))
    previous.is_placeholder = True
    assert _wrong(pr.judge_text(label, [previous], REGISTER)) == set()
    previous.fields["outcome"] = "no_wsoa"
    assert _wrong(pr.judge_text(label, [previous], REGISTER)) == {("inspection", "outcome")}


# --- the news labels' keys (../shared/corpus/secondary-news) and the core-fact measure --------------------------------


def _follow_up(kind="monitoring_inspection", framework="2023", **fields):
    return pr.StoredRecord(file="t.txt", record="revisit", record_id=5, kind=kind, gss_code=RUTLAND, framework=framework,
                           source_kind="secondary", fields=fields)


def test_a_monitoring_result_in_words_and_a_visit_with_no_year_are_understood():
    label = _label(framework="2023", monitoring_inspection_start_no_year="15 September",
                   monitoring_outcome="effective action ('taken effective action in all five areas')")
    right = _follow_up(overall="sufficient_all")
    assert _wrong(pr.judge_text(label, [right], REGISTER)) == set()
    assert _wrong(pr.judge_text(label, [_follow_up(overall="sufficient_some")], REGISTER)) == {("revisit", "overall")}
    dated = _follow_up(overall="sufficient_all", start_date=date(2025, 9, 15))  # the text gives no year: never a day
    assert ("revisit", "start_date") in _wrong(pr.judge_text(label, [dated], REGISTER))
    checks = pr.recall_text(label, [right], REGISTER)
    assert [(c.field, c.found) for c in checks if c.field == "monitoring_outcome"] == [("monitoring_outcome", True)]


def test_a_planned_monitoring_inspection_is_never_one_held():
    label = _label(framework="2023", monitoring_inspection_planned_start="2025-09-15", monitoring_outcome=None)
    assert ("revisit", "record") in _wrong(pr.judge_text(label, [_follow_up()], REGISTER))


def test_a_revisit_month_is_judged_and_found_through_the_period_as_written():
    label = _label(revisit_month="2019-05", overall="sufficient progress in 5 of 8")
    good = _follow_up(kind="revisit", framework="2016", period_text="May 2019", overall="sufficient_some")
    bad = _follow_up(kind="revisit", framework="2016", period_text="June 2019", overall="sufficient_some")
    assert _wrong(pr.judge_text(label, [good], REGISTER)) == set()
    assert ("revisit", "period_text") in _wrong(pr.judge_text(label, [bad], REGISTER))
    found = {c.field: c.found for c in pr.recall_text(label, [good], REGISTER)}
    assert found["revisit_month"] and found["overall"]


def test_core_recall_per_corpus_and_recall_per_fact():
    labels = [_label(inspection_month="2017-06", wsoa_required=True), {**_label(inspection_start="2020-02-10"), "file": "u.txt"}]
    records = {"t.txt": [_inspection(period_text="June 2017", outcome="wsoa_required")]}
    result = pr.evaluate_texts(labels, records, REGISTER)
    assert result.core_recall(["t.txt"]) == (2, 2) and result.core_recall(["u.txt"]) == (0, 1)
    rows = {line.split()[0]: line.split()[1:] for line in result.core_table({"t.txt": "news", "u.txt": "ours"}).splitlines()[2:]}
    assert rows["news"] == ["100.0", "2/2"] and rows["ours"] == ["0.0", "0/1"]
    fields = {line.split()[0]: line.split()[2] for line in result.field_table().splitlines()[2:]}
    assert fields["inspection_month"] == "1/1" and fields["inspection_start"] == "0/1" and fields["area"] == "1/2"
