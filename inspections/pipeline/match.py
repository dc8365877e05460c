"""Which weakness a revisit judgement is about: restated wording -> the inspection's own list, one to one.

Revisit letters and council reports restate the weaknesses in their own words, tense and order (Middlesbrough's
council report: past tense, items I-IV = 1, 4, 2, 3). Similarity is rapidfuzz's token_set_ratio: word overlap,
robust to a shortened or re-ordered restatement. (WRatio was tried and dropped: on long sentences it scores
unrelated weaknesses ~86, too close to the true pair's ~98.) The assignment maximises the total score over all
one-to-one pairings (exact, by dynamic programming over subsets for the short lists letters have; greedy beyond
that), so one early greedy pick cannot steal another judgement's weakness. A weak or ambiguous pairing is kept
but flagged for review: the writer never files a judgement under a weakness silently on a poor match.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, utils

REVIEW_BELOW = 75.0  # below this the pairing is shown to a person
AMBIGUOUS_WITHIN = 3.0  # another weakness scoring this close is a coin toss, not a match
_EXACT_UP_TO = 12  # weaknesses; 2**12 subsets is instant, letters list at most ~10


@dataclass(frozen=True)
class Match:
    judgement: int  # index into the judgements
    weakness: int | None  # index into the weaknesses; None when every weakness went to a better match
    score: float
    review_reason: str = ""


def similarity(a: str, b: str) -> float:
    return round(fuzz.token_set_ratio(a, b, processor=utils.default_process), 1)


def assign(judgements: list[str], weaknesses: list[str]) -> list[Match]:
    scores = [[similarity(j, w) for w in weaknesses] for j in judgements]
    pairs = _exact(scores) if len(weaknesses) <= _EXACT_UP_TO else _greedy(scores)
    matches = []
    for j, w in enumerate(pairs):
        if w is None:
            matches.append(Match(j, None, 0.0, "The restated weakness matches none of the inspection's weaknesses."))
            continue
        score = scores[j][w]
        others = [s for k, s in enumerate(scores[j]) if k != w]
        reason = ""
        if score < REVIEW_BELOW:
            reason = f"Linked to weakness {w + 1} on a weak wording match ({score:.0f}/100)."
        elif others and max(others) >= score - AMBIGUOUS_WITHIN and score < 100:
            reason = f"Linked to weakness {w + 1}, but another weakness matches almost as well ({score:.0f} vs {max(others):.0f})."
        matches.append(Match(j, w, score, reason))
    return matches


def _exact(scores: list[list[float]]) -> list[int | None]:
    """Max-total one-to-one assignment; a judgement may stay unassigned when weaknesses run out."""
    n_j = len(scores)
    n_w = len(scores[0]) if scores else 0

    @lru_cache(maxsize=None)
    def best(j: int, used: int) -> tuple[float, tuple[int | None, ...]]:
        if j == n_j:
            return 0.0, ()
        total, rest = best(j + 1, used)
        choice: tuple[float, tuple[int | None, ...]] = (total, (None, *rest))
        for w in range(n_w):
            if not used & (1 << w):
                total, rest = best(j + 1, used | (1 << w))
                if total + scores[j][w] > choice[0]:
                    choice = (total + scores[j][w], (w, *rest))
        return choice

    return list(best(0, 0)[1])


def _greedy(scores: list[list[float]]) -> list[int | None]:
    """Best score first, ties by position: for unusually long lists only."""
    cells = sorted(((s, j, w) for j, row in enumerate(scores) for w, s in enumerate(row)), key=lambda c: (-c[0], c[1], c[2]))
    taken_j: dict[int, int] = {}
    taken_w: set[int] = set()
    for _, j, w in cells:
        if j not in taken_j and w not in taken_w:
            taken_j[j] = w
            taken_w.add(w)
    return [taken_j.get(j) for j in range(len(scores))]
