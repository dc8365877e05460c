"""Run a report source and record the run: the service behind `manage.py fetch_reports` and the daily beat job.

    listing pages ─> providers matched to LocalArea.ofsted_urn ─> each provider's page ─> SEND publications
    ─> each file (conditional GET) ─> sha256 held? ─> store as a Document (source_url, published_date) ─> queue

Every request goes through `http.PoliteClient` (one at a time, delay, robots.txt, retries). What a URL answered
last time is a `FetchedUrl` row: its ETag/Last-Modified make the next request conditional, so a second run
downloads nothing unchanged (304), and a provider page's publications are kept so a 304 page still lists them.
A file is only remembered once it is stored: a download that failed is tried again by the next run, so an
error loses nothing. New files go through the same store and queue as an upload (pipeline/store.py,
ingest/queue.py): the pipeline's classifier decides what each one is.

The run fails loudly (status 'failed', message "... layout is not recognised ...") when a provider page that
listed publications last time shows none, or when no provider page read shows any publication link at all, or
when neither the listing nor any area's page could be read: a scraper that silently finds nothing is the failure
this guards against. The listing is not a single point of failure: an area it lacks, or every area when it cannot
be used (layout, robots.txt, errors), is read from its page at the register's URN (`source.provider_url`), and
the run says so. A listing that never ends is cut off at what the register makes plausible.

Also recorded on the run: every publication label seen and what was done with it (a label never seen before is
marked new), downloads deferred because a host's robots.txt could not be read (RFC 9309: assume disallowed for
now; the next run tries them, nothing is remembered for them), and where to resume when the site kept
rate-limiting past the bounded wait. A file URL already held is never requested again (Ofsted never reuses a
file id). A run's counts and a heartbeat are saved as it goes; a run whose process died is marked
'interrupted' by beat (`mark_interrupted_fetch_runs`) or by the next run, never left "running".
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from areas.models import LocalArea
from inspections.ingest.queue import document_enqueue_on_commit
from inspections.models import Document, FetchedUrl, FetchRun
from inspections.pipeline.store import document_store

from .base import LayoutNotRecognised, Provider, Publication, ReportSource
from .http import FetchFailed, PoliteClient, RateLimited, RobotsUnreachable, origin_of

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0  # counts and heartbeat saved at most this often while a run goes


class ListingUnusable(Exception):
    """Neither the listing nor any area's page from the register could be read: the run fails with why."""


def default_client(**overrides) -> PoliteClient:
    """A client configured from settings (FETCH_*); keyword arguments override them (tests). It requests nothing
    until `restrict_to` (called by `fetch_reports_run` with the source's origins) or `allowed_origins`."""
    options = dict(
        contact=settings.FETCH_CONTACT, delay=settings.FETCH_DELAY_SECONDS, timeout=settings.FETCH_TIMEOUT_SECONDS,
        deadline=settings.FETCH_DEADLINE_SECONDS, retries=settings.FETCH_RETRIES,
        backoff=settings.FETCH_BACKOFF_SECONDS, max_bytes=settings.MAX_UPLOAD_BYTES,
        rate_limit_budget=settings.FETCH_RATE_LIMIT_BUDGET_SECONDS,
    )
    options.update(overrides)
    if "timeout" in overrides and "deadline" not in overrides:
        options["deadline"] = 4 * options["timeout"]
    return PoliteClient(**options)


def _this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(process: str) -> bool:
    """True when `process` ('host:pid') ran on this host and no longer exists. Another host's: not known here."""
    host, _, pid = process.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def fetch_runs_mark_interrupted(*, now=None) -> int:
    """Mark every 'running' run whose process is gone (same host) or that has shown no sign of life for
    FETCH_STALE_SECONDS as 'interrupted', with the reason. Returns how many. Called by beat every 5 minutes and
    at the start of every run."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.FETCH_STALE_SECONDS)
    marked = 0
    for run in FetchRun.objects.filter(status=FetchRun.Status.RUNNING):
        last = run.heartbeat_at or run.started_at
        gone = _process_gone(run.process)
        if not gone and last >= stale_before:
            continue
        why = ("its process ({}) is gone".format(run.process) if gone
               else f"it showed no sign of life for more than {settings.FETCH_STALE_SECONDS // 60} minutes")
        updated = FetchRun.objects.filter(pk=run.pk, status=FetchRun.Status.RUNNING).update(
            status=FetchRun.Status.INTERRUPTED, finished_at=now,
            message=(f"Interrupted: the run stopped without finishing ({why}; last sign of life "
                     f"{timezone.localtime(last):%d %b %Y %H:%M}). What it stored is kept; the next run fetches "
                     "what it missed."),
        )
        marked += updated
    return marked


@dataclass
class _Tally:
    run: FetchRun | None = None
    pages_read: int = 0
    publications_seen: int = 0
    new_documents: int = 0
    already_held: int = 0
    provider_pages_with_links: int = 0
    provider_pages_read: int = 0
    errors: list[dict] = field(default_factory=list)
    deferred: list[dict] = field(default_factory=list)
    labels: dict[str, dict] = field(default_factory=dict)
    listing_problem: str = ""
    listing_layout: bool = False
    fallback_pages: int = 0
    resume_from: str = ""
    stop_reason: str = ""
    _saved_at: float = 0.0

    def error(self, url: str, reason: str) -> None:
        log.warning("fetch: %s: %s", url, reason)
        self.errors.append({"url": url, "reason": reason})

    def defer(self, exc: RobotsUnreachable) -> None:
        log.warning("fetch: %s deferred: %s", exc.url, exc.reason)
        self.deferred.append({"url": exc.url, "reason": exc.reason, "origin": exc.origin, "answer": exc.answer})

    def label(self, publication: Publication, action: str) -> None:
        key = " ".join(publication.kind.split()) or "(no label)"
        entry = self.labels.setdefault(key, {"label": key, "example": publication.label, "count": 0, "action": action})
        entry["count"] += 1

    def heartbeat(self, *, force: bool = False) -> None:
        """Save the counts so far and a sign of life (at most every HEARTBEAT_SECONDS)."""
        if self.run is None or (not force and time.monotonic() - self._saved_at < HEARTBEAT_SECONDS):
            return
        self._saved_at = time.monotonic()
        FetchRun.objects.filter(pk=self.run.pk, status=FetchRun.Status.RUNNING).update(
            heartbeat_at=timezone.now(), pages_read=self.pages_read, publications_seen=self.publications_seen,
            new_documents=self.new_documents, already_held=self.already_held, errors=self.errors,
        )


def fetch_reports_run(
    *, source: ReportSource, client: PoliteClient, areas: Sequence[str] | None = None, since: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> FetchRun:
    """Run `source` once and return its finished FetchRun (also when it failed: the reason is on the row).

    areas: GSS codes to fetch (default: every LocalArea with an Ofsted URN). since: only publications the site
    dates on or after this day (an undated one is fetched: its date is unknown, not old). progress: called
    with a line per provider, for the command's output. The client is restricted to the source's origins.
    """
    fetch_runs_mark_interrupted()
    client.restrict_to(source.origins())
    previous = FetchRun.objects.filter(source=source.name).exclude(status=FetchRun.Status.RUNNING).first()
    run = FetchRun.objects.create(
        source=source.name, base_url=source.base_url, process=_this_process(), heartbeat_at=timezone.now(),
        options={"areas": list(areas or []), "since": since.isoformat() if since else None},
    )
    tally = _Tally(run=run)
    status, message, kind = FetchRun.Status.SUCCEEDED, "", FetchRun.Failure.NONE
    try:
        _run(source=source, client=client, areas=areas, since=since, tally=tally,
             resume=previous.resume_from if previous else "", progress=progress or (lambda _: None))
    except LayoutNotRecognised as exc:
        status, message, kind = FetchRun.Status.FAILED, str(exc), FetchRun.Failure.LAYOUT
    except ListingUnusable as exc:
        status, message = FetchRun.Status.FAILED, str(exc)
        kind = FetchRun.Failure.LAYOUT if tally.listing_layout else FetchRun.Failure.UNREACHABLE
    except RateLimited as exc:  # on the listing itself
        status, message, kind = FetchRun.Status.FAILED, f"The site kept refusing requests: {exc.reason} ({exc.url}).", \
            FetchRun.Failure.RATE_LIMITED
    except BaseException as exc:  # recorded, then re-raised: a run must never stay 'running'
        _finish(run, tally, client, FetchRun.Status.FAILED, f"Unexpected error: {type(exc).__name__}: {exc}",
                FetchRun.Failure.NONE, previous)
        raise
    if status == FetchRun.Status.SUCCEEDED:
        notes = []
        if tally.listing_problem:
            kind = FetchRun.Failure.LISTING
            notes.append(f"{tally.listing_problem.rstrip('.')}; every area's page was read from the register's "
                         f"URNs instead ({tally.fallback_pages} pages).")
        if tally.stop_reason:
            kind = FetchRun.Failure.RATE_LIMITED
            notes.append(tally.stop_reason)
        notes += _deferral_sentences(tally, source)
        if tally.errors:
            notes.append(f"{len(tally.errors)} URL(s) could not be read; they will be tried again next run.")
        if notes:
            status, message = FetchRun.Status.PARTIAL, " ".join(notes)
    _finish(run, tally, client, status, message, kind, previous)
    if status == FetchRun.Status.FAILED:
        log.error("fetch run #%s failed: %s", run.pk, message)
    return run


def _deferral_sentences(tally: _Tally, source: ReportSource) -> list[str]:
    """'The file host's robots.txt (https://files…) answered HTTP 503; 29 downloads deferred to the next run.'"""
    by_origin: dict[str, list[dict]] = {}
    for item in tally.deferred:
        by_origin.setdefault(item["origin"], []).append(item)
    site = origin_of(source.base_url)
    sentences = []
    for origin, items in by_origin.items():
        whose = "The site's" if origin_of(origin) == site else "The file host's"
        sentences.append(f"{whose} robots.txt ({origin}) {items[0]['answer']}: by RFC 9309 it is treated as "
                         f"disallowing everything for now; {len(items)} download{'s' if len(items) != 1 else ''} "
                         "deferred to the next run.")
    return sentences


def _finish(run: FetchRun, tally: _Tally, client: PoliteClient, status: str, message: str, kind: str,
            previous: FetchRun | None) -> None:
    if client.rate_limited and status != FetchRun.Status.FAILED:
        note = (f"The site asked us to slow down {client.rate_limited} time(s) (HTTP 403/429); the run waited "
                f"{client.rate_limit_waited:.0f} s for it and went on with {client.delay:g} s between requests.")
        message = f"{message} {note}".strip()
    known = {entry["label"] for entry in (previous.labels if previous else [])}
    labels = sorted(tally.labels.values(), key=lambda e: (e["action"] != "fetched", e["label"].lower()))
    for entry in labels:
        entry["new"] = bool(previous and previous.labels) and entry["label"] not in known
    run.status = status
    run.message = message
    run.failure_kind = kind
    run.finished_at = timezone.now()
    run.heartbeat_at = run.finished_at
    run.pages_read = tally.pages_read
    run.publications_seen = tally.publications_seen
    run.new_documents = tally.new_documents
    run.already_held = tally.already_held
    run.errors = tally.errors
    run.deferred = tally.deferred
    run.labels = labels
    run.resume_from = tally.resume_from
    run.save()


def _plausible_providers() -> int:
    """How many providers a listing may plausibly hold: the register's areas with a URN, with room to spare
    (new unitary authorities appear a few at a time). Anything beyond is a listing that does not end."""
    return math.ceil(LocalArea.objects.exclude(ofsted_urn="").count() * 1.25) + 10


def _run(*, source, client, areas, since, tally: _Tally, resume: str, progress) -> None:
    wanted_areas = LocalArea.objects.exclude(ofsted_urn="")
    if areas:
        wanted_areas = wanted_areas.filter(gss_code__in=list(areas))
        unknown = sorted(set(areas) - set(wanted_areas.values_list("gss_code", flat=True)))
        for gss in unknown:
            tally.error(gss, "no local area with this GSS code and an Ofsted URN in the register")
    by_urn = {area.ofsted_urn: area for area in wanted_areas}
    try:
        providers = _read_listing(source, client, tally, plausible=_plausible_providers())
    except RateLimited:
        raise
    except LayoutNotRecognised as exc:
        tally.listing_problem, tally.listing_layout, providers = str(exc), True, []
    except FetchFailed as exc:
        tally.listing_problem, providers = f"The provider listing could not be read: {exc.reason} ({exc.url}).", []
    except Exception as exc:  # hostile markup the parser cannot take: the register's URNs still work
        tally.listing_problem = f"The provider listing could not be parsed ({type(exc).__name__}: {exc})."
        tally.listing_layout, providers = True, []
    to_read = _providers_to_read(source, providers, by_urn, bool(areas), tally)
    if resume and any(provider.key == resume for provider, _ in to_read):
        at = next(i for i, (provider, _) in enumerate(to_read) if provider.key == resume)
        to_read = to_read[at:] + to_read[:at]  # the last run stopped there: start where it left off
    for index, (provider, area) in enumerate(to_read):
        try:
            _read_provider(source, client, provider, area, since, tally)
        except RateLimited as exc:
            tally.resume_from = provider.key
            tally.stop_reason = (
                f"The site kept refusing requests ({exc.reason}); the run stopped at {area.name} (URN {provider.key}) "
                f"with {len(to_read) - index} of {len(to_read)} areas' pages not read, and the next run starts there."
            )
            return
        tally.heartbeat()
        progress(f"{area.name}: {tally.new_documents} new so far")
    if tally.listing_problem and not tally.provider_pages_read:
        raise ListingUnusable(
            f"{tally.listing_problem.rstrip('.')}; and none of the {len(to_read)} areas' pages could be read from "
            "the register's URNs either."
        )
    if tally.provider_pages_read and not tally.provider_pages_with_links:
        raise LayoutNotRecognised(
            f"The provider page layout is not recognised: none of the {tally.provider_pages_read} provider pages "
            "read shows any publication link (a.publication-link)."
        )


def _providers_to_read(source, providers: list[Provider], by_urn: dict, explicit: bool,
                       tally: _Tally) -> list[tuple[Provider, LocalArea]]:
    """Each wanted area's provider, in listing order, then the areas the listing lacks, at the register's URN
    (a current area, or any area asked for by name). The listing's absence is reported (cross-check): a wrong
    URN in the register, or a listing cut short."""
    listed = {provider.key: provider for provider in providers}
    to_read = [(provider, by_urn[provider.key]) for provider in providers if provider.key in by_urn]
    for urn, area in by_urn.items():
        if urn in listed or not (explicit or area.end_date is None):
            continue  # a former area (Cumbria, Northamptonshire, ...) may well have left the listing
        url = source.provider_url(urn)
        if not tally.listing_problem:
            tally.error(source.listing_url(), f"{area.name} ({area.gss_code}, URN {urn}) is not in the site's listing"
                        + ("; its page was read at the register's URN instead" if url else ""))
        if url:
            to_read.append((Provider(key=urn, name=area.name, url=url), area))
            tally.fallback_pages += 1
    return to_read


def _get_page(client: PoliteClient, url: str, tally: _Tally) -> tuple[str | None, FetchedUrl | None]:
    """(html, previous record): html None when the page answered 304 (use the record's links)."""
    known = FetchedUrl.objects.filter(url=url).first()
    answer = client.get(url, etag=known.etag if known else "", last_modified=known.last_modified if known else "")
    tally.pages_read += 1
    if answer.status == 304 and known is not None:
        return None, known
    record = known or FetchedUrl(url=url)
    record.etag, record.last_modified = answer.etag, answer.last_modified
    return answer.content.decode("utf-8", "replace"), record


def _read_listing(source: ReportSource, client: PoliteClient, tally: _Tally, *, plausible: int) -> list[Provider]:
    """Every provider of the listing, page after page, until there is no next page — or, for a listing that
    does not end, until a page adds no provider or the providers pass what the register makes plausible
    (recorded as an error; the providers read so far are kept)."""
    providers: dict[str, Provider] = {}
    url: str | None = source.listing_url()
    first = True
    seen_pages: set[str] = set()
    while url and url not in seen_pages:
        if len(providers) > plausible:
            tally.error(url, f"The listing did not end: after {len(seen_pages)} pages it named {len(providers)} "
                             f"providers, more than the {plausible} the register makes plausible; the rest was not read.")
            break
        seen_pages.add(url)
        html, record = _get_page(client, url, tally)
        if html is None:
            page = [Provider(**item) for item in record.links.get("providers", [])]
            next_url = record.links.get("next")
        else:
            page, next_url = source.parse_listing(html, page_url=url)
            record.links = {"providers": [vars(p) for p in page], "next": next_url}
            record.save()
        if not page:
            if first:
                raise LayoutNotRecognised(
                    f"The provider listing layout is not recognised: {url} shows no link to a provider page."
                )
            break
        added = [provider for provider in page if provider.key not in providers]
        if not added:
            tally.error(url, f"The listing did not end: page {len(seen_pages)} names no provider the earlier pages "
                             "did not; the listing was read up to there.")
            break
        for provider in added:
            providers[provider.key] = provider
        first = False
        url = next_url
        tally.heartbeat()
    return list(providers.values())


def _read_provider(source, client, provider: Provider, area: LocalArea, since, tally: _Tally) -> None:
    """Read one provider's page and fetch its wanted publications. Raises RateLimited (the run stops); every
    other failure is recorded (or deferred) and the run goes on."""
    try:
        html, record = _get_page(client, provider.url, tally)
    except RateLimited:
        raise
    except RobotsUnreachable as exc:
        tally.defer(exc)
        return
    except FetchFailed as exc:
        tally.error(exc.url, exc.reason)
        return
    tally.provider_pages_read += 1
    if html is None:
        publications = [Publication.from_json(item) for item in record.links]
    else:
        try:
            publications = source.parse_provider_page(html, page_url=provider.url)
        except Exception as exc:  # hostile markup (e.g. nesting past the parser's recursion): this page only
            tally.error(provider.url, f"the page could not be parsed ({type(exc).__name__}: {exc})")
            return
        if not publications and record.links:
            raise LayoutNotRecognised(
                f"The provider page layout is not recognised: {provider.url} ({area.name}) listed "
                f"{len(record.links)} publications last time and shows none now."
            )
        record.links = [p.as_json() for p in publications]
        record.save()
    if publications:
        tally.provider_pages_with_links += 1
    for publication in publications:
        if not source.wanted(publication):
            tally.label(publication, "skipped: names no SEND term")
            continue
        if since and publication.published and publication.published < since:
            tally.label(publication, "skipped: published before --since")
            continue
        tally.label(publication, "fetched")
        tally.publications_seen += 1
        try:
            _fetch_file(client, publication, provider, tally)
        except RateLimited:
            raise
        except RobotsUnreachable as exc:
            tally.defer(exc)
        except FetchFailed as exc:
            tally.error(exc.url, exc.reason)


def _fetch_file(client: PoliteClient, publication: Publication, provider: Provider, tally: _Tally) -> None:
    known = FetchedUrl.objects.filter(url=publication.url).first()
    if known is not None and known.sha256 and Document.objects.filter(sha256=known.sha256).exists():
        # Held, and the site never reuses a file id (an amended report gets a new one): not requested again,
        # even when the file host sends no ETag or Last-Modified to make the request conditional.
        tally.already_held += 1
        return
    answer = client.get(publication.url, etag=known.etag if known else "",
                        last_modified=known.last_modified if known else "")
    if answer.status == 304 and known is not None:
        tally.already_held += 1
        return
    data = answer.content
    if not data:
        raise FetchFailed(publication.url, "the file is empty (0 bytes)")
    sha = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        held = Document.objects.exclude(status=Document.Status.DUPLICATE).filter(sha256=sha).first()
        if held is not None:
            # Held already (uploaded, or fetched under another URL): no second row; say where it was published.
            Document.objects.filter(pk=held.pk, source_url="").update(
                source_url=publication.url, published_date=publication.published,
            )
            tally.already_held += 1
        else:
            document = document_store(stream=ContentFile(data), original_name=_file_name(publication, provider))
            Document.objects.filter(pk=document.pk).update(
                source_url=publication.url, published_date=publication.published,
            )
            if document.status != Document.Status.DUPLICATE:  # not stored by someone else meanwhile
                document_enqueue_on_commit(document.pk)
                tally.new_documents += 1
            else:
                tally.already_held += 1
        FetchedUrl.objects.update_or_create(
            url=publication.url,
            defaults={"etag": answer.etag, "last_modified": answer.last_modified, "sha256": sha, "links": []},
        )


def _file_name(publication: Publication, provider: Provider) -> str:
    """'80431_area-send-full-inspection_2024-07-15.pdf': readable in lists; the content decides the type."""
    kind = re.sub(r"[^a-z0-9]+", "-", publication.kind.lower()).strip("-")[:80] or "publication"
    when = publication.published.isoformat() if publication.published else "undated"
    ext = publication.file_format if re.fullmatch(r"[a-z0-9]{1,5}", publication.file_format or "") else "pdf"
    return f"{provider.key}_{kind}_{when}.{ext}"
