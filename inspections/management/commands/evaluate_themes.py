"""Measure the theme classifier on the held-out test split of the hand-labelled texts, and the two labellers'
agreement.

    python manage.py evaluate_themes                 # per-theme precision/recall/F1 on the test split
    python manage.py evaluate_themes --split dev     # on the development split (what the rules were tuned on)
    python manage.py evaluate_themes --agreement     # also Cohen's kappa per theme between the two label passes
    python manage.py evaluate_themes --write         # and record the test-split result in inspections/themes/measured.json
    python manage.py evaluate_themes --gold tests/fixtures/themes/labels_pass_b.jsonl   # against one labeller alone

Reads tests/fixtures/themes/: texts.jsonl, labels.jsonl (the settled gold labels; labels_pass_a.jsonl when the
settled file is absent) and, for --agreement, labels_pass_a.jsonl and labels_pass_b.jsonl. No database.
Exit 1 when micro-F1 is below --min-micro-f1 (default 0.85).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluation import themes as measure
from inspections.themes.classify import METHOD_VERSION, classify_text
from inspections.themes.quality import MEASURED, measured

FIXTURES = Path(settings.BASE_DIR) / "tests" / "fixtures" / "themes"


def gold_path(folder: Path) -> Path:
    settled = folder / "labels.jsonl"
    return settled if settled.is_file() else folder / "labels_pass_a.jsonl"


def measurement(folder: Path, *, split: str = "test", gold: Path | None = None) -> tuple[measure.Scores, Path]:
    texts = measure.read_jsonl(folder / "texts.jsonl")
    gold_file = gold or gold_path(folder)
    gold = measure.labels_by_id(measure.read_jsonl(gold_file))
    return measure.evaluate(texts, gold, lambda text: classify_text(text).themes, split=split), gold_file


def as_record(scores: measure.Scores, gold_file: Path, split: str) -> dict:
    def r(value):
        return None if value is None else round(value, 3)

    return {
        "method_version": METHOD_VERSION, "labels": gold_file.name, "split": split, "items": scores.items,
        "micro_f1": r(scores.micro_f1), "exact_match": r(scores.exact_match),
        "min_recall": measure.MIN_RECALL, "min_support": measure.MIN_SUPPORT,
        "themes": {s.theme: {"support": s.support, "precision": r(s.precision), "recall": r(s.recall), "f1": r(s.f1),
                             "reliable": s.reliable} for s in scores.per_theme},
    }


class Command(BaseCommand):
    help = "Per-theme precision, recall and F1 of the theme classifier on the labelled test split (and labeller agreement)."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="Folder holding texts.jsonl and the labels.")
        parser.add_argument("--split", choices=["test", "dev"], default="test")
        parser.add_argument("--gold", type=Path, default=None,
                            help="Score against this labels file instead (e.g. one labeller's pass alone).")
        parser.add_argument("--agreement", action="store_true", help="Cohen's kappa per theme between pass A and pass B.")
        parser.add_argument("--write", action="store_true", help=f"Record the test-split result in {MEASURED.name}.")
        parser.add_argument("--min-micro-f1", type=float, default=0.85)

    def handle(self, *args, fixtures: Path, split: str, gold: Path | None, agreement: bool, write: bool,
               min_micro_f1: float, **options):
        if not (fixtures / "texts.jsonl").is_file():
            raise CommandError(f"{fixtures}: no texts.jsonl (the labelled set lives in tests/fixtures/themes/)")
        try:
            scores, gold_file = measurement(fixtures, split=split, gold=gold)
        except ValueError as exc:
            raise CommandError(f"Bad labelled set: {exc}") from exc
        self.stdout.write(f"Method {METHOD_VERSION}; gold labels {gold_file.name}; split {split}")
        self.stdout.write(measure.table(scores))
        if agreement:
            self._agreement(fixtures)
        if write:
            if split != "test" or gold is not None:
                raise CommandError("--write records the test split against the settled labels only (the pages' "
                                   "'uncertain' marks come from it)")
            MEASURED.write_text(json.dumps(as_record(scores, gold_file, split), indent=1) + "\n", encoding="utf-8")
            measured.cache_clear()
            self.stdout.write(f"Wrote {MEASURED}")
        if scores.micro_f1 < min_micro_f1:
            raise CommandError(f"micro-F1 {scores.micro_f1:.3f} is below {min_micro_f1}")

    def _agreement(self, fixtures: Path) -> None:
        first, second = fixtures / "labels_pass_a.jsonl", fixtures / "labels_pass_b.jsonl"
        if not (first.is_file() and second.is_file()):
            self.stdout.write(f"No agreement: needs both {first.name} and {second.name}.")
            return
        result = measure.agreement(measure.labels_by_id(measure.read_jsonl(first)),
                                   measure.labels_by_id(measure.read_jsonl(second)))
        self.stdout.write(measure.agreement_table(result))
