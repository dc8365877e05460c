"""paths.py and trends.py on hand-worked examples, then their pages, CSVs and SVGs on hand-made facts."""

import csv
import datetime as dt
import io

import pytest

from inspections.analysis.due import Event
from inspections.analysis.paths import PATHS, AreaPath, cross_table
from inspections.analysis.trends import period_of, trends
from inspections.models import Inspection
from inspections.paths.derive import AreaFacts, InspectionFact, RevisitFact, derive_path
from inspections.paths.services import area_paths_refresh_all
from tests.analysis.conftest import assert_cold_then_warm
from tests.factories import make_area, make_inspection, make_revisit

D = dt.date


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))


def _cell(inspections=(), revisits=()) -> AreaPath:
    derived = derive_path(AreaFacts(tuple(inspections), tuple(revisits)))
    return AreaPath(derived.path_2016, derived.outcome_2023, derived.unconfirmed)


def test_the_cross_table_reads_the_latest_2016_inspection_its_latest_revisit_and_the_latest_2023_outcome():
    initial = InspectionFact(1, "2016", "initial_inspection", start=D(2017, 3, 6), outcome="wsoa_required")
    first = RevisitFact(2, 1, start=D(2018, 10, 1), overall="sufficient_none")
    second = RevisitFact(3, 1, start=D(2020, 2, 3), overall="sufficient_some", needs_review=True)
    full = InspectionFact(4, "2023", "full_inspection", start=D(2024, 2, 5), outcome="systemic_failings")
    assert _cell([initial, full], [first, second]).path == _cell([full, initial], [second, first]).path
    ap = _cell([initial, full], [first, second])
    assert (ap.path, ap.outcome) == ("sufficient_some", "systemic_failings")
    assert _cell([initial]).path == "wsoa_no_revisit"
    # A revisit whose result nothing states: "result not known", never a negative (issue 19 item 1).
    assert _cell([initial], [RevisitFact(5, 1, start=D(2019, 1, 7))]).path == "revisit_unknown"
    assert _cell([InspectionFact(6, "2016", "initial_inspection", start=D(2016, 6, 6), outcome="no_wsoa")]).path == "no_wsoa"
    assert _cell([InspectionFact(7, "2016", "initial_inspection", start=D(2016, 6, 6))]).path == "outcome_unrecorded"
    nothing = _cell()
    assert (nothing.path, nothing.outcome, nothing.unconfirmed) == ("not_inspected", "not_inspected", False)
    assert _cell([InspectionFact(8, "2023", "full_inspection", start=D(2024, 1, 8))]).outcome == "outcome_unrecorded"


def test_cross_table_puts_each_area_in_exactly_one_cell():
    table = cross_table({1: _cell(), 2: _cell([InspectionFact(9, "2023", "full_inspection", outcome="positive")]),
                         3: _cell()})
    assert table[("not_inspected", "not_inspected")] == [1, 3]
    assert table[("not_inspected", "positive")] == [2]
    assert sum(len(v) for v in table.values()) == 3 and len(table) == len(PATHS) * 5


@pytest.mark.parametrize(("day", "period", "expected"), [
    (D(2024, 3, 31), "month", ("2024-03", "March 2024")),
    (D(2024, 3, 31), "quarter", ("2024-Q1", "2024 Q1 (Jan–Mar)")),
    (D(2024, 10, 1), "quarter", ("2024-Q4", "2024 Q4 (Oct–Dec)")),
    (D(2024, 8, 31), "academic_year", ("2023/24", "2023/24")),
    (D(2024, 9, 1), "academic_year", ("2024/25", "2024/25")),
    (D(1999, 12, 1), "academic_year", ("1999/00", "1999/00")),
    (D(2024, 12, 31), "calendar_year", ("2024", "2024")),
])
def test_period_of(day, period, expected):
    assert period_of(day, period) == expected


def test_period_of_refuses_unknown_periods_and_trends_unknown_bases():
    with pytest.raises(ValueError):
        period_of(D(2024, 1, 1), "fortnight")
    with pytest.raises(ValueError):
        trends([], "month", basis="rumour")


def test_on_the_inspection_basis_a_report_counts_in_the_year_it_was_carried_out():
    """Ofsted's official statistics count inspections carried out 1 January - 31 December: an inspection in
    December 2023 published in January 2024 is a 2023 inspection on that basis, a 2024 one on publication."""
    december = Event("full_inspection", 1, start=D(2023, 12, 4), end=D(2023, 12, 8), published=D(2024, 1, 30),
                     outcome="inconsistent")
    undated = Event("full_inspection", 2, published=D(2024, 3, 1), outcome="positive")
    by_inspection = {t.kind: t for t in trends([december, undated], "calendar_year", basis="inspection")}["full_inspection"]
    assert [(k, dict(c)) for k, _, c in by_inspection.rows] == [("2023", {"inconsistent": 1})]
    assert (by_inspection.left_out, by_inspection.dated_by) == (1, {"inspection start": 1})
    by_publication = {t.kind: t for t in trends([december, undated], "calendar_year")}["full_inspection"]
    assert [(k, dict(c)) for k, _, c in by_publication.rows] == [("2024", {"inconsistent": 1, "positive": 1})]


def test_trends_count_by_publication_else_letter_else_inspection_end_and_leave_out_undated():
    events = [
        Event("full_inspection", 1, published=D(2023, 8, 31), letter=D(2023, 9, 5), outcome="positive"),  # 2022/23
        Event("full_inspection", 2, letter=D(2023, 9, 1), outcome="positive", needs_review=True),  # 2023/24 by letter
        Event("full_inspection", 3, published=D(2024, 1, 10), outcome="systemic_failings"),  # 2023/24
        Event("full_inspection", 4, outcome="inconsistent"),  # no date: left out
        Event("full_inspection", 7, end=D(2025, 3, 14), outcome="inconsistent"),  # 2024/25 by inspection end
        Event("full_inspection", 5, published=D(2024, 5, 1), outcome=""),  # 2023/24, not recorded
        Event("initial_inspection", 6, placeholder=True, outcome="wsoa_required"),  # placeholder: not counted
    ]
    by_kind = {t.kind: t for t in trends(events, "academic_year")}
    full = by_kind["full_inspection"]
    assert [(key, dict(counts)) for key, _, counts in full.rows] == [
        ("2022/23", {"positive": 1}), ("2023/24", {"positive": 1, "systemic_failings": 1, "": 1}),
        ("2024/25", {"inconsistent": 1})]
    assert (full.left_out, full.unconfirmed, full.total) == (1, 1, 5)
    assert full.dated_by == {"publication": 3, "letter": 1, "inspection end": 1}
    assert full.outcomes[-1] == ("", "Outcome not recorded")
    initial = by_kind["initial_inspection"]
    assert (initial.rows, initial.left_out) == ([], 0)


# --- pages ------------------------------------------------------------------------------------------------



@pytest.fixture
def facts(db):
    a = make_area("Alpha", gss_code="E06000921", region="North East")
    i = make_inspection(a, start_date=D(2017, 3, 6), letter_date=D(2017, 4, 20))
    make_revisit(i, start_date=D(2018, 10, 1), overall="sufficient_all")
    make_inspection(a, framework="2023", start_date=D(2024, 2, 5), letter_date=D(2024, 3, 20), outcome="positive")
    b = make_area("Beta", gss_code="E06000922", region="London")
    make_inspection(b, start_date=D(2017, 5, 8), letter_date=D(2017, 6, 30), outcome="no_wsoa")
    make_inspection(b, framework="2023", start_date=D(2023, 10, 2), letter_date=D(2023, 11, 20), outcome="positive")
    c = make_area("Gamma", gss_code="E06000923", region="London")
    make_inspection(c, start_date=D(2018, 1, 8), letter_date=D(2018, 3, 1))
    return {"a": a, "b": b, "c": c}


@pytest.mark.usefixtures("public_read")
def test_paths_page_cells_link_to_their_areas(client, facts, django_assert_max_num_queries, django_assert_num_queries):
    page = assert_cold_then_warm(client, "/analysis/paths/", {}, django_assert_max_num_queries, django_assert_num_queries)
    html = page.content.decode()
    assert 'href="/analysis/paths/areas/?path=sufficient_all&amp;outcome=positive"' in html
    listed = client.get("/analysis/paths/areas/", {"path": "sufficient_all", "outcome": "positive"}).content.decode()
    assert "Alpha" in listed and "Beta" not in listed
    rows = {(r["path_2016"], r["outcome_2023"]): r for r in _csv(client.get("/analysis/paths.csv"))}
    assert rows[("sufficient_all", "positive")]["area_gss_codes"] == "E06000921"
    assert rows[("no_wsoa", "positive")]["areas"] == "1"
    assert rows[("wsoa_no_revisit", "not_inspected")]["area_gss_codes"] == "E06000923"
    london = {(r["path_2016"], r["outcome_2023"]): r["areas"] for r in _csv(client.get("/analysis/paths.csv", {"region": "London"}))}
    assert london[("sufficient_all", "positive")] == "0" and london[("no_wsoa", "positive")] == "1"
    assert client.get("/analysis/paths.svg")["Content-Type"].startswith("image/svg+xml")
    assert client.get("/analysis/paths/areas/", {"path": "nonsense"}).status_code == 400


@pytest.mark.usefixtures("public_read")
def test_trends_page_csv_and_svg(client, facts, django_assert_max_num_queries, django_assert_num_queries):
    page = assert_cold_then_warm(client, "/analysis/trends/", {"period": "academic_year"}, django_assert_max_num_queries,
                                 django_assert_num_queries)
    assert "2023/24" in page.content.decode()
    rows = _csv(client.get("/analysis/trends.csv", {"period": "academic_year"}))
    full = {(r["period"], r["outcome"]): r for r in rows if r["series"] == "full_inspection"}
    assert full[("2023/24", "positive")]["count"] == "2" and full[("2023/24", "positive")]["share_of_period"] == "1.0"
    initial = {(r["period"], r["outcome"]): r["count"] for r in rows if r["series"] == "initial_inspection"}
    assert initial[("2016/17", "wsoa_required")] == "1" and initial[("2016/17", "no_wsoa")] == "1"
    assert initial[("2017/18", "wsoa_required")] == "1"
    svg = client.get("/analysis/trends.svg", {"period": "quarter", "series": "initial_inspection"})
    assert svg.status_code == 200 and b"2017 Q2" in svg.content
    assert client.get("/analysis/trends/", {"period": "week"}).status_code == 400
    assert client.get("/analysis/trends/", {"basis": "rumour"}).status_code == 400
    rows = _csv(client.get("/analysis/trends.csv", {"period": "calendar_year", "basis": "inspection"}))
    full = {(r["period"], r["outcome"]): r["count"] for r in rows if r["series"] == "full_inspection"}
    assert full[("2024", "positive")] == "1" and full[("2023", "positive")] == "1"  # Beta: carried out Oct 2023
    assert {r["basis"] for r in rows} == {"inspection"}


@pytest.mark.usefixtures("public_read")
def test_rejected_inspections_leave_the_trends_and_paths(client, facts):
    Inspection.all_objects.filter(area=facts["b"], framework="2023").update(rejected=True)
    area_paths_refresh_all()  # the update sent no signal: derive the stored paths as derive_paths does
    rows = _csv(client.get("/analysis/trends.csv", {"period": "academic_year"}))
    full = {(r["period"], r["outcome"]): r["count"] for r in rows if r["series"] == "full_inspection"}
    assert full[("2023/24", "positive")] == "1"
    cells = {(r["path_2016"], r["outcome_2023"]): r["area_gss_codes"] for r in _csv(client.get("/analysis/paths.csv"))}
    assert cells[("no_wsoa", "not_inspected")] == "E06000922"


@pytest.mark.django_db
def test_a_revisit_known_from_its_publication_date_is_counted_by_publication():
    """A revisit from Ofsted's statistics has a start and a publication date, no letter date or last day: trends by
    publication date left 46 of 47 such revisits out ("no date on this basis") and the dashboard's link showed
    none, where the national card counted 21."""
    from inspections.analysis.figures import outcome_trends

    inspection = make_inspection(make_area("Bedford"), start_date=dt.date(2017, 3, 6), outcome="wsoa_required",
                                 published_date=dt.date(2017, 5, 1))
    make_revisit(inspection, start_date=dt.date(2019, 5, 13), letter_date=None, published_date=dt.date(2019, 7, 2),
                 overall="sufficient_all")
    series, _ = outcome_trends(period="academic_year", basis="publication")
    revisits = next(t for t in series if t.kind == "revisit")
    assert (revisits.total, revisits.left_out, revisits.dated_by) == (1, 0, {"publication": 1})
    series, _ = outcome_trends(period="academic_year", basis="publication", as_at=dt.date(2019, 7, 1))
    assert next(t for t in series if t.kind == "revisit").total == 0  # published the day after
