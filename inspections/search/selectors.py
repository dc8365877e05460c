"""Full-text search over letter text and weakness texts.

The query's syntax is the same on both backends (inspections/search/query.py): words, "quoted phrases",
`or`, `-exclude`, and spelling variants ("co-production" = "coproduction" = "co-producing") expanded from a
normalisation list before the database sees them. Results come a page at a time with their total, counted
in the same query (a scalar subquery, or COUNT(*) OVER () for weaknesses on PostgreSQL), so a page is still two
queries whatever the data size. PostgreSQL gets each spelling once per stemming (query.stem_distinct).

On PostgreSQL: full-text search with the English configuration, ranked by ts_rank and with ts_headline snippets. Matching and ranking read stored, GIN-indexed
vectors (SourceLetter.search_vector, kept by triggers; the weakness's generated column; migration 0005),
so no text is parsed per candidate; only the hits shown are headlined. Elsewhere (SQLite, the embedded
default): every word (any spelling) must appear as a case-insensitive substring, a phrase with any spacing
between its words, newest first, with a snippet cut around the first match; no stemming and no ranking. Both return the same result types, so the page does not care which ran.

A letter is the span of its document that the parser attributed to it (SourceLetter.span_start/
span_end), so a hit names the letter's area and kind rather than a whole multi-letter document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery as SearchQueryBase
from django.contrib.postgres.search import SearchQueryField
from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Subquery, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from areas.selectors import area_named
from inspections.models import SignificantWeakness, SourceKind, SourceLetter
from inspections.search.query import Clause, highlight_pattern, parse, phrase_pattern, stem_distinct, too_common
from inspections.vocabulary import KIND_LABELS, WEAKNESS_KIND_LABELS, label_for

# Private-use characters mark highlights inside the database's output; the text is HTML-escaped
# first and only then are they turned into <mark>, so letter text can never inject markup.
_START, _STOP = "\ue000", "\ue001"
MAX_QUERY_LENGTH = 200
SNIPPET_CHARS = 240
PAGE_SIZE = 20


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
    source_kind: str = "letter"

    @property
    def kind_label(self) -> str:
        """What the text is, in the lists' words: "Area SEND inspection", "Council report about a revisit"."""
        return letter_kind_label(self.kind, self.source_kind)

    @property
    def secondary(self) -> bool:
        return self.source_kind == SourceKind.SECONDARY


def letter_kind_label(kind: str, source_kind: str) -> str:
    """A letter's kind as the lists and timelines say it (vocabulary.KIND_LABELS: "Area SEND inspection", never the
    code's "Full inspection"); a council report (a secondary source) is named as one, never as the letter itself."""
    words = label_for(KIND_LABELS, kind) if kind in KIND_LABELS else (kind or "letter").replace("_", " ").capitalize()
    if source_kind == SourceKind.SECONDARY:
        return f"Council report about {'an' if words[:1].lower() in 'aeiou' else 'a'} {words[0].lower() + words[1:]}"
    return words


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
    """One page of each kind of hit, and how many there are in all (None: not searched)."""

    query: str
    backend: str  # "postgres" or "simple"
    letters: list[LetterHit] = field(default_factory=list)
    weaknesses: list[WeaknessHit] = field(default_factory=list)
    letters_total: int | None = None
    weaknesses_total: int | None = None
    page: int = 1
    page_size: int = PAGE_SIZE
    clauses: list[Clause] = field(default_factory=list)
    too_common: list[str] = field(default_factory=list)  # words left out (one letter, or too common to search for)
    suggestion: str = ""  # "did you mean": the query with a misspelt word replaced by the index's closest word


@dataclass(frozen=True)
class SearchScope:
    """The search page's filters, already validated (search/forms.py): an area (GSS code or part of its name), a
    region, a framework, a year (of the inspection, revisit or report). Empty values do not filter."""

    area: str = ""
    region: str = ""
    framework: str = ""
    year: int | None = None

    def letters(self) -> Q:
        q = Q()
        if self.area:
            q &= area_named(self.area, code="area__gss_code", name="area__name")
        if self.region:
            q &= Q(area__region=self.region)
        if self.framework:
            q &= Q(framework=self.framework)
        if self.year:
            # The letter's own dates as read (its JSON): the year of the visit's first day or of the letter.
            q &= Q(data__start_date__startswith=str(self.year)) | Q(data__letter_date__startswith=str(self.year))
        return q

    def weaknesses(self) -> Q:
        q = Q()
        if self.area:
            q &= area_named(self.area, code="inspection__area__gss_code", name="inspection__area__name")
        if self.region:
            q &= Q(inspection__area__region=self.region)
        if self.framework:
            q &= Q(inspection__framework=self.framework)
        if self.year:
            q &= Q(inspection__start_date__year=self.year)
        return q


def search_all(*, query: str, limit: int = PAGE_SIZE, page: int = 1, kinds: tuple[str, ...] = ("letters", "weaknesses"),
               scope: SearchScope | None = None) -> SearchResults:
    """Letters and weaknesses matching `query` within `scope`, best first: page `page` (1-based) of `limit` hits of
    each kind in `kinds`, with each kind's total. One query per kind whatever the data size; none for an empty
    query. When nothing at all is found, `suggestion` may offer the query with a misspelt word corrected."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    backend = "postgres" if settings.IS_POSTGRES else "simple"
    page = max(1, page)
    clauses = parse(query)
    scope = scope or SearchScope()
    results = SearchResults(query=query, backend=backend, page=page, page_size=limit, clauses=clauses,
                            too_common=too_common(query))
    if not any(not c.exclude for c in clauses):
        return results  # nothing to look for (empty, or only exclusions)
    offset = (page - 1) * limit
    if "letters" in kinds:
        finder = _letters_postgres if backend == "postgres" else _letters_simple
        results.letters, results.letters_total = finder(clauses, offset, limit, scope.letters())
    if "weaknesses" in kinds:
        finder = _weaknesses_postgres if backend == "postgres" else _weaknesses_simple
        results.weaknesses, results.weaknesses_total = finder(clauses, offset, limit, scope.weaknesses())
    if not (results.letters_total or results.weaknesses_total):
        from inspections.search.suggest import suggest_query

        results.suggestion = suggest_query(query, clauses)
    return results


def _total(matching: QuerySet) -> Subquery:
    """COUNT(*) of `matching` as a scalar subquery, to ride along the page's own query (no extra round trip)."""
    counted = matching.order_by().annotate(_one=Value(1, output_field=IntegerField())).values("_one") \
        .annotate(n=Count("pk")).values("n")[:1]
    return Subquery(counted, output_field=IntegerField())


def _page_total(rows: list, matching: QuerySet, offset: int) -> int:
    """The total the page's rows carry. An empty first page means none; an empty later page (past the end)
    carries nothing, so only then is it counted on its own rather than shown as 0."""
    if rows:
        return rows[0].total
    return matching.count() if offset else 0


@dataclass
class LetterPassage:
    """One letter's text for /search/letters/<id>/, every match marked <mark id="match-N">."""

    letter: SourceLetter
    html: SafeString
    matches: int


def letter_passage(*, letter_id: int, query: str) -> LetterPassage | None:
    """The letter (its span of its document) with each spelling of the query's words marked; None if no such
    letter. One query: the text is cut from the document in SQL."""
    letter = (
        _letters(load_text=True).filter(pk=letter_id)
        .only("id", "kind", "framework", "source_kind", "area_name_printed", "document__id", "document__original_name",
              "area__gss_code", "area__name", "span_start", "span_end")
        .first()
    )
    if letter is None:
        return None
    text = letter.letter_text or ""
    pattern = highlight_pattern(parse(" ".join(query.split())[:MAX_QUERY_LENGTH]))
    out, last, n = [], 0, 0
    for m in pattern.finditer(text) if pattern else ():
        n += 1
        out.append(escape(text[last : m.start()]))
        out.append(f'<mark id="match-{n}">{escape(m.group())}</mark>')
        last = m.end()
    out.append(escape(text[last:]))
    return LetterPassage(letter=letter, html=mark_safe("".join(out)), matches=n)


def _letters(*, load_text: bool) -> QuerySet:
    letter_text = Substr("document__text", F("span_start") + 1, F("span_end") - F("span_start"))
    qs = (
        SourceLetter.objects.filter(duplicate_of__isnull=True)
        .select_related("area", "document")
        .only("id", "kind", "framework", "source_kind", "area_name_printed", "document__id", "document__original_name",
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

def _pg_query(clauses: list[Clause]):
    """The clauses as one tsquery: AND of clauses, OR of a clause's terms and of each term's spellings;
    a phrase keeps its word order (phraseto_tsquery), an excluded clause is negated (none of its spellings).

    Written once as SQL (`_PreparedTsQuery`) rather than as a tree of Django SearchQuery objects: a word with
    a dozen spellings made a tree the ORM resolved again at each of the four places the query is used
    (filter, rank, headline, total), about a sixth of the search page's time at ten times national size."""
    parts, params = [], []
    for clause in clauses:
        alternatives = []
        for term in clause.terms:
            for spelling in stem_distinct(term.spellings):
                function = "phraseto_tsquery" if (term.phrase or " " in spelling or "-" in spelling) else "plainto_tsquery"
                alternatives.append(f"{function}(%s::regconfig, %s)")
                params += ["english", spelling]
        if clause.exclude:  # ¬a ∧ ¬b
            parts.append("(" + " && ".join(f"!!({a})" for a in alternatives) + ")")
        else:
            parts.append("(" + " || ".join(alternatives) + ")")
    return _PreparedTsQuery(" && ".join(parts), params)


class _PreparedTsQuery(SearchQueryBase):
    """A tsquery already written as SQL with its parameters; usable wherever Django takes a SearchQuery
    (`search_vector=q`, SearchRank, SearchHeadline). Nothing to resolve: it names no column."""

    def __init__(self, sql: str, params: list):
        Func.__init__(self, output_field=SearchQueryField())
        self.sql, self.params, self.invert = sql, tuple(params), False

    def resolve_expression(self, *args, **kwargs):
        return self

    def as_sql(self, compiler, connection, function=None, template=None):
        return f"({self.sql})", list(self.params)


def _letters_postgres(clauses: list[Clause], offset: int, limit: int, scope: Q = Q()) -> tuple[list[LetterHit], int]:
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    q = _pg_query(clauses)
    rank = SearchRank(F("search_vector"), q)
    # Match and rank on the stored vector (SourceLetter.search_vector: GIN-indexed, kept by triggers,
    # migration 0005), so no letter's text is parsed at query time. The page is chosen in a subquery
    # that touches no document text; only those `limit` letters are headlined, each from its own span.
    matching = SourceLetter.objects.filter(scope, duplicate_of__isnull=True, search_vector=q)
    page = matching.annotate(rank=rank).order_by("-rank", "-id").values("pk")[offset : offset + limit]
    rows = (
        _letters(load_text=False)
        .filter(pk__in=page)
        .annotate(
            total=_total(matching),
            rank=rank,
            headline=SearchHeadline(
                "letter_text", q, config="english", start_sel=_START, stop_sel=_STOP,
                max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-id")
    )
    rows = list(rows)
    return [_letter_hit(row, _marked(row.headline), row.rank) for row in rows], _page_total(rows, matching, offset)


def _weaknesses_postgres(clauses: list[Clause], offset: int, limit: int, scope: Q = Q()) -> tuple[list[WeaknessHit], int]:
    from django.contrib.postgres.search import SearchHeadline, SearchRank, SearchVectorField

    q = _pg_query(clauses)
    # The weakness's stored vector: a GENERATED column that only PostgreSQL has (migration 0005), so it is
    # not a model field and is named here. A weakness is short: its headline is cheap, and PostgreSQL
    # evaluates it only for the rows kept by the LIMIT (an expensive select-list function after a sort).
    vector = RawSQL('"inspections_significantweakness"."search_vector"', [], output_field=SearchVectorField())
    matching = _weaknesses().filter(scope).alias(search=vector).filter(search=q)
    rows = (
        matching
        .annotate(
            # COUNT(*) OVER (): the matching rows' total, counted before the LIMIT in the same scan. Not
            # `_total(matching)`: inside that subquery the raw vector column would still name the OUTER row
            # (the subquery's table is aliased), so it counted every weakness whenever the row matched.
            total=Window(Count("pk")),
            rank=SearchRank(vector, q),
            headline=SearchHeadline("text", q, config="english", start_sel=_START, stop_sel=_STOP, max_words=45, min_words=20),
        )
        .order_by("-rank", "-id")[offset : offset + limit]
    )
    rows = list(rows)
    return [_weakness_hit(row, _marked(row.headline), row.rank) for row in rows], _page_total(rows, matching, offset)


def _marked(headline: str) -> SafeString:
    text = escape(" ".join(headline.split()))
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))


# --- Fallback (SQLite) ----------------------------------------------------------------------------

def _matches(field_name: str, clauses: list[Clause]) -> Q:
    """Every clause holds: a word as a case-insensitive substring (any spelling), a phrase with any spacing."""
    condition = Q()
    for clause in clauses:
        either = Q()
        for term in clause.terms:
            for spelling in term.spellings:
                if " " in spelling:
                    either |= Q(**{f"{field_name}__iregex": phrase_pattern(spelling)})
                else:
                    either |= Q(**{f"{field_name}__icontains": spelling})
        condition &= ~either if clause.exclude else either
    return condition


def _letters_simple(clauses: list[Clause], offset: int, limit: int, scope: Q = Q()) -> tuple[list[LetterHit], int]:
    matching = _letters(load_text=True).filter(scope).filter(_matches("letter_text", clauses))
    rows = list(matching.annotate(total=_total(matching)).order_by("-document__created_at", "-id")[offset : offset + limit])
    pattern = highlight_pattern(clauses)
    return [_letter_hit(row, snippet(row.letter_text, pattern)) for row in rows], _page_total(rows, matching, offset)


def _weaknesses_simple(clauses: list[Clause], offset: int, limit: int, scope: Q = Q()) -> tuple[list[WeaknessHit], int]:
    matching = _weaknesses().filter(scope).filter(_matches("text", clauses))
    rows = list(matching.annotate(total=_total(matching)).order_by("-inspection__start_date", "-id")[offset : offset + limit])
    pattern = highlight_pattern(clauses)
    return [_weakness_hit(row, snippet(row.text, pattern)) for row in rows], _page_total(rows, matching, offset)


def snippet(text: str, terms: list[str] | re.Pattern | None, width: int = SNIPPET_CHARS) -> SafeString:
    """About `width` characters of `text` around the first match, every match marked, HTML-escaped.
    `terms`: plain strings, or a compiled pattern (query.highlight_pattern: every spelling of the query's words)."""
    text = " ".join(text.split())
    if terms is None or isinstance(terms, re.Pattern):
        pattern = terms or re.compile(r"(?!x)x")  # nothing to mark
    else:
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


# --- The lists' text filters ----------------------------------------------------------------------

# A weakness's stored search vector (PostgreSQL only; migration 0005), as raw SQL naming the base table: used only on
# a queryset whose base table is the weaknesses' own (never inside a subquery, where the table is aliased).
WEAKNESS_VECTOR_SQL = '"inspections_significantweakness"."search_vector"'


def filter_by_text(queryset: QuerySet, *, query: str, field_name: str, vector_sql: str | None = None) -> QuerySet:
    """`queryset` narrowed to rows whose `field_name` matches `query` exactly as the search page matches it: the
    same syntax ("phrases", or, -word), the same spelling variants and, on PostgreSQL with `vector_sql` (the row's
    stored tsvector), the same stemming — so a list's "text contains" and /search/ find the same rows for
    "coproduction" and "co-production". A query with nothing to look for (one letter, punctuation) is matched as
    a plain substring rather than ignored: a filter never shows every row in its place."""
    text = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    clauses = parse(text)
    if not clauses:
        return queryset.filter(**{f"{field_name}__icontains": text}) if text else queryset
    if settings.IS_POSTGRES and vector_sql:
        from django.contrib.postgres.search import SearchVectorField

        vector = RawSQL(vector_sql, [], output_field=SearchVectorField())
        return queryset.alias(_text_search=vector).filter(_text_search=_pg_query(clauses))
    return queryset.filter(_matches(field_name, clauses))


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
        source_kind=row.source_kind,
    )


def _weakness_hit(row: SignificantWeakness, snip: SafeString, rank: float | None = None) -> WeaknessHit:
    inspection = row.inspection
    return WeaknessHit(
        weakness_id=row.id,
        kind=WEAKNESS_KIND_LABELS.get(row.kind, row.get_kind_display()),
        number=row.number,
        inspection_start=inspection.start_date,
        framework=inspection.framework,
        area_gss=inspection.area.gss_code,
        area_name=inspection.area.name,
        snippet=snip,
        rank=rank,
    )
