"""API tokens in the admin: an admin makes one for a user and is shown its key once (only a hash is stored)."""

from django.contrib import admin, messages

from inspections.api.services import issue_token
from inspections.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "active", "created_at", "last_used_at")
    list_filter = ("active",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    autocomplete_fields = ()
    raw_id_fields = ("user",)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key = issue_token(obj)
        messages.warning(request, f"The key of “{obj.name}” is {key} — copy it now: it is not shown again.")
