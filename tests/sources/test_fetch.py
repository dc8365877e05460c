"""fetch_reports against a real HTTP server on 127.0.0.1 imitating the Ofsted reports site (fake_ofsted.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from inspections.ingest.sources.fetch import default_client, fetch_reports_run
from inspections.ingest.sources.http import PoliteClient, user_agent
from inspections.ingest.sources.ofsted import OfstedReportsSource, parse_label_date
from inspections.models import Document, FetchRun
from tests.sources.conftest import add_seed_letters, add_shared_reports, current_areas_with_urn

LISTED = len(current_areas_with_urn())  # every current area is on the imitation's listing, as on the real site

pytestmark = pytest.mark.django_db


def run(site, **kwargs) -> FetchRun:
    client_options = {"delay": 0, "backoff": 0.01, "timeout": 1.0, "retries": 2, "contact": "data@example.org"}
    client_options.update(kwargs.pop("client", {}))
    with default_client(**client_options) as client:
        return fetch_reports_run(source=OfstedReportsSource(site.base_url), client=client, **kwargs)


def test_first_run_fetches_every_send_publication_and_second_run_downloads_nothing(areas, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    first = run(fake_ofsted)
    assert first.status == FetchRun.Status.SUCCEEDED, first.errors
    assert (first.new_documents, first.publications_seen, first.already_held) == (5, 5, 0)
    assert first.pages_read == 2 + LISTED  # two listing pages of 100, every provider page
    stored = {doc.source_url: doc for doc in Document.objects.all()}
    assert set(stored) == {fake_ofsted.file_url(p) for p in publications}
    for publication in publications:
        doc = stored[fake_ofsted.file_url(publication)]
        assert doc.published_date == publication.published
        assert doc.status == Document.Status.QUEUED
        assert doc.file.read() == publication.content
    # The non-SEND publications on every provider's page were never requested.
    others = [p for p in fake_ofsted.files.values() if "SEND" not in p.kind]
    assert len(others) == LISTED and not any(fake_ofsted.hits[f"/v1/file/{p.file_id}"] for p in others)
    assert any(agent.startswith("sendtracker/") and "data@example.org" in agent for agent in fake_ofsted.user_agents)

    def page_bodies() -> int:  # robots.txt is read afresh by every run, as it should be
        return sum(n for path, n in fake_ofsted.bodies.items() if path != "/robots.txt")

    downloads, pages_sent = fake_ofsted.file_downloads, page_bodies()
    second = run(fake_ofsted)
    assert second.status == FetchRun.Status.SUCCEEDED, second.errors
    assert (second.new_documents, second.already_held) == (0, 5)
    assert fake_ofsted.file_downloads == downloads, "a file was downloaded again although unchanged (304 expected)"
    assert page_bodies() == pages_sent, "a page was sent again although unchanged"
    assert Document.objects.count() == 5


def test_publication_added_to_a_page_is_fetched_next_run(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    run(fake_ofsted)
    hartlepool = areas["E06000001"]
    added = fake_ofsted.add_publication(hartlepool.ofsted_urn, hartlepool.name, kind="Area SEND full inspection",
                                        published=date(2025, 2, 3), content=b"Area SEND inspection of Hartlepool\n" * 20)
    again = run(fake_ofsted)
    assert again.status == FetchRun.Status.SUCCEEDED, again.errors
    assert again.new_documents == 1
    doc = Document.objects.get(source_url=fake_ofsted.file_url(added))
    assert doc.published_date == date(2025, 2, 3)
    assert fake_ofsted.bodies[f"/v1/file/{added.file_id}"] == 1


def test_a_500_is_retried_and_the_file_is_fetched(areas, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    path = f"/v1/file/{publications[0].file_id}"
    fake_ofsted.fail(path, 500, 503)
    result = run(fake_ofsted, client={"retries": 2})
    assert result.status == FetchRun.Status.SUCCEEDED, result.errors
    assert fake_ofsted.hits[path] == 3
    assert Document.objects.filter(source_url=fake_ofsted.file_url(publications[0])).exists()


def test_a_500_beyond_the_retries_is_recorded_and_the_file_is_fetched_next_run(areas, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    path = f"/v1/file/{publications[1].file_id}"
    fake_ofsted.fail(path, 500, 500, 500)
    failed = run(fake_ofsted, client={"retries": 2})
    assert failed.status == FetchRun.Status.PARTIAL
    assert failed.new_documents == 4
    assert failed.errors == [{"url": fake_ofsted.file_url(publications[1]), "reason": "HTTP 500, 3 attempts"}]
    assert fake_ofsted.hits[path] == 3
    # Nothing lost: the next run (the page answers 304) still asks for the file and stores it.
    later = run(fake_ofsted, client={"retries": 2})
    assert later.status == FetchRun.Status.SUCCEEDED, later.errors
    assert later.new_documents == 1
    assert Document.objects.count() == 5


def test_a_timeout_is_retried_then_recorded_and_nothing_is_lost(areas, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    retried = f"/v1/file/{publications[2].file_id}"
    lost = f"/v1/file/{publications[3].file_id}"
    fake_ofsted.stall(retried, 1.5, times=1)  # once: the retry succeeds
    fake_ofsted.stall(lost, 1.5, times=2)  # every attempt of this run times out
    result = run(fake_ofsted, client={"timeout": 0.4, "retries": 1})
    assert result.status == FetchRun.Status.PARTIAL
    assert result.new_documents == 4
    assert [e["url"] for e in result.errors] == [fake_ofsted.file_url(publications[3])]
    assert result.errors[0]["reason"].startswith("timed out")
    assert fake_ofsted.hits[retried] == 2 and fake_ofsted.hits[lost] == 2
    later = run(fake_ofsted, client={"timeout": 2.0, "retries": 1})
    assert later.new_documents == 1 and later.status == FetchRun.Status.SUCCEEDED
    assert Document.objects.filter(source_url=fake_ofsted.file_url(publications[3])).exists()


def test_a_4xx_is_not_retried(areas, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    path = f"/v1/file/{publications[0].file_id}"
    fake_ofsted.fail(path, 404)
    result = run(fake_ofsted, client={"retries": 3})
    assert fake_ofsted.hits[path] == 1
    assert result.errors[0]["reason"] == "HTTP 404"


def test_a_changed_provider_page_layout_fails_loudly(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    assert run(fake_ofsted).status == FetchRun.Status.SUCCEEDED
    fake_ofsted.layout = "changed"
    broken = run(fake_ofsted)
    assert broken.status == FetchRun.Status.FAILED
    assert "provider page layout is not recognised" in broken.message
    assert broken.new_documents == 0


def test_a_layout_never_seen_fails_loudly_on_the_first_run(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    fake_ofsted.layout = "changed"
    result = run(fake_ofsted)
    assert result.status == FetchRun.Status.FAILED
    assert "provider page layout is not recognised" in result.message
    assert f"none of the {LISTED} provider pages" in result.message


def test_an_empty_listing_fails_loudly(areas, fake_ofsted):
    result = run(fake_ofsted)  # no provider at all
    assert result.status == FetchRun.Status.FAILED
    assert "listing layout is not recognised" in result.message


def test_robots_txt_disallow_is_respected(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    fake_ofsted.robots = "User-agent: sendtracker\nDisallow: /v1/file/\n\nUser-agent: *\nDisallow:\n"
    result = run(fake_ofsted)
    assert result.status == FetchRun.Status.PARTIAL
    assert result.new_documents == 0
    assert not [path for path in fake_ofsted.hits if path.startswith("/v1/file/")], "a disallowed file was requested"
    assert all("robots.txt disallows" in e["reason"] for e in result.errors) and len(result.errors) == 5


def test_robots_txt_disallowing_everything_fails_the_run_without_requests(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    fake_ofsted.robots = "User-agent: *\nDisallow: /\n"
    result = run(fake_ofsted)
    assert result.status == FetchRun.Status.FAILED
    assert "robots.txt" in result.message
    assert set(fake_ofsted.hits) == {"/robots.txt"}


def test_paged_listing_is_followed_and_area_and_since_filters_apply(areas, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    fake_ofsted.page_size = 40
    pages = -(-LISTED // 40)
    result = run(fake_ofsted, since=date(2018, 3, 4))
    assert result.status == FetchRun.Status.SUCCEEDED, result.errors
    assert result.pages_read == pages + LISTED  # every listing page was followed
    assert result.new_documents == 2  # published 4 and 5 March 2018
    assert {d.published_date for d in Document.objects.all()} == {p.published for p in publications[3:]}
    only = run(fake_ofsted, areas=["E06000001"])
    assert only.publications_seen == 1 and only.new_documents == 1
    assert only.pages_read == pages + 1


def test_a_current_area_missing_from_the_listing_is_reported_and_read_at_its_register_urn(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    fake_ofsted.unlisted.add(areas["E06000035"].ofsted_urn)  # Medway drops off the listing; its page stays
    result = run(fake_ofsted)
    assert result.status == FetchRun.Status.PARTIAL
    assert [e["reason"] for e in result.errors] == [
        "Medway (E06000035, URN 80522) is not in the site's listing; its page was read at the register's URN instead"]
    assert result.new_documents == 5  # Medway's letter too, from /provider/44/80522
    assert fake_ofsted.hits["/provider/44/80522"] == 1


def test_an_area_neither_listed_nor_at_its_register_urn_is_an_error_and_the_run_goes_on(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    del fake_ofsted.providers[areas["E06000035"].ofsted_urn]  # gone from the listing and its page answers 404
    result = run(fake_ofsted)
    assert result.status == FetchRun.Status.PARTIAL
    assert [e["reason"] for e in result.errors] == [
        "Medway (E06000035, URN 80522) is not in the site's listing; its page was read at the register's URN instead",
        "HTTP 404"]
    assert result.new_documents == 4


def test_delay_between_requests_is_honoured(fake_ofsted):
    fake_ofsted.add_provider("80473", "Hartlepool")
    waits: list[float] = []
    with PoliteClient(allowed_origins=[fake_ofsted.base_url], delay=5.0, retries=0, sleep=waits.append) as client:
        client.get(f"{fake_ofsted.base_url}/provider/44/80473")
        client.get(f"{fake_ofsted.base_url}/provider/44/80473")
    # robots.txt, then the page (waits ~5 s), then the page again (waits ~5 s): never two requests at once.
    assert len(waits) == 2 and all(4.0 < w <= 5.0 for w in waits)
    assert "sendtracker" in user_agent("") and "no contact configured" in user_agent("")


def test_command_reports_counts_and_fails_with_a_nonzero_exit_on_a_layout_change(areas, fake_ofsted, capsys):
    add_seed_letters(fake_ofsted)
    call_command("fetch_reports", "--base-url", fake_ofsted.base_url, "--delay", "0")
    out = capsys.readouterr().out
    assert "5 new documents queued" in out
    fake_ofsted.layout = "changed"
    with pytest.raises(CommandError, match="layout is not recognised"):
        call_command("fetch_reports", "--base-url", fake_ofsted.base_url, "--delay", "0")


@pytest.mark.parametrize("text, expected", [
    ("15 July 2024", date(2024, 7, 15)), ("5 Jul 2024", date(2024, 7, 5)), ("31 February 2024", None), ("July 2024", None),
])
def test_label_dates_are_read_or_left_empty(text, expected):
    assert parse_label_date(text) == expected


def test_label_parts(fake_ofsted):
    source = OfstedReportsSource("https://reports.example")
    html = ('<a class="publication-link" href="https://files.example/v1/file/5"><span class="nonvisual">'
            'Area SEND full inspection, pdf - 15 July 2024</span></a>'
            '<a class="publication-link" href="/v1/file/6"><span class="nonvisual">Local area SEND revisit letter'
            '</span></a>')
    first, second = source.parse_provider_page(html, page_url="https://reports.example/provider/44/1")
    assert (first.kind, first.file_format, first.published) == ("Area SEND full inspection", "pdf", date(2024, 7, 15))
    assert (second.url, second.kind, second.published) == ("https://reports.example/v1/file/6", "Local area SEND revisit letter", None)
    assert source.wanted(first) and source.wanted(second)


@pytest.mark.shared
def test_the_shared_2023_reports_are_all_fetched_once(areas, fake_ofsted):
    publications = add_shared_reports(fake_ofsted)
    first = run(fake_ofsted)
    assert first.status == FetchRun.Status.SUCCEEDED, first.errors
    assert first.new_documents == len(publications) == 29
    second = run(fake_ofsted)
    assert second.new_documents == 0 and second.already_held == 29
    assert fake_ofsted.file_downloads == 29


def test_robots_txt_missing_allows_and_unreadable_disallows(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    fake_ofsted.fail("/robots.txt", 404)
    assert run(fake_ofsted).new_documents == 5
    fake_ofsted.fail("/robots.txt", 503, 503, 503)
    result = run(fake_ofsted, client={"retries": 2})
    assert result.status == FetchRun.Status.FAILED
    assert "robots.txt of" in result.message and "could not be read (HTTP 503, 3 attempts)" in result.message
    assert fake_ofsted.hits["/search"] == 2  # only the first run read the listing (two pages)


def test_a_file_already_uploaded_is_not_stored_again_and_learns_its_source(areas, fake_ofsted):
    from django.core.files.base import ContentFile

    from inspections.pipeline.store import document_store

    publications = add_seed_letters(fake_ofsted)
    uploaded = document_store(stream=ContentFile(publications[0].content), original_name="from-an-analyst.txt")
    result = run(fake_ofsted)
    assert (result.new_documents, result.already_held) == (4, 1)
    uploaded.refresh_from_db()
    assert uploaded.source_url == fake_ofsted.file_url(publications[0])
    assert uploaded.published_date == publications[0].published
    assert Document.objects.count() == 5 and not Document.objects.filter(status=Document.Status.DUPLICATE).exists()
