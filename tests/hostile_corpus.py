"""The hostile-input corpus, generated in code (nothing binary is committed): files built to exhaust memory,
time or recursion, or to escape a folder, each of which must end with a clear status and leave the worker
running. Used by tests/integration/test_hostile_corpus.py (a real worker on PostgreSQL), by the unit tests of
each defence, and by bench/hostile_rss.py (peak memory before/after).

    .venv/bin/python -m tests.hostile_corpus OUT_DIR      # writes every file (for trying them by hand)

`corpus()` returns [HostileFile]; sizes are parameters so tests can keep the run short.
"""

from __future__ import annotations

import io
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from tests.pipeline.bad_inputs import pdf_by_hand

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
# A 2016 revisit letter (Redcar and Cleveland, 13.6 KB): the unit copied to make "many letters".
LETTER = SEEDS / "001_3cc412fc11709ace.txt"


@dataclass(frozen=True)
class HostileFile:
    name: str
    data: bytes
    what: str  # what it attacks, for messages


def pdf_bomb(inflated_mb: int = 1024) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated_mb` MB of blank space (about 1 MB of file per
    GB). Built fast and without holding the blank space: one megabyte is deflated once, ending in a full flush (so
    it refers to nothing before it), and that block is repeated; the zlib checksum is carried over the repeats."""
    chunk = b" " * (1024 * 1024)
    head = b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET\n"
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    checksum = zlib.adler32(head)
    for _ in range(inflated_mb):
        checksum = zlib.adler32(chunk, checksum)
    body = b"\x78\xda" + first + block * inflated_mb + deflate.flush() + checksum.to_bytes(4, "big")
    return pdf_by_hand(b"", deflated=body)


def nested_html(depth: int = 5000) -> bytes:
    """A page of `depth` unclosed <div>s (and as many <span>s), then a paragraph: a parser builds a tree that deep."""
    return (
        b"<!doctype html><html><body>" + b"<div><span>" * depth
        + b"<p>This page is nested too deeply; it holds no inspection letter.</p></body></html>"
    )


def letter_text() -> str:
    return LETTER.read_text(encoding="utf-8")


def many_letters(copies: int = 330) -> bytes:
    """One text holding `copies` copies of a real revisit letter (330 copies: 4.5 MB)."""
    return ("\n\n".join([letter_text()] * copies)).encode()


def distinct_words(count: int) -> str:
    """`count` different made-up words: PostgreSQL's tsvector holds at most 1 MB of lexemes."""
    letters = "bcdfghjklmnpqrstvwxz"

    def word(n: int) -> str:
        out = []
        for _ in range(5):
            n, r = divmod(n, 20)
            out.append(letters[r] + "aeiou"[r % 5])
        return "".join(out)

    return " ".join(word(i) for i in range(count))


def huge_letter(words: int = 250_000) -> bytes:
    """The revisit letter with `words` distinct words added to its body, before the sign-off."""
    text = letter_text()
    cut = text.index("Yours sincerely")
    return (text[:cut] + distinct_words(words) + ".\n\n" + text[cut:]).encode()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(members: int = 40, member_mb: int = 50, *, level: int = 1) -> bytes:
    """`members` files of `member_mb` MB each (a repeated line naming the member, so no two are alike): about
    1 MB of zip per 50 MB unpacked at level 1, built a megabyte at a time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for index in range(members):
            line = f"Part {index}: joint local area SEND inspection in Nowhere. ".encode()
            block = line * (1024 * 1024 // len(line))
            with archive.open(f"part-{index:03}.txt", "w", force_zip64=True) as out:
                for _ in range(member_mb):
                    out.write(block)
    return buffer.getvalue()


def traversal_zip() -> bytes:
    """A zip whose members climb out of the folder or name an absolute path, beside one good letter."""
    letter = letter_text().encode()
    return zip_of({"../escape.txt": letter, "/etc/absolute.txt": letter, "a/../../up.txt": letter, "good.txt": letter})


def long_name() -> str:
    return "Redcar " + "very-long-name-" * 53 + "letter.txt"  # 807 characters


def corpus(*, bomb_mb: int = 1024, nesting: int = 5000, copies: int = 330, words: int = 250_000) -> list[HostileFile]:
    """The hostile files the worker must survive (the zip ones go through the upload form, not the worker)."""
    return [
        HostileFile("bomb.pdf", pdf_bomb(bomb_mb), f"a PDF inflating to {bomb_mb} MB"),
        HostileFile("nested.html", nested_html(nesting), f"HTML {nesting:,} elements deep"),
        HostileFile("many-letters.txt", many_letters(copies), f"{copies} letters in one text"),
        HostileFile("huge-letter.txt", huge_letter(words), f"a letter of {words:,} distinct words"),
        HostileFile(long_name(), letter_text().encode(), "a file name of 800 characters"),
    ]


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for item in corpus():
        (out / item.name[:200]).write_bytes(item.data)
    (out / "traversal.zip").write_bytes(traversal_zip())
    (out / "zip-bomb.zip").write_bytes(zip_bomb())
    print(f"wrote {len(list(out.iterdir()))} files to {out}")
