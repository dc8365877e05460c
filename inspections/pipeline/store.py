"""Stage 1: keep the uploaded bytes (through Django's storage API) and recognise repeats by sha256."""

from __future__ import annotations

import hashlib
from typing import IO

from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction

from inspections.models import Document

CHUNK = 1024 * 1024


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for block in iter(lambda: stream.read(CHUNK), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def document_store(*, stream: IO[bytes], original_name: str, content_type: str = "", uploaded_by=None) -> Document:
    """Save the file and return its Document. A file already held is recorded as a 'duplicate' row pointing
    at the original, and its bytes are not stored again."""
    sha = sha256_of(stream)
    safe_name = _safe_name(original_name)
    existing = Document.objects.exclude(status=Document.Status.DUPLICATE).filter(sha256=sha).first()
    if existing is not None:
        return _record_duplicate(existing, safe_name, uploaded_by)
    size = _size_of(stream)
    document = Document(
        sha256=sha, original_name=safe_name, content_type=content_type, size=size,
        uploaded_by=uploaded_by, status=Document.Status.QUEUED,
    )
    try:
        with transaction.atomic():
            document.file.save(safe_name, File(stream, name=safe_name), save=False)
            document.save()
    except IntegrityError:
        # Someone stored the same bytes between our check and our insert: their row holds the file, so ours
        # goes (a stored file must always have its row).
        _discard_file(document)
        existing = Document.objects.exclude(status=Document.Status.DUPLICATE).get(sha256=sha)
        return _record_duplicate(existing, safe_name, uploaded_by)
    except BaseException:
        _discard_file(document)
        raise
    # The row may still be rolled back by an enclosing transaction (a batch upload that fails later): then the
    # file must go too. Django has no on-rollback hook, so the caller's atomic block removes it (see
    # inspections/ingest/services.py: document_upload) — and here, when we own the transaction, nothing can.
    return document


def _discard_file(document: Document) -> None:
    """Remove a file saved for a row that will not exist. Never raises: the original error matters more."""
    name = document.file.name if document.file else ""
    if name:
        try:
            document.file.storage.delete(name)
        except OSError:
            pass


def document_store_bytes(*, data: bytes, original_name: str, uploaded_by=None) -> Document:
    content = ContentFile(data, name=original_name)
    return document_store(stream=content, original_name=original_name, uploaded_by=uploaded_by)


def read_document_bytes(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _record_duplicate(existing: Document, name: str, uploaded_by) -> Document:
    return Document.objects.create(
        sha256=existing.sha256, original_name=name, size=existing.size, content_type=existing.content_type,
        status=Document.Status.DUPLICATE, duplicate_of=existing, uploaded_by=uploaded_by,
        error=f"Identical to document #{existing.pk} ({existing.original_name}); not stored again.",
    )


def _size_of(stream: IO[bytes]) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _safe_name(name: str) -> str:
    """Only the final path component, without control characters: names like '../../etc/passwd' stay harmless."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".") or "upload"
    # Shortened by its stem only: cutting the whole name at 200 characters lost the extension of a long name.
    return _shorten(base, max_bytes=MAX_NAME_BYTES)


# Filesystems cap a name at 255 *bytes*; 200 accented or CJK characters are far more. Leave room for the
# suffix the storage adds on a name clash.
MAX_NAME_BYTES = 180


def _shorten(name: str, *, max_bytes: int) -> str:
    if len(name.encode()) <= max_bytes:
        return name
    stem, dot, ext = name.rpartition(".")
    ext = f".{ext}" if dot and stem and len(ext.encode()) <= 16 else ""
    stem = name[: len(name) - len(ext)]
    budget = max_bytes - len(ext.encode())
    stem = stem.encode()[:budget].decode("utf-8", "ignore").rstrip(" .")  # never half a character
    return (stem or "upload") + ext
