"""Admin for the facts (rejected ones included, so an admin can still find them) and the read-only audit.

Facts are **read-only here for everyone, superusers included**: no add, change or delete. A fact changes only
through the review contract (`/review/<kind>/<id>/`: confirm, correct or reject), which validates the value, writes
a `FieldCorrection` and locks the field against re-processing. The alternative — routing the admin's save through
the review services — would keep a second editing form that must mirror the review page's rules (which fields
are correctable, the findings edited leaf by leaf, the note) and would still offer "Add", which has no review
meaning: a fact is read from a document or it does not exist. So each fact's admin page links to its review page
instead, and the admin stays a place to find things.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from inspections.models import FieldCorrection, Inspection, ProgressJudgement, Revisit, SignificantWeakness, WrittenStatementOfAction
from inspections.review.services import FACT_MODELS

_SLUG_OF = {model: slug for slug, model in FACT_MODELS.items()}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable (with the model's view permission), never added, changed or deleted from the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FactAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "review_link", "needs_review", "rejected", "confidence", "source_kind")
    list_filter = ("needs_review", "rejected", "source_kind")

    def get_queryset(self, request):
        return self.model.all_objects.all()

    def get_readonly_fields(self, request, obj=None):
        return ["review_link", *(field.name for field in self.model._meta.fields)]

    @admin.display(description="review")
    def review_link(self, obj) -> str:
        """The one place a fact is confirmed, corrected or rejected (audited and locked)."""
        url = reverse("review_fact", kwargs={"model": _SLUG_OF[type(obj)], "pk": obj.pk})
        return format_html('<a href="{}">Confirm, correct or reject on its review page</a>', url)


@admin.register(FieldCorrection)
class FieldCorrectionAdmin(ReadOnlyAdmin):
    """The audit trail is written by the review services only: nobody edits or deletes it here."""

    list_display = ("created_at", "username", "action", "content_type", "object_id", "field")
    list_filter = ("action", "content_type")
    search_fields = ("username", "field", "note")


for fact_model in (Inspection, WrittenStatementOfAction, Revisit, SignificantWeakness, ProgressJudgement):
    admin.site.register(fact_model, FactAdmin)
