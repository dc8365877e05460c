"""One django-filter FilterSet per list; the page, its CSV export and the `export` command share it.

Each FilterSet filters the *row* querysets built in inspections/facts/selectors.py (dicts whose keys are
the annotation names used as `field_name` here), and knows its sort keys. Use it through a selector
(`area_list`, `inspection_rows`, `weakness_rows`), never directly in a view, so that a list and its
export cannot disagree. A view needs the FilterSet only to render the form: `XFilter.form_for(GET)`.

URL parameters (stable; the dashboard links to them):
  /areas/        region, authority_type, framework, stage, latest_outcome, wsoa_open, revisit_result, coverage,
                 q, area, include_former, as_at, sort, page
  /inspections/  area, region, framework, kind, outcome, year, as_at, source_kind, needs_review, held, sort, page
  /weaknesses/   area, region, framework, kind, judgement, outcome, year, as_at, text, theme, sort, page
`area` takes a GSS code, a whole name (that area, and those whose name begins with it as a word) or part of a
name (areas.selectors.area_named); boolean filters take true/false; `as_at` an ISO date (2021-03-31):
each list as it stood that day (AS_AT_NOTE of each FilterSet says what that means for its rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import django_filters as df
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.db.models import TextField

from areas.models import LocalArea
from areas.selectors import area_named
from inspections.analysis.periods import visit_day
from inspections.models import Framework, Inspection, Revisit, SignificantWeakness, SourceKind
from inspections.themes.selectors import with_theme
from inspections.themes.taxonomy import CHOICES as THEME_CHOICES
from inspections.vocabulary import COVERAGE, STAGES

BOOLEAN_CHOICES = (("", "Any"), ("true", "Yes"), ("false", "No"))
# ?as_at= takes an ISO date only (2021-03-31, what the date picker sends and the API describes): Django's other input
# formats would read 03/04/2021 as 4 March, a guess the reader cannot see.
AS_AT_FIELD = {"widget": forms.DateInput(attrs={"type": "date"}), "input_formats": ["%Y-%m-%d"]}
ANY = "Any"
NOT_RECORDED = "none"
# A year outside these is a mistyped URL, not a question: answered as a form error (a database asked for
# year -1 or 10**14 raises instead of answering).
YEAR_BOUNDS = {"min_value": 2000, "max_value": 2100, "decimal_places": 0}


class SortedFilterSet(df.FilterSet):
    """A FilterSet that also knows how to order its rows.

    Subclasses set `SORTS` (sort key -> row column) and `DEFAULT_SORT`; `?sort=-key` sorts descending.
    Dates and other nullable columns sort with blanks last either way; `TIEBREAK` makes pages stable.
    """

    SORTS: dict[str, str] = {}
    DEFAULT_SORT = ""
    TIEBREAK: tuple[str, ...] = ()

    sort = df.ChoiceFilter(method="_no_op", choices=(), label="Sort by", empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for key in self.SORTS:
            choices += [(key, key), (f"-{key}", f"{key} (descending)")]
        self.filters["sort"].extra["choices"] = choices

    def _no_op(self, queryset, name, value):
        return queryset

    def order_by(self) -> list:
        value = (self.form.cleaned_data.get("sort") if self.form.is_valid() else None) or self.DEFAULT_SORT
        descending = value.startswith("-")
        column = self.SORTS.get(value.lstrip("-"), self.SORTS[self.DEFAULT_SORT.lstrip("-")])
        first = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
        return [first, *self.TIEBREAK]

    @classmethod
    def form_for(cls, data):
        """The bound filter form for rendering (no rows are read)."""
        return cls(data or {}, queryset=LocalArea.objects.none()).form

    # What ?as_at=<date> does to this list's rows, in words (the page prints it under "As at <date>").
    AS_AT_NOTE = ""

    @classmethod
    def as_at_of(cls, data) -> dt.date | None:
        """The list's valid `as_at` date in `data`, else None (none given, or the filters are invalid: then no rows
        are listed anyway). For a selector whose rows themselves change with the date, not only their number."""
        if "as_at" not in cls.base_filters or not (data or {}).get("as_at"):
            return None
        form = cls.form_for(data)
        return form.cleaned_data.get("as_at") if form.is_valid() else None

    @classmethod
    def errors_for(cls, data) -> dict[str, list[str]]:
        """{parameter: [reason, ...]} for the filters in `data` that are not valid; {} when all are.

        django-filter skips an invalid filter and filters by the others, which listed every row for
        ?outcome=foo (issue 13 item 2). `apply`/`apply_union` therefore return NO rows when this is not
        empty, and callers show (page) or answer (CSV: 400) these reasons. No query is run."""
        form = cls.form_for(data)
        return {name: [str(m) for m in messages] for name, messages in form.errors.items()} if form.errors else {}

    @classmethod
    def apply(cls, data, queryset: QuerySet) -> QuerySet:
        """The rows matching `data`, ordered; none at all when a filter is invalid (see `errors_for`)."""
        filterset = cls(data or {}, queryset=queryset)
        if not filterset.is_valid():
            return queryset.none()
        return filterset.qs.order_by(*filterset.order_by())

    @classmethod
    def apply_union(cls, data, halves: Iterable[QuerySet], columns: tuple[str, ...]) -> QuerySet:
        """Filter each half with the same filters, then UNION ALL them and sort the union.

        The halves must carry the same annotation names (the filters refer to those) and are reduced to
        `columns`, in that order, because a UNION matches columns by position."""
        filtered, order, memo = [], None, {}
        for half in halves:
            filterset = cls(data or {}, queryset=half)
            filterset.memo = memo  # what a filter reads once for every half (`_periods`)
            if not filterset.is_valid():  # an invalid filter selects nothing, never everything (`errors_for`)
                return half.none().values(*columns)
            filtered.append(filterset.qs.order_by().values(*columns))
            order = order or filterset.order_by()  # the same for every half: built once (a FilterSet is not cheap)
        first, *rest = filtered
        return first.union(*rest, all=True).order_by(*order)


def _periods() -> set[str]:
    """Every period a visit is dated by when its day is not known ("May 2017"): a handful, read in one query so
    the `as_at` and `year` filters can match them by the rule of inspections/analysis/periods.py."""
    rows = (Inspection.all_objects.filter(start_date__isnull=True).exclude(period_text="").order_by().values_list("period_text")
            .union(Revisit.all_objects.filter(start_date__isnull=True).exclude(period_text="").order_by().values_list("period_text")))
    return {p for (p,) in rows}


def _area_filter(queryset, name, value):
    value = value.strip()
    return queryset.filter(area_named(value, code="area_gss_code", name="area_name")) if value else queryset


class AreaFilter(SortedFilterSet):
    """/areas/ and /exports/areas.csv. Former authorities are hidden unless include_former=true."""

    q = df.CharFilter(method="filter_text", label="Name or code")
    # The other lists' `area` (a GSS code or part of a name), so an area page's or a list's workbook can give its
    # Areas sheet the same area; the page's own search box is `q` (the field is hidden on the form).
    area = df.CharFilter(method="filter_area", label="Area (name or GSS code)", widget=forms.HiddenInput)
    region = df.ChoiceFilter(choices=LocalArea.Region.choices, label="Region", empty_label=ANY)
    authority_type = df.ChoiceFilter(choices=LocalArea.AuthorityType.choices, label="Authority type", empty_label=ANY)
    framework = df.ChoiceFilter(choices=Framework.choices, method="filter_framework", label="Inspected under", empty_label=ANY)
    stage = df.ChoiceFilter(choices=[(s.key, s.label) for s in STAGES], label="Current stage", empty_label=ANY)
    latest_outcome = df.ChoiceFilter(choices=Inspection.Outcome.choices, label="Latest outcome", empty_label=ANY)
    wsoa_open = df.TypedChoiceFilter(
        choices=BOOLEAN_CHOICES, coerce=lambda v: v == "true", label="WSOA open (no revisit)"
    )
    revisit_result = df.ChoiceFilter(field_name="revisit_overall", choices=Revisit.Overall.choices, label="Revisit result", empty_label=ANY)
    # Issue 19 item 6: each coverage class of the dashboard's panel lists exactly its areas.
    coverage = df.ChoiceFilter(choices=[(key, label) for key, label, _ in COVERAGE], label="How much is held", empty_label=ANY)
    include_former = df.BooleanFilter(method="_no_op", label="Include former authorities", widget=forms.CheckboxInput)
    # ?as_at=2021-03-31: every path column (stage, coverage, revisit, next visit) as the area stood that day, derived
    # from the same facts by the same function as the stored path (selectors.area_rows), and only the areas in force
    # that day (the register's start and end dates), as the dashboard's national figures count them.
    as_at = df.DateFilter(method="_no_op", label="As at (areas in force, visits started by)",
                          **AS_AT_FIELD)

    AS_AT_NOTE = ("each area's stage, coverage and next visit as they stood that day: only visits started by then "
                  "count (an undated one only when its letter or publication was by then); only the areas in force "
                  "that day are listed.")
    SORTS = {"name": "name", "region": "region", "stage": "stage", "date": "latest_date"}
    DEFAULT_SORT = "name"
    TIEBREAK = ("name", "id")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.alias(_alt=Cast("alt_names", TextField())).filter(
            Q(name__icontains=value) | Q(gss_code__iexact=value) | Q(_alt__icontains=value)
        )

    def filter_area(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(area_named(value, code="gss_code", name="name")) if value else queryset

    def filter_framework(self, queryset, name, value):
        # A placeholder counts: an area whose revisit letter restates its 2016 inspection was inspected under 2016.
        return queryset.filter(Exists(Inspection.objects.filter(area=OuterRef("pk"), framework=value)))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        as_at = data.get("as_at")
        if as_at:
            # An authority not yet made that day was not one of the areas (North Northamptonshire before April 2021).
            queryset = queryset.filter(Q(start_date__isnull=True) | Q(start_date__lte=as_at))
        # An area asked for by name or code is shown even when it is a former authority (Cumbria's page links here).
        if not data.get("include_former") and not (data.get("area") or "").strip():
            # Former as at the date asked: Dorset County Council, gone in April 2019, was in force in 2018.
            queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=as_at)) if as_at else \
                queryset.filter(end_date__isnull=True)
        return queryset


class InspectionFilter(SortedFilterSet):
    """/inspections/: initial and full inspections plus revisits and monitoring inspections as rows.

    `outcome` takes an inspection outcome or a revisit result (sufficient_all|sufficient_some|sufficient_none),
    so the dashboard's "revisit results" bars link to ?kind=revisit&outcome=sufficient_some."""

    area = df.CharFilter(method=_area_filter, label="Area (name or GSS code)")
    region = df.ChoiceFilter(choices=LocalArea.Region.choices, label="Region", empty_label=ANY)
    framework = df.ChoiceFilter(field_name="row_framework", choices=Framework.choices, label="Framework", empty_label=ANY)
    kind = df.ChoiceFilter(field_name="row_kind", choices=Inspection.Kind.choices + Revisit.Kind.choices, label="Kind", empty_label=ANY)
    # "none": no outcome recorded, so the dashboard's "Not recorded" bars link to exactly what they count.
    outcome = df.ChoiceFilter(field_name="row_outcome", method="filter_outcome",
                              choices=Inspection.Outcome.choices + Revisit.Overall.choices + [(NOT_RECORDED, "Not recorded")],
                              label="Outcome or revisit result", empty_label=ANY)
    year = df.NumberFilter(method="filter_year", label="Year started", **YEAR_BOUNDS)
    # ?as_at=2021-03-31: the visits carried out by that day (start date on or before it), as Ofsted's releases count
    # them "as at" a date. A visit known only to the month counts from the first day of that month, as the
    # dashboard's national figures count it (inspections/analysis/periods.py: one rule for both).
    as_at = df.DateFilter(method="filter_as_at", label="As at (started by)", **AS_AT_FIELD)
    source_kind = df.ChoiceFilter(field_name="row_source_kind", choices=SourceKind.choices, label="Source", empty_label=ANY)
    needs_review = df.TypedChoiceFilter(field_name="row_needs_review", choices=BOOLEAN_CHOICES,
                                        coerce=lambda v: v == "true", label="Needs review")
    # Issue 19 item 4: visits known only from a later document are rows too; held=true lists those on record in
    # their own right — their letter or report, or a dataset row (what the dashboard's outcome counts count) —,
    # held=false only the ones known from a later document.
    held = df.TypedChoiceFilter(method="filter_held", choices=BOOLEAN_CHOICES, coerce=lambda v: v == "true",
                                label="On record in its own right (not only named by a later document)")

    AS_AT_NOTE = ("the inspections and revisits started by then; a visit known only to the month counts from the "
                  "first day of that month, as the national figures count it.")
    SORTS = {"area": "area_name", "date": "row_start_date", "kind": "row_kind", "outcome": "row_outcome", "weaknesses": "weakness_count"}

    def filter_held(self, queryset, name, value):
        return queryset.filter(row_placeholder=not value)

    def filter_as_at(self, queryset, name, value):
        memo = getattr(self, "memo", {})
        if "periods" not in memo:
            memo["periods"] = _periods()
        periods = [p for p in memo["periods"] if (visit_day(None, p) or dt.date.max) <= value]
        return queryset.filter(Q(row_start_date__lte=value) | Q(row_start_date__isnull=True, row_period_text__in=periods))

    def filter_year(self, queryset, name, value):
        # A period names its year ("May 2017", "2017"); one naming two years is found under both. No query.
        return queryset.filter(Q(row_start_date__year=value) | Q(row_start_date__isnull=True,
                                                                 row_period_text__contains=str(int(value))))

    def filter_outcome(self, queryset, name, value):
        return queryset.filter(row_outcome="" if value == NOT_RECORDED else value)
    DEFAULT_SORT = "-date"
    TIEBREAK = ("area_name", "row_type", "row_id")


class WeaknessFilter(SortedFilterSet):
    """/weaknesses/: one row per weakness and judgement (see selectors.weakness_rows)."""

    area = df.CharFilter(method=_area_filter, label="Area (name or GSS code)")
    region = df.ChoiceFilter(choices=LocalArea.Region.choices, label="Region", empty_label=ANY)
    framework = df.ChoiceFilter(choices=Framework.choices, label="Framework", empty_label=ANY)
    kind = df.ChoiceFilter(field_name="weakness_kind", choices=SignificantWeakness.Kind.choices, label="Kind",
                          empty_label=ANY)
    judgement = df.ChoiceFilter(
        choices=(("sufficient", "Sufficient progress"), ("insufficient", "Insufficient progress"), ("empty", "Not judged")),
        label="Judgement", empty_label=ANY, method="filter_judgement",
    )
    # The outcome of the inspection that named the weakness: what the inspections list's `outcome` means for a
    # weakness, so its workbook's Weaknesses sheet can apply it (a revisit's result is not a weakness's).
    outcome = df.ChoiceFilter(field_name="inspection_outcome", method="filter_outcome",
                              choices=Inspection.Outcome.choices + [(NOT_RECORDED, "Not recorded")],
                              label="Outcome of the inspection", empty_label=ANY)
    year = df.NumberFilter(field_name="inspection_start_date", lookup_expr="year", label="Inspection year", **YEAR_BOUNDS)
    # ?as_at=2021-03-31: the weaknesses of inspections started by that day; a judgement only when its revisit had
    # started by then, else the weakness reads "not judged" (selectors.weakness_rows). An undated inspection or
    # revisit is not known to have happened by then: its weakness, or its judgement, is left out.
    as_at = df.DateFilter(field_name="inspection_start_date", lookup_expr="lte",
                          label="As at (inspection started by; judged by then)",
                          **AS_AT_FIELD)
    text = df.CharFilter(method="filter_text", label="Text contains")
    # docs/THEMES.md; a theme the rules find unreliably is still a filter, and the page says it is uncertain.
    theme = df.ChoiceFilter(choices=THEME_CHOICES, method="filter_theme", label="Theme", empty_label=ANY)

    AS_AT_NOTE = ("the weaknesses named by inspections started by then, each judged only by a revisit started by then "
                  "(a later judgement reads “Not judged”); a weakness of an inspection with no start date is left out.")

    def filter_outcome(self, queryset, name, value):
        return queryset.filter(inspection_outcome="" if value == NOT_RECORDED else value)

    def filter_judgement(self, queryset, name, value):
        # On the joined judgement's own column, not on the `judgement` CASE built from it (the same rows): a
        # condition on the judgement lets PostgreSQL start from the judgements instead of reading every weakness
        # (at ten times today's data, 49 ms -> see bench/README.md "Issue 24").
        if value in ("sufficient", "insufficient"):
            return queryset.filter(judged_sufficient=value == "sufficient")
        return queryset.filter(judgement=value)

    def filter_text(self, queryset, name, value):
        # The search page's matcher (variants, and stemming on PostgreSQL), so the two never disagree on a word.
        from inspections.search.selectors import WEAKNESS_VECTOR_SQL, filter_by_text

        return filter_by_text(queryset, query=value, field_name="text", vector_sql=WEAKNESS_VECTOR_SQL)

    SORTS = {"area": "area_name", "date": "inspection_start_date", "number": "number", "judgement": "judgement",
             "judged_on": "judged_on"}
    DEFAULT_SORT = "area"
    TIEBREAK = ("inspection_start_date", "weakness_kind", "number", "id", "judged_on", "judgement_id")

    def filter_theme(self, queryset, name, value):
        return with_theme(queryset, value)
