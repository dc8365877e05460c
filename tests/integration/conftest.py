"""A REAL Celery worker, as a subprocess, for tests marked `integration`.

The worker runs `celery -A sendtracker worker` against the broker in REDIS_URL and the SAME PostgreSQL test
database as the test (pytest-django's `test_<name>`), with the test's MEDIA_ROOT, so a Document the test
stores is one the worker can read. The tests need `transactional_db` (pulled in here) because the worker
only sees committed rows.

Fixtures:
    areas            the area register loaded by `manage.py load_areas`, committed so the worker sees it
    celery_workers   a WorkerFactory: .start(**options) -> WorkerProcess; every worker is stopped at teardown
    celery_worker    one running worker (pool=solo)
`wait_finished(ids, workers)` polls until every document is finished, failing early if a worker dies.
A WorkerProcess has .stop() (warm shutdown: SIGTERM, finishes its task), .kill() (SIGKILL to its whole
process group, as a crash or the OOM killer would), .alive, .log(), .wait_for_log(text).

For redelivery-after-kill tests: start workers with env={"CELERY_VISIBILITY_TIMEOUT": "5"} so Redis hands an
unacknowledged task to the next worker after 5 s instead of the production 20 minutes.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command, get_commands

from inspections.models import Document
from inspections.ingest.services import FINISHED
from tests.conftest import PROJECT_ROOT

READY_TIMEOUT = 60
_names = itertools.count(1)


@dataclass
class WorkerProcess:
    name: str
    process: subprocess.Popen
    log_path: Path
    _log_handle: object = field(repr=False, default=None)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_for_log(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if not self.alive:
                raise AssertionError(f"worker {self.name} exited ({self.process.returncode}):\n{self.log()[-4000:]}")
            time.sleep(0.1)
        raise AssertionError(f"worker {self.name}: no {text!r} after {timeout}s:\n{self.log()[-4000:]}")

    def stop(self, timeout: float = 30) -> int:
        """Warm shutdown: the worker finishes the task in hand, acknowledges it and exits."""
        if self.alive:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close()
        return self.process.returncode

    def kill(self) -> int:
        """SIGKILL to the worker and its pool children: no cleanup, no acknowledgement."""
        if self.alive:
            self._signal(signal.SIGKILL)
        self.process.wait(10)
        self._close()
        return self.process.returncode

    def _signal(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)  # the worker leads its own session (start_new_session)
        except ProcessLookupError:
            pass

    def _close(self) -> None:
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None


class WorkerFactory:
    def __init__(self, *, env: dict[str, str], log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.started: list[WorkerProcess] = []

    def start(
        self, *, pool: str = "solo", concurrency: int = 1, env: dict[str, str] | None = None,
        queues: str = "celery", wait: bool = True,
    ) -> WorkerProcess:
        name = f"it{os.getpid()}-{next(_names)}@%h"
        log_path = self.log_dir / f"worker-{len(self.started) + 1}.log"
        handle = log_path.open("w")
        command = [
            sys.executable, "-m", "celery", "-A", "sendtracker", "worker", f"--pool={pool}",
            f"--concurrency={concurrency}", "--loglevel=INFO", "-n", name, "-Q", queues,
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env={**self.env, **(env or {})},
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
        )
        worker = WorkerProcess(name=name, process=process, log_path=log_path, _log_handle=handle)
        self.started.append(worker)
        if wait:
            worker.wait_for_log(" ready.", timeout=READY_TIMEOUT)
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            worker.stop()


def _die_with_parent() -> None:
    """Linux: the worker gets SIGTERM if pytest itself is killed, instead of living on as an orphan."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except OSError:
        pass


def _database_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{settings_dict.get('HOST') or 'localhost'}{port}/{settings_dict['NAME']}"


@pytest.fixture
def worker_env(transactional_db, settings) -> dict[str, str]:
    """The environment a worker needs to share this test's database, media and broker."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("integration tests need PostgreSQL: set DATABASE_URL=postgres://... (SQLite's test DB is in memory)")
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url.startswith("redis"):
        pytest.fail("integration tests need a broker: set REDIS_URL=redis://127.0.0.1:6379/<db>")
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sendtracker.settings",
        "DATABASE_URL": _database_url(connection.settings_dict),  # NAME is the test database by now
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def celery_workers(worker_env, tmp_path):
    from sendtracker.celery import app

    assert not app.conf.task_always_eager, "REDIS_URL is set, so tasks must go to the broker, not run inline"
    # Tasks left in the queue by an earlier, interrupted run would point at rows that no longer exist.
    app.control.purge()
    factory = WorkerFactory(env=worker_env, log_dir=tmp_path)
    yield factory
    factory.stop_all()


@pytest.fixture
def celery_worker(celery_workers) -> WorkerProcess:
    return celery_workers.start()


@pytest.fixture
def analyst_client(transactional_db, django_user_model):
    """A logged-in user who may upload, view and re-process documents (the upload page's permissions)."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    user = django_user_model.objects.create_user("uploader")
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="inspections", codename__in=["add_document", "view_document", "change_document"]))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def areas(transactional_db):
    assert "load_areas" in get_commands(), "the area register command (areas/management/commands/load_areas.py) is missing"
    call_command("load_areas", verbosity=0)


def wait_finished(ids: list[int], workers, timeout: float = 120) -> dict[int, Document]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        documents = Document.objects.in_bulk(ids)
        if all(doc.status in FINISHED for doc in documents.values()):
            return documents
        for worker in workers:
            assert worker.alive, f"worker died:\n{worker.log()[-4000:]}"
        time.sleep(0.25)
    states = {pk: (d.status, d.error) for pk, d in Document.objects.in_bulk(ids).items()}
    raise AssertionError(f"not finished in {timeout}s: {states}\n" + "\n".join(w.log()[-3000:] for w in workers))
