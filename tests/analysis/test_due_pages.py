"""/analysis/due/, its CSV and the areas CSV's next-visit columns, on hand-made facts dated relative to today
(the page counts from the real today)."""

import csv
import datetime as dt
import io

import pytest

from inspections.paths.services import area_paths_refresh_all
from django.utils import timezone

from inspections.analysis.due import add_months
from inspections.models import Inspection
from tests.analysis.conftest import COLD_MAX_QUERIES, assert_cold_then_warm
from tests.factories import make_area, make_dataset, make_inspection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]

FULL_3Y = "The next full area SEND inspection will be within approximately three years."
MONITORING_18 = "A monitoring inspection will be carried out within approximately 18 months."


def _csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def areas(db):
    """Overdue (3y from an end 3y 10d ago, North East), due in ~2 months (monitoring, London, unconfirmed),
    due in ~20 months (South West), a WSOA with no stated window, and an area never inspected."""
    today = timezone.localdate()
    overdue_end = add_months(today, -36) - dt.timedelta(days=10)
    soon_end = add_months(today, -16)
    later_end = add_months(today, -16)
    overdue = make_area("Overdue Town", gss_code="E06000901", region="North East")
    make_inspection(overdue, framework="2023", start_date=overdue_end - dt.timedelta(days=4), end_date=overdue_end,
                    outcome="positive", next_inspection_text=FULL_3Y)
    soon = make_area("Soon City", gss_code="E06000902", region="London")
    make_inspection(soon, framework="2023", start_date=soon_end - dt.timedelta(days=4), end_date=soon_end,
                    outcome="systemic_failings", next_inspection_text=f"{MONITORING_18} {FULL_3Y}", needs_review=True)
    later = make_area("Later Shire", gss_code="E06000903", region="South West")
    make_inspection(later, framework="2023", start_date=later_end - dt.timedelta(days=4), end_date=later_end,
                    outcome="inconsistent", next_inspection_text=FULL_3Y)
    wsoa = make_area("Waiting Borough", gss_code="E06000904", region="North East")
    make_inspection(wsoa, start_date=dt.date(2018, 3, 5))
    make_area("Never Visited", gss_code="E06000905", region="North East")
    return {"today": today, "overdue_by": add_months(overdue_end, 36), "soon_by": add_months(soon_end, 18),
            "later_by": add_months(later_end, 36)}


def test_due_page_lists_overdue_and_due_within_n_months_and_counts_the_rest(
        client, areas, django_assert_max_num_queries, django_assert_num_queries):
    response = assert_cold_then_warm(client, "/analysis/due/", {"months": 6}, django_assert_max_num_queries,
                                     django_assert_num_queries)
    rows = response.context["d"].rows
    assert [(r["gss_code"], r["row"].status, r["visit"].kind) for r in rows] == [
        ("E06000901", "overdue", "full_inspection"), ("E06000902", "due", "monitoring_inspection")]
    assert rows[0]["visit"].due_by == areas["overdue_by"] and rows[1]["visit"].due_by == areas["soon_by"]
    assert response.context["d"].left_out == {"unknown": 2, "later": 1}
    page = response.content.decode()
    assert "unconfirmed" in page and MONITORING_18 in page
    assert "1 overdue" in page and "1 due later; 2 with no date" in page
    assert "the letter states no window for the revisit" in page and "no inspection known" in page
    # 24 months reaches Later Shire.
    rows = client.get("/analysis/due/", {"months": 24}).context["d"].rows
    assert [r["gss_code"] for r in rows] == ["E06000901", "E06000902", "E06000903"]


def test_due_page_filters_sorts_and_rejects_bad_input(client, areas):
    rows = client.get("/analysis/due/", {"months": 24, "region": "North East"}).context["d"].rows
    assert [r["gss_code"] for r in rows] == ["E06000901"]
    rows = client.get("/analysis/due/", {"months": 24, "outcome": "inconsistent"}).context["d"].rows
    assert [r["gss_code"] for r in rows] == ["E06000903"]
    rows = client.get("/analysis/due/", {"months": 24, "sort": "-area"}).context["d"].rows
    assert [r["name"] for r in rows] == ["Soon City", "Overdue Town", "Later Shire"]
    assert client.get("/analysis/due/", {"region": "Atlantis"}).status_code == 400
    assert client.get("/analysis/due/", {"months": "-3"}).status_code == 400
    assert client.get("/analysis/due.csv", {"months": "x"}).status_code == 400


def test_due_csv_holds_exactly_the_page_rows(client, areas):
    rows = _csv(client.get("/analysis/due.csv", {"months": 6, "sort": "-due"}))
    assert [(r["area_gss_code"], r["status"], r["next_visit_kind"], r["next_visit_due_by"]) for r in rows] == [
        ("E06000902", "due", "monitoring_inspection", areas["soon_by"].isoformat()),
        ("E06000901", "overdue", "full_inspection", areas["overdue_by"].isoformat())]
    assert rows[0]["unconfirmed"] == "true" and rows[0]["window_months"] == "18"
    assert rows[0]["counted_from"] == "inspection_end" and rows[0]["sentence"] == MONITORING_18


def test_rejected_facts_never_count(client, areas):
    Inspection.all_objects.filter(area__gss_code="E06000901").update(rejected=True)
    area_paths_refresh_all()  # the update sent no signal: derive the stored paths as derive_paths does
    rows = client.get("/analysis/due/", {"months": 6}).context["d"].rows
    assert [r["gss_code"] for r in rows] == ["E06000902"]


def test_areas_csv_gains_the_next_visit_columns(client, areas):
    rows = {r["area_gss_code"]: r for r in _csv(client.get("/exports/areas.csv"))}
    assert (rows["E06000901"]["next_visit_kind"], rows["E06000901"]["next_visit_due_by"]) == (
        "full_inspection", areas["overdue_by"].isoformat())
    assert rows["E06000902"]["next_visit_kind"] == "monitoring_inspection"
    assert (rows["E06000904"]["next_visit_kind"], rows["E06000904"]["next_visit_due_from"],
            rows["E06000904"]["next_visit_due_by"]) == ("revisit", "", "")
    assert (rows["E06000905"]["next_visit_kind"], rows["E06000905"]["next_visit_due_by"]) == ("full_inspection", "")
    # A former authority will not be visited again: empty, even with an inspection that states a window.
    former = make_area("Gone County", gss_code="E10000906", region="North East", end_date=dt.date(2023, 3, 31))
    make_inspection(former, framework="2023", start_date=dt.date(2023, 1, 9), outcome="positive",
                    next_inspection_text=FULL_3Y)
    rows = {r["area_gss_code"]: r for r in _csv(client.get("/exports/areas.csv", {"include_former": "true"}))}
    assert (rows["E10000906"]["next_visit_kind"], rows["E10000906"]["next_visit_due_by"]) == ("", "")


def test_due_page_queries_do_not_grow_with_areas(client, django_assert_max_num_queries, django_assert_num_queries):
    make_dataset(3)
    assert_cold_then_warm(client, "/analysis/due/", {}, django_assert_max_num_queries, django_assert_num_queries)
    make_dataset(30)
    assert_cold_then_warm(client, "/analysis/due/", {}, django_assert_max_num_queries, django_assert_num_queries)
    with django_assert_max_num_queries(COLD_MAX_QUERIES):
        assert client.get("/analysis/due.csv").status_code == 200


def test_a_change_in_another_process_is_seen_through_the_fingerprint(client, areas):
    """A write this process's signals do not see (another process's write, imitated by a queryset update and that
    process's re-derivation of the area's stored path): the fingerprint changes with the visible count and the
    paths' derivation time, so the next page reads the facts and paths again."""
    assert [r["gss_code"] for r in client.get("/analysis/due/", {"months": 6}).context["d"].rows] == [
        "E06000901", "E06000902"]
    Inspection.all_objects.filter(area__gss_code="E06000901").update(rejected=True)  # no signal
    with mute_signals():
        area_paths_refresh_all()  # the other process derives the path; this process's signals see nothing
    assert [r["gss_code"] for r in client.get("/analysis/due/", {"months": 6}).context["d"].rows] == ["E06000902"]


def test_one_day_is_a_day(client, db):
    today = timezone.localdate()
    for gss, days in (("E06000911", 1), ("E06000912", -1)):
        # The end date whose three-year window closes `days` from today (clipped month ends can shift it: skip then).
        end = add_months(today + dt.timedelta(days=days), -36)
        if add_months(end, 36) != today + dt.timedelta(days=days):
            pytest.skip("today's date falls where adding months clips the day")
        make_inspection(make_area(f"Area {gss}", gss_code=gss, region="London"), framework="2023",
                        start_date=end - dt.timedelta(days=4), end_date=end, outcome="positive", next_inspection_text=FULL_3Y)
    page = client.get("/analysis/due/", {"months": 1}).content.decode()
    assert "in 1 day<" in page and "overdue by 1 day<" in page and "1 days" not in page


def test_compare_answers_a_lower_case_code(client, db):
    area = make_area("Lower Case Town", gss_code="E06000913", region="London")
    make_inspection(area, framework="2023", start_date=dt.date(2024, 2, 5), outcome="positive")
    assert client.get("/analysis/compare/e06000913/").status_code == 200
    response = client.get("/analysis/compare/e06000913.csv")
    assert response.status_code == 200 and "compare-E06000913" in response["Content-Disposition"]


def test_due_page_says_how_current_the_holdings_are(client, areas):
    from inspections.models import Revisit

    latest = Inspection.objects.order_by("-start_date").first()
    Revisit.objects.create(inspection=latest, kind="monitoring_inspection", start_date=None)  # undated: not "latest"
    Inspection.objects.filter(pk=latest.pk).update(published_date=dt.date(2031, 1, 2))
    page = client.get("/analysis/due/").content.decode()
    note = page[page.index('id="due-currency"'):]
    note = note[:note.index("</p>")]
    assert "no\n  report of a later visit is held here" in note
    assert f"Latest visit held: began {latest.start_date.day} {latest.start_date:%B %Y}" in note
    assert "latest publication held: 2 January 2031" in note


class mute_signals:
    """Disconnect the analysis snapshot's signal receivers inside the block (a write in another process)."""

    def __enter__(self):
        from django.db.models.signals import post_delete, post_save

        from inspections.analysis.snapshot import forget
        self.saved = [(sig, sig.receivers[:]) for sig in (post_save, post_delete)]
        for sig in (post_save, post_delete):
            sig.receivers = [r for r in sig.receivers if r[1]() is not forget]
            sig.sender_receivers_cache.clear()

    def __exit__(self, *exc):
        for sig, receivers in self.saved:
            sig.receivers = receivers
            sig.sender_receivers_cache.clear()
