"""File storage for uploaded documents: Django's FileSystemStorage that never leaves a partial file behind.

Django's `FileSystemStorage._save` writes in chunks and, when a write fails (a full disk: ENOSPC; a quota:
EDQUOT; any I/O error), raises with the half-written file still on disk. Nothing points at that file, so it
would sit in MEDIA_ROOT for ever. Here a failed save removes what it wrote and a full disk becomes a
`StorageFullError` whose message a person can act on.
"""

from __future__ import annotations

import errno
import os

from django.core.files.storage import FileSystemStorage

FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


class StorageFullError(OSError):
    """The storage has no room for the file. `message` is shown to people as is."""

    def __init__(self, message: str):
        super().__init__(errno.ENOSPC, message)
        self.message = message


STORAGE_FULL_MESSAGE = (
    "The document store is full, so the file was not saved (nothing of it was kept). "
    "Ask the operator to free space, then upload it again."
)


class CleanFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content) -> str:
        # `save()` has already chosen an available name, so a file at this path after a failure is ours.
        full_path = self.path(name)
        existed = os.path.lexists(full_path)
        try:
            return super()._save(name, content)
        except OSError as exc:
            if not existed:
                try:
                    os.remove(full_path)
                except FileNotFoundError:
                    pass
            if exc.errno in FULL_ERRNOS:
                raise StorageFullError(STORAGE_FULL_MESSAGE) from exc
            raise
