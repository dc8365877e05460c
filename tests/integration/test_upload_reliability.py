"""Uploads over HTTP processed by REAL Celery workers on PostgreSQL + Redis, under faults:
a worker SIGKILLed mid-task, the broker stopped while documents wait, and re-processing everything twice.

Run: RUN_INTEGRATION=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/st_upload \
     REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python -m pytest tests/integration -q

The kill test makes the task slow with the test-only setting SENDTRACKER_TEST_SLOW_SECONDS (the worker pauses
after claiming a document, so it is reliably 'processing' when killed). The broker test starts its OWN
redis-server on a free port (append-only file in a temp dir) so stopping it disturbs nobody else.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from inspections.models import Document, Inspection, SignificantWeakness, SourceLetter
from inspections.ingest.services import documents_requeue_stuck
from tests.conftest import SEEDS
from tests.snapshots import table_rows

from .conftest import wait_finished

pytestmark = pytest.mark.integration

SEED_FILES = sorted(path.name for path in SEEDS.glob("*.txt"))
GOOD = {Document.Status.DONE, Document.Status.NEEDS_REVIEW}


def upload(client: Client, names: list[str]) -> list[Document]:
    files = [SimpleUploadedFile(name, (SEEDS / name).read_bytes()) for name in names]
    before = set(Document.objects.values_list("pk", flat=True))
    response = client.post(reverse("document_upload"), {"files": files})
    assert response.status_code == 302, response.content[:2000]
    return list(Document.objects.exclude(pk__in=before).order_by("pk"))


def wait_status(document_id: int, status: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Document.objects.filter(pk=document_id, status=status).exists():
            return
        time.sleep(0.1)
    raise AssertionError(f"document {document_id} never became {status}")


def assert_no_duplicate_facts() -> None:
    keys = list(Inspection.objects.values_list("area_id", "kind", "start_date"))
    assert len(keys) == len(set(keys)), keys
    weakness_keys = list(SignificantWeakness.objects.values_list("inspection_id", "kind", "number"))
    assert len(weakness_keys) == len(set(weakness_keys)), weakness_keys


def test_seed_letters_uploaded_over_http_are_processed_by_a_worker(areas, analyst_client, celery_worker):
    documents = upload(analyst_client, SEED_FILES)
    assert [d.status for d in documents] == ["queued"] * len(SEED_FILES)
    finished = wait_finished([d.pk for d in documents], [celery_worker])
    for doc in finished.values():
        assert doc.status in GOOD, (doc.original_name, doc.status, doc.error)
        assert doc.progress == 100 and doc.attempts == 1 and doc.parser_version
    assert SourceLetter.objects.count() >= len(SEED_FILES)
    assert Inspection.objects.exists()
    assert_no_duplicate_facts()
    # The status page and its partial report the end state, and no longer poll.
    partial = analyst_client.get(reverse("document_status", args=[documents[0].pk])).content.decode()
    assert "hx-trigger" not in partial and "status-" in partial

    # The same files again: recognised by content, not stored, not queued.
    again = upload(analyst_client, SEED_FILES[:2])
    assert {d.status for d in again} == {"duplicate"}
    assert [d.duplicate_of_id for d in again] == [d.pk for d in documents[:2]]


def test_a_worker_killed_mid_task_is_replaced_and_every_document_finishes_once(areas, analyst_client, celery_workers):
    slow = celery_workers.start(env={"SENDTRACKER_TEST_SLOW_SECONDS": "30"})
    documents = upload(analyst_client, SEED_FILES[:3])
    victim = documents[0]
    wait_status(victim.pk, "processing")
    slow.wait_for_log("SENDTRACKER_TEST_SLOW_SECONDS: pausing")
    assert slow.kill() != 0  # SIGKILL: no acknowledgement, no cleanup
    assert Document.objects.get(pk=victim.pk).status == "processing"

    # The unacknowledged message is handed on once it is older than the visibility timeout; a new worker
    # sweeps for such messages when it starts.
    time.sleep(6)
    fresh = celery_workers.start(env={"CELERY_VISIBILITY_TIMEOUT": "5"})
    finished = wait_finished([d.pk for d in documents], [fresh])
    for doc in finished.values():
        assert doc.status in GOOD, (doc.original_name, doc.status, doc.error)
    assert finished[victim.pk].attempts == 2  # once on the killed worker, once on the new one
    assert all(finished[d.pk].attempts == 1 for d in documents[1:])
    # Each document ran to the end exactly once on the new worker (a repeated message would log 'skipped').
    log = fresh.log()
    completed = log.count("succeeded in") - log.count(": 'skipped'") - log.count(": 'busy'")
    assert completed == len(documents), log[-4000:]
    assert_no_duplicate_facts()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own, with an append-only file so a restart keeps queued messages."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: redis flushes the append-only file and exits
            self.process.wait(10)


@pytest.fixture
def private_redis(tmp_path, worker_env):
    """Point this process's Celery app and the workers at a private Redis for the test's length."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    from sendtracker.celery import app

    server = PrivateRedis(tmp_path)
    server.start()
    saved = app.conf.broker_url
    app.conf.broker_url = server.url
    app._pool = None  # Celery caches the broker connection pools: rebuild them for the new URL
    app.amqp._producer_pool = None
    worker_env["REDIS_URL"] = server.url
    yield server
    server.stop()
    app.conf.broker_url = saved
    app._pool = None
    app.amqp._producer_pool = None


def test_stopping_the_broker_while_documents_wait_loses_none(areas, analyst_client, private_redis, celery_workers, settings):
    waiting = upload(analyst_client, SEED_FILES[:3])  # queued in Redis, no worker yet
    private_redis.stop()

    # Uploads while the broker is down still succeed: saved first, their queueing fails quietly after commit.
    orphans = upload(analyst_client, SEED_FILES[3:])
    assert orphans and {d.status for d in orphans} == {"queued"}

    private_redis.start()
    worker = celery_workers.start()
    # The beat job re-sends documents whose message never reached the broker.
    settings.DOCUMENT_QUEUED_STALE_SECONDS = 0
    counts = documents_requeue_stuck()
    assert counts["requeued"] >= len(orphans)
    finished = wait_finished([d.pk for d in waiting + orphans], [worker])
    for doc in finished.values():
        assert doc.status in GOOD, (doc.original_name, doc.status, doc.error)
    assert_no_duplicate_facts()


def test_reprocessing_every_document_twice_leaves_the_database_unchanged(areas, analyst_client, celery_worker):
    documents = upload(analyst_client, SEED_FILES)
    ids = [d.pk for d in documents]
    wait_finished(ids, [celery_worker])
    before = table_rows()
    assert before["inspections"] and before["letters"]

    for _ in range(2):
        for pk in ids:
            assert analyst_client.post(reverse("document_reprocess", args=[pk])).status_code == 302
        assert set(Document.objects.filter(pk__in=ids).values_list("status", flat=True)) <= {"queued", "processing", *GOOD}
        finished = wait_finished(ids, [celery_worker])
        assert all(doc.status in GOOD for doc in finished.values())
        assert table_rows() == before
