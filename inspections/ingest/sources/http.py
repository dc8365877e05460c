"""A polite HTTP client shared by every source: one request at a time, a delay between requests, an honest
User-Agent, robots.txt, conditional requests, and retries with backoff for timeouts and 5xx only.

httpx rather than requests: its timeouts are explicit per phase (connect/read) and always on (requests waits
for ever unless every call passes one), `httpx.TimeoutException` is one class to retry on, and its streaming
API lets a download stop at the size limit. It is used synchronously; nothing here is async.

Retries: a timeout or a 5xx answer is retried `retries` times after `backoff`, 2×backoff, 4×backoff… seconds
(a `Retry-After` in seconds is honoured when it is longer). A 4xx, a refused connection or a bad URL is not
retried: repeating it would only add load. After the last attempt `FetchFailed` carries the reason.

robots.txt (RFC 9309): read once per origin; a 4xx means "no rules" (allowed), a 5xx or a timeout after the
retries means "assume disallowed" for that origin, as the RFC says.
"""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)

ROBOTS_AGENT = "sendtracker"


class FetchFailed(Exception):
    """A URL could not be read: the reason in plain words (status, timeout, size)."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class RobotsDisallowed(FetchFailed):
    """robots.txt forbids this URL for sendtracker; it was not requested."""


@dataclass(frozen=True)
class Fetched:
    """One answer. `status` is 200 or 304 (then `content` is b'' and the caller's copy is current);
    `etag`/`last_modified` are the validators to send next time ('' when the server gave none);
    `attempts` counts requests made (retries included)."""

    url: str
    status: int
    content: bytes
    etag: str
    last_modified: str
    attempts: int


def user_agent(contact: str) -> str:
    """'sendtracker/1 (+contact)': names the tool and how to reach whoever runs it."""
    return f"{ROBOTS_AGENT}/1 (local area SEND inspection tracker; +{contact or 'no contact configured'})"


class PoliteClient:
    """Synchronous, one request at a time. `sleep` and `clock` are injectable for tests of the timing."""

    def __init__(
        self, *, contact: str = "", delay: float = 2.0, timeout: float = 30.0, retries: int = 3,
        backoff: float = 5.0, max_bytes: int = 50 * 1024 * 1024,
        sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
    ):
        self.delay = delay
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self.requests_made = 0
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(contact)}, timeout=httpx.Timeout(timeout),
            follow_redirects=True, max_redirects=5,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "PoliteClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # robots.txt -----------------------------------------------------------------------------------------------
    def refusal(self, url: str) -> str:
        """'' when robots.txt lets sendtracker fetch `url`; otherwise why not."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, str):
            return f"robots.txt of {origin} could not be read ({rules}); the site is treated as disallowed"
        return "" if rules.can_fetch(ROBOTS_AGENT, url) else "robots.txt disallows it for sendtracker; not requested"

    def allowed(self, url: str) -> bool:
        return not self.refusal(url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | str:
        """The origin's rules; an empty rule set when it has no robots.txt (4xx); the reason (= disallow all)
        when robots.txt cannot be read (5xx, timeout, no connection): RFC 9309 §2.3.1.3-4."""
        parser = urllib.robotparser.RobotFileParser()
        try:
            answer = self._request(f"{origin}/robots.txt", headers={})
        except FetchFailed as exc:
            if exc.reason.startswith("HTTP 4"):
                parser.parse([])
                return parser
            log.warning("robots.txt of %s unreadable (%s): treating the site as disallowed", origin, exc.reason)
            return exc.reason
        parser.parse(answer.content.decode("utf-8", "replace").splitlines())
        return parser

    # requests -------------------------------------------------------------------------------------------------
    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        """GET `url` (conditional when validators are given). Raises RobotsDisallowed before any request
        when robots.txt forbids it, FetchFailed after the retries."""
        refusal = self.refusal(url)
        if refusal:
            raise RobotsDisallowed(url, refusal)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._request(url, headers=headers)

    def _request(self, url: str, *, headers: dict[str, str]) -> Fetched:
        attempt = 0
        while True:
            attempt += 1
            self._wait_turn()
            retry_after = 0.0
            try:
                self.requests_made += 1
                with self._client.stream("GET", url, headers=headers) as response:
                    if response.status_code == 304:
                        return Fetched(url, 304, b"", _header(response, "ETag"), _header(response, "Last-Modified"), attempt)
                    if response.status_code >= 500:
                        reason = f"HTTP {response.status_code}"
                        retry_after = _retry_after(response)
                    elif response.status_code != 200:
                        raise FetchFailed(url, f"HTTP {response.status_code}")
                    else:
                        content = self._read_capped(response, url)
                        return Fetched(url, 200, content, _header(response, "ETag"),
                                       _header(response, "Last-Modified"), attempt)
            except httpx.TimeoutException as exc:
                reason = f"timed out ({type(exc).__name__})"
            except httpx.TransportError as exc:  # refused, DNS, TLS: not transient in a way a retry fixes soon
                raise FetchFailed(url, f"could not connect ({exc})") from exc
            except httpx.InvalidURL as exc:
                raise FetchFailed(url, f"not a valid URL ({exc})") from exc
            finally:
                self._last_request = self._clock()
            if attempt > self.retries:
                raise FetchFailed(url, f"{reason}, {attempt} attempts")
            pause = max(self.backoff * 2 ** (attempt - 1), retry_after)
            log.info("%s: %s; retrying in %.1f s", url, reason, pause)
            self._sleep(pause)

    def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchFailed(url, f"larger than the limit of {self.max_bytes:,} bytes; download stopped")
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


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return min(float(value), 300.0)  # an HTTP-date form is ignored; never wait more than 5 minutes
    except ValueError:
        return 0.0
