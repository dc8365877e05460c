"""The small interface a publisher's source implements, and the errors it raises.

A source knows one site's pages: which providers (local areas) it lists, and which publications a provider's
page holds. It does not store anything and does not decide what a file is (the pipeline's classifier does);
the HTTP politeness (delay, robots.txt, retries, conditional requests) is `http.PoliteClient`'s, shared by
every source. `fetch.fetch_reports_run` drives a source and records the run.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import date


class SourceError(Exception):
    """A problem with one URL (kept in the run's errors, the run goes on)."""


class LayoutNotRecognised(Exception):
    """The publisher's pages no longer look as the source expects: the run fails loudly rather than reporting
    '0 new'. The message names the page and what was missing."""


@dataclass(frozen=True)
class Provider:
    """A provider (here: a local authority) as the publisher lists it. `key` is the publisher's identifier
    (Ofsted: the URN), matched against `LocalArea.ofsted_urn`."""

    key: str
    name: str
    url: str


@dataclass(frozen=True)
class Publication:
    """One publication link on a provider's page.

    `label` is the publisher's own description ("Area SEND full inspection, pdf - 15 July 2024"); `kind` and
    `file_format` are its first parts; `published` is the date it states (None when it states none we can
    read: never guessed)."""

    url: str
    label: str
    kind: str
    file_format: str
    published: date | None

    def as_json(self) -> dict:
        return {"url": self.url, "label": self.label, "kind": self.kind, "file_format": self.file_format,
                "published": self.published.isoformat() if self.published else None}

    @classmethod
    def from_json(cls, data: dict) -> "Publication":
        published = date.fromisoformat(data["published"]) if data.get("published") else None
        return cls(url=data["url"], label=data["label"], kind=data["kind"], file_format=data["file_format"],
                   published=published)


class ReportSource(abc.ABC):
    """What a publisher's source implements. Pages are parsed from HTML text handed in by the fetch service,
    so a source is testable on saved pages without any network."""

    #: Short name stored on each FetchRun ("ofsted").
    name: str = ""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def origins(self) -> list[str]:
        """Every origin the source reads (the site, its file host): the client requests nothing else."""
        return [self.base_url]

    def provider_url(self, key: str) -> str | None:
        """A provider's page from its key alone (the register's URN), or None when the publisher has no such
        address: the fallback when the listing lacks an area or cannot be used."""
        return None

    @abc.abstractmethod
    def listing_url(self) -> str:
        """The first page of the publisher's list of providers."""

    @abc.abstractmethod
    def parse_listing(self, html: str, *, page_url: str) -> tuple[list[Provider], str | None]:
        """The providers on one listing page and the next page's absolute URL (None on the last page).
        No provider at all gives ([], None): the fetch service fails the run when that is the first page."""

    @abc.abstractmethod
    def parse_provider_page(self, html: str, *, page_url: str) -> list[Publication]:
        """Every publication link on a provider's page (all kinds: the caller selects with `wanted`)."""

    @abc.abstractmethod
    def wanted(self, publication: Publication) -> bool:
        """Whether a publication is a candidate for sendtracker (select generously: the classifier decides)."""
