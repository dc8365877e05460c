"""Stage 2: bytes -> text. File type is decided by content, never by the file name.

PDF text comes from pypdfium2 (PDFium's own text layer: fast, permissive
licence; pdfminer.six was ~25x slower on the shared reports). Pages are joined
with a form feed ("\f") so later stages can tell where a page started.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import logging
import os
import pickle
import re
import resource
import signal
import threading
import traceback
import zipfile

from .types import ExtractedText, ExtractionError

MAX_PAGES = 400
MAX_CHARS = 5_000_000

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheets are datasets (Ofsted's statistics and management information), read by inspections/datasets/
# before text extraction; extract_text refuses one that reached it (no dataset's headings).
SUPPORTED = {PDF: "PDF", DOCX: "Word (DOCX)", HTML: "HTML", TEXT: "plain text", ODS: "OpenDocument spreadsheet (a dataset)",
             XLSX: "Excel workbook (a dataset)"}
ZIP = "application/zip"  # not in SUPPORTED: an archive is unpacked (ingest/sources/archive.py), never read whole

_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >]|<table|<h[1-6])", re.I)


# An XHTML declaration and comments may come first ("<!-- saved from url=... -->" in pages saved by a browser).
_HTML_PROLOG = re.compile(rb"^(?:\s*<\?xml[^>]{0,200}\?>|\s*<!--.{0,1000}?-->)+", re.S)


# Containers are recognised by their signature at offset 0, before anything else: a zip that stores a PDF
# uncompressed has "%PDF-" in its first kilobyte, and taking it for a PDF read only one member (issue 14).
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OTHER_CONTAINERS = (b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"BZh", b"\xfd7zXZ\x00")
# A PDF header: "%PDF-1.7". Readers accept up to 1 KiB of junk before it (a MacBinary header, a mail prefix).
_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")


def zip_content_type(zf: zipfile.ZipFile) -> str:
    """What a zip is, from its table of contents: a Word document, a spreadsheet (XLSX, ODS: Ofsted's datasets),
    else ZIP (an archive to unpack). The ODS `mimetype` member is read only up to 100 bytes (never a bomb)."""
    names = set(zf.namelist())
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "mimetype" in names:
        with zf.open("mimetype") as handle:
            if handle.read(100).strip() == ODS.encode():
                return ODS
    return ZIP


def sniff_content_type(data: bytes) -> str:
    """The content type from the first bytes (and, for a zip, its table of contents); '' when it is none we
    read. ZIP is returned for a zip that is not a Word document: an archive, which the upload and import paths
    unpack and the pipeline refuses with that reason. Other archives (gzip, 7z, rar, bzip2, xz) are ''."""
    head = data[:2048]
    if head.startswith(_ZIP_SIGNATURES):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return zip_content_type(zf)
        except zipfile.BadZipFile:
            return ""
    if head.startswith(_OTHER_CONTAINERS):
        return ""
    if _PDF_HEADER.search(head[:1024]):
        return PDF
    if _HTML_SNIFF.match(_HTML_PROLOG.sub(b"", head.lstrip(b"\xef\xbb\xbf"))):
        return HTML
    if _looks_like_text(head):
        return TEXT
    return ""


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 2 KiB window is still text.
        if exc.start >= len(head) - 3:
            return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control / len(head) < 0.01


def extract_text(data: bytes, *, max_pages: int = MAX_PAGES, max_chars: int = MAX_CHARS) -> ExtractedText:
    if not data:
        raise ExtractionError("The file is empty (0 bytes).")
    content_type = sniff_content_type(data)
    if content_type == PDF:
        result = _pdf_text(data, max_pages=max_pages)
    elif content_type == DOCX:
        result = _docx_text(data)
    elif content_type == HTML:
        result = ExtractedText(text=_html_text(_decode(data)), content_type=HTML)
    elif content_type == TEXT:
        result = ExtractedText(text=_decode(data), content_type=TEXT)
    elif content_type == ZIP:
        raise ExtractionError(_archive_refusal(data))
    elif content_type in (ODS, XLSX):
        raise ExtractionError("The file is a spreadsheet: sendtracker reads spreadsheets only as datasets (inspections/datasets/), not as letters.")
    else:
        raise ExtractionError(
            "The file is not a type sendtracker reads: it is not a PDF, Word (DOCX), HTML or plain-text file "
            "(checked by its content, not its name)."
        )
    result.text = normalise_text(result.text)
    if len(result.text) > max_chars:
        raise ExtractionError(
            f"The file holds {len(result.text):,} characters of text, more than the limit of {max_chars:,}: "
            "it is not a single inspection document."
        )
    if not result.text.strip():
        kind = SUPPORTED[result.content_type]
        hint = " It may be a scan without a text layer; sendtracker does not run OCR." if result.content_type == PDF else ""
        raise ExtractionError(f"The {kind} file contains no text.{hint}")
    return result


# Typography that changes no meaning but defeats word patterns: ligatures from PDF fonts, Word's non-breaking
# hyphen, no-break and thin spaces (which `[ \t]` in patterns does not match), zero-width characters.
_TYPOGRAPHY = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
    "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "",
}
_TYPOGRAPHY_RE = re.compile("[" + "".join(_TYPOGRAPHY) + "]")
_SOFT_HYPHEN_AT_END = re.compile("\u00ad[ \t]*\n")


def normalise_text(text: str) -> str:
    """Line ends to \\n, PDFium's soft hyphen marker to '-', no NULs or BOM, typography folded (see _TYPOGRAPHY).

    Runs once, before any span is taken: every offset later points into this text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # PDFium marks a hyphen at a line end with U+FFFE and joins the halves; most are real compounds (co-production).
    text = text.replace("\ufffe", "-").replace("\x00", "").replace("\ufeff", "")
    if "\u00ad" in text:  # a soft hyphen breaking a line is printed as '-'; elsewhere it is invisible
        text = _SOFT_HYPHEN_AT_END.sub("-\n", text).replace("\u00ad", "")
    if _TYPOGRAPHY_RE.search(text):
        text = _TYPOGRAPHY_RE.sub(lambda m: _TYPOGRAPHY[m.group(0)], text)
    return unflatten_letter_lines(text)


# A letter copied from a web page or a PDF viewer can arrive flattened onto one line: letterhead, date, salutation,
# title and body run together ("... NG1 6HJ 2 March 2020 Dear Ms Fenwick Joint local area SEND inspection in Rutland
# Between 10 February ..."). Every later stage reads a letter's furniture line by line, so such a line is given its
# line breaks back, at the furniture only. Each break replaces one space: the text keeps its length and offsets.
_FLAT_MIN_CHARS = 300  # shorter lines are headings or sentences, never a whole letter
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_FLAT_DATE = rf"\d{{1,2}}(?:st|nd|rd|th)?[ ]{_MONTHS}[ ]\d{{4}}"
_FLAT_TITLE = (
    r"(?:Joint[ ](?:local[ ])?area|Local[ ]area)[ ]SEND[ ](?:inspection|re-?visit)[ ](?:in|of|for)[ ]"
    r"|Area[ ]SEND[ ](?:full[ ]|monitoring[ ])?inspection[ ]of[ ]"
)
# Furniture that opens a line of its own (case-sensitive: capitals mark the furniture, prose is lower case).
_FLAT_FURNITURE = re.compile(
    rf"(?<=[^\n]) (?=Dear[ ](?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam|Councillor|Colleague|[A-Z][a-z]+[ ][A-Z])"  # salutation
    rf"|{_FLAT_TITLE}"  # title
    rf"|Yours[ ](?:sincerely|faithfully)\b"  # sign-off
    rf"|{_FLAT_DATE}[ ](?:Dear|Mr|Mrs|Ms|Miss|Dr|Councillor|{_FLAT_TITLE}))"  # the letter's date, after the letterhead
)
# After "Yours sincerely" comes the signatory's name; after a title's area name, the opening sentence; after the
# letter's date, the salutation or title.
_FLAT_AFTER_SIGN_OFF = re.compile(r"(?:(?<=sincerely)|(?<=faithfully)),? (?=[A-Z])")
_FLAT_TITLE_END = re.compile(
    rf"(?<=\n)(?:{_FLAT_TITLE})[^\n.]{{2,80}}?(?P<gap> )(?=(?:Between|During|From|On|Over|In)[ ]\d|(?:Ofsted|The|Inspectors)[ ])"
)
_FLAT_DATE_END = re.compile(rf"(?<=\n){_FLAT_DATE}(?P<gap> )")
_FLAT_SIGNAL = re.compile(r"Dear |Yours (?:sincerely|faithfully)|Ofsted Agora|Cumberland Place|Piccadilly Gate|" + _FLAT_TITLE)


def unflatten_letter_lines(text: str) -> str:
    """Line breaks restored before a flattened letter's furniture (see above); other text is returned unchanged.

    Only a long line holding at least two kinds of letter furniture is touched, so prose that merely mentions
    "Dear" or a title is left alone."""
    if len(text) < _FLAT_MIN_CHARS:
        return text
    out, changed = [], False
    for line in text.split("\n"):
        if len(line) >= _FLAT_MIN_CHARS and len({m.group(0)[:4] for m in _FLAT_SIGNAL.finditer(line)}) >= 2:
            new = _FLAT_FURNITURE.sub("\n", line)
            new = _FLAT_AFTER_SIGN_OFF.sub(lambda m: m.group(0)[:-1] + "\n", new)
            for rx in (_FLAT_TITLE_END, _FLAT_DATE_END):
                new = rx.sub(lambda m: m.group(0)[: m.start("gap") - m.start()] + "\n" + m.group(0)[m.end("gap") - m.start() :], new)
            changed = changed or new != line
            line = new
        out.append(line)
    return "\n".join(out) if changed else text


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _pdf_text(data: bytes, *, max_pages: int) -> ExtractedText:
    """Every page's text. A file holding several PDFs joined end to end is read document by document, pages in
    file order: PDFium (like every reader) follows the last cross-reference table and would show only the last
    document, silently losing the others (issue 14)."""
    parts = split_concatenated_pdfs(data)
    pages: list[str] = []
    for index, part in enumerate(parts, start=1):
        try:
            pages.extend(_pdf_pages(part, max_pages=max_pages - len(pages), total_pages=len(pages)))
        except ExtractionError as exc:
            if len(parts) == 1:
                raise
            raise ExtractionError(
                f"The file holds {len(parts)} PDF documents joined end to end, and document {index} cannot be read: "
                f"{exc}"
            ) from exc
    return ExtractedText(text="\n\f".join(pages), content_type=PDF, pages=len(pages))


# Where one PDF ends and the next begins when files were concatenated ("cat a.pdf b.pdf"): an end-of-file
# marker, optional whitespace, then a new header. An incremental update adds "%%EOF" sections but no new
# header, so it stays one document.
_PDF_JOIN = re.compile(rb"%%EOF[ \t\r\n\x00]*(?=%PDF-\d\.\d)")


def split_concatenated_pdfs(data: bytes) -> list[bytes]:
    """The separate PDF documents in `data`, in order: [data] for an ordinary PDF (with or without
    incremental updates); several items when whole PDFs were joined end to end."""
    cuts = [m.end() for m in _PDF_JOIN.finditer(data)]
    if not cuts:
        return [data]
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:]) if data[a:b].strip()]


def _pdf_pages(data: bytes, *, max_pages: int, total_pages: int = 0) -> list[str]:
    """The text of each page of one PDF. `max_pages` is what is left of the limit; `total_pages` the pages
    already read from earlier documents of the same file (for the message)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise ExtractionError("The PDF is encrypted with a password; upload an unprotected copy.") from exc
        raise ExtractionError(f"The PDF is damaged and cannot be opened ({exc}).") from exc
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise ExtractionError("The PDF has no pages.")
        if n_pages > max_pages:
            limit = max_pages + total_pages
            raise ExtractionError(
                f"The PDF has {n_pages + total_pages:,} pages, more than the limit of {limit:,}: it is not a single inspection document."
            )
        pages = []
        for index in range(n_pages):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(textpage.get_text_bounded())
                finally:
                    textpage.close()
            finally:
                page.close()
        return pages
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"The PDF is damaged: a page could not be read ({exc}).") from exc
    finally:
        pdf.close()


def _archive_refusal(data: bytes) -> str:
    """Why a zip archive is not read as one document, naming how many files it holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            count = sum(1 for info in zf.infolist() if not info.is_dir())
    except zipfile.BadZipFile:
        count = 0
    return (
        f"The file is a zip archive of {count} file(s), not a type sendtracker reads as one document: upload it "
        "on the upload page or import it with `manage.py import_archive`, which store each file in it separately."
    )


def _docx_text(data: bytes) -> ExtractedText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        _refuse_zip_bomb(data)
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, XMLSyntaxError) as exc:
        raise ExtractionError(f"The Word file is damaged and cannot be opened ({exc}).") from exc
    lines: list[str] = []
    _docx_blocks(document.element.body, lines)
    return ExtractedText(text="\n".join(lines), content_type=DOCX)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _docx_blocks(container, lines: list[str]) -> None:
    """Body order matters (a letter's list may sit in a table): paragraphs and tables as they come, including
    those inside content controls (<w:sdt>). A Word list paragraph keeps a marker ('• ', indented two spaces per
    list level): its glyph or number is Word numbering, not text, and the parsers need to see where items start."""
    for block in container.iterchildren():
        tag = _local(block.tag)
        if tag == "p":
            lines.append(_docx_list_marker(block) + _docx_runs_text(block))
        elif tag == "tbl":
            for row in block.iterchildren():
                if _local(row.tag) != "tr":
                    continue
                cells = []
                for cell in row.iterchildren():
                    if _local(cell.tag) == "sdt":  # a content control around a cell
                        cell = next((c for c in cell.iter() if _local(c.tag) == "tc"), None)
                        if cell is None:
                            continue
                    if _local(cell.tag) != "tc":
                        continue
                    inner: list[str] = []
                    _docx_blocks(cell, inner)
                    cells.append([" ".join(piece.split()) for piece in inner if piece.strip()])
                lines.extend(_row_lines(cells))
        elif tag in ("sdt", "sdtContent", "customXml", "ins", "smartTag"):
            _docx_blocks(block if tag != "sdt" else next((c for c in block.iterchildren() if _local(c.tag) == "sdtContent"), block), lines)


def _docx_list_marker(paragraph) -> str:
    """'• ' (indented per level) for a Word list paragraph: numbering in the paragraph, or a List Bullet/Number style."""
    ppr = next((c for c in paragraph.iterchildren() if _local(c.tag) == "pPr"), None)
    if ppr is None:
        return ""
    style, level, numbered = "", 0, False
    for child in ppr.iterchildren():
        name = _local(child.tag)
        if name == "pStyle":
            style = next((v for k, v in child.attrib.items() if k.endswith("}val")), "")
        elif name == "numPr":
            num_id = ilvl = None
            for part in child.iterchildren():
                value = next((v for k, v in part.attrib.items() if k.endswith("}val")), None)
                if _local(part.tag) == "numId":
                    num_id = value
                elif _local(part.tag) == "ilvl":
                    ilvl = value
            numbered = num_id not in (None, "0")
            if ilvl and ilvl.isdigit():
                level = int(ilvl)
    if re.match(r"(?i)heading|title|subtitle|toc", style):
        return ""  # numbered headings are headings, not list items
    if not numbered:
        m = re.fullmatch(r"(?i)List(?:Bullet|Number)(\d)?", style)
        if not m:
            return ""
        level = max(level, int(m.group(1)) - 1 if m.group(1) else 0)
    return "  " * min(level, 8) + "• "


def _docx_runs_text(paragraph) -> str:
    """A paragraph's text: runs, tabs, line breaks (as new lines) and Word's special hyphens; deleted text and the
    fallback copy of alternate content (text boxes) are not read twice."""
    out: list[str] = []
    stack = [paragraph]
    while stack:
        node = stack.pop()
        name = _local(node.tag)
        if name in ("t", "delText", "instrText"):
            if name == "t":
                out.append(node.text or "")
            continue
        if name == "tab" and _local(node.getparent().tag) == "r":
            out.append("\t")
        elif name in ("br", "cr"):
            out.append("\n")
        elif name == "noBreakHyphen":
            out.append("-")
        elif name in ("Fallback", "del", "pPr", "rPr"):
            continue
        stack.extend(reversed(list(node.iterchildren())))
    return "".join(out)


_TYPED_NUMBER = re.compile(r"(\d{1,2})[.)]\s")


def _row_lines(cells: list[list[str]]) -> list[str]:
    """A table row as text: its cells joined by tabs, each cell's paragraphs joined by spaces (a row is one record:
    a responsible body and its action, one area for improvement). A one-cell row whose paragraphs are a typed
    numbered list ("1. …", "2. …": several areas in one cell) keeps one line a paragraph, so the numbers still
    start lines."""
    if len(cells) == 1:
        numbers = [int(m.group(1)) for m in map(_TYPED_NUMBER.match, cells[0]) if m]
        if len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1)):
            return cells[0]
    joined = [" ".join(cell) for cell in cells]
    return ["\t".join(joined)] if any(joined) else []


MAX_DOCX_EXPANDED_BYTES = 100 * 1024 * 1024


def _refuse_zip_bomb(data: bytes) -> None:
    """A DOCX is a zip: a few hundred KB can declare gigabytes of XML. python-docx would inflate it all in
    memory, so check the sizes the archive declares first (zipfile never reads past a member's declared size)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        expanded = sum(item.file_size for item in archive.infolist())
    if expanded > MAX_DOCX_EXPANDED_BYTES:
        raise ExtractionError(
            f"The Word file expands to {expanded / 1024 / 1024:,.0f} MB, more than the limit of "
            f"{MAX_DOCX_EXPANDED_BYTES // 1024 // 1024} MB: it is not a single inspection document."
        )


_HTML_SKIP = {"script", "style", "noscript", "template", "head", "nav", "svg", "button", "select", "iframe", "object", "canvas", "map"}
# Elements that start a new line. <li> and <table> are handled on their own; these others end a paragraph.
_HTML_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "main", "p",
    "section", "summary", "caption", "legend", "ol", "ul", "menu",
}
_HTML_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dl", "address", "figure", "ol", "ul", "table", "pre", "hr"}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _html_text(markup: str) -> str:
    """Text of a web page as a person reads it: one line per paragraph, heading, list item or table row (its cells
    joined by tabs), a blank line between paragraphs, inline markup (<strong>, <a>, <span>) never breaking a line.
    List items get a marker ('- ', or '1. ' in an ordered list), indented two spaces per nesting level; a list inside a
    table cell is kept on the row's line with '• ' before each item. Site furniture (navigation, the page's own
    header and footer, hidden elements) is left out."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    _drop_html_furniture(soup)
    renderer = _HtmlLines()
    renderer.walk(soup)
    renderer.flush()
    text = "\n".join(renderer.lines)
    return re.sub(r"\n(?:[ \t]*\n)+", "\n\n", text).strip()


def _drop_html_furniture(soup) -> None:
    for node in soup(list(_HTML_SKIP)):
        node.decompose()
    for node in soup.find_all(True):
        # Not `node.decomposed`: on a live tag that property falls back to a search of the whole subtree for a
        # <_decomposed> element, which made a page of 5,000 nested tags take minutes (quadratic).
        if node.__dict__.get("_decomposed"):
            continue
        attrs = node.attrs or {}
        role = str(attrs.get("role", "")).lower()
        if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true" or role in ("navigation", "search"):
            node.decompose()
        elif node.name in ("header", "footer", "aside") or role in ("banner", "contentinfo", "complementary"):
            # The site's own header and footer; an article's header (its title) and footer stay.
            if node.find_parent(["article", "main"]) is None:
                node.decompose()


def _html_space(m: re.Match[str]) -> str:
    """A run of whitespace renders as one space; a tab typed inside a line (a letter's sign-off columns pasted into
    a page) is kept, but not the indentation of pretty-printed markup (which always follows a line break)."""
    run = m.group(0)
    return "\t" if "\t" in run and "\n" not in run and "\r" not in run else " "


def _own_rows(table) -> list:
    """The table's own <tr>s, in order, wherever they sit (in <tbody>, <thead>, a stray wrapper), but not those of
    a table nested inside it. A search that stops at nested tables: finding every <tr> below and checking each
    one's table cost time cubic in the nesting (3,000 nested tables: minutes)."""
    from bs4 import Tag

    rows, stack = [], [iter(table.children)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, Tag) and node.name == "tr":
            rows.append(node)
        elif isinstance(node, Tag) and node.name != "table":
            stack.append(iter(node.children))
    return rows


class _HtmlLines:
    def __init__(self, *, in_cell: bool = False) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.prefix = ""  # the marker (and indent) the next line starts with
        self.in_cell = in_cell

    def flush(self, *, paragraph: bool = False) -> None:
        text = _HTML_SPACE.sub(_html_space, "".join(self.buf)).strip()
        self.buf = []
        if text:
            self.lines.append(self.prefix + text)
            self.prefix = " " * len(self.prefix)  # a list item's later lines keep its indent, without the marker
        if paragraph and not self.in_cell and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def walk(self, node, depth: int = 0) -> None:
        """Render `node`'s children. Iterative: a page of thousands of unclosed tags is a tree thousands deep, and
        walking it by recursion raised RecursionError. Each step (`_steps`) yields (renderer, node, depth) to have
        that node's children walked before it goes on; this loop keeps those steps on a list, not on the stack."""
        stack = [self._steps(node, depth)]
        while stack:
            request = next(stack[-1], None)
            if request is None:
                stack.pop()
            else:
                renderer, child, child_depth = request
                stack.append(renderer._steps(child, child_depth))

    def _steps(self, node, depth: int):
        from bs4 import Comment, NavigableString, Tag

        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if type(child) is NavigableString or child.__class__.__name__ in ("CData",):
                    self.buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.flush()
            elif name == "table":
                self.flush(paragraph=True)
                yield from self._table(child)
                self.flush(paragraph=True)
            elif name == "pre":
                self.flush(paragraph=True)
                for line in child.get_text().splitlines():
                    self.lines.append(self.prefix + line.rstrip())
                self.flush(paragraph=True)
            elif name in ("ul", "ol", "menu"):
                self.flush()
                saved = self.prefix
                number = 0
                for item in child.children:
                    if isinstance(item, Tag) and item.name == "li":
                        number += 1
                        self.flush()
                        indent = "  " * depth if not self.in_cell else ""
                        marker = "• " if self.in_cell else (f"{number}. " if name == "ol" else "- ")
                        self.prefix = indent + marker
                        yield self, item, depth + 1
                        self.flush()
                    elif isinstance(item, Tag):
                        yield self, item, depth
                    elif not isinstance(item, Comment) and str(item).strip():
                        self.buf.append(str(item))
                self.flush()
                self.prefix = " " * len(saved)
                if depth == 0:
                    self.flush(paragraph=True)
            elif name in _HTML_BLOCK or name == "li":
                paragraph = name in _HTML_PARAGRAPH and depth == 0  # no blank lines inside a list item
                self.flush(paragraph=paragraph)
                yield self, child, depth
                self.flush(paragraph=paragraph)
            else:
                yield self, child, depth

    def _table(self, table):
        """A table's rows, one line each (see _row_lines); each cell is rendered by a renderer of its own, walked
        through the same loop (a table nested in a cell nests no deeper on the stack)."""
        from bs4 import Tag

        for tr in _own_rows(table):
            cells = []
            for cell in tr.children:
                if isinstance(cell, Tag) and cell.name in ("td", "th"):
                    inner = _HtmlLines(in_cell=True)
                    yield inner, cell, 0
                    inner.flush()
                    cells.append([line.strip() for line in inner.lines if line.strip()])
            self.lines.extend(self.prefix + line for line in _row_lines(cells))


# --- extraction in a child process, with memory and CPU-time limits -------------------------------------------
#
# A file under the upload limit can still expand without bound while it is read: a one-page PDF whose content
# stream inflates to blank space took a worker to 2 GB per megabyte of file, and nothing in PDFium's API caps it.
# So `extract_text` runs in a helper process whose address space (RLIMIT_AS) and CPU time (RLIMIT_CPU) the kernel
# caps: past the cap the helper gets MemoryError or dies (PDFium aborts when an allocation fails), never the
# worker, and the document fails with the reason.
#
# Why one long-lived helper per worker process rather than a fork per document: forking a worker-sized process
# and the copy-on-write faults after it cost ~20 ms a document, which took bench/pipeline_vs_extract.py from
# 1.11x to 1.93x raw extraction (median); a fresh interpreter (spawn/forkserver) must import pypdfium2 again
# (~90 ms). The helper is forked once, after the readers are imported, and reads one document after another over
# a pipe; before each it sets its CPU-time limit to what it has used plus the allowance. It is replaced when it
# dies (the file it died on fails), when the limits change, and when it has grown by a quarter of its memory
# allowance (freed memory is not always returned to the system), so a past document never eats a later one's
# allowance. It touches no database connection, file or lock it inherited, leaves with os._exit (nothing of the
# worker's is flushed or closed), and exits by itself when the worker goes (end of file on its request pipe).

MAX_MEMORY_MB = 512
MAX_CPU_SECONDS = 120
log = logging.getLogger(__name__)
_GROWTH_FRACTION = 4  # the helper is replaced once its address space grew by a quarter of its memory allowance


def extract_text_bounded(
    data: bytes, *, max_memory_mb: int = MAX_MEMORY_MB, max_cpu_seconds: int = MAX_CPU_SECONDS, **kwargs
) -> ExtractedText:
    """`extract_text(data, **kwargs)` run in a helper process limited to `max_memory_mb` MB of memory beyond what
    it held when it started (RLIMIT_AS) and `max_cpu_seconds` of CPU time for this document (RLIMIT_CPU); 0 turns
    a limit off.

    Returns the ExtractedText; raises ExtractionError with the reader's own reason, or — when the helper ran out
    of memory or time, or crashed — a reason naming the limit ("The PDF expands beyond the 512 MB limit …").
    Where fork is unavailable (not POSIX) it runs in this process, unbounded. Thread-safe (one document at a
    time per process)."""
    if not hasattr(os, "fork"):
        return extract_text(data, **kwargs)
    limits = (max_memory_mb, max_cpu_seconds)
    with _HELPER_LOCK:
        helper = _HELPER.get("helper")
        if helper is None or helper.owner != os.getpid() or helper.limits != limits or not helper.alive():
            if helper is not None and helper.owner == os.getpid():
                helper.stop()
            helper = _HELPER["helper"] = _Helper(limits)
        outcome, value, wait_status = helper.run(data, kwargs)
        if wait_status is not None:
            _HELPER.pop("helper", None)
    if outcome == "ok":
        return value
    if outcome == "error":
        raise ExtractionError(value)
    if outcome == "crash":  # a reader's bug, or a file that defeats it in a way not foreseen: for the maintainers
        value, trace = value
        log.error("text extraction failed in the helper process: %s\n%s", value, trace)
    raise ExtractionError(_limit_reason(data, outcome, value, wait_status, max_memory_mb, max_cpu_seconds))


_HELPER: dict[str, "_Helper"] = {}
_HELPER_LOCK = threading.Lock()


class _Helper:
    """The extraction helper: a forked child reading (data, kwargs) requests and writing (outcome, value) answers,
    each a length-prefixed pickle, over two pipes."""

    def __init__(self, limits: tuple[int, int]) -> None:
        _import_readers()
        self.limits = limits
        self.owner = os.getpid()
        request_r, request_w = os.pipe()
        answer_r, answer_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper: never returns
            os.close(request_w)
            os.close(answer_r)
            _helper_main(request_r, answer_w, limits)
        os.close(request_r)
        os.close(answer_w)
        self.pid = pid
        self.requests = os.fdopen(request_w, "wb")
        self.answers = os.fdopen(answer_r, "rb")

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def run(self, data: bytes, kwargs: dict) -> tuple[str | None, object, int | None]:
        """(outcome, value, None) from a helper that lives on, or (outcome or None, value, wait status) when it
        ended (died on this document, or retired itself after answering)."""
        done = False
        try:
            try:
                _send(self.requests, (data, kwargs))
                answer = _receive(self.answers)
            except (BrokenPipeError, EOFError):
                answer = None
            done = True
        finally:
            if not done:  # interrupted (a soft time limit, a signal): the helper's state is unknown
                self.stop()
        if answer is not None and answer[0] != "retiring":
            return answer[0], answer[1], None
        status = self.stop(kill=answer is None)
        if answer is not None:
            return answer[1][0], answer[1][1], status
        return None, None, status

    def stop(self, *, kill: bool = True) -> int:
        """End the helper (killed, or left to exit after closing its pipe) and reap it; its wait status."""
        for stream in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                stream.close()
        if kill:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:
            return 0


def _send(stream, value) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(payload).to_bytes(8, "big"))
    stream.write(payload)
    stream.flush()


def _receive(stream):
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    size = int.from_bytes(head, "big")
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError
    return pickle.loads(payload)


def _import_readers() -> None:
    """Import the reading libraries before forking: importing pypdfium2 (and loading PDFium) costs ~90 ms, which
    the helper would otherwise pay again."""
    import bs4  # noqa: F401
    import docx  # noqa: F401
    import pypdfium2  # noqa: F401


def _helper_main(request_fd: int, answer_fd: int, limits: tuple[int, int]) -> None:
    max_memory_mb, max_cpu_seconds = limits
    status = 0
    try:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1, signal.SIGHUP, signal.SIGALRM):
            signal.signal(signum, signal.SIG_DFL)  # the worker's handlers (Celery's soft time limit) are not ours
        faulthandler.disable()  # PDFium's abort() on a failed allocation is an answer here, not a crash to dump
        start_size = _address_space_bytes()
        if max_memory_mb > 0:
            limit = start_size + max_memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        requests = os.fdopen(request_fd, "rb")
        answers = os.fdopen(answer_fd, "wb")
        while True:
            try:
                data, kwargs = _receive(requests)
            except EOFError:
                break  # the worker closed the pipe (or exited)
            if max_cpu_seconds > 0:  # SIGXCPU at the soft limit; this document's allowance on top of what was used
                used = resource.getrusage(resource.RUSAGE_SELF)
                soft = int(used.ru_utime + used.ru_stime) + 1 + max_cpu_seconds
                resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))
            try:
                answer = ("ok", extract_text(data, **kwargs))
            except ExtractionError as exc:
                answer = ("error", exc.message)
            except MemoryError:
                answer = ("memory", "")
            except BaseException as exc:  # noqa: BLE001 - reported to the worker, which decides
                answer = ("crash", (f"{type(exc).__name__}: {exc}"[:300], traceback.format_exc()[-4000:]))
            del data
            retire = answer[0] in ("memory", "crash") or (
                max_memory_mb > 0 and _address_space_bytes() - start_size > max_memory_mb * 1024 * 1024 // _GROWTH_FRACTION
            )
            _send(answers, ("retiring", answer) if retire else answer)
            if retire:
                break
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child into the worker's code
        status = 70
    finally:
        os._exit(status)


def _limit_reason(data, outcome, value, wait_status, max_memory_mb: int, max_cpu_seconds: int) -> str:
    kind = SUPPORTED.get(sniff_content_type(data), "file")
    signalled = wait_status is not None and os.WIFSIGNALED(wait_status)
    if signalled and os.WTERMSIG(wait_status) in (signal.SIGXCPU, signal.SIGKILL) and max_cpu_seconds > 0 and outcome is None:
        return (
            f"Reading the {kind}'s text took more than the {max_cpu_seconds} s CPU-time limit and was stopped: it is "
            "not a single inspection document, or it is built to be slow to read."
        )
    if outcome == "crash":
        return f"The {kind} could not be read: the reader failed ({value})."
    if max_memory_mb > 0:
        # MemoryError, or the reader aborting when an allocation failed (PDFium calls abort()).
        how = f"signal {signal.Signals(os.WTERMSIG(wait_status)).name}" if signalled else "out of memory"
        return (
            f"The {kind} expands beyond the {max_memory_mb} MB limit while its text is read ({how}): it is not a "
            "single inspection document (a small file that inflates this far is built to exhaust memory)."
        )
    how = f"signal {signal.Signals(os.WTERMSIG(wait_status)).name}" if signalled else "it stopped"
    return f"The {kind} could not be read: the reader stopped ({how})."


def _address_space_bytes() -> int:
    """This process's virtual size (VmSize): RLIMIT_AS counts the whole address space, and a forked child
    starts with its parent's (libraries, thread stacks, heap), so the limit is set on top of it."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
