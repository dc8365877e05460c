"""The upload form: many files in one field, each checked before anything is stored.

A file is refused (and not stored) when it is empty, larger than settings.MAX_UPLOAD_BYTES, or its *content*
is none of the types the pipeline reads (extract.sniff_content_type: the name and the browser's claimed type
are ignored). Everything else is stored and queued; deeper problems (encrypted, damaged, no text, not a SEND
document) are found by the pipeline and shown on the document's status page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from inspections.pipeline.extract import SUPPORTED, ZIP

class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented pattern for <input type=file multiple>: clean() gets and returns a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not items and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


@dataclass
class Refusal:
    name: str
    reason: str


def refusal_reason(upload: UploadedFile) -> str:
    """Why this file cannot be accepted, or '' when it can."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size == 0:
        return "The file is empty (0 bytes)."
    if upload.size > limit:
        return f"The file is {filesizeformat(upload.size)}, larger than the upload limit of {filesizeformat(limit)}."
    if not _content_type(upload):
        kinds = ", ".join(SUPPORTED.values())
        return f"The content is not a type sendtracker reads ({kinds}); checked by content, not by the file name."
    return ""


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Inspection letters",
        help_text=("PDF, Word (DOCX), HTML or plain text, or a .zip of them; also Ofsted's datasets (official statistics "
                   ".ods, management information .csv/.xlsx/.ods, data-to-insight's summary). Choose several at once, "
                   "or drop them here."),
        # allow_empty_file: an empty file is refused with a per-file reason, not a form error.
        allow_empty_file=True,
        error_messages={"required": "Choose at least one file."},
    )

    def clean(self):
        from inspections.ingest.sources.archive import Budget

        cleaned = super().clean()
        self.accepted: list[UploadedFile] = []
        self.refused: list[Refusal] = []
        # One inflated-bytes limit for all the zips of this request, not one per zip.
        budget = Budget(settings.ARCHIVE_MAX_TOTAL_BYTES)
        for upload in cleaned.get("files") or []:
            reason = refusal_reason(upload)
            if reason:
                self.refused.append(Refusal(name=upload.name, reason=reason))
            elif _content_type(upload) == ZIP:
                self._unpack(upload, budget)
            else:
                self.accepted.append(upload)
        return cleaned

    def _unpack(self, upload: UploadedFile, budget) -> None:
        """A .zip becomes one upload per file in it, each checked like any other (zip-bomb limits and reasons:
        inspections/ingest/sources/archive.py); its members are unpacked into temporary files."""
        from inspections.ingest.sources.archive import ArchiveRefused, unpack_upload

        try:
            members, refusals = unpack_upload(upload, budget=budget)
        except ArchiveRefused as exc:
            self.refused.append(Refusal(name=upload.name, reason=str(exc)))
            return
        self.refused += [Refusal(name=name, reason=reason) for name, reason in refusals]
        for member in members:
            reason = refusal_reason(member)
            if reason:
                self.refused.append(Refusal(name=f"{upload.name}/{member.name}", reason=reason))
            else:
                self.accepted.append(member)


def _content_type(upload: UploadedFile) -> str:
    """The upload's type by content (extract.sniff_content_type), reading its head and, for a zip, its table of
    contents: never the whole file into memory."""
    from inspections.ingest.sources.archive import sniff_file

    return sniff_file(upload.file if hasattr(upload, "file") else upload)
