"""Soak test (issue 14): minutes of concurrent uploads, re-processing, analyst decisions and random worker kills
with the real parts, then a check that the database equals a sequential ingest of the same files with the same
decisions, and that nothing is stuck or left in storage. Not CI, not a test: run it by hand.

    .venv/bin/python bench/soak.py --minutes 3

The code is frozen first: the working tree (without .venv, .git, media) is copied to a temp dir and the script
re-runs itself from the copy, so every process below runs one version even while others edit the tree.

What runs (all started and stopped by this script, by PID):
- PostgreSQL: two databases of its own, `st_soak` (the soak) and `st_soak_ref` (the reference), dropped and
  created at the start, migrated with `manage.py migrate` + `load_areas`, dropped at the end (`--keep` keeps them).
- Redis: db 12 on 127.0.0.1:6379 (`--redis-url`); only that db is flushed.
- gunicorn (`sendtracker.wsgi`, DEBUG=0) on a free 127.0.0.1 port; the script logs in over HTTP as a superuser
  it creates, uploads from several threads (httpx), including simultaneous uploads of the same new file, and
  re-processes finished documents with POST /documents/<id>/reprocess/.
- Two Celery workers, `celery -A sendtracker worker -c 1` (prefork: a main process and one child each).
  A killer thread SIGKILLs a worker's child at random intervals (the main process forks a new one and, with
  acks_late + reject_on_worker_lost, the message is redelivered at once); every `--whole-every`th kill SIGKILLs a
  whole worker (main process and child, as the OOM killer or a lost machine would) and starts a replacement; its
  unacknowledged message comes back after Redis's visibility timeout (`--visibility`, 30 s here).
- Analyst decisions (`inspections/review/services.py`: fact_correct, fact_reject) run in this process's own
  Django setup against the soak database, while files are still arriving and being re-processed.

Files: tests/fixtures/seeds/*.txt, tests/fixtures/variants/* (pdf/docx/html), tests/fixtures/texts/*.txt|html and
../shared/corpus/reports-2023/*.pdf when present (read in place, never copied into the project). Files with
identical bytes are kept once (the first by sorted path), so which name a document carries cannot depend on
the race. Each upload's name is `<folder>-<file name>`.

At the end: wait until no document is queued or processing (`--drain-timeout`; on timeout the stuck documents
are listed), stop the workers and the web server, then in a subprocess ingest the same files in sorted order
in-process (no broker) into the reference database, apply the same decisions in the same order there (each
fact found by its natural key at the time of the decision: area GSS + framework + kind + start date for
inspections, + weakness kind + number for weaknesses), and compare:
- the fact tables and letters (tests/snapshots.py `snapshot()`, with the "at" timestamps of lock entries masked),
- each document's final status (duplicates aside),
- the stored files: every file under MEDIA_ROOT must belong to a Document row, and every row's file must exist;
- in each database, that every decision is still in force (`decisions_hold`: equal states could be equally wrong).
Prints the figures (documents, uploads, kills, re-processes, decisions, attempts and redeliveries) and exits 1
on any difference, anything stuck, any orphan file or any broken decision (then the databases and the logs are
kept); 0 otherwise.

`--max-attempts` (default 10) is DOCUMENT_MAX_ATTEMPTS for the soak's workers: the production default (3) would
rightly fail a document that happened to be under three random kills, which the reference, never killed, would
not fail. The figures say how many documents needed more than one attempt.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the code that runs: a frozen copy of the project (see main)
# The project the script was started from: its .venv and the shared corpus beside it.
SOURCE_ROOT = Path(os.environ.get("SOAK_SOURCE_ROOT") or ROOT)
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_REPORTS = SOURCE_ROOT.parent / "shared" / "corpus" / "reports-2023"
PYTHON = str(SOURCE_ROOT / ".venv" / "bin" / "python")
CELERY = str(SOURCE_ROOT / ".venv" / "bin" / "celery")
GUNICORN = str(SOURCE_ROOT / ".venv" / "bin" / "gunicorn")
# Not code: left out of the frozen copy.
COPY_IGNORE = (".venv", ".git", ".hypothesis", "media", "staticfiles", "test-artifacts", "__pycache__", "*.sqlite3",
               ".pytest_cache", "node_modules")
USERNAME = "soak"
PASSWORD = "soak-" + secrets.token_urlsafe(12)
# Lock entries carry the moment of the decision; the two databases decided at different moments. The entry is
# a repr inside a repr, so its quotes may be backslash-escaped.
LOCK_TIME = re.compile(r"(\\?')at\1: \1[^'\\]*\1")


# ----------------------------------------------------------------------------------------------- the files

@dataclass(frozen=True)
class SoakFile:
    name: str  # the upload's name, "<folder>-<file>"; also the Document's original_name in both databases
    path: Path


def soak_files() -> tuple[list[SoakFile], list[str]]:
    """The files to ingest, sorted by path, one per distinct content. Returns (files, names dropped as copies)."""
    paths = sorted(
        [*(FIXTURES / "seeds").glob("*.txt"),
         *(p for p in (FIXTURES / "variants").glob("*") if p.suffix in {".pdf", ".docx", ".html", ".txt"}),
         *(FIXTURES / "texts").glob("*.txt"), *(FIXTURES / "texts").glob("*.html"),
         *(SHARED_REPORTS.glob("*.pdf") if SHARED_REPORTS.is_dir() else [])]
    )
    seen: dict[str, str] = {}
    files, dropped = [], []
    for path in paths:
        name = f"{path.parent.name}-{path.name}"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen:
            dropped.append(f"{name} (same bytes as {seen[digest]})")
            continue
        seen[digest] = name
        files.append(SoakFile(name=name, path=path))
    return files, dropped


# ------------------------------------------------------------------------------------------- infrastructure

def pg_url(base: str, name: str) -> str:
    return f"{base.rstrip('/')}/{name}"


def recreate_database(base: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(pg_url(base, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> None:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    """Direct child PIDs, from /proc (psutil is not installed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces or parentheses, so split after the last ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


class Worker:
    """One `celery worker -c 1` in its own session (so the whole worker can be killed as a group)."""

    def __init__(self, number: int, env: dict, log_dir: Path):
        self.number = number
        self.log_path = log_dir / f"worker-{number}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [CELERY, "-A", "sendtracker", "worker", "-c", "1", "--loglevel=INFO", "-n", f"soak{number}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log_path.read_text(errors="replace"):
                return
            if not self.alive:
                raise SystemExit(f"worker {self.number} exited ({self.process.returncode}):\n{self.log_tail()}")
            time.sleep(0.3)
        raise SystemExit(f"worker {self.number} not ready after {timeout} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def kill_group(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(30)
        self._log.close()

    def stop(self) -> None:
        if self.alive:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown: finishes the task in hand
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.kill_group()
            except ProcessLookupError:
                pass
        self._log.close()


# -------------------------------------------------------------------------------------------- the decisions

def inspection_key(fact) -> list:
    return [fact.area.gss_code, fact.framework, fact.kind, fact.start_date.isoformat()]


def weakness_key(fact) -> list:
    return [*inspection_key(fact.inspection), fact.kind, fact.number]


def find_fact(model: str, key: list):
    """The one fact (rejected or not) with this natural key, or None. Raises on more than one (a doubled fact)."""
    from inspections.models import Inspection, SignificantWeakness

    if model == "inspection":
        gss, framework, kind, start = key
        rows = Inspection.all_objects.filter(area__gss_code=gss, framework=framework, kind=kind,
                                             start_date=date.fromisoformat(start), is_placeholder=False)
    else:
        gss, framework, ikind, start, kind, number = key
        rows = SignificantWeakness.all_objects.filter(
            inspection__area__gss_code=gss, inspection__framework=framework, inspection__kind=ikind,
            inspection__start_date=date.fromisoformat(start), inspection__is_placeholder=False, kind=kind,
            number=number)
    rows = list(rows.select_related("area" if model == "inspection" else "inspection__area"))
    if len(rows) > 1:
        raise RuntimeError(f"{len(rows)} {model} facts with the key {key}")
    return rows[0] if rows else None


def apply_decision(decision: dict, user) -> None:
    """Apply one recorded decision with the review services. Raises when its fact is missing or refused."""
    from inspections.review.services import fact_correct, fact_reject

    fact = find_fact(decision["model"], decision["key"])
    if fact is None:
        raise LookupError(f"no {decision['model']} with the key {decision['key']}")
    if decision["action"] == "reject":
        fact_reject(fact=fact, user=user, note=decision["note"])
    else:
        value = decision["value"]
        if decision["field"] == "start_date":
            value = date.fromisoformat(value)
        fact_correct(fact=fact, field=decision["field"], value=value, user=user, note=decision["note"])


def decisions_hold(decisions: list[dict]) -> list[str]:
    """Check that every decision is still in force at the end: each decided fact exists once under its final
    natural key (the key follows its start-date and number corrections, and a weakness follows its inspection's),
    holds the last value corrected into each field, and is rejected exactly when it (or its inspection) was.
    Returns one line per broken decision. Run in both databases: two states can be equal and both wrong."""
    tracked: list[dict] = []  # {"model", "key" (list, current), "fields": {name: value}, "rejected": bool}

    def entry(model: str, key: list) -> dict:
        for fact in tracked:
            if fact["model"] == model and fact["key"] == key:
                return fact
        fact = {"model": model, "key": list(key), "fields": {}, "rejected": False}
        tracked.append(fact)
        return fact

    for decision in decisions:
        fact = entry(decision["model"], decision["key"])
        if decision["action"] == "reject":
            fact["rejected"] = True
            if fact["model"] == "inspection":  # its weaknesses go with it (review/services.py: _dependants)
                for other in tracked:
                    if other["model"] == "weakness" and other["key"][:4] == fact["key"]:
                        other["rejected"] = True
            continue
        name, value = decision["field"], decision["value"]
        if name == "start_date":
            old = list(fact["key"])
            fact["key"][3] = value
            for other in tracked:
                if other["model"] == "weakness" and other["key"][:4] == old:
                    other["key"][3] = value
        elif name == "number":
            fact["key"][5] = value
        else:
            fact["fields"][name] = value
    broken = []
    for fact in tracked:
        try:
            row = find_fact(fact["model"], fact["key"])
        except RuntimeError as exc:  # more than one row: a doubled fact
            broken.append(f"{fact['model']} {fact['key']}: {exc}")
            continue
        if row is None:
            broken.append(f"{fact['model']} {fact['key']}: no such fact at the end (decided: {fact})")
            continue
        if row.rejected != fact["rejected"]:
            broken.append(f"{fact['model']} {fact['key']}: rejected is {row.rejected}, decided {fact['rejected']}")
        for name, value in fact["fields"].items():
            if getattr(row, name) != value:
                broken.append(f"{fact['model']} {fact['key']}: {name} is {getattr(row, name)!r}, decided {value!r}")
    return broken


def choose_decision(rng: random.Random, number: int) -> dict | None:
    """A decision on a random visible fact read from a letter (not a placeholder, with a start date), as a
    plain record: model, natural key before the decision, action, field, value, note. None if none fits."""
    from inspections.models import Inspection, SignificantWeakness, SourceKind

    inspections = Inspection.objects.filter(source_kind=SourceKind.LETTER, is_placeholder=False,
                                            start_date__isnull=False)
    weaknesses = SignificantWeakness.objects.filter(
        source_kind=SourceKind.LETTER, inspection__rejected=False, inspection__is_placeholder=False,
        inspection__start_date__isnull=False)
    kind = rng.choices(["i_lead", "i_start", "w_number", "w_text", "w_reject", "i_reject"], [3, 2, 2, 2, 3, 1])[0]
    rows = inspections if kind.startswith("i_") else weaknesses
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return None
    note = f"soak decision {number}"
    if kind.startswith("i_"):
        fact = Inspection.objects.select_related("area").get(pk=rng.choice(ids))
        record = {"model": "inspection", "key": inspection_key(fact), "note": note}
        if kind == "i_lead":
            return {**record, "action": "correct", "field": "lead_inspector", "value": f"Soak Inspector {number}"}
        if kind == "i_start":
            return {**record, "action": "correct", "field": "start_date",
                    "value": (fact.start_date - timedelta(days=1)).isoformat()}
        return {**record, "action": "reject"}
    fact = SignificantWeakness.objects.select_related("inspection__area").get(pk=rng.choice(ids))
    record = {"model": "weakness", "key": weakness_key(fact), "note": note}
    if kind == "w_number":
        return {**record, "action": "correct", "field": "number", "value": fact.number + 40}
    if kind == "w_text":
        return {**record, "action": "correct", "field": "text", "value": f"{fact.text} [soak correction {number}]"}
    return {**record, "action": "reject"}


# ---------------------------------------------------------------------------------------- comparing states

def state() -> dict:
    """What must be equal between the two databases: facts and letters (masked lock times), and each
    non-duplicate document's status by name."""
    from inspections.models import Document
    from tests.snapshots import snapshot

    facts, keys, hidden = {}, {}, {}
    for table, rows in snapshot().items():
        facts[table] = [LOCK_TIME.sub(r"\1at\1: \1*\1", repr(row)) for row in rows]
        if table == "letters":
            continue
        # The natural key leads each fact row (a judgement: its revisit's and its weakness's); the provenance,
        # with `rejected` at index 7, ends it (tests/snapshots.py).
        keys[table] = [repr(row[:2] if table == "judgements" else row[0]) for row in rows]
        hidden[table] = [bool(row[-1][7]) for row in rows]
    documents = sorted(
        f"{name}: {status}" for name, status in
        Document.objects.exclude(status=Document.Status.DUPLICATE).values_list("original_name", "status"))
    return {**facts, "documents": documents, "_keys": keys, "_hidden": hidden}


def differences(soak: dict, reference: dict) -> tuple[list[str], list[str]]:
    """(differences, tolerated): tolerated are rejected rows whose natural key the other database has no row
    for at all. By design (pipeline/write.py: "nothing new under a fact an analyst rejected") a revisit, weakness
    or judgement whose letter arrives after its parent was rejected is not stored, while one that arrived before
    stays as a rejected row: hidden from every page either way, so the order shows only in hidden rows."""
    lines, tolerated = [], []
    for table in sorted(t for t in set(soak) | set(reference) if not t.startswith("_")):
        a, b = Counter(soak.get(table, [])), Counter(reference.get(table, []))
        for side, here, there, only in (("soak", soak, reference, a - b), ("reference", reference, soak, b - a)):
            rows = here.get(table, [])
            for row in sorted(only.elements()):
                i = rows.index(row)
                key = here.get("_keys", {}).get(table, [None] * len(rows))[i]
                if (key is not None and here["_hidden"][table][i]
                        and key not in there.get("_keys", {}).get(table, [])):
                    tolerated.append(f"{table}: rejected row only in {side}: {row}")
                else:
                    lines.append(f"{table}: only in {side}: {row}")
    return lines, tolerated


# ------------------------------------------------------------------------------------------- reference run

def reference_main(plan_path: Path, out_path: Path) -> None:
    """In the reference database (DATABASE_URL, no broker): ingest the plan's files in order in-process, apply
    its decisions in order, write state() as JSON."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from inspections.models import Document
    from inspections.pipeline.run import ingest_document
    from inspections.pipeline.store import document_store

    plan = json.loads(plan_path.read_text())
    user = get_user_model().objects.create_superuser(USERNAME, "soak@example.invalid", PASSWORD)
    for item in plan["files"]:
        with open(item["path"], "rb") as stream:
            document = document_store(stream=stream, original_name=item["name"], uploaded_by=user)
        if document.status != Document.Status.DUPLICATE:
            ingest_document(document.pk)
    problems = []
    for number, decision in enumerate(plan["decisions"], 1):
        try:
            apply_decision(decision, user)
        except Exception as exc:  # a decision the soak could make and the reference cannot is a difference
            problems.append(f"decision {number} {decision}: {type(exc).__name__}: {exc}")
    problems += [f"decision not in force: {line}" for line in decisions_hold(plan["decisions"])]
    out_path.write_text(json.dumps({"state": state(), "problems": problems}))


# ------------------------------------------------------------------------------------------------ the soak

@dataclass
class Figures:
    uploads: int = 0  # POSTs
    uploaded_files: int = 0
    race_uploads: int = 0  # files uploaded twice at the same moment
    http_errors: list[str] = field(default_factory=list)
    http_retries: int = 0  # a kept-alive connection closed by the server as it was reused
    reprocesses: int = 0
    attempts_before_reprocess: int = 0
    decisions: Counter = field(default_factory=Counter)
    decisions_refused: list[str] = field(default_factory=list)
    child_kills: int = 0
    child_kills_busy: int = 0  # some document was processing when the child died (maybe in the other worker)
    worker_kills: int = 0
    replacements: int = 0
    thread_errors: list[str] = field(default_factory=list)


class Soak:
    def __init__(self, args, files: list[SoakFile], env: dict, log_dir: Path, base_url: str):
        self.args = args
        self.files = files
        self.env = env
        self.log_dir = log_dir
        self.base_url = base_url
        self.rng = random.Random(args.seed)
        self.figures = Figures()
        self.decisions: list[dict] = []
        self.workers: list[Worker] = []
        self.worker_numbers = iter(range(1, 10_000))
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.deadline = time.monotonic() + args.minutes * 60
        self.upload_deadline = time.monotonic() + args.minutes * 60 * args.upload_share

    # -- HTTP
    def client(self):
        import httpx

        client = httpx.Client(base_url=self.base_url, timeout=120, follow_redirects=False)
        page = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = client.post("/accounts/login/", data={"username": USERNAME, "password": PASSWORD,
                                                     "csrfmiddlewaretoken": token})
        if answer.status_code != 302:
            raise SystemExit(f"login failed: {answer.status_code} {answer.text[:500]}")
        return client

    def post(self, client, url: str, **kwargs):
        """POST with the session's CSRF token. One retry when the server closed a kept-alive connection just as
        it was reused (httpx: "Server disconnected without sending a response"): the request was not handled."""
        import httpx

        data = {"csrfmiddlewaretoken": client.cookies["csrftoken"]}
        try:
            return client.post(url, data=data, **kwargs)
        except httpx.RemoteProtocolError:
            with self.lock:
                self.figures.http_retries += 1
            return client.post(url, data=data, **kwargs)

    def upload(self, client, batch: list[SoakFile]) -> None:
        files = [("files", (f.name, f.path.read_bytes(), "application/octet-stream")) for f in batch]
        answer = self.post(client, "/documents/upload/", files=files)
        with self.lock:
            self.figures.uploads += 1
            self.figures.uploaded_files += len(batch)
            if answer.status_code != 302:
                self.figures.http_errors.append(f"upload {[f.name for f in batch]}: {answer.status_code}")

    # -- threads
    def guarded(self, name: str, body) -> threading.Thread:
        def run():
            try:
                body()
            except BaseException:  # SystemExit too (a replacement worker that never got ready)
                with self.lock:
                    self.figures.thread_errors.append(f"{name}: {traceback.format_exc()}")
        thread = threading.Thread(target=run, name=name, daemon=True)
        thread.start()
        return thread

    def uploader_plan(self) -> list[tuple[str, list[SoakFile]]]:
        """Batches of 1-3 files in random order; `--races` single files are uploaded twice at the same moment."""
        order = list(self.files)
        self.rng.shuffle(order)
        items: list[tuple[str, list[SoakFile]]] = []
        races = set(self.rng.sample(range(len(order)), min(self.args.races, len(order))))
        i = 0
        while i < len(order):
            if i in races:
                items.append(("race", [order[i]]))
                i += 1
                continue
            size = self.rng.randint(1, 3)
            items.append(("batch", order[i:i + size]))
            i += size
        return items

    def run_uploads(self) -> None:
        items = self.uploader_plan()
        pending = list(items)
        pace = max(0.0, (self.upload_deadline - time.monotonic()) / max(1, len(items)))
        race_clients = [self.client(), self.client()]  # one race at a time (race_lock), each POST on its own client
        race_lock = threading.Lock()
        clients = [self.client() for _ in range(self.args.upload_threads)]

        def uploader(client):
            while not self.stop.is_set():
                with self.lock:
                    if not pending:
                        return
                    kind, batch = pending.pop(0)
                if kind == "race":
                    barrier = threading.Barrier(2)

                    def one(c):
                        barrier.wait()
                        self.upload(c, batch)
                    with race_lock:
                        pair = [threading.Thread(target=one, args=(c,)) for c in race_clients]
                        for t in pair:
                            t.start()
                        for t in pair:
                            t.join()
                    with self.lock:
                        self.figures.race_uploads += 1
                else:
                    self.upload(client, batch)
                time.sleep(pace * self.args.upload_threads * self.rng.uniform(0.5, 1.5))

        threads = [threading.Thread(target=uploader, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def run_reprocess(self) -> None:
        from django.db import connection

        from inspections.ingest.services import FINISHED
        from inspections.models import Document

        client = self.client()
        try:
            while not self.stop.wait(self.rng.uniform(*self.args.reprocess_every)):
                rows = list(Document.objects.filter(status__in=FINISHED).exclude(status=Document.Status.DUPLICATE)
                            .values_list("pk", "attempts"))
                if not rows:
                    continue
                pk, attempts = self.rng.choice(rows)
                answer = self.post(client, f"/documents/{pk}/reprocess/")
                with self.lock:
                    if answer.status_code != 302:
                        self.figures.http_errors.append(f"reprocess #{pk}: {answer.status_code}")
                    else:
                        # Only this thread re-processes, and a finished document stays finished until it does:
                        # the POST re-ran it, and `attempts` (reset by it) was this many for the run before.
                        self.figures.reprocesses += 1
                        self.figures.attempts_before_reprocess += attempts
        finally:
            connection.close()

    def run_decisions(self, user) -> None:
        from django.core.exceptions import ValidationError
        from django.db import connection

        number = 0
        try:
            while not self.stop.wait(self.rng.uniform(*self.args.decide_every)):
                number += 1
                decision = choose_decision(self.rng, number)
                if decision is None:
                    continue
                try:
                    apply_decision(decision, user)
                except ValidationError as exc:  # e.g. the corrected number is taken: the analyst is told so
                    with self.lock:
                        self.figures.decisions_refused.append(f"{decision}: {exc}")
                    continue
                except Exception as exc:  # a race the service did not survive: reported, not recorded
                    with self.lock:
                        self.figures.decisions_refused.append(f"{decision}: {type(exc).__name__}: {exc}")
                    continue
                with self.lock:
                    self.decisions.append(decision)
                    self.figures.decisions[f"{decision['model']} {decision['action']} {decision.get('field', '')}".strip()] += 1
        finally:
            connection.close()

    def start_worker(self) -> Worker:
        worker = Worker(next(self.worker_numbers), self.env, self.log_dir)
        self.workers.append(worker)
        return worker

    def live_workers(self) -> list[Worker]:
        return [w for w in self.workers if w.alive]

    def run_kills(self) -> None:
        from django.db import connection

        from inspections.models import Document

        kills = 0
        try:
            while not self.stop.wait(self.rng.uniform(*self.args.kill_every)):
                live = self.live_workers()
                if not live:
                    continue
                worker = self.rng.choice(live)
                # Aim at work in progress: wait (up to 3 s) for a document to be processing somewhere.
                for _ in range(30):
                    busy = Document.objects.filter(status=Document.Status.PROCESSING).exists()
                    if busy or self.stop.wait(0.1):
                        break
                kills += 1
                if kills % self.args.whole_every == 0:
                    worker.kill_group()
                    replacement = self.start_worker()
                    replacement.wait_ready()
                    with self.lock:
                        self.figures.worker_kills += 1
                        self.figures.replacements += 1
                    continue
                children = children_of(worker.process.pid)
                if not children:
                    continue
                os.kill(self.rng.choice(children), signal.SIGKILL)
                with self.lock:
                    self.figures.child_kills += 1
                    self.figures.child_kills_busy += busy
        finally:
            connection.close()

    def run(self, user) -> None:
        for _ in range(2):
            self.start_worker()
        for worker in self.workers:
            worker.wait_ready()
        threads = [
            self.guarded("uploads", self.run_uploads),
            self.guarded("reprocess", self.run_reprocess),
            self.guarded("decisions", lambda: self.run_decisions(user)),
            self.guarded("kills", self.run_kills),
        ]
        while time.monotonic() < self.deadline:
            time.sleep(1)
            # A worker that died on its own (not killed by us) is a finding; keep two running regardless.
            for worker in self.workers:
                if not worker.alive and worker.process.returncode not in (-signal.SIGKILL,):
                    with self.lock:
                        self.figures.thread_errors.append(
                            f"worker {worker.number} exited by itself ({worker.process.returncode}):\n{worker.log_tail()}")
                    worker.process.returncode = -signal.SIGKILL  # report once
        self.stop.set()
        for thread in threads:
            thread.join(timeout=300)
        while len(self.live_workers()) < 2:
            self.start_worker().wait_ready()

    def drain(self) -> list[str]:
        """Wait until no document is queued or processing; returns the stuck ones (empty when drained)."""
        from inspections.ingest.services import PENDING
        from inspections.models import Document

        deadline = time.monotonic() + self.args.drain_timeout
        while time.monotonic() < deadline:
            if not Document.objects.filter(status__in=PENDING).exists():
                return []
            for worker in self.workers:  # nothing kills workers now: one that stopped is a finding
                if not worker.alive and worker.process.returncode != -signal.SIGKILL:
                    self.figures.thread_errors.append(
                        f"worker {worker.number} exited while draining ({worker.process.returncode}):\n{worker.log_tail()}")
                    worker.process.returncode = -signal.SIGKILL  # report once
            while len(self.live_workers()) < 2:
                self.start_worker().wait_ready()
            time.sleep(1)
        return [f"#{d.pk} {d.original_name}: {d.status}, attempts {d.attempts}, started {d.started_at}, "
                f"updated {d.updated_at}, error {d.error!r}"
                for d in Document.objects.filter(status__in=PENDING).defer("text")]

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop()


def worker_log_counts(log_dir: Path) -> Counter:
    """Task outcomes the workers logged: 'busy' (another copy held the document), 'skipped' (finished already),
    a task lost with its killed child (requeued at once: reject_on_worker_lost), transient-error retries."""
    counts: Counter = Counter()
    for path in log_dir.glob("worker-*.log"):
        text = path.read_text(errors="replace")
        counts["busy"] += text.count(": 'busy'")
        counts["skipped"] += text.count(": 'skipped'")
        counts["task lost with its child"] += text.count("Task handler raised error: WorkerLostError")
        counts["retry"] += text.count("transient error, retry")
    return counts


def orphan_files(media: Path) -> tuple[list[str], list[str]]:
    """(files under MEDIA_ROOT with no Document row, Document rows whose file is missing)."""
    from inspections.models import Document

    held = {name for name in Document.objects.exclude(file="").values_list("file", flat=True)}
    stored = {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}
    return sorted(stored - held), sorted(held - stored)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL, no database")
    parser.add_argument("--db", default="st_soak")
    parser.add_argument("--ref-db", default="st_soak_ref")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12", help="this db is FLUSHED")
    parser.add_argument("--seed", type=int, default=None, help="random seed (printed; default: random)")
    parser.add_argument("--upload-threads", type=int, default=3)
    parser.add_argument("--upload-share", type=float, default=0.6, help="uploads are spread over this share of the run")
    parser.add_argument("--races", type=int, default=6, help="files uploaded twice at the same moment")
    parser.add_argument("--reprocess-every", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--decide-every", type=float, nargs=2, default=(1.0, 4.0), metavar=("MIN", "MAX"))
    parser.add_argument("--kill-every", type=float, nargs=2, default=(2.0, 6.0), metavar=("MIN", "MAX"))
    parser.add_argument("--whole-every", type=int, default=5, help="every Nth kill takes the whole worker")
    parser.add_argument("--visibility", type=int, default=30, help="Redis visibility timeout for the soak (s)")
    parser.add_argument("--max-attempts", type=int, default=10, help="DOCUMENT_MAX_ATTEMPTS for the soak")
    parser.add_argument("--drain-timeout", type=float, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the databases and the temp dir")
    parser.add_argument("--reference", nargs=2, type=Path, metavar=("PLAN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        reference_main(*args.reference)
        return 0
    if args.seed is None:
        args.seed = random.randrange(1_000_000)
    if not os.environ.get("SOAK_SOURCE_ROOT"):
        # Freeze the code: every process of the soak (web, workers, replacements, this one, the reference) must
        # run the same version, and a shared working tree changes under a run of several minutes (a pipeline
        # file edited mid-run showed up as a "difference"). Copy the tree and re-run this script from the copy.
        import shutil

        work = Path(tempfile.mkdtemp(prefix="soak-"))
        shutil.copytree(ROOT, work / "code", ignore=shutil.ignore_patterns(*COPY_IGNORE))
        env = {**os.environ, "SOAK_SOURCE_ROOT": str(ROOT), "SOAK_WORK": str(work)}
        argv = [PYTHON, str(work / "code" / "bench" / "soak.py"), *sys.argv[1:], "--seed", str(args.seed)]
        os.execve(PYTHON, argv, env)

    files, dropped = soak_files()
    work = Path(os.environ["SOAK_WORK"])
    media, ref_media, logs = work / "media", work / "ref-media", work / "logs"
    for d in (media, ref_media, logs):
        d.mkdir()
    print(f"soak: {args.minutes} min, seed {args.seed}, {len(files)} files ({len(dropped)} identical copies left "
          f"out{': ' + ', '.join(dropped) if dropped else ''}), work dir {work}, load average {os.getloadavg()[0]:.2f}",
          flush=True)

    secret = secrets.token_urlsafe(50)
    base_env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "sendtracker.settings", "PYTHONUNBUFFERED": "1",
        "DEBUG": "0", "SECRET_KEY": secret, "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on 127.0.0.1: no HTTPS redirect, no secure-only cookies.
        "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0", "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(work / "static"),  # DEBUG=0 serves hashed static files: collected below
    }
    soak_env = {**base_env, "DATABASE_URL": pg_url(args.pg, args.db), "REDIS_URL": args.redis_url,
                "MEDIA_ROOT": str(media), "CELERY_VISIBILITY_TIMEOUT": str(args.visibility),
                "DOCUMENT_MAX_ATTEMPTS": str(args.max_attempts)}
    ref_env = {**base_env, "DATABASE_URL": pg_url(args.pg, args.ref_db), "REDIS_URL": "", "MEDIA_ROOT": str(ref_media)}

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    started = time.monotonic()
    for name in (args.db, args.ref_db):
        recreate_database(args.pg, name)
    for env in (soak_env, ref_env):
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "load_areas", "--verbosity", "0")
    manage(soak_env, "collectstatic", "--noinput", "--verbosity", "0")
    print(f"databases {args.db} and {args.ref_db} migrated, areas loaded ({time.monotonic() - started:.0f} s)", flush=True)

    os.environ.update(soak_env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from inspections.models import Document

    user = get_user_model().objects.create_superuser(USERNAME, "soak@example.invalid", PASSWORD)
    port = free_port()
    gunicorn_log = (logs / "gunicorn.log").open("w")
    web = subprocess.Popen(
        [GUNICORN, "sendtracker.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "-k", "gthread", "--threads", "4",
         "--timeout", "120", "--keep-alive", "75"],
        cwd=ROOT, env=soak_env, stdout=gunicorn_log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    soak = Soak(args, files, soak_env, logs, f"http://127.0.0.1:{port}")
    exit_code = 0
    try:
        import httpx

        for _ in range(120):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit(f"gunicorn did not answer:\n{(logs / 'gunicorn.log').read_text()[-3000:]}")
        print(f"gunicorn on :{port}; 2 workers; soaking for {args.minutes} min", flush=True)
        soak_started = time.monotonic()
        soak.run(user)
        print(f"soak phase over after {time.monotonic() - soak_started:.0f} s; draining", flush=True)
        drain_started = time.monotonic()
        stuck = soak.drain()
        drained_in = time.monotonic() - drain_started
    finally:
        soak.stop_all()
        web.send_signal(signal.SIGTERM)
        try:
            web.wait(30)
        except subprocess.TimeoutExpired:
            web.kill()
        gunicorn_log.close()

    # --- figures of the soak database
    f = soak.figures
    docs = Document.objects.defer("text")
    non_dup = docs.exclude(status=Document.Status.DUPLICATE)
    statuses = Counter(non_dup.values_list("status", flat=True))
    final_attempts = sum(non_dup.values_list("attempts", flat=True))
    runs = non_dup.count() + f.reprocesses
    total_attempts = final_attempts + f.attempts_before_reprocess
    multi = list(non_dup.filter(attempts__gt=1).values_list("original_name", "attempts"))
    logged = worker_log_counts(logs)
    orphans, missing = orphan_files(media)
    soak_state = state()
    broken = decisions_hold(soak.decisions)
    connection.close()

    # --- the reference
    plan = work / "plan.json"
    plan.write_text(json.dumps({"files": [{"name": s.name, "path": str(s.path)} for s in files],
                                "decisions": soak.decisions}))
    out = work / "reference.json"
    ref_started = time.monotonic()
    result = subprocess.run([PYTHON, str(Path(__file__).resolve()), "--reference", str(plan), str(out)],
                            cwd=ROOT, env=ref_env, capture_output=True, text=True)
    if result.returncode:
        print(f"reference run failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
        return 2
    reference = json.loads(out.read_text())
    diff, tolerated = differences(soak_state, reference["state"])

    print()
    print(f"documents: {non_dup.count()} distinct files from {f.uploaded_files} uploaded files in {f.uploads} "
          f"POSTs ({f.race_uploads} files uploaded twice at the same moment); "
          f"{docs.filter(status=Document.Status.DUPLICATE).count()} duplicate rows")
    print(f"  final statuses: {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}")
    print(f"re-processes (HTTP): {f.reprocesses}; decisions applied: {sum(f.decisions.values())} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(f.decisions.items()))}); refused: {len(f.decisions_refused)}")
    for line in f.decisions_refused:
        print(f"  refused: {line}")
    print(f"kills: {f.child_kills + f.worker_kills} SIGKILLs — {f.child_kills} worker children "
          f"({f.child_kills_busy} while some document was processing), {f.worker_kills} whole workers "
          f"({f.replacements} replacements started)")
    print(f"attempts: {total_attempts} claims for {runs} runs (uploads + re-processes) -> "
          f"{total_attempts - runs} redeliveries that re-ran a document; documents now with attempts > 1: "
          f"{len(multi)} {multi if multi else ''}")
    print(f"worker logs: {dict(logged)}")
    print(f"drained in {drained_in:.0f} s; stuck: {len(stuck)}; HTTP errors {len(f.http_errors)}, "
          f"retried requests {f.http_retries}")
    for line in stuck:
        print(f"  stuck: {line}")
    print(f"storage: {len(orphans)} files without a row, {len(missing)} rows without their file")
    for name in orphans:
        print(f"  orphan file: {name}")
    for name in missing:
        print(f"  missing file: {name}")
    for line in f.http_errors:
        print(f"  http error: {line}")
    for line in f.thread_errors:
        print(f"  thread error: {line}")
    sizes = ", ".join(f"{k} {len(v)}" for k, v in soak_state.items() if not k.startswith("_"))
    print(f"reference: sequential in-process ingest + {len(soak.decisions)} decisions in "
          f"{time.monotonic() - ref_started:.0f} s; rows compared: {sizes}")
    print(f"decisions in force at the end: {len(soak.decisions)} applied, {len(broken)} broken in the soak database, "
          f"{len(reference['problems'])} problems in the reference")
    for line in broken:
        print(f"  soak decision broken: {line}")
    for line in reference["problems"]:
        print(f"  reference decision problem: {line}")
    for line in tolerated:
        print(f"  hidden, tolerated: {line[:600]}")
    if diff:
        print(f"COMPARISON: {len(diff)} differing rows")
        for line in diff[:200]:
            print(f"  {line}")
    else:
        print("COMPARISON: soak database == sequential reference (facts, letters, document statuses)"
              + (f"; {len(tolerated)} rejected rows present on one side only (listed above)" if tolerated else ""))

    if diff or stuck or orphans or missing or broken or f.http_errors or f.thread_errors or reference["problems"]:
        exit_code = 1
    if args.keep or exit_code:
        print(f"kept: databases {args.db}, {args.ref_db}; work dir with the worker and gunicorn logs: {work}")
    else:
        for name in (args.db, args.ref_db):
            recreate_database(args.pg, name, drop_only=True)
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
