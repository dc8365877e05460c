"""Benchmark: `import_archive` of the shared corpus with 1 and 2 real Celery workers on PostgreSQL + Redis, as a
ratio against raw text extraction of the same files (issue 11).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<yourdb> REDIS_URL=redis://127.0.0.1:6379/<n> \
        .venv/bin/python bench/import_throughput.py [--workers 1 2] [--corpus DIR ...]

For each worker count: the database is emptied (flush + load_areas), the Redis queue purged, N worker processes
started (`celery worker --pool=solo`, one process each, as `-c N` would give), then `import_archive` of a zip of
the corpus is timed from its start until every document is finished (`--wait`), and the workers are stopped by
PID. "raw" is one process calling pypdfium2/python-docx/HTML text extraction (extract_text) on the same files,
serially, best of 3. ratio = import wall time / raw time: what storing, queueing, the broker, the pipeline and
the writes cost on top of reading the text. Files go to a throwaway MEDIA_ROOT.

Not a timed test: numbers depend on the machine and on what else runs on it (the load average is printed).
THE DATABASE NAMED IN DATABASE_URL IS EMPTIED: give it a database of your own.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "corpus"
DEFAULT_CORPUS = [SHARED / "reports-2023", SHARED / "not-send", SHARED / "secondary", SHARED / "seeds"]


def corpus_files(dirs: list[Path]) -> list[Path]:
    return sorted(p for d in dirs if d.is_dir() for p in d.rglob("*") if p.is_file() and not p.name.startswith("."))


def raw_seconds(files: list[Path]) -> float:
    from inspections.pipeline.extract import extract_text
    from inspections.pipeline.types import ExtractionError

    blobs = [p.read_bytes() for p in files]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for data in blobs:
            try:
                extract_text(data)
            except ExtractionError:
                pass
        best = min(best, time.perf_counter() - start)
    return best


def start_workers(n: int, env: dict) -> list[subprocess.Popen]:
    workers = []
    for i in range(n):
        workers.append(subprocess.Popen(
            [str(ROOT / ".venv/bin/celery"), "-A", "sendtracker", "worker", "--pool=solo", "--loglevel=WARNING",
             "-n", f"bench{i}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        ))
    ping = [str(ROOT / ".venv/bin/celery"), "-A", "sendtracker", "inspect", "ping", "--timeout", "2"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        out = subprocess.run(ping, cwd=ROOT, env=env, capture_output=True, text=True).stdout
        if out.count("pong") >= n:
            return workers
        time.sleep(1)
    stop_workers(workers)
    raise SystemExit("the workers did not answer a ping within 90 s")


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--corpus", type=Path, nargs="+", default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        raise SystemExit("set DATABASE_URL (PostgreSQL, a database of your own: it is emptied) and REDIS_URL")
    media = tempfile.mkdtemp(prefix="bench-import-media-")
    os.environ.update(MEDIA_ROOT=media, DJANGO_SETTINGS_MODULE="sendtracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from inspections.models import Document

    files = corpus_files(args.corpus)
    archive = Path(media) / "corpus.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            zf.write(path, f"{path.parent.name}/{path.name}")
    size = sum(p.stat().st_size for p in files)
    print(f"corpus: {len(files)} files, {size / 1e6:.1f} MB; load average {os.getloadavg()[0]:.2f}")
    call_command("migrate", verbosity=0)
    raw = raw_seconds(files)
    print(f"raw text extraction (one process, best of 3): {raw:.2f} s, {len(files) / raw:.1f} files/s")
    env = {**os.environ, "MEDIA_ROOT": media}
    for n in args.workers:
        call_command("flush", interactive=False, verbosity=0)
        call_command("load_areas", verbosity=0)
        subprocess.run([str(ROOT / ".venv/bin/celery"), "-A", "sendtracker", "purge", "-f"], cwd=ROOT, env=env,
                       capture_output=True)
        workers = start_workers(n, env)
        try:
            load = os.getloadavg()[0]
            out = io.StringIO()
            start = time.perf_counter()
            call_command("import_archive", str(archive), "--timeout", "1800", stdout=out)
            seconds = time.perf_counter() - start
        finally:
            stop_workers(workers)
        statuses = {s: Document.objects.filter(status=s).count() for s, _ in Document.Status.choices}
        summary = ", ".join(f"{k} {v}" for k, v in statuses.items() if v)
        print(f"{n} worker(s): {seconds:.2f} s, {len(files) / seconds:.2f} files/s, ratio to raw {seconds / raw:.1f}x "
              f"(load average at start {load:.2f}); documents: {summary}")
        if "Timed out" in out.getvalue():
            print(out.getvalue())


if __name__ == "__main__":
    main()
