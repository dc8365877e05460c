"""Measuring the theme classifier against hand labels, and two labellers against each other. Django-free.

Inputs are the JSON-lines files in tests/fixtures/themes/: texts.jsonl ({"id", "text", "kind", "source",
"split"}) and a labels file ({"id", "themes": [...]}, plus "settled" on the gold file where the two passes
disagreed). Every function takes plain dicts and returns plain dataclasses, so the `evaluate_themes` command,
the tests and the pages' "uncertain" marks all compute the same numbers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from inspections.themes.taxonomy import ALL_KEYS

# A theme whose recall on the test split is below this is shown as "uncertain", never as a fact.
MIN_RECALL = 0.6
# Too few examples in the test split to say how well a theme is found: also "uncertain".
MIN_SUPPORT = 3


def read_jsonl(path: Path) -> list[dict]:
    """The objects of a JSON-lines file, one per non-empty line. Raises ValueError naming the line that is not JSON."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}, line {number}: not JSON ({exc.msg})") from exc
    return rows


def labels_by_id(rows: Iterable[Mapping]) -> dict[str, frozenset[str]]:
    """{id: themes}. Raises ValueError on an unknown theme key or an item labelled twice."""
    out: dict[str, frozenset[str]] = {}
    for row in rows:
        unknown = set(row["themes"]) - set(ALL_KEYS)
        if unknown:
            raise ValueError(f"item {row['id']}: unknown theme(s) {sorted(unknown)}")
        if not row["themes"]:
            raise ValueError(f"item {row['id']}: no theme (an item that fits none is labelled 'other')")
        if row["id"] in out:
            raise ValueError(f"item {row['id']} is labelled twice")
        out[row["id"]] = frozenset(row["themes"])
    return out


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    support: int  # items of the split whose gold labels hold the theme
    predicted: int
    true_positives: int

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if not p or not r:
            return 0.0 if (self.support or self.predicted) else None
        return 2 * p * r / (p + r)

    @property
    def reliable(self) -> bool:
        """Shown as fact: found with recall >= MIN_RECALL on at least MIN_SUPPORT test items."""
        return self.support >= MIN_SUPPORT and (self.recall or 0.0) >= MIN_RECALL


@dataclass(frozen=True)
class Scores:
    items: int
    per_theme: tuple[ThemeScore, ...]
    exact_match: float  # share of items whose predicted set equals the gold set

    @property
    def micro_f1(self) -> float:
        tp = sum(s.true_positives for s in self.per_theme)
        predicted = sum(s.predicted for s in self.per_theme)
        support = sum(s.support for s in self.per_theme)
        return 2 * tp / (predicted + support) if predicted + support else 0.0

    @property
    def uncertain(self) -> tuple[str, ...]:
        return tuple(s.theme for s in self.per_theme if not s.reliable)


def score(gold: Mapping[str, frozenset[str]], predicted: Mapping[str, Iterable[str]]) -> Scores:
    """Per-theme precision/recall/F1 and the exact-match rate of `predicted` against `gold`, over gold's items.

    Raises ValueError when an item of `gold` has no prediction."""
    missing = set(gold) - set(predicted)
    if missing:
        raise ValueError(f"{len(missing)} item(s) have no prediction, e.g. {sorted(missing)[0]}")
    per_theme = []
    for theme in ALL_KEYS:
        support = sum(theme in gold[i] for i in gold)
        pred = sum(theme in set(predicted[i]) for i in gold)
        tp = sum(theme in gold[i] and theme in set(predicted[i]) for i in gold)
        per_theme.append(ThemeScore(theme, support, pred, tp))
    exact = sum(gold[i] == frozenset(predicted[i]) for i in gold) / len(gold) if gold else 0.0
    return Scores(items=len(gold), per_theme=tuple(per_theme), exact_match=exact)


def cohen_kappa(a: list[bool], b: list[bool]) -> float | None:
    """Cohen's kappa of two labellers' yes/no decisions on the same items; None when chance agreement is total
    (both said the same single value on every item, so kappa is undefined)."""
    if len(a) != len(b) or not a:
        raise ValueError("two non-empty lists of the same length are needed")
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class Agreement:
    items: int
    exact_match: float
    kappa: dict[str, float | None]  # theme -> Cohen's kappa (None: undefined, neither pass used it)
    disagreements: tuple[str, ...]  # ids whose two label sets differ


def agreement(first: Mapping[str, frozenset[str]], second: Mapping[str, frozenset[str]]) -> Agreement:
    """Inter-labeller agreement over the items both passes labelled."""
    ids = sorted(set(first) & set(second))
    if not ids:
        raise ValueError("the two passes share no item")
    kappa = {theme: cohen_kappa([theme in first[i] for i in ids], [theme in second[i] for i in ids]) for theme in ALL_KEYS}
    differ = tuple(i for i in ids if first[i] != second[i])
    return Agreement(items=len(ids), exact_match=1 - len(differ) / len(ids), kappa=kappa, disagreements=differ)


def evaluate(texts: list[dict], gold: Mapping[str, frozenset[str]], classify: Callable[[str], Iterable[str]], *,
             split: str = "test") -> Scores:
    """Scores of `classify` (text -> theme keys) on the items of one split that have gold labels."""
    chosen = {t["id"]: t["text"] for t in texts if t.get("split") == split and t["id"] in gold}
    return score({i: gold[i] for i in chosen}, {i: tuple(classify(text)) for i, text in chosen.items()})


def table(scores: Scores) -> str:
    """The per-theme table as fixed-width text (what `evaluate_themes` prints and the README quotes)."""

    def fmt(value: float | None) -> str:
        return "   -" if value is None else f"{value:.2f}"

    lines = [f"{'theme':<24}{'support':>8}{'precision':>10}{'recall':>8}{'F1':>6}  shown as"]
    for s in scores.per_theme:
        lines.append(f"{s.theme:<24}{s.support:>8}{fmt(s.precision):>10}{fmt(s.recall):>8}{fmt(s.f1):>6}  "
                     f"{'fact' if s.reliable else 'uncertain'}")
    lines.append(f"{scores.items} items; micro-F1 {scores.micro_f1:.3f}; exact match {scores.exact_match:.3f}")
    return "\n".join(lines)


def agreement_table(result: Agreement) -> str:
    """Inter-labeller agreement as fixed-width text: Cohen's kappa per theme, exact-match rate."""
    lines = [f"{'theme':<24}{'kappa':>7}"]
    for theme, kappa in result.kappa.items():
        lines.append(f"{theme:<24}{'   -' if kappa is None else f'{kappa:.2f}':>7}")
    lines.append(f"{result.items} items labelled twice; exact match {result.exact_match:.3f}; "
                 f"{len(result.disagreements)} disagreements")
    return "\n".join(lines)
