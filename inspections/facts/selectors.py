"""Read side of the analyst pages: areas with their latest stage, the inspections, weaknesses and
timeline selectors. Views and exports call these; nothing here writes.

Conventions (for h7 and anyone adding a page):
- A list selector takes the request's GET data as `filters`, applies the list's one FilterSet
  (inspections/facts/filters.py) and returns a queryset of plain dicts (`.values()`), already ordered.
  The page paginates it; the CSV export streams it with `.iterator()`. Both go through the same
  selector, so the file always holds exactly what the page lists.
- Every query count is bounded: per-row facts are SQL annotations (subqueries), never per-row lookups.
- `with_stage(qs)` annotates any LocalArea queryset with its current stage (the same rules as the
  dashboard's `area_statuses`): `stage`, `latest_outcome`, `latest_2016_*`, `latest_2023_*`,
  `revisit_*`, `judged_total`, `judged_sufficient`, `latest_date`. `stage_label(row)` words it.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import (
    BooleanField,
    Case,
    CharField,
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
from django.db.models.functions import Coalesce, NullIf, Substr
from django.http import Http404, QueryDict

from areas.models import LocalArea
from inspections.models import (
    Framework,
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    WrittenStatementOfAction,
)
from inspections.vocabulary import OUTCOMES_2023, STAGE_LABELS, STAGES, Stage  # noqa: F401  re-exported

from .filters import AreaFilter, InspectionFilter, WeaknessFilter

DAYS_PER_MONTH = 365.2425 / 12


class _Count(Subquery):
    """COUNT(*) of a correlated queryset, 0 when empty (no GROUP BY on the outer query)."""

    output_field = IntegerField()

    def __init__(self, queryset):
        counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
        super().__init__(counted)


def _latest(qs: QuerySet) -> QuerySet:
    return qs.order_by(F("start_date").desc(nulls_last=True), "-id")


def with_stage(qs: QuerySet[LocalArea]) -> QuerySet[LocalArea]:
    """Annotate areas with where they stand on the inspection path (see module docstring).

    Every column is ONE correlated subquery on the area's latest inspection of a framework; anything about
    that inspection's revisit is computed inside it, correlated to the inspection row. (The ORM inlines an
    annotation wherever another refers to it, so chaining revisit -> latest inspection -> area made every
    row re-run the same lookups dozens of times: /areas/?stage=wsoa_open took 0.9 s at 10x; now ~20 ms.)
    """
    # Placeholders (an inspection known only from a later letter, e.g. the initial inspection a revisit letter
    # restates) count: the revisit hangs off them. Undated, they lose to any dated inspection (nulls last).
    latest_2023 = _latest(Inspection.objects.filter(area=OuterRef("pk"), framework=Framework.F2023))
    latest_2016 = _latest(Inspection.objects.filter(area=OuterRef("pk"), framework=Framework.F2016))
    # Inside the 2016 subquery OuterRef("pk") is the inspection: its latest revisit, and that revisit's judgements.
    revisit = _latest(Revisit.objects.filter(inspection_id=OuterRef("pk")))
    revisit_judgements = ProgressJudgement.objects.filter(
        revisit_id=Subquery(_latest(Revisit.objects.filter(inspection_id=OuterRef(OuterRef("pk")))).values("id")[:1])
    )
    no_revisit = Value("-")

    def on_2023(expression):
        return Subquery(latest_2023.annotate(_v=expression).values("_v")[:1])

    def on_2016(expression):
        return Subquery(latest_2016.annotate(_v=expression).values("_v")[:1])

    stage_2016 = latest_2016.annotate(
        _overall=Coalesce(Subquery(revisit.values("overall")[:1]), no_revisit),
    ).annotate(
        _v=Case(
            When(_overall=Revisit.Overall.SUFFICIENT_ALL, then=Value("revisit_sufficient")),
            When(~Q(_overall=no_revisit), then=Value("revisit_insufficient")),
            When(outcome=Inspection.Outcome.WSOA_REQUIRED, then=Value("wsoa_open")),
            When(outcome=Inspection.Outcome.NO_WSOA, then=Value("no_wsoa")),
            default=Value("not_inspected"),
            output_field=CharField(),
        )
    ).values("_v")[:1]
    outcome_2023 = Case(When(outcome__in=OUTCOMES_2023, then=F("outcome")), default=Value(None), output_field=CharField())
    return qs.annotate(
        latest_2023_outcome=on_2023(F("outcome")),
        latest_2023_start=on_2023(F("start_date")),
        latest_2016_outcome=on_2016(F("outcome")),
        latest_2016_start=on_2016(F("start_date")),
        revisit_overall=on_2016(Subquery(revisit.values("overall")[:1])),
        revisit_start=on_2016(Subquery(revisit.values("start_date")[:1])),
        judged_total=Coalesce(on_2016(_Count(revisit_judgements)), 0),
        judged_sufficient=Coalesce(on_2016(_Count(revisit_judgements.filter(sufficient_progress=True))), 0),
        stage=Coalesce(on_2023(outcome_2023), Subquery(stage_2016), Value("not_inspected"), output_field=CharField()),
        latest_outcome=Coalesce(on_2023(NullIf(F("outcome"), Value(""))), on_2016(NullIf(F("outcome"), Value("")))),
        latest_date=Coalesce(on_2023(F("start_date")), on_2016(F("start_date"))),
        wsoa_open=Coalesce(
            on_2016(Case(
                When(Q(outcome=Inspection.Outcome.WSOA_REQUIRED) & ~Exists(Revisit.objects.filter(inspection_id=OuterRef("pk"))),
                     then=Value(True)),
                default=Value(False), output_field=BooleanField(),
            )),
            Value(False), output_field=BooleanField(),
        ),
    )


def stage_label(row) -> str:
    """'2016 inspection, WSOA required', 'Revisit: sufficient progress in 3 of 4', '2023: inconsistent', ...

    `row` is an annotated LocalArea or a dict from `area_rows`.
    """
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name, None)
    stage = get("stage")
    if stage in OUTCOMES_2023:
        return STAGE_LABELS[stage]
    if stage in ("revisit_sufficient", "revisit_insufficient"):
        total = get("judged_total") or 0
        if total:
            return f"Revisit: sufficient progress in {get('judged_sufficient') or 0} of {total}"
        overall = get("revisit_overall")
        return f"Revisit: {dict(Revisit.Overall.choices)[overall].lower()}" if overall else "Revisit: result not recorded"
    start = get("latest_2016_start")
    year = f"{start.year} inspection" if start else "2016-framework inspection"
    if stage == "wsoa_open":
        return f"{year}, WSOA required"
    if stage == "no_wsoa":
        return f"{year}, no WSOA"
    return STAGE_LABELS["not_inspected"]


# --- list selectors ---------------------------------------------------------------------------

AREA_COLUMNS = (
    "id", "name", "gss_code", "region", "authority_type", "end_date",
    "stage", "latest_outcome", "latest_date", "latest_2016_start", "latest_2016_outcome", "latest_2023_start",
    "revisit_overall", "revisit_start", "judged_total", "judged_sufficient", "wsoa_open",
)


_built = threading.local()


def area_rows() -> QuerySet:
    """Every area as a dict with AREA_COLUMNS (`with_stage(...).values(...)`), to filter and order.

    Building `with_stage`'s thirteen subqueries is pure Python (the ORM resolves every expression) and cost
    more than running the query for a page of areas or a timeline's neighbours (about 6 ms of a 25 ms
    timeline). It has no per-request input, so it is built once per thread and each caller gets a clone:
    filtering or ordering a clone never changes the one kept (per thread, so no two requests share it).
    """
    rows = getattr(_built, "area_rows", None)
    if rows is None:
        rows = _built.area_rows = with_stage(LocalArea.objects.all()).values(*AREA_COLUMNS)
    return rows.all()


def area_list(*, filters: QueryDict | dict | None = None) -> QuerySet:
    """Areas (as dicts with AREA_COLUMNS) with their stage, filtered and ordered by AreaFilter."""
    return AreaFilter.apply(filters, area_rows())


def _source_columns(prefix: str = "") -> dict:
    return {
        "row_source_kind": F(f"{prefix}source_kind"),
        "source_file": F(f"{prefix}source_document__original_name"),
        "row_source_document_id": F(f"{prefix}source_document_id"),
        "row_needs_review": F(f"{prefix}needs_review"),
    }


# Column order matters: the two halves are UNIONed by position.
INSPECTION_ROW_COLUMNS = (
    "row_type", "row_id", "area_name", "area_gss_code", "region", "row_framework", "row_kind", "row_start_date", "row_end_date",
    "row_letter_date", "row_outcome", "wsoa_required", "weakness_count", "row_source_kind", "source_file", "row_source_document_id",
    "row_needs_review",
)


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
    ).filter(is_placeholder=False)
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
        weakness_count=_Count(SignificantWeakness.objects.filter(inspection_id=OuterRef("pk"))),
        **_source_columns(),
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
    ).filter(inspection__rejected=False)
    if not detail:
        return qs
    return qs.annotate(
        row_end_date=F("end_date"),
        row_letter_date=F("letter_date"),
        wsoa_required=Value(""),
        # For a revisit: how many weaknesses it judged.
        weakness_count=_Count(ProgressJudgement.objects.filter(revisit_id=OuterRef("pk"))),
        **_source_columns(),
    )


# What the first step of a list page reads: the columns filters and sorts need, nothing costly.
INSPECTION_KEY_COLUMNS = ("row_type", "row_id", "area_name", "row_start_date", "row_kind", "row_outcome")


class PagedRows:
    """A list's rows for both readers: a page reads them in two steps, an export streams them in one.

    `count()` and slicing (what Paginator uses) run on `keys`, a narrow query with the filters and the
    order but without the costly columns (per-row counts, the source document join); the page's keys
    are then completed by `fetch(keys) -> rows` in one more query. `iterator()` and iteration stream
    `full` (every column, same filters and order) for exports. At ten times today's data this takes
    the inspections page from ~30 ms of SQL to ~10 ms."""

    def __init__(self, keys: QuerySet | None, full, fetch):
        # `full` is a callable, so a page never pays for building the export's query (FilterSets are not cheap).
        self._keys, self._full, self._fetch = keys, full, fetch

    @cached_property
    def full(self) -> QuerySet:
        return self._full()

    @property
    def keys(self) -> QuerySet:
        return self.full if self._keys is None else self._keys

    def count(self) -> int:
        return self.keys.count()

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

    return PagedRows(keys, full, fetch)


WEAKNESS_ROW_COLUMNS = (
    "id", "area_name", "area_gss_code", "region", "framework", "inspection_start_date", "weakness_kind", "number",
    "text", "judgement", "judged_on", "judgement_id", "revisit_kind", "source_document_id", "needs_review", "source_kind",
)


def weakness_rows(*, filters: QueryDict | dict | None = None) -> QuerySet:
    """One dict per (weakness, judgement); a weakness never judged gives one row with judgement ''.

    The LEFT JOIN to judgements is made once by annotation, so filters on the judgement refer to the
    same joined row rather than adding a second join."""
    # Judgements an analyst rejected are not joined at all (a weakness whose only judgement was rejected
    # reads "not judged"); facts of a rejected inspection are hidden with it.
    qs = SignificantWeakness.objects.filter(inspection__rejected=False).alias(
        visible_judgements=FilteredRelation("judgements", condition=Q(judgements__rejected=False)),
    ).annotate(
        area_name=F("inspection__area__name"),
        area_gss_code=F("inspection__area__gss_code"),
        region=F("inspection__area__region"),
        framework=F("inspection__framework"),
        inspection_start_date=F("inspection__start_date"),
        weakness_kind=F("kind"),
        judgement_id=F("visible_judgements__id"),
        judged_sufficient=F("visible_judgements__sufficient_progress"),
        judged_on=F("visible_judgements__revisit__start_date"),
        revisit_kind=F("visible_judgements__revisit__kind"),
    ).annotate(
        judgement=Case(
            When(judged_sufficient=True, then=Value("sufficient")),
            When(judged_sufficient=False, then=Value("insufficient")),
            default=Value("empty"),
            output_field=CharField(),
        ),
    )
    return WeaknessFilter.apply(filters, qs.values(*WEAKNESS_ROW_COLUMNS))


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
class AreaTimeline:
    area: LocalArea
    steps: list[Step]
    predecessors: list[LocalArea]
    successors: list[LocalArea]
    neighbours: list[dict] = field(default_factory=list)  # area_list-shaped rows, with `label`
    stage: str = "not_inspected"  # the area's own stage key (STAGES)
    stage_label: str = ""


def months_between(start: dt.date | None, end: dt.date | None) -> float | None:
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
    from areas.selectors import area_predecessors, area_successors

    try:
        area = LocalArea.objects.get(gss_code=gss_code)
    except LocalArea.DoesNotExist as exc:
        raise Http404(f"No local area with GSS code {gss_code}") from exc
    # The whole history, not just one step (Dorset County Council -> Dorset -> ...): a letter about any
    # former authority shows on every successor's page, marked as history.
    predecessors = area_predecessors(area)
    successors = area_successors(area)
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
        revisits = list(inspection.revisits.all())
        # An inspection known only from a later letter (a placeholder) may have no date: it still comes
        # before its WSOA and revisits, so it is placed by the first date known about it.
        anchor = inspection.start_date or inspection.letter_date or inspection.published_date or min(
            (r.start_date for r in revisits if r.start_date), default=None
        )
        steps.append(Step(inspection.kind, inspection.start_date, inspection, owner, inherited, sort_date=anchor))
        if wsoa is not None or inspection.outcome == Inspection.Outcome.WSOA_REQUIRED:
            # A required WSOA is a stage even before any document about the statement itself is stored.
            date = (wsoa.required_on if wsoa else None) or inspection.letter_date or inspection.end_date
            steps.append(Step("wsoa", date, wsoa, owner, inherited, sort_date=date or anchor))
        for revisit in revisits:
            steps.append(Step(revisit.kind, revisit.start_date, revisit, owner, inherited))
    steps.sort(key=lambda s: (s.sort_date or s.date or dt.date.max, _STEP_ORDER[s.kind]))
    previous = None
    for step in steps:
        if previous is not None and previous.date and step.date:
            months = months_between(previous.date, step.date)
            step.gap = Gap(f"{months} months after the {_STEP_NAMES[previous.kind]}", months)
        previous = step

    # The area's own stage and its statistical neighbours' in one query.
    codes = [area.gss_code, *area.stat_neighbours]
    rows = {r["gss_code"]: r for r in area_rows().filter(gss_code__in=codes)}
    own = rows[area.gss_code]
    neighbours = [
        {**rows[code], "label": stage_label(rows[code])}
        for code in area.stat_neighbours  # closest first, as stored
        if code in rows and code != area.gss_code
    ]
    return AreaTimeline(area, steps, predecessors, successors, neighbours, stage=own["stage"], stage_label=stage_label(own))


_STEP_ORDER = {"initial_inspection": 0, "wsoa": 1, "revisit": 2, "full_inspection": 3, "monitoring_inspection": 4}
_STEP_NAMES = {
    "initial_inspection": "inspection",
    "wsoa": "WSOA",
    "revisit": "revisit",
    "full_inspection": "inspection",
    "monitoring_inspection": "monitoring inspection",
}

__all__ = [
    "AREA_COLUMNS", "INSPECTION_ROW_COLUMNS", "WEAKNESS_ROW_COLUMNS", "STAGES", "AreaTimeline", "Step",
    "area_list", "area_rows", "area_timeline", "inspection_rows", "months_between", "stage_label", "weakness_rows", "with_stage",
]
