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
- Labels seen in the wild vary (issue 25): "Area SEND full inspection, pdf - 15 July 2024", "…,  pdf - …"
  (two spaces), "… as pdf - 10 February 2015" (no comma), "PDF" in capitals, and labels without a date. The
  labels of 2016-framework letters, revisit letters and 2023 monitoring inspections were not seen in any
  evidence, so the rule is broad: any label naming SEND, special educational needs, local area or written
  statement of action is a candidate, and the pipeline's classifier decides what it is (it rejects non-SEND).
  The fetch service records every label seen and what was done with it in the run.
- Files live on another origin, `https://files.ofsted.gov.uk` (setting OFSTED_FILES_URL), with its own
  robots.txt; an older scraper quotes `files.api.ofsted.gov.uk`. Only the configured site and file host(s) are
  requested (http.PoliteClient's allow-list).
- Every area's page is `/provider/44/<URN>`; the register holds each area's URN, so `provider_url` reaches an
  area the listing lacks (or every area when the listing cannot be used).

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
PROVIDER_PATH = "/provider/44/{key}"
ROWS_PER_PAGE = 100

_PROVIDER_HREF = re.compile(r"/provider/(?:[^/?#]+/)*(\d{5,8})/?$")
# "<kind>, pdf - 15 July 2024", "<kind> as PDF - 15 July 2024", "<kind>, pdf", "<kind> - 15 July 2024":
# the kind, then the format after a comma or " as ", then the date after the last " - " (each optional).
_FORMATS = r"pdf|docx?|odt|rtf|html?|txt"
_LABEL = re.compile(rf"^\s*(?P<kind>.+?)(?:\s*,\s*|\s+as\s+)(?P<format>{_FORMATS})\b\s*(?:-\s*(?P<date>.*?))?\s*$", re.I)
_LABEL_DATE_ONLY = re.compile(r"^\s*(?P<kind>.+?)\s+-\s+(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4})\s*$")
# Broad on purpose: the labels of 2016 letters, revisits and monitoring inspections were never seen.
_SEND = re.compile(r"\bSEND\b|special educational needs|\blocal area\b|written statement of action", re.I)


class OfstedReportsSource(ReportSource):
    name = "ofsted"

    def __init__(self, base_url: str, *, file_hosts: list[str] | None = None):
        super().__init__(base_url)
        if file_hosts is None:
            from django.conf import settings

            file_hosts = settings.OFSTED_FILE_HOSTS
        self.file_hosts = [host.rstrip("/") for host in file_hosts if host]

    def origins(self) -> list[str]:
        return [self.base_url, *self.file_hosts]

    def provider_url(self, key: str) -> str:
        return self.base_url + PROVIDER_PATH.format(key=key)

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
    match = _LABEL.match(label) or _LABEL_DATE_ONLY.match(label)
    if not match:
        return Publication(url=url, label=label, kind=label, file_format="", published=None)
    parts = match.groupdict()
    when = parts.get("date") or ""
    return Publication(url=url, label=label, kind=parts["kind"].strip(" ,-"),
                       file_format=(parts.get("format") or "").lower(),
                       published=parse_label_date(when) if when else None)


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
