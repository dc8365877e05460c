"""The real dataset as ./scripts/serve builds it: the area register, the five seed letters (2016 framework) and
the 29 real 2023-framework reports of ../shared/corpus/reports-2023, with their hand-made labels.

Used by tests marked `shared` (tests/web/test_real_corpus_pages.py, tests/browser/test_real_corpus.py); they
skip, with the reason, when ../shared is absent.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from functools import lru_cache

from tests.conftest import SEEDS, SHARED

REPORTS_2023 = SHARED / "corpus" / "reports-2023"
LABELS_2023 = SHARED / "corpus" / "labels" / "reports-2023.jsonl"
OUTCOMES = {1: "positive", 2: "inconsistent", 3: "systemic_failings"}
SEED_AREAS = {"E06000001", "E06000002", "E06000003", "E06000004", "E06000035"}  # Hartlepool … Medway


@lru_cache(maxsize=1)
def report_labels() -> tuple[dict, ...]:
    """One dict per report (file, ons_code, inspection_start, outcome 1-3, priority_actions, …), with `outcome_key`.
    Empty without ../shared, so that modules parametrised on it still collect (their tests skip, marked `shared`)."""
    if not LABELS_2023.is_file():
        return ()
    rows = [json.loads(line) for line in LABELS_2023.read_text(encoding="utf-8").splitlines() if line.strip()]
    return tuple({**row, "outcome_key": OUTCOMES[row["outcome"]]} for row in rows)


def label_outcome_counts() -> Counter:
    return Counter(row["outcome_key"] for row in report_labels())


def ingest_real_corpus() -> str:
    """load_areas, then `manage.py ingest` on the seeds and every report, exactly as ./scripts/serve does.
    Returns the commands' output (for assertion messages)."""
    from django.core.management import call_command

    from areas.resolver import AreaRegister

    AreaRegister.clear_cache()
    out = io.StringIO()
    call_command("load_areas", stdout=out)
    call_command("ingest", *sorted(str(p) for p in SEEDS.glob("*.txt")), stdout=out, stderr=out)
    reports = sorted(str(p) for p in REPORTS_2023.glob("*.pdf"))
    assert len(reports) == len(report_labels()) == 29, f"{REPORTS_2023}: {len(reports)} reports"
    call_command("ingest", *reports, stdout=out, stderr=out)
    AreaRegister.clear_cache()
    return out.getvalue()


def clear_real_corpus() -> None:
    """Delete every row the ingest wrote (facts, letters, documents, review log, areas), so a module-scoped
    load leaves nothing behind for the next module."""
    from django.apps import apps

    from areas.resolver import AreaRegister

    for label in ("inspections", "areas"):
        for model in reversed(list(apps.get_app_config(label).get_models())):
            model._base_manager.all().delete()
    AreaRegister.clear_cache()
