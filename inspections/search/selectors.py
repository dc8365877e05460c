"""Full-text search over letter text and weakness texts.

On PostgreSQL: full-text search (websearch syntax: "quoted phrase", or, -exclude) with an English
configuration, ranked by ts_rank and with ts_headline snippets. Matching and ranking read stored, GIN-indexed
vectors (SourceLetter.search_vector, kept by triggers; the weakness's generated column; migration 0005),
so no text is parsed per candidate; only the hits shown are headlined. Elsewhere (SQLite, the embedded
default): every word must appear (case-insensitive substring), newest first, with a snippet cut
around the first match. Both return the same result types, so the page does not care which ran.

A letter is the span of its document that the parser attributed to it (SourceLetter.span_start/
span_end), so a hit names the letter's area and kind rather than a whole multi-letter document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from inspections.models import SignificantWeakness, SourceLetter

# Private-use characters mark highlights inside the database's output; the text is HTML-escaped
# first and only then are they turned into <mark>, so letter text can never inject markup.
_START, _STOP = "\ue000", "\ue001"
MAX_QUERY_LENGTH = 200
SNIPPET_CHARS = 240


@dataclass
class LetterHit:
    letter_id: int
    document_id: int
    document_name: str
    kind: str
    framework: str
    area_gss: str | None
    area_name: str
    snippet: SafeString
    rank: float | None = None

    @property
    def kind_label(self) -> str:
        return self.kind.replace("_", " ").capitalize()


@dataclass
class WeaknessHit:
    weakness_id: int
    kind: str
    number: int
    inspection_start: object
    framework: str
    area_gss: str
    area_name: str
    snippet: SafeString
    rank: float | None = None


@dataclass
class SearchResults:
    query: str
    backend: str  # "postgres" or "simple"
    letters: list[LetterHit] = field(default_factory=list)
    weaknesses: list[WeaknessHit] = field(default_factory=list)


def search_all(*, query: str, limit: int = 20) -> SearchResults:
    """Letters and weaknesses matching `query`, best first. Two queries whatever the data size."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    backend = "postgres" if settings.IS_POSTGRES else "simple"
    results = SearchResults(query=query, backend=backend)
    if not query:
        return results
    if backend == "postgres":
        results.letters = _letters_postgres(query, limit)
        results.weaknesses = _weaknesses_postgres(query, limit)
    else:
        terms = _terms(query)
        if terms:
            results.letters = _letters_simple(terms, limit)
            results.weaknesses = _weaknesses_simple(terms, limit)
    return results


def _letters(*, load_text: bool) -> QuerySet:
    letter_text = Substr("document__text", F("span_start") + 1, F("span_end") - F("span_start"))
    qs = (
        SourceLetter.objects.filter(duplicate_of__isnull=True)
        .select_related("area", "document")
        .only("id", "kind", "framework", "area_name_printed", "document__id", "document__original_name",
              "area__gss_code", "area__name")
    )
    # PostgreSQL only needs the text inside the query (for the vector and the headline), not back in Python.
    return qs.annotate(letter_text=letter_text) if load_text else qs.alias(letter_text=letter_text)


def _weaknesses() -> QuerySet:
    return SignificantWeakness.objects.select_related("inspection__area").only(
        "id", "kind", "number", "text", "inspection__start_date", "inspection__framework",
        "inspection__area__gss_code", "inspection__area__name",
    )


# --- PostgreSQL ---------------------------------------------------------------------------------

def _pg_query(query: str):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, config="english", search_type="websearch")


def _letters_postgres(query: str, limit: int) -> list[LetterHit]:
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    q = _pg_query(query)
    rank = SearchRank(F("search_vector"), q)
    # Match and rank on the stored vector (SourceLetter.search_vector: GIN-indexed, kept by triggers,
    # migration 0005), so no letter's text is parsed at query time. The page is chosen in a subquery
    # that touches no document text; only those `limit` letters are headlined, each from its own span.
    page = (
        SourceLetter.objects.filter(duplicate_of__isnull=True, search_vector=q)
        .annotate(rank=rank).order_by("-rank", "-id").values("pk")[:limit]
    )
    rows = (
        _letters(load_text=False)
        .filter(pk__in=page)
        .annotate(
            rank=rank,
            headline=SearchHeadline(
                "letter_text", q, config="english", start_sel=_START, stop_sel=_STOP,
                max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-id")
    )
    return [_letter_hit(row, _marked(row.headline), row.rank) for row in rows]


def _weaknesses_postgres(query: str, limit: int) -> list[WeaknessHit]:
    from django.contrib.postgres.search import SearchHeadline, SearchRank, SearchVectorField

    q = _pg_query(query)
    # The weakness's stored vector: a GENERATED column that only PostgreSQL has (migration 0005), so it is
    # not a model field and is named here. A weakness is short: its headline is cheap, and PostgreSQL
    # evaluates it only for the rows kept by the LIMIT (an expensive select-list function after a sort).
    vector = RawSQL('"inspections_significantweakness"."search_vector"', [], output_field=SearchVectorField())
    rows = (
        _weaknesses()
        .alias(search=vector)
        .filter(search=q)
        .annotate(
            rank=SearchRank(vector, q),
            headline=SearchHeadline("text", q, config="english", start_sel=_START, stop_sel=_STOP, max_words=45, min_words=20),
        )
        .order_by("-rank", "-id")[:limit]
    )
    return [_weakness_hit(row, _marked(row.headline), row.rank) for row in rows]


def _marked(headline: str) -> SafeString:
    text = escape(" ".join(headline.split()))
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))


# --- Fallback (SQLite) ----------------------------------------------------------------------------

def _terms(query: str) -> list[str]:
    # Quotes and operators mean nothing here; keep words of two letters or more.
    return [t for t in re.findall(r"[\w'’-]+", query) if len(t) >= 2][:8]


def _all_terms(field_name: str, terms: list[str]) -> Q:
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{field_name}__icontains": term})
    return condition


def _letters_simple(terms: list[str], limit: int) -> list[LetterHit]:
    rows = _letters(load_text=True).filter(_all_terms("letter_text", terms)).order_by("-document__created_at", "-id")[:limit]
    return [_letter_hit(row, snippet(row.letter_text, terms)) for row in rows]


def _weaknesses_simple(terms: list[str], limit: int) -> list[WeaknessHit]:
    rows = _weaknesses().filter(_all_terms("text", terms)).order_by("-inspection__start_date", "-id")[:limit]
    return [_weakness_hit(row, snippet(row.text, terms)) for row in rows]


def snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> SafeString:
    """About `width` characters of `text` around the first term found, every term marked, HTML-escaped."""
    text = " ".join(text.split())
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text)
    centre = first.start() if first else 0
    start = max(0, centre - width // 3)
    end = min(len(text), start + width)
    if start > 0:  # start on a word boundary
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < centre else start
    window = text[start:end]
    out, last = [], 0
    for match in pattern.finditer(window):
        out.append(escape(window[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(window[last:]))
    return mark_safe(("… " if start > 0 else "") + "".join(out) + (" …" if end < len(text) else ""))


# --- Shared -------------------------------------------------------------------------------------

def _letter_hit(row: SourceLetter, snip: SafeString, rank: float | None = None) -> LetterHit:
    return LetterHit(
        letter_id=row.id,
        document_id=row.document.id,
        document_name=row.document.original_name,
        kind=row.kind,
        framework=row.framework,
        area_gss=row.area.gss_code if row.area else None,
        area_name=row.area.name if row.area else row.area_name_printed,
        snippet=snip,
        rank=rank,
    )


def _weakness_hit(row: SignificantWeakness, snip: SafeString, rank: float | None = None) -> WeaknessHit:
    inspection = row.inspection
    return WeaknessHit(
        weakness_id=row.id,
        kind=row.get_kind_display(),
        number=row.number,
        inspection_start=inspection.start_date,
        framework=inspection.framework,
        area_gss=inspection.area.gss_code,
        area_name=inspection.area.name,
        snippet=snip,
        rank=rank,
    )
