"""What the feeds and digests list, read from the facts. One item per newly held visit (an inspection, revisit or
monitoring inspection read from its own letter or report: secondary facts and placeholders known only from a
later document are left out, since nothing was held of them) and one per visit that became overdue.

"Held" is when the document it was read from was stored (`Document.created_at`), so a feed reader sees a letter
when sendtracker got it, whatever its publication date. An overdue item's date is the day its window ended
(`due.NextVisit.due_by`): "overdue" means no report of a later visit is held (inspections/analysis/due.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from areas.models import LocalArea
from inspections.models import Inspection, Revisit, SourceKind

FEED_ITEMS = 50


@dataclass(frozen=True)
class AlertItem:
    """key: unique and stable ('inspection:12', 'overdue:E06000001:monitoring_inspection:2025-01-31'): a digest
    never sends the same key twice. when: an aware datetime (held, or the day it became overdue). link: a path."""

    key: str
    kind: str  # "inspection" | "revisit" | "monitoring_inspection" | "overdue"
    title: str
    summary: str
    link: str
    when: dt.datetime
    area_gss: str
    area_name: str
    region: str


def _dates(start, end, fallback_text="") -> str:
    if start and end and start != end:
        return f"{start:%-d %B %Y} to {end:%-d %B %Y}"
    if start:
        return f"{start:%-d %B %Y}"
    return fallback_text or "dates not stated"


def _scope(queryset, area_field: str, *, region: str, area: LocalArea | None):
    if area is not None:
        return queryset.filter(**{area_field: area})
    if region:
        return queryset.filter(**{f"{area_field}__region": region})
    return queryset


def visit_items(*, region: str = "", area: LocalArea | None = None, since: dt.datetime | None = None,
                limit: int | None = FEED_ITEMS) -> list[AlertItem]:
    """Newly held visits, newest first (at most `limit`; None: all since `since`). Two queries."""
    inspections = _scope(Inspection.objects.filter(source_kind=SourceKind.LETTER, is_placeholder=False)
                         .exclude(source_document=None), "area", region=region, area=area)
    revisits = _scope(Revisit.objects.filter(source_kind=SourceKind.LETTER).exclude(source_document=None),
                      "inspection__area", region=region, area=area)
    if since is not None:
        inspections = inspections.filter(source_document__created_at__gt=since)
        revisits = revisits.filter(source_document__created_at__gt=since)
    inspections = inspections.select_related("area", "source_document").only(
        "id", "kind", "start_date", "end_date", "period_text", "outcome", "area__gss_code", "area__name",
        "area__region", "source_document__created_at").order_by("-source_document__created_at", "-id")
    revisits = revisits.select_related("inspection__area", "source_document").only(
        "id", "kind", "start_date", "end_date", "overall", "inspection__id", "inspection__area__gss_code",
        "inspection__area__name", "inspection__area__region", "source_document__created_at",
    ).order_by("-source_document__created_at", "-id")
    if limit is not None:
        inspections, revisits = inspections[:limit], revisits[:limit]
    items = []
    for fact in inspections:
        outcome = fact.get_outcome_display() if fact.outcome else "outcome not read"
        items.append(AlertItem(
            key=f"inspection:{fact.pk}", kind="inspection",
            title=f"{fact.area.name}: {fact.get_kind_display()}, {_dates(fact.start_date, fact.end_date, fact.period_text)}",
            summary=f"{fact.get_kind_display()} of {fact.area.name}: {outcome}.",
            link=reverse("fact_detail", args=["inspection", fact.pk]), when=fact.source_document.created_at,
            area_gss=fact.area.gss_code, area_name=fact.area.name, region=fact.area.region,
        ))
    for fact in revisits:
        area_obj = fact.inspection.area
        overall = fact.get_overall_display() if fact.overall else "progress not read"
        items.append(AlertItem(
            key=f"revisit:{fact.pk}", kind=fact.kind,
            title=f"{area_obj.name}: {fact.get_kind_display()}, {_dates(fact.start_date, fact.end_date)}",
            summary=f"{fact.get_kind_display()} of {area_obj.name}: {overall}.",
            link=reverse("fact_detail", args=["revisit", fact.pk]), when=fact.source_document.created_at,
            area_gss=area_obj.gss_code, area_name=area_obj.name, region=area_obj.region,
        ))
    items.sort(key=lambda item: (item.when, item.key), reverse=True)
    return items[:limit] if limit is not None else items


def overdue_items(*, region: str = "", area: LocalArea | None = None, today: dt.date | None = None,
                  limit: int | None = FEED_ITEMS) -> list[AlertItem]:
    """Visits overdue on `today` (default: today), the most recently overdue first. Read through the analysis
    snapshot (one query when the facts have not changed)."""
    from inspections.analysis.due import NEXT_KIND_LABELS
    from inspections.analysis.figures import due_list

    today = today or timezone.localdate()
    result = due_list(today=today, months=0, region=region)
    items = []
    for row in result.rows:
        if row["row"].status != "overdue" or (area is not None and row["gss_code"] != area.gss_code):
            continue
        visit = row["visit"]
        label = NEXT_KIND_LABELS.get(visit.kind, visit.kind)
        became = timezone.make_aware(dt.datetime.combine(visit.due_by, dt.time(0, 0)))
        items.append(AlertItem(
            key=f"overdue:{row['gss_code']}:{visit.kind}:{visit.due_by.isoformat()}", kind="overdue",
            title=f"{row['name']}: {label} overdue since {visit.due_by:%-d %B %Y}",
            summary=(f"{row['name']}'s {label.lower()} was expected by {visit.due_by:%-d %B %Y} and no report of a "
                     "later visit is held."),
            link=reverse("area_detail", args=[row["gss_code"]]), when=became,
            area_gss=row["gss_code"], area_name=row["name"], region=row["region"],
        ))
    items.sort(key=lambda item: (item.when, item.key), reverse=True)
    return items[:limit] if limit is not None else items
