"""Measure extraction against hand-checked labels, through the database.

    python manage.py evaluate_extraction ../shared/corpus/labels/seeds.json ../shared/corpus/labels/reports-2023.jsonl

Every labelled document is ingested by the real pipeline into a THROWAWAY database (a fresh test database built
by Django's test machinery: migrations, the area register, then the documents), the facts are read back from the
fact tables (Inspection, Revisit, SignificantWeakness, ProgressJudgement), compared with the labels, and the
database is destroyed. Exit status 1 when accuracy is below --min-accuracy (default 100).

--parsed-only skips the database and compares the parsers' output directly (area names instead of GSS codes).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from evaluation import extraction as ev


class Command(BaseCommand):
    help = "Ingest the labelled documents into a throwaway database and print per-field accuracy and every miss."

    def add_arguments(self, parser):
        parser.add_argument("labels", nargs="+", type=Path, help="seeds.json and/or reports-2023.jsonl")
        parser.add_argument(
            "--documents", action="append", type=Path, default=[],
            help="Another folder to look for the labelled files in (repeatable).",
        )
        parser.add_argument("--min-accuracy", type=float, default=100.0, help="Fail (exit 1) below this percentage.")
        parser.add_argument("--parsed-only", action="store_true", help="Compare parser output; no database.")

    def handle(self, *args, labels, documents, min_accuracy, parsed_only, **options):
        for path in labels:
            if not path.is_file():
                raise CommandError(f"{path}: no such label file")
        label_set = ev.load_labels(labels)
        folders = self._folders(labels, documents)
        files = {name: self._locate(name, folders) for name in label_set.files}
        missing = [name for name, path in files.items() if path is None]
        if missing:
            raise CommandError(
                f"Labelled documents not found: {', '.join(missing)} (looked in {', '.join(map(str, folders))}; add --documents DIR)."
            )
        started = time.perf_counter()
        if parsed_only:
            inspections, revisits = _parsed_views(files)
        else:
            inspections, revisits = self._database_views(files)
        result = ev.evaluate(label_set, inspections, revisits, with_gss=not parsed_only)
        elapsed = time.perf_counter() - started
        mode = "parser output (no database)" if parsed_only else "facts read back from a throwaway database"
        self.stdout.write(f"Evaluated {len(files)} labelled documents, {mode}, in {elapsed:.1f} s\n")
        self.stdout.write(result.table())
        misses = result.misses
        if misses:
            self.stdout.write(f"\n{len(misses)} miss(es):")
            for check in misses:
                self.stdout.write(f"- {check.file} | {check.field}\n    expected: {check.expected!r}\n    got:      {check.got!r}")
        percent = 100 * result.accuracy
        if percent < min_accuracy:
            self.stderr.write(f"Accuracy {percent:.2f}% is below the required {min_accuracy:.2f}%.")
            sys.exit(1)

    # --- where the documents are ---------------------------------------------------------------------------

    @staticmethod
    def _folders(labels: list[Path], extra: list[Path]) -> list[Path]:
        folders = list(extra) + [Path(settings.BASE_DIR) / "tests" / "fixtures" / "seeds"]
        for path in labels:
            corpus = path.resolve().parent.parent  # shared/corpus/labels/x.json -> shared/corpus
            folders += [corpus / "seeds", corpus / "reports-2023", path.resolve().parent]
        return [f for f in dict.fromkeys(folders) if f.is_dir()]

    @staticmethod
    def _locate(name: str, folders: list[Path]) -> Path | None:
        for folder in folders:
            if (folder / name).is_file():
                return folder / name
        return None

    # --- the throwaway database ----------------------------------------------------------------------------

    def _database_views(self, files: dict[str, Path]):
        from inspections.pipeline.run import ingest_document
        from inspections.pipeline.store import document_store

        old_name = connection.settings_dict["NAME"]
        with tempfile.TemporaryDirectory(prefix="sendtracker-eval-") as media, override_settings(MEDIA_ROOT=media):
            # A fresh test database (in-memory for SQLite, test_<name> for PostgreSQL), migrated from scratch.
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            try:
                if "load_areas" not in get_commands():
                    raise CommandError("The area register command `load_areas` is not available: cannot resolve areas.")
                call_command("load_areas", verbosity=0)
                for name, path in files.items():
                    with path.open("rb") as stream:
                        document = document_store(stream=stream, original_name=name)
                    if document.status == document.Status.DUPLICATE:
                        continue
                    report = ingest_document(document.pk)
                    if report.status in {"failed", "rejected"}:
                        self.stdout.write(f"! {name}: {report.status} - {report.message}")
                return db_views()
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)


def db_views() -> tuple[list[ev.InspectionView], list[ev.RevisitView]]:
    """Every Inspection and Revisit in the database as evaluation views (a handful of queries)."""
    from inspections.models import Inspection, ProgressJudgement, Revisit, SourceLetter

    letters_by_document: dict[int, list] = {}
    for letter in SourceLetter.objects.only("document_id", "span_start", "span_end", "area_name_printed"):
        letters_by_document.setdefault(letter.document_id, []).append(letter)
    inspections = []
    for row in Inspection.objects.select_related("area", "source_document").prefetch_related("weaknesses"):
        years, months = ev.within_from_text(row.next_inspection_text)
        inspections.append(
            ev.InspectionView(
                file=row.source_document.original_name if row.source_document else "",
                kind=row.kind, framework=row.framework, source_kind=row.source_kind, gss_code=row.area.gss_code,
                area_name=_printed_area(row, letters_by_document), start_date=row.start_date, end_date=row.end_date,
                letter_date=row.letter_date, published_date=row.published_date, period_text=row.period_text,
                outcome=row.outcome, lead_inspectors=[n for n in row.lead_inspector.split("; ") if n],
                team=list(row.inspection_team or []),
                weaknesses=[ev.WeaknessView(w.kind, w.number, w.text, w.responsible_bodies) for w in row.weaknesses.all()],
                previous_start_date=row.previous_inspection_start, previous_end_date=row.previous_inspection_end,
                next_full_inspection_within_years=years, monitoring_inspection_within_months=months,
                is_placeholder=row.is_placeholder,
            )
        )
    revisits = []
    judgements = ProgressJudgement.objects.select_related("weakness").order_by("revisit_id", "span_start", "id")
    by_revisit: dict[int, list[ev.JudgementView]] = {}
    for j in judgements:
        by_revisit.setdefault(j.revisit_id, []).append(ev.JudgementView(j.weakness.number, j.text_as_restated, j.sufficient_progress))
    for row in Revisit.objects.select_related("inspection__area", "source_document"):
        revisits.append(
            ev.RevisitView(
                file=row.source_document.original_name if row.source_document else "",
                kind=row.kind, source_kind=row.source_kind, gss_code=row.inspection.area.gss_code,
                area_name=row.inspection.area.name, start_date=row.start_date, end_date=row.end_date,
                letter_date=row.letter_date, lead_inspector=row.lead_inspector, overall=row.overall,
                next_steps=row.next_steps, initial_published=row.inspection.published_date,
                initial_period_text=row.inspection.period_text, judgements=by_revisit.get(row.pk, []),
            )
        )
    return inspections, revisits


def _printed_area(row, letters_by_document) -> str:
    """The area name as the source letter printed it (the SourceLetter holding the fact's span), else the register's."""
    at = row.span_start or 0
    holding = [l for l in letters_by_document.get(row.source_document_id, []) if l.span_start <= at < l.span_end or l.span_start == at]
    return holding[0].area_name_printed if holding and holding[0].area_name_printed else row.area.name


def _parsed_views(files: dict[str, Path]):
    from inspections.pipeline.classify import classify
    from inspections.pipeline.extract import extract_text
    from inspections.pipeline.parse import parse_letter
    from inspections.pipeline.split import split_letters
    from inspections.pipeline.types import PipelineError

    inspections, revisits = [], []
    seen = set()
    for name, path in files.items():
        try:
            text = extract_text(path.read_bytes()).text
            letters = []
            for chunk in split_letters(text):
                key = " ".join(chunk.text.split())
                if key in seen:
                    continue  # an exact repeat of a letter already read: the writer keeps one
                seen.add(key)
                letters.append(parse_letter(classify(chunk), text))
        except PipelineError:
            continue
        i, r = ev.views_from_parsed(name, letters)
        inspections += i
        revisits += r
    return inspections, revisits
