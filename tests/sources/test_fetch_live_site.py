"""The fetcher against a closer imitation of the live Ofsted site (issue 25, from what public scrapers of it show):
files on a second host with its own robots.txt, no cache headers on files, rate limiting with 403/429 and
Retry-After, a listing that changes or is disallowed, publication labels as seen in the wild, and a layout change
said in words on the fetch-runs page and the dashboard."""

from __future__ import annotations

import html
import re
import time
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from inspections.ingest.sources.fetch import default_client, fetch_reports_run
from inspections.ingest.sources.ofsted import OfstedReportsSource
from inspections.models import Document, FetchRun
from tests.sources.conftest import SEED_PROVIDERS, add_seed_letters, current_areas_with_urn
from tests.sources.fake_ofsted import FakeOfstedSite

pytestmark = pytest.mark.django_db

LISTED = len(current_areas_with_urn())


@pytest.fixture
def two_hosts():
    """Pages on 127.0.0.1, files on 127.0.0.2 (or another port), each with its own robots.txt."""
    site = FakeOfstedSite(two_hosts=True).start()
    yield site
    site.stop()


def run(site, **kwargs) -> FetchRun:
    options = {"delay": 0, "backoff": 0.01, "timeout": 1.0, "retries": 2}
    options.update(kwargs.pop("client", {}))
    source = OfstedReportsSource(site.base_url, file_hosts=[site.files_base_url])
    with default_client(**options) as client:
        return fetch_reports_run(source=source, client=client, **kwargs)


# --- 1. files on another host, with its own robots.txt ----------------------------------------------------------

def test_files_are_fetched_from_the_file_host_after_its_own_robots_txt(areas, two_hosts):
    publications = add_seed_letters(two_hosts)
    assert two_hosts.files_base_url != two_hosts.base_url
    result = run(two_hosts)
    assert result.status == FetchRun.Status.SUCCEEDED, (result.message, result.errors)
    assert result.new_documents == 5
    assert two_hosts.hits["files:/robots.txt"] == 1 and two_hosts.hits["/robots.txt"] == 1
    assert {d.source_url for d in Document.objects.all()} == {two_hosts.file_url(p) for p in publications}


def test_the_file_host_must_be_configured(areas, two_hosts):
    add_seed_letters(two_hosts)
    with default_client(delay=0, retries=0) as client:  # the site only: its files' host is not allowed
        result = fetch_reports_run(source=OfstedReportsSource(two_hosts.base_url, file_hosts=[]), client=client)
    assert result.new_documents == 0 and len(result.errors) == 5
    assert all("is not one of the sites the fetcher reads" in e["reason"] for e in result.errors)
    assert not any(path.startswith("/v1/file/") for path in two_hosts.hits)


def test_file_host_robots_txt_missing_means_allowed(areas, two_hosts):
    add_seed_letters(two_hosts)
    two_hosts.fail("files:/robots.txt", 404)
    assert run(two_hosts).new_documents == 5


@pytest.mark.parametrize("fault", ["503", "timeout"])
def test_file_host_robots_txt_unreadable_defers_the_downloads_to_the_next_run(areas, two_hosts, fault):
    publications = add_seed_letters(two_hosts)
    if fault == "503":
        two_hosts.fail("files:/robots.txt", 503, 503, 503)
    else:
        two_hosts.stall("files:/robots.txt", 1.5, times=3)
    first = run(two_hosts, client={"timeout": 0.5})
    assert first.status == FetchRun.Status.PARTIAL
    answer = "answered HTTP 503, 3 attempts" if fault == "503" else "timed out"
    assert f"The file host's robots.txt ({two_hosts.files_base_url}) {answer}" in first.message
    assert "5 downloads deferred to the next run" in first.message
    assert len(first.deferred) == 5 and not first.errors
    assert not any(path.startswith("/v1/file/") for path in two_hosts.hits), "a file was requested"
    assert Document.objects.count() == 0
    second = run(two_hosts)  # robots.txt answers again: nothing was lost
    assert second.status == FetchRun.Status.SUCCEEDED, second.message
    assert second.new_documents == 5 and not second.deferred
    assert {d.source_url for d in Document.objects.all()} == {two_hosts.file_url(p) for p in publications}


# --- 2. a URL already held is never requested again ------------------------------------------------------------

def test_without_cache_headers_a_held_file_is_never_requested_again(areas, two_hosts):
    add_seed_letters(two_hosts)
    two_hosts.cache_headers = False
    first = run(two_hosts)
    assert first.new_documents == 5
    files_requested = sum(n for path, n in two_hosts.hits.items() if path.startswith("/v1/file/"))
    second = run(two_hosts)
    assert (second.new_documents, second.already_held) == (0, 5)
    assert sum(n for path, n in two_hosts.hits.items() if path.startswith("/v1/file/")) == files_requested == 5


# --- 3. rate limiting -------------------------------------------------------------------------------------------

def test_429_with_retry_after_is_honoured_and_the_run_slows_down(areas, two_hosts):
    add_seed_letters(two_hosts)
    two_hosts.rate_limit(0.3, status=429, retry_after="1")
    waits = []
    source = OfstedReportsSource(two_hosts.base_url, file_hosts=[two_hosts.files_base_url])
    def sleep(seconds):
        waits.append(seconds)
        time.sleep(seconds)

    with default_client(delay=0, backoff=0.01, timeout=2.0, retries=3, sleep=sleep) as client:
        result = fetch_reports_run(source=source, client=client, areas=SEED_PROVIDERS)
        assert client.delay >= 1.0  # slowed down for the rest of the run
    assert result.status == FetchRun.Status.SUCCEEDED, (result.message, result.errors)
    assert result.new_documents == 5
    assert two_hosts.refused >= 1 and 1.0 in waits  # Retry-After: 1 was waited
    assert "asked us to slow down" in result.message


def test_403_past_the_bounded_wait_stops_the_run_and_the_next_run_resumes_there(areas, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    stopped_urn = areas["E06000003"].ofsted_urn
    fake_ofsted.fail(f"/provider/44/{stopped_urn}", 403, 403, 403)
    result = run(fake_ofsted, client={"retries": 2})
    assert result.status == FetchRun.Status.PARTIAL and result.failure_kind == FetchRun.Failure.RATE_LIMITED
    assert result.resume_from == stopped_urn
    assert f"the run stopped at {areas['E06000003'].name} (URN {stopped_urn})" in result.message
    assert fake_ofsted.hits[f"/provider/44/{stopped_urn}"] == 3  # bounded: three attempts, then stop
    read_before = {path for path in fake_ofsted.hits if path.startswith("/provider/")}
    assert len(read_before) < LISTED, "the run went on hammering a site that refuses it"

    fake_ofsted.requests.clear()
    again = run(fake_ofsted)
    pages = [path for path in again_requests(fake_ofsted) if path.startswith("/provider/")]
    assert pages[0] == f"/provider/44/{stopped_urn}", "the next run did not start where the last one stopped"
    assert again.status == FetchRun.Status.SUCCEEDED and not again.resume_from
    assert Document.objects.count() == len(publications)


def again_requests(site):
    return list(site.requests)


def test_a_rate_limited_site_is_fetched_with_the_default_delay_each_file_once_across_two_runs(areas, two_hosts, settings):
    """The live site is reported to refuse requests closer than about 800 ms (403): the default delay (2 s)
    keeps under it, and with no cache headers each file is downloaded once across two runs."""
    add_seed_letters(two_hosts)
    two_hosts.cache_headers = False
    two_hosts.rate_limit(0.8, status=403, retry_after="2")
    source = OfstedReportsSource(two_hosts.base_url, file_hosts=[two_hosts.files_base_url])
    results = []
    for _ in range(2):
        time.sleep(1.0)  # two runs back to back are not the case under test
        with default_client() as client:  # FETCH_DELAY_SECONDS etc. from settings
            assert client.delay == settings.FETCH_DELAY_SECONDS == 2.0
            results.append(fetch_reports_run(source=source, client=client, areas=SEED_PROVIDERS))
    assert [r.status for r in results] == [FetchRun.Status.SUCCEEDED] * 2, [r.message for r in results]
    assert [r.new_documents for r in results] == [5, 0]
    assert two_hosts.refused == 0
    assert all(n == 1 for path, n in two_hosts.bodies.items() if path.startswith("/v1/file/"))
    assert two_hosts.file_downloads == 5


# --- 4. the listing is not a single point of failure ------------------------------------------------------------

def test_a_listing_that_no_longer_parses_falls_back_to_every_areas_page_at_its_register_urn(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    fake_ofsted.unlisted.update(fake_ofsted.providers)  # the search page shows no provider link any more
    result = run(fake_ofsted)
    assert result.status == FetchRun.Status.PARTIAL and result.failure_kind == FetchRun.Failure.LISTING
    assert "listing layout is not recognised" in result.message
    pages = int(re.search(r"every area's page was read from the register's URNs instead \((\d+) pages\)",
                          result.message).group(1))
    assert pages == sum(n for path, n in fake_ofsted.hits.items() if path.startswith("/provider/")) > 140
    assert result.new_documents == 5


def test_a_listing_disallowed_by_robots_txt_falls_back_too(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    fake_ofsted.robots = "User-agent: *\nDisallow: /search\n"
    result = run(fake_ofsted)
    assert fake_ofsted.hits["/search"] == 0
    assert result.new_documents == 5 and "robots.txt disallows it" in result.message


# --- 5. labels seen in the wild ---------------------------------------------------------------------------------

WILD_LABELS = [
    ("Area SEND full inspection,  pdf - 15 July 2024", date(2024, 7, 15)),
    ("Local area SEND inspection as pdf - 10 February 2015", date(2015, 2, 10)),
    ("Area SEND full inspection, PDF - 3 March 2025", date(2025, 3, 3)),
    ("Local area SEND revisit letter", None),
    ("Written statement of action progress letter, pdf - 2 May 2019", date(2019, 5, 2)),
    ("Special educational needs and disabilities monitoring inspection, pdf - 1 May 2025", date(2025, 5, 1)),
]


def test_labels_seen_in_the_wild_are_chosen_broadly_dated_when_dated_and_all_recorded(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    hartlepool = areas["E06000001"]
    added = [fake_ofsted.add_publication(hartlepool.ofsted_urn, hartlepool.name, kind="x", published=date(2020, 1, 1),
                                         content=f"publication {n}\n".encode() * 30, label=label)
             for n, (label, _) in enumerate(WILD_LABELS)]
    result = run(fake_ofsted)
    for publication, (label, published) in zip(added, WILD_LABELS):
        document = Document.objects.get(source_url=fake_ofsted.file_url(publication))
        assert document.published_date == published, label
    labels = {entry["label"]: entry for entry in result.labels}
    assert labels["Area SEND full inspection"]["count"] == 2
    assert labels["Local area SEND revisit letter"]["action"] == "fetched"
    assert labels["Children's services inspection"] == {
        "label": "Children's services inspection", "example": "Children's services inspection, pdf - 1 June 2023",
        "count": LISTED, "action": "skipped: names no SEND term", "new": False}
    assert not any(entry["new"] for entry in result.labels)  # the first run: nothing to compare with

    fake_ofsted.add_publication(hartlepool.ofsted_urn, hartlepool.name, kind="Area SEND themed visit",
                                published=date(2026, 1, 5), content=b"a themed visit\n" * 30)
    fake_ofsted.add_publication(hartlepool.ofsted_urn, hartlepool.name, kind="Focused visit",
                                published=date(2026, 1, 6), content=b"a focused visit\n" * 30)
    later = run(fake_ofsted)
    new = {entry["label"]: entry["action"] for entry in later.labels if entry["new"]}
    assert new == {"Area SEND themed visit": "fetched", "Focused visit": "skipped: names no SEND term"}


def test_the_fetch_runs_page_lists_the_labels_seen_and_marks_new_ones(areas, fake_ofsted, client, django_user_model):
    add_seed_letters(fake_ofsted)
    run(fake_ofsted)
    hartlepool = areas["E06000001"]
    fake_ofsted.add_publication(hartlepool.ofsted_urn, hartlepool.name, kind="Area SEND themed visit",
                                published=date(2026, 1, 5), content=b"a themed visit\n" * 30)
    run(fake_ofsted)
    user = django_user_model.objects.create_user("ana")
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(user)
    page = client.get(reverse("fetch_run_list")).content.decode()
    assert "Area SEND themed visit <strong>(new: not seen by the run before)</strong>" in page
    assert "skipped: names no SEND term" in page and "<strong>1 new</strong>" in page


# --- 6. a layout change said in words ---------------------------------------------------------------------------

def test_a_layout_change_is_said_in_words_on_the_fetch_runs_page_and_the_dashboard(areas, fake_ofsted, client,
                                                                                  django_user_model):
    from django.utils import timezone

    add_seed_letters(fake_ofsted)
    assert run(fake_ofsted).status == FetchRun.Status.SUCCEEDED
    fake_ofsted.layout = "changed"
    broken = [run(fake_ofsted), run(fake_ofsted)]
    assert all(r.status == FetchRun.Status.FAILED and r.failure_kind == FetchRun.Failure.LAYOUT for r in broken)
    FetchRun.objects.filter(pk=broken[0].pk).update(started_at=timezone.make_aware(timezone.datetime(2026, 3, 3, 5, 17)))
    sentence = ("The Ofsted site's layout changed on 3 March 2026: its pages no longer look as the fetcher expects, "
                "so nothing has been fetched since.")
    user = django_user_model.objects.create_user("ana")
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(user)
    page = html.unescape(client.get(reverse("fetch_run_list")).content.decode())
    assert sentence in page
    dashboard = html.unescape(client.get("/").content.decode())
    assert sentence in dashboard and "fetch-problem" in dashboard

    fake_ofsted.layout = "ofsted"  # fixed: the next successful run clears the sentence
    assert run(fake_ofsted).status == FetchRun.Status.SUCCEEDED
    assert "layout changed" not in client.get("/").content.decode()
