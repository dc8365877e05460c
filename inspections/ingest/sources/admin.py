"""Fetch runs and the remembered URLs in the admin: read-only (a run is a record of what happened)."""

from __future__ import annotations

from django.contrib import admin

from inspections.models import FetchedUrl, FetchRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FetchRun)
class FetchRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "source", "status", "started_at", "finished_at", "pages_read", "publications_seen",
                    "new_documents", "already_held", "error_count", "message")
    list_filter = ("status", "source")
    readonly_fields = [field.name for field in FetchRun._meta.fields]

    @admin.display(description="errors")
    def error_count(self, obj: FetchRun) -> int:
        return len(obj.errors or [])


@admin.register(FetchedUrl)
class FetchedUrlAdmin(ReadOnlyAdmin):
    list_display = ("url", "etag", "last_modified", "sha256", "checked_at")
    search_fields = ("url", "sha256")
    readonly_fields = [field.name for field in FetchedUrl._meta.fields]
