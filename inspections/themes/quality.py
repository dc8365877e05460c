"""How reliably each theme is found: the committed result of the last `manage.py evaluate_themes --write`.

Django-free. Pages and exports ask `uncertain_themes()` which themes to mark "uncertain" (recall below 0.6 on the
held-out test split, or too few test items to tell) instead of showing them as fact. The file is committed so a
deployment without the labelled set still knows; tests/themes/test_evaluate.py fails when it disagrees with a fresh
evaluation (a changed rule or label must be re-measured, not assumed).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

MEASURED = Path(__file__).with_name("measured.json")


@lru_cache(maxsize=1)
def measured() -> dict:
    """{"method_version", "labels", "split", "items", "micro_f1", "exact_match", "themes": {key: {"support",
    "precision", "recall", "f1", "reliable"}}}. Raises FileNotFoundError when the file is missing (run
    `manage.py evaluate_themes --write`)."""
    return json.loads(MEASURED.read_text(encoding="utf-8"))


def uncertain_themes() -> frozenset[str]:
    """Theme keys not shown as fact. Every theme is uncertain while no measurement is held: never a silent fact."""
    from .taxonomy import ALL_KEYS

    try:
        themes = measured()["themes"]
    except FileNotFoundError:
        return frozenset(ALL_KEYS)
    return frozenset(key for key in ALL_KEYS if not themes.get(key, {}).get("reliable", False))


def is_uncertain(key: str) -> bool:
    return key in uncertain_themes()
