"""Generators for hostile and broken uploads (all made here, in code: nothing binary is committed).

`bad_inputs()` returns (case id, file name, bytes). Every one must end refused at upload, or failed/rejected by
the pipeline, with a readable reason and nothing written. Used by tests/pipeline/test_bad_inputs.py.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib

NOT_SEND = (
    "Annual report of the Parish Council Allotment Committee\n\n"
    "The committee met four times this year. Plot rents rise by 2% from April. The water troughs were repaired "
    "and the waiting list stands at 14. Thanks to all volunteers for the spring clear-up.\n"
)


def pdf(text: str = NOT_SEND, *, pages: int = 1, user_password: str | None = None) -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.set_font("helvetica", size=11)
    for _ in range(pages):
        document.add_page()
        document.multi_cell(w=0, text=text)
    if user_password is not None:
        document.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(document.output())


def pdf_by_hand(content_stream: bytes, *, compress: bool = True, page_count: int | None = None,
                deflated: bytes | None = None) -> bytes:
    """A minimal one-page PDF around the given content stream; `page_count` lies in /Count when given.
    `deflated`: a stream already in zlib form, used as it is (FlateDecode) instead of `content_stream`."""
    body = deflated if deflated is not None else zlib.compress(content_stream, 9) if compress else content_stream
    filt = b" /Filter /FlateDecode" if compress or deflated is not None else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % (page_count or 1),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(body), filt) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def docx(paragraphs: list[str]) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with_text_run(size: int) -> bytes:
    """A valid DOCX whose document.xml holds one text run of `size` bytes (compresses to almost nothing)."""
    source = zipfile.ZipFile(io.BytesIO(docx(["x"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                run = b"<w:p><w:r><w:t>" + b"A" * size + b"</w:t></w:r></w:p>"
                data = data.replace(b"<w:body>", b"<w:body>" + run, 1)
            archive.writestr(item.filename, data)
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def junk(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def bad_inputs() -> list[tuple[str, str, bytes]]:
    good_pdf = pdf(pages=3)
    cases: list[tuple[str, str, bytes]] = []
    # Truncated PDFs: a download cut short, at many points (the last ones PDFium can partly repair).
    for cut in (8, 64, 200, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.95, 0.99):
        size = cut if isinstance(cut, int) else int(len(good_pdf) * cut)
        cases.append((f"truncated-pdf-{cut}", f"cut-{cut}.pdf", good_pdf[:size]))
    cases += [
        ("encrypted-pdf-user-password", "locked.pdf", pdf(user_password="secret")),
        ("encrypted-pdf-other-password", "locked2.pdf", pdf("Second locked file", user_password="letmein")),
        ("encrypted-pdf-owner-only-not-send", "owner-only.pdf", pdf("Opens without a password, but not SEND", user_password="")),
        ("pdf-header-only", "header.pdf", b"%PDF-1.7\n"),
        ("pdf-no-text-layer", "blank.pdf", pdf_by_hand(b"0 0 1 rg 10 10 100 100 re f")),
        ("pdf-bomb-page-count", "pages.pdf", pdf("p", pages=450)),
        ("pdf-bomb-lying-count", "count.pdf", pdf_by_hand(b"BT /F1 12 Tf 72 720 Td (x) Tj ET", page_count=10_000_000)),
        ("pdf-bomb-giant-stream", "giant.pdf", pdf_by_hand(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" + b" " * 200_000_000)),
        ("pdf-garbage-after-header", "garbage.pdf", b"%PDF-1.4\n" + junk(1, 4000)),
        ("zero-bytes", "empty.pdf", b""),
        ("zero-bytes-txt", "empty.txt", b""),
        ("whitespace-only", "spaces.txt", b" \n\t \r\n " * 100),
        ("whitespace-only-bom", "bom.txt", b"\xef\xbb\xbf   \n\n"),
        ("nul-bytes-only", "nul.pdf", b"\x00" * 1000),
        ("text-over-char-limit", "huge.txt", (b"lorem ipsum dolor sit amet " * 230_000)),
        ("binary-junk-1", "junk1.pdf", junk(2, 2048)),
        ("binary-junk-2", "junk2.pdf", junk(3, 100_000)),
        ("binary-junk-3", "junk3.docx", junk(4, 10)),
        ("png-named-pdf", "image.pdf", b"\x89PNG\r\n\x1a\n" + junk(5, 500)),
        ("elf-named-txt", "program.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 500),
        ("gzip-named-html", "page.html", b"\x1f\x8b\x08\x00" + junk(6, 300)),
        ("html-scripts-not-send", "page.html",
         b"<html><head><script>document.write('Joint local area SEND inspection in Leeds')</script></head>"
         b"<body><script>alert('Ofsted and the Care Quality Commission')</script><p>Cake recipes for the fete.</p></body></html>"),
        ("html-only-scripts", "scripts.htm",
         b"<!doctype html><html><body><script>var s='local area SEND inspection';</script><style>p{}</style></body></html>"),
        ("html-onclick-not-send", "click.html",
         b"<html><body><div onclick=\"alert(1)\"><p>Bin collection dates for December.</p></div><iframe src=x></iframe></body></html>"),
        ("docx-zip-of-junk", "junk.docx", zip_of({"junk.bin": junk(7, 1000), "readme.txt": b"hello"})),
        ("docx-fake-document-xml", "fake.docx", zip_of({"word/document.xml": junk(8, 500)})),
        ("docx-truncated", "cut.docx", docx([NOT_SEND])[:600]),
        ("docx-no-text", "blank.docx", docx([])),
        ("docx-zip-bomb", "bomb.docx", docx_with_text_run(120 * 1024 * 1024)),  # ~120 KB that inflates to 120 MB
        ("docx-xml-text-node-too-long", "long.docx", docx_with_text_run(12 * 1024 * 1024)),  # lxml's own limit
        ("docx-not-send", "minutes.docx", docx(NOT_SEND.split("\n"))),
        ("text-not-send", "minutes.txt", NOT_SEND.encode()),
        ("text-not-send-cp1252", "minutes-1252.txt", "Caf\xe9 opening hours \u2013 \xa35 entry".encode("cp1252")),
        ("text-not-send-mentions-ofsted", "school.txt",
         b"Ofsted inspected our school in May. Read the school inspection report on the website. SEND provision is improving.\n"),
        ("text-utf16", "utf16.txt", "Annual report of the allotments".encode("utf-16")),
        ("csv-not-send", "areas.csv", b"area,code\nLeeds,E08000035\nYork,E06000014\n"),
        ("json-not-send", "data.json", b'{"inspection": "SEND", "area": "Leeds", "outcome": null}'),
    ]
    # Hostile names, each on distinct non-SEND content (identical content would just be a duplicate).
    names = [
        "../../etc/passwd", "..\\..\\windows\\system32\\config.pdf", "/absolute/path/report.pdf", "evil\x00.pdf",
        "a" * 600 + ".pdf", "\u00e9\u00e8\u4e2d\u6587\u0627\u0644\u0639\u0631\u0628\u064a\u0629 report \U0001F600.pdf",
        "\u202egnp.pdf", "con.txt", ".hidden", "...", "name with\nnewline.txt", "\u00e9" * 300 + ".txt",
    ]
    for index, name in enumerate(names):
        cases.append((f"name-{index}", name, f"{NOT_SEND}\nfile {index}\n".encode()))
    return cases
