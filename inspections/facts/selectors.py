"""Read side of the analyst pages: areas with their latest stage, the inspections, weaknesses and
timeline selectors. Views and exports call these; nothing here writes.

Conventions (for h7 and anyone adding a page):
- A list selector takes the request's GET data as `filters`, applies the list's one FilterSet
  (inspections/facts/filters.py) and returns a queryset of plain dicts (`.values()`), already ordered.
  The page paginates it; the CSV export streams it with `.iterator()`. Both go through the same
  selector, so the file always holds exactly what the page lists.
- Every query count is bounded: per-row facts are SQL annotations (subqueries), never per-row lookups.
- `with_stage(qs)` annotates any LocalArea queryset with its current stage (the one place it is computed: the
  dashboard's `area_statuses` reads it too): `stage`, `latest_outcome`, `latest_2016_*`, `latest_2023_*`,
  `revisit_*`, `judged_total`, `judged_sufficient`, `latest_date` (the latest inspection, revisit or
  monitoring inspection), `stage_unconfirmed` (a fact behind the stage still needs review).
  `stage_label(row)` words it, starting with the vocabulary's stage label.
- Never a value the records do not hold (issue 13 item 1): an unknown date stays None and is left out of
  computed figures (`months_between`), never filled in from a neighbouring date.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, NullIf, Substr
from django.http import Http404, QueryDict

from areas.models import LocalArea
from inspections.analysis.periods import visit_day
from inspections.models import (
    Document,
    Framework,
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    SourceKind,
    WrittenStatementOfAction,
)
from inspections.vocabulary import (  # noqa: F401  OUTCOMES_2023, STAGES, Stage re-exported
    KIND_LABELS,
    KIND_SHORT,
    OUTCOMES_2023,
    ROW_TYPE_WORDS,
    STAGE_LABELS,
    STAGES,
    Stage,
    plural,
)
from inspections.themes.selectors import theme_columns
from .filters import AreaFilter, InspectionFilter, WeaknessFilter

DAYS_PER_MONTH = 365.2425 / 12


def _known_count(count, *, has_placeholders: bool = True):
    """`count` of weaknesses held, or NULL (not known) when none is held and the row was not read from its own
    letter or report: weaknesses come only from letters and reports, so a visit known from Ofsted's statistics, a
    secondary source or a later document has an unknown number (its dataset may state one: `stated_weaknesses`),
    never 0."""
    own_letter = Q(source_kind="letter") & Q(is_placeholder=False) if has_placeholders else Q(source_kind="letter")
    return Case(When(own_letter, then=count), default=NullIf(count, Value(0)), output_field=IntegerField())


class _Count(Subquery):
    """COUNT(*) of a correlated queryset, 0 when empty (no GROUP BY on the outer query)."""

    output_field = IntegerField()

    def __init__(self, queryset):
        counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
        super().__init__(counted)


def _latest(qs: QuerySet) -> QuerySet:
    return qs.order_by(F("start_date").desc(nulls_last=True), "-id")


def with_stage(qs: QuerySet[LocalArea], *, as_at: dt.date | None = None) -> QuerySet[LocalArea]:
    """Annotate areas with where they stand on the inspection path: the columns of their stored path
    (`inspections.models.AreaPath`, derived once by inspections/paths/derive.py whenever the area's facts change),
    one join — never computed here (the stage was once computed in several places that disagreed).

    With `as_at`, the same columns as the areas stood that day: each path derived again by the same function
    (`paths.selectors.paths_as_at`: six queries, whatever the number of areas) and written into the query as
    constants (`_constant_columns`), so filters, sorting, counting and paging stay in SQL exactly as for now."""
    if as_at is None:
        return qs.annotate(**{name: F(f"path__{column}") for name, column in _PATH_COLUMNS.items()})
    from inspections.paths.selectors import paths_as_at

    ids = list(qs.order_by().values_list("pk", flat=True))
    paths = paths_as_at(ids, as_at=as_at)
    if connection.vendor == "postgresql":
        return qs.filter(pk__in=ids).annotate(**_array_columns(paths))
    return qs.filter(pk__in=ids).annotate(**_constant_columns(paths))


def _array_columns(paths: dict) -> dict:
    """PostgreSQL: {column: `(values)[array_position(ids, id)]`} giving each area its value in `paths` — two array
    parameters per column whatever the number of areas. The CASE of `_constant_columns` carried every area's id
    once per column (~37,000 parameters at ten times today's areas: 470 ms a page, bench/README.md issue 24)."""
    from inspections.models import AreaPath

    ids = sorted(paths)
    table = connection.ops.quote_name(LocalArea._meta.db_table)
    key = connection.ops.quote_name(LocalArea._meta.pk.column)
    columns = {}
    for name, column in _PATH_COLUMNS.items():
        field = AreaPath._meta.get_field(column)
        output = _OUTPUT_FIELDS[field.get_internal_type()]()
        db_type = field.db_type(connection).split("(")[0]
        values = [getattr(paths[area_id], column) for area_id in ids]
        columns[name] = RawSQL(f"(%s::{db_type}[])[array_position(%s::bigint[], {table}.{key})]", (values, ids),
                               output_field=output)
    return columns


def _constant_columns(paths: dict) -> dict:
    """{column: CASE over the area's id} giving each area its value in `paths` ({area id: derive.AreaPath}).

    Per column the commonest value is the CASE's default and the others one WHEN per value (`pk IN (...)`), so
    the SQL grows with the distinct values, not the areas. Only for the areas in `paths` (the caller restricts the
    query to them), so the default is never given to an area it was not derived for."""
    from inspections.models import AreaPath

    columns = {}
    for name, column in _PATH_COLUMNS.items():
        output = _OUTPUT_FIELDS[AreaPath._meta.get_field(column).get_internal_type()]()
        ids_by_value: dict = {}
        for area_id, path in paths.items():
            ids_by_value.setdefault(getattr(path, column), []).append(area_id)
        if not ids_by_value:
            columns[name] = Value(None, output_field=output)
            continue
        common = max(ids_by_value, key=lambda value: len(ids_by_value[value]))
        whens = [When(pk__in=sorted(ids), then=Value(value, output_field=output))
                 for value, ids in ids_by_value.items() if value != common]
        default = Value(common, output_field=output)
        columns[name] = Case(*whens, default=default, output_field=output) if whens else default
    return columns


_OUTPUT_FIELDS = {"CharField": CharField, "DateField": DateField, "BooleanField": BooleanField,
                  "IntegerField": IntegerField, "PositiveIntegerField": IntegerField,
                  "PositiveSmallIntegerField": IntegerField, "SmallIntegerField": IntegerField}


# Column on the page/export -> AreaPath field.
_PATH_COLUMNS = {
    "stage": "stage", "stage_label": "stage_label", "coverage": "coverage", "latest_outcome": "latest_outcome",
    "latest_date": "latest_date", "latest_2016_start": "latest_2016_start", "latest_2016_outcome": "latest_2016_outcome",
    "latest_2023_start": "latest_2023_start", "latest_2023_outcome": "latest_2023_outcome",
    "revisit_overall": "revisit_overall", "revisit_start": "revisit_start", "revisit_weaknesses": "weakness_count",
    "judged_sufficient": "judged_sufficient", "judged_insufficient": "judged_insufficient",
    "judged_unknown": "judged_unknown", "wsoa_open": "wsoa_open", "stage_unconfirmed": "unconfirmed",
    "stage_secondary": "secondary", "path_2016": "path_2016", "outcome_2023": "outcome_2023",
    "next_kind": "next_kind", "next_due_from": "next_due_from", "next_due_by": "next_due_by",
}


def stage_label(row) -> str:
    """The stored stage label (the vocabulary's words, then what the records add in brackets — written by
    inspections/paths/derive.py: stage_label). `row` is an annotated LocalArea or a dict from `area_rows`."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name, None)
    return get("stage_label") or STAGE_LABELS.get(get("stage") or "", get("stage") or "")


# --- list selectors ---------------------------------------------------------------------------

AREA_COLUMNS = (
    "id", "name", "gss_code", "region", "authority_type", "end_date", *_PATH_COLUMNS,
    "dfe_la_code", "ofsted_urn", "replaced_by_codes", "replaces_codes",
)


_built = threading.local()


def area_rows(*, as_at: dt.date | None = None) -> QuerySet:
    """Every area as a dict with AREA_COLUMNS (`with_stage(...).values(...)`), to filter and order; with `as_at`,
    the path columns as each area stood that day (`with_stage`), for every area of the register (the list's
    filter keeps those in force that day).

    Building `with_stage`'s thirteen subqueries is pure Python (the ORM resolves every expression) and cost
    more than running the query for a page of areas or a timeline's neighbours (about 6 ms of a 25 ms
    timeline). It has no per-request input, so it is built once per thread and each caller gets a clone:
    filtering or ordering a clone never changes the one kept (per thread, so no two requests share it). The
    as-at rows depend on the facts of the moment, so they are built for each call.
    """
    if as_at is not None:
        return _with_links(with_stage(LocalArea.objects.all(), as_at=as_at))
    rows = getattr(_built, "area_rows", None)
    if rows is None:
        rows = _built.area_rows = _with_links(with_stage(LocalArea.objects.all()))
    return rows.all()


def _with_links(areas: QuerySet) -> QuerySet:
    links = LocalArea.replaced_by.through.objects.order_by()
    return areas.annotate(
        # Both directions of the register's replaced-by links, as GSS codes.
        replaced_by_codes=Subquery(links.filter(from_localarea_id=OuterRef("pk")).annotate(
            _codes=_GroupConcat("to_localarea__gss_code")).values("_codes")[:1], output_field=CharField()),
        replaces_codes=Subquery(links.filter(to_localarea_id=OuterRef("pk")).annotate(
            _codes=_GroupConcat("from_localarea__gss_code")).values("_codes")[:1], output_field=CharField()),
    ).values(*AREA_COLUMNS)


def area_list(*, filters: QueryDict | dict | None = None) -> QuerySet:
    """Areas (as dicts with AREA_COLUMNS) with their stage, filtered and ordered by AreaFilter; with a valid
    `as_at`, their paths as at that day (`area_rows`)."""
    return AreaFilter.apply(filters, area_rows(as_at=AreaFilter.as_at_of(filters)))


# Document.source_url/published_date come with migration 0007 (the Ofsted source); read them only when present.
_DOCUMENT_FIELDS = {f.name for f in Document._meta.get_fields()}
HAS_SOURCE_URL = "source_url" in _DOCUMENT_FIELDS
HAS_DOCUMENT_PUBLISHED = "published_date" in _DOCUMENT_FIELDS


def _source_url(prefix: str = ""):
    return F(f"{prefix}source_document__source_url") if HAS_SOURCE_URL else Value("", output_field=CharField())


def _document_published(prefix: str = ""):
    """The publication date its publisher's listing gives for the fact's document, but only for a letter or
    report of the inspectorates: a council report's own date is not the inspection's publication date."""
    if not HAS_DOCUMENT_PUBLISHED:
        return Value(None, output_field=DateField())
    return Case(When(**{f"{prefix}source_kind": SourceKind.LETTER}, then=F(f"{prefix}source_document__published_date")),
                default=Value(None), output_field=DateField())


def _source_columns(prefix: str = "") -> dict:
    return {
        "row_source_kind": F(f"{prefix}source_kind"),
        "source_file": F(f"{prefix}source_document__original_name"),
        "row_source_document_id": F(f"{prefix}source_document_id"),
        "row_needs_review": F(f"{prefix}needs_review"),
        "row_source_url": _source_url(prefix),
    }


def _dataset_source_columns(prefix: str = "") -> dict:
    """Where a fact read from a dataset row rests (SourcedFact's source_sheet/row/column/label): empty for a
    fact read from a letter or report."""
    return {
        "row_source_label": F(f"{prefix}source_label"),
        "row_source_sheet": F(f"{prefix}source_sheet"),
        "row_source_row": F(f"{prefix}source_row"),
        "row_source_columns": F(f"{prefix}source_column"),
    }


DATASET_SOURCE_COLUMNS = ("row_source_label", "row_source_sheet", "row_source_row", "row_source_columns")


def _span_columns(prefix: str = "") -> dict:
    """The fact's character span in its source document's text and the fields an analyst corrected or locked
    (`locked_fields`: {field: value}): the provenance the API and the CSV give (exports.py)."""
    return {"row_span_start": F(f"{prefix}span_start"), "row_span_end": F(f"{prefix}span_end"),
            "row_locked_fields": F(f"{prefix}locked_fields")}


SPAN_COLUMNS = ("row_span_start", "row_span_end", "row_locked_fields")
_NO_COUNT = Value(None, output_field=IntegerField())  # a half without such a count: NULL (not stated), never 0

# Column order matters: the two halves are UNIONed by position.
INSPECTION_ROW_COLUMNS = (
    "row_type", "row_id", "area_name", "area_gss_code", "region", "row_framework", "row_kind", "row_start_date", "row_end_date",
    "row_letter_date", "row_outcome", "wsoa_required", "weakness_count", "row_source_kind", "source_file", "row_source_document_id",
    "row_needs_review", "row_source_url", "row_published_date", "area_dfe_la_code", "area_ofsted_urn", "row_area_end_date",
    "row_area_successors", "row_known_from", "row_period_text",
    # Appended (a UNION matches by position; the export's column order is kept): how precisely the visit is dated,
    # the counts a dataset states (NULL where the half has no such count, or nothing states it) and the dataset row.
    "row_date_precision", "row_stated_weaknesses", "row_stated_sufficient", "row_stated_insufficient",
    *DATASET_SOURCE_COLUMNS, *SPAN_COLUMNS,
)


def _area_columns(path: str) -> dict:
    """The area's codes and, for a former authority, the GSS codes of the areas that replaced it (one string,
    space-separated: a row's link forward; the areas export holds both directions, issue 13 item 8)."""
    successors = LocalArea.replaced_by.through.objects.filter(from_localarea_id=OuterRef(f"{path}_id")).order_by()
    return {
        "area_dfe_la_code": F(f"{path}__dfe_la_code"),
        "area_ofsted_urn": F(f"{path}__ofsted_urn"),
        "row_area_end_date": F(f"{path}__end_date"),
        "row_area_successors": Subquery(
            successors.annotate(_codes=_GroupConcat("to_localarea__gss_code")).values("_codes")[:1],
            output_field=CharField(),
        ),
    }


class _GroupConcat(Func):
    """The values of a correlated subquery joined by spaces, sorted (string_agg / group_concat)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s(%(expressions)s, ' ' ORDER BY %(expressions)s)", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="%(function)s(%(expressions)s, ' ')", **extra)


def _known_from(prefix: str):
    """For an inspection known only from a later document (a placeholder: a revisit letter restates it, a 2023
    report names it), that document's file name; '' for an inspection held as its own letter (issue 19 item 4)."""
    return Case(When(**{f"{prefix}is_placeholder": True}, then=Coalesce(
        F(f"{prefix}source_document__original_name"), Value("a later document"))),
        default=Value(""), output_field=CharField())


def _inspection_half(*, detail: bool = True) -> QuerySet:
    qs = Inspection.objects.annotate(
        row_type=Value("inspection"),
        row_id=F("id"),
        area_name=F("area__name"),
        area_gss_code=F("area__gss_code"),
        region=F("area__region"),
        row_framework=F("framework"),
        row_kind=F("kind"),
        row_start_date=F("start_date"),
        row_outcome=F("outcome"),
        row_source_kind=F("source_kind"),
        row_needs_review=F("needs_review"),
        row_placeholder=F("is_placeholder"),
        row_period_text=F("period_text"),  # a visit dated only to the month or year, as written (`as_at`, `year`)
    )
    if not detail:
        return qs
    return qs.annotate(
        row_end_date=F("end_date"),
        row_letter_date=F("letter_date"),
        wsoa_required=Case(
            When(outcome=Inspection.Outcome.WSOA_REQUIRED, then=Value("true")),
            When(outcome=Inspection.Outcome.NO_WSOA, then=Value("false")),
            default=Value(""),
            output_field=CharField(),
        ),
        weakness_count=_known_count(_Count(SignificantWeakness.objects.filter(inspection_id=OuterRef("pk")))),
        **_source_columns(),
        row_published_date=Coalesce(F("published_date"), _document_published(), output_field=DateField()),
        **_area_columns("area"),
        row_known_from=_known_from(""),
        row_date_precision=F("date_precision"),
        row_stated_weaknesses=F("stated_weaknesses"),
        row_stated_sufficient=_NO_COUNT,
        row_stated_insufficient=_NO_COUNT,
        **_dataset_source_columns(),
        **_span_columns(),
    )


def _revisit_half(*, detail: bool = True) -> QuerySet:
    qs = Revisit.objects.annotate(
        row_type=Value("revisit"),
        row_id=F("id"),
        area_name=F("inspection__area__name"),
        area_gss_code=F("inspection__area__gss_code"),
        region=F("inspection__area__region"),
        row_framework=F("inspection__framework"),
        row_kind=F("kind"),
        row_start_date=F("start_date"),
        row_outcome=F("overall"),
        row_source_kind=F("source_kind"),
        row_needs_review=F("needs_review"),
        row_placeholder=Value(False, output_field=BooleanField()),
        row_period_text=F("period_text"),
    ).filter(inspection__rejected=False)
    if not detail:
        return qs
    return qs.annotate(
        row_end_date=F("end_date"),
        row_letter_date=F("letter_date"),
        wsoa_required=Value(""),
        # For a revisit: how many weaknesses (areas for priority action) it follows up — the inspection's, or the
        # judgements' when more are restated than held. Not the judgements alone: rejecting one judgement removes
        # that verdict, never the weakness (issue 19 item 3).
        weakness_count=_known_count(Greatest(
            _Count(SignificantWeakness.objects.filter(
                inspection_id=OuterRef("inspection_id"),
                kind__in=(SignificantWeakness.Kind.SIGNIFICANT_WEAKNESS, SignificantWeakness.Kind.PRIORITY_ACTION))),
            _Count(ProgressJudgement.objects.filter(revisit_id=OuterRef("pk"))),
        ), has_placeholders=False),  # a revisit is never a placeholder
        **_source_columns(),
        row_published_date=Coalesce(F("published_date"), _document_published(), output_field=DateField()),
        **_area_columns("inspection__area"),
        row_known_from=Value("", output_field=CharField()),
        row_date_precision=F("date_precision"),
        row_stated_weaknesses=_NO_COUNT,  # the inspection's count is on the inspection's own row
        row_stated_sufficient=F("stated_sufficient"),
        row_stated_insufficient=F("stated_insufficient"),
        **_dataset_source_columns(),
        **_span_columns(),
    )


# What the first step of a list page reads: the columns filters and sorts need, nothing costly.
INSPECTION_KEY_COLUMNS = ("row_type", "row_id", "area_name", "row_start_date", "row_kind", "row_outcome", "row_needs_review")


@dataclass
class RowSummary:
    """What a list holds, for its caption: `total` rows, `by_type` {row type: rows}, and `unconfirmed`: rows
    with a fact still under review (issue 13 items 6 and 9)."""

    total: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    unconfirmed: int = 0

    def words(self) -> str:
        """'35 rows: 33 inspections, 2 revisits or monitoring inspections' (the types only when more than one)."""
        text = plural(self.total, ("row", "rows"))
        # In the vocabulary's order (inspections before revisits), never the database's GROUP BY order, which
        # differs between SQLite and PostgreSQL.
        order = {kind: i for i, kind in enumerate(ROW_TYPE_WORDS)}
        ordered = sorted(self.by_type.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
        kinds = [plural(n, ROW_TYPE_WORDS.get(kind, (kind, kind))) for kind, n in ordered if n]
        return f"{text}: {', '.join(kinds)}" if len(kinds) > 1 else text


def summarise(queryset: QuerySet, *, flags: tuple[str, ...] = (), type_column: str | None = None,
              condition: tuple[str, list] | None = None) -> RowSummary:
    """Count `queryset`'s rows in ONE query: in total, per `type_column` value, and those with any of the
    boolean `flags` columns true — or, instead of flags, for which `condition` holds (SQL and its parameters,
    over the row as `listed`). Runs over the list's own SQL (a UNION included, which `.aggregate()` cannot),
    so the caption counts exactly the rows the page lists. An empty queryset (invalid filters) runs nothing."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connections

    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:
        return RowSummary()
    qn = connections[queryset.db].ops.quote_name
    if condition:
        flag_sql, flag_params = condition
    else:
        flag_sql, flag_params = " OR ".join(f"{qn(name)} = %s" for name in flags) or "1 = 0", [True] * len(flags)
    # Without a type column: one row of totals (PostgreSQL refuses GROUP BY a constant).
    group = qn(type_column) if type_column else "''"
    query = (f"SELECT {group}, COUNT(*), SUM(CASE WHEN {flag_sql} THEN 1 ELSE 0 END) "
             f"FROM ({sql}) AS listed" + (f" GROUP BY {group}" if type_column else ""))
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(query, [*flag_params, *params])  # the flags' placeholders come first in `query`
        counts = cursor.fetchall()
    by_type = {kind: n for kind, n, _ in counts if n}
    return RowSummary(sum(by_type.values()), by_type, sum(int(u or 0) for _, _, u in counts))


class PagedRows:
    """A list's rows for both readers: a page reads them in two steps, an export streams them in one.

    `count()` and slicing (what Paginator uses) run on `keys`, a narrow query with the filters and the
    order but without the costly columns (per-row counts, the source document join); the page's keys
    are then completed by `fetch(keys) -> rows` in one more query. `iterator()` and iteration stream
    `full` (every column, same filters and order) for exports. At ten times today's data this takes
    the inspections page from ~30 ms of SQL to ~10 ms."""

    def __init__(self, keys: QuerySet | None, full, fetch, summary=None):
        # `full` is a callable, so a page never pays for building the export's query (FilterSets are not cheap).
        self._keys, self._full, self._fetch, self._summary = keys, full, fetch, summary

    @cached_property
    def full(self) -> QuerySet:
        return self._full()

    @property
    def keys(self) -> QuerySet:
        return self.full if self._keys is None else self._keys

    @cached_property
    def summary(self) -> RowSummary:
        """The caption's counts; replaces the page's COUNT query (the paginator's `count()` reads its total)."""
        return self._summary(self.keys) if self._summary else RowSummary(self.keys.count())

    def count(self) -> int:
        return self.summary.total

    def __getitem__(self, item):
        if isinstance(item, slice):
            keys = list(self.keys[item])
            return self._fetch(keys) if keys else []
        return self[item : item + 1][0]

    def iterator(self, chunk_size: int = 2000):
        return self.full.iterator(chunk_size=chunk_size)

    def __iter__(self):
        return iter(self.full)


def inspection_rows(*, filters: QueryDict | dict | None = None) -> PagedRows:
    """Inspections AND revisits/monitoring inspections as one list of dicts (INSPECTION_ROW_COLUMNS),
    filtered by InspectionFilter and ordered. Columns named row_* are renamed by exports.py.
    Placeholders (an inspection known only from a later letter) are not rows: their letter is not held."""
    def full() -> QuerySet:
        return InspectionFilter.apply_union(filters, [_inspection_half(), _revisit_half()], INSPECTION_ROW_COLUMNS)

    sort_needs_count = "weaknesses" in str((filters or {}).get("sort", ""))
    if sort_needs_count:
        keys = None  # the full query: the sort needs the per-row count
    else:
        keys = InspectionFilter.apply_union(
            filters, [_inspection_half(detail=False), _revisit_half(detail=False)], INSPECTION_KEY_COLUMNS
        )

    def fetch(page_keys: list[dict]) -> list[dict]:
        wanted = {"inspection": [], "revisit": []}
        for key in page_keys:
            wanted[key["row_type"]].append(key["row_id"])
        halves = [
            half.filter(id__in=wanted[kind]).order_by().values(*INSPECTION_ROW_COLUMNS)
            for kind, half in (("inspection", _inspection_half()), ("revisit", _revisit_half()))
            if wanted[kind]
        ]
        first, *rest = halves
        rows = {(r["row_type"], r["row_id"]): r for r in (first.union(*rest, all=True) if rest else first)}
        return [rows[(k["row_type"], k["row_id"])] for k in page_keys]

    def summary(keys: QuerySet) -> RowSummary:
        return summarise(keys, flags=("row_needs_review",), type_column="row_type")

    return PagedRows(keys, full, fetch, summary)


WEAKNESS_ROW_COLUMNS = (
    "id", "area_name", "area_gss_code", "region", "framework", "inspection_start_date", "weakness_kind", "number",
    "text", "judgement", "judged_on", "judgement_id", "revisit_kind", "source_document_id", "needs_review", "source_kind",
    "judgement_needs_review", "inspection_published_date", "area_dfe_la_code", "area_ofsted_urn", "row_area_end_date",
    "row_area_successors", "inspection_known_from", "theme_keys", "theme_method", "responsible_bodies",
    "source_label", "inspection_stated_weaknesses", "span_start", "span_end", "locked_fields", "judgement_locked_fields",
)


def _visible_judgements(filters: QueryDict | dict | None) -> Q:
    """Which judgements a weakness list joins: not those an analyst rejected (a weakness whose only judgement was
    rejected reads "not judged"), and as at a date (`filters`' as_at) not those of a revisit started later or on a
    date not known — that day the weakness was not yet judged: "not judged", never dropped, never "insufficient".
    (WeaknessFilter.as_at keeps the weaknesses of inspections started by then.) One query with as_at, else none."""
    visible = Q(judgements__rejected=False)
    as_at = WeaknessFilter.as_at_of(filters)
    return visible & _judged_by(as_at) if as_at is not None else visible


def _weaknesses(visible: Q, *, detail: bool = True) -> QuerySet:
    """Weaknesses LEFT JOIN their `visible` judgements (`_visible_judgements`), annotated with what the filters and
    sorts read; with `detail`, also what only the rows show (the source document's date, the area's codes and
    successors, themes). Facts of a rejected inspection are hidden with it."""
    qs = SignificantWeakness.objects.filter(inspection__rejected=False).alias(
        visible_judgements=FilteredRelation("judgements", condition=visible),
    ).annotate(
        area_name=F("inspection__area__name"),
        area_gss_code=F("inspection__area__gss_code"),
        region=F("inspection__area__region"),
        framework=F("inspection__framework"),
        inspection_outcome=F("inspection__outcome"),
        inspection_start_date=F("inspection__start_date"),
        weakness_kind=F("kind"),
        judgement_id=F("visible_judgements__id"),
        judged_sufficient=F("visible_judgements__sufficient_progress"),
        judged_on=F("visible_judgements__revisit__start_date"),
        judgement_needs_review=F("visible_judgements__needs_review"),
    )
    if detail:
        qs = qs.annotate(
            revisit_kind=F("visible_judgements__revisit__kind"),
            inspection_published_date=Coalesce(F("inspection__published_date"), _document_published("inspection__"),
                                               output_field=DateField()),
            **_area_columns("inspection__area"),
            inspection_known_from=_known_from("inspection__"),
            inspection_stated_weaknesses=F("inspection__stated_weaknesses"),
            judgement_locked_fields=F("visible_judgements__locked_fields"),
            **theme_columns(),
        )
    return qs.annotate(
        judgement=Case(
            When(judged_sufficient=True, then=Value("sufficient")),
            When(judged_sufficient=False, then=Value("insufficient")),
            default=Value("empty"),
            output_field=CharField(),
        ),
    )


# What a page of weaknesses is found by: the row's identity, the sort keys and the caption's flags.
WEAKNESS_KEY_COLUMNS = ("id", "judgement_id", "area_name", "inspection_start_date", "weakness_kind", "number",
                        "judgement", "judged_on", "needs_review", "judgement_needs_review")


def weakness_rows(*, filters: QueryDict | dict | None = None) -> QuerySet:
    """One dict per (weakness, judgement); a weakness never judged gives one row with judgement ''.

    The LEFT JOIN to judgements is made once by annotation, so filters on the judgement refer to the
    same joined row rather than adding a second join."""
    return WeaknessFilter.apply(filters, _weaknesses(_visible_judgements(filters)).values(*WEAKNESS_ROW_COLUMNS))


def weakness_pages(*, filters: QueryDict | dict | None = None) -> PagedRows:
    """`weakness_rows` for a page (the /weaknesses/ page and the API): the page's keys are found and counted on
    the narrow query (no source document, area codes or themes for the thousands of rows a filter or sort reads),
    then its rows are read whole by id — at ten times today's data, 24 ms of SQL to ~12 (bench/README.md)."""
    visible = _visible_judgements(filters)  # once for the keys and the page's rows
    keys = WeaknessFilter.apply(filters, _weaknesses(visible, detail=False).values(*WEAKNESS_KEY_COLUMNS))

    def fetch(page_keys: list[dict]) -> list[dict]:
        ids = {k["id"] for k in page_keys}
        rows = {(r["id"], r["judgement_id"]): r
                for r in _weaknesses(visible).filter(id__in=ids).order_by().values(*WEAKNESS_ROW_COLUMNS)}
        return [rows[(k["id"], k["judgement_id"])] for k in page_keys]

    def summary(keys: QuerySet) -> RowSummary:
        return summarise(keys, flags=("needs_review", "judgement_needs_review"))

    return PagedRows(keys, lambda: weakness_rows(filters=filters), fetch, summary)


def _judged_by(as_at: dt.date) -> Q:
    """The join condition (on `judgements__`) keeping only judgements whose revisit had started by `as_at`.

    A FilteredRelation's condition can reach neither the revisit's date nor a subquery, and one on the revisit's
    id joins the revisit before the judgement (SQLite refuses the SQL), so the judgements are read first — one
    query of ids — and the condition names the shorter list: those kept, or those left out."""
    kept, later = [], []
    for pk, start in ProgressJudgement.objects.order_by().values_list("pk", "revisit__start_date"):
        (kept if start is not None and start <= as_at else later).append(pk)
    if not later:
        return Q()
    if not kept:
        return Q(judgements__rejected=True) & Q(judgements__rejected=False)  # never true: none joined
    return Q(judgements__pk__in=kept) if len(kept) <= len(later) else ~Q(judgements__pk__in=later)


def unconfirmed_area_ids() -> set[int]:
    """Ids of the areas whose stage rests on a fact still under review: the stored path's `unconfirmed`. One query."""
    from inspections.models import AreaPath

    return set(AreaPath.objects.filter(unconfirmed=True).values_list("area_id", flat=True))


def summarise_areas(keys: QuerySet) -> RowSummary:
    """The areas list's caption in ONE query (`summarise`): how many areas it lists and how many have their stage
    unconfirmed (the stored path's flag, a column of the listed rows)."""
    return summarise(keys, flags=("stage_unconfirmed",))


def area_pages(*, filters: QueryDict | dict | None = None) -> PagedRows:
    """`area_list` for the /areas/ page: a page of areas at a time, counted by `summarise_areas`."""
    rows = area_list(filters=filters)
    return PagedRows(rows, lambda: rows, lambda page: page, summarise_areas)


# --- timeline --------------------------------------------------------------------------------

def _with_source_text(qs: QuerySet) -> QuerySet:
    """The fact's source span, cut in SQL so whole document texts are never loaded."""
    return qs.select_related(None).annotate(
        source_snippet=Case(
            When(
                source_document__isnull=False, span_start__isnull=False, span_end__isnull=False,
                then=Substr("source_document__text", F("span_start") + 1, F("span_end") - F("span_start")),
            ),
            default=Value(""),
            output_field=CharField(),
        ),
        source_name=F("source_document__original_name"),
        source_original_url=_source_url(),
        source_published=_document_published(),
    )


@dataclass
class Gap:
    label: str
    months: float


@dataclass
class Step:
    """One stage on the path, in date order. `kind` picks the partial that renders it."""

    kind: str  # initial_inspection | wsoa | revisit | full_inspection | monitoring_inspection
    date: dt.date | None
    obj: object
    area: LocalArea
    inherited: bool = False  # from a former authority this area replaced
    gap: Gap | None = None
    sort_date: dt.date | None = None  # where an undated step belongs (see area_timeline)


@dataclass
class LaterMention:
    """An inspection of this (former) area known only because a successor's later report names it: Dorset's
    2024 report names the January 2017 inspection of Dorset County (issue 13 item 8)."""

    report: Inspection  # the later report's inspection (of a successor area)
    area: LocalArea  # the successor whose report it is
    start: dt.date
    end: dt.date | None
    certain: bool  # the successor replaced only this area, so the inspection named can only be this area's
    # An inspection on this area's own path dated only to the month the report names (Ofsted's statistics give
    # Dorset County's as "January 2017"): most likely the same visit, whose outcome is then held.
    same_month: Inspection | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.report.kind, self.report.kind)


@dataclass
class AreaTimeline:
    area: LocalArea
    steps: list[Step]
    predecessors: list[LocalArea]
    successors: list[LocalArea]
    neighbours: list[dict] = field(default_factory=list)  # area_list-shaped rows, with `label`
    stage: str = "not_inspected"  # the area's own stage key (STAGES)
    stage_label: str = ""
    stage_unconfirmed: bool = False  # a fact behind the stage still needs review
    inherited_count: int = 0  # steps from the areas this one replaced
    later_mentions: list[LaterMention] = field(default_factory=list)
    left_out_gaps: int = 0  # steps after which no "months after" is given: a date on either side is not known
    next_kind: str = ""  # the next expected visit, stored with the area's path (inspections/paths)
    next_due_by: dt.date | None = None
    overdue_days: int | None = None  # days past next_due_by (no report of that visit is held); None otherwise

    @property
    def next_label(self) -> str:
        from inspections.analysis.due import NEXT_KIND_LABELS

        return NEXT_KIND_LABELS.get(self.next_kind, self.next_kind)


def months_between(start: dt.date | None, end: dt.date | None) -> float | None:
    """Months (of 365.2425/12 days) from `start` to `end`, to one decimal; None when either is unknown:
    a figure is never computed from a stand-in date."""
    if not start or not end:
        return None
    return round((end - start).days / DAYS_PER_MONTH, 1)


def _timeline_facts() -> dict[str, QuerySet]:
    """The timeline's fact querysets with their source text annotated (`_with_source_text`), unfiltered.

    Like `area_rows`: resolving the annotations is pure Python and the same on every request (five
    querysets, each a CASE with a join to the document), so they are built once per thread; callers filter
    or clone them (`.all()`), which never changes the ones kept. Prefetch objects are made per request."""
    facts = getattr(_built, "timeline_facts", None)
    if facts is None:
        facts = _built.timeline_facts = {
            "inspections": _with_source_text(Inspection.objects.all()),
            "weaknesses": _with_source_text(SignificantWeakness.objects.order_by("kind", "number")),
            "revisits": _with_source_text(Revisit.objects.all()),
            "judgements": _with_source_text(ProgressJudgement.objects.all()).select_related("weakness").order_by(
                "weakness__kind", "weakness__number"
            ),
            "wsoas": _with_source_text(WrittenStatementOfAction.objects.all()),
        }
    return facts


def area_timeline(*, gss_code: str) -> AreaTimeline:
    """The area's whole path (and its predecessors'), in a fixed number of queries. 404 if unknown."""
    from areas.selectors import area_history

    try:
        area = LocalArea.objects.get(gss_code=gss_code)
    except LocalArea.DoesNotExist as exc:
        raise Http404(f"No local area with GSS code {gss_code}") from exc
    # The whole history, not just one step (Dorset County Council -> Dorset -> ...): a letter about any
    # former authority shows on every successor's page, marked as history.
    predecessors, successors = area_history(area)
    areas = {area.id: area, **{p.id: p for p in predecessors}}

    facts = _timeline_facts()
    revisits = facts["revisits"].all().prefetch_related(Prefetch("judgements", queryset=facts["judgements"].all()))
    inspections = list(
        facts["inspections"].filter(area_id__in=areas)
        .prefetch_related(
            Prefetch("weaknesses", queryset=facts["weaknesses"].all()),
            Prefetch("revisits", queryset=revisits),
        )
    )
    wsoas = {w.inspection_id: w for w in facts["wsoas"].filter(inspection__in=[i.id for i in inspections])}

    steps: list[Step] = []
    for inspection in inspections:
        owner = areas[inspection.area_id]
        inherited = owner.id != area.id
        inspection.wsoa_stage = wsoa = wsoas.get(inspection.id)
        if wsoa is not None:
            wsoa.inspection = inspection  # already read: the page names the WSOA's letter without another query
        revisits = list(inspection.revisits.all())
        # An inspection known only from a later letter (a placeholder) may have no date: it still comes
        # before its WSOA and revisits, so it is placed by the first date known about it.
        anchor = inspection.start_date or inspection.letter_date or inspection.published_date or min(
            (r.start_date for r in revisits if r.start_date), default=None
        )
        steps.append(Step(inspection.kind, inspection.start_date, inspection, owner, inherited, sort_date=anchor))
        if wsoa is not None or inspection.outcome == Inspection.Outcome.WSOA_REQUIRED:
            # A required WSOA is a stage even before any document about the statement itself is stored. Its date
            # is the letter's that required it, and nothing else: not the last day on site (Stockton-on-Tees showed
            # "Required 8 February 2019", the inspection's end, and "0.1 months after the inspection").
            date = (wsoa.required_on if wsoa else None) or inspection.letter_date
            steps.append(Step("wsoa", date, wsoa, owner, inherited, sort_date=date or anchor))
        for revisit in revisits:
            steps.append(Step(revisit.kind, revisit.start_date, revisit, owner, inherited))
    steps.sort(key=lambda s: (s.sort_date or s.date or dt.date.max, _STEP_ORDER[s.kind]))
    # "N months after the <step>": from the nearest earlier step whose date is known, named as that step; a
    # step whose own date is unknown gets no figure, and the page says how many were left out.
    left_out, last_dated = 0, None
    for index, step in enumerate(steps):
        if index and not step.date:
            left_out += 1
        if step.date and last_dated is not None:
            months = months_between(last_dated.date, step.date)
            step.gap = Gap(f"{months} months after the {KIND_SHORT[last_dated.kind]}", months)
        if step.date:
            last_dated = step

    # The area's own stage and its statistical neighbours' in one query.
    codes = [area.gss_code, *area.stat_neighbours]
    rows = {r["gss_code"]: r for r in area_rows().filter(gss_code__in=codes)}
    own = rows[area.gss_code]
    neighbours = [
        {**rows[code], "label": stage_label(rows[code])}
        for code in area.stat_neighbours  # closest first, as stored
        if code in rows and code != area.gss_code
    ]
    return AreaTimeline(
        area, steps, predecessors, successors, neighbours, stage=own["stage"], stage_label=stage_label(own),
        stage_unconfirmed=bool(own["stage_unconfirmed"]), inherited_count=sum(s.inherited for s in steps),
        later_mentions=_later_mentions(area, successors), left_out_gaps=left_out,
        next_kind=own["next_kind"] or "", next_due_by=own["next_due_by"],
        overdue_days=_overdue_days(own["next_due_by"]) if area.end_date is None else None,
    )


def _overdue_days(due_by: dt.date | None) -> int | None:
    from django.utils import timezone

    today = timezone.localdate()
    return (today - due_by).days if due_by and due_by < today else None


def _later_mentions(area: LocalArea, successors: list[LocalArea]) -> list[LaterMention]:
    """Inspections of a former authority that only a successor's later report names ("previous inspection"),
    dated before the authority ended. One query, only for an area that was replaced."""
    if not successors or area.end_date is None:
        return []
    from areas.models import LocalArea as Area

    # Linked or not: the writer may have made a placeholder for it on the successor (dated before the successor
    # existed); only a placeholder on this area's own path makes the mention redundant.
    reports = list(
        Inspection.objects.filter(area__in=[s.id for s in successors], previous_inspection_start__lt=area.end_date)
        .exclude(previous_inspection__area=area)
        .select_related("area").order_by("previous_inspection_start", "start_date")
    )
    if not reports:
        return []
    # How many authorities each reporting successor replaced: one, and the inspection named can only be ours.
    replaced = Counter(Area.replaced_by.through.objects.filter(to_localarea_id__in={r.area_id for r in reports})
                       .values_list("to_localarea_id", flat=True))
    # This area's visits known only to the month: the page must not say "its outcome is not known" beside one.
    by_month = {}
    for held in Inspection.objects.filter(area=area, start_date__isnull=True).exclude(period_text=""):
        day = visit_day(None, held.period_text)
        if day is not None:
            by_month.setdefault((day.year, day.month), held)
    return [LaterMention(r, r.area, r.previous_inspection_start, r.previous_inspection_end, replaced[r.area_id] == 1,
                         by_month.get((r.previous_inspection_start.year, r.previous_inspection_start.month)))
            for r in reports]


_STEP_ORDER = {"initial_inspection": 0, "earlier_visit": 0, "wsoa": 1, "revisit": 2, "full_inspection": 3, "monitoring_inspection": 4}

__all__ = [
    "AREA_COLUMNS", "INSPECTION_ROW_COLUMNS", "WEAKNESS_ROW_COLUMNS", "STAGES", "AreaTimeline", "Step",
    "area_list", "area_pages", "area_rows", "area_timeline", "summarise_areas", "unconfirmed_area_ids", "inspection_rows", "months_between", "stage_label", "weakness_pages", "weakness_rows", "with_stage",
]
