"""The analysis pages and CSVs on the real dataset (register, five seed letters, the 29 shared 2023 reports).

Expected values come from the hand-made labels (../shared/corpus/labels/reports-2023.jsonl): each report's last
day on site and the windows its outcome paragraph states, worked into due dates here, never from the pipeline."""

import csv
import datetime as dt
import io

import pytest

from inspections.analysis.due import add_months
from tests.analysis.conftest import COLD_MAX_QUERIES
from tests.real_corpus import label_outcome_counts, report_labels
from tests.web.test_real_corpus_pages import corpus, corpus_media  # noqa: F401 - the module-scoped ingest

pytestmark = [pytest.mark.shared, pytest.mark.django_db, pytest.mark.usefixtures("public_read")]

WORDS = {"three": 3, "five": 5, "3": 3, "5": 5, "18": 18}


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _expected(label: dict) -> tuple[str, str]:
    """(kind, due_by ISO) from the label: the monitoring inspection when one is stated (18 months is sooner than
    any full-inspection window), else the full inspection; counted from the last day on site."""
    end = dt.date.fromisoformat(label["inspection_end"])
    if label.get("monitoring_inspection_within"):
        months = WORDS[label["monitoring_inspection_within"].split()[0]]
        return "monitoring_inspection", add_months(end, months).isoformat()
    years = WORDS[label["next_full_inspection_within"].split()[0]]
    return "full_inspection", add_months(end, 12 * years).isoformat()


def test_areas_csv_next_visit_matches_each_reports_stated_window(corpus, client):
    rows = {r["area_gss_code"]: r for r in _csv(client.get("/exports/areas.csv"))}
    for label in report_labels():
        row = rows[label["ons_code"]]
        kind, due_by = _expected(label)
        assert (row["next_visit_kind"], row["next_visit_due_from"], row["next_visit_due_by"]) == (
            kind, label["inspection_end"], due_by), label["file"]
    # Stockton (a seed: 2016 WSOA, no revisit held; no 2023 report): a revisit is expected, but no letter dates it.
    assert (rows["E06000004"]["next_visit_kind"], rows["E06000004"]["next_visit_due_by"]) == ("revisit", "")


def test_due_csv_lists_every_report_due_within_ten_years(corpus, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(COLD_MAX_QUERIES):
        rows = _csv(client.get("/analysis/due.csv", {"months": 120}))
    got = {r["area_gss_code"]: (r["next_visit_kind"], r["next_visit_due_by"]) for r in rows}
    for label in report_labels():
        assert got[label["ons_code"]] == _expected(label), label["file"]
    page = client.get("/analysis/due/", {"months": 120}).content.decode()
    assert "within approximately" in page and "last day of the inspection" in page


def test_paths_cross_table_counts_the_2023_outcomes_of_the_labels(corpus, client):
    rows = _csv(client.get("/analysis/paths.csv"))
    by_outcome = {}
    for r in rows:
        by_outcome[r["outcome_2023"]] = by_outcome.get(r["outcome_2023"], 0) + int(r["areas"])
    expected = label_outcome_counts()
    for outcome in ("positive", "inconsistent", "systemic_failings"):
        assert by_outcome[outcome] == expected[outcome], outcome
    # Hartlepool: seed 2016 inspection (WSOA, no revisit letter held) and a positive 2023 report since: the path
    # moved on, so never "no revisit yet" (issue 19 item 5).
    cell = {(r["path_2016"], r["outcome_2023"]): r["area_gss_codes"].split() for r in rows}
    assert "E06000001" in cell[("wsoa_revisit_not_held", "positive")]
    # Issue 19 item 4: every area whose report names an earlier visit is in a "known" row.
    not_known = {code for (path, _), codes in cell.items() if path == "not_inspected" for code in codes}
    named = {row["ons_code"] for row in report_labels() if row.get("previous_inspection_start")}
    assert named and not (named & not_known), sorted(named & not_known)


def test_trends_count_every_2023_report_once_by_academic_year_of_its_dates(corpus, client):
    """The 2023 reports held carry no publication or letter date: each is counted by its last day on site."""
    rows = _csv(client.get("/analysis/trends.csv", {"period": "academic_year"}))
    counted = {(r["period"], r["outcome"]): int(r["count"]) for r in rows if r["series"] == "full_inspection"}
    expected = {}
    for label in report_labels():
        end = dt.date.fromisoformat(label["inspection_end"])
        year = end.year if end.month >= 9 else end.year - 1
        key = (f"{year}/{(year + 1) % 100:02d}", label["outcome_key"])
        expected[key] = expected.get(key, 0) + 1
    assert {k: v for k, v in counted.items() if v} == expected
    page = client.get("/analysis/trends/").content.decode()
    assert "inspection end: 29" in page


def test_calendar_years_of_inspection_as_the_official_statistics_count_them(corpus, client):
    rows = _csv(client.get("/analysis/trends.csv", {"period": "calendar_year", "basis": "inspection"}))
    counted = {(r["period"], r["outcome"]): int(r["count"]) for r in rows if r["series"] == "full_inspection"}
    expected = {}
    for label in report_labels():
        key = (label["inspection_start"][:4], label["outcome_key"])
        expected[key] = expected.get(key, 0) + 1
    assert {k: v for k, v in counted.items() if v} == expected


def test_durations_and_comparison_pages_render_on_real_data(corpus, client):
    rows = {r["measure"]: r for r in _csv(client.get("/analysis/durations.csv"))}
    # 29 reports' last day on site to their letter: every one dated, none out of order.
    letter = rows["inspection_to_letter"]
    assert int(letter["count"]) + int(letter["left_out"]) >= 29
    assert "dates out of order" not in letter["left_out_reasons"]
    dorset = next(label for label in report_labels() if label["ons_code"] == "E06000059")
    page = client.get(f"/analysis/compare/{dorset['ons_code']}/")
    assert page.status_code == 200
    visit = page.context["c"].next_visit
    assert (visit.kind, visit.due_by.isoformat()) == _expected(dorset)
