"""The analyst's pages on the REAL dataset ./scripts/serve builds: the area register, the five seed letters and
the 29 real 2023-framework reports of ../shared/corpus/reports-2023, loaded once for the module.

Expected values come from the hand-made labels (../shared/corpus/labels/reports-2023.jsonl) and
tests/fixtures/seeds/labels.json, never from the pipeline's own output. Query bounds are the ones the synthetic
tests assert (tests/web/test_lists.py, test_exports.py, test_dashboard.py, test_search.py, test_timeline.py).
"""

import csv
import datetime as dt
import html
import io
import re
from collections import Counter

import pytest
from django.test import override_settings

from inspections.vocabulary import weakness_group_label
from tests.real_corpus import (
    SEED_AREAS,
    clear_real_corpus,
    ingest_real_corpus,
    label_outcome_counts,
    report_labels,
)
from tests.web.test_dashboard import DASHBOARD_MAX_QUERIES
from tests.web.test_exports import EXPORT_MAX_QUERIES
from tests.web.test_lists import LIST_MAX_QUERIES
from tests.web.test_search import SEARCH_MAX_QUERIES
from tests.web.test_timeline import TIMELINE_MAX_QUERIES

pytestmark = [pytest.mark.shared, pytest.mark.django_db, pytest.mark.usefixtures("public_read")]

OUTCOME_LABELS = {
    "positive": "Typically positive experiences and outcomes",
    "inconsistent": "Inconsistent experiences and outcomes",
    "systemic_failings": "Widespread and/or systemic failings",
}
# The seed letters on the 2016 framework (tests/fixtures/seeds/labels.json): four initial inspections needing a
# WSOA (Hartlepool, Middlesbrough, Stockton, Medway) and Redcar's revisit of a 2018 inspection whose own letter
# is not held (a placeholder, not counted as an inspection).
SEED_2016_OUTCOMES = {"wsoa_required": 4}
# The 2023 reports' "previous inspection" that a seed letter holds: Hartlepool's October 2016 inspection and
# Middlesbrough's July 2019 revisit. Medway's report names its December 2019 revisit, whose letter is not a seed.
HELD_EARLIER_EVENTS = {"E06000001": "initial_inspection", "E06000002": "revisit"}


@pytest.fixture(scope="module")
def corpus_media(tmp_path_factory):
    """Where the module's ingest stores the files (each test otherwise gets its own empty MEDIA_ROOT)."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker, corpus_media):
    """Ingest once per module, committed (outside each test's rolled-back transaction); delete it all afterwards."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=corpus_media):
        from sendtracker.celery import app

        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            output = ingest_real_corpus()
            yield output
        finally:
            app.conf.task_always_eager = eager
            clear_real_corpus()


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _download(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_the_corpus_ingested_cleanly(corpus):
    assert corpus.count(": done") + corpus.count(": needs_review") == 5 + 29, corpus
    assert "failed" not in corpus and "rejected" not in corpus, corpus


def test_ingesting_again_changes_nothing(corpus, corpus_media, settings):
    """./scripts/serve runs `ingest` on every start: files already held are skipped, and re-running the pipeline
    on some (--reprocess) reconciles onto the same rows."""
    from django.core.management import call_command

    from inspections.models import Document, Inspection, SignificantWeakness
    from tests.real_corpus import REPORTS_2023

    settings.MEDIA_ROOT = corpus_media  # --reprocess reads the stored files

    def counts():
        return Document.objects.count(), Inspection.objects.count(), SignificantWeakness.objects.count()

    before = counts()
    reports = sorted(str(p) for p in REPORTS_2023.glob("*.pdf"))
    out = io.StringIO()
    call_command("ingest", *reports, stdout=out, stderr=out)
    assert out.getvalue().count("skipped, identical to document") == 29, out.getvalue()
    assert counts() == before
    out = io.StringIO()
    call_command("ingest", "--reprocess", *reports[:3], stdout=out, stderr=out)
    assert out.getvalue().count("no changes: every fact it supports was already recorded") == 3, out.getvalue()
    assert counts() == before


def test_dashboard_counts_match_the_labels(corpus, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    d = response.context["d"]
    labels = label_outcome_counts()
    assert sum(labels.values()) == 29 and set(labels) == set(OUTCOME_LABELS)

    assert {b.key: b.count for b in d.outcome_bars["2023 framework"]} == dict(labels)
    assert {b.key: b.count for b in d.outcome_bars["2016–2022 framework"]} == SEED_2016_OUTCOMES
    assert d.inspection_count == 29 + sum(SEED_2016_OUTCOMES.values())

    # Areas by status: a 2023 outcome wins over the 2016 path (Hartlepool, Middlesbrough and Medway have both);
    # Stockton's WSOA is still open and Redcar's revisit found sufficient progress.
    reported = {row["ons_code"] for row in report_labels()}
    status = {b.key: b.count for b in d.status_bars}
    expected = {**dict(labels), "wsoa_open": 1, "revisit_sufficient": 1, "no_wsoa": 0, "revisit_insufficient": 0,
                "wsoa_revisit_not_held": 0, "revisit_unknown": 0,
                "outcome_not_recorded": 0, "known_not_held": 0, "not_inspected": d.area_count - len(reported | SEED_AREAS)}
    assert status == expected

    # The map: every reported area coloured by its labelled outcome, and that colour is not the grey of "no data".
    page = response.content.decode()
    on_map = dict(re.findall(r'class="map-area" data-gss="(E\d{8})" data-status="(\w+)"', page))
    for row in report_labels():
        assert on_map.get(row["ons_code"]) == row["outcome_key"], row["file"]
    assert on_map["E06000004"] == "wsoa_open" and on_map["E06000003"] == "revisit_sufficient"
    assert Counter(on_map.values())["not_inspected"] < len(on_map) - 29


def test_every_chart_link_lists_the_number_it_shows(corpus, client, django_assert_max_num_queries):
    page = client.get("/").content.decode()
    links = [(html.unescape(url), int(n)) for url, n in re.findall(
        r'<a class="bar-row" href="([^"]+)"[^>]*>.*?<span class="bar-count">(\d+)</span></a>', page, re.S)]
    links += [(html.unescape(url), int(n)) for url, n in re.findall(
        r'<a class="stack-seg[^"]*"[^>]*href="([^"]+)"[^>]*>(\d+)</a>', page)]
    assert len(links) >= 8 + 4 + 5, links  # statuses, outcome bars of both frameworks, year segments
    assert any("framework=2023" in url and n for url, n in links)
    for url, shown in links:
        with django_assert_max_num_queries(LIST_MAX_QUERIES, info=url):
            listed = _listed(client, url)
        assert listed == shown, f"{url}: the dashboard shows {shown}, the list has {listed}"


@pytest.mark.parametrize("outcome", sorted(OUTCOME_LABELS))
def test_inspections_filtered_by_2023_outcome_list_the_right_areas(corpus, client, django_assert_max_num_queries, outcome):
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = client.get("/inspections/", {"framework": "2023", "outcome": outcome})
    got = sorted(r["area_gss_code"] for r in response.context["rows"])
    assert got == sorted(r["ons_code"] for r in report_labels() if r["outcome_key"] == outcome)
    page = response.content.decode()
    assert page.count(f'<span class="outcome outcome-{outcome}">') == len(got)
    # The areas list agrees on who is where.
    areas = client.get("/areas/", {"stage": outcome}).context["rows"]
    assert sorted(r["gss_code"] for r in areas) == got


def test_inspections_csv_holds_every_report(corpus, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(EXPORT_MAX_QUERIES):
        rows = _download(client, "/exports/inspections.csv?framework=2023")
    got = sorted((r["area_gss_code"], r["kind"], r["start_date"], r["outcome"], r["weakness_count"]) for r in rows)
    assert got == sorted(
        (row["ons_code"], "full_inspection", row["inspection_start"], row["outcome_key"],
         str(len(row["priority_actions"]) + len(row["improvement_areas"])))
        for row in report_labels()
    )
    by_area = {r["area_gss_code"]: r for r in rows}
    for row in report_labels():
        assert by_area[row["ons_code"]]["source_file"] == row["file"]
        assert by_area[row["ons_code"]]["end_date"] == row["inspection_end"], row["file"]
    assert {r["framework"] for r in rows} == {"2023"}
    # The page shows exactly the CSV's rows.
    assert _listed(client, "/inspections/?framework=2023") == len(rows) == 29
    # Filters combine: 2023 outcomes and the 2016 letters do not leak into each other.
    systemic = _download(client, "/exports/inspections.csv?framework=2023&outcome=systemic_failings")
    assert len(systemic) == label_outcome_counts()["systemic_failings"]
    assert {r["framework"] for r in _download(client, "/exports/inspections.csv?framework=2016")} == {"2016"}


def test_weaknesses_csv_matches_a_reports_labelled_texts(corpus, client, django_assert_max_num_queries):
    # West Northamptonshire: five priority actions and five areas for improvement.
    label = next(r for r in report_labels() if r["file"] == "2637548_west-northamptonshire.pdf")
    with django_assert_max_num_queries(EXPORT_MAX_QUERIES):
        rows = _download(client, f"/exports/weaknesses.csv?area={label['ons_code']}")
    assert {r["framework"] for r in rows} == {"2023"}
    assert {r["inspection_start_date"] for r in rows} == {label["inspection_start"]}
    for kind, key in (("priority_action", "priority_actions"), ("improvement_area", "improvement_areas")):
        mine = sorted((r for r in rows if r["weakness_kind"] == kind), key=lambda r: int(r["number"]))
        assert [_norm(r["text"]) for r in mine] == [_norm(t) for t in label[key]], kind
        assert [int(r["number"]) for r in mine] == list(range(1, len(label[key]) + 1))
    assert len(rows) == len(label["priority_actions"]) + len(label["improvement_areas"])

    # Across the whole export, each report's priority actions and improvement areas are all there.
    everything = _download(client, "/exports/weaknesses.csv?framework=2023")
    counts = Counter((r["area_gss_code"], r["weakness_kind"]) for r in everything)
    for row in report_labels():
        assert counts[(row["ons_code"], "priority_action")] == len(row["priority_actions"]), row["file"]
        assert counts[(row["ons_code"], "improvement_area")] == len(row["improvement_areas"]), row["file"]
    assert _listed(client, "/weaknesses/?framework=2023") == len(everything)
    assert _listed(client, "/weaknesses/?framework=2023&kind=priority_action") == sum(
        len(r["priority_actions"]) for r in report_labels())


def _long_date(value: str) -> str:
    day = dt.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


@pytest.mark.parametrize("label", report_labels(), ids=lambda r: r["file"].split("_", 1)[1].removesuffix(".pdf"))
def test_each_reports_timeline(corpus, client, django_assert_max_num_queries, label):
    with django_assert_max_num_queries(TIMELINE_MAX_QUERIES):
        response = client.get(f"/areas/{label['ons_code']}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "{#" not in page and "{%" not in page
    start = _long_date(label["inspection_start"])
    assert f"Area SEND inspection (2023 framework), {start}" in page
    assert f'<span class="outcome outcome-{label["outcome_key"]}">{OUTCOME_LABELS[label["outcome_key"]]}</span>' in page
    assert f'<span class="stage stage-{label["outcome_key"]}">' in page  # the "Latest stage" at the top
    # The vocabulary's group headings, singular or plural by count (issue 13 item 9: not "Area for improvement (3)").
    priority = weakness_group_label("priority_action", len(label["priority_actions"]))
    improvement = weakness_group_label("improvement_area", len(label["improvement_areas"]))
    if label["priority_actions"]:
        assert priority in page
    if label["improvement_areas"]:
        assert improvement in page
    if label["priority_actions"] and label["improvement_areas"]:
        assert page.index(priority) < page.index(improvement), "the report's order"
    assert "<dt>Letter</dt>" not in page.split("Area SEND inspection (2023 framework)")[1]  # a report, not a letter

    previous = re.search(r'<dd class="previous-inspection">(.*?)</dd>', page, re.S)
    if not label.get("previous_inspection_start"):
        assert previous is None
        if "not previously inspected" in label.get("previous_inspection_raw", "").lower():
            assert "None: the report says" in page  # stated, so shown (issue 11 item 3)
        return
    assert previous, f"{label['file']}: the earlier inspection ({label['previous_inspection_start']}) is not shown"
    assert _long_date(label["previous_inspection_start"]) in previous.group(1)
    anchor = re.search(r'href="#([\w-]+)"', previous.group(1))
    held = HELD_EARLIER_EVENTS.get(label["ons_code"])
    if held:
        # The earlier event is on this timeline (a seed letter): the date links to that step.
        assert anchor, f"{label['file']}: the earlier {held} is held but not linked"
        assert anchor.group(1).startswith(f"{held}-")
        step = re.search(rf'<li class="step [^"]*" id="{anchor.group(1)}">(.*?)</li>\s*(?:<li|</ol>)', page, re.S)
        assert step and _long_date(label["previous_inspection_start"]) in step.group(1)
    elif anchor:
        # Known only from this report: a step of its own, marked so, dated as the report states.
        step = re.search(rf'<li class="step [^"]*" id="{anchor.group(1)}">(.*?)</li>\s*(?:<li|</ol>)', page, re.S)
        assert step and "Known from a later document" in step.group(1) and "letter is not held" in step.group(1)
    else:
        assert "its letter is not held" in previous.group(1)


def test_search_finds_words_of_the_reports(corpus, client, django_assert_max_num_queries):
    for word, expect_weaknesses in (("co-production", False), ("EHC", True), ("autism", False)):
        with django_assert_max_num_queries(SEARCH_MAX_QUERIES):
            response = client.get("/search/", {"q": word})
        assert response.status_code == 200
        results = response.context["results"]
        framework_2023 = [h for h in results.letters if h.framework == "2023"]
        assert framework_2023, f"no 2023 report found for {word!r}"
        assert all(h.area_gss for h in framework_2023)
        if expect_weaknesses:
            assert any(h.framework == "2023" for h in results.weaknesses), word
        assert "<mark>" in response.content.decode()


def test_lists_stay_within_their_query_bounds(corpus, client, django_assert_max_num_queries):
    for url in ("/areas/", "/inspections/", "/weaknesses/", "/areas/?framework=2023&region=London",
                "/inspections/?framework=2023&sort=-weaknesses", "/inspections/?region=North+East&outcome=positive",
                "/weaknesses/?kind=priority_action&text=EHC", "/weaknesses/?region=South+East&framework=2023"):
        with django_assert_max_num_queries(LIST_MAX_QUERIES, info=url):
            assert _listed(client, url) > 0, url
    assert _listed(client, "/areas/?framework=2023") == 29


def test_dorset_county_and_dorset_link_both_ways_on_the_real_reports(corpus, client, django_assert_max_num_queries):
    """Issue 13 items 8 and 13 on the real data: Dorset's 2024 report names the January 2017 inspection, from
    before Dorset existed; Dorset County's own page shows it (not "No inspection on record"), Dorset's page no
    longer promises inherited inspections "shown below", and sources are named by what they are, not by file."""
    with django_assert_max_num_queries(TIMELINE_MAX_QUERIES):
        county = client.get("/areas/E10000009/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(county)))
    # Shown either as a mention ("Named in later reports") or, when the writer made a placeholder inspection for
    # it on Dorset County, as that step ("Known from a later document"): never as "no inspection".
    assert "23 January 2017" in text and "No inspection on record for Dorset County" not in text
    assert "Named in later reports" in text or "Known from a later document" in text
    dorset = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(client.get("/areas/E06000059/").content.decode())))
    assert "shown below" not in dorset
    if "Their inspections are on the path below" in dorset:  # a promise of inherited steps is kept
        assert "Dorset County (former authority)" in dorset
    else:
        assert "No letter about Dorset County is held" in dorset
        assert "Before Dorset existed: an inspection of Dorset County" in dorset
    assert "Source: Ofsted/CQC letter or report on Dorset" in dorset and "Source: 2532283_dorset.pdf" not in dorset
    areas = {r["area_gss_code"]: r for r in _download(client, "/exports/areas.csv?include_former=true")}
    assert "E06000059" in areas["E10000009"]["replaced_by"].split() and areas["E06000059"]["replaced"] == "E10000009"


def test_coverage_adds_up_to_the_153_current_areas(corpus, client, django_assert_max_num_queries):
    """Issue 11 item 4 on the real data: whole + partly + nothing held = the 153 current areas, each worked out by
    hand from the labels: an area whose report names an earlier inspection that no seed letter holds is partly
    held; Redcar (a revisit letter, its 2018 inspection's letter not held) is partly held; every other area with a
    report or seed letter is wholly held; the rest hold nothing."""
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        response = client.get("/")
    d = response.context["d"]
    assert d.area_count == 153
    c = d.coverage
    counts = {key: c.count(key) for key, *_ in c.rows()}
    assert sum(counts.values()) == c.total == 153

    held = {row["ons_code"] for row in report_labels()} | SEED_AREAS
    # Named and not held: a report's previous inspection that is neither a seed letter (Hartlepool's October 2016
    # inspection, Middlesbrough's July 2019 revisit) nor another held report.
    named_unheld = {row["ons_code"] for row in report_labels()
                    if row.get("previous_inspection_start") and row["ons_code"] not in HELD_EARLIER_EVENTS}
    # Redcar and Cleveland: a revisit letter, its 2018 inspection's letter not held. Middlesbrough: its revisit is
    # known from a council report only (issue 19 item 6: not "whole").
    partly = named_unheld | {"E06000003", "E06000002"}
    assert counts["none"] == 153 - len(held)
    assert counts["partly"] == len(partly), (counts, sorted(partly))
    assert counts["whole"] == len(held - partly)
    assert counts["official_only"] == counts["secondary_only"] == 0
    page = re.sub(r"\s+", " ", response.content.decode())
    assert " + ".join(str(n) for n in counts.values()) + " = 153 current areas" in page
    # Currency: the latest publication date the held documents state, or "not known"; no fetch in this corpus.
    assert "Latest publication held" in page and "Last successful fetch" in page
    assert "never fetched: fetching is off — see README" in page


@pytest.mark.parametrize("label", [r for r in report_labels() if r.get("previous_inspection_start")],
                         ids=lambda r: r["file"])
def test_every_earlier_inspection_a_report_names_is_shown(corpus, client, django_assert_max_num_queries, label):
    """Issue 11 'done when': every area whose 2023 report names an earlier inspection shows it, dated (on its own
    timeline or, for an inspection of the authority it replaced, on that authority's page, which it links to)."""
    start = dt.date.fromisoformat(label["previous_inspection_start"])
    with django_assert_max_num_queries(TIMELINE_MAX_QUERIES):
        page = client.get(f"/areas/{label['ons_code']}/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(page)))
    day = f"{start.day} {start:%B %Y}"
    assert day in text, (label["file"], day)
    if label["ons_code"] in HELD_EARLIER_EVENTS:
        return  # its letter is a seed: shown as that letter's own step
    # Not held: marked as known only from the later report, never shown as if its letter were held.
    marked = ("Known from a later document" in text and "the inspection's own letter is not held" in text) \
        or "is not held" in text
    assert marked, (label["file"], day)


def test_every_area_agrees_with_its_stored_path_on_every_page(corpus, client):
    """Issue 19: the areas CSV, the areas list, the dashboard's statuses, the paths table and each area's timeline
    read the one stored path — for all 161 areas of the register with the seeds and the 29 real reports loaded."""
    from inspections.models import AreaPath
    from tests.paths.test_stored_paths import _agree, _text

    assert _agree(client) == 161
    for path in AreaPath.objects.select_related("area").exclude(stage="not_inspected"):
        timeline = _text(client.get(f"/areas/{path.area.gss_code}/").content.decode())
        assert f"Latest stage {path.stage_label}" in timeline, path.area.gss_code
