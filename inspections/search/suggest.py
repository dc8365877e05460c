""""Did you mean": a query word that matches nothing, replaced by the closest word the held texts use.

The vocabulary is the index's own words: every word of the letters searched (each letter's span of its document)
and of the weakness texts, read once and kept until a document is processed again (the key is the latest
`finished_at` and the letters' count). The closest word is chosen by rapidfuzz (already the area resolver's fuzzy
matcher) with the normalised Levenshtein ratio, only above SIMILARITY and only for words the texts do not contain,
so a real word is never "corrected". Done in Python rather than with pg_trgm's similarity() so both databases
answer the same; the word list of a national corpus is small (tens of thousands of words, built in well under a
second).
"""

from __future__ import annotations

import re
import threading

from django.db.models import Max

from inspections.models import Document, SignificantWeakness, SourceLetter
from inspections.search.query import Clause, variants

SIMILARITY = 80  # 0-100: "gatehsead" ~ "gateshead" (89), "coproducton" ~ "coproduction" (96)
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]")
_lock = threading.Lock()
_cache: dict[str, object] = {"key": None, "words": frozenset(), "choices": ()}


def _vocabulary() -> tuple[frozenset[str], tuple[str, ...]]:
    key = (Document.objects.aggregate(latest=Max("finished_at"))["latest"], SourceLetter.objects.count(),
           SignificantWeakness.objects.count())
    with _lock:
        if _cache["key"] == key:
            return _cache["words"], _cache["choices"]
    words: set[str] = set()
    texts = Document.objects.filter(letters__duplicate_of__isnull=True).distinct().values_list("text", flat=True)
    for text in texts.iterator(chunk_size=50):
        words.update(_WORD.findall((text or "").lower()))
    for text in SignificantWeakness.objects.values_list("text", flat=True).iterator(chunk_size=500):
        words.update(_WORD.findall((text or "").lower()))
    choices = tuple(sorted(w for w in words if len(w) >= 4))
    with _lock:
        _cache.update(key=key, words=frozenset(words), choices=choices)
    return frozenset(words), choices


def closest_word(word: str) -> str | None:
    """The held texts' word closest to `word` when `word` (in none of its spellings) is not one of them; else None."""
    from rapidfuzz import fuzz, process

    words, choices = _vocabulary()
    low = word.lower()
    if len(low) < 4 or any(v in words for v in variants(low)):
        return None
    found = process.extractOne(low, choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY)
    return found[0] if found else None


def suggest_query(query: str, clauses: list[Clause]) -> str:
    """`query` with each unknown single word replaced by its closest held word; "" when there is nothing to offer."""
    suggested = query
    changed = False
    for clause in clauses:
        if clause.exclude:
            continue
        for term in clause.terms:
            if term.phrase or " " in term.text:
                continue
            better = closest_word(term.text)
            if better and better != term.text.lower():
                suggested = re.sub(rf"(?<![\w-]){re.escape(term.text)}(?![\w-])", better, suggested, count=1)
                changed = True
    return suggested if changed else ""
