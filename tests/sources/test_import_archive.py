"""`manage.py import_archive` (a folder or a .zip) and .zip uploads (the upload page and the admin), with tasks
run in-process: each file is stored, queued and processed as an upload would be, and the closing table counts
every outcome with its reason."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from inspections.ingest.sources.archive import ArchiveRefused, Limits, archive_members
from inspections.models import Document
from tests.conftest import FIXTURES, SEEDS

VARIANTS = FIXTURES / "variants"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
PDF_A = (VARIANTS / "001_3cc412fc11709ace.pdf").read_bytes()
NOT_SEND = b"Cake recipes for the school fair.\n\nVictoria sponge: butter, sugar, eggs, flour.\n" * 5


def make_zip(members: dict[str, bytes], *, method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def mixed_members() -> dict[str, bytes]:
    """Nested folders, mixed PDF/DOCX/HTML/TXT, and one of each kind of trouble."""
    members = {f"2016/seeds/{path.name}": path.read_bytes() for path in SEED_FILES}
    members.update({
        "2016/variants/revisit.pdf": PDF_A,
        "2016/variants/revisit.docx": (VARIANTS / "001_3cc412fc11709ace.docx").read_bytes(),
        "2016/variants/letter.html": (VARIANTS / "004_88fbfc01210d008c.html").read_bytes(),
        "copies/same-as-seed.txt": SEED_FILES[0].read_bytes(),  # duplicate of a file earlier in the archive
        "other/cakes.txt": NOT_SEND,  # rejected: not a SEND inspection document
        "other/broken.pdf": PDF_A[: len(PDF_A) // 2],  # failed: damaged
        "other/picture.bin": bytes(range(256)) * 8,  # refused: not a type read
        "other/empty.txt": b"",  # refused: empty
        "__MACOSX/2016/._revisit.pdf": b"\x00\x05\x16\x07 resource fork",  # ignored
        ".DS_Store": b"\x00\x00\x00\x01Bud1",  # ignored
    })
    return members


def table(out: str) -> dict[str, int]:
    rows = {}
    for line in out.splitlines():
        label, _, count = line.rpartition("  ")
        if count.strip().isdigit():
            rows[label.strip()] = int(count)
    return rows


@pytest.mark.django_db(transaction=True)
def test_import_a_zip_then_again_changes_nothing(areas, tmp_path, capsys):
    archive = tmp_path / "letters.zip"
    archive.write_bytes(make_zip(mixed_members()))
    call_command("import_archive", str(archive))
    out = capsys.readouterr().out
    counts = table(out)
    assert counts["done"] + counts["needs review"] == 8, out  # 5 seeds + 3 variants, all processed in-process
    assert (counts["rejected"], counts["failed"], counts["duplicate (already held)"], counts["refused (not stored)"]) == (1, 1, 1, 2), out
    assert counts["total"] == 13, out  # the resource fork and .DS_Store are not files of the archive
    assert "other/cakes.txt:" in out and "other/broken.pdf: The PDF is damaged" in out
    assert "other/picture.bin: The content is not a type sendtracker reads" in out
    assert "other/empty.txt: The file is empty" in out
    stored = Document.objects.count()
    assert stored == 10 and not Document.objects.filter(status__in=["queued", "processing"]).exists()
    assert not Document.objects.filter(status=Document.Status.DUPLICATE).exists()

    call_command("import_archive", str(archive))
    again = table(capsys.readouterr().out)
    assert again["duplicate (already held)"] == 11 and again["refused (not stored)"] == 2
    assert again["done"] == again["needs review"] == again["failed"] == again["rejected"] == 0
    assert Document.objects.count() == stored


@pytest.mark.django_db(transaction=True)
def test_import_a_folder_with_a_zip_inside(areas, tmp_path, capsys):
    root = tmp_path / "archive"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / SEED_FILES[1].name).write_bytes(SEED_FILES[1].read_bytes())
    (root / "bundle.zip").write_bytes(make_zip({"inner/revisit.pdf": PDF_A, "inner/cakes.txt": NOT_SEND},
                                               method=zipfile.ZIP_STORED))
    (root / ".hidden.txt").write_text("ignored")
    paths = [member.path for member in archive_members(root)]
    assert paths == ["a/b/" + SEED_FILES[1].name, "bundle.zip/inner/revisit.pdf", "bundle.zip/inner/cakes.txt"]
    call_command("import_archive", str(root), "--no-wait")
    counts = table(capsys.readouterr().out)
    assert counts["total"] == 3 and counts["rejected"] == 1 and counts["done"] + counts["needs review"] == 2


@pytest.mark.django_db
def test_an_archive_over_the_limits_is_refused_whole(tmp_path, settings):
    archive = tmp_path / "many.zip"
    archive.write_bytes(make_zip({f"{n}.txt": b"x" * 1000 for n in range(5)}))
    with pytest.raises(ArchiveRefused, match="holds 5 files, more than the limit of 4"):
        list(archive_members(archive, limits=Limits(max_members=4, max_total_bytes=10**9, max_member_bytes=10**6)))
    with pytest.raises(ArchiveRefused, match="unpacks to 5,000 bytes, more than the limit of 4,000"):
        list(archive_members(archive, limits=Limits(max_members=10, max_total_bytes=4000, max_member_bytes=10**6)))
    big = [m for m in archive_members(archive, limits=Limits(max_members=10, max_total_bytes=10**9, max_member_bytes=999))]
    assert all(m.data is None and "more than the limit of 999" in m.refusal for m in big)
    settings.ARCHIVE_MAX_MEMBERS = 4
    with pytest.raises(CommandError, match="more than the limit of 4"):
        call_command("import_archive", str(archive))
    assert not Document.objects.exists()


def test_a_zip_whose_headers_understate_the_sizes_is_not_unpacked_past_them(tmp_path):
    """A crafted central directory declaring 10 bytes for 5,000-byte members: the declared-size limit is
    passed, and each member is refused as damaged (zipfile stops at the declared size and the CRC fails)
    rather than inflating past what was checked."""
    data = bytearray(make_zip({"a.txt": b"a" * 5000, "b.txt": b"b" * 5000}))
    offset = 0
    while (offset := data.find(b"PK\x01\x02", offset)) != -1:  # central directory entries
        data[offset + 24 : offset + 28] = (10).to_bytes(4, "little")  # uncompressed size
        offset += 4
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data))
    members = list(archive_members(path, limits=Limits(max_members=10, max_total_bytes=6000, max_member_bytes=10**6)))
    assert [m.data for m in members] == [None, None]
    assert all("damaged in the zip archive" in m.refusal for m in members)


@pytest.mark.django_db
def test_upload_page_unpacks_a_zip_into_one_document_per_file(client, django_user_model, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("ana")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_document", "view_document"]))
    client.force_login(user)
    data = make_zip({"letters/one.txt": SEED_FILES[0].read_bytes(), "letters/two.pdf": PDF_A, "junk.bin": bytes(range(256)) * 4})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("document_upload"), {"files": [SimpleUploadedFile("batch.zip", data)]}, follow=True)
    names = sorted(Document.objects.values_list("original_name", flat=True))
    assert names == ["one.txt", "two.pdf"]
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "batch.zip/junk.bin: refused" in shown and "not a type sendtracker reads" in shown


@pytest.mark.django_db
def test_admin_upload_accepts_a_zip_and_refuses_one_over_the_member_limit(admin_client, settings, django_capture_on_commit_callbacks):
    data = make_zip({"one.txt": SEED_FILES[0].read_bytes(), "two.txt": SEED_FILES[1].read_bytes()})
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:inspections_document_upload"), {"files": [SimpleUploadedFile("a.zip", data)]})
    assert Document.objects.count() == 2
    settings.ARCHIVE_MAX_MEMBERS = 1
    response = admin_client.post(reverse("admin:inspections_document_upload"),
                                 {"files": [SimpleUploadedFile("b.zip", make_zip({"x.txt": b"x", "y.txt": b"y"}))]}, follow=True)
    assert "holds 2 files, more than the limit of 1" in " ".join(str(m) for m in response.context["messages"])
    assert Document.objects.count() == 2


@pytest.mark.django_db
def test_waiting_for_a_worker_times_out_with_the_documents_still_pending():
    from inspections.ingest.sources.importer import ImportResult, ImportRow, archive_wait, import_table

    queued = Document.objects.create(sha256="0" * 64, original_name="a.pdf", status=Document.Status.QUEUED)
    done = Document.objects.create(sha256="1" * 64, original_name="b.pdf", status=Document.Status.DONE)
    result = ImportResult(rows=[ImportRow("a.pdf", "pending", document_id=queued.pk),
                                ImportRow("b.pdf", "pending", document_id=done.pk)])
    archive_wait(result, timeout=0)
    assert result.timed_out
    assert [row.outcome for row in result.rows] == ["pending", "done"]
    assert any(line.startswith("still queued") and line.endswith("1") for line in import_table(result))


@pytest.mark.shared
@pytest.mark.django_db(transaction=True)
def test_a_zip_of_the_whole_shared_corpus_then_again(areas, tmp_path, capsys):
    """The 29 real 2023 reports and the seeds, zipped in a temporary folder (never into the project)."""
    from tests.conftest import SHARED

    reports = sorted((SHARED / "corpus" / "reports-2023").glob("*.pdf"))
    members = {f"reports-2023/{p.name}": p.read_bytes() for p in reports}
    members.update({f"seeds/{p.name}": p.read_bytes() for p in SEED_FILES})
    archive = tmp_path / "corpus.zip"
    archive.write_bytes(make_zip(members))
    call_command("import_archive", str(archive))
    first = table(capsys.readouterr().out)
    assert first["total"] == len(members) == 34
    assert first["done"] + first["needs review"] == 34, first
    call_command("import_archive", str(archive))
    again = table(capsys.readouterr().out)
    assert again["duplicate (already held)"] == 34 and again["total"] == 34
    assert Document.objects.count() == 34
