"""Stage 3: document text -> the letters it holds.

A letter is found by its title line ("Joint local area SEND inspection in X", "Joint local area SEND revisit
in X", "Area SEND inspection of X Local Area Partnership", ...) followed by the inspection's own opening
sentence. Its chunk starts at the letterhead (or date, or salutation) above the title and runs to the next
letter. Text around the letters (a council report that embeds one as an appendix) belongs to no chunk: only
letters are returned, so the council's own summary of the same list is never read twice.

When the text holds no letter at all, the whole text is returned as one chunk: classify() then decides
whether it is a council summary (a secondary source) or not a SEND document (and says why).

Exact repeats are returned too, each with its own span; the writer recognises them by fingerprint.

The title patterns and letter furniture shared with classify.py live in patterns.py (neither stage imports the other).
"""

from __future__ import annotations

import re

from .parse.common import LineRx
from .patterns import DEAR as _DEAR
from .patterns import SIGN_OFF as _SIGN_OFF
from .patterns import TITLE_2016, TITLE_2023, council_words, names_another_document
from .types import LetterChunk, Span

# The opening sentence that proves a title belongs to a letter and not to a list of appendices.
_BODY_2016 = re.compile(
    r"(?:Ofsted|Care\s+Quality\s+Commission|CQC)[\s\S]{0,200}?(?:conducted\s+a\s+joint\s+inspection|revisited|re-visited|inspected)"
    r"|(?:joint\s+inspection|revisit)\s+of\s+the\s+(?:local\s+)?area",
    re.I,
)
_BODY_2023 = re.compile(r"Inspection\s+dates?\s*:|Inspection\s+outcome|Date(?:s)?\s+of\s+(?:the\s+)?previous\s+inspection", re.I)

_LETTERHEAD = LineRx(r"[ \t]*Ofsted(?:[ \t]*$|[ \t]+Agora)", re.I)
_DATE_LINE = LineRx(
    r"[ \t]*\d{1,2}(?:st|nd|rd|th)?[ \t]+(?:January|February|March|April|May|June|July|August|September|October|November|December)[ \t]+\d{4}[ \t]*$",
    re.I,
)
_REPORT_HEAD = LineRx(r"[ \t]*Local[ \t]+area[ \t]+partnership[ \t]+report[ \t]*$", re.I)


def find_titles(text: str) -> list[tuple[re.Match[str], str]]:
    """Title lines that open a letter or report, in order, with their framework."""
    titles = []
    for rx, framework, body in ((TITLE_2016, "2016", _BODY_2016), (TITLE_2023, "2023", _BODY_2023)):
        for m in rx.finditer(text):
            if _plausible_area(m["area"]) and body.search(text, m.end(), m.end() + 3000):
                titles.append((m, framework))
    titles.sort(key=lambda t: t[0].start())
    return titles


_NOT_A_NAME = re.compile(
    r"^(?:\d|(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|(?:the\s+)?(?:last|previous|past|recent)\b)",
    re.I,
)


def _plausible_area(raw: str) -> bool:
    """A title names an area: not a date ('inspection in 2018 found ...') and not a sentence."""
    name = raw.strip(" *")
    return bool(name) and not _NOT_A_NAME.match(name) and len(name.split()) <= 10 and not re.search(r"[.;]\s+\S", name)


def _last(rx: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    found = None
    for m in rx.finditer(text, lo, hi):
        found = m.start()
    return found


def _letter_start(text: str, title_at: int, floor: int, framework: str) -> int | None:
    """Where the letter above a title begins: its letterhead, else its date line, else its salutation;
    None when the title has none of these above it."""
    if framework == "2023":
        head = _last(_REPORT_HEAD, text, max(floor, title_at - 300), title_at)
        return head
    for rx, reach in ((_LETTERHEAD, 2500), (_DATE_LINE, 1800), (_DEAR, 600)):
        at = _last(rx, text, max(floor, title_at - reach), title_at)
        if at is not None:
            return at
    return None


def _running_header(text: str, previous: re.Match[str], title: re.Match[str]) -> bool:
    """The same title again, with no letter furniture above it and no sign-off since: a page header."""
    same = re.sub(r"\W+", " ", previous.group(0)).strip().lower() == re.sub(r"\W+", " ", title.group(0)).strip().lower()
    return same and not _SIGN_OFF.search(text, previous.end(), title.start())


_MONTH_DATE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}(?:st|nd|rd|th)?\b",
    re.I,
)


def _opening_follows(text: str, title: re.Match[str], framework: str) -> bool:
    after = text[title.end() : title.end() + 700]
    if framework == "2023":
        return bool(_BODY_2023.search(after[:400]))
    return bool(_BODY_2016.search(after) and _MONTH_DATE.search(after))


def _council_preamble(text: str) -> bool:
    return council_words(text) >= 2


def split_letters(text: str) -> list[LetterChunk]:
    """Every letter / report in the text, in order, with spans into `text`; the whole text when none is found."""
    titles = find_titles(text)
    if not titles:
        return [LetterChunk(span=Span(0, len(text)), text=text)]
    # A document that opens as another kind of report (ILACS, JTAI, ...) may quote a SEND title in its prose:
    # there, only a title with a letter's own furniture above it (letterhead, date, salutation) starts a letter.
    # So may a council's own report (its title lines copied into the report's prose).
    quoting = names_another_document(text[: min(titles[0][0].start(), 1500)]) or _council_preamble(text[: titles[0][0].start()])
    starts: list[int] = []
    titles_kept: list[re.Match[str]] = []
    floor = 0
    for m, framework in titles:
        start = _letter_start(text, m.start(), floor, framework)
        if start is None:
            # Without a letter's furniture above it, a title must open the letter's own first sentence.
            if quoting or not _opening_follows(text, m, framework) or (starts and _running_header(text, titles_kept[-1], m)):
                continue
            start = m.start()
        titles_kept.append(m)
        if starts and start <= starts[-1]:
            start = m.start()
        starts.append(start)
        floor = m.end()
    if not starts:
        return [LetterChunk(span=Span(0, len(text)), text=text)]
    chunks = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunks.append(LetterChunk(span=Span(start, end), text=text[start:end]))
    return chunks
