"""The comparison: an area beside its statistical neighbours, region and England (page, part, CSV, area page)."""

import csv
import datetime as dt
import io

import pytest

from tests.analysis.conftest import assert_cold_then_warm
from tests.factories import make_area, make_inspection, make_revisit

D = dt.date

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]


@pytest.fixture
def areas(db):
    """Home (North East) with neighbours N1 (North East) and N2 (London); a third North East area; one code
    in Home's neighbour list that the register does not hold."""
    n1 = make_area("Neighbour One", gss_code="E06000931", region="North East")
    n2 = make_area("Neighbour Two", gss_code="E06000932", region="London")
    other = make_area("Other North", gss_code="E06000933", region="North East")
    home = make_area("Home", gss_code="E06000930", region="North East",
                     stat_neighbours=["E06000931", "E06000932", "E09999999"])
    for area, days in ((home, 400), (n1, 500), (n2, 600), (other, 700)):
        i = make_inspection(area, start_date=D(2017, 3, 6))
        make_revisit(i, start_date=D(2017, 3, 6) + dt.timedelta(days=days), overall="sufficient_all")
    make_inspection(home, framework="2023", start_date=D(2024, 2, 5), end_date=D(2024, 2, 9), outcome="positive",
                    next_inspection_text="The next full area SEND inspection will be within approximately five years.")
    return home


def test_compare_page_sets_the_area_beside_neighbours_region_and_england(
        client, areas, django_assert_max_num_queries, django_assert_num_queries):
    page = assert_cold_then_warm(client, "/analysis/compare/E06000930/", {}, django_assert_max_num_queries,
                                 django_assert_num_queries)
    c = page.context["c"]
    times = {m.key: s for m, s in c.measures}["initial_to_revisit"]
    assert (times["area"].median, times["neighbours"].median, times["region"].median, times["england"].median) == (
        400, 550, 500, 550)
    assert [n["gss_code"] for n in c.neighbours] == ["E06000931", "E06000932"] and c.missing_neighbours == ["E09999999"]
    stages = {s.key: row for s, row in c.stages}
    assert stages["positive"]["area"] is True and stages["positive"]["england"] == (1, 4)
    assert stages["revisit_sufficient"]["neighbours"] == (2, 2) and stages["revisit_sufficient"]["region"] == (2, 3)
    assert (c.next_visit.kind, c.next_visit.due_by) == ("full_inspection", D(2029, 2, 9))
    html = page.content.decode()
    assert "9 February 2029" in html and "within approximately five years" in html


def test_compare_csv_and_part_and_unknown_area(client, areas):
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/analysis/compare/E06000930.csv").streaming_content)
                                           .decode().lstrip("\ufeff"))))
    got = {(r["measure"], r["scope"]): r for r in rows}
    assert got[("initial_to_revisit", "neighbours")]["median_days"] == "550.0"
    assert got[("stage:positive", "area")]["count"] == "1"
    part = client.get("/analysis/compare/E06000930/part/")
    assert part.status_code == 200 and b"<html" not in part.content and b"Next expected step" in part.content
    assert client.get("/analysis/compare/E09999999/").status_code == 404
    assert client.get("/analysis/compare/", {"area": "e06000930"})["Location"] == "/analysis/compare/E06000930/"


def test_area_page_includes_the_comparison_loader(client, areas):
    html = client.get("/areas/E06000930/").content.decode()
    assert 'hx-get="/analysis/compare/E06000930/part/"' in html
    assert 'href="/analysis/compare/E06000930/"' in html  # the no-JavaScript way to the same tables
