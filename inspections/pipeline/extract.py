"""Stage 2: bytes -> text. File type is decided by content, never by the file name.

PDF text comes from pypdfium2 (PDFium's own text layer: fast, permissive
licence; pdfminer.six was ~25x slower on the shared reports). Pages are joined
with a form feed ("\f") so later stages can tell where a page started.
"""

from __future__ import annotations

import io
import re
import zipfile

from .types import ExtractedText, ExtractionError

MAX_PAGES = 400
MAX_CHARS = 5_000_000

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"
SUPPORTED = {PDF: "PDF", DOCX: "Word (DOCX)", HTML: "HTML", TEXT: "plain text"}

_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >]|<table|<h[1-6])", re.I)


def sniff_content_type(data: bytes) -> str:
    """The content type from the first bytes; '' when it is none we read."""
    head = data[:2048]
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-") or head[:1024].find(b"%PDF-") != -1:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            return ""
        return ""
    if _HTML_SNIFF.match(head.lstrip(b"\xef\xbb\xbf")):
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
    return text


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _pdf_text(data: bytes, *, max_pages: int) -> ExtractedText:
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
            raise ExtractionError(
                f"The PDF has {n_pages:,} pages, more than the limit of {max_pages:,}: it is not a single inspection document."
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
        return ExtractedText(text="\n\f".join(pages), content_type=PDF, pages=n_pages)
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"The PDF is damaged: a page could not be read ({exc}).") from exc
    finally:
        pdf.close()


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
    # Body order matters (a letter's list may sit in a table): walk paragraphs and tables as they come.
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(node.text or "" for node in block.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append(" ".join("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t")) for p in cell.iter() if p.tag.endswith("}p")).strip())
                    lines.append("\t".join(cells))
    return ExtractedText(text="\n".join(lines), content_type=DOCX)


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


def _html_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for node in soup(["script", "style", "noscript", "template", "head"]):
        node.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for item in soup.find_all("li"):
        item.insert(0, "- ")
    text = soup.get_text("\n")
    # Collapse the blank lines HTML layout leaves, keep paragraph breaks.
    return re.sub(r"\n[ \t]*(\n[ \t]*)+", "\n\n", text).strip()
