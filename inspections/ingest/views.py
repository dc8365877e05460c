"""Upload, processing status and re-processing of documents. Thin: forms validate, services write,
selectors read, templates render. The status partial is what htmx polls every 2 s while a document is
queued or processing; once it is finished the partial no longer asks to be polled, so polling stops."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from inspections.models import Document
from inspections.ingest.selectors import document_findings, document_pending, document_recent
from inspections.ingest.services import PENDING, document_reprocess, document_upload
from inspections.ingest.forms import UploadForm
from sendtracker.access import DOCUMENT_VIEW_PERMISSION, REPROCESS_PERMISSION, UPLOAD_PERMISSION, permission_needed
from sendtracker.storage import StorageFullError


@permission_needed(UPLOAD_PERMISSION)
def document_upload_view(request: HttpRequest) -> HttpResponse:
    form, stored, status = handle_upload(request)
    if stored:
        return redirect("document_list")
    return render(request, "ingest/upload.html", {"form": form, "max_upload_bytes": settings.MAX_UPLOAD_BYTES}, status=status)


def handle_upload(request: HttpRequest) -> tuple[UploadForm, bool, int]:
    """The upload form's POST, shared by this page and the admin's: (form, stored?, HTTP status).

    Stored files get one message each (`report_upload`). A full disk is a form error with status 507
    (Insufficient Storage): nothing of the batch was kept, and the user can try again later."""
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if not (form.is_bound and form.is_valid()):
        return form, False, 200
    try:
        documents = document_upload(files=form.accepted, user=request.user)
    except StorageFullError as exc:
        form.add_error(None, exc.message)
        return form, False, 507
    report_upload(request, documents, form.refused)
    return form, True, 200


def report_upload(request: HttpRequest, documents: list[Document], refused) -> None:
    """One message per file, so a batch tells the user what happened to each (shared with the admin)."""
    for document in documents:
        if document.status == Document.Status.DUPLICATE:
            original = document.duplicate_of
            messages.warning(request, f"{document.original_name}: duplicate of #{original.pk} ({original.original_name}); not stored again.")
        else:
            messages.success(request, f"{document.original_name}: stored as #{document.pk} and queued for processing.")
    for refusal in refused:
        messages.error(request, f"{refusal.name}: refused. {refusal.reason}")


@permission_needed(DOCUMENT_VIEW_PERMISSION)
def document_list(request: HttpRequest) -> HttpResponse:
    documents = list(document_recent())
    context = {"documents": documents, "polling": any(document_pending(doc) for doc in documents)}
    if request.htmx:
        return render(request, "ingest/_rows.html", context)
    return render(request, "ingest/list.html", context)


@permission_needed(DOCUMENT_VIEW_PERMISSION)
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("duplicate_of", "uploaded_by").defer("text", "duplicate_of__text"), pk=pk)
    context = _status_context(document)
    # What the document produced; a duplicate produced nothing (its original did) and a pending one nothing yet.
    if document.status not in (Document.Status.DUPLICATE, *PENDING):
        context["findings"] = document_findings(document)
        from inspections.review.selectors import area_choice_history  # the analysts' decisions on its letters

        context["area_choices"] = area_choice_history(document.pk)
    return render(request, "ingest/detail.html", context)


# Types a browser may show inline. Anything else (HTML above all: it would run in this site's origin) is
# downloaded, and the sandbox CSP below stops even a PDF viewer's scripts from reaching the site.
INLINE_TYPES = {"application/pdf", "text/plain"}


@permission_needed(DOCUMENT_VIEW_PERMISSION)
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The original file as uploaded, read through Django's storage API (never a public /media/ URL), to
    analysts with the view permission. 404 with the reason when the row has no file or the storage lost it."""
    document = get_object_or_404(Document.objects.only("id", "file", "original_name", "content_type", "status"), pk=pk)
    if not document.file:
        raise Http404("This document has no stored file (a duplicate points at its original).")
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404("The stored file is missing from the storage.") from None
    # Files ingested from the command line have no declared type: go by the name (a sniffed type was checked on the way in).
    content_type = document.content_type or mimetypes.guess_type(document.original_name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, filename=document.original_name,
                            as_attachment=content_type not in INLINE_TYPES)
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@permission_needed(DOCUMENT_VIEW_PERMISSION)
def document_status(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("duplicate_of").defer("text"), pk=pk)
    return render(request, "ingest/_status.html", _status_context(document))


@permission_needed(REPROCESS_PERMISSION)  # outermost: a reader is refused (403) before a GET is (405)
@require_POST
def document_reprocess_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.defer("text"), pk=pk)
    if document_reprocess(documents=[document]):
        messages.success(request, f"#{document.pk} {document.original_name}: queued for re-processing.")
    else:
        messages.warning(request, f"#{document.pk} {document.original_name} was not re-processed: it is "
                         f"{document.get_status_display().lower()}.")
    return redirect("document_detail", pk=document.pk)


def _status_context(document: Document) -> dict:
    return {"document": document, "polling": document_pending(document)}
