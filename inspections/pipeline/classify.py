"""Stage 4: what kind of letter each chunk is; non-SEND documents are rejected here."""

from __future__ import annotations

from .types import Classified, LetterChunk, NotSendDocument


def classify(chunk: LetterChunk) -> Classified:
    """Raise NotSendDocument (with a reason a person understands) when the chunk is not a SEND
    inspection letter, report or council summary of one."""
    raise NotSendDocument("Classification is not implemented yet.")
