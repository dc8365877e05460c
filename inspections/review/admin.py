"""Admin for the facts (rejected ones included, so an admin can still find them) and the read-only audit."""

from django.contrib import admin

from inspections.models import FieldCorrection, Inspection, ProgressJudgement, Revisit, SignificantWeakness, WrittenStatementOfAction


class FactAdmin(admin.ModelAdmin):
    list_display = ("__str__", "needs_review", "rejected", "confidence", "source_kind")
    list_filter = ("needs_review", "rejected", "source_kind")
    readonly_fields = ("locked_fields", "rejected")

    def get_queryset(self, request):
        return self.model.all_objects.all()


@admin.register(FieldCorrection)
class FieldCorrectionAdmin(admin.ModelAdmin):
    """The audit trail is written by the review services only: nobody edits or deletes it here."""

    list_display = ("created_at", "username", "action", "content_type", "object_id", "field")
    list_filter = ("action", "content_type")
    search_fields = ("username", "field", "note")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for fact_model in (Inspection, WrittenStatementOfAction, Revisit, SignificantWeakness, ProgressJudgement):
    admin.site.register(fact_model, FactAdmin)
