"""The daily fetch: off unless FETCH_REPORTS_DAILY=1, and the task runs the configured source."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from inspections.models import Document, FetchRun
from tests.conftest import PROJECT_ROOT
from tests.sources.conftest import add_seed_letters


def beat_schedule(**env) -> dict:
    code = ("import json, django; django.setup(); from django.conf import settings; "
            "print(json.dumps({k: str(v['schedule']) for k, v in settings.CELERY_BEAT_SCHEDULE.items()}))")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FETCH_")}
    environ.update(DJANGO_SETTINGS_MODULE="sendtracker.settings", **env)
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=environ, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_the_daily_fetch_is_off_unless_configured():
    assert "fetch-reports-daily" not in beat_schedule()
    on = beat_schedule(FETCH_REPORTS_DAILY="1", FETCH_REPORTS_HOUR="6")
    assert "fetch-reports-daily" in on and "6" in on["fetch-reports-daily"]


@pytest.mark.django_db
def test_the_daily_task_fetches_from_the_configured_site(areas, fake_ofsted, settings):
    from inspections.ingest.sources.tasks import fetch_reports_daily

    add_seed_letters(fake_ofsted)
    settings.OFSTED_REPORTS_URL = fake_ofsted.base_url
    settings.FETCH_DELAY_SECONDS = 0
    result = fetch_reports_daily.apply().get()
    run = FetchRun.objects.get()
    assert result == {"run": run.pk, "status": "succeeded", "new_documents": 5}
    assert Document.objects.count() == 5
