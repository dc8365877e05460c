"""Unpack a folder or a zip into the files it holds, with zip-bomb limits. Used by `manage.py import_archive`
(`importer.py`) and by the upload form (a `.zip` upload becomes one Document per member).

Limits (settings, with defaults): ARCHIVE_MAX_MEMBERS files (2,000), ARCHIVE_MAX_TOTAL_BYTES uncompressed in all
(2 GiB), and MAX_UPLOAD_BYTES per file (50 MiB). A zip over the count or total is refused whole before anything is
read. A crafted header understating a size gains nothing: zipfile stops reading a member at its declared size
(and then fails its CRC, so the member is refused as damaged), and reading also stops at the limits. A member too large, encrypted, or itself a zip is refused with its reason; the others go on.

Skipped silently, because they are never documents: directories, macOS resource forks (`__MACOSX/`, `._*`) and
hidden files (`.DS_Store`, names starting with a dot).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

from inspections.pipeline.extract import ZIP, sniff_content_type

CHUNK = 1024 * 1024


class ArchiveRefused(Exception):
    """The whole archive is refused (too many files, too large, not a readable zip); the message says why."""


@dataclass(frozen=True)
class Member:
    """One file of an archive or folder. `path` is relative ('2016/hartlepool.pdf'); `data` is None when the
    file is refused, and then `refusal` says why."""

    path: str
    data: bytes | None
    refusal: str = ""

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


@dataclass(frozen=True)
class Limits:
    max_members: int
    max_total_bytes: int
    max_member_bytes: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_members=settings.ARCHIVE_MAX_MEMBERS, max_total_bytes=settings.ARCHIVE_MAX_TOTAL_BYTES,
            max_member_bytes=settings.MAX_UPLOAD_BYTES,
        )


def is_zip_archive(data: bytes) -> bool:
    """A zip that is not a Word document (content, not name)."""
    return sniff_content_type(data) == ZIP


def _ignored(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return not parts or parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)


def zip_members(stream: IO[bytes], *, limits: Limits, prefix: str = "") -> Iterator[Member]:
    """Each file of the zip in `stream`, in archive order. Raises ArchiveRefused before yielding anything when
    the zip is unreadable or over the count or declared-size limits, and mid-way when the bytes actually
    inflated pass the total limit (a lying header)."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveRefused(f"The zip archive cannot be opened ({exc}).") from exc
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir() and not _ignored(info.filename)]
        if len(infos) > limits.max_members:
            raise ArchiveRefused(
                f"The zip archive holds {len(infos):,} files, more than the limit of {limits.max_members:,}; split it."
            )
        declared = sum(info.file_size for info in infos)
        if declared > limits.max_total_bytes:
            raise ArchiveRefused(
                f"The zip archive unpacks to {declared:,} bytes, more than the limit of {limits.max_total_bytes:,}."
            )
        inflated = 0
        for info in infos:
            path = prefix + info.filename
            if info.flag_bits & 0x1:
                yield Member(path, None, "The file is encrypted in the zip archive; add it unencrypted.")
                continue
            if info.file_size > limits.max_member_bytes:
                yield Member(path, None, f"The file unpacks to {info.file_size:,} bytes, more than the limit of "
                                         f"{limits.max_member_bytes:,}.")
                continue
            try:
                data = _read_capped(archive, info, limits.max_member_bytes)
            except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
                yield Member(path, None, f"The file is damaged in the zip archive and cannot be unpacked ({exc}).")
                continue
            if data is None:
                yield Member(path, None, f"The file unpacks to more than the limit of {limits.max_member_bytes:,} bytes.")
                continue
            inflated += len(data)
            if inflated > limits.max_total_bytes:
                raise ArchiveRefused(
                    f"The zip archive unpacks to more than the limit of {limits.max_total_bytes:,} bytes "
                    "(its headers understate the sizes); nothing further was unpacked."
                )
            if sniff_content_type(data) == ZIP:
                yield Member(path, None, "The file is a zip archive inside the archive; unpack it and import its files.")
                continue
            yield Member(path, data)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes | None:
    """The member's bytes, or None when they pass `cap` (whatever its header declared)."""
    out = io.BytesIO()
    with archive.open(info) as handle:
        while block := handle.read(CHUNK):
            if out.tell() + len(block) > cap:
                return None
            out.write(block)
    return out.getvalue()


def folder_members(root: Path, *, limits: Limits) -> Iterator[Member]:
    """Each file under `root` (sorted, nested folders included; a zip inside is unpacked in place), paths
    relative to `root`. Symbolic links are not followed: a folder must not reach outside itself."""
    files = []
    for directory, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
        for name in sorted(names):
            path = Path(directory) / name
            relative = path.relative_to(root).as_posix()
            if not _ignored(relative) and not path.is_symlink() and path.is_file():
                files.append((relative, path))
    files.sort()  # one order for the whole tree, whatever order the walk visits folders in
    if len(files) > limits.max_members:
        raise ArchiveRefused(f"The folder holds {len(files):,} files, more than the limit of {limits.max_members:,}.")
    for relative, path in files:
        size = path.stat().st_size
        with path.open("rb") as handle:
            is_zip = handle.read(4).startswith(b"PK")
        # A zip inside the folder may be as large as the whole import; any other file as large as one upload.
        limit = limits.max_total_bytes if is_zip else limits.max_member_bytes
        if size > limit:
            yield Member(relative, None, f"The file is {size:,} bytes, more than the limit of {limit:,}.")
            continue
        data = path.read_bytes()
        if sniff_content_type(data) == ZIP:
            try:
                yield from zip_members(io.BytesIO(data), limits=limits, prefix=f"{relative}/")
            except ArchiveRefused as exc:
                yield Member(relative, None, str(exc))
            continue
        if size > limits.max_member_bytes:  # a zip-signed file that is a (large) Word document
            yield Member(relative, None, f"The file is {size:,} bytes, more than the limit of {limits.max_member_bytes:,}.")
            continue
        yield Member(relative, data)


def archive_members(path: Path, *, limits: Limits | None = None) -> Iterator[Member]:
    """A folder's or a zip file's members (see folder_members / zip_members). Raises ArchiveRefused, or
    FileNotFoundError when `path` does not exist."""
    limits = limits or Limits.from_settings()
    if path.is_dir():
        yield from folder_members(path, limits=limits)
        return
    if not path.is_file():
        raise FileNotFoundError(f"{path} is neither a folder nor a file.")
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0)
        if not head.startswith(b"PK"):
            raise ArchiveRefused(f"{path.name} is not a zip archive or a folder.")
        yield from zip_members(handle, limits=limits)


def readable_type(data: bytes) -> bool:
    """Whether the pipeline reads this content as one document (DOCX included, archives not)."""
    kind = sniff_content_type(data)
    return bool(kind) and kind != ZIP



def unpack_upload(upload) -> tuple[list, list[tuple[str, str]]]:
    """A zip upload (by content) as ([one SimpleUploadedFile per member], [(name, refusal reason), ...]); each
    member is then checked by the upload form like any file. Raises ArchiveRefused for the whole zip."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload.seek(0)
    files, refusals = [], []
    for member in zip_members(upload, limits=Limits.from_settings(), prefix=f"{upload.name}/"):
        if member.data is None:
            refusals.append((member.path, member.refusal))
        else:
            files.append(SimpleUploadedFile(member.name, member.data))
    upload.seek(0)
    return files, refusals
