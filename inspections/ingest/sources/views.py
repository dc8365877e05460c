"""The fetch status page for analysts: every FetchRun, newest first, with its counts and errors. Read-only."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.models import FetchRun
from sendtracker.access import DOCUMENT_VIEW_PERMISSION, permission_needed

RUNS_SHOWN = 50


@permission_needed(DOCUMENT_VIEW_PERMISSION)
def fetch_run_list(request: HttpRequest) -> HttpResponse:
    runs = list(FetchRun.objects.all()[:RUNS_SHOWN])
    last_success = FetchRun.objects.filter(status=FetchRun.Status.SUCCEEDED).order_by("-finished_at").first()
    context = {
        "runs": runs, "last_success": last_success, "runs_shown": RUNS_SHOWN,
        "daily": settings.FETCH_REPORTS_DAILY, "base_url": settings.OFSTED_REPORTS_URL,
    }
    return render(request, "ingest/fetch_runs.html", context)
