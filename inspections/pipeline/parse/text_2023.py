"""Reading the text of 2023-framework area SEND reports (full and monitoring inspections).

The reports are Ofsted PDFs. PDFium's text arrives with:
- a page footer at the top of every page after the first ("Area SEND inspection report: X Local Area Partnership,
  11 to 15 March 2024 7"), sometimes wrapped over two or three lines, sometimes prefixed only "Inspection report:",
  sometimes glued to the first words of the page;
- a line-end hyphen marked with U+0002 (or U+FFFE) with the halves joined ("neuro\\x02developmental");
- tables read row by row: a two-column row comes out as all of the left cell's lines, then the right cell's.

`clean_report` drops the footers and page breaks and keeps, for every kept character, its offset in the document
(`Cleaned` from common.py), so every fact found here still points at the exact source characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .common import Cleaned, PosMap, is_noise_line, normalise_ws

# The footer ends at the page number that follows the year of the inspection dates; it may wrap anywhere.
FOOTER_RE = re.compile(
    r"^[ \t\f]*(?:Area[ \t]+SEND[ \t]+)?(?:monitoring[ \t]+)?inspection[ \t]+report[ \t]*:"
    r"[^\n]*?(?:\n[^\n]*?){0,2}?\b(?:19|20)\d\d[ \t]*\n?[ \t]*\d{1,3}[ \t]*(?=\n|$|[A-Z])",
    re.I | re.M,
)
# PDFium's marks for a hyphen at a line end; same length as '-', so offsets do not move.
_SOFT_HYPHEN_MARKS = ("\x02", "\ufffe")
# A bullet glyph; or 'o' and a tab, Word's second-level bullet when a document is saved as plain text.
BULLET_RE = re.compile(r"^[ \t]*(?:[•◼■▪●○◦▫□➢►▶✓·\-−–—][ \t]+|o\t[ \t]*)|^[ \t]*[•◼■▪●○◦▫□➢►▶✓·−][ \t]*$")


_LONE_BULLET = re.compile(r"^[ \t]*[•◼■▪●○◦▫□➢►▶✓·−][ \t]*$")


def clean_report(document_text: str, start: int = 0, end: int | None = None) -> Cleaned:
    """document_text[start:end] without page footers, form feeds and carriage returns."""
    end = len(document_text) if end is None else end
    drop: list[tuple[int, int]] = [(m.start(), m.end()) for m in FOOTER_RE.finditer(document_text, start, end)]
    drop += _furniture_lines(document_text, start, end, drop)
    for ch in "\f\r":
        at = document_text.find(ch, start, end)
        while at != -1:
            drop.append((at, at + 1))
            at = document_text.find(ch, at + 1, end)
    drop.sort()
    parts: list[str] = []
    pos = PosMap()
    cursor = start
    for a, b in drop:
        if a > cursor:
            parts.append(document_text[cursor:a])
            pos.add(cursor, a - cursor)
        cursor = max(cursor, b)
    if cursor < end:
        parts.append(document_text[cursor:end])
        pos.add(cursor, end - cursor)
    text = "".join(parts)
    # str.translate with a mapping is slow on non-ASCII text; two replaces of absent characters cost nothing.
    for mark in _SOFT_HYPHEN_MARKS:
        if mark in text:
            text = text.replace(mark, "-")
    return Cleaned(text, pos)


# The report's title repeated as a running page header (a council's Word -> PDF copy): dropped after the heading block.
_RUNNING_TITLE = re.compile(
    r"[ \t\f]*Area[ \t]+SEND[ \t]+(?:monitoring[ \t]+)?inspection[ \t]+of[ \t]+.{2,100}?Local[ \t]+Area[ \t]+Partnership[ \t]*", re.I
)
_HEADING_BLOCK = 400


def _furniture_lines(text: str, start: int, end: int, footers: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Whole lines of other publishers' page furniture ("Page 3 of 9", a bare page number, www.gov.uk/ofsted,
    'Reference no: …', © Crown copyright, the title as a running header): what common.clean drops from letters.
    A line an Ofsted footer already claimed is left to FOOTER_RE (the page's first words may be glued to it)."""
    out = []
    at = start
    k = 0
    for line in text[start:end].split("\n"):
        n = len(line)
        while k < len(footers) and footers[k][1] < at:
            k += 1
        claimed = k < len(footers) and footers[k][0] <= at + n
        if n < 130 and not claimed and (is_noise_line(line) or (at - start > _HEADING_BLOCK and _RUNNING_TITLE.fullmatch(line))):
            out.append((at, at + n))
        at += n + 1
    return out


def page_breaks(c: Cleaned, document_text: str) -> list[int]:
    """Clean-text offsets where a new page begins: where the text dropped between two kept runs holds a form feed
    or a page footer. A table row broken by a page keeps the left cell's lines after the break (see
    report_2023._rejoin_broken_rows)."""
    out = []
    runs = list(zip(c.pos.cstarts, c.pos.dstarts))
    for k in range(1, len(runs)):
        prev_c, prev_d = runs[k - 1]
        prev_end = prev_d + (runs[k][0] - prev_c)  # document offset just after the previous run
        gap = document_text[prev_end : runs[k][1]]
        if "\f" in gap or FOOTER_RE.search(gap):
            out.append(runs[k][0])
    return out


@dataclass
class Line:
    """One line of clean text: text[start:end] (no newline), stripped of trailing blanks."""

    start: int
    end: int
    text: str
    indent: int = 0  # leading blanks in the source line (DOCX/HTML list nesting; PDF text has none)

    @property
    def bullet(self) -> bool:
        return bool(BULLET_RE.match(self.text))


def lines_in(c: Cleaned, start: int, end: int) -> list[Line]:
    """Lines of clean text[start:end] that hold words (not blank, not a bullet glyph alone)."""
    out = []
    for m in re.finditer(r"[^\n]+", c.text[start:end]):
        raw = m.group(0)
        stripped = raw.rstrip()
        lead = len(raw) - len(raw.lstrip())
        if stripped.strip() and not _LONE_BULLET.match(stripped):
            out.append(Line(start + m.start() + lead, start + m.start() + len(stripped), stripped.strip(), lead))
    return out


def unwrapped(c: Cleaned) -> bool:
    """True when each line of the text is a whole paragraph (text from Word or a web page), not a PDF's wrapped
    column: many lines far longer than a report's column (~115 characters; a PDF line PDFium glued at a hyphen is
    the rare exception, a few per report).
    Callers rule out text with page breaks first: a PDF's (or its text dump's) lines are wrapped, however wide."""
    lengths = [len(line) for line in c.text.split("\n") if len(line) >= 40]
    long = sum(1 for n in lengths if n > 125)
    return long >= 3 and long >= 0.25 * len(lengths)


def join_item_lines(lines: list[Line]) -> str:
    """Lines of one list item as one string: bullets become '•', a line-end hyphen between letters joins words."""
    pieces: list[str] = []
    for line in lines:
        text = line.text
        if line.bullet:
            body = BULLET_RE.sub("", text, count=1).strip()
            if not body:
                continue  # a bullet glyph alone on its line (an empty list item in the source)
            text = "• " + body
        if pieces and re.search(r"[A-Za-z]-$", pieces[-1]) and re.match(r"[a-z]", text):
            pieces[-1] = pieces[-1] + text
        else:
            pieces.append(text)
    return normalise_ws(" ".join(pieces))


# --- table rows written with cell separators --------------------------------------------------------------------

# A table row as text keeps its cells apart with a separator: a tab (DOCX and HTML extraction), or a pipe between
# cells ("Derby City Council | Leaders should …", Markdown's "| body | action |"), as text copied from a web page,
# an e-mail or a wiki is written. A rule row ("|---|---|") only draws the table.
_PIPE_ROW = re.compile(r"\S[ \t]*\|[ \t]*\S|^[ \t]*\|[ \t]*\S")
_RULE_ROW = re.compile(r"[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?[ \t]*)?")


def table_cells(line: str) -> list[tuple[int, str]] | None:
    """The cells of one line of text that is a table row -> [(offset of the cell's text in `line`, cell text)], cells
    stripped; [] for a rule row ("|---|---|"); None when the line is not a table row (no tab, no pipe between words).

    A tab splits once (DOCX/HTML: 'body<TAB>action', the action may hold further tabs); pipes split every cell, and
    the outer pipes of a Markdown row ("| a | b |") open and close the row rather than hold empty cells. An inner
    empty cell ("| | action |", a cell merged with the row above) is kept as ''."""
    if "\t" in line.strip():
        raw = line.split("\t", 1)
        at = [0, len(raw[0]) + 1]
    elif "|" in line and _PIPE_ROW.search(line):
        if _RULE_ROW.fullmatch(line):
            return []
        raw = line.split("|")
        at = []
        pos = 0
        for piece in raw:
            at.append(pos)
            pos += len(piece) + 1
        if not raw[0].strip():  # the outer pipes of a Markdown row
            raw, at = raw[1:], at[1:]
        if raw and not raw[-1].strip():
            raw, at = raw[:-1], at[:-1]
    else:
        return None
    return [(a + len(piece) - len(piece.lstrip()), piece.strip()) for a, piece in zip(at, raw)]
