"""The fetch status page for analysts: every FetchRun, newest first, with its counts and errors. Read-only."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.models import FetchRun
from sendtracker.access import DOCUMENT_VIEW_PERMISSION, permission_needed

from .selectors import fetch_currency

RUNS_SHOWN = 50


@permission_needed(DOCUMENT_VIEW_PERMISSION)
def fetch_run_list(request: HttpRequest) -> HttpResponse:
    runs = list(FetchRun.objects.all()[:RUNS_SHOWN])
    for run in runs:  # a label no earlier run saw: a new kind of publication, or a renamed one
        run.new_labels = sum(1 for entry in run.labels or [] if entry.get("new"))
    currency = fetch_currency()
    context = {
        "runs": runs, "last_success": currency.last_success, "problem": currency.problem,
        "severity": currency.severity, "runs_shown": RUNS_SHOWN,
        "daily": settings.FETCH_REPORTS_DAILY, "base_url": settings.OFSTED_REPORTS_URL,
    }
    return render(request, "ingest/fetch_runs.html", context)
