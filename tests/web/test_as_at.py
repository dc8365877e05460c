"""?as_at=<date> on the areas and weaknesses lists, their CSVs and the trends page: each answers as the records
stood that day, through the same selector and FilterSet as without it."""

import csv
import datetime as dt
import io

import pytest

from inspections.facts.selectors import area_list, weakness_rows
from inspections.paths.derive import derive_path
from inspections.paths.selectors import area_facts
from tests.factories import make_area, make_dataset, make_inspection, make_judgement, make_revisit, make_weakness

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]

D = dt.date


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def revisited_2019(db) -> dict:
    """Medway: a 2017 inspection requiring a WSOA (two weaknesses) and a 2019 revisit finding progress in one."""
    area = make_area("Medway", gss_code="E06000035")
    inspection = make_inspection(area, start_date=D(2017, 3, 6), outcome="wsoa_required")
    weaknesses = [make_weakness(inspection, n) for n in (1, 2)]
    revisit = make_revisit(inspection, start_date=D(2019, 5, 13), overall="sufficient_some")
    make_judgement(revisit, weaknesses[0], True)
    make_judgement(revisit, weaknesses[1], False)
    return {"area": area, "inspection": inspection, "revisit": revisit}


# --- areas -----------------------------------------------------------------------------------------------

def test_an_area_stands_where_its_path_was_that_day(revisited_2019):
    now = {r["name"]: r for r in area_list(filters={})}["Medway"]
    before = {r["name"]: r for r in area_list(filters={"as_at": "2018-06-30"})}["Medway"]
    after = {r["name"]: r for r in area_list(filters={"as_at": "2020-01-31"})}["Medway"]
    earliest = {r["name"]: r for r in area_list(filters={"as_at": "2016-12-31"})}["Medway"]

    assert now["stage"] == after["stage"] == "revisit_insufficient"
    assert before["stage"] == "wsoa_open" and before["wsoa_open"] is True
    assert before["stage_label"] == "2016: WSOA required, no revisit yet (inspected 2017)"
    assert before["revisit_overall"] == "" and before["revisit_start"] is None and before["latest_date"] == D(2017, 3, 6)
    assert after["revisit_overall"] == "sufficient_some" and after["revisit_start"] == D(2019, 5, 13)
    assert after["latest_date"] == D(2019, 5, 13) and after["judged_sufficient"] == 1
    assert earliest["stage"] == "not_inspected" and earliest["coverage"] == "none" and earliest["latest_date"] is None


def test_as_at_rows_are_the_one_derivation_of_the_same_facts():
    """Every path column of the as-at list is derive_path(facts, as_at=...) for that area: no second derivation."""
    make_dataset(6)
    as_at = D(2019, 1, 1)
    facts = area_facts([r["id"] for r in area_list(filters={"as_at": as_at.isoformat()})])
    for row in area_list(filters={"as_at": as_at.isoformat()}):
        derived = derive_path(facts[row["id"]], as_at=as_at)
        assert (row["stage"], row["stage_label"], row["coverage"], row["path_2016"], row["latest_date"],
                row["wsoa_open"], row["next_kind"], row["next_due_by"]) == (
            derived.stage, derived.stage_label, derived.coverage, derived.path_2016, derived.latest_date,
            derived.wsoa_open, derived.next_kind, derived.next_due_by), row["name"]


def test_stage_filters_and_sorting_use_the_as_at_path(revisited_2019):
    make_inspection(make_area("Kent", gss_code="E10000016"), start_date=D(2016, 10, 3), outcome="no_wsoa")
    assert [r["name"] for r in area_list(filters={"stage": "wsoa_open"})] == []
    assert [r["name"] for r in area_list(filters={"stage": "wsoa_open", "as_at": "2018-06-30"})] == ["Medway"]
    assert [r["name"] for r in area_list(filters={"wsoa_open": "true", "as_at": "2018-06-30"})] == ["Medway"]
    assert [r["name"] for r in area_list(filters={"coverage": "none", "as_at": "2016-09-30"})] == ["Kent", "Medway"]
    ordered = [r["name"] for r in area_list(filters={"as_at": "2020-01-31", "sort": "-date"})]
    assert ordered == ["Medway", "Kent"]


def test_only_the_areas_in_force_that_day_are_listed():
    """As the national figures count them: an authority gone by then is former, one not yet made is not listed."""
    make_area("Dorset County Council", gss_code="E10000009", end_date=D(2019, 3, 31))
    make_area("North Northamptonshire", gss_code="E06000061", start_date=D(2021, 4, 1))
    make_area("Medway", gss_code="E06000035")

    def names(**filters):
        return sorted(r["name"] for r in area_list(filters=filters))

    assert names() == ["Medway", "North Northamptonshire"]
    assert names(as_at="2018-06-30") == ["Dorset County Council", "Medway"]
    assert names(as_at="2020-06-30") == ["Medway"]
    assert names(as_at="2020-06-30", include_former="true") == ["Dorset County Council", "Medway"]
    assert names(as_at="2018-06-30", area="Northamptonshire") == []


def test_the_areas_page_and_csv_say_and_hold_the_as_at_path(client, revisited_2019):
    page = client.get("/areas/", {"as_at": "2018-06-30"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "As at 30 June 2018" in html and "as at 30 June 2018" in html  # the notice, the heading and caption
    assert [r["stage"] for r in page.context["rows"]] == ["wsoa_open"]
    assert "2016: WSOA required, no revisit yet" in html
    assert 'id="as-at"' not in client.get("/areas/").content.decode()

    workbook = client.get("/exports/workbook.xlsx", {"list": "areas", "as_at": "2018-06-30"})
    assert workbook.status_code == 200

    rows = _csv(client.get("/exports/areas.csv", {"as_at": "2018-06-30"}))
    assert [(r["area_gss_code"], r["stage"], r["revisit_result"], r["latest_inspection_date"]) for r in rows] == [
        ("E06000035", "wsoa_open", "", "2017-03-06")]
    assert _csv(client.get("/exports/areas.csv", {"as_at": "2020-01-31"}))[0]["stage"] == "revisit_insufficient"


def test_an_invalid_as_at_is_a_form_error_and_no_rows(client, revisited_2019):
    for url in ("/areas/", "/weaknesses/", "/inspections/"):
        # 03/04/2021 would be 4 March by Django's other input formats: a guess, so refused too.
        for value in ("2021-02-30", "03/04/2021"):
            page = client.get(url, {"as_at": value})
            assert page.status_code == 200 and page.context["rows"] == [], (url, value)
            assert "as_at" in page.context["filter_errors"], (url, value)
            assert 'id="filter-errors"' in page.content.decode(), (url, value)
            assert page.context["as_at"] is None and 'id="as-at"' not in page.content.decode(), (url, value)
        assert client.get(f"/exports/{url.strip('/')}.csv", {"as_at": "yesterday"}).status_code == 400, url


# Area ids (1), the kept answers' stamp (1), their facts (5: area_facts; none when the same day was asked since the
# facts last changed), the caption's count (1), the page (1).
AS_AT_LIST_MAX_QUERIES = 9


@pytest.mark.parametrize("areas", [3, 30])
def test_the_as_at_areas_list_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries, areas):
    make_dataset(areas)
    with django_assert_max_num_queries(AS_AT_LIST_MAX_QUERIES):
        response = client.get("/areas/", {"as_at": "2019-06-30", "stage": "", "sort": "stage"})
    assert response.status_code == 200 and len(response.context["rows"]) == min(areas, 50)
    with django_assert_max_num_queries(AS_AT_LIST_MAX_QUERIES - 5):  # asked again: the paths derived are kept
        again = client.get("/areas/", {"as_at": "2019-06-30", "stage": "", "sort": "stage"})
    assert again.context["rows"] == response.context["rows"]


# --- weaknesses ------------------------------------------------------------------------------------------

def _judged(**filters) -> list[tuple]:
    return sorted((r["number"], r["judgement"], r["judged_on"]) for r in weakness_rows(filters=filters))


def test_a_judgement_counts_only_once_its_revisit_had_started(judged_twice):
    """Medway's weakness 1 was judged insufficient on 1 October 2018 and sufficient on 3 February 2020."""
    assert _judged() == [(1, "insufficient", D(2018, 10, 1)), (1, "sufficient", D(2020, 2, 3)), (2, "empty", None)]
    # Before any revisit: both weaknesses, not yet judged (never dropped, never "insufficient").
    assert _judged(as_at="2018-06-30") == [(1, "empty", None), (2, "empty", None)]
    assert _judged(as_at="2019-06-30") == [(1, "insufficient", D(2018, 10, 1)), (2, "empty", None)]
    assert _judged(as_at="2021-01-01") == _judged()
    assert _judged(as_at="2017-01-01") == []  # the inspection had not started
    assert _judged(as_at="2018-06-30", judgement="empty") == [(1, "empty", None), (2, "empty", None)]
    assert _judged(as_at="2018-06-30", judgement="insufficient") == []


def test_a_weakness_of_an_undated_inspection_is_left_out_as_at_a_date(judged_twice):
    undated = make_inspection(make_area("Kent", gss_code="E10000016"), start_date=None)
    make_weakness(undated, 7)
    assert 7 in [n for n, _, _ in _judged()]
    assert 7 not in [n for n, _, _ in _judged(as_at="2030-01-01")]


def test_a_judgement_of_an_undated_revisit_is_not_known_to_have_been_made_by_then(judged_twice):
    make_judgement(make_revisit(judged_twice["inspection"], start_date=None), judged_twice["never"], True)
    assert (2, "sufficient", None) in _judged()
    assert _judged(as_at="2030-01-01") == [(1, "insufficient", D(2018, 10, 1)), (1, "sufficient", D(2020, 2, 3)),
                                           (2, "empty", None)]


def test_the_weaknesses_page_and_csv_agree_as_at_a_date(client, judged_twice):
    page = client.get("/weaknesses/", {"as_at": "2018-06-30"})
    assert "As at 30 June 2018" in page.content.decode()
    listed = [(r["number"], r["judgement"]) for r in page.context["rows"]]
    exported = [(int(r["number"]), r["judgement"]) for r in _csv(client.get("/exports/weaknesses.csv",
                                                                              {"as_at": "2018-06-30"}))]
    assert sorted(listed) == sorted(exported) == [(1, "empty"), (2, "empty")]
    # The CSV writes "empty" for a weakness not (yet) judged, as without as_at: judged_on stays blank.
    assert all(r["judged_on"] == "" for r in _csv(client.get("/exports/weaknesses.csv", {"as_at": "2018-06-30"})))


# --- trends ----------------------------------------------------------------------------------------------

def test_trends_are_cut_at_the_as_at_date(client, revisited_2019):
    from inspections.analysis.snapshot import snapshot  # noqa: F401  (the page reads the analysis snapshot)

    make_inspection(make_area("Kent", gss_code="E10000016"), framework="2023", start_date=D(2024, 2, 5),
                    letter_date=D(2024, 3, 20), outcome="positive")
    whole = _csv(client.get("/analysis/trends.csv", {"period": "calendar_year", "basis": "inspection"}))
    cut = _csv(client.get("/analysis/trends.csv", {"period": "calendar_year", "basis": "inspection",
                                                    "as_at": "2018-12-31"}))
    counted = {(r["series"], r["period"]) for r in whole if int(r["count"])}
    assert {("revisit", "2019"), ("full_inspection", "2024"), ("initial_inspection", "2017")} <= counted
    assert {(r["series"], r["period"]) for r in cut if int(r["count"])} == {("initial_inspection", "2017")}
    assert all(r["period"] <= "2018" for r in cut)
    assert {r["scope"] for r in cut} == {"England as at 2018-12-31"}

    page = client.get("/analysis/trends/", {"period": "calendar_year", "basis": "inspection", "as_at": "2018-12-31"})
    html = page.content.decode()
    assert page.status_code == 200 and "As at 31 December 2018" in html
    assert "1 dated after 31 December 2018, not counted" in html
    assert client.get("/analysis/trends/", {"as_at": "2018-02-30"}).status_code == 400
    assert client.get("/analysis/trends.csv", {"as_at": "soon"}).status_code == 400


def test_the_workbook_of_a_list_as_at_a_date_gives_every_sheet_that_date(client, revisited_2019):
    from openpyxl import load_workbook

    response = client.get("/exports/workbook.xlsx", {"list": "inspections", "as_at": "2018-06-30"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    areas = list(book["Areas"].iter_rows(values_only=True))
    assert "as_at=2018-06-30" in areas[0][0]
    header = areas[1]
    assert [dict(zip(header, row))["stage"] for row in areas[2:]] == ["wsoa_open"]
    judgements = [dict(zip(book["Weaknesses"].iter_rows(min_row=2, max_row=2, values_only=True).__next__(), row))
                  for row in book["Weaknesses"].iter_rows(min_row=3, values_only=True)]
    assert [r["judgement"] for r in judgements] == ["empty", "empty"]
