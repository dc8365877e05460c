"""Uploads built to hurt: zips whose members inflate far beyond the upload (limits per request, members streamed
to temporary files), members with '..' or absolute paths (refused, with the reason, wherever a zip is read), and
a file name of 800 characters (kept with its extension)."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from inspections.ingest.forms import UploadForm
from inspections.ingest.sources.archive import archive_members
from inspections.models import Document
from inspections.pipeline.store import document_store
from tests.hostile_corpus import letter_text, long_name, traversal_zip

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def zip_of_text(members: dict[str, int]) -> bytes:
    """A zip of members of the given sizes (MB), each a different letter-like text so none is a duplicate."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, size in members.items():
            line = f"Letter {name}: joint local area SEND inspection. ".encode() * 2000 + b"\n"
            with archive.open(name, "w") as out:
                for _ in range(size * MB // len(line)):
                    out.write(line)
    return buffer.getvalue()


def upload_form(*files: tuple[str, bytes]) -> UploadForm:
    form = UploadForm(data={}, files=MultiValueDict({"files": [SimpleUploadedFile(name, data) for name, data in files]}))
    assert form.is_valid(), form.errors
    return form


def test_the_archive_limit_holds_for_the_whole_request_not_each_zip(settings):
    settings.ARCHIVE_MAX_TOTAL_BYTES = 20 * MB
    form = upload_form(("first.zip", zip_of_text({"a.txt": 12})), ("second.zip", zip_of_text({"b.txt": 12})))
    assert [f.name for f in form.accepted] == ["a.txt"]
    [refusal] = form.refused
    assert refusal.name == "second.zip"
    assert "already unpacked from this upload's other archives" in refusal.reason
    assert f"more than the limit of {20 * MB:,}" in refusal.reason


def test_zip_members_are_streamed_to_temporary_files_not_inflated_in_memory(settings):
    settings.MAX_UPLOAD_BYTES = 50 * MB
    data = zip_of_text({"big-1.txt": 30, "big-2.txt": 30})  # 60 MB inflated from a small zip
    tracemalloc.start()
    try:
        form = upload_form(("batch.zip", data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB while unpacking"
    assert [f.name for f in form.accepted] == ["big-1.txt", "big-2.txt"]
    assert all(f.size > 29 * MB for f in form.accepted)
    assert all(f.temporary_file_path() for f in form.accepted)  # on disk


def test_traversal_members_are_refused_with_the_reason_on_the_upload_form():
    form = upload_form(("batch.zip", traversal_zip()))
    assert [f.name for f in form.accepted] == ["good.txt"]
    refused = {r.name: r.reason for r in form.refused}
    assert "climbs out of the archive's folder" in refused["batch.zip/../escape.txt"]
    assert "climbs out of the archive's folder" in refused["batch.zip/a/../../up.txt"]
    assert "is absolute" in refused["batch.zip//etc/absolute.txt"]


def test_traversal_members_are_refused_on_the_upload_page_and_in_the_admin(admin_client, django_capture_on_commit_callbacks):
    for url in (reverse("document_upload"), reverse("admin:inspections_document_upload")):
        with django_capture_on_commit_callbacks(execute=False):
            response = admin_client.post(url, {"files": [SimpleUploadedFile("batch.zip", traversal_zip())]}, follow=True)
        shown = " ".join(str(m) for m in response.context["messages"])
        assert "batch.zip/../escape.txt: refused" in shown and "climbs out of the archive's folder" in shown, shown
        assert "is absolute" in shown
    assert sorted(Document.objects.values_list("original_name", flat=True)) == ["good.txt", "good.txt"]


def test_traversal_members_are_listed_as_refused_by_import_archive(tmp_path, capsys):
    path = tmp_path / "batch.zip"
    path.write_bytes(traversal_zip())
    refusals = {m.path: m.refusal for m in archive_members(path) if m.data is None}
    assert set(refusals) == {"../escape.txt", "/etc/absolute.txt", "a/../../up.txt"}
    call_command("import_archive", str(path), "--no-wait")
    out = capsys.readouterr().out
    assert "../escape.txt" in out and "climbs out of the archive's folder" in out, out


def test_an_800_character_file_name_keeps_its_extension():
    name = long_name()
    assert len(name) > 800
    document = document_store(stream=ContentFile(letter_text().encode()), original_name=name)
    assert document.original_name.endswith("letter.txt") or document.original_name.endswith(".txt")
    assert document.original_name.startswith("Redcar very-long-name-")
    assert document.file.name.endswith(".txt") and len(document.file.name.rsplit("/", 1)[-1].encode()) <= 255
    pdf = document_store(stream=ContentFile(b"%PDF-1.4 not really"), original_name="x" * 900 + ".pdf")
    assert pdf.original_name.endswith(".pdf") and len(pdf.original_name.encode()) <= 180
    accented = document_store(stream=ContentFile(b"other"), original_name="é" * 700 + ".docx")
    assert accented.original_name.endswith("é.docx") and len(accented.original_name.encode()) <= 180
