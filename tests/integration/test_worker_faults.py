"""Issue 14 faults 3 and 4 with the real parts: a REAL Celery worker on Redis and PostgreSQL.

- Fault 3: a file that kills its worker every time (here: the pool process is SIGKILLed each time it starts on
  the file, as the OOM killer would) is failed with a readable reason after DOCUMENT_MAX_ATTEMPTS runs, instead
  of being redelivered for ever. No beat job runs: the count is taken when the document is claimed.
- Fault 4: a worker started with a database it cannot reach exits non-zero with the reason before it takes any
  message; the message waits in Redis for a healthy worker. And a database outage in the middle of processing
  (the worker reaches PostgreSQL through a TCP proxy of the test's own, which the test cuts: the machine's
  PostgreSQL is never stopped) outlasts every retry, yet each document still ends done, with no beat job.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from inspections.models import Document
from sendtracker.celery import EXIT_DATABASE_UNREACHABLE
from sendtracker.celery import app as celery_app

from .conftest import wait_finished
from .test_upload_reliability import SEED_FILES, upload  # analyst_client: a fixture of tests/integration/conftest.py

pytestmark = pytest.mark.integration


def _children(pid: int) -> list[int]:
    """The pids whose parent is `pid` (Linux /proc): a prefork worker's pool processes."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_file_that_kills_its_worker_every_time_is_failed_with_the_reason(areas, analyst_client, celery_workers, settings):
    assert settings.DOCUMENT_MAX_ATTEMPTS == 3
    # The pause holds each run long enough to kill the pool process in the middle of it.
    worker = celery_workers.start(pool="prefork", concurrency=1, env={"SENDTRACKER_TEST_SLOW_SECONDS": "60"})
    [document] = upload(analyst_client, SEED_FILES[:1])

    kills = 0
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status != Document.Status.PROCESSING and kills:
            break
        if worker.log().count("SENDTRACKER_TEST_SLOW_SECONDS: pausing") > kills:
            for child in _children(worker.pid):
                os.kill(child, signal.SIGKILL)
            kills += 1
            assert kills <= 4, f"still redelivered after {kills} kills:\n{worker.log()[-3000:]}"
        assert worker.alive, worker.log()[-4000:]
        time.sleep(0.2)

    document.refresh_from_db()
    assert kills == 3, (kills, document.status, worker.log()[-3000:])
    assert document.status == Document.Status.FAILED, (document.status, document.error)
    assert document.error.startswith("Processing stopped the worker 3 times"), document.error
    assert document.attempts == 3
    assert worker.alive  # the worker itself carries on with other documents
    [other] = upload(analyst_client, SEED_FILES[1:2])
    assert wait_finished([other.pk], [worker], timeout=120)[other.pk].status in {"done", "needs_review"}


def _waiting_messages() -> int:
    with celery_app.connection_for_write() as connection:
        return connection.default_channel.client.llen("celery")


def test_a_worker_that_cannot_reach_its_database_takes_no_message(areas, analyst_client, celery_workers, worker_env):
    [document] = upload(analyst_client, SEED_FILES[:1])  # queued in Redis before any worker runs
    assert _waiting_messages() == 1

    unreachable = worker_env["DATABASE_URL"].rsplit("/", 1)[0] + "/st_no_such_database"
    broken = celery_workers.start(env={"DATABASE_URL": unreachable}, wait=False)
    try:
        broken.process.wait(60)
    except Exception:
        pytest.fail(f"a worker without its database kept running:\n{broken.log()[-3000:]}")
    assert broken.process.returncode == EXIT_DATABASE_UNREACHABLE, broken.log()[-3000:]
    assert "sendtracker worker not started: cannot reach the postgresql database 'st_no_such_database'" in broken.log()
    assert _waiting_messages() == 1, "the worker took the message although it could not process it"
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("queued", 0)

    healthy = celery_workers.start()
    finished = wait_finished([document.pk], [healthy], timeout=120)
    assert finished[document.pk].status in {"done", "needs_review"}, finished[document.pk].error


class TcpProxy:
    """127.0.0.1:<port> forwarded to `upstream`. `cut()` drops every connection and refuses new ones (the
    database "goes away" for the worker only); `restore()` listens again on the same port."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, server}
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    restore = start


def test_a_database_outage_longer_than_every_retry_still_ends_with_every_document_done(
    areas, analyst_client, celery_workers, worker_env,
):
    from django.db import connection

    proxy = TcpProxy((connection.settings_dict.get("HOST") or "127.0.0.1", int(connection.settings_dict.get("PORT") or 5432)))
    proxy.start()
    name = connection.settings_dict["NAME"]
    env = {
        "DATABASE_URL": f"postgres://{connection.settings_dict.get('USER') or 'postgres'}@127.0.0.1:{proxy.port}/{name}",
        # Seconds instead of minutes, so the test can outlast all eight retries: 1-2, 2-4, then 2-4 s each.
        "DOCUMENT_RETRY_FIRST_SECONDS": "2", "DOCUMENT_RETRY_MAX_SECONDS": "4",
        "SENDTRACKER_TEST_SLOW_SECONDS": "3",
    }
    worker = celery_workers.start(pool="prefork", concurrency=2, env=env)
    documents = upload(analyst_client, SEED_FILES[:2])
    worker.wait_for_log("SENDTRACKER_TEST_SLOW_SECONDS: pausing")
    proxy.cut()
    try:
        # Longer than all eight retries can take (at most 2 + 4 + 6 x 4 = 30 s after the first error).
        worker.wait_for_log("database unreachable after 9 tries", timeout=60)
        time.sleep(2)
    finally:
        proxy.restore()

    finished = wait_finished([d.pk for d in documents], [worker], timeout=120)
    for doc in finished.values():
        assert doc.status in {"done", "needs_review"}, (doc.original_name, doc.status, doc.error)
    assert worker.alive
