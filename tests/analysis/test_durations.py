"""durations.py on hand-worked examples, then the /analysis/durations/ page, CSV and SVG on hand-made facts."""

import csv
import datetime as dt
import io

import pytest

from inspections.analysis.due import Event
from inspections.analysis.durations import Intervals, Wsoa, area_intervals, pooled, summarise
from tests.analysis.conftest import assert_cold_then_warm
from tests.factories import make_area, make_inspection, make_revisit, make_wsoa

D = dt.date


def test_summary_of_five_values_worked_by_hand():
    # 100, 200, 300, 400, 1000: median 300; inclusive quartiles at positions 1 and 3 (0-based) -> 200 and 400.
    s = summarise(Intervals(days=[1000, 100, 300, 200, 400], unconfirmed=1))
    assert (s.count, s.median, s.q1, s.q3, s.low, s.high, s.unconfirmed) == (5, 300, 200, 400, 100, 1000, 1)
    assert s.median_months == 9.9  # 300 / 30.44


def test_summary_of_four_values_interpolates_quartiles():
    # 10, 20, 30, 40: median 25; q1 at position 0.75 -> 17.5; q3 at 2.25 -> 32.5 (QUARTILE.INC).
    s = summarise(Intervals(days=[40, 10, 30, 20]))
    assert (s.median, s.q1, s.q3) == (25, 17.5, 32.5)


def test_one_value_and_none():
    one = summarise(Intervals(days=[42]))
    assert (one.median, one.q1, one.q3, one.low, one.high) == (42, 42, 42, 42, 42)
    none = summarise(Intervals())
    assert (none.count, none.median, none.left_out) == (0, None, 0)


def test_an_area_path_gives_each_measure_and_leaves_out_unknown_dates():
    events = [
        Event("initial_inspection", 1, start=D(2017, 3, 6), end=D(2017, 3, 10), letter=D(2017, 4, 20),
              published=D(2017, 4, 25), outcome="wsoa_required"),
        Event("revisit", 2, parent_id=1, start=D(2018, 10, 1), end=D(2018, 10, 3), needs_review=True),
        Event("full_inspection", 3, start=D(2023, 9, 11), end=D(2023, 9, 15), letter=None),
        Event("monitoring_inspection", 4, parent_id=3, start=None),
    ]
    out = area_intervals(events, [Wsoa(1, fit_for_purpose_on=D(2017, 8, 1))])
    assert out["inspection_to_publication"].days == [46]  # 10 Mar -> 25 Apr 2017
    assert out["inspection_to_publication"].left_out == {"publication date unknown": 1}  # the 2023 one
    assert out["inspection_to_letter"].days == [41] and out["inspection_to_letter"].left_out == {"letter date unknown": 1}
    assert out["publication_to_wsoa_fit"].days == [98]  # 25 Apr -> 1 Aug 2017
    assert out["initial_to_revisit"].days == [574] and out["initial_to_revisit"].unconfirmed == 1
    assert out["wsoa_to_revisit"].days == [426]  # 1 Aug 2017 -> 1 Oct 2018
    assert out["f2016_to_f2023"].days == [2380]  # 6 Mar 2017 -> 11 Sep 2023
    assert out["full_to_monitoring"].days == [] and out["full_to_monitoring"].left_out == {"start date unknown": 1}


def test_not_yet_happened_is_not_left_out_and_out_of_order_is():
    events = [Event("initial_inspection", 1, start=D(2019, 5, 6), end=D(2019, 5, 10), letter=D(2019, 5, 1))]
    out = area_intervals(events, [])
    assert out["initial_to_revisit"].days == [] and not out["initial_to_revisit"].left_out
    assert out["inspection_to_letter"].left_out == {"dates out of order": 1}


def test_placeholder_inspections_are_not_timed_to_a_letter_they_do_not_have():
    events = [Event("initial_inspection", 1, placeholder=True, outcome="wsoa_required"),
              Event("revisit", 2, parent_id=1, start=D(2021, 11, 22))]
    out = area_intervals(events, [])
    assert not out["inspection_to_letter"].left_out and not out["inspection_to_publication"].left_out
    assert out["initial_to_revisit"].left_out == {"start date unknown": 1}


def test_pooled_adds_areas_values():
    a = area_intervals([Event("full_inspection", 1, start=D(2023, 1, 9), end=D(2023, 1, 13), letter=D(2023, 2, 12))], [])
    b = area_intervals([Event("full_inspection", 2, start=D(2023, 1, 9), end=D(2023, 1, 13), letter=D(2023, 3, 14))], [])
    s = pooled({1: a, 2: b}, [1, 2, 3])["inspection_to_letter"]
    assert (s.count, s.median, s.low, s.high) == (2, 45, 30, 60)


def test_a_2023_inspection_without_a_2016_one_is_said_not_counted_and_not_left_out():
    # Surrey's 2023 report names earlier visits whose letters are not held: no pair to time, but not silent.
    only_2023 = area_intervals([Event("full_inspection", 1, start=D(2023, 1, 9), end=D(2023, 1, 13))], [])
    both = area_intervals([Event("initial_inspection", 2, start=D(2017, 1, 9)),
                           Event("full_inspection", 3, start=D(2023, 1, 9))], [])
    never = area_intervals([], [])
    s = pooled({1: only_2023, 2: both, 3: never}, [1, 2, 3])["f2016_to_f2023"]
    assert (s.count, s.left_out) == (1, 0)
    assert s.not_counted_by_reason == {"where a 2023 inspection is held but no 2016 inspection": 1}
    assert pooled({2: both}, [2])["f2016_to_f2023"].not_counted_by_reason == {}


# --- the page -----------------------------------------------------------------------------------------------



@pytest.fixture
def paths(db):
    north = make_area("North Town", gss_code="E06000911", region="North East")
    south = make_area("South Town", gss_code="E06000912", region="South West")
    n = make_inspection(north, start_date=D(2017, 3, 6), end_date=D(2017, 3, 10), letter_date=D(2017, 4, 20))
    make_wsoa(n, fit_for_purpose_on=D(2017, 8, 1))
    make_revisit(n, start_date=D(2018, 10, 1))  # 574 days after 6 Mar 2017
    s = make_inspection(south, start_date=D(2018, 1, 8), end_date=D(2018, 1, 12), letter_date=D(2018, 3, 13))
    make_revisit(s, start_date=D(2019, 7, 8))  # 546 days after 8 Jan 2018
    make_revisit(make_inspection(make_area(region="London"), start_date=None, end_date=None, letter_date=None))
    return {"north": north, "south": south}


@pytest.mark.usefixtures("public_read")
def test_durations_page_csv_and_svg_agree(client, paths, django_assert_max_num_queries, django_assert_num_queries):
    page = assert_cold_then_warm(client, "/analysis/durations/", {"region": "North East"},
                                 django_assert_max_num_queries, django_assert_num_queries)
    html = page.content.decode()
    assert 'id="durations-table"' in html and "<svg" in html and "Computed on" in html
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/analysis/durations.csv", {"region": "North East"})
                                                    .streaming_content).decode().lstrip("\ufeff"))))
    england = {r["measure"]: r for r in rows if r["scope"] == "England"}
    north = {r["measure"]: r for r in rows if r["scope"] == "North East"}
    assert (england["initial_to_revisit"]["count"], england["initial_to_revisit"]["median_days"]) == ("2", "560.0")
    assert england["initial_to_revisit"]["left_out"] == "1"
    assert england["initial_to_revisit"]["left_out_reasons"] == "1 start date unknown"
    assert (north["initial_to_revisit"]["count"], north["initial_to_revisit"]["median_days"]) == ("1", "574.0")
    assert england["wsoa_to_revisit"]["median_days"] == "426.0"
    svg = client.get("/analysis/durations.svg", {"region": "North East"})
    assert svg["Content-Type"].startswith("image/svg+xml") and b"North East" in svg.content
    assert b"computed" in svg.content
    assert client.get("/analysis/durations/", {"region": "Atlantis"}).status_code == 400


@pytest.mark.usefixtures("public_read")
def test_durations_page_says_what_it_did_not_count(client, db):
    make_inspection(make_area("Only 2023", gss_code="E06000921", region="London"), framework="2023",
                    start_date=D(2024, 2, 5), outcome="positive")
    page = client.get("/analysis/durations/").content.decode()
    row = page[page.index('<tr data-measure="f2016_to_f2023"'):]
    row = row[:row.index("</tr>")]
    assert "not counted: 1 area where a 2023 inspection is held but no 2016 inspection" in row
    text = b"".join(client.get("/analysis/durations.csv").streaming_content).decode().lstrip("\ufeff")
    csv_row = next(r for r in csv.DictReader(io.StringIO(text)) if r["measure"] == "f2016_to_f2023")
    assert (csv_row["not_counted"], csv_row["not_counted_reasons"]) == (
        "1", "1 where a 2023 inspection is held but no 2016 inspection")
