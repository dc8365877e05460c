"""The fetcher against a hostile site (a real HTTP server on 127.0.0.1 that redirects elsewhere, links to other
ports, loops, sends broken gzip, drips bytes, never ends its listing) and after its own process died: it reads
only the configured site and its file host, records each URL's failure and goes on, keeps a total deadline per
request, bounds the listing, and never leaves a run "Running"."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.ingest.sources.fetch import default_client, fetch_reports_run, fetch_runs_mark_interrupted
from inspections.ingest.sources.http import FetchFailed, NotAllowed, PoliteClient
from inspections.ingest.sources.ofsted import OfstedReportsSource
from inspections.models import Document, FetchRun
from tests.sources.conftest import add_seed_letters, current_areas_with_urn

pytestmark = pytest.mark.django_db

LISTED = len(current_areas_with_urn())


class SecretService:
    """A TCP service on another local port (standing in for Redis on 6379, or an internal web page): counts
    every connection it accepts, answers like a web page so a leak would be stored."""

    def __init__(self):
        self.connections = 0
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self._sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            try:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n+PONG secret internal data\r\n")
            finally:
                conn.close()

    def close(self):
        self._stop = True
        self._sock.close()


@pytest.fixture
def secret():
    service = SecretService()
    yield service
    service.close()


def run(site, **kwargs) -> FetchRun:
    options = {"delay": 0, "backoff": 0.01, "timeout": 1.0, "retries": 1}
    options.update(kwargs.pop("client", {}))
    with default_client(**options) as client:
        return fetch_reports_run(source=OfstedReportsSource(site.base_url, file_hosts=[]), client=client, **kwargs)


# --- only the configured site and its file host -----------------------------------------------------------------

def test_a_listing_that_redirects_to_another_local_port_never_reaches_it(areas, fake_ofsted, secret):
    add_seed_letters(fake_ofsted)
    fake_ofsted.redirects["/search"] = f"{secret.url}/"
    result = run(fake_ofsted)
    assert secret.connections == 0, "the fetcher connected to a port that is not the site's"
    assert "is not one of the sites the fetcher reads" in result.message
    # The listing could not be used; every area's page was read at its register URN instead (nothing lost).
    assert result.status == FetchRun.Status.PARTIAL and result.new_documents == 5


def test_a_publication_linking_to_another_port_is_refused_and_recorded(areas, fake_ofsted, secret):
    publications = add_seed_letters(fake_ofsted)
    publications[0].href = f"{secret.url}/internal/page"
    result = run(fake_ofsted)
    assert secret.connections == 0
    assert result.new_documents == 4 and result.status == FetchRun.Status.PARTIAL
    [error] = result.errors
    assert error["url"] == f"{secret.url}/internal/page" and "not one of the sites the fetcher reads" in error["reason"]
    assert not Document.objects.filter(source_url__startswith=secret.url).exists()


def test_a_file_redirecting_off_the_site_is_refused_after_the_redirect(areas, fake_ofsted, secret):
    publications = add_seed_letters(fake_ofsted)
    path = f"/v1/file/{publications[1].file_id}"
    fake_ofsted.redirects[path] = f"{secret.url}/"
    result = run(fake_ofsted)
    assert secret.connections == 0 and fake_ofsted.hits[path] == 1
    assert [e["url"] for e in result.errors] == [f"{secret.url}/"]
    assert result.new_documents == 4


def test_a_redirect_within_the_site_is_followed(areas, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    moved = f"/v1/file/{publications[2].file_id}"
    fake_ofsted.redirects["/v1/file/moved"] = fake_ofsted.file_url(publications[2])
    publications[2].href = f"{fake_ofsted.base_url}/v1/file/moved"
    result = run(fake_ofsted)
    assert result.status == FetchRun.Status.SUCCEEDED, result.errors
    assert fake_ofsted.hits[moved] == 1 and result.new_documents == 5


def test_redirects_are_capped(fake_ofsted):
    for n in range(8):
        fake_ofsted.redirects[f"/hop/{n}"] = f"/hop/{n + 1}"
    with PoliteClient(allowed_origins=[fake_ofsted.base_url], delay=0, retries=0) as client:
        with pytest.raises(FetchFailed, match="more than 5 redirects"):
            client.get(f"{fake_ofsted.base_url}/hop/0")
    assert fake_ofsted.hits["/hop/6"] == 0


def test_a_public_name_resolving_to_a_private_address_is_never_connected_to(fake_ofsted, monkeypatch):
    """The configured site is a public name; later its DNS (here faked) answers 127.0.0.1 (DNS rebinding, or a
    hostile resolver): refused before connecting, on the address actually checked."""
    import inspections.ingest.sources.http as http

    real = socket.getaddrinfo
    port = int(fake_ofsted.base_url.rsplit(":", 1)[1])
    with PoliteClient(allowed_origins=[f"http://reports.example:{port}"], delay=0, retries=0) as client:
        def fake_dns(host, *args, **kwargs):
            if host == "reports.example":
                return real("127.0.0.1", port, *args[1:], **kwargs)
            return real(host, *args, **kwargs)

        monkeypatch.setattr(http.socket, "getaddrinfo", fake_dns)
        with pytest.raises(NotAllowed, match="private, loopback or link-local"):
            client.get(f"http://reports.example:{port}/provider/44/1")
    assert sum(fake_ofsted.hits.values()) == 0
    # The configured site itself on a loopback address (the tests' case) is allowed.
    with PoliteClient(allowed_origins=[fake_ofsted.base_url], delay=0, retries=0) as client:
        assert client.get(f"{fake_ofsted.base_url}/robots.txt").status == 200


def test_a_client_without_an_allow_list_requests_nothing(fake_ofsted):
    with PoliteClient(delay=0, retries=0) as client:
        with pytest.raises(NotAllowed):
            client.get(f"{fake_ofsted.base_url}/robots.txt")
    assert sum(fake_ofsted.hits.values()) == 0


# --- each URL's failure recorded, the run goes on ---------------------------------------------------------------

def test_a_redirect_loop_and_broken_gzip_are_that_urls_failures_and_the_run_goes_on(areas, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    loop_a, loop_b = f"/v1/file/{publications[0].file_id}", "/v1/file/elsewhere"
    fake_ofsted.redirects[loop_a] = loop_b
    fake_ofsted.redirects[loop_b] = loop_a
    broken = f"/v1/file/{publications[3].file_id}"
    fake_ofsted.gzip_broken.add(broken)
    result = run(fake_ofsted)
    assert result.status == FetchRun.Status.PARTIAL
    assert result.new_documents == 3  # the other three, fetched after the failures
    reasons = {e["url"]: e["reason"] for e in result.errors}
    assert reasons[fake_ofsted.file_url(publications[0])].startswith("a redirect loop")
    assert "Content-Encoding: gzip but cannot be decoded" in reasons[fake_ofsted.file_url(publications[3])]
    assert fake_ofsted.hits[broken] == 1  # not retried: a broken answer is not transient


# --- a total deadline per request -------------------------------------------------------------------------------

def test_a_server_dripping_bytes_cannot_keep_a_download_alive(areas, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    slow = f"/v1/file/{publications[4].file_id}"
    fake_ofsted.drip[slow] = 0.05  # every byte within the read timeout, the whole file would take minutes
    started = time.monotonic()
    result = run(fake_ofsted, client={"timeout": 0.5, "deadline": 1.0, "retries": 0})
    took = time.monotonic() - started
    assert [e["url"] for e in result.errors] == [fake_ofsted.file_url(publications[4])]
    assert "longer than its 1 s deadline" in result.errors[0]["reason"]
    assert result.new_documents == 4
    assert took < 30, f"the run took {took:.0f} s"


def test_the_deadline_also_bounds_dripped_headers(fake_ofsted):
    """A server that sends its status line and headers one byte at a time is cut off too."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]

    def drip():
        conn, _ = sock.accept()
        conn.recv(4096)
        try:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200:
                conn.sendall(bytes([byte]))
                time.sleep(0.05)
        except OSError:
            pass
        conn.close()

    threading.Thread(target=drip, daemon=True).start()
    started = time.monotonic()
    with PoliteClient(allowed_origins=[f"http://127.0.0.1:{port}"], delay=0, retries=0, timeout=0.5,
                      deadline=1.0) as client:
        client._robots[("http", "127.0.0.1", port)] = _no_rules()
        with pytest.raises(FetchFailed, match="deadline"):
            client.get(f"http://127.0.0.1:{port}/slow")
    assert time.monotonic() - started < 5
    sock.close()


def _no_rules():
    import urllib.robotparser

    parser = urllib.robotparser.RobotFileParser()
    parser.parse([])
    return parser


# --- an endless listing; a run whose process died ---------------------------------------------------------------

def test_an_endless_listing_is_cut_off_at_what_the_register_makes_plausible(areas, fake_ofsted):
    add_seed_letters(fake_ofsted)
    fake_ofsted.endless = True
    fake_ofsted.page_size = 50
    result = run(fake_ofsted)
    listing_pages = fake_ofsted.hits["/search"]
    assert listing_pages <= 8, f"{listing_pages} listing pages read"
    assert any("The listing did not end" in e["reason"] for e in result.errors)
    assert result.new_documents == 5 and result.status == FetchRun.Status.PARTIAL


def test_a_listing_repeating_its_last_page_ends_there(areas, fake_ofsted):
    from inspections.ingest.sources import ofsted

    add_seed_letters(fake_ofsted)
    original = ofsted.OfstedReportsSource.parse_listing

    def always_next(self, html, *, page_url):  # a site whose "next" link points at a new URL showing the same page
        providers, _ = original(self, html, page_url=page_url)
        return providers, page_url.split("&start=")[0] + f"&start=0&rows=100&n={len(page_url)}"

    ofsted.OfstedReportsSource.parse_listing = always_next
    try:
        result = run(fake_ofsted)
    finally:
        ofsted.OfstedReportsSource.parse_listing = original
    assert fake_ofsted.hits["/search"] == 2
    assert any("names no provider the earlier pages did not" in e["reason"] for e in result.errors)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_run_whose_process_died_is_marked_interrupted_by_beat_and_by_the_next_run(areas, fake_ofsted, client,
                                                                                    django_user_model):
    from django.contrib.auth.models import Permission

    from inspections.ingest.sources.tasks import mark_interrupted_fetch_runs

    host = socket.gethostname()
    dead = FetchRun.objects.create(source="ofsted", base_url=fake_ofsted.base_url, process=f"{host}:{_dead_pid()}",
                                   heartbeat_at=timezone.now(), pages_read=12)
    alive = FetchRun.objects.create(source="ofsted", base_url=fake_ofsted.base_url, process=f"{host}:{os.getpid()}",
                                    heartbeat_at=timezone.now())
    silent = FetchRun.objects.create(source="ofsted", base_url=fake_ofsted.base_url, process="another-host:1",
                                     heartbeat_at=timezone.now() - timedelta(hours=2))
    assert mark_interrupted_fetch_runs.apply().get() == 2  # the beat job
    dead.refresh_from_db(), alive.refresh_from_db(), silent.refresh_from_db()
    assert dead.status == silent.status == FetchRun.Status.INTERRUPTED
    assert "its process" in dead.message and "no sign of life" in silent.message
    assert dead.pages_read == 12 and dead.finished_at is not None
    assert alive.status == FetchRun.Status.RUNNING

    # The next run marks one that died since.
    later = FetchRun.objects.create(source="ofsted", base_url=fake_ofsted.base_url, process=f"{host}:{_dead_pid()}")
    add_seed_letters(fake_ofsted)
    run(fake_ofsted, areas=["E06000001"])
    later.refresh_from_db()
    assert later.status == FetchRun.Status.INTERRUPTED

    user = django_user_model.objects.create_user("ana")
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(user)
    page = client.get(reverse("fetch_run_list")).content.decode()
    assert page.count("<strong>Interrupted</strong>") == 3


def test_interrupted_runs_are_marked_by_beat_every_five_minutes():
    from tests.sources.test_fetch_schedule import beat_schedule

    schedule = beat_schedule()
    assert "mark-interrupted-fetch-runs" in schedule and "300" in schedule["mark-interrupted-fetch-runs"]


def test_a_running_run_saves_its_counts_as_it_goes(areas, fake_ofsted, monkeypatch):
    from inspections.ingest.sources import fetch

    add_seed_letters(fake_ofsted)
    monkeypatch.setattr(fetch, "HEARTBEAT_SECONDS", 0.0)
    seen = []
    original = fetch._read_provider

    def spy(*args, **kwargs):
        original(*args, **kwargs)
        current = FetchRun.objects.get(status=FetchRun.Status.RUNNING)
        seen.append((current.pages_read, current.heartbeat_at))

    monkeypatch.setattr(fetch, "_read_provider", spy)
    run(fake_ofsted)
    assert seen[-1][0] > seen[0][0] > 0, "the running row's counts stayed at zero"


def test_a_page_the_parser_cannot_take_is_that_pages_failure(areas, fake_ofsted, monkeypatch):
    from inspections.ingest.sources import ofsted

    add_seed_letters(fake_ofsted)
    original = ofsted.OfstedReportsSource.parse_provider_page
    hostile = f"/provider/44/{areas['E06000002'].ofsted_urn}"

    def fragile(self, html, *, page_url):
        if page_url.endswith(hostile):
            raise RecursionError("maximum recursion depth exceeded")
        return original(self, html, page_url=page_url)

    monkeypatch.setattr(ofsted.OfstedReportsSource, "parse_provider_page", fragile)
    result = run(fake_ofsted)
    assert result.status == FetchRun.Status.PARTIAL and result.new_documents == 4
    assert [e["reason"] for e in result.errors] == [
        "the page could not be parsed (RecursionError: maximum recursion depth exceeded)"]
