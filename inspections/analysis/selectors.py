"""Read side of the dashboard: the national picture (or a region's) in a fixed handful of queries.

Every figure is computed from three narrow `.values()` queries (areas, inspections, revisits) plus
one grouped count, whatever the number of areas, so the page's query count is bounded; the Python
work is linear in rows and small (5,000 inspections at ten times today's size).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import BooleanField, Case, Count, DateField, Exists, F, IntegerField, Max, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, ExtractYear

from areas.models import LocalArea
from inspections.analysis.due import Event
from inspections.models import Document, FetchRun, Framework, Inspection, Revisit, SourceKind
from inspections.vocabulary import STAGES

GEOMETRY_PATH = Path(settings.BASE_DIR) / "static" / "geo" / "england_send_areas.json"
DAYS_PER_MONTH = 365.2425 / 12


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    colour: str  # Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.


# An area's status is its stage, computed in ONE place: facts.selectors.with_stage (the SQL the areas list's
# /areas/?stage=<key> filters on, the timeline's header and the areas export use): its latest outcome on the
# newest framework it was inspected under, or how far along the 2016 path it has got, or which kind of
# "nothing" (vocabulary.STAGES: outcome not recorded / known from a later report / none known). The dashboard
# adds colours. The three greys get lighter as less is known.
STATUS_COLOURS = {
    "positive": "#0072B2",
    "inconsistent": "#F0E442",
    "systemic_failings": "#D55E00",
    "no_wsoa": "#56B4E9",
    "wsoa_open": "#E69F00",
    # Lighter tints of their neighbours: the path is known to have moved on / the revisit's result is not known.
    "wsoa_revisit_not_held": "#F3CC80",
    "revisit_sufficient": "#009E73",
    "revisit_insufficient": "#CC79A7",
    "revisit_unknown": "#E8C3DA",
    "outcome_not_recorded": "#767676",
    "known_not_held": "#ABABAB",
    "not_inspected": "#DDDDDD",
}
# One colour per outcome and revisit result, wherever a chart shows it (issue 19 item 9: the trends page and its SVG
# once coloured "inconsistent" orange, the dashboard yellow). The dashboard's CSS (static/css/dashboard.css,
# .outcome-* / .revisit-*) holds the same values; tests/analysis check the two agree.
OUTCOME_COLOURS = {
    "wsoa_required": "#E69F00", "no_wsoa": "#56B4E9",
    "positive": "#0072B2", "inconsistent": "#F0E442", "systemic_failings": "#D55E00",
    "sufficient_all": "#009E73", "sufficient_some": "#CC79A7", "sufficient_none": "#882255",
    "": "#999999",
}
STATUSES: tuple[Status, ...] = tuple(Status(s.key, s.label, STATUS_COLOURS[s.key]) for s in STAGES)
STATUS_BY_KEY = {s.key: s for s in STATUSES}

# Coverage (issue 19 item 6): how much of each current area's path sendtracker holds — defined ONCE with the path
# derivation (inspections/paths/derive.py: COVERAGE) and stored with each area's path; the panel counts the stored
# classes and each count links to /areas/?coverage=<key>, which lists exactly those areas.
from inspections.paths.derive import COVERAGE, COVERAGE_NONE  # noqa: E402

@dataclass
class Bar:
    label: str
    count: int
    url: str
    key: str = ""
    share: float = 0.0
    colour: str = ""  # 0–100, of the largest bar in its chart
    unconfirmed: int = 0  # of `count`, how many rest on a fact still under review (issue 13 item 6)


@dataclass
class YearRow:
    year: int
    framework: str
    bars: list[Bar] = field(default_factory=list)
    total: int = 0


@dataclass
class MapArea:
    gss: str
    name: str
    d: str
    status: Status
    cx: int
    cy: int
    in_region: bool = True  # False: outside the chosen region (drawn faded)


@dataclass
class Coverage:
    """Current areas (of the region, when one is chosen) by coverage class (derive.COVERAGE): `counts` {key: n};
    the classes add up to `total` always; `none_known_inspected` is kept for the panel's wording (0 since issue 19:
    an inspection known from a later document is a step of its own, so such an area is not in "none")."""

    counts: dict[str, int] = field(default_factory=dict)
    region: str = ""
    none_known_inspected: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)

    def rows(self) -> list[tuple[str, str, int, str, str]]:
        """(key, label, count, definition, url of the areas it counts) in the panel's order."""
        links = _Links(self.region)
        return [(key, label, self.count(key), words, links._url("/areas/", coverage=key)) for key, label, words in COVERAGE]


@dataclass
class Dashboard:
    map_width: int
    map_height: int
    map_attribution: str
    map_areas: list[MapArea]
    inset: dict  # {"label", "x", "y", "w", "h", "src": [x, y], "areas": [MapArea]}: London enlarged
    unmapped: list[tuple[str, str, Status]]  # areas in the register with no shape (e.g. former authorities)
    status_bars: list[Bar]
    outcome_bars: dict[str, list[Bar]]  # framework label -> bars
    year_rows: list[YearRow]
    revisit_bars: dict[str, list[Bar]]  # revisit kind label -> bars
    median_months: dict[str, float | None]  # revisit kind label -> median months from inspection start
    revisit_samples: dict[str, int]
    area_count: int
    inspection_count: int
    # Issue 13 item 9: the inspections list also lists revisits and monitoring inspections; say both numbers.
    revisit_count: int = 0
    # Issue 13 item 1: what a computed figure had to leave out because a date is not known.
    undated_inspections: int = 0  # not in the by-year chart
    undated_revisits: dict[str, int] = field(default_factory=dict)  # revisit kind label -> left out of the median
    median_unconfirmed: dict[str, int] = field(default_factory=dict)  # of revisit_samples, resting on facts under review
    median_secondary: dict[str, int] = field(default_factory=dict)  # of revisit_samples, from a secondary source
    secondary_count: int = 0  # inspections and revisits held only from a secondary source
    placeholder_count: int = 0  # visits known only from a later document (inspections list rows, not counted above)
    # Issue 15 item 5: '' = England; else one of LocalArea.Region.values, applied to every figure above.
    region: str = ""
    # Issue 11 item 4: how much is held, and how current it is.
    coverage: Coverage = field(default_factory=Coverage)
    latest_published: dt.date | None = None  # the latest publication date of a held inspection (None: not known)
    no_publication_date: int = 0  # of `inspection_count`, how many have no publication date (not in the one above)
    latest_inspection: dt.date | None = None  # the latest first day on site of a held inspection

    @property
    def published_known(self) -> int:
        """Held inspections whose publication date is known (issue 19 item 9: say what "latest" rests on)."""
        return self.inspection_count - self.no_publication_date


    @property
    def median_table(self) -> list[tuple]:
        """(kind label, median months or None, dated pairs, of them unconfirmed, of them secondary, left out)."""
        return [(kind, months, self.revisit_samples.get(kind, 0), self.median_unconfirmed.get(kind, 0),
                 self.median_secondary.get(kind, 0), self.undated_revisits.get(kind, 0))
                for kind, months in self.median_months.items()]


@lru_cache(maxsize=1)
def map_geometry() -> dict:
    """The simplified England map built by areas/data/build_geometry.py (read once per process)."""
    return json.loads(GEOMETRY_PATH.read_text(encoding="utf-8"))


class _Links:
    """The one place that knows the list pages' filter names (inspections/facts/filters.py), so every chart
    element links to the list (and hence the CSV) behind its number. With a region, every link carries it."""

    def __init__(self, region: str = ""):
        self.region = region

    def _url(self, path: str, **params) -> str:
        params["region"] = self.region  # last, and dropped when empty: England's links are unchanged
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return f"{path}?{query}" if query else path

    def areas_with_status(self, status: str) -> str:
        return self._url("/areas/", stage=status)

    def inspections(self, **params) -> str:
        return self._url("/inspections/", **params)

    def outcome(self, framework: str, outcome: str, **params) -> str:
        """Inspections of `framework` with `outcome`; '' (not recorded) names the kind too, because revisits
        with no recorded result would otherwise be listed with them."""
        # held=true: the inspections whose own letter or report is held, as the charts count them (visits known
        # only from a later document are listed, and counted apart: Dashboard.placeholder_count).
        if outcome:
            return self.inspections(framework=framework, outcome=outcome, held="true", **params)
        kind = Inspection.Kind.INITIAL if framework == Framework.F2016 else Inspection.Kind.FULL
        return self.inspections(framework=framework, kind=kind.value, outcome="none", held="true", **params)


def _links(region: str = "") -> _Links:
    return _Links(region)


def area_statuses() -> tuple[dict[int, str], list[dict]]:
    """(current area id -> stage key, current area rows in name order). One query.

    Everything comes from the areas' stored paths (inspections/paths: derived once, stored per area): the stage,
    `coverage` (a derive.COVERAGE key), `unconfirmed` (a fact behind the stage awaits review) and `secondary` (the
    stage rests on a secondary source). Each row: id, gss_code, name, region, stat_neighbours, coverage,
    unconfirmed, secondary, known_inspected."""
    from inspections.facts.selectors import with_stage

    current = LocalArea.objects.filter(end_date__isnull=True)
    rows = list(with_stage(current).values("id", "gss_code", "name", "region", "stat_neighbours", "stage", "coverage",
                                           "stage_unconfirmed", "stage_secondary", "path_2016", "outcome_2023")
                .order_by("name", "id"))
    statuses: dict[int, str] = {}
    for row in rows:
        statuses[row["id"]] = row.pop("stage") or "not_inspected"
        row["coverage"] = row["coverage"] or COVERAGE_NONE
        row["unconfirmed"] = bool(row.pop("stage_unconfirmed"))
        row["secondary"] = bool(row.pop("stage_secondary"))
        row["known_inspected"] = statuses[row["id"]] != "not_inspected"
        row["path_2016"] = row["path_2016"] or "not_inspected"
        row["outcome_2023"] = row["outcome_2023"] or "not_inspected"
    return statuses, rows


def last_successful_fetch() -> FetchRun | None:
    """The latest fetch run that succeeded (by when it finished), or None when none has. One query: it is read on
    every dashboard request, since a run that found nothing new changes no fact (and so no snapshot)."""
    return FetchRun.objects.filter(status=FetchRun.Status.SUCCEEDED).order_by(F("finished_at").desc(nulls_last=True)).first()


def dashboard_summary(region: str = "", *, statuses: dict[int, str] | None = None,
                      areas: list[dict] | None = None) -> Dashboard:
    """Every dashboard figure for England, or for `region` (one of LocalArea.Region.values; ValueError for any
    other: views answer 400 before calling). `statuses`/`areas` are `area_statuses()`'s (the analysis snapshot's,
    inspections/analysis/snapshot.py); read here when not given. Two queries besides: outcomes by framework and
    year (with the latest publication date), and the revisits.

    Regions scope as the lists' ?region= does (the area's region, former areas included for inspections), so
    every number equals the row count of the list it links to."""
    if region and region not in LocalArea.Region.values:
        raise ValueError(f"Unknown region {region!r}")
    links = _links(region)
    if statuses is None or areas is None:
        statuses, areas = area_statuses()
    by_gss = {a["gss_code"]: a for a in areas}
    scoped = [a for a in areas if not region or a["region"] == region]

    geometry = map_geometry()
    def shapes(rows: list[dict]) -> list[MapArea]:
        out = []
        for shape in rows:
            area = by_gss.get(shape["gss"])
            key = statuses[area["id"]] if area else "not_inspected"
            inside = not region or bool(area and area["region"] == region)
            out.append(MapArea(shape["gss"], area["name"] if area else shape["name"], shape["d"], STATUS_BY_KEY[key],
                               shape.get("cx", 0), shape.get("cy", 0), inside))
        return out

    map_areas = shapes(geometry["areas"])
    inset = {**geometry["inset"], "areas": shapes(geometry["inset"]["areas"])} if geometry.get("inset") else None
    mapped = {s["gss"] for s in geometry["areas"]}
    unmapped = [(a["gss_code"], a["name"], STATUS_BY_KEY[statuses[a["id"]]]) for a in scoped if a["gss_code"] not in mapped]

    status_counts = Counter(statuses[a["id"]] for a in scoped)
    status_unconfirmed = Counter(statuses[a["id"]] for a in scoped if a.get("unconfirmed"))
    status_bars = _scaled(
        [Bar(s.label, status_counts.get(s.key, 0), links.areas_with_status(s.key), s.key, colour=s.colour,
             unconfirmed=status_unconfirmed.get(s.key, 0)) for s in STATUSES]
    )
    coverage = Coverage(dict(Counter(a["coverage"] for a in scoped)), region)

    # Outcomes by framework and by year, and the latest publication date held: one grouped query.
    in_region = Q(area__region=region) if region else Q()
    # The publication date as the inspections list shows it: the letter's own, else its publisher's listing's
    # (facts.selectors._document_published: only for a letter or report of the inspectorates).
    published = Coalesce(F("published_date"), Case(When(source_kind=SourceKind.LETTER, then=F("source_document__published_date")),
                                                   default=Value(None), output_field=DateField()), output_field=DateField())
    # Visits known only from a later document (placeholders) are counted apart, in the same grouped query.
    held = Q(is_placeholder=False)
    grouped = list(
        Inspection.objects.filter(in_region)
        .alias(published_on=published)
        .annotate(year=ExtractYear("start_date"))
        .values("framework", "year", "outcome")
        .annotate(n=Count("id", filter=held), unsure=Count("id", filter=held & Q(needs_review=True)),
                  published=Max("published_on", filter=held),
                  unpublished=Count("id", filter=held & Q(published_on__isnull=True)),
                  latest_start=Max("start_date", filter=held),
                  placeholders=Count("id", filter=Q(is_placeholder=True)),
                  secondary=Count("id", filter=held & Q(source_kind=SourceKind.SECONDARY)))
        .order_by("framework", "year", "outcome")
    )
    placeholders = sum(row["placeholders"] for row in grouped)
    secondary_inspections = sum(row["secondary"] for row in grouped)
    grouped = [row for row in grouped if row["n"]]
    latest_published = max((row["published"] for row in grouped if row["published"]), default=None)
    latest_inspection = max((row["latest_start"] for row in grouped if row["latest_start"]), default=None)
    no_publication_date = sum(row["unpublished"] for row in grouped)
    outcome_labels = dict(Inspection.Outcome.choices)
    framework_labels = dict(Framework.choices)
    by_framework: dict[str, Counter] = defaultdict(Counter)
    by_year: dict[tuple[int, str], Counter] = defaultdict(Counter)
    unsure_by_framework: dict[str, Counter] = defaultdict(Counter)  # of those, still under review
    undated_inspections = 0
    for row in grouped:
        by_framework[row["framework"]][row["outcome"]] += row["n"]
        unsure_by_framework[row["framework"]][row["outcome"]] += row["unsure"]
        if row["year"]:
            by_year[(row["year"], row["framework"])][row["outcome"]] += row["n"]
        else:
            undated_inspections += row["n"]  # no start date: left out of the by-year chart, and the page says so
    outcome_bars = {}
    for fw in (Framework.F2016, Framework.F2023):
        counts = by_framework.get(fw, Counter())
        outcome_bars[framework_labels[fw]] = _scaled(
            [
                Bar(outcome_labels.get(o, "Not recorded"), n, links.outcome(fw, o), o or "none",
                    unconfirmed=unsure_by_framework[fw][o])
                for o, n in sorted(counts.items(), key=lambda item: _outcome_order(item[0]))
            ]
        )
    year_rows = []
    largest_year = max((sum(c.values()) for c in by_year.values()), default=0)
    for (year, fw), counts in sorted(by_year.items()):
        bars = [
            Bar(outcome_labels.get(o, "Not recorded"), n, links.outcome(fw, o, year=year), o or "none",
                100.0 * n / largest_year if largest_year else 0)
            for o, n in sorted(counts.items(), key=lambda item: _outcome_order(item[0]))
        ]
        year_rows.append(YearRow(year, framework_labels[fw], bars, sum(counts.values())))

    # Revisit results and time from inspection to revisit: one query.
    revisit_rows = Revisit.objects.filter(Q(inspection__area__region=region) if region else Q(),
                                          inspection__rejected=False).values(
        "kind", "overall", "start_date", "inspection__start_date", "source_kind", "needs_review",
        "inspection__needs_review")
    overall_counts: dict[str, Counter] = defaultdict(Counter)
    months: dict[str, list[float]] = defaultdict(list)
    undated: Counter = Counter()
    # Issue 19 item 9: what each median rests on — dated pairs still under review, and from a secondary source.
    median_unconfirmed: Counter = Counter()
    median_secondary: Counter = Counter()
    secondary_revisits = 0
    for row in revisit_rows:
        overall_counts[row["kind"]][row["overall"]] += 1
        secondary_revisits += row["source_kind"] == SourceKind.SECONDARY
        if row["start_date"] and row["inspection__start_date"]:
            months[row["kind"]].append((row["start_date"] - row["inspection__start_date"]).days / DAYS_PER_MONTH)
            median_unconfirmed[row["kind"]] += bool(row["needs_review"] or row["inspection__needs_review"])
            median_secondary[row["kind"]] += row["source_kind"] == SourceKind.SECONDARY
        else:
            undated[row["kind"]] += 1  # a date on either side unknown: left out of the median, never estimated
    kind_labels = dict(Revisit.Kind.choices)
    overall_labels = dict(Revisit.Overall.choices)
    revisit_bars, median_months, samples = {}, {}, {}
    for kind in Revisit.Kind.values:
        label = kind_labels[kind]
        counts = overall_counts.get(kind, Counter())
        revisit_bars[label] = _scaled(
            [
                Bar(overall_labels[o], counts.get(o, 0), links.inspections(kind=kind, outcome=o), o)
                for o in Revisit.Overall.values
            ]
            + ([Bar("Not recorded", counts[""], links.inspections(kind=kind, outcome="none"), "none")] if counts.get("") else [])
        )
        values = months.get(kind, [])
        median_months[label] = round(statistics.median(values), 1) if values else None
        samples[label] = len(values)

    return Dashboard(
        map_width=geometry["width"],
        map_height=geometry["height"],
        map_attribution=geometry["attribution"],
        map_areas=map_areas,
        inset=inset,
        unmapped=unmapped,
        status_bars=status_bars,
        outcome_bars=outcome_bars,
        year_rows=year_rows,
        revisit_bars=revisit_bars,
        median_months=median_months,
        revisit_samples=samples,
        area_count=len(scoped),
        inspection_count=sum(sum(c.values()) for c in by_framework.values()),
        revisit_count=sum(sum(c.values()) for c in overall_counts.values()),
        undated_inspections=undated_inspections,
        undated_revisits={kind_labels[k]: n for k, n in undated.items() if k in kind_labels},
        median_unconfirmed={kind_labels[k]: median_unconfirmed[k] for k in Revisit.Kind.values},
        median_secondary={kind_labels[k]: median_secondary[k] for k in Revisit.Kind.values},
        secondary_count=secondary_inspections + secondary_revisits,
        placeholder_count=placeholders,
        region=region,
        coverage=coverage,
        latest_published=latest_published,
        latest_inspection=latest_inspection,
        no_publication_date=no_publication_date,
    )


_OUTCOME_ORDER = {o: i for i, o in enumerate(Inspection.Outcome.values)}


def _outcome_order(outcome: str) -> int:
    return _OUTCOME_ORDER.get(outcome, len(_OUTCOME_ORDER))


def _scaled(bars: list[Bar]) -> list[Bar]:
    largest = max((b.count for b in bars), default=0)
    for bar in bars:
        bar.share = 100.0 * bar.count / largest if largest else 0.0
    return bars


# --- facts as plain rows for the analysis computations (due.py, durations.py, paths.py, trends.py) -----------

def fact_events(*, area_ids: list[int] | None = None) -> dict[int, list[Event]]:
    """Every non-rejected inspection and revisit as a due.Event, grouped by area id. One UNION query.

    Placeholders (an inspection known only from a later letter) are included: they carry no dates, so they can
    only be "unknown", never a wrong value. Rejected facts are left out by the default managers; a revisit whose
    inspection was rejected is left out with it.
    """
    names = ("e_area", "e_kind", "e_id", "e_parent", "e_start", "e_end", "e_published", "e_letter", "e_outcome",
             "e_sentence", "e_review", "e_placeholder")
    inspections = Inspection.objects.annotate(
        e_area=F("area_id"), e_kind=F("kind"), e_id=F("id"), e_parent=Value(None, output_field=IntegerField()),
        e_start=F("start_date"), e_end=F("end_date"), e_published=F("published_date"), e_letter=F("letter_date"),
        e_outcome=F("outcome"), e_sentence=F("next_inspection_text"), e_review=F("needs_review"),
        e_placeholder=F("is_placeholder"),
    ).order_by().values(*names)
    revisits = Revisit.objects.filter(inspection__rejected=False).annotate(
        e_area=F("inspection__area_id"), e_kind=F("kind"), e_id=F("id"), e_parent=F("inspection_id"),
        # A revisit's own publication date (Ofsted's statistics state it): trends by publication date counted 1
        # of 47 revisits while this was left empty.
        e_start=F("start_date"), e_end=F("end_date"), e_published=F("published_date"),
        e_letter=F("letter_date"), e_outcome=F("overall"), e_sentence=F("next_steps"),
        e_review=F("needs_review"), e_placeholder=Value(False, output_field=BooleanField()),
    ).order_by().values(*names)
    if area_ids is not None:
        inspections = inspections.filter(area_id__in=area_ids)
        revisits = revisits.filter(inspection__area_id__in=area_ids)
    grouped: dict[int, list[Event]] = defaultdict(list)
    for row in inspections.union(revisits, all=True):
        grouped[row["e_area"]].append(Event(
            kind=row["e_kind"], fact_id=row["e_id"], parent_id=row["e_parent"], start=row["e_start"], end=row["e_end"],
            published=row["e_published"], letter=row["e_letter"], outcome=row["e_outcome"] or "",
            sentence=row["e_sentence"] or "", needs_review=bool(row["e_review"]), placeholder=bool(row["e_placeholder"]),
        ))
    return grouped


# --- 1. due and overdue -----------------------------------------------------------------------------------

def data_as_of() -> dt.datetime | None:
    """When the facts last changed: the latest time a document finished processing (None when none has).
    Every analysis figure states it, beside the day it was computed. One query."""
    return Document.objects.aggregate(latest=Max("finished_at"))["latest"]
