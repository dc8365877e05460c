"""Trends: every period between the first and last held (empty ones 0), and the ?region= filter on the page, CSV
and SVG, and the dashboard's links to trends carrying the region. Hand-worked examples."""

import csv
import datetime as dt
import io
import re
from collections import Counter

import pytest

from inspections.analysis.due import Event
from inspections.analysis.trends import periods_between, trends
from tests.analysis.conftest import assert_cold_then_warm
from tests.factories import make_area, make_inspection

D = dt.date


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))


def _series(events, period, basis="publication"):
    return {t.kind: t for t in trends(events, period, basis)}


# --- trends.py: the periods between ---------------------------------------------------------------------------

def test_months_with_no_inspection_between_the_first_and_last_are_listed_with_nothing():
    """Inspections published in January and April 2024: January, February 0, March 0, April; nothing before
    January or after April."""
    events = [Event("full_inspection", 1, published=D(2024, 1, 15), outcome="positive"),
              Event("full_inspection", 2, published=D(2024, 4, 2), outcome="inconsistent")]
    full = _series(events, "month")["full_inspection"]
    assert [(key, label, dict(c)) for key, label, c in full.rows] == [
        ("2024-01", "January 2024", {"positive": 1}), ("2024-02", "February 2024", {}),
        ("2024-03", "March 2024", {}), ("2024-04", "April 2024", {"inconsistent": 1})]
    assert full.total == 2
    assert full.outcomes == [("positive", "Typically positive"), ("inconsistent", "Inconsistent"),
                             ("systemic_failings", "Widespread/systemic failings")]  # no "not recorded" from empties
    assert _series(events, "month")["initial_inspection"].rows == []  # a series with nothing: no periods at all


def test_quarters_and_years_fill_their_gaps_too():
    events = [Event("initial_inspection", 1, start=D(2016, 5, 9), outcome="wsoa_required"),
              Event("initial_inspection", 2, start=D(2017, 2, 6), outcome="no_wsoa"),
              Event("initial_inspection", 3, start=D(2019, 11, 4), outcome="no_wsoa")]
    by_quarter = _series(events, "quarter", "inspection")["initial_inspection"]
    keys = [k for k, _, _ in by_quarter.rows]
    assert keys[0] == "2016-Q2" and keys[-1] == "2019-Q4" and len(keys) == 15  # Q2 2016 .. Q4 2019
    assert [k for k, _, c in by_quarter.rows if c] == ["2016-Q2", "2017-Q1", "2019-Q4"]
    assert [k for k, _, _ in _series(events, "calendar_year", "inspection")["initial_inspection"].rows] == [
        "2016", "2017", "2018", "2019"]
    academic = _series(events, "academic_year", "inspection")["initial_inspection"]
    assert [(k, sum(c.values())) for k, _, c in academic.rows] == [
        ("2015/16", 1), ("2016/17", 1), ("2017/18", 0), ("2018/19", 0), ("2019/20", 1)]


def test_periods_between_meets_each_period_once_and_only_those_holding_the_ends():
    assert periods_between(D(2023, 8, 31), D(2023, 9, 1), "academic_year") == [("2022/23", "2022/23"),
                                                                              ("2023/24", "2023/24")]
    assert periods_between(D(2024, 3, 31), D(2024, 4, 1), "quarter") == [("2024-Q1", "2024 Q1 (Jan–Mar)"),
                                                                        ("2024-Q2", "2024 Q2 (Apr–Jun)")]
    assert periods_between(D(2024, 12, 1), D(2025, 1, 31), "month") == [("2024-12", "December 2024"),
                                                                       ("2025-01", "January 2025")]
    assert periods_between(D(2024, 5, 5), D(2024, 5, 6), "month") == [("2024-05", "May 2024")]
    with pytest.raises(ValueError):
        periods_between(D(2024, 1, 1), D(2024, 2, 1), "week")


# --- the page, CSV and SVG --------------------------------------------------------------------------------------

@pytest.fixture
def facts(db):
    """North East: Alpha (2023 inspections started 8 Jan and 8 Apr 2024) and a former authority (2016 inspection,
    March 2017); London: Beta (2023 inspection started 3 Jun 2024)."""
    alpha = make_area("Alpha", gss_code="E06000931", region="North East")
    make_inspection(alpha, framework="2023", start_date=D(2024, 1, 8), outcome="positive")
    make_inspection(alpha, framework="2023", start_date=D(2024, 4, 8), outcome="inconsistent")
    former = make_area("Former", gss_code="E06000932", region="North East", end_date=D(2019, 3, 31))
    make_inspection(former, start_date=D(2017, 3, 6), outcome="wsoa_required")
    beta = make_area("Beta", gss_code="E06000933", region="London")
    make_inspection(beta, framework="2023", start_date=D(2024, 6, 3), outcome="positive")
    return {"alpha": alpha, "former": former, "beta": beta}


def _counts(rows, series="full_inspection") -> dict[str, int]:
    totals: Counter = Counter()
    for r in rows:
        if r["series"] == series:
            totals[r["period"]] += int(r["count"])
    return dict(totals)


MONTHS = {"period": "month", "basis": "inspection"}


@pytest.mark.usefixtures("public_read")
def test_csv_lists_the_empty_months_as_zero_with_no_share(client, facts):
    rows = _csv(client.get("/analysis/trends.csv", MONTHS))
    assert _counts(rows) == {"2024-01": 1, "2024-02": 0, "2024-03": 0, "2024-04": 1, "2024-05": 0, "2024-06": 1}
    february = [r for r in rows if r["series"] == "full_inspection" and r["period"] == "2024-02"]
    assert [(r["outcome"], r["count"], r["share_of_period"]) for r in february] == [
        ("positive", "0", ""), ("inconsistent", "0", ""), ("systemic_failings", "0", "")]
    assert {r["scope"] for r in rows} == {"England"}


@pytest.mark.usefixtures("public_read")
def test_a_region_counts_only_its_current_areas_inspections(client, facts, django_assert_max_num_queries,
                                                            django_assert_num_queries):
    page = assert_cold_then_warm(client, "/analysis/trends/", {**MONTHS, "region": "North East"},
                                 django_assert_max_num_queries, django_assert_num_queries)
    html = page.content.decode()
    assert "<h1>Outcomes over time: North East</h1>" in html
    assert '<option value="North East" selected>' in html
    # Jan 1, Feb 0, Mar 0, Apr 1; Beta's June (London) is not there, so the months stop at April.
    assert re.search(r"<th scope=\"row\">February 2024</th><td>0</td><td>0</td><td>0</td><td>0</td>", html)
    assert "June 2024" not in html and "May 2024" not in html
    # The downloads carry the region.
    assert 'href="/analysis/trends.csv?period=month&amp;basis=inspection&amp;region=North+East"' in html
    assert 'href="/analysis/trends.svg?period=month&amp;basis=inspection&amp;region=North+East&amp;series=full_inspection"' in html

    rows = _csv(client.get("/analysis/trends.csv", {**MONTHS, "region": "North East"}))
    assert _counts(rows) == {"2024-01": 1, "2024-02": 0, "2024-03": 0, "2024-04": 1}
    assert {r["scope"] for r in rows} == {"North East"}
    # The former authority (North East, ended 2019) counts in England only, as on /analysis/durations/.
    assert _counts(rows, "initial_inspection") == {}
    assert _counts(_csv(client.get("/analysis/trends.csv", MONTHS)), "initial_inspection") == {"2017-03": 1}
    assert _counts(_csv(client.get("/analysis/trends.csv", {**MONTHS, "region": "London"}))) == {"2024-06": 1}

    svg = client.get("/analysis/trends.svg", {**MONTHS, "region": "North East", "series": "full_inspection"})
    body = svg.content.decode()
    assert svg.status_code == 200 and "by month, North East" in body
    assert "February 2024" in body and "March 2024" in body and "June 2024" not in body
    assert "north-east" in svg["Content-Disposition"]


@pytest.mark.usefixtures("public_read")
def test_an_unknown_region_is_a_400_with_the_reason(client, facts):
    for url in ("/analysis/trends/", "/analysis/trends.csv", "/analysis/trends.svg"):
        response = client.get(url, {"region": "Atlantis"})
        assert response.status_code == 400, url
        assert "Unknown region 'Atlantis'" in response.content.decode() and "North East" in response.content.decode()


@pytest.mark.usefixtures("public_read")
def test_the_dashboards_trend_links_keep_its_region(client, facts):
    html = client.get("/", {"region": "North East"}).content.decode()
    links = re.findall(r'href="(/analysis/trends/\?[^"]*)"', html)
    assert links == ["/analysis/trends/?period=calendar_year&amp;basis=publication&amp;region=North%20East",
                     "/analysis/trends/?period=academic_year&amp;basis=publication&amp;region=North%20East"]
    opened = client.get(links[0].replace("&amp;", "&")).content.decode()
    assert "<h1>Outcomes over time: North East</h1>" in opened
    england = client.get("/").content.decode()
    assert re.findall(r'href="(/analysis/trends/\?[^"]*)"', england) == [
        "/analysis/trends/?period=calendar_year&amp;basis=publication",
        "/analysis/trends/?period=academic_year&amp;basis=publication"]
