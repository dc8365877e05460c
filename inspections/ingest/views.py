"""Upload, processing status and re-processing of documents. Thin: forms validate, services write,
selectors read, templates render. The status partial is what htmx polls every 2 s while a document is
queued or processing; once it is finished the partial no longer asks to be polled, so polling stops."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from inspections.models import Document
from inspections.ingest.selectors import document_pending, document_recent
from inspections.ingest.services import document_reprocess, document_upload
from inspections.ingest.forms import UploadForm
from sendtracker.access import DOCUMENT_VIEW_PERMISSION, REPROCESS_PERMISSION, UPLOAD_PERMISSION, permission_needed


@permission_needed(UPLOAD_PERMISSION)
def document_upload_view(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        documents = document_upload(files=form.accepted, user=request.user)
        report_upload(request, documents, form.refused)
        return redirect("document_list")
    return render(request, "ingest/upload.html", {"form": form, "max_upload_bytes": settings.MAX_UPLOAD_BYTES})


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
    document = get_object_or_404(Document.objects.select_related("duplicate_of", "uploaded_by"), pk=pk)
    return render(request, "ingest/detail.html", _status_context(document))


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
