"""Peak memory of the process that ingests a hostile file (issue "bounded under hostile input", items 1-3).

    .venv/bin/python bench/hostile_rss.py [--case pdf-bomb|many-letters|zip-upload ...] [--project DIR]

Each case runs in a fresh process against a throwaway SQLite database (tasks in-process, as `serve` runs them):
- pdf-bomb      a one-page PDF whose content stream inflates to --bomb-mb MB (default 512) of blank space;
- many-letters  one text holding --copies (default 330) copies of a real revisit letter (4.5 MB);
- zip-upload    the upload form given --zips zips (default 1) of --members (default 8) members of 40 MB each.
It prints the process's peak RSS (ru_maxrss), its RSS before the case, and the peak of any child process (the
extraction helper). `--project DIR` measures another checkout of the code (e.g. the commit before a change, from
`git archive <commit> | tar -x -C DIR`) with this checkout's hostile-file generator (tests/hostile_corpus.py).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_case(args) -> None:
    case = args.case[0]
    sys.path.insert(0, str(args.project))
    sys.path.insert(1, str(HERE))
    os.environ["DJANGO_SETTINGS_MODULE"] = "sendtracker.settings"
    import importlib.util

    spec = importlib.util.spec_from_file_location("hostile_corpus", HERE / "tests" / "hostile_corpus.py")
    hostile = importlib.util.module_from_spec(spec)
    sys.modules["hostile_corpus"] = hostile
    spec.loader.exec_module(hostile)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_areas", verbosity=0)
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.datastructures import MultiValueDict

    from inspections.ingest.forms import UploadForm
    from inspections.models import Document
    from inspections.pipeline.run import ingest_document
    from inspections.pipeline.store import document_store

    if case == "pdf-bomb":
        data, name = hostile.pdf_bomb(args.bomb_mb), "bomb.pdf"
    elif case == "many-letters":
        data, name = hostile.many_letters(args.copies), "many.txt"
    else:
        zips = [hostile.zip_bomb(members=args.members, member_mb=40) for _ in range(args.zips)]
    before = rss_mb()
    started = time.perf_counter()
    if case == "zip-upload":
        files = [SimpleUploadedFile(f"batch-{i}.zip", data) for i, data in enumerate(zips)]
        form = UploadForm(data={}, files=MultiValueDict({"files": files}))
        form.is_valid()
        outcome = f"{len(form.accepted)} accepted, {len(form.refused)} refused"
    else:
        document = document_store(stream=ContentFile(data), original_name=name)
        del data
        ingest_document(document.pk)
        document = Document.objects.get(pk=document.pk)
        outcome = f"{document.status}: {document.error[:90]}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{case:13} before {before:7.0f} MB  peak {peak:7.0f} MB  helper peak {child:6.0f} MB  {seconds:6.1f} s  {outcome}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", choices=["pdf-bomb", "many-letters", "zip-upload"])
    parser.add_argument("--project", type=Path, default=HERE)
    parser.add_argument("--bomb-mb", type=int, default=512)
    parser.add_argument("--copies", type=int, default=330)
    parser.add_argument("--zips", type=int, default=1)
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # internal: run one case here
    args = parser.parse_args()
    if args.one:
        run_case(args)
        return 0
    for case in args.case or ["pdf-bomb", "many-letters", "zip-upload"]:
        with tempfile.TemporaryDirectory(prefix="sendtracker-rss-") as tmp:
            env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
            env.update(DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3", MEDIA_ROOT=f"{tmp}/media", DEBUG="1")
            argv = [sys.executable, __file__, "--one", "--case", case, "--project", str(args.project),
                    "--bomb-mb", str(args.bomb_mb), "--copies", str(args.copies), "--zips", str(args.zips),
                    "--members", str(args.members)]
            subprocess.run(argv, env=env, cwd=args.project, check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
