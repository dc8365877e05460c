"""Reading the fetch runs: how current the fetched holdings are, in words an analyst understands. Read by the
fetch-runs page (/documents/fetch-runs/) and the dashboard's currency line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

from django.db.models import F, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateformat import format as date_format

from inspections.models import FetchRun

RUNS_READ = 100


@dataclass(frozen=True)
class FetchCurrency:
    """`last_success`: the latest run that succeeded (None when none has, or none among the last RUNS_READ
    finished runs); `problem`: a sentence when the runs since then met trouble an analyst should know of
    ('The Ofsted site's layout changed on 3 March 2026; nothing has been fetched since.'), else ''.
    `severity`: 'alarm' (nothing is being fetched), 'warning' (fetched, with a workaround) or ''."""

    last_success: FetchRun | None
    problem: str
    severity: str


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def fetch_currency() -> FetchCurrency:
    """One query: the finished runs since the last successful one (that one included), newest first."""
    last_success_at = Subquery(
        FetchRun.objects.filter(status=FetchRun.Status.SUCCEEDED).order_by(F("finished_at").desc(nulls_last=True))
        .values("finished_at")[:1]
    )
    runs = list(
        FetchRun.objects.exclude(status=FetchRun.Status.RUNNING).exclude(finished_at=None)
        .filter(finished_at__gte=Coalesce(last_success_at, datetime(1970, 1, 1, tzinfo=dt_timezone.utc)))
        .order_by("-finished_at", "-id")[:RUNS_READ]
    )
    last_success = runs[-1] if runs and runs[-1].status == FetchRun.Status.SUCCEEDED else None
    if last_success is None and len(runs) == RUNS_READ:  # a long run of trouble: the success is further back
        last_success = FetchRun.objects.filter(status=FetchRun.Status.SUCCEEDED).order_by(
            F("finished_at").desc(nulls_last=True)).first()
    since = [run for run in runs if run is not last_success]
    return FetchCurrency(last_success, *_problem(since, last_success))


def _problem(since: list[FetchRun], last_success: FetchRun | None) -> tuple[str, str]:
    """The sentence for the runs after the last success (newest first)."""
    if not since:
        return "", ""
    latest = since[0]
    streak = []
    for run in since:  # the latest runs that met the same kind of trouble
        if run.failure_kind != latest.failure_kind or run.status != latest.status:
            break
        streak.append(run)
    first = streak[-1]
    fetched_since = any(run.new_documents for run in since)
    nothing = "nothing has been fetched since" if not fetched_since else "little has been fetched since"
    kind = latest.failure_kind
    if latest.status == FetchRun.Status.FAILED and kind == FetchRun.Failure.LAYOUT:
        return (f"The Ofsted site's layout changed on {_day(first.started_at)}: its pages no longer look as the "
                f"fetcher expects, so {nothing}. A developer needs to update the fetcher "
                "(inspections/ingest/sources/ofsted.py).", "alarm")
    if kind == FetchRun.Failure.LISTING:
        return (f"The Ofsted site's search listing changed on {_day(first.started_at)}; each area's page is "
                "being read at its Ofsted URN from the register instead, so reports still arrive.", "warning")
    if kind == FetchRun.Failure.RATE_LIMITED:
        return (f"The Ofsted site kept refusing requests on {_day(latest.started_at)} (rate limiting); the run "
                "stopped part-way and the next one resumes where it stopped.", "warning")
    if latest.status == FetchRun.Status.FAILED:
        return (f"Fetching has failed since {_day(first.started_at)}, so {nothing}: {latest.message}", "alarm")
    if latest.status == FetchRun.Status.INTERRUPTED:
        return (f"The last fetch run, started {_day(latest.started_at)}, was interrupted before it finished; "
                "the next run fetches what it missed.", "warning")
    return "", ""
