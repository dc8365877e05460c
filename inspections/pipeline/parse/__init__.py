"""Stage 5: one classified chunk -> a ParsedLetter. One module per document kind."""

from __future__ import annotations

from ..types import Classified, ParsedLetter


def parse_letter(item: Classified, document_text: str) -> ParsedLetter:
    """Spans in the result are offsets into `document_text` (the whole document, not the chunk)."""
    if item.framework == "2016":
        if item.source_kind == "secondary":
            from .secondary_2016 import parse_secondary

            return parse_secondary(item, document_text)
        if item.kind == "initial_inspection":
            from .initial_2016 import parse_initial

            return parse_initial(item, document_text)
        if item.kind == "revisit":
            from .revisit_2016 import parse_revisit

            return parse_revisit(item, document_text)
    if item.framework == "2023":
        if item.source_kind == "secondary":
            from .secondary_2023 import parse_secondary_2023

            return parse_secondary_2023(item, document_text)
        if item.kind == "full_inspection":
            from .report_2023 import parse_report

            return parse_report(item, document_text)
        if item.kind == "monitoring_inspection":
            from .monitoring_2023 import parse_monitoring

            return parse_monitoring(item, document_text)
    raise ValueError(f"No parser for {item.framework} {item.kind} ({item.source_kind})")
