"""Weakness themes in the admin: read-only. Themes are written by the rules (themes_classify) and corrected on the
weakness's review page (review/services.py: weakness_themes_correct), which audits and locks the decision; an admin
edit would do neither, so there is none."""

from __future__ import annotations

from django.contrib import admin

from inspections.ingest.sources.admin import ReadOnlyAdmin
from inspections.models import WeaknessTheme


@admin.register(WeaknessTheme)
class WeaknessThemeAdmin(ReadOnlyAdmin):
    list_display = ("weakness_id", "theme", "method", "method_version", "evidence", "classified_at")
    list_filter = ("theme", "method", "method_version")
    search_fields = ("evidence", "weakness__text")
    readonly_fields = [field.name for field in WeaknessTheme._meta.fields]
