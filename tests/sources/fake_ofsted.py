"""A local imitation of the Ofsted reports site, served by a real HTTP server on 127.0.0.1 (http.server in a
thread), in the structure public scrapers of the real site rely on (see inspections/ingest/sources/ofsted.py):

- `/robots.txt` (settable: `site.robots`);
- `/search?...&start=N&rows=M`: the local-authority listing, `ul.results-list > li > h3 > a[href=/provider/44/<URN>]`,
  `site.page_size` providers a page, `a.pagination__next` to the next page;
- `/provider/44/<URN>`: `ol.timeline > li.timeline__day > a.publication-link[href=<base>/v1/file/<id>]` with
  `span.nonvisual` "<kind>, pdf - <d Month yyyy>" (set `site.layout = "changed"` for a redesign without them);
- `/v1/file/<id>`: the files.

Every answer carries an ETag (sha256 of the body) and a Last-Modified; If-None-Match / If-Modified-Since get
304. Faults: `site.fail(path, 500, 500)` answers those statuses first; `site.stall(path, seconds, times)`
sleeps before answering (a client timeout). `site.hits` and `site.bodies` count requests and 200 answers per
path. Reused by the worker test (fixture `fake_ofsted` in tests/sources/conftest.py).
"""

from __future__ import annotations

import hashlib
import html
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import date
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from datetime import datetime, timezone

LAST_MODIFIED = format_datetime(datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc), usegmt=True)


@dataclass
class FakePublication:
    file_id: int
    kind: str
    published: date
    content: bytes
    file_format: str = "pdf"

    @property
    def label(self) -> str:
        return f"{self.kind}, {self.file_format} - {self.published.day} {self.published:%B %Y}"


@dataclass
class FakeProvider:
    urn: str
    name: str
    publications: list[FakePublication] = field(default_factory=list)


class FakeOfstedSite:
    def __init__(self):
        self.providers: dict[str, FakeProvider] = {}
        self.files: dict[int, FakePublication] = {}
        self.robots = "User-agent: *\nDisallow: /admin/\n"
        self.page_size = 100
        self.layout = "ofsted"
        self.hits: Counter[str] = Counter()
        self.bodies: Counter[str] = Counter()
        self.user_agents: set[str] = set()
        self._fail: dict[str, deque[int]] = defaultdict(deque)
        self._stall: dict[str, list[float]] = defaultdict(list)
        self._next_id = 50_000_001
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # content ---------------------------------------------------------------------------------------------------
    def add_provider(self, urn: str, name: str) -> FakeProvider:
        return self.providers.setdefault(str(urn), FakeProvider(str(urn), name))

    def add_publication(self, urn: str, name: str, *, kind: str, published: date, content: bytes,
                        file_format: str = "pdf") -> FakePublication:
        with self._lock:
            publication = FakePublication(self._next_id, kind, published, content, file_format)
            self._next_id += 1
        self.add_provider(urn, name).publications.append(publication)
        self.files[publication.file_id] = publication
        return publication

    def file_url(self, publication: FakePublication) -> str:
        return f"{self.base_url}/v1/file/{publication.file_id}"

    def provider_path(self, urn: str) -> str:
        return f"/provider/44/{urn}"

    # faults ----------------------------------------------------------------------------------------------------
    def fail(self, path: str, *statuses: int) -> None:
        self._fail[path].extend(statuses)

    def stall(self, path: str, seconds: float, times: int = 1) -> None:
        self._stall[path].extend([seconds] * times)

    @property
    def file_downloads(self) -> int:
        """Files sent with a body (200): a run that downloads nothing leaves this unchanged."""
        return sum(n for path, n in self.bodies.items() if path.startswith("/v1/file/"))

    # server ----------------------------------------------------------------------------------------------------
    def start(self) -> "FakeOfstedSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def do_GET(self):
                site._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        path = parts.path
        with self._lock:
            self.hits[path] += 1
            self.user_agents.add(request.headers.get("User-Agent", ""))
            stall = self._stall[path].pop(0) if self._stall[path] else 0.0
            forced = self._fail[path].popleft() if self._fail[path] else None
        if stall:
            time.sleep(stall)
        if forced:
            return self._send(request, forced, b"Server error", "text/plain", path, conditional=False)
        if path == "/robots.txt":
            return self._send(request, 200, self.robots.encode(), "text/plain", path)
        if path == "/search":
            return self._send(request, 200, self._listing(parse_qs(parts.query)).encode(), "text/html", path)
        if path.startswith("/provider/"):
            provider = self.providers.get(path.rstrip("/").rsplit("/", 1)[-1])
            if provider is not None:
                return self._send(request, 200, self._provider_page(provider).encode(), "text/html", path)
        if path.startswith("/v1/file/"):
            tail = path.rsplit("/", 1)[-1]
            publication = self.files.get(int(tail)) if tail.isdigit() else None
            if publication is not None:
                return self._send(request, 200, publication.content, "application/pdf", path)
        return self._send(request, 404, b"Not found", "text/plain", path, conditional=False)

    def _send(self, request, status: int, body: bytes, content_type: str, path: str, *, conditional: bool = True):
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if conditional and status == 200 and _not_modified(request.headers, etag):
            request.send_response(304)
            request.send_header("ETag", etag)
            request.send_header("Last-Modified", LAST_MODIFIED)
            request.end_headers()
            return
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        if conditional and status == 200:
            request.send_header("ETag", etag)
            request.send_header("Last-Modified", LAST_MODIFIED)
            with self._lock:
                self.bodies[path] += 1
        request.end_headers()
        try:
            request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    def _listing(self, query: dict[str, list[str]]) -> str:
        start = int((query.get("start") or ["0"])[0] or 0)
        rows = min(int((query.get("rows") or ["100"])[0] or 100), self.page_size)
        providers = sorted(self.providers.values(), key=lambda p: p.name)
        page = providers[start:start + rows]
        items = "\n".join(
            f'<li class="search-result"><h3><a href="{self.provider_path(p.urn)}">{html.escape(p.name)}</a></h3>'
            f'<p>Local authority children\'s services</p></li>' for p in page
        )
        nav = ""
        if start + rows < len(providers):
            nav = (f'<a class="pagination__next" href="/search?q=&amp;location=&amp;lat=&amp;lon=&amp;radius=&amp;'
                   f'level_1_types=3&amp;level_2_types%5B%5D=12&amp;start={start + rows}&amp;rows={rows}">Next</a>')
        return (f"<!doctype html><html><body><h1>Search results</h1><p>{len(providers)} results</p>"
                f'<ul class="results-list">{items}</ul><nav class="pagination">{nav}</nav></body></html>')

    def _provider_page(self, provider: FakeProvider) -> str:
        days = []
        for p in sorted(provider.publications, key=lambda p: p.published, reverse=True):
            if self.layout == "changed":  # a redesign: no publication-link class, no nonvisual label
                link = f'<a class="report-download govuk-link" href="{self.file_url(p)}">{html.escape(p.kind)} ({p.published})</a>'
            else:
                link = (f'<a class="publication-link" href="{self.file_url(p)}" target="_blank">{html.escape(p.kind)}'
                        f'<span class="nonvisual">{html.escape(p.label)}</span></a>')
            days.append(f'<li class="timeline__day"><p class="timeline__date">{p.published:%d %B %Y}</p>'
                        f'<div class="event">{link}</div></li>')
        return (f'<!doctype html><html><body><h1 class="heading--title">{html.escape(provider.name)}</h1>'
                f'<p>URN: {provider.urn}</p><ol class="timeline">{"".join(days)}</ol></body></html>')


def _not_modified(headers, etag: str) -> bool:
    match = headers.get("If-None-Match")
    if match:
        return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
    since = headers.get("If-Modified-Since")
    if since:
        try:
            return parsedate_to_datetime(since) >= parsedate_to_datetime(LAST_MODIFIED)
        except (TypeError, ValueError):
            return False
    return False
