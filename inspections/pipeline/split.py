"""Stage 3: document text -> the letters it holds (owned by the 2016-parsing work)."""

from __future__ import annotations

from .types import LetterChunk, Span


def split_letters(text: str) -> list[LetterChunk]:
    """Every letter / report / council summary in the text, in order. Exact repeats are kept
    (the writer records them as duplicates)."""
    # TODO(split): real splitting. For now the whole text is one chunk.
    return [LetterChunk(span=Span(0, len(text)), text=text)]
