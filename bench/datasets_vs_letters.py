"""Benchmark: importing every dataset file against ingesting five letters, in one run (same process, same database).

    .venv/bin/python bench/datasets_vs_letters.py [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<yourdb> .venv/bin/python bench/datasets_vs_letters.py

The datasets: Ofsted's official statistics (.ods), the two management-information extracts (.csv) and
data-to-insight's summary page and workbook from ../shared/reference (without ../shared: the committed England
table, inspections/datasets/data/england.csv). The letters: the first five 2023-framework reports (PDF) of
../shared/corpus/reports-2023 (without ../shared: the five seed documents). Each side starts from an emptied
database with the area register loaded, and is timed from storing the first file to the last one's facts written,
in-process (`store` + the pipeline, as `manage.py ingest` does); best of `--repeat`. Files go to a throwaway
MEDIA_ROOT. The target (issue 21): datasets <= letters. Settings as `./scripts/serve` and the worker run: DEBUG off
(Django's debug cursor logs every statement; on SQLite it quotes every parameter of a 200-row insert again), with a
throwaway SECRET_KEY unless one is set.

Not a timed test: numbers depend on the machine and on what else runs on it (the load average is printed).
THE DATABASE NAMED IN DATABASE_URL IS EMPTIED; without DATABASE_URL a temporary SQLite file is used.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def dataset_files() -> list[Path]:
    stats, scrape = SHARED / "reference" / "ofsted-statistics", SHARED / "reference" / "d2i-send-scrape"
    files = sorted([*stats.glob("*.ods"), *stats.glob("*.csv"), *scrape.glob("*.html"), *scrape.glob("*.xlsx")]) if stats.is_dir() else []
    return files or [ROOT / "inspections" / "datasets" / "data" / "england.csv"]


def letter_files() -> list[Path]:
    reports = sorted((SHARED / "corpus" / "reports-2023").glob("*.pdf"))[:5]
    return reports or sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[:5]


def timed_import(files: list[Path]) -> tuple[float, list[str]]:
    from django.core.management import call_command

    from areas.resolver import AreaRegister
    from inspections.pipeline.run import ingest_document
    from inspections.pipeline.store import document_store

    call_command("flush", interactive=False, verbosity=0)
    call_command("load_areas", stdout=io.StringIO())
    AreaRegister.clear_cache()
    blobs = [(p.name, p.read_bytes()) for p in files]
    statuses = []
    gc.collect()  # the other side's garbage is not this side's time
    start = time.perf_counter()
    for name, data in blobs:
        document = document_store(stream=io.BytesIO(data), original_name=name)
        statuses.append(ingest_document(document.pk).status)
    return time.perf_counter() - start, statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-datasets-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(16).hex())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendtracker.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    datasets, letters = dataset_files(), letter_files()
    best = {"datasets": float("inf"), "letters": float("inf")}
    for _ in range(args.repeat):
        for side, files in (("datasets", datasets), ("letters", letters)):
            seconds, statuses = timed_import(files)
            best[side] = min(best[side], seconds)
            if not all(s in ("done", "needs_review") for s in statuses):
                raise SystemExit(f"{side}: not every file was read: {statuses}")
    from django.db import connection
    from inspections.models import Inspection

    print(f"database {connection.vendor}; load average {os.getloadavg()[0]:.2f}; best of {args.repeat}")
    print(f"datasets ({len(datasets)} files: {', '.join(p.name for p in datasets)}): {best['datasets']:.2f} s")
    print(f"letters  ({len(letters)} files: {', '.join(p.name for p in letters)}): {best['letters']:.2f} s")
    print(f"ratio datasets / five letters = {best['datasets'] / best['letters']:.2f} (target <= 1); "
          f"{Inspection.objects.count()} inspections after the last side")
    return 0 if best["datasets"] <= best["letters"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
