"""Documents in the admin: upload many files (the same form and service as /documents/upload/), see each
one's status and reason, and re-process a selection (the whole pipeline again, queued after commit)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.db.models.functions import Length, Substr
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from inspections.ingest.services import document_delete, document_reprocess
from inspections.ingest.sources.admin import ReadOnlyAdmin
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

EXCERPT_CHARS = 2000


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "original_name", "status", "progress", "short_error", "attempts", "parser_version", "created_at")
    list_filter = ("status", "content_type", "parser_version")
    search_fields = ("original_name", "sha256")
    # The stored file is shown as a link to the permission-checked view (/documents/<id>/file/): the FileField's
    # own link would be a public /media/ URL, which is not served.
    readonly_fields = [field.name for field in Document._meta.fields if field.name not in ("file", "text")] + [
        "original_file", "text_excerpt"]
    # text: megabytes (4.6 MB rendered whole made the page unusable); the change page shows a bounded excerpt
    # and links the document's page, and neither page loads the text (get_queryset). file: a stored original is
    # never replaced by hand (upload again instead); `original_file` links it.
    exclude = ("text", "file")
    actions = ["reprocess"]
    change_list_template = "admin/inspections/document/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text")  # never the text (megabytes a row) in the list

    def get_object(self, request, object_id, from_field=None):
        # The change page needs the text's length and first characters, not the text.
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.text_length, obj.text_start = Document.objects.filter(pk=obj.pk).values_list(
                Length("text"), Substr("text", 1, EXCERPT_CHARS)).get()
        return obj

    @admin.display(description="text")
    def text_excerpt(self, obj: Document) -> str:
        length = getattr(obj, "text_length", None) or 0
        if not length:
            return "—"
        more = f" … (the first {EXCERPT_CHARS:,} of {length:,} characters)" if length > EXCERPT_CHARS else ""
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 30em; overflow: auto">{}{}</pre>'
            '<a href="{}">The document\'s page</a> shows what was read from it, each fact linked to its passage.',
            obj.text_start, more, reverse("document_detail", args=[obj.pk]))

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


    def get_deleted_objects(self, objs, request):
        """Deleting a document removes its letters and the facts only it supported (document_delete re-projects
        the areas). Those admins are read-only — nobody deletes a fact by hand — so Django would refuse the
        document's deletion for want of their delete permission; the document's own permission is what counts."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        derived = {model._meta.verbose_name for model in (SourceLetter, Inspection, WrittenStatementOfAction, Revisit,
                                                          SignificantWeakness, ProgressJudgement)}
        return deleted, counts, perms_needed - derived, protected

@admin.register(SourceLetter)
class SourceLetterAdmin(ReadOnlyAdmin):
    """The letters found in documents, read-only: they are the pipeline's record of what it read (re-processing
    replaces them; facts are corrected through the review pages). Neither the list nor a letter's page loads its
    document's text (one 4.5 MB text per row made the list take 1.9 s and 500 MB): the page shows an excerpt of
    the letter's own span."""

    list_display = ("id", "document_name", "position", "kind", "framework", "source_kind", "area",
                    "area_name_printed", "needs_review")
    list_filter = ("kind", "framework", "source_kind", "needs_review")
    search_fields = ("area_name_printed", "document__original_name")
    readonly_fields = [f.name for f in SourceLetter._meta.fields if f.name != "search_vector"] + ["letter_excerpt"]
    exclude = ("search_vector",)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("document", "area").defer("document__text", "search_vector")
            .annotate(letter_start=Substr("document__text", F("span_start") + 1, EXCERPT_CHARS))
        )

    @admin.display(description="document", ordering="document__original_name")
    def document_name(self, obj: SourceLetter) -> str:
        return obj.document.original_name

    @admin.display(description="letter text")
    def letter_excerpt(self, obj: SourceLetter) -> str:
        length = obj.span_end - obj.span_start
        shown = (obj.letter_start or "")[:length]
        more = f" … (the first {EXCERPT_CHARS:,} of {length:,} characters)" if length > EXCERPT_CHARS else ""
        return format_html('<pre style="white-space: pre-wrap; max-height: 30em; overflow: auto">{}{}</pre>', shown, more)
