"""The API, the list page and the CSV return the same rows for the same filters (issue 24 "Done when"), and
every endpoint reads a bounded number of queries whatever the number of rows."""

import csv
import io

import pytest

from inspections.facts.exports import format_cell
from tests.factories import make_dataset

pytestmark = pytest.mark.django_db

CASES = [
    ("areas", "/areas/", {}, lambda r: r["gss_code"], lambda r: r["area_gss_code"]),
    ("areas", "/areas/", {"stage": "not_inspected"}, lambda r: r["gss_code"], lambda r: r["area_gss_code"]),
    ("areas", "/areas/", {"region": "London", "sort": "-name"}, lambda r: r["gss_code"], lambda r: r["area_gss_code"]),
    ("inspections", "/inspections/", {}, lambda r: f"{r['row_type']}-{r['row_id']}", lambda r: r["id"]),
    ("inspections", "/inspections/", {"kind": "revisit", "sort": "area"}, lambda r: f"{r['row_type']}-{r['row_id']}",
     lambda r: r["id"]),
    ("inspections", "/inspections/", {"framework": "2023", "area": "Medway"},
     lambda r: f"{r['row_type']}-{r['row_id']}", lambda r: r["id"]),
    ("weaknesses", "/weaknesses/", {}, lambda r: (r["id"], r["judgement_id"]), lambda r: (r["id"], r["judgement_id"])),
    ("weaknesses", "/weaknesses/", {"judgement": "sufficient", "sort": "-date"},
     lambda r: (r["id"], r["judgement_id"]), lambda r: (r["id"], r["judgement_id"])),
    # As at a date: the areas' paths as they stood (derived then, not stored), the visits and judgements made by then.
    ("areas", "/areas/", {"as_at": "2018-06-30"}, lambda r: r["gss_code"], lambda r: r["area_gss_code"]),
    ("areas", "/areas/", {"as_at": "2018-06-30", "stage": "wsoa_open", "sort": "-stage"},
     lambda r: r["gss_code"], lambda r: r["area_gss_code"]),
    ("areas", "/areas/", {"as_at": "2024-12-31", "sort": "date"}, lambda r: r["gss_code"], lambda r: r["area_gss_code"]),
    ("inspections", "/inspections/", {"as_at": "2018-12-31"}, lambda r: f"{r['row_type']}-{r['row_id']}",
     lambda r: r["id"]),
    ("weaknesses", "/weaknesses/", {"as_at": "2018-06-30"}, lambda r: (r["id"], r["judgement_id"]),
     lambda r: (r["id"], r["judgement_id"])),
    ("weaknesses", "/weaknesses/", {"as_at": "2024-03-31", "judgement": "empty"}, lambda r: (r["id"], r["judgement_id"]),
     lambda r: (r["id"], r["judgement_id"])),
]


@pytest.mark.parametrize("name, page, params, page_key, api_key", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_api_page_and_csv_agree(client, public_read, paths, name, page, params, page_key, api_key):
    api = client.get(f"/api/v1/{name}", params).json()
    listed = client.get(page, params).context["rows"]
    response = client.get(f"/exports/{name}.csv", params)
    exported = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert api["count"] == len(listed) == len(exported) > 0
    # Same rows in the same order as the page...
    assert [api_key(r) for r in api["results"]] == [page_key(r) for r in listed]
    # ...and, column for column, the same values as the CSV (the CSV writes them as text: a JSON true is "true",
    # null is empty).
    for row, line in zip(api["results"], exported, strict=True):
        shared = {column: format_cell(row[column]) for column in line}
        assert shared == line


# Per endpoint: the as-of time (1), the count (1) and the page (1; inspections and weaknesses read keys then rows: 2), the
# FilterSet's choices read nothing. Documents: + the permission check (2: the user's and the groups' permissions).
MAX_QUERIES = {"areas": 3, "inspections": 4, "weaknesses": 4, "documents": 5}


@pytest.mark.parametrize("name", MAX_QUERIES)
def test_bounded_queries(client, settings, django_assert_max_num_queries, analyst_key, name):
    settings.PUBLIC_READ = True
    make_dataset(12)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {analyst_key}"}
    client.get(f"/api/v1/{name}", **auth)  # warm the per-thread querysets
    # + the token lookup (its last use was written by the request before: at most every 5 minutes).
    with django_assert_max_num_queries(MAX_QUERIES[name] + 1):
        response = client.get(f"/api/v1/{name}", {"page_size": 500}, **auth)
    assert response.status_code == 200 and response.json()["count"] > 5


def test_as_at_rows_are_the_path_of_that_day(client, public_read, paths):
    """Medway (2017 inspection, revisit in October 2018, 2023-framework inspection in 2024): its stage moves with
    the date asked, on the API as on the page (the stored path is today's)."""
    def stage(as_at=None):
        params = {"area": "E06000035", **({"as_at": as_at} if as_at else {})}
        return [r["stage"] for r in client.get("/api/v1/areas", params).json()["results"]]

    assert stage("2016-12-31") == ["not_inspected"]
    assert stage("2018-06-30") == ["wsoa_open"]
    assert stage("2019-06-30") == ["revisit_insufficient"]
    assert stage("2024-12-31") == stage() == ["inconsistent"]
    weaknesses = client.get("/api/v1/weaknesses", {"area": "Medway", "as_at": "2018-06-30"}).json()["results"]
    assert {(r["judgement"], r["judged_on"]) for r in weaknesses} == {("empty", None)} and len(weaknesses) == 3


# As MAX_QUERIES, + the areas' paths as at the day (their ids 1 and the kept answers' stamp 1: the warm-up request
# derived them, 5 more queries the first time); + the periods of visits
# known only to the month (1: inspections/analysis/periods.py); + the judgements' ids (1).
AS_AT_MAX_QUERIES = {"areas": MAX_QUERIES["areas"] + 2, "inspections": MAX_QUERIES["inspections"] + 1,
                     "weaknesses": MAX_QUERIES["weaknesses"] + 1}


@pytest.mark.parametrize("name", AS_AT_MAX_QUERIES)
@pytest.mark.parametrize("areas", [3, 24])
def test_bounded_queries_as_at_a_date(client, settings, django_assert_max_num_queries, analyst_key, name, areas):
    settings.PUBLIC_READ = True
    make_dataset(areas)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {analyst_key}"}
    client.get(f"/api/v1/{name}", {"as_at": "2019-06-30"}, **auth)
    with django_assert_max_num_queries(AS_AT_MAX_QUERIES[name] + 1):
        response = client.get(f"/api/v1/{name}", {"page_size": 500, "as_at": "2019-06-30"}, **auth)
    assert response.status_code == 200 and response.json()["count"] > 0
