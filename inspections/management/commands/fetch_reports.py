"""`python manage.py fetch_reports [--area GSS ...] [--since YYYY-MM-DD] [--base-url URL] [--delay S]`

Fetch the SEND publications of the Ofsted reports site (inspections/ingest/sources/), store the new ones and
queue them through the pipeline. Prints the run's counts and errors; exits non-zero when the run failed
(layout not recognised, listing unreadable) so a cron or CI job notices.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inspections.ingest.sources.fetch import default_client, fetch_reports_run
from inspections.ingest.sources.ofsted import OfstedReportsSource
from inspections.models import FetchRun


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--since must be a date like 2024-01-31, not {text!r}") from exc


class Command(BaseCommand):
    help = "Fetch SEND inspection publications from the Ofsted reports site and queue the new ones."

    def add_arguments(self, parser):
        parser.add_argument("--area", action="append", default=[], metavar="GSS",
                            help="Only this area (GSS code); repeat for several. Default: every area with an Ofsted URN.")
        parser.add_argument("--since", type=str, default=None, help="Only publications dated on or after this day.")
        parser.add_argument("--base-url", default=None, help=f"The site (default OFSTED_REPORTS_URL, now {settings.OFSTED_REPORTS_URL}).")
        parser.add_argument("--files-url", action="append", default=None, metavar="URL",
                            help="The site's file host (default OFSTED_FILE_HOSTS, now "
                                 f"{', '.join(settings.OFSTED_FILE_HOSTS)}); repeat for several. Only these and the "
                                 "site are ever requested.")
        parser.add_argument("--delay", type=float, default=None, help="Seconds between requests (default FETCH_DELAY_SECONDS).")

    def handle(self, *args, **options):
        since = _date(options["since"]) if options["since"] else None
        overrides = {} if options["delay"] is None else {"delay": max(0.0, options["delay"])}
        source = OfstedReportsSource(options["base_url"] or settings.OFSTED_REPORTS_URL, file_hosts=options["files_url"])
        if not settings.FETCH_CONTACT:
            self.stderr.write("FETCH_CONTACT is not set: the User-Agent says 'no contact configured'. "
                              "Set it to an e-mail address the site's operators can reach.")
        with default_client(**overrides) as client:
            run = fetch_reports_run(source=source, client=client, areas=options["area"] or None, since=since,
                                    progress=lambda line: self.stdout.write(f"  {line}") if options["verbosity"] > 1 else None)
        self.stdout.write(
            f"Fetch run #{run.pk} {run.get_status_display().lower()}: {run.pages_read} pages read, "
            f"{run.publications_seen} SEND publications seen, {run.new_documents} new documents queued, "
            f"{run.already_held} already held."
        )
        if run.message and run.status != FetchRun.Status.FAILED:
            self.stdout.write(f"  {run.message}")
        for error in run.errors:
            self.stdout.write(f"  error: {error['url']}: {error['reason']}")
        for item in run.deferred:
            self.stdout.write(f"  deferred: {item['url']}: {item['reason']}")
        new_labels = [entry for entry in run.labels if entry.get("new")]
        for entry in new_labels:
            self.stdout.write(f"  new publication label: {entry['label']!r} ({entry['action']})")
        if run.status == FetchRun.Status.FAILED:
            raise CommandError(run.message)
