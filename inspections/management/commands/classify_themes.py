"""Classify every significant weakness, priority action and area for improvement into themes (docs/THEMES.md).

    python manage.py classify_themes                # every weakness (idempotent: only differences are written)
    python manage.py classify_themes --stale-only   # only weaknesses with no theme or one of another method version
    python manage.py classify_themes --area E06000001

Analysts' corrections are kept. The pipeline classifies each area's weaknesses when it projects them; run this
after upgrading the rules (a new METHOD_VERSION) or on a database ingested before themes existed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from areas.models import LocalArea
from inspections.themes.services import themes_classify


class Command(BaseCommand):
    help = "Classify weaknesses, priority actions and areas for improvement into themes; analysts' corrections kept."

    def add_arguments(self, parser):
        parser.add_argument("--stale-only", action="store_true", help="Only weaknesses not classified by this method version.")
        parser.add_argument("--area", action="append", default=[], help="GSS code (repeatable); default every area.")

    def handle(self, *args, stale_only: bool, area: list[str], **options):
        area_ids = None
        if area:
            found = dict(LocalArea.objects.filter(gss_code__in=area).values_list("gss_code", "pk"))
            missing = sorted(set(area) - set(found))
            if missing:
                raise CommandError(f"No area with GSS code {', '.join(missing)}")
            area_ids = list(found.values())
        report = themes_classify(area_ids=area_ids, stale_only=stale_only)
        self.stdout.write(report.summary())
        for theme, count in sorted(report.by_theme.items(), key=lambda kv: -kv[1]):
            self.stdout.write(f"  {theme:<24}{count:>6}")
