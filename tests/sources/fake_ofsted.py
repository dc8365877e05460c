"""A local imitation of the Ofsted reports site, served by a real HTTP server on 127.0.0.1 (http.server in a
thread), in the structure public scrapers of the real site rely on (see inspections/ingest/sources/ofsted.py):

- `/robots.txt` (settable: `site.robots`);
- `/search?...&start=N&rows=M`: the local-authority listing, `ul.results-list > li > h3 > a[href=/provider/44/<URN>]`,
  `site.page_size` providers a page, `a.pagination__next` to the next page;
- `/provider/44/<URN>`: `ol.timeline > li.timeline__day > a.publication-link[href=<base>/v1/file/<id>]` with
  `span.nonvisual` "<kind>, pdf - <d Month yyyy>" (set `site.layout = "changed"` for a redesign without them);
- `/v1/file/<id>`: the files.

Every answer carries an ETag (sha256 of the body) and a Last-Modified (unless `site.cache_headers = False`, as
the live file host is reported to do); If-None-Match / If-Modified-Since get 304. Faults: `site.fail(path, 500,
500)` answers those statuses first; `site.stall(path, seconds, times)` sleeps before answering (a client
timeout); `site.redirects[path] = url` answers 302; `site.gzip_broken.add(path)` sends a body that says
`Content-Encoding: gzip` and is not; `site.drip[path] = seconds` sends the body one byte per `seconds`;
`site.rate_limit(min_interval, status, retry_after)` refuses a request that follows the previous one sooner than
`min_interval`; `site.endless = True` makes the listing go on for ever (always a next page, invented providers);
`site.unlisted` hides URNs from the listing (their pages stay).

Two hosts, like the live site (`FakeOfstedSite(two_hosts=True)`): files are served by a second server on
127.0.0.2 (another port on 127.0.0.1 where that address cannot be bound), with its own robots.txt
(`site.file_robots`; its requests count as "files:/robots.txt" in `hits` and `fail`), and the page host no
longer serves files. `site.hits` and `site.bodies` count requests and 200 answers per path. Reused by the worker
test (fixture `fake_ofsted` in tests/sources/conftest.py).
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
    label_text: str = ""
    href: str = ""  # a link somewhere else than the file host (hostile-site tests)

    @property
    def label(self) -> str:
        return self.label_text or f"{self.kind}, {self.file_format} - {self.published.day} {self.published:%B %Y}"


@dataclass
class FakeProvider:
    urn: str
    name: str
    publications: list[FakePublication] = field(default_factory=list)


class FakeOfstedSite:
    def __init__(self, *, two_hosts: bool = False):
        self.two_hosts = two_hosts
        self.file_robots = "User-agent: *\nDisallow:\n"
        self.cache_headers = True
        self.redirects: dict[str, str] = {}
        self.gzip_broken: set[str] = set()
        self.drip: dict[str, float] = {}
        self.endless = False
        self.unlisted: set[str] = set()
        self.refused = 0
        self._rate: tuple[float, int, str] | None = None
        self._last_request_at: float | None = None
        self._file_server: ThreadingHTTPServer | None = None
        self.providers: dict[str, FakeProvider] = {}
        self.files: dict[int, FakePublication] = {}
        self.robots = "User-agent: *\nDisallow: /admin/\n"
        self.page_size = 100
        self.layout = "ofsted"
        self.requests: list[str] = []  # every path requested, in order
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
                        file_format: str = "pdf", label: str = "") -> FakePublication:
        with self._lock:
            publication = FakePublication(self._next_id, kind, published, content, file_format, label)
            self._next_id += 1
        self.add_provider(urn, name).publications.append(publication)
        self.files[publication.file_id] = publication
        return publication

    def file_url(self, publication: FakePublication) -> str:
        return f"{self.files_base_url}/v1/file/{publication.file_id}"

    @property
    def files_base_url(self) -> str:
        if self._file_server is None:
            return self.base_url
        host, port = self._file_server.server_address[:2]
        return f"http://{host}:{port}"

    def provider_path(self, urn: str) -> str:
        return f"/provider/44/{urn}"

    # faults ----------------------------------------------------------------------------------------------------
    def fail(self, path: str, *statuses: int) -> None:
        self._fail[path].extend(statuses)

    def stall(self, path: str, seconds: float, times: int = 1) -> None:
        self._stall[path].extend([seconds] * times)

    def rate_limit(self, min_interval: float, status: int = 429, retry_after: str = "1") -> None:
        """Refuse (status, Retry-After) any request that comes sooner than `min_interval` after the previous one."""
        self._rate = (min_interval, status, retry_after)

    @property
    def file_downloads(self) -> int:
        """Files sent with a body (200): a run that downloads nothing leaves this unchanged."""
        return sum(n for path, n in self.bodies.items() if path.startswith("/v1/file/"))

    # server ----------------------------------------------------------------------------------------------------
    def start(self) -> "FakeOfstedSite":
        self._server = self._serve("127.0.0.1", files=False)
        if self.two_hosts:
            try:
                self._file_server = self._serve("127.0.0.2", files=True)
            except OSError:  # 127.0.0.2 not bindable here: another port is another origin all the same
                self._file_server = self._serve("127.0.0.1", files=True)
        return self

    def _serve(self, address: str, *, files: bool) -> ThreadingHTTPServer:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def do_GET(self):
                site._handle(self, files_host=files)

        server = ThreadingHTTPServer((address, 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def stop(self) -> None:
        for server in (self._server, self._file_server):
            if server is not None:
                server.shutdown()
                server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _handle(self, request: BaseHTTPRequestHandler, *, files_host: bool = False) -> None:
        parts = urlsplit(request.path)
        path = parts.path
        key = f"files:{path}" if files_host and path == "/robots.txt" else path
        with self._lock:
            self.hits[key] += 1
            self.requests.append(key)
            self.user_agents.add(request.headers.get("User-Agent", ""))
            stall = self._stall[key].pop(0) if self._stall[key] else 0.0
            forced = self._fail[key].popleft() if self._fail[key] else None
            now = time.monotonic()
            refuse = self._rate is not None and self._last_request_at is not None and \
                now - self._last_request_at < self._rate[0]
            self._last_request_at = now
            if refuse:
                self.refused += 1
        if refuse:
            return self._send(request, self._rate[1], b"Too many requests", "text/plain", key, conditional=False,
                              extra={"Retry-After": self._rate[2]})
        if stall:
            time.sleep(stall)
        if forced:
            return self._send(request, forced, b"Server error", "text/plain", key, conditional=False)
        if path in self.redirects:
            return self._send(request, 302, b"", "text/plain", key, conditional=False,
                              extra={"Location": self.redirects[path]})
        if path == "/robots.txt":
            return self._send(request, 200, (self.file_robots if files_host else self.robots).encode(), "text/plain", key)
        if files_host != path.startswith("/v1/file/") and self.two_hosts:
            return self._send(request, 404, b"Not found", "text/plain", path, conditional=False)
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

    def _send(self, request, status: int, body: bytes, content_type: str, path: str, *, conditional: bool = True,
              extra: dict[str, str] | None = None):
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        conditional = conditional and self.cache_headers
        if path in self.gzip_broken and status == 200:
            body = b"PK not gzip at all" + body[:64]  # says gzip, is not: decoding fails at the header
            extra = {**(extra or {}), "Content-Encoding": "gzip"}
        if conditional and status == 200 and _not_modified(request.headers, etag):
            request.send_response(304)
            request.send_header("ETag", etag)
            request.send_header("Last-Modified", LAST_MODIFIED)
            request.end_headers()
            return
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            request.send_header(name, value)
        if conditional and status == 200:
            request.send_header("ETag", etag)
            request.send_header("Last-Modified", LAST_MODIFIED)
        if status == 200:
            with self._lock:
                self.bodies[path] += 1
        request.end_headers()
        try:
            if path in self.drip and status == 200:
                for index in range(len(body)):
                    request.wfile.write(body[index:index + 1])
                    request.wfile.flush()
                    time.sleep(self.drip[path])
            else:
                request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    def _listing(self, query: dict[str, list[str]]) -> str:
        start = int((query.get("start") or ["0"])[0] or 0)
        rows = min(int((query.get("rows") or ["100"])[0] or 100), self.page_size)
        providers = sorted((p for p in self.providers.values() if p.urn not in self.unlisted), key=lambda p: p.name)
        if self.endless:  # always one more page, of providers nobody has heard of
            providers = providers + [FakeProvider(str(9_000_000 + n), f"Invented provider {n}")
                                     for n in range(max(0, start + rows + 1 - len(providers)))]
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
                link = f'<a class="report-download govuk-link" href="{p.href or self.file_url(p)}">{html.escape(p.kind)} ({p.published})</a>'
            else:
                link = (f'<a class="publication-link" href="{p.href or self.file_url(p)}" target="_blank">{html.escape(p.kind)}'
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
