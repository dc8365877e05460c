"""Server-side page timings and export memory on a synthetic national dataset, in a throwaway database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/st_h7bench .venv/bin/python manage.py bench_pages

Creates the test database (test_<name>, like the test runner), fills it with bench/pages_data.py at
--scale (10 = ten times today's national size), times every page through Django's test Client
(request -> response fully rendered or streamed; no network, no browser) -- the analysis pages, their CSVs
and SVGs included, and the due page once more with its snapshot dropped before each request --, then grows the weakness
table to measure the peak Python memory (tracemalloc) of streaming its CSV export, and drops the
database. DEBUG is switched off so query logging does not distort the numbers.
"""

from __future__ import annotations

import logging
import os
import re
import statistics
import time
import tracemalloc
from urllib.parse import urljoin

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases

LIST_PATHS = ["/areas/", "/inspections/", "/weaknesses/"]  # /weaknesses/ carries the judgements too
# The JSON API (issue 24): a page of 100 rows of each list, a filtered one, and the documents (with a token of a
# user who may see them; the others anonymously like the pages).
API_PAGES = [
    ("api areas", "/api/v1/areas"), ("api inspections", "/api/v1/inspections"), ("api weaknesses", "/api/v1/weaknesses"),
    ("api inspections filtered", "/api/v1/inspections?framework=2016&outcome=wsoa_required&year=2017"),
    ("api weaknesses filtered", "/api/v1/weaknesses?judgement=insufficient&sort=-date"),
    ("api areas 500", "/api/v1/areas?page_size=500"),
    # As at a date (issue 21 item 4, issue 24): each area's path derived again as it stood that day.
    ("api areas as_at", "/api/v1/areas?as_at=2021-03-31"), ("api inspections as_at", "/api/v1/inspections?as_at=2021-03-31"),
    ("api weaknesses as_at", "/api/v1/weaknesses?as_at=2021-03-31"),
]
# Every analysis page, its CSV and its SVG (issue 15); the area comparison is added with the timeline's area.
ANALYSIS_PAGES = [
    ("analysis due", "/analysis/due/"), ("analysis due filtered", "/analysis/due/?months=24&region=London&sort=-area"),
    ("analysis due csv", "/analysis/due.csv?months=24"),
    ("analysis durations", "/analysis/durations/"), ("analysis durations region", "/analysis/durations/?region=North+East"),
    ("analysis durations csv", "/analysis/durations.csv?region=North+East"), ("analysis durations svg", "/analysis/durations.svg"),
    ("analysis paths", "/analysis/paths/"), ("analysis paths csv", "/analysis/paths.csv"), ("analysis paths svg", "/analysis/paths.svg"),
    ("analysis paths cell", "/analysis/paths/areas/?path=sufficient_none&outcome=systemic_failings"),
    ("analysis trends year", "/analysis/trends/"), ("analysis trends month", "/analysis/trends/?period=month"),
    ("analysis trends csv", "/analysis/trends.csv?period=quarter"), ("analysis trends svg", "/analysis/trends.svg?period=month"),
]
CSV_LINK = re.compile(r'href="([^"]*(?:\.csv|export|format=csv)[^"]*)"')


class Command(BaseCommand):
    help = "Benchmark the dashboard, a timeline, the lists and the exports on a synthetic 10x dataset (throwaway DB)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=10.0, help="1 = today's national size (150 areas).")
        parser.add_argument("--repeat", type=int, default=30, help="Requests per page (after one warm-up).")
        parser.add_argument("--export-repeat", type=int, default=5)
        parser.add_argument("--memory-rows", default="10000,30000,100000",
                            help="Weakness-table sizes for the export memory curve (comma-separated; '' skips it, "
                                 "which keeps a --keepdb dataset at its size).")
        parser.add_argument("--keepdb", action="store_true", help="Keep the benchmark database afterwards.")
        parser.add_argument("--only", default="",
                            help="Time only the pages whose label contains one of these comma-separated words (the "
                                 "timeline is always timed: it is what the ratios are against); exports and the "
                                 "memory curve are skipped unless 'export' is one of them.")

    def handle(self, *args, scale, repeat, export_repeat, memory_rows, keepdb, only, **options):
        settings.DEBUG = False
        settings.API_RATE_LIMIT = 0  # thirty requests a page from one client address: not what is timed
        logging.getLogger("django.request").setLevel(logging.ERROR)  # a missing page is shown in the table
        config = setup_databases(verbosity=1, interactive=False, keepdb=keepdb, aliases={"default"})
        try:
            self._run(scale, repeat, export_repeat, [int(n) for n in memory_rows.split(",") if n],
                      [w.strip() for w in only.split(",") if w.strip()])
        finally:
            if not keepdb:
                teardown_databases(config, verbosity=1)

    def _run(self, scale, repeat, export_repeat, memory_rows, only):
        from areas.models import LocalArea
        from bench.pages_data import DatasetSize, add_weaknesses, build_dataset
        from inspections.models import Document, Inspection, ProgressJudgement, Revisit, SignificantWeakness

        started = time.perf_counter()
        if LocalArea.objects.exists():  # --keepdb: time the dataset an earlier run left (migrations applied since)
            size = DatasetSize(LocalArea.objects.count(), Inspection.objects.count(), SignificantWeakness.objects.count(),
                               Revisit.objects.count(), ProgressJudgement.objects.count(), Document.objects.count())
            built = "kept from an earlier --keepdb run"
        else:
            size = build_dataset(scale=scale)
            built = f"built in {time.perf_counter() - started:.1f} s"
        self.stdout.write(
            f"dataset ({connection.vendor}, scale {scale:g}): {size.areas} areas, {size.inspections} inspections, "
            f"{size.weaknesses} weaknesses, {size.revisits} revisits, {size.judgements} judgements, "
            f"{size.documents} documents; {built}"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would: flushes GIN pending lists

        # A page that fails is shown as a 500 in the table rather than ending the run (another page's bug must
        # not hide every other figure).
        client = Client(raise_request_exception=False)
        # An area in the middle of the register with a full 2016 path (WSOA and revisit) and a 2023 inspection.
        revisited = Inspection.objects.filter(revisits__isnull=False).select_related("area").order_by("area__name")
        timeline_area = revisited[revisited.count() // 2].area
        pages = [("dashboard", "/"), ("dashboard region", "/?region=North+East"),
                 (f"timeline {timeline_area.gss_code}", f"/areas/{timeline_area.gss_code}/")]
        pages += [(f"list {p}", p) for p in LIST_PATHS]
        pages += [("list /areas/ filtered", "/areas/?region=North+East&stage=wsoa_open"),
                  ("list /inspections/ filtered", "/inspections/?framework=2016&outcome=wsoa_required&year=2017"),
                  ("list /weaknesses/ filtered", "/weaknesses/?judgement=insufficient&text=co-production"), ("search", "/search/?q=co-production")]
        gss = timeline_area.gss_code
        pages += [(label, url) for label, url in ANALYSIS_PAGES] + [
            (f"compare {gss}", f"/analysis/compare/{gss}/"), (f"compare part {gss}", f"/analysis/compare/{gss}/part/"),
            (f"compare csv {gss}", f"/analysis/compare/{gss}.csv")]
        pages += API_PAGES + [("api documents", "/api/v1/documents")]

        if only:
            pages = [(label, url) for label, url in pages
                     if label.startswith("timeline") or any(word in label for word in only)]
        rows = []
        exports = []
        token_client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {_document_reader_key()}")
        for label, url in pages:
            row = self._time(token_client if label == "api documents" else client, label, url, repeat)
            rows.append(row)
            if label.startswith("list") and row["status"] == 200 and "?" not in url:
                match = CSV_LINK.search(row["html"])
                if match:
                    exports.append((f"export {url}", urljoin(url, match.group(1).replace("&amp;", "&"))))
        if only and "export" not in only:
            exports, memory_rows = [], []
        for label, url in exports:
            rows.append(self._time(client, label, url, export_repeat))
        # The analysis pages answer from a snapshot of the national facts (inspections/analysis/snapshot.py); the
        # first request after the facts change rebuilds it. Timed here by dropping it before every request.
        from inspections.analysis.snapshot import forget

        for label, url in [("analysis due, facts just changed (cold)", "/analysis/due/"),
                           ("dashboard, facts just changed (cold)", "/")]:
            if not only or any(word in label for word in only):
                rows.append(self._time(client, label, url, max(5, repeat // 3), before=forget))

        self.stdout.write("")
        if hasattr(os, "getloadavg"):
            self.stdout.write(f"load average (1 min) after timing: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        # Ratios against the timeline of this same run: comparable across machines and loads, unlike milliseconds.
        timeline = next(row for row in rows if row["label"].startswith("timeline"))
        self.stdout.write(f"{'page':44} {'status':>6} {'queries':>7} {'sql p50':>8} {'min ms':>8} {'p50 ms':>8} {'p95 ms':>8} "
                          f"{'p95/tl':>7} {'size':>10}")
        for row in rows:
            self.stdout.write(
                f"{row['label'][:44]:44} {row['status']:>6} {row['queries']:>7} {row['sql']:>8.1f} {row['min']:>8.1f} {row['p50']:>8.1f} "
                f"{row['p95']:>8.1f} {row['p95'] / timeline['p95']:>7.2f} {_human(row['bytes']):>10}"
            )
        missing = [p for p in LIST_PATHS if not any(label == f"export {p}" for label, _ in exports)]
        if missing and not only:
            self.stdout.write(f"(no CSV link found on: {', '.join(missing)})")

        weakness_export = next((url for label, url in exports if label == "export /weaknesses/"), None)
        if not memory_rows:
            return
        if not weakness_export:
            self.stdout.write("No weaknesses export link found: skipping the export memory curve.")
            return
        self.stdout.write("")
        self.stdout.write(f"export memory: {weakness_export}")
        self.stdout.write(f"{'rows':>8} {'csv lines':>10} {'bytes':>10} {'peak py MB':>11} {'seconds':>8}")
        for target in memory_rows:
            have = add_weaknesses(total=target)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE inspections_significantweakness")
            lines, nbytes, peak, seconds = _export_memory(client, weakness_export)
            self.stdout.write(f"{have:>8} {lines:>10} {_human(nbytes):>10} {peak / 1e6:>11.2f} {seconds:>8.2f}")

    def _time(self, client, label, url, repeat, before=None):
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            first = client.get(url)
            body = _consume(first)
        query_count = len(queries)  # read now: the next request resets the connection's query log
        timings, sql = [], []
        for _ in range(repeat):
            # The database's share of each request, so a slow page says whether SQL or Python is the cost
            # (and a busy machine shows in both columns rather than hiding in one).
            if before:
                before()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                _consume(client.get(url))
                timings.append((time.perf_counter() - started) * 1000)
            sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        timings.sort()
        return {
            "label": label, "status": first.status_code, "queries": query_count, "bytes": len(body),
            "sql": statistics.median(sql), "min": timings[0],  # min: the best guide to the cost on a busy machine
            "p50": statistics.median(timings), "p95": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
            "html": body.decode("utf-8", "replace") if first.get("Content-Type", "").startswith("text/html") else "",
        }


def _document_reader_key() -> str:
    """An API key of a (throwaway database's) user who may see the documents."""
    from django.contrib.auth.models import Permission, User

    from inspections.api.services import issue_token
    from inspections.models import ApiToken

    user, _ = User.objects.get_or_create(username="bench-api")
    user.user_permissions.add(Permission.objects.get(codename="view_document", content_type__app_label="inspections"))
    return issue_token(ApiToken(user=user, name="bench"))


def _consume(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _export_memory(client, url) -> tuple[int, int, int, float]:
    """(csv lines, bytes, peak traced bytes, seconds) of streaming one export without keeping it."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = client.get(url)
    lines = nbytes = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        nbytes += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return lines, nbytes, peak, seconds


def _human(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)
