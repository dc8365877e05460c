"""Writing weakness themes: classify (the rules), and keep analysts' corrections.

`themes_classify` is the one writer of `WeaknessTheme` rows. The pipeline's writer calls it for the areas it has
just projected (pipeline/write.py: `project_areas`), `manage.py classify_themes` for everything, and the review
service that corrects a weakness's themes (review/services.py: `weakness_themes_correct`) for that weakness. It
reconciles: the rows a weakness should have are computed, then only the differences are written, so running it
twice, or in any order, leaves the same rows.

A weakness whose themes an analyst corrected carries locked_fields["themes"] (review/locks.py); its rows are the
analyst's list, whatever the rules say now — a new method version never overrides a person's decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from inspections.models import SignificantWeakness, WeaknessTheme

from .classify import METHOD, METHOD_VERSION, classify_text
from .taxonomy import ALL_KEYS, OTHER, ordered

LOCK = "themes"  # the key of an analyst's decision in SignificantWeakness.locked_fields
ANALYST_VERSION = "analyst"
BATCH = 500


@dataclass
class ClassifyReport:
    weaknesses: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept_corrections: int = 0
    by_theme: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (f"{self.weaknesses} weaknesses classified ({METHOD_VERSION}): {self.created} themes added, "
                f"{self.updated} updated, {self.deleted} removed; {self.kept_corrections} analysts' corrections kept")


def corrected_themes(weakness: SignificantWeakness) -> list[str] | None:
    """The analyst's themes for the weakness, or None when no analyst decided."""
    entry = (weakness.locked_fields or {}).get(LOCK)
    return list(entry["value"]) if entry and isinstance(entry.get("value"), list) else None


def desired_themes(weakness: SignificantWeakness) -> dict[str, tuple[str, str, str]]:
    """{theme: (method, method_version, evidence)} the weakness should have now."""
    corrected = corrected_themes(weakness)
    if corrected is not None:
        return {key: (WeaknessTheme.Method.ANALYST, ANALYST_VERSION, "") for key in ordered(corrected) if key in ALL_KEYS}
    result = classify_text(weakness.text)
    return {key: (METHOD, METHOD_VERSION, result.evidence.get(key, "")[:300]) for key in result.themes}


def validate_keys(themes: Iterable[str]) -> list[str]:
    """The keys in taxonomy order. Raises ValueError on an unknown key, an empty list, or 'other' beside a theme."""
    keys = ordered(themes)
    unknown = [k for k in keys if k not in ALL_KEYS]
    if unknown:
        raise ValueError(f"Unknown theme(s): {', '.join(unknown)}.")
    if not keys:
        raise ValueError("Choose at least one theme ('Other' when none fits).")
    if OTHER in keys and len(keys) > 1:
        raise ValueError("'Other' means no theme fits: it cannot be chosen with a theme.")
    return keys


@transaction.atomic
def themes_classify(*, weaknesses: QuerySet | None = None, area_ids: Iterable[int] | None = None,
                    stale_only: bool = False) -> ClassifyReport:
    """Classify weaknesses and reconcile their theme rows. Returns counts of what changed.

    `weaknesses`: a queryset to classify (default: every visible weakness); `area_ids`: only those areas'
    weaknesses; `stale_only`: only weaknesses with no theme yet or a theme of another method version (what a
    deployment runs after upgrading the rules). Analysts' corrections are kept and counted. Queries: three per
    BATCH weaknesses, plus the writes."""
    qs = weaknesses if weaknesses is not None else SignificantWeakness.objects.all()
    if area_ids is not None:
        qs = qs.filter(inspection__area_id__in=list(area_ids))
    if stale_only:
        mine = WeaknessTheme.objects.filter(weakness=OuterRef("pk"))
        current = Q(method_version__in=[METHOD_VERSION, ANALYST_VERSION])
        qs = qs.filter(~Exists(mine) | Exists(mine.exclude(current)))
    report = ClassifyReport()
    batch: list[SignificantWeakness] = []
    for weakness in qs.only("id", "text", "locked_fields").order_by("id").iterator(chunk_size=BATCH):
        batch.append(weakness)
        if len(batch) == BATCH:
            _reconcile(batch, report)
            batch = []
    if batch:
        _reconcile(batch, report)
    return report


def _reconcile(weaknesses: list[SignificantWeakness], report: ClassifyReport) -> None:
    existing: dict[int, dict[str, WeaknessTheme]] = {}
    for row in WeaknessTheme.objects.filter(weakness_id__in=[w.id for w in weaknesses]):
        existing.setdefault(row.weakness_id, {})[row.theme] = row
    create, update, delete = [], [], []
    for weakness in weaknesses:
        report.weaknesses += 1
        if corrected_themes(weakness) is not None:
            report.kept_corrections += 1
        want = desired_themes(weakness)
        have = existing.get(weakness.id, {})
        for theme, (method, version, evidence) in want.items():
            report.by_theme[theme] = report.by_theme.get(theme, 0) + 1
            row = have.get(theme)
            if row is None:
                create.append(WeaknessTheme(weakness_id=weakness.id, theme=theme, method=method,
                                            method_version=version, evidence=evidence))
            elif (row.method, row.method_version, row.evidence) != (method, version, evidence):
                row.method, row.method_version, row.evidence = method, version, evidence
                row.classified_at = timezone.now()  # bulk_update does not apply auto_now
                update.append(row)
        delete += [row.pk for theme, row in have.items() if theme not in want]
    if delete:
        WeaknessTheme.objects.filter(pk__in=delete).delete()
    if create:
        WeaknessTheme.objects.bulk_create(create)
    if update:
        WeaknessTheme.objects.bulk_update(update, ["method", "method_version", "evidence", "classified_at"])
    report.created += len(create)
    report.updated += len(update)
    report.deleted += len(delete)
