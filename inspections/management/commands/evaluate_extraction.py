"""Measure extraction against hand-checked labels, through the database.

    python manage.py evaluate_extraction ../shared/corpus/labels/seeds.json ../shared/corpus/labels/reports-2023.jsonl \
        ../shared/corpus/secondary/labels.jsonl tests/fixtures/texts/labels.jsonl

Every labelled document is ingested by the real pipeline into a THROWAWAY database (a fresh test database built
by Django's test machinery: migrations, the area register, then the documents), the facts are read back from the
fact tables (Inspection, WrittenStatementOfAction, Revisit, SignificantWeakness, ProgressJudgement), compared with
the labels, and the database is destroyed.

- seeds.json / reports-2023.jsonl: per-field accuracy (recall with exact values) — exit 1 below --min-accuracy
  (default 100) — and every stored record must be one the labels list.
- text labels (labels of exactly what each text states: secondary/labels.jsonl, tests/fixtures/texts/labels.jsonl):
  each text is ingested ALONE (inside a transaction rolled back afterwards, so one text's facts never lend
  or borrow from another's); every stored fact is judged (precision) and every labelled fact looked for (recall,
  per text style: reported, not required).
Exit status 1 on ANY wrong stored fact, with the list (file | record | field: got; text states (reason)).

--parsed-only skips the database and compares the parsers' output directly (area names instead of GSS codes; for
the text labels the area is not judged, since the resolver does not run, and letters naming no area are skipped).
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
from evaluation import precision as pr


class Command(BaseCommand):
    help = "Ingest the labelled documents into a throwaway database and print per-field accuracy and every miss."

    def add_arguments(self, parser):
        parser.add_argument("labels", nargs="+", type=Path, help="seeds.json, reports-2023.jsonl and/or text labels (.jsonl)")
        parser.add_argument(
            "--documents", action="append", type=Path, default=[],
            help="Another folder to look for the labelled files in (repeatable).",
        )
        parser.add_argument("--min-accuracy", type=float, default=100.0, help="Fail (exit 1) below this percentage.")
        parser.add_argument("--parsed-only", action="store_true", help="Compare parser output; no database.")

    def handle(self, *args, labels, documents, min_accuracy, parsed_only, **options):
        verbosity = options.get("verbosity", 1)
        for path in labels:
            if not path.is_file():
                raise CommandError(f"{path}: no such label file")
        try:
            label_set = ev.load_labels(labels)
        except ValueError as exc:
            raise CommandError(f"Bad label file: {exc}") from exc
        folders = self._folders(labels, documents)
        files = {name: self._locate(name, [label_set.sources[name].resolve().parent] + folders) for name in label_set.files}
        missing = [name for name, path in files.items() if path is None]
        if missing:
            raise CommandError(
                f"Labelled documents not found: {', '.join(missing)} (looked in {', '.join(map(str, folders))}; add --documents DIR)."
            )
        text_names = [t["file"] for t in label_set.texts]
        letter_files = {name: path for name, path in files.items() if name not in set(text_names)}
        text_files = {name: files[name] for name in text_names}
        register = pr.load_register(Path(settings.BASE_DIR) / "areas" / "data" / "local_areas.csv")
        started = time.perf_counter()
        if parsed_only:
            inspections, revisits = _parsed_views(letter_files)
            records: list[pr.StoredRecord] = []
            text_records = {name: _parsed_records(name, path) for name, path in text_files.items()}
        else:
            inspections, revisits, records, text_records = self._database_views(letter_files, text_files, verbosity)
        elapsed = time.perf_counter() - started
        mode = "parser output (no database)" if parsed_only else "facts read back from a throwaway database"
        self.stdout.write(f"Evaluated {len(files)} labelled documents, {mode}, in {elapsed:.1f} s\n")

        failed = []
        wrong_lines: list[str] = []
        if label_set.seeds or label_set.reports:
            result = ev.evaluate(label_set, inspections, revisits, with_gss=not parsed_only)
            self.stdout.write("Seeds and 2023 reports: per-field accuracy (required)\n")
            self.stdout.write(result.table())
            misses = result.misses
            if misses:
                self.stdout.write(f"\n{len(misses)} miss(es):")
                for check in misses:
                    self.stdout.write(f"- {check.file} | {check.field}\n    expected: {check.expected!r}\n    got:      {check.got!r}")
            percent = 100 * result.accuracy
            if percent < min_accuracy:
                failed.append(f"accuracy {percent:.2f}% on the seeds and 2023 reports is below the required {min_accuracy:.2f}%")
            judged = ev.judge_letter_records(label_set, records, with_gss=not parsed_only)
            extra = [v for v in judged if not v.right]
            if not parsed_only:  # records are only read back from a database
                self.stdout.write(f"\nSeeds and 2023 reports: {len(judged)} stored record(s), {len(extra)} not in the labels.")
            wrong_lines += [f"- {v.file} | {v.record}: {v.got!r} ({v.reason})" for v in extra]

        if label_set.texts:
            texts = pr.evaluate_texts(label_set.texts, text_records, register, compare_names=parsed_only)
            self.stdout.write(
                f"\nTexts labelled with what they state ({len(label_set.texts)}): recall per text style (reported) and "
                "precision of every stored fact (any wrong fact fails)\n"
            )
            self.stdout.write(texts.table())
            corpus_of = {name: _corpus_name(label_set.sources[name]) for name in text_names}
            self.stdout.write("\nRecall per kind of labelled fact (core: dates, WSOA required, follow-up result)\n")
            self.stdout.write(texts.field_table())
            self.stdout.write("\nCore facts per labelled corpus (reported)\n")
            self.stdout.write(texts.core_table(corpus_of))
            if texts.unmeasured:
                self.stdout.write(f"Labelled keys recall does not count (no record holds them as such): {', '.join(texts.unmeasured)}")
            not_found = [c for c in texts.checks if not c.found]
            if verbosity >= 2 and not_found:
                self.stdout.write(f"\n{len(not_found)} labelled fact(s) not stored:")
                for c in not_found:
                    self.stdout.write(f"- {c.file} | {c.field}: {c.expected!r}")
            wrong_lines += texts.wrong_lines()

        if wrong_lines:
            self.stdout.write(f"\n{len(wrong_lines)} WRONG stored fact(s):")
            for line in wrong_lines:
                self.stdout.write(line)
            failed.append(f"{len(wrong_lines)} wrong stored fact(s) in the labelled corpora")
        else:
            self.stdout.write("\nNo wrong stored fact.")
        if failed:
            self.stderr.write("FAILED: " + "; ".join(failed) + ".")
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

    def _database_views(self, letter_files: dict[str, Path], text_files: dict[str, Path], verbosity: int):
        """Ingest into a fresh throwaway database: each text ALONE (rolled back after its facts are read), then
        the seeds and reports together (they are evaluated as one corpus, duplicates across files included)."""
        from django.db import transaction

        old_name = connection.settings_dict["NAME"]
        with tempfile.TemporaryDirectory(prefix="sendtracker-eval-") as media, override_settings(MEDIA_ROOT=media):
            # A fresh test database (in-memory for SQLite, test_<name> for PostgreSQL), migrated from scratch.
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            try:
                if "load_areas" not in get_commands():
                    raise CommandError("The area register command `load_areas` is not available: cannot resolve areas.")
                call_command("load_areas", verbosity=0)
                text_records: dict[str, list[pr.StoredRecord]] = {}
                for name, path in text_files.items():
                    with transaction.atomic():
                        report = self._ingest(name, path, show=verbosity >= 2)
                        # Everything in the database now came from this text: attribute it to the text.
                        text_records[name] = [r for r in db_records() if r.file in (name, "")]
                        transaction.set_rollback(True)
                    if verbosity >= 2 and report is not None:
                        self.stdout.write(f"  {name}: {report.status} {report.message}".rstrip())
                for name, path in letter_files.items():
                    self._ingest(name, path, show=True)
                inspections, revisits = db_views()
                return inspections, revisits, db_records(), text_records
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)

    def _ingest(self, name: str, path: Path, *, show: bool):
        from inspections.pipeline.run import ingest_document
        from inspections.pipeline.store import document_store

        with path.open("rb") as stream:
            document = document_store(stream=stream, original_name=name)
        if document.status == document.Status.DUPLICATE:
            return None
        report = ingest_document(document.pk)
        if show and report.status in {"failed", "rejected"}:
            self.stdout.write(f"! {name}: {report.status} - {report.message}")
        return report


def _corpus_name(label_file: Path) -> str:
    """A label file's corpus as a reader knows it: 'secondary-news', 'texts', 'kinds' (its folder's name)."""
    return label_file.resolve().parent.name


def db_records() -> list[pr.StoredRecord]:
    """Every stored fact row as a StoredRecord for the precision judge (five queries)."""
    from inspections.models import Inspection, ProgressJudgement, Revisit, SignificantWeakness, WrittenStatementOfAction

    def file(row) -> str:
        return row.source_document.original_name if row.source_document else ""

    records: list[pr.StoredRecord] = []
    for row in Inspection.objects.select_related("area", "source_document"):
        years, months = ev.within_from_text(row.next_inspection_text)
        records.append(pr.StoredRecord(
            file=file(row), record="inspection", record_id=row.pk, kind=row.kind, source_kind=row.source_kind,
            gss_code=row.area.gss_code, area_name=row.area.name, framework=row.framework, is_placeholder=row.is_placeholder,
            fields={
                "start_date": row.start_date, "end_date": row.end_date, "period_text": row.period_text,
                "letter_date": row.letter_date, "published_date": row.published_date, "outcome": row.outcome,
                "lead_inspector": row.lead_inspector, "previous_inspection_start": row.previous_inspection_start,
                "previous_inspection_end": row.previous_inspection_end, "next_full_inspection_within_years": years,
                "monitoring_inspection_within_months": months,
            },
        ))
    for row in WrittenStatementOfAction.objects.select_related("inspection__area", "source_document"):
        records.append(pr.StoredRecord(
            file=file(row), record="wsoa", record_id=row.pk, source_kind=row.source_kind,
            gss_code=row.inspection.area.gss_code, area_name=row.inspection.area.name, framework=row.inspection.framework,
            parent_id=row.inspection_id, fields={"required_on": row.required_on, "fit_for_purpose_on": row.fit_for_purpose_on},
        ))
    for row in Revisit.objects.select_related("inspection__area", "source_document"):
        records.append(pr.StoredRecord(
            file=file(row), record="revisit", record_id=row.pk, kind=row.kind, source_kind=row.source_kind,
            gss_code=row.inspection.area.gss_code, area_name=row.inspection.area.name,
            framework="2023" if row.kind == "monitoring_inspection" else "2016", parent_id=row.inspection_id,
            fields={"start_date": row.start_date, "end_date": row.end_date, "letter_date": row.letter_date,
                    "overall": row.overall, "lead_inspector": row.lead_inspector, "period_text": row.period_text},
        ))
    for row in SignificantWeakness.objects.select_related("inspection__area", "source_document"):
        records.append(pr.StoredRecord(
            file=file(row), record="weakness", record_id=row.pk, kind=row.kind, source_kind=row.source_kind,
            gss_code=row.inspection.area.gss_code, area_name=row.inspection.area.name, framework=row.inspection.framework,
            parent_id=row.inspection_id,
            fields={"text": row.text, "number": row.number, "responsible_bodies": row.responsible_bodies},
        ))
    for row in ProgressJudgement.objects.select_related("revisit__inspection__area", "source_document"):
        records.append(pr.StoredRecord(
            file=file(row), record="judgement", record_id=row.pk, source_kind=row.source_kind,
            gss_code=row.revisit.inspection.area.gss_code, area_name=row.revisit.inspection.area.name,
            framework="2023" if row.revisit.kind == "monitoring_inspection" else "2016", parent_id=row.revisit_id,
            fields={"text_as_restated": row.text_as_restated, "sufficient_progress": row.sufficient_progress},
        ))
    return records


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


def _parsed_records(name: str, path: Path) -> list[pr.StoredRecord]:
    """What the parsers read from one text, as StoredRecords (no database: no GSS codes, no placeholders)."""
    from inspections.pipeline.classify import classify
    from inspections.pipeline.extract import extract_text
    from inspections.pipeline.parse import parse_letter
    from inspections.pipeline.split import split_letters
    from inspections.pipeline.types import PipelineError

    try:
        text = extract_text(path.read_bytes()).text
        letters = [parse_letter(classify(chunk), text) for chunk in split_letters(text)]
    except PipelineError:
        return []
    records: list[pr.StoredRecord] = []
    for n, p in enumerate(letters):
        if not p.area_name:
            continue  # the writer holds a letter naming no area: nothing would be stored
        base = {"file": name, "source_kind": p.source_kind, "area_name": p.area_name, "framework": p.framework}
        if p.kind in ("initial_inspection", "full_inspection"):
            leads = p.findings.get("lead_inspectors") or ([p.lead_inspector] if p.lead_inspector else [])
            records.append(pr.StoredRecord(record="inspection", record_id=n, kind=p.kind, **base, fields={
                "start_date": p.start_date, "end_date": p.end_date, "letter_date": p.letter_date,
                "published_date": p.published_date, "outcome": p.outcome, "lead_inspector": "; ".join(leads),
                "previous_inspection_start": p.previous_start_date, "previous_inspection_end": p.previous_end_date,
                "next_full_inspection_within_years": p.findings.get("next_full_inspection_within_years"),
                "monitoring_inspection_within_months": p.findings.get("monitoring_inspection_within_months"),
            }))
            if p.outcome == "wsoa_required":
                records.append(pr.StoredRecord(record="wsoa", record_id=n, parent_id=n, **base, fields={
                    "required_on": p.letter_date, "fit_for_purpose_on": p.wsoa_fit_for_purpose}))
        else:
            records.append(pr.StoredRecord(record="revisit", record_id=n, kind=p.kind, **base, fields={
                "start_date": p.start_date, "end_date": p.end_date, "letter_date": p.letter_date,
                "overall": p.overall, "lead_inspector": p.lead_inspector}))
            records += [
                pr.StoredRecord(record="judgement", record_id=n * 1000 + i, parent_id=n, **base,
                                fields={"text_as_restated": j.weakness_text, "sufficient_progress": j.sufficient_progress})
                for i, j in enumerate(p.judgements)
            ]
        records += [
            pr.StoredRecord(record="weakness", record_id=n * 1000 + i, kind=w.kind, parent_id=n, **base,
                            fields={"text": w.text, "number": w.number, "responsible_bodies": w.responsible_bodies})
            for i, w in enumerate(p.weaknesses)
        ]
    return records
