"""Stage 5: one classified chunk -> a ParsedLetter. One module per document kind."""

from __future__ import annotations

from ..types import Classified, ParsedLetter


def parse_letter(item: Classified, document_text: str) -> ParsedLetter:
    """Spans in the result are offsets into `document_text` (the whole document, not the chunk)."""
    raise NotImplementedError(item.kind)
