"""`python manage.py import_archive PATH [--no-wait] [--timeout SECONDS]`

Import every file of a folder or a .zip (nested folders, zips inside a folder, mixed PDF/DOCX/HTML/TXT):
skips files already held (sha256), stores and queues the rest, shows a progress bar, and ends with a table —
done / needs review / rejected / failed / duplicate / refused — with each failure's reason.

With tasks in-process (no REDIS_URL) each file is processed as it is stored. With a worker the command waits
(`--wait`, the default) for the queued documents to finish, up to `--timeout` seconds, then says how many are
still queued. The progress bar is tqdm's: a single small package with no dependencies, which writes to stderr
and turns itself off when stderr is not a terminal (cron, CI, tests), so the table stays clean.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from inspections.ingest.sources.archive import ArchiveRefused, Limits, archive_members
from inspections.ingest.sources.importer import archive_import, archive_wait, import_table


class Command(BaseCommand):
    help = "Import a folder or .zip of inspection documents: skip those held, queue the rest, report each outcome."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--wait", action="store_true", default=True,
                            help="Wait for queued documents to finish (default).")
        parser.add_argument("--no-wait", dest="wait", action="store_false", help="Do not wait for a worker.")
        parser.add_argument("--timeout", type=float, default=1800.0, help="Seconds to wait for the worker (default 1800).")

    def handle(self, *args, **options):
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        limits = Limits.from_settings()
        bar = tqdm(desc="Importing", unit="file", disable=None, file=self.stderr._out)
        try:
            result = archive_import(members=archive_members(path, limits=limits),
                                    on_file=lambda row: (bar.update(1), bar.set_postfix_str(row.outcome)))
        except ArchiveRefused as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        # In-process tasks (no REDIS_URL) have already run; with a worker, wait unless --no-wait. Either way one
        # look at the statuses reports whatever has finished.
        waiting = options["wait"] and bool(settings.REDIS_URL)
        pending = sum(1 for row in result.rows if row.outcome == "pending")
        wait_bar = tqdm(total=pending, desc="Processing", unit="doc", disable=None if waiting and pending else True,
                        file=self.stderr._out)

        def on_poll(left: int) -> None:
            wait_bar.n = pending - left
            wait_bar.refresh()

        archive_wait(result, timeout=options["timeout"] if waiting else 0, on_poll=on_poll)
        wait_bar.close()
        for line in import_table(result):
            self.stdout.write(line)
        left = result.counts()["pending"]
        if left and waiting:
            self.stdout.write(self.style.WARNING(
                f"Timed out after {options['timeout']:.0f} s with {left} document(s) still queued or processing: "
                "is a Celery worker running? They stay queued and will be processed; see /documents/."
            ))
        elif left:
            self.stdout.write(f"{left} document(s) still queued or processing (not waiting); see /documents/.")
