"""`{% revisit_rows r as rows %}`: every weakness a revisit or monitoring inspection follows up, each with
this visit's judgement or None ("not reported"), so a page lists them all, not only those the report judged.
`{{ r|revisit_result }}`: the visit's overall result in its framework's words.

Reads only what the timeline prefetched (the inspection's weaknesses, the revisit's judgements): no query."""

from __future__ import annotations

from django import template

from inspections.models import Revisit, SignificantWeakness
from inspections.vocabulary import MONITORING_JUDGEMENT_LABELS, MONITORING_OVERALL_LABELS

register = template.Library()


def followed_up_kinds(revisit: Revisit) -> set[str]:
    """A monitoring inspection follows up the areas for priority action; a 2016 revisit the significant weaknesses."""
    if revisit.kind == Revisit.Kind.MONITORING:
        return {SignificantWeakness.Kind.PRIORITY_ACTION}
    return {SignificantWeakness.Kind.SIGNIFICANT_WEAKNESS}


@register.simple_tag
def revisit_rows(revisit: Revisit) -> list[dict]:
    """[{"weakness": w, "judgement": j or None, "verdict": "sufficient"|"insufficient"|"empty"|"not_reported"}]
    in the inspection's order; judgements about a weakness of another kind (rare) follow at the end."""
    judged = {j.weakness_id: j for j in revisit.judgements.all()}
    kinds = followed_up_kinds(revisit)
    rows, seen = [], set()
    for weakness in revisit.inspection.weaknesses.all():
        if weakness.kind not in kinds and weakness.id not in judged:
            continue
        seen.add(weakness.id)
        rows.append(_row(weakness, judged.get(weakness.id)))
    rows += [_row(j.weakness, j) for wid, j in judged.items() if wid not in seen]
    return rows


def _row(weakness, judgement) -> dict:
    if judgement is None:
        verdict = "not_reported"
    elif judgement.sufficient_progress is None:
        verdict = "empty"
    else:
        verdict = "sufficient" if judgement.sufficient_progress else "insufficient"
    return {"weakness": weakness, "judgement": judgement, "verdict": verdict}


@register.filter
def revisit_result(revisit: Revisit) -> str:
    """The overall result in words: for a monitoring inspection, the report's own words when held, else the
    2023 framework's (effective action / not effective action); for a 2016 revisit, its progress label."""
    if revisit.kind == Revisit.Kind.MONITORING:
        if revisit.overall_text:
            return revisit.overall_text
        return MONITORING_OVERALL_LABELS.get(revisit.overall, "")
    return revisit.get_overall_display() if revisit.overall else (revisit.overall_text or "")


@register.filter
def monitoring_judgement(verdict: str) -> str:
    return MONITORING_JUDGEMENT_LABELS.get(verdict, MONITORING_JUDGEMENT_LABELS["not_reported"])
