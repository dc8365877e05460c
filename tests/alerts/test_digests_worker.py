"""E-mail digests with the real parts: Celery beat (schedule shortened to 2 s through DIGEST_CHECK_SECONDS) sends
`send_digests` to a real worker on Redis, which e-mails through Django's console backend (the default) into its
log. Each new item is sent once however often beat asks."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import pytest
from django.utils import timezone

from inspections.alerts.services import digest_subscription_save
from inspections.models import DigestDelivery, DigestSubscription
from tests.conftest import PROJECT_ROOT
from tests.factories import make_area, make_document, make_inspection, make_revisit
from tests.integration.conftest import celery_worker, celery_workers, worker_env  # noqa: F401

pytestmark = pytest.mark.integration

SUBJECT = "Subject: sendtracker daily digest"


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def beat(worker_env, tmp_path):
    log = (tmp_path / "beat.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sendtracker", "beat", "--loglevel=INFO",
         f"--schedule={tmp_path / 'beat-schedule'}"],
        cwd=PROJECT_ROOT, env={**worker_env, "DIGEST_CHECK_SECONDS": "2"}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log_path = tmp_path / "beat.log"
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_beat_and_a_real_worker_send_each_new_item_once(worker_env, celery_worker, beat, django_user_model):
    user = django_user_model.objects.create_user("ana", email="ana@example.org")
    area = make_area("Northtown", "E06900001", region="North East")
    subscription = digest_subscription_save(user=user, frequency="daily", everything=False, regions=["North East"],
                                            areas=[], overdue=False, active=True)
    DigestSubscription.objects.filter(pk=subscription.pk).update(started_at=timezone.now() - dt.timedelta(hours=1))
    inspection = make_inspection(area, document=make_document())

    try:
        wait_for(lambda: SUBJECT in celery_worker.log(), 90, "the first digest in the worker's log")
    except AssertionError:
        raise AssertionError(f"worker:\n{celery_worker.log()[-3000:]}\nbeat:\n{beat.log_path.read_text()[-3000:]}")
    time.sleep(8)  # beat asks again every 2 s: nothing more may be sent
    log = celery_worker.log()
    assert log.count(SUBJECT) == 1, log[-3000:]
    assert log.count(f"/facts/inspection/{inspection.pk}/") == 1
    assert "To: ana@example.org" in log and "/alerts/unsubscribe/" in log

    revisit = make_revisit(inspection, document=make_document())
    DigestSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now() - dt.timedelta(days=1))
    wait_for(lambda: celery_worker.log().count(SUBJECT) == 2, 60, "the second digest")
    time.sleep(6)
    log = celery_worker.log()
    assert log.count(SUBJECT) == 2
    assert log.count(f"/facts/inspection/{inspection.pk}/") == 1, "an item was sent twice"
    assert log.count(f"/facts/revisit/{revisit.pk}/") == 1
    assert DigestDelivery.objects.count() == 2
    # Every task beat sends is known to the worker (the daily fetch and the interrupted-run check were not).
    for task in ("inspections.alerts.tasks.send_digests", "inspections.ingest.sources.tasks.fetch_reports_daily",
                 "inspections.ingest.sources.tasks.mark_interrupted_fetch_runs",
                 "inspections.ingest.tasks.requeue_stuck_documents"):
        assert f". {task}" in log, task
    print(log[log.index(SUBJECT) - 400:][:1800])  # the closing note shows a digest (pytest -s)
