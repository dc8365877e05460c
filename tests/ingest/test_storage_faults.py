"""Nothing may be left in storage without its row (issue 14, faults 6 and 7, and the batch-size page).

- two uploads of the same new file racing: the loser's file goes (deterministic here by inserting the
  competing row between the duplicate check and the insert; with real threads on PostgreSQL below);
- a batch whose later file fails: the earlier files' rows roll back, so their files go too;
- a full disk (a real 256 KiB tmpfs mounted for the test, when we are root): no partial file, no row, and the
  upload page answers 507 with a readable "store is full";
- more files than DATA_UPLOAD_MAX_NUMBER_FILES: a 400 page that names the limit and suggests a zip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from inspections.ingest.services import document_upload
from inspections.models import Document
from inspections.pipeline import store
from tests.conftest import SEEDS

SEED = sorted(SEEDS.glob("*.txt"))[1]


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def files_with_rows() -> list[str]:
    return sorted(d.file.name for d in Document.objects.exclude(file="") if d.file)


@pytest.fixture
def analyst_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("up", "up@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_losing_a_race_for_the_same_new_file_leaves_no_file(monkeypatch):
    data = SEED.read_bytes()
    real_size_of = store._size_of

    def competitor_wins_meanwhile(stream):
        # Another request stores the same bytes after our duplicate check, before our insert.
        monkeypatch.setattr(store, "_size_of", real_size_of)
        store.document_store(stream=ContentFile(data), original_name="first.txt")
        return real_size_of(stream)

    monkeypatch.setattr(store, "_size_of", competitor_wins_meanwhile)
    second = store.document_store(stream=ContentFile(data), original_name="second.txt")
    assert second.status == Document.Status.DUPLICATE
    assert len(stored_files()) == 1
    assert stored_files() == files_with_rows()


@pytest.mark.django_db
def test_a_batch_that_fails_part_way_leaves_no_file(monkeypatch):
    calls = {"n": 0}
    real_store = store.document_store

    def fail_on_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(5, "Input/output error")
        return real_store(**kwargs)

    monkeypatch.setattr("inspections.ingest.services.document_store", fail_on_second)
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))[:3]]
    with pytest.raises(OSError):
        document_upload(files=files)
    assert Document.objects.count() == 0
    assert stored_files() == []


def _can_mount_tmpfs() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def full_disk(settings, tmp_path):
    """MEDIA_ROOT on a real 256 KiB tmpfs: a larger file fills it mid-write (ENOSPC)."""
    if not _can_mount_tmpfs():
        pytest.skip("needs root to mount a small tmpfs (a real full disk)")
    mountpoint = tmp_path / "small"
    mountpoint.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mountpoint)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"could not mount a tmpfs here: {done.stderr.decode().strip()}")
    settings.MEDIA_ROOT = str(mountpoint)
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


@pytest.mark.django_db
def test_a_full_disk_keeps_nothing_and_says_so(full_disk, analyst_client):
    big = SEED.read_bytes() + b"\n" + b"Padding line of the committee report.\n" * 20000  # ~800 KB > 256 KiB
    small = SEED.read_bytes()
    response = analyst_client.post("/documents/upload/", {"files": [
        SimpleUploadedFile("small.txt", small, content_type="text/plain"),
        SimpleUploadedFile("big.txt", big, content_type="text/plain"),
    ]})
    assert response.status_code == 507
    assert "store is full" in response.content.decode()
    assert Document.objects.count() == 0
    assert [p for p in full_disk.rglob("*") if p.is_file()] == []  # no partial file, and not the small one either


@pytest.mark.django_db
def test_too_many_files_says_the_limit_and_suggests_a_zip(analyst_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [SimpleUploadedFile(f"f{i}.txt", b"x", content_type="text/plain") for i in range(5)]
    response = analyst_client.post("/documents/upload/", {"files": files})
    assert response.status_code == 400
    body = response.content.decode()
    assert "the limit is 3" in body and ".zip" in body and "import_archive" in body
    assert Document.objects.count() == 0


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs PostgreSQL (DATABASE_URL) for simultaneous uploads")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_uploads_of_one_new_file_leave_one_file_with_its_row():
    data = SEED.read_bytes()
    for attempt in range(5):
        barrier = threading.Barrier(4)
        errors = []

        def upload(n):
            try:
                barrier.wait()
                document_upload(files=[SimpleUploadedFile(f"copy{attempt}-{n}.txt", data + str(attempt).encode())])
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=upload, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
    assert Document.objects.exclude(status=Document.Status.DUPLICATE).count() == 5
    assert Document.objects.filter(status=Document.Status.DUPLICATE).count() == 15
    assert stored_files() == files_with_rows()
