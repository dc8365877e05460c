from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store


class Command(BaseCommand):
    help = (
        "Store and ingest files in-process (the same pipeline the Celery task runs); print, per file, what was "
        "created, updated and skipped, and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--reprocess", action="store_true", help="Re-run the pipeline on files already held.")

    def handle(self, *args, files, reprocess, **options):
        failures = 0
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            with path.open("rb") as stream:
                document = document_store(stream=stream, original_name=path.name)
            if document.status == document.Status.DUPLICATE:
                original = document.duplicate_of
                if not reprocess:
                    self.stdout.write(f"{path.name}: skipped, identical to document #{original.pk} ({original.original_name})")
                    document.delete()
                    continue
                document.delete()
                document = original
            report = ingest_document(document.pk)
            self.stdout.write(f"{path.name}: {report.status}{' - ' + report.message if report.message else ''}")
            for line in report.created:
                self.stdout.write(f"  created {line}")
            for line in report.updated:
                self.stdout.write(f"  updated {line}")
            for line in report.skipped:
                self.stdout.write(f"  skipped {line}")
            if report.status in {"done", "needs_review"} and not (report.created or report.updated):
                self.stdout.write("  no changes: every fact it supports was already recorded")
            failures += report.status in {"failed", "rejected"}
        if failures:
            self.stderr.write(f"{failures} file(s) failed or were rejected")
