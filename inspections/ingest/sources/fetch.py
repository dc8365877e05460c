"""Run a report source and record the run: the service behind `manage.py fetch_reports` and the daily beat job.

    listing pages ─> providers matched to LocalArea.ofsted_urn ─> each provider's page ─> SEND publications
    ─> each file (conditional GET) ─> sha256 held? ─> store as a Document (source_url, published_date) ─> queue

Every request goes through `http.PoliteClient` (one at a time, delay, robots.txt, retries). What a URL answered
last time is a `FetchedUrl` row: its ETag/Last-Modified make the next request conditional, so a second run
downloads nothing unchanged (304), and a provider page's publications are kept so a 304 page still lists them.
A file is only remembered once it is stored: a download that failed is tried again by the next run, so an
error loses nothing. New files go through the same store and queue as an upload (pipeline/store.py,
ingest/queue.py): the pipeline's classifier decides what each one is.

The run fails loudly (status 'failed', message "... layout is not recognised ...") when the listing shows no
provider, when a provider page that listed publications last time shows none, or when no provider page read
shows any publication link at all: a scraper that silently finds nothing is the failure this guards against.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from areas.models import LocalArea
from inspections.ingest.queue import document_enqueue_on_commit
from inspections.models import Document, FetchedUrl, FetchRun
from inspections.pipeline.store import document_store

from .base import LayoutNotRecognised, Provider, Publication, ReportSource
from .http import FetchFailed, PoliteClient

log = logging.getLogger(__name__)


def default_client(**overrides) -> PoliteClient:
    """A client configured from settings (FETCH_*); keyword arguments override them (tests)."""
    options = dict(
        contact=settings.FETCH_CONTACT, delay=settings.FETCH_DELAY_SECONDS, timeout=settings.FETCH_TIMEOUT_SECONDS,
        retries=settings.FETCH_RETRIES, backoff=settings.FETCH_BACKOFF_SECONDS, max_bytes=settings.MAX_UPLOAD_BYTES,
    )
    options.update(overrides)
    return PoliteClient(**options)


@dataclass
class _Tally:
    pages_read: int = 0
    publications_seen: int = 0
    new_documents: int = 0
    already_held: int = 0
    provider_pages_with_links: int = 0
    provider_pages_read: int = 0
    errors: list[dict] = field(default_factory=list)

    def error(self, url: str, reason: str) -> None:
        log.warning("fetch: %s: %s", url, reason)
        self.errors.append({"url": url, "reason": reason})


def fetch_reports_run(
    *, source: ReportSource, client: PoliteClient, areas: Sequence[str] | None = None, since: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> FetchRun:
    """Run `source` once and return its finished FetchRun (also when it failed: the reason is on the row).

    areas: GSS codes to fetch (default: every LocalArea with an Ofsted URN). since: only publications the site
    dates on or after this day (an undated one is fetched: its date is unknown, not old). progress: called
    with a line per provider, for the command's output.
    """
    run = FetchRun.objects.create(
        source=source.name, base_url=source.base_url,
        options={"areas": list(areas or []), "since": since.isoformat() if since else None},
    )
    tally = _Tally()
    status, message = FetchRun.Status.SUCCEEDED, ""
    try:
        _run(source=source, client=client, areas=areas, since=since, tally=tally, progress=progress or (lambda _: None))
    except LayoutNotRecognised as exc:
        status, message = FetchRun.Status.FAILED, str(exc)
    except FetchFailed as exc:  # the listing itself could not be read: nothing can be done this run
        status, message = FetchRun.Status.FAILED, f"The provider listing could not be read: {exc.reason} ({exc.url})."
    except Exception as exc:  # recorded, then re-raised: a run must never stay 'running'
        _finish(run, tally, FetchRun.Status.FAILED, f"Unexpected error: {type(exc).__name__}: {exc}")
        raise
    if status == FetchRun.Status.SUCCEEDED and tally.errors:
        status = FetchRun.Status.PARTIAL
        message = f"{len(tally.errors)} URL(s) could not be read; they will be tried again next run."
    _finish(run, tally, status, message)
    if status == FetchRun.Status.FAILED:
        log.error("fetch run #%s failed: %s", run.pk, message)
    return run


def _finish(run: FetchRun, tally: _Tally, status: str, message: str) -> None:
    run.status = status
    run.message = message
    run.finished_at = timezone.now()
    run.pages_read = tally.pages_read
    run.publications_seen = tally.publications_seen
    run.new_documents = tally.new_documents
    run.already_held = tally.already_held
    run.errors = tally.errors
    run.save()


def _run(*, source, client, areas, since, tally: _Tally, progress) -> None:
    wanted_areas = LocalArea.objects.exclude(ofsted_urn="")
    if areas:
        wanted_areas = wanted_areas.filter(gss_code__in=list(areas))
        unknown = sorted(set(areas) - set(wanted_areas.values_list("gss_code", flat=True)))
        for gss in unknown:
            tally.error(gss, "no local area with this GSS code and an Ofsted URN in the register")
    by_urn = {area.ofsted_urn: area for area in wanted_areas}
    providers = _read_listing(source, client, tally)
    listed = {provider.key for provider in providers}
    for urn, area in by_urn.items():
        # A current area missing from the listing is an error (a wrong URN in the register, or a listing
        # cut short); a former area (Cumbria, Northamptonshire, ...) may well have left it.
        if urn not in listed and (areas or area.end_date is None):
            tally.error(source.listing_url(), f"{area.name} ({area.gss_code}, URN {urn}) is not in the site's listing")
    for provider in providers:
        area = by_urn.get(provider.key)
        if area is None:
            continue
        _read_provider(source, client, provider, area, since, tally)
        progress(f"{area.name}: {tally.new_documents} new so far")
    if tally.provider_pages_read and not tally.provider_pages_with_links:
        raise LayoutNotRecognised(
            f"The provider page layout is not recognised: none of the {tally.provider_pages_read} provider pages "
            "read shows any publication link (a.publication-link)."
        )


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


def _read_listing(source: ReportSource, client: PoliteClient, tally: _Tally) -> list[Provider]:
    providers: dict[str, Provider] = {}
    url: str | None = source.listing_url()
    first = True
    seen_pages = set()
    while url and url not in seen_pages:
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
        for provider in page:
            providers.setdefault(provider.key, provider)
        first = False
        url = next_url
    return list(providers.values())


def _read_provider(source, client, provider: Provider, area: LocalArea, since, tally: _Tally) -> None:
    try:
        html, record = _get_page(client, provider.url, tally)
    except FetchFailed as exc:
        tally.error(exc.url, exc.reason)
        return
    tally.provider_pages_read += 1
    if html is None:
        publications = [Publication.from_json(item) for item in record.links]
    else:
        publications = source.parse_provider_page(html, page_url=provider.url)
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
            continue
        if since and publication.published and publication.published < since:
            continue
        tally.publications_seen += 1
        try:
            _fetch_file(client, publication, provider, tally)
        except FetchFailed as exc:
            tally.error(exc.url, exc.reason)


def _fetch_file(client: PoliteClient, publication: Publication, provider: Provider, tally: _Tally) -> None:
    known = FetchedUrl.objects.filter(url=publication.url).first()
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
