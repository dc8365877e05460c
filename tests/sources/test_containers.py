"""Issue 14 fault 2: a zip of PDFs, or PDFs joined end to end, must never be read as one PDF keeping only the
last report. Containers are recognised by their real signature; a file holding several PDFs is read whole."""

from __future__ import annotations

import io
import zipfile

import pytest

from inspections.pipeline.extract import DOCX, PDF, ZIP, extract_text, sniff_content_type, split_concatenated_pdfs
from inspections.pipeline.types import ExtractionError
from tests.conftest import FIXTURES

VARIANTS = FIXTURES / "variants"
PDF_A = (VARIANTS / "001_3cc412fc11709ace.pdf").read_bytes()
PDF_B = (VARIANTS / "004_88fbfc01210d008c.pdf").read_bytes()


def stored_zip(members: dict[str, bytes]) -> bytes:
    """ZIP_STORED, as many tools write PDFs (already compressed): the first member's bytes, "%PDF-" included,
    sit in the zip's first kilobyte."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_of_pdfs_is_an_archive_not_a_pdf():
    data = stored_zip({"a.pdf": PDF_A, "b.pdf": PDF_B})
    assert b"%PDF-" in data[:1024]  # the trap the old sniffer fell into
    assert sniff_content_type(data) == ZIP
    with pytest.raises(ExtractionError, match=r"zip archive of 2 file\(s\).*import_archive"):
        extract_text(data)


def test_a_word_document_is_still_a_word_document():
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Joint local area SEND inspection in Hartlepool")
    document.save(buffer)
    assert sniff_content_type(buffer.getvalue()) == DOCX


@pytest.mark.parametrize("signature", [b"\x1f\x8b\x08\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07\x00"])
def test_other_archives_holding_a_pdf_are_not_pdfs(signature):
    assert sniff_content_type(signature + b"\x00" * 40 + PDF_A[:900]) == ""


def test_a_pdf_after_a_short_prefix_is_still_a_pdf():
    assert sniff_content_type(b"\x00" * 128 + PDF_A) == PDF  # readers accept up to 1 KiB before the header


def test_pdfs_joined_end_to_end_are_all_read():
    joined = PDF_A + PDF_B
    assert len(split_concatenated_pdfs(joined)) == 2
    one, two, both = extract_text(PDF_A), extract_text(PDF_B), extract_text(joined)
    assert both.pages == one.pages + two.pages
    # Both documents' text, in file order: the first one is not silently dropped.
    assert both.text.index(one.text[:200]) < both.text.index(two.text[:200])


def test_three_pdfs_joined_with_whitespace_between():
    joined = PDF_A + b"\r\n" + PDF_B + b"\n\n" + PDF_A
    assert len(split_concatenated_pdfs(joined)) == 3
    assert extract_text(joined).pages == 2 * extract_text(PDF_A).pages + extract_text(PDF_B).pages


def test_an_incremental_update_is_one_document():
    updated = PDF_A + b"% an incremental update adds objects and a new trailer, not a new header\n%%EOF\n"
    assert split_concatenated_pdfs(updated) == [updated]


def test_a_joined_file_with_a_damaged_part_is_refused_with_the_reason():
    joined = PDF_A + PDF_B[: len(PDF_B) // 3]
    with pytest.raises(ExtractionError, match="holds 2 PDF documents joined end to end, and document 2 cannot be read"):
        extract_text(joined)


@pytest.mark.django_db
def test_joined_pdfs_give_the_letters_of_both_documents(areas):
    """End to end: the Redcar revisit (001) and the Stockton letter (004) in one file give both letters;
    before the fix only Stockton's (the last document) was read."""
    from django.core.files.base import ContentFile

    from inspections.models import Document, SourceLetter
    from inspections.pipeline.run import ingest_document
    from inspections.pipeline.store import document_store

    document = document_store(stream=ContentFile(PDF_A + PDF_B), original_name="joined.pdf")
    ingest_document(document.pk)
    document.refresh_from_db()
    assert document.status in {Document.Status.DONE, Document.Status.NEEDS_REVIEW}, document.error
    areas_read = set(SourceLetter.objects.filter(document=document).values_list("area__name", flat=True))
    assert areas_read == {"Redcar and Cleveland", "Stockton-on-Tees"}
