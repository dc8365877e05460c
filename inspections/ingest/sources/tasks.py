"""The daily fetch, run by Celery beat only when FETCH_REPORTS_DAILY=1 (sendtracker/settings.py).

Thin, like every task: it builds the configured source and client and calls the fetch service, which records
the run (a failed run is a FetchRun row with its reason, and is logged as an error)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


# One polite pass over the whole site: with the default 2 s delay, ~160 provider pages and their files take
# tens of minutes, far beyond the document tasks' limits (CELERY_TASK_TIME_LIMIT). A soft limit still ends a
# stuck run: the fetch service records it as failed with the reason.
FETCH_SOFT_LIMIT = 4 * 3600


@shared_task(name="inspections.ingest.sources.tasks.fetch_reports_daily", acks_late=False,
             soft_time_limit=FETCH_SOFT_LIMIT, time_limit=FETCH_SOFT_LIMIT + 120)
def fetch_reports_daily() -> dict:
    """Run the configured source once; returns the run's id, status and new documents. Not acks_late: a run
    lost with its worker is simply the next day's run, never two runs at once."""
    from .fetch import default_client, fetch_reports_run
    from .ofsted import OfstedReportsSource

    with default_client() as client:
        run = fetch_reports_run(source=OfstedReportsSource(settings.OFSTED_REPORTS_URL), client=client)
    return {"run": run.pk, "status": run.status, "new_documents": run.new_documents}


@shared_task(name="inspections.ingest.sources.tasks.mark_interrupted_fetch_runs", acks_late=False,
             soft_time_limit=60, time_limit=90)
def mark_interrupted_fetch_runs() -> int:
    """Beat, every 5 minutes: a run whose process died (or that shows no sign of life) is marked interrupted,
    so /documents/fetch-runs/ never shows it "Running" for ever. Returns how many were marked."""
    from .fetch import fetch_runs_mark_interrupted

    return fetch_runs_mark_interrupted()
