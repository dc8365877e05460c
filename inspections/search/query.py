"""What a search box's text means, on both backends: words, "quoted phrases", `or`, `-excluded`, and the
spelling variants that must find the same passages.

Variants are a **normalisation list kept here** (not a PostgreSQL dictionary: a custom text-search
configuration would need files in the server's share directory, which a managed database does not allow,
and SQLite has none). Each query word is expanded to every spelling of its family before it reaches the
database, so "co-production", "coproduction" and "co-producing" find the same passages with PostgreSQL's
`english` stemming and with the SQLite fallback alike. Besides the families below, any hyphenated word also
matches its joined form ("multi-agency" ~ "multiagency") and the other way round for the prefixes listed.
Django-free, so it is tested without a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Spellings a reader would expect to find each other. Lower case; the first is the family's name.
VARIANT_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("co-production", "coproduction", "co-producing", "coproducing", "co-produce", "coproduce", "co-produced",
     "coproduced", "co-produces", "coproduces", "co-productive", "co-producer", "co-producers"),
    ("co-ordination", "coordination", "co-ordinate", "coordinate", "co-ordinated", "coordinated",
     "co-ordinating", "coordinating", "co-ordinator", "coordinator", "co-ordinators", "coordinators"),
    ("well-being", "wellbeing"),
    ("multi-agency", "multiagency"),
    ("decision-making", "decision making"),
    ("post-16", "post 16"),
    ("short breaks", "short-breaks"),
    ("senco", "sendco", "sencos", "sendcos"),
    ("ehcp", "ehcps", "ehc plan", "ehc plans"),
    ("autism", "autistic", "asd"),
)
# Words too common to search for: PostgreSQL's `english` configuration drops them (its snowball stop list, below),
# so a search for "the" found nothing there and every letter on SQLite. Both now leave them out of a query and say
# so; inside a "quoted phrase" they are kept, as part of the phrase.
STOP_WORDS = frozenset("""
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it
its itself they them their theirs themselves what which who whom this that these those am is are was were be been
being have has had having do does did doing a an the and but if or because as until while of at by for with about
against between into through during before after above below to from up down in out on off over under again
further then once here there when where why how all any both each few more most other some such no nor not only own
same so than too very s t can will just don should now
""".split())
# "co" + word and "co-" + word are the same word for these prefixes (beyond the families above).
JOINABLE_PREFIXES = ("co", "multi", "inter", "cross", "non", "pre", "post", "re", "self", "well")
_FAMILY_OF = {spelling: family for family in VARIANT_FAMILIES for spelling in family}
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
MAX_CLAUSES = 8


@dataclass(frozen=True)
class Term:
    """One thing to find: a word (any of `spellings`) or a phrase (its words in order)."""

    text: str
    phrase: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        return variants(self.text) if not self.phrase else (_FAMILY_OF.get(self.text.lower()) or (self.text,))


@dataclass(frozen=True)
class Clause:
    """Any of `terms` must appear (they were joined by `or`); with `exclude`, none may."""

    terms: tuple[Term, ...]
    exclude: bool = False


def variants(word: str) -> tuple[str, ...]:
    """Every spelling `word` stands for, itself first: its family, or its hyphenated/joined twin."""
    low = word.lower()
    if low in _FAMILY_OF:
        family = _FAMILY_OF[low]
        return (low, *[s for s in family if s != low])
    out = [low]
    if "-" in low.strip("-"):
        out.append(low.replace("-", ""))
    else:
        for prefix in JOINABLE_PREFIXES:
            rest = low[len(prefix):]
            if low.startswith(prefix) and len(rest) >= 4 and rest.isalpha():
                out.append(f"{prefix}-{rest}")
                break
    return tuple(dict.fromkeys(out))


_ENGLISH = snowballstemmer.stemmer("english")


@lru_cache(maxsize=4096)
def _stem_key(spelling: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What PostgreSQL's `english` configuration makes of `spelling` (it stems with the same Snowball English
    algorithm): each whitespace-separated token stemmed whole (a hyphenated word is also indexed whole), and
    each of its letter-or-digit parts stemmed."""
    low = spelling.lower()
    return (tuple(_ENGLISH.stemWords(low.split())), tuple(_ENGLISH.stemWords(re.findall(r"[^\W_]+", low))))


def stem_distinct(spellings: tuple[str, ...]) -> tuple[str, ...]:
    """`spellings` less those that stem exactly as an earlier one does ("co-produced" after "co-produce"),
    in order. For full-text search only: the stemmed query would repeat the same lexemes, which costs time in
    matching and ranking and finds nothing more. Substring matching (the SQLite fallback) needs them all."""
    seen, kept = set(), []
    for spelling in spellings:
        key = _stem_key(spelling)
        if key not in seen:
            seen.add(key)
            kept.append(spelling)
    return tuple(kept)


def too_common(query: str) -> list[str]:
    """The words of `query` that `parse` leaves out: one-letter words and STOP_WORDS outside quotes, in order."""
    out = []
    for m in _TOKEN.finditer(query):
        bare = m.group(3)
        if bare is None or bare.lower() == "or":
            continue
        word = bare.lstrip("-").strip(".,;:!?()[]{}'’")
        if word and (len(word) < 2 or word.lower() in STOP_WORDS):
            out.append(word)
    return list(dict.fromkeys(out))


def parse(query: str) -> list[Clause]:
    """The query as clauses, all of which must hold. `a or b` joins two clauses into one; `-word` and
    `-"a phrase"` exclude. Punctuation around a word is dropped; one-letter words and words too common to search
    for (STOP_WORDS; `too_common` names them) are ignored outside quotes."""
    clauses: list[Clause] = []
    join_next = False
    for m in _TOKEN.finditer(query):
        negated, quoted, bare = m.group(1), m.group(2), m.group(3)
        if quoted is not None:
            words = " ".join(re.findall(r"[\w'’-]+", quoted))
            if not words:
                continue
            term, exclude = Term(words, phrase=" " in words), bool(negated)
        else:
            if bare.lower() == "or" and clauses and not clauses[-1].exclude:
                join_next = True
                continue
            exclude = bare.startswith("-") and len(bare) > 1
            word = bare.lstrip("-") if exclude else bare
            word = word.strip(".,;:!?()[]{}'’")
            if len(word) < 2 or word.lower() in STOP_WORDS:
                continue
            term = Term(word)
        if join_next and not exclude:
            clauses[-1] = Clause(terms=(*clauses[-1].terms, term))
        else:
            clauses.append(Clause(terms=(term,), exclude=exclude))
        join_next = False
    return clauses[:MAX_CLAUSES]


def phrase_pattern(phrase: str) -> str:
    """A regular expression for `phrase` with any run of spaces or line breaks between its words."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


def highlight_pattern(clauses: list[Clause]) -> re.Pattern | None:
    """Every spelling of every wanted term, for marking matches in text shown to the reader; word forms
    (plans, planning) are caught by matching from the start of a word."""
    parts = []
    for clause in clauses:
        if clause.exclude:
            continue
        for term in clause.terms:
            for spelling in term.spellings:
                parts.append(phrase_pattern(spelling) if " " in spelling else re.escape(spelling))
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")[\w]*", re.IGNORECASE)
