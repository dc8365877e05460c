"""A polite, guarded HTTP client shared by every source: one request at a time, a delay between requests, an
honest User-Agent, robots.txt, conditional requests, retries with backoff — and it cannot be turned against us.

httpx rather than requests: its timeouts are explicit per phase (connect/read) and always on (requests waits
for ever unless every call passes one), `httpx.TimeoutException` is one class to retry on, its streaming API lets
a download stop at the size limit, and httpcore (under it) takes a network backend, which is where the address
check and the total deadline below live. It is used synchronously; nothing here is async.

Guards (a listing or link on the site decides where we connect, so the site must not be able to send us elsewhere):

- **Allow-list.** Only the origins the caller allows (`allowed_origins`, or `restrict_to()`: the configured site
  and its file host) are requested — scheme, host and port, checked before the first request and again for
  every redirect, which is followed here one hop at a time (at most `max_redirects`; a loop is named as one).
  Every origin has its own robots.txt, read before its first request.
- **Addresses.** A host is resolved here and the connection is made to the address that was checked (no second
  look-up an attacker's DNS could answer differently). Private, loopback, link-local and other non-global
  addresses are refused unless the allowed origin itself names such an address (the tests' 127.0.0.1).
- **Deadline.** Each request has a total deadline (`deadline`, default 4 × `timeout`): every socket read and write
  waits at most what is left of it, so a server dripping one byte a second cannot keep a download alive (the
  per-read timeout alone would let it).
- **Broken answers** (a broken `Content-Encoding: gzip`, a malformed response) are `FetchFailed` for that URL,
  like any other failure: the caller records it and goes on.

Retries: a timeout or a 5xx answer is retried `retries` times after `backoff`, 2×backoff, 4×backoff… seconds
(a longer `Retry-After` is honoured). **Rate limiting**: a 429 or 403 (the Ofsted site answers either when it
rate-limits) is retried after its `Retry-After` (seconds or an HTTP date; else the backoff), and the client
slows down for the rest of its life (the delay doubles, at least to 1 s, at most 60 s). The waits for rate
limits are bounded in all (`rate_limit_budget` seconds per client): past it, or after `retries` refusals of one
URL, `RateLimited` tells the caller to stop and record where to resume. Other 4xx, a refused connection or a bad
URL are not retried: repeating them would only add load.

robots.txt (RFC 9309): read once per origin; a 4xx means "no rules" (allowed); a 5xx, a timeout or a rate-limit
answer means "assume disallowed for now" (`RobotsUnreachable`: the caller defers those URLs to the next run).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
import typing
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

log = logging.getLogger(__name__)

ROBOTS_AGENT = "sendtracker"
RATE_LIMIT_STATUSES = {403, 429}
MAX_DELAY = 60.0
MAX_SINGLE_WAIT = 300.0  # no single Retry-After makes us wait longer than 5 minutes


class FetchFailed(Exception):
    """A URL could not be read: the reason in plain words (status, timeout, size)."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class RobotsDisallowed(FetchFailed):
    """robots.txt forbids this URL for sendtracker; it was not requested."""


class RobotsUnreachable(RobotsDisallowed):
    """The origin's robots.txt answered 5xx, timed out or rate-limited us: RFC 9309 says assume disallowed for
    now. `origin` and `answer` ("answered HTTP 503", "timed out") let the caller say so and defer the URL."""

    def __init__(self, url: str, reason: str, *, origin: str, answer: str):
        super().__init__(url, reason)
        self.origin = origin
        self.answer = answer


class NotAllowed(FetchFailed):
    """The URL's origin is not on the allow-list, or its host resolves to an address we never connect to."""


class RateLimited(FetchFailed):
    """The site kept refusing with 403/429 past the bounded wait: stop the run and resume later."""


@dataclass(frozen=True)
class Fetched:
    """One answer. `status` is 200 or 304 (then `content` is b'' and the caller's copy is current);
    `etag`/`last_modified` are the validators to send next time ('' when the server gave none);
    `attempts` counts requests made (retries included); `url` is where the answer came from (after redirects)."""

    url: str
    status: int
    content: bytes
    etag: str
    last_modified: str
    attempts: int


def user_agent(contact: str) -> str:
    """'sendtracker/1 (+contact)': names the tool and how to reach whoever runs it."""
    return f"{ROBOTS_AGENT}/1 (local area SEND inspection tracker; +{contact or 'no contact configured'})"


def origin_of(url: str) -> tuple[str, str, int]:
    """('https', 'files.ofsted.gov.uk', 443): what the allow-list compares. ValueError for a URL without a host."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL with a host: {url!r}")
    return scheme, parts.hostname.lower(), parts.port or (443 if scheme == "https" else 80)


def _origin_text(origin: tuple[str, str, int]) -> str:
    scheme, host, port = origin
    default = 443 if scheme == "https" else 80
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" + ("" if port == default else f":{port}")


def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"the name {host} could not be resolved ({exc})") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


class AddressRefused(httpcore.ConnectError):
    """The host resolves to an address the client does not connect to."""


class _GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with the two guards that must sit at the socket: the address check (on the
    address actually connected to) and the request's total deadline (every read and write waits at most what is
    left of it)."""

    def __init__(self, client: "PoliteClient"):
        self._client = client
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: typing.Iterable | None = None) -> httpcore.NetworkStream:
        addresses = _resolve(host, port)
        private_ok = (host.lower(), port) in self._client._private_ok
        usable = [a for a in addresses if private_ok or not _is_private(a)]
        if not usable:
            raise AddressRefused(
                f"{host} resolves to {', '.join(addresses)}: a private, loopback or link-local address, "
                "which the fetcher never connects to"
            )
        error: Exception | None = None
        for address in usable:  # e.g. an IPv6 address first that this machine cannot route: try the next
            try:
                stream = self._inner.connect_tcp(address, port, timeout=self._client._left(timeout),
                                                 local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self._client)
        raise error

    def connect_unix_socket(self, path, timeout=None, socket_options=None):  # never used: no unix sockets
        raise AddressRefused("unix sockets are not used by the fetcher")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, client: "PoliteClient"):
        self._inner = inner
        self._client = client

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._client._left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._client._left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, self._client._left(timeout)),
                               self._client)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _DeadlinePassed(Exception):
    pass


class PoliteClient:
    """Synchronous, one request at a time. `sleep` and `clock` are injectable for tests of the timing.

    allowed_origins: the only origins requested (URLs; their scheme, host and port count). Empty: nothing is
    requested until `restrict_to()` is called (the fetch service calls it with the source's origins)."""

    def __init__(
        self, *, allowed_origins: Iterable[str] = (), contact: str = "", delay: float = 2.0, timeout: float = 30.0,
        deadline: float | None = None, retries: int = 3, backoff: float = 5.0, max_bytes: int = 50 * 1024 * 1024,
        max_redirects: int = 5, rate_limit_budget: float = 600.0,
        sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
    ):
        self.delay = delay
        self.initial_delay = delay
        self.timeout = timeout
        self.deadline = deadline if deadline is not None else 4 * timeout
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.rate_limit_budget = rate_limit_budget
        self.rate_limit_waited = 0.0
        self.rate_limited = 0  # 403/429 answers seen
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None
        self._robots: dict[tuple, urllib.robotparser.RobotFileParser | RobotsUnreachable] = {}
        self._allowed: set[tuple[str, str, int]] = set()
        self._private_ok: set[tuple[str, int]] = set()
        self._request_deadline: float | None = None  # time.monotonic() value; real time, whatever `clock` is
        self.requests_made = 0
        self.restrict_to(allowed_origins)
        transport = httpx.HTTPTransport()
        transport._pool._network_backend = _GuardedBackend(self)  # httpx has no public way to pass one
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(contact)}, timeout=httpx.Timeout(timeout), follow_redirects=False,
            transport=transport,
        )

    def restrict_to(self, origins: Iterable[str]) -> None:
        """Allow these origins (URLs) in addition to those already allowed. An origin naming a private or
        loopback address (or a name resolving to one, e.g. localhost) may be connected to at that address."""
        for url in origins:
            origin = origin_of(url)
            self._allowed.add(origin)
            _, host, port = origin
            try:
                if any(_is_private(a) for a in _resolve(host, port)):
                    self._private_ok.add((host, port))
            except httpcore.ConnectError:
                pass  # unresolvable now: its requests fail with the reason then

    @property
    def allowed_origins(self) -> list[str]:
        return sorted(_origin_text(o) for o in self._allowed)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "PoliteClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # guards ---------------------------------------------------------------------------------------------------
    def _check_allowed(self, url: str) -> tuple[str, str, int]:
        try:
            origin = origin_of(url)
        except ValueError as exc:
            raise NotAllowed(url, f"not requested: {exc}") from exc
        if origin not in self._allowed:
            allowed = ", ".join(self.allowed_origins) or "none"
            raise NotAllowed(url, f"not requested: {_origin_text(origin)} is not one of the sites the fetcher "
                                  f"reads ({allowed})")
        return origin

    def _left(self, timeout: float | None) -> float | None:
        """The socket timeout for the next read/write: the phase timeout, capped by what is left of the deadline."""
        if self._request_deadline is None:
            return timeout
        left = self._request_deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the request's total deadline passed")
        return left if timeout is None else min(timeout, left)

    # robots.txt -----------------------------------------------------------------------------------------------
    def refusal(self, url: str) -> str:
        """'' when the allow-list and robots.txt let sendtracker fetch `url`; otherwise why not."""
        try:
            self._check_robots(url)
        except FetchFailed as exc:
            return exc.reason
        return ""

    def allowed(self, url: str) -> bool:
        return not self.refusal(url)

    def _check_robots(self, url: str) -> None:
        origin = self._check_allowed(url)
        if origin not in self._robots:
            try:
                self._robots[origin] = self._read_robots(origin)
            except NotAllowed as exc:
                raise NotAllowed(url, exc.reason) from exc
        rules = self._robots[origin]
        if isinstance(rules, RobotsUnreachable):
            raise RobotsUnreachable(url, rules.reason, origin=rules.origin, answer=rules.answer)
        if not rules.can_fetch(ROBOTS_AGENT, url):
            raise RobotsDisallowed(url, "robots.txt disallows it for sendtracker; not requested")

    def _read_robots(self, origin: tuple) -> urllib.robotparser.RobotFileParser | RobotsUnreachable:
        """The origin's rules; an empty rule set when it has no robots.txt (4xx); RobotsUnreachable (= disallow
        all for now) when robots.txt cannot be read (5xx, timeout, rate-limited, no connection): RFC 9309
        §2.3.1.3-4."""
        text = _origin_text(origin)
        parser = urllib.robotparser.RobotFileParser()
        try:
            answer = self._follow(f"{text}/robots.txt", headers={}, robots=False)
        except NotAllowed:
            raise  # not a robots.txt problem: the origin itself is refused (an address we never connect to)
        except FetchFailed as exc:
            if exc.reason.startswith("HTTP 4") and not isinstance(exc, RateLimited):
                parser.parse([])
                return parser
            log.warning("robots.txt of %s unreadable (%s): treating the site as disallowed", text, exc.reason)
            answer_words = f"answered {exc.reason}" if exc.reason.startswith("HTTP") else exc.reason
            return RobotsUnreachable(
                f"{text}/robots.txt",
                f"robots.txt of {text} could not be read ({exc.reason}); the site is treated as disallowed for now",
                origin=text, answer=answer_words,
            )
        parser.parse(answer.content.decode("utf-8", "replace").splitlines())
        return parser

    # requests -------------------------------------------------------------------------------------------------
    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        """GET `url` (conditional when validators are given). Raises NotAllowed or RobotsDisallowed before any
        request when the allow-list or robots.txt forbids it (also for a redirect's target), RateLimited when the
        site kept refusing past the bounded wait, FetchFailed after the retries or for a broken answer."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, headers=headers, robots=True)

    def _follow(self, url: str, *, headers: dict[str, str], robots: bool) -> Fetched:
        """One GET with its redirects, each hop checked against the allow-list (and robots.txt)."""
        chain = [url]
        current = url
        while True:
            if robots:
                self._check_robots(current)
            else:
                self._check_allowed(current)
            answer = self._request(current, headers=headers)
            if isinstance(answer, Fetched):
                return answer
            target = urljoin(current, answer)
            if target in chain:
                raise FetchFailed(url, "a redirect loop (" + " → ".join(chain + [target]) + ")")
            if len(chain) > self.max_redirects:
                raise FetchFailed(url, f"more than {self.max_redirects} redirects; stopped at {target}")
            chain.append(target)
            current = target

    def _request(self, url: str, *, headers: dict[str, str]) -> Fetched | str:
        """The answer, or a redirect's Location (str). Retries 5xx/timeouts; waits out 403/429."""
        attempt = 0
        while True:
            attempt += 1
            self._wait_turn()
            retry_after = None
            rate_limited = False
            encoding = ""
            try:
                self.requests_made += 1
                self._request_deadline = time.monotonic() + self.deadline
                with self._client.stream("GET", url, headers=headers) as response:
                    status = response.status_code
                    encoding = response.headers.get("Content-Encoding", "")
                    if status == 304:
                        return Fetched(url, 304, b"", _header(response, "ETag"), _header(response, "Last-Modified"), attempt)
                    if status in (301, 302, 303, 307, 308):
                        location = response.headers.get("Location", "")
                        if not location:
                            raise FetchFailed(url, f"HTTP {status} without a Location")
                        return location
                    if status >= 500:
                        reason = f"HTTP {status}"
                        retry_after = _retry_after(response)
                    elif status in RATE_LIMIT_STATUSES:
                        reason = f"HTTP {status}"
                        retry_after = _retry_after(response)
                        rate_limited = True
                    elif status != 200:
                        raise FetchFailed(url, f"HTTP {status}")
                    else:
                        content = self._read_capped(response, url)
                        return Fetched(url, 200, content, _header(response, "ETag"),
                                       _header(response, "Last-Modified"), attempt)
            except _DeadlinePassed:
                reason = f"timed out (the whole request took longer than its {self.deadline:g} s deadline)"
            except httpx.TimeoutException as exc:
                if self._request_deadline is not None and time.monotonic() >= self._request_deadline:
                    reason = f"timed out (the whole request took longer than its {self.deadline:g} s deadline)"
                else:
                    reason = f"timed out ({type(exc).__name__})"
            except httpx.DecodingError as exc:  # e.g. a broken Content-Encoding: gzip
                raise FetchFailed(url, f"the answer's body is broken: it says Content-Encoding: {encoding or '?'} "
                                      f"but cannot be decoded ({exc})") from exc
            except httpx.ConnectError as exc:
                if isinstance(exc.__cause__, AddressRefused) or "never connects to" in str(exc):
                    raise NotAllowed(url, f"not requested: {exc}") from exc
                raise FetchFailed(url, f"could not connect ({exc})") from exc
            except httpx.TransportError as exc:  # a malformed answer, a dropped connection: not retried
                raise FetchFailed(url, f"the answer was broken ({type(exc).__name__}: {exc})") from exc
            except httpx.InvalidURL as exc:
                raise FetchFailed(url, f"not a valid URL ({exc})") from exc
            except httpx.HTTPError as exc:
                raise FetchFailed(url, f"the request failed ({type(exc).__name__}: {exc})") from exc
            finally:
                self._request_deadline = None
                self._last_request = self._clock()
            if rate_limited:
                self._slow_down(retry_after)
                pause = min(max(retry_after or 0.0, self.backoff * 2 ** (attempt - 1)), MAX_SINGLE_WAIT)
                if attempt > self.retries or self.rate_limit_waited + pause > self.rate_limit_budget:
                    raise RateLimited(url, f"{reason}: the site kept refusing after {self.rate_limit_waited:.0f} s "
                                           f"of waiting in all ({attempt} attempts)")
                self.rate_limit_waited += pause
                log.info("%s: %s (rate limited); waiting %.1f s, delay now %.1f s", url, reason, pause, self.delay)
                self._sleep(pause)
                continue
            if attempt > self.retries:
                raise FetchFailed(url, f"{reason}, {attempt} attempts")
            pause = min(max(self.backoff * 2 ** (attempt - 1), retry_after or 0.0), MAX_SINGLE_WAIT)
            log.info("%s: %s; retrying in %.1f s", url, reason, pause)
            self._sleep(pause)

    def _slow_down(self, retry_after: float | None) -> None:
        """After a rate-limit answer: twice the delay (at least 1 s, at most a minute) for the rest of the run."""
        self.rate_limited += 1
        self.delay = min(max(self.delay * 2, 1.0), MAX_DELAY)

    def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchFailed(url, f"larger than the limit of {self.max_bytes:,} bytes; download stopped")
            if self._request_deadline is not None and time.monotonic() > self._request_deadline:
                raise _DeadlinePassed()
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_turn(self) -> None:
        """At least `delay` seconds between the end of one request and the start of the next."""
        if self._last_request is None:
            return
        remaining = self.delay - (self._clock() - self._last_request)
        if remaining > 0:
            self._sleep(remaining)


def _header(response: httpx.Response, name: str) -> str:
    return (response.headers.get(name) or "")[:255]


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (a number, or an HTTP date from now); None when absent or unreadable."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
