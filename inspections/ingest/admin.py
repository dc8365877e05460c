"""Documents in the admin: upload many files (the same form and service as /documents/upload/), see each
one's status and reason, and re-process a selection (the whole pipeline again, queued after commit)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from inspections.ingest.services import document_delete, document_reprocess
from inspections.ingest.views import handle_upload
from inspections.models import (
    Document,
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    SourceLetter,
    WrittenStatementOfAction,
)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "original_name", "status", "progress", "short_error", "attempts", "parser_version", "created_at")
    list_filter = ("status", "content_type", "parser_version")
    search_fields = ("original_name", "sha256")
    # The stored file is shown as a link to the permission-checked view (/documents/<id>/file/): the FileField's
    # own link would be a public /media/ URL, which is not served.
    readonly_fields = [field.name for field in Document._meta.fields if field.name != "file"] + ["original_file"]
    # text: megabytes; the pages show it through each fact's source span. file: a stored original is never
    # replaced by hand (upload again instead); `original_file` links it.
    exclude = ("text", "file")
    actions = ["reprocess"]
    change_list_template = "admin/inspections/document/change_list.html"

    @admin.display(description="file")
    def original_file(self, obj: Document) -> str:
        if not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("document_file", args=[obj.pk]), obj.original_name)

    @admin.display(description="reason")
    def short_error(self, obj: Document) -> str:
        return (obj.error[:120] + "…") if len(obj.error) > 120 else obj.error

    @admin.action(description="Re-process selected documents", permissions=["change"])
    def reprocess(self, request, queryset):
        queued = document_reprocess(documents=queryset.defer("text"))
        skipped = queryset.count() - len(queued)
        self.message_user(request, f"{len(queued)} document(s) queued for re-processing.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} skipped: duplicates, or already queued/processing.", messages.WARNING)

    def get_deleted_objects(self, objs, request):
        """Deleting a document removes its letters and the facts only it supported (document_delete re-projects
        the areas). Those admins are read-only — nobody deletes a fact by hand — so Django would refuse the
        document's deletion for want of their delete permission; the document's own permission is what counts."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        derived = {model._meta.verbose_name for model in (SourceLetter, Inspection, WrittenStatementOfAction, Revisit,
                                                          SignificantWeakness, ProgressJudgement)}
        return deleted, counts, perms_needed - derived, protected

    def delete_model(self, request, obj):
        document_delete(documents=[obj])

    def delete_queryset(self, request, queryset):
        document_delete(documents=queryset.defer("text"))

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="inspections_document_upload")
        return [upload, *super().get_urls()]

    def add_view(self, request, form_url="", extra_context=None):
        # A document is made by uploading a file, never by typing its fields.
        return redirect("admin:inspections_document_upload")

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form, stored, status = handle_upload(request)
        if stored:
            return redirect(reverse("admin:inspections_document_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": "Upload documents"}
        return TemplateResponse(request, "admin/inspections/document/upload.html", context, status=status)
