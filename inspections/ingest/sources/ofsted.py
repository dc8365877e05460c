"""The Ofsted reports site (https://reports.ofsted.gov.uk, setting OFSTED_REPORTS_URL).

What the site looks like, as public scrapers of it show (checked 2026-11-30 in their code, through code search;
the live site was not reachable from here, so this module has been tested only against the local imitation
in tests/sources/fake_ofsted.py):

- Search listing of local-authority providers:
  `/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12`, paged with `start=` and
  `rows=` (at most 100 rows a page since February 2025). Provider links are `<a href>` containing `/provider/`
  and ending in the URN (e.g. `/provider/44/80429`); results sit in `ul.results-list > li > h3 > a`, and the
  next page is `a.pagination__next`.
  Sources: data-to-insight/ofsted-send-scrape-tool, `ofsted_send_scrape.py` (the search URL, `/provider/` links,
  `urn = link['href'].rsplit('/', 1)[-1]`, "new ofsted search limit" of 100 rows a page; its saved reports are
  named `<URN>_<area>/area send full inspection - <d month yyyy>.pdf`);
  TobyDrane/Ofsted-Reports-Scraper main.py (`ul.results-list > li > h3`, `a.pagination__next`); an older
  scraper quoting `/search?...level_1_types=3&level_2_types%5B0%5D=12...&rows=170` and
  `/provider/44/80429` with files on `files.api.ofsted.gov.uk/v1/file/50050254`.
- A provider's page: each publication is an `a.publication-link` (inside `ol.timeline > li.timeline__day`)
  whose `span.nonvisual` reads "<kind>, <format> - <d Month yyyy>", e.g.
  "Area SEND full inspection, pdf - 15 July 2024"; its `href` is the absolute file URL
  `https://files.ofsted.gov.uk/v1/file/<id>` (a different host from the pages).
  Sources: data-to-insight/ofsted-send-scrape-tool (`find_all('a', {'class': 'publication-link'})`,
  `select_one('span.nonvisual')`, the sample labels quoted there, file URLs); TobyDrane/Ofsted-Reports-Scraper
  (`li.timeline__day`, `a.publication-link`, `span.nonvisual`, kind before the first comma, date after the
  last " - ").
- Older publications on the same pages are the 2016-framework letters; their labels vary, so anything naming
  SEND (or "special educational needs") is a candidate and the pipeline's classifier decides what it is.

Not relied upon: the timeline markup around the links (only `a.publication-link` and `span.nonvisual` are
read), the provider type number in the URL, the order of publications.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from .base import Provider, Publication, ReportSource

LISTING_PATH = "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
ROWS_PER_PAGE = 100

_PROVIDER_HREF = re.compile(r"/provider/(?:[^/?#]+/)*(\d{5,8})/?$")
# "Area SEND full inspection, pdf - 15 July 2024": kind, format, date (the date after the last " - ").
_LABEL = re.compile(r"^\s*(?P<kind>.+?),\s*(?P<format>[A-Za-z0-9]+)\s+-\s+(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4})\s*$")
_SEND = re.compile(r"\bSEND\b|special educational needs", re.I)


class OfstedReportsSource(ReportSource):
    name = "ofsted"

    def listing_url(self) -> str:
        return f"{self.base_url}{LISTING_PATH}&start=0&rows={ROWS_PER_PAGE}"

    def parse_listing(self, html: str, *, page_url: str) -> tuple[list[Provider], str | None]:
        soup = BeautifulSoup(html, "html.parser")
        providers: dict[str, Provider] = {}
        for link in soup.find_all("a", href=True):
            href = link["href"].strip()
            match = _PROVIDER_HREF.search(urlsplit(href).path)
            if match and match.group(1) not in providers:
                url = urljoin(page_url, href)
                providers[match.group(1)] = Provider(key=match.group(1), name=link.get_text(" ", strip=True), url=url)
        if not providers:
            return [], None  # the caller decides: loud on the first page, the end of the list after it
        next_link = soup.select_one("a.pagination__next[href]")
        if next_link is not None:
            next_url = urljoin(page_url, next_link["href"])
        else:
            # No "next" link: a full page may still have a successor (the site's limit is per page).
            next_url = _next_start(page_url) if len(providers) >= ROWS_PER_PAGE else None
        return list(providers.values()), (next_url if next_url != page_url else None)

    def parse_provider_page(self, html: str, *, page_url: str) -> list[Publication]:
        soup = BeautifulSoup(html, "html.parser")
        publications = []
        seen = set()
        for link in soup.select("a.publication-link[href]"):
            url = urljoin(page_url, link["href"].strip())
            if url in seen:
                continue
            seen.add(url)
            hidden = link.select_one("span.nonvisual")
            label = " ".join((hidden.get_text(" ", strip=True) if hidden else link.get_text(" ", strip=True)).split())
            publications.append(_publication(url, label))
        return publications

    def wanted(self, publication: Publication) -> bool:
        return bool(_SEND.search(publication.label))


def _publication(url: str, label: str) -> Publication:
    """Split the label into kind, format and date; a label that does not parse keeps its whole text as the
    kind and no date (the date is never guessed)."""
    match = _LABEL.match(label)
    if not match:
        return Publication(url=url, label=label, kind=label, file_format="", published=None)
    return Publication(url=url, label=label, kind=match.group("kind").strip(),
                       file_format=match.group("format").lower(), published=parse_label_date(match.group("date")))


def parse_label_date(text: str) -> date | None:
    """'15 July 2024' or '5 Jul 2024' -> date; None when it is not such a date."""
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(" ".join(text.split()), fmt).date()
        except ValueError:
            continue
    return None


def _next_start(page_url: str) -> str:
    parts = urlsplit(page_url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    start = next((int(v) for k, v in query if k == "start" and v.isdigit()), 0)
    rows = next((int(v) for k, v in query if k == "rows" and v.isdigit()), ROWS_PER_PAGE)
    query = [(k, v) for k, v in query if k != "start"] + [("start", str(start + rows))]
    return urlunsplit(parts._replace(query=urlencode(query)))
