"""Unpack a folder or a zip into the files it holds, with zip-bomb limits. Used by `manage.py import_archive`
(`importer.py`) and by the upload form (a `.zip` upload becomes one Document per member).

Limits (settings, with defaults): ARCHIVE_MAX_MEMBERS files (2,000), ARCHIVE_MAX_TOTAL_BYTES uncompressed in all
(2 GiB) — for an upload, in all the zips of one request together (a `Budget` the form shares between them) — and
MAX_UPLOAD_BYTES per file (50 MiB). A zip over the count or total is refused whole before anything is read. An
upload's members are streamed into temporary files (`unpack_upload`), never inflated whole in memory; a member
whose path is absolute or climbs out with '..' is refused with the reason. A crafted header understating a size gains nothing: zipfile stops reading a member at its declared size
(and then fails its CRC, so the member is refused as damaged), and reading also stops at the limits. A member too large, encrypted, or itself a zip is refused with its reason; the others go on.

Skipped silently, because they are never documents: directories, macOS resource forks (`__MACOSX/`, `._*`) and
hidden files (`.DS_Store`, names starting with a dot).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

from inspections.pipeline.extract import ZIP, sniff_content_type, zip_content_type

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
    file: IO[bytes] | None = None  # instead of `data` when unpacked into a file (zip_members' `sink`)
    size: int = 0

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


def unsafe_path(path: str) -> str:
    """Why a member's stored path is unsafe ('' when it is not): absolute, or climbing out with '..'. Such a name
    is how an archive writes outside the folder it is unpacked into ("zip slip"); nothing here writes by member
    name, but a person must still see that the member was refused, and why."""
    normal = path.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":" and normal[0].isalpha()):
        return f"Refused: its path in the zip archive ({path[:120]}) is absolute; an archive must hold relative paths."
    if ".." in normal.split("/"):
        return f"Refused: its path in the zip archive ({path[:120]}) climbs out of the archive's folder with '..'."
    return ""


def _ignored(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return not parts or parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)


@dataclass
class Budget:
    """Inflated bytes still allowed: one budget is shared by every zip of one upload request (four 2 GB zips in
    one request must not get 2 GB each), or by one import."""

    left: int

    def take(self, size: int) -> bool:
        if size > self.left:
            return False
        self.left -= size
        return True


def zip_members(
    stream: IO[bytes], *, limits: Limits, prefix: str = "", budget: Budget | None = None,
    sink: Callable[[], IO[bytes]] | None = None,
) -> Iterator[Member]:
    """Each file of the zip in `stream`, in archive order. Raises ArchiveRefused before yielding anything when
    the zip is unreadable or over the count or declared-size limits (against `budget` when given: what is left of
    the request's), and mid-way when the bytes actually inflated pass it (a lying header).

    A member's bytes are in `Member.data`; with `sink` (a factory of writable binary files, e.g. temporary files)
    they are streamed into a new sink file instead, returned as `Member.file` (positioned at 0), and never held
    whole in memory. A member with an absolute path or '..' is refused with the reason (unsafe_path)."""
    budget = budget if budget is not None else Budget(limits.max_total_bytes)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveRefused(f"The zip archive cannot be opened ({exc}).") from exc
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        unsafe = {id(info): unsafe_path(info.filename) for info in entries}
        infos = [info for info in entries if unsafe[id(info)] or not _ignored(info.filename)]
        if len(infos) > limits.max_members:
            raise ArchiveRefused(
                f"The zip archive holds {len(infos):,} files, more than the limit of {limits.max_members:,}; split it."
            )
        declared = sum(info.file_size for info in infos if not unsafe[id(info)])
        if declared > budget.left:
            spent = limits.max_total_bytes - budget.left
            also = f" with the {spent:,} bytes already unpacked from this upload's other archives" if spent > 0 else ""
            raise ArchiveRefused(
                f"The zip archive unpacks to {declared:,} bytes{also}, more than the limit of {limits.max_total_bytes:,}."
            )
        for info in infos:
            path = prefix + info.filename
            if unsafe[id(info)]:
                yield Member(path, None, unsafe[id(info)])
                continue
            if info.flag_bits & 0x1:
                yield Member(path, None, "The file is encrypted in the zip archive; add it unencrypted.")
                continue
            if info.file_size > limits.max_member_bytes:
                yield Member(path, None, f"The file unpacks to {info.file_size:,} bytes, more than the limit of "
                                         f"{limits.max_member_bytes:,}.")
                continue
            out = sink() if sink else io.BytesIO()
            try:
                size = _read_capped(archive, info, min(limits.max_member_bytes, budget.left), out)
            except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
                out.close()
                yield Member(path, None, f"The file is damaged in the zip archive and cannot be unpacked ({exc}).")
                continue
            if size is None:
                out.close()
                if budget.left < limits.max_member_bytes:
                    raise ArchiveRefused(
                        f"The zip archive unpacks to more than the limit of {limits.max_total_bytes:,} bytes "
                        "(its headers understate the sizes); nothing further was unpacked."
                    )
                yield Member(path, None, f"The file unpacks to more than the limit of {limits.max_member_bytes:,} bytes.")
                continue
            budget.take(size)
            out.seek(0)
            if sniff_file(out) == ZIP:
                out.close()
                yield Member(path, None, "The file is a zip archive inside the archive; unpack it and import its files.")
                continue
            if sink:
                yield Member(path, None, file=out, size=size)
            else:
                yield Member(path, out.getvalue())


def sniff_file(handle: IO[bytes]) -> str:
    """sniff_content_type for a file, reading only its head (and, for a zip, its table of contents): never the
    whole file into memory. Leaves the position at 0."""
    handle.seek(0)
    head = handle.read(2048)
    try:
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):  # extract._ZIP_SIGNATURES
            try:
                with zipfile.ZipFile(handle) as zf:
                    return zip_content_type(zf)  # a Word document or a dataset spreadsheet is one file, not an archive
            except zipfile.BadZipFile:
                return ""
        return sniff_content_type(head)
    finally:
        handle.seek(0)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, out: IO[bytes]) -> int | None:
    """Stream the member into `out`, a block at a time; its size, or None once it passes `cap` (whatever its
    header declared)."""
    written = 0
    with archive.open(info) as handle:
        while block := handle.read(CHUNK):
            written += len(block)
            if written > cap:
                return None
            out.write(block)
    return written


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



def unpack_upload(upload, *, budget: Budget | None = None) -> tuple[list, list[tuple[str, str]]]:
    """A zip upload (by content) as ([one UploadedFile per member], [(name, refusal reason), ...]); each member is
    then checked by the upload form like any file. Members are streamed into temporary files (Django's
    TemporaryUploadedFile, in FILE_UPLOAD_TEMP_DIR; deleted when closed), never inflated whole in memory.
    `budget`: what is left of the request's inflated-bytes limit, shared by all its zips (Budget). Raises
    ArchiveRefused for the whole zip."""
    from django.core.files.uploadedfile import TemporaryUploadedFile

    limits = Limits.from_settings()
    made: list[TemporaryUploadedFile] = []

    def temporary() -> IO[bytes]:
        made.append(TemporaryUploadedFile("member", "application/octet-stream", 0, None))
        return made[-1].file

    upload.seek(0)
    files, refusals = [], []
    try:
        for member in zip_members(upload, limits=limits, prefix=f"{upload.name}/", budget=budget, sink=temporary):
            if member.file is None:
                refusals.append((member.path, member.refusal))
                continue
            wrapper = next(f for f in made if f.file is member.file)
            wrapper.name, wrapper.size = member.name, member.size
            files.append(wrapper)
    except BaseException:
        for wrapper in made:
            wrapper.close()
        raise
    finally:
        upload.seek(0)
    return files, refusals
