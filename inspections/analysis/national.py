"""England's figures as at a date, computed from the stored inspections and revisits (never typed in).

`national_figures(as_at, basis=...)` answers what Ofsted's releases state: how many local areas existed, how many
had had a 2016-framework inspection, how many of those required a written statement of action (WSOA), how many
revisits there had been and how many found sufficient progress in every weakness — overall and per region — with
the sources each figure rests on.

Two bases, as Ofsted's releases use them:
- "published": a visit counts when its report was published by `as_at` (the 31 March 2021 release counted reports
  published by then). A visit whose publication date is not known (a former authority known from a note only to
  the month) counts when it took place more than a year before `as_at` — reports were published within months —
  and is counted in `estimated`, so the figure says it rests on that rule.
- "carried_out": a visit counts when it started by `as_at` (the 31 August 2022 release counted visits carried
  out by then).

Only areas in force on `as_at` (the register's start and end dates) are counted: an authority that had gone
(Dorset county after March 2019) is not among "the areas", and one not yet made (North Northamptonshire before
April 2021) is not either. Each area counts once: its latest 2016-framework inspection by then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from areas.models import LocalArea
from inspections.analysis.periods import visit_day
from inspections.models import Inspection, Revisit

Basis = Literal["published", "carried_out"]
# Ofsted's statistics combine two of the register's (ONS) regions into one of its own: figures by region are given
# in Ofsted's regions, so they compare with its releases.
OFSTED_REGION = {"North East": "North East, Yorkshire and the Humber",
                 "Yorkshire and The Humber": "North East, Yorkshire and the Humber"}


def ofsted_region(region: str) -> str:
    """The Ofsted region of a register region ('North East' -> 'North East, Yorkshire and the Humber')."""
    return OFSTED_REGION.get(region, region) or "Unknown"


_PUBLISHED_WITHIN = dt.timedelta(days=365)


@dataclass
class RegionFigures:
    region: str
    areas: int
    inspected: int
    wsoa_required: int

    @property
    def wsoa_share(self) -> float | None:
        """WSOAs required per area inspected (0–1), None when none was inspected."""
        return self.wsoa_required / self.inspected if self.inspected else None


@dataclass
class NationalFigures:
    as_at: dt.date
    basis: Basis
    region: str | None
    areas: int  # local areas in force on as_at
    inspected: int  # of those, with a 2016-framework inspection counted by as_at
    wsoa_required: int  # of those inspected, a WSOA required
    revisits: int  # 2016-framework revisits counted by as_at (of areas in force)
    revisits_sufficient_all: int  # of those, sufficient progress in every weakness
    inspections_2023: int  # 2023-framework inspections counted by as_at
    outcomes_2023: dict[str, int] = field(default_factory=dict)
    regions: list[RegionFigures] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)  # source_kind -> inspections and revisits counted
    estimated: int = 0  # visits counted without a publication date (see the module docstring)


def _counted(start: dt.date | None, period: str, published: dt.date | None, as_at: dt.date, basis: Basis) -> tuple[bool, bool]:
    """(counted by as_at, counted by the publication-date fallback)."""
    day = visit_day(start, period)
    if basis == "carried_out":
        return (day is not None and day <= as_at), False
    if published:
        return published <= as_at, False
    if day is not None and day + _PUBLISHED_WITHIN <= as_at:
        return True, True
    return False, False


def _in_force(area: dict, on: dt.date) -> bool:
    return (area["start_date"] is None or area["start_date"] <= on) and (area["end_date"] is None or on <= area["end_date"])


def national_figures(as_at: dt.date, basis: Basis = "published", region: str | None = None) -> NationalFigures:
    """The national (or one region's) figures as at `as_at` (see the module docstring for the rules).

    `region`: a LocalArea region value ("London") or an Ofsted region ("North East, Yorkshire and the Humber"); None
    for England. `regions` in the result are Ofsted's regions. Raises ValueError for an unknown basis."""
    if basis not in ("published", "carried_out"):
        raise ValueError(f"basis must be 'published' or 'carried_out', not {basis!r}")
    areas = {a["pk"]: a for a in LocalArea.objects.values("pk", "region", "start_date", "end_date") if _in_force(a, as_at)}
    if region:
        areas = {pk: a for pk, a in areas.items() if region in (a["region"], ofsted_region(a["region"]))}
    figures = NationalFigures(as_at=as_at, basis=basis, region=region, areas=len(areas), inspected=0, wsoa_required=0,
                              revisits=0, revisits_sufficient_all=0, inspections_2023=0)
    latest: dict[int, dict] = {}
    for row in Inspection.objects.filter(area_id__in=list(areas)).values(
            "area_id", "framework", "kind", "start_date", "period_text", "published_date", "outcome", "source_kind"):
        counted, estimated = _counted(row["start_date"], row["period_text"], row["published_date"], as_at, basis)
        if not counted:
            continue
        figures.estimated += estimated
        figures.sources[row["source_kind"]] = figures.sources.get(row["source_kind"], 0) + 1
        if row["framework"] == "2023":
            figures.inspections_2023 += 1
            if row["outcome"]:
                figures.outcomes_2023[row["outcome"]] = figures.outcomes_2023.get(row["outcome"], 0) + 1
            continue
        day = visit_day(row["start_date"], row["period_text"]) or dt.date.min
        held = latest.get(row["area_id"])
        if held is None or day > held["day"]:
            latest[row["area_id"]] = {**row, "day": day}
    by_region: dict[str, RegionFigures] = {}

    def group(area_region: str) -> str:
        # One register region asked for ("North East"): its own row, not Ofsted's combined region's name over a
        # part of its figures.
        return area_region if region and region == area_region else ofsted_region(area_region)

    for pk, area in areas.items():
        name = group(area["region"])
        by_region.setdefault(name, RegionFigures(name, 0, 0, 0)).areas += 1
    for area_id, row in latest.items():
        wsoa = row["outcome"] == Inspection.Outcome.WSOA_REQUIRED
        figures.inspected += 1
        figures.wsoa_required += wsoa
        part = by_region[group(areas[area_id]["region"])]
        part.inspected += 1
        part.wsoa_required += wsoa
    for row in Revisit.objects.filter(inspection__area_id__in=list(areas), kind=Revisit.Kind.REVISIT,
                                      inspection__rejected=False).values("start_date", "published_date", "overall", "source_kind", "overall_text"):
        # A revisit known only to the month (a dataset note) says the month in its overall_text: "Revisit in February 2019: …".
        counted, estimated = _counted(row["start_date"], row["overall_text"], row["published_date"], as_at, basis)
        if not counted:
            continue
        figures.estimated += estimated
        figures.sources[row["source_kind"]] = figures.sources.get(row["source_kind"], 0) + 1
        figures.revisits += 1
        figures.revisits_sufficient_all += row["overall"] == Revisit.Overall.SUFFICIENT_ALL
    figures.regions = sorted(by_region.values(), key=lambda r: r.region)
    return figures


# --- how current each source is ------------------------------------------------------------------------------

_SERIES = (("ofsted_statistics", "Ofsted statistics"), ("ofsted_mi", "management information"),
           ("d2i_scrape", "data-to-insight summary"))


@dataclass
class SourceCurrency:
    label: str  # "Ofsted statistics"
    currency: str  # "inspections and revisits as at 31 August 2022"
    source_kind: str  # official | secondary | letter


def source_currency() -> list[SourceCurrency]:
    """How current each source held is, newest release of each dataset series first, then the letters:
    [Ofsted statistics: inspections and revisits as at 31 August 2022, …, letters and reports held: 34]."""
    from inspections.models import Dataset, SourceLetter

    # Each release held: a dataset file itself, or a part of a table derived from several (the England table).
    releases = []
    for dataset in Dataset.objects.all():
        for part in dataset.parts or [{"kind": dataset.kind, "source_kind": dataset.source_kind, "currency": dataset.currency,
                                       "covers_to": str(dataset.covers_to or ""), "published": str(dataset.published or "")}]:
            releases.append(part)
    found = []
    for kind, label in _SERIES:
        mine = [r for r in releases if r["kind"] == kind]
        if mine:
            latest = max(mine, key=lambda r: (r.get("covers_to") or "", r.get("published") or ""))
            found.append(SourceCurrency(label, latest["currency"], latest["source_kind"]))
    letters = (SourceLetter.objects.filter(source_kind="letter", area__isnull=False)
               .values("document_id").distinct().count())
    found.append(SourceCurrency("letters and reports held", str(letters), "letter"))
    return found


def national_context(params, facts) -> dict:
    """The dashboard's national figures for `?as_at=YYYY-MM-DD[&basis=published|carried_out]` and the currency line.
    {"sources": [...], "national": NationalFigures | None, "as_at_error": str}.

    `facts`: the analysis snapshot the page already holds; both are kept with it (rebuilt only when the facts or
    documents change), so a warm dashboard makes no query for them (tests/web/test_dashboard.py)."""
    context = {"sources": facts.once("source_currency", source_currency), "national": None, "as_at_error": "",
               "as_at": params.get("as_at", "")}
    raw = params.get("as_at", "")
    if raw:
        basis = params.get("basis") or "published"
        try:
            as_at = dt.date.fromisoformat(raw)
            region = params.get("region") or None
            context["national"] = facts.once(f"national {as_at} {basis} {region}",
                                             lambda: national_figures(as_at, basis=basis, region=region))
        except ValueError:
            context["as_at_error"] = (f"“{raw}” with basis “{basis}” is not a date as YYYY-MM-DD (e.g. 2021-03-31) with a "
                                      "basis of published or carried_out; no figures as at a date are shown.")
    return context
