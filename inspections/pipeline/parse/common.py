"""Shared helpers for the letter parsers: dates, cleaning PDF text, list items, spans.

Text pulled from PDFs carries page furniture (page numbers, repeated letterheads, report footers) in the
middle of sentences, lines broken anywhere, blank lines inside sentences and several bullet glyphs. Parsers
work on a *cleaned* copy that keeps, for every character, its offset in the original document, so a fact
found in the clean text still points at the exact characters of the source.

The stored text of a list item is `clean_fragment(document_text[span.start:span.end])`: the same cleaning
(furniture lines dropped, bullet dropped, line-end hyphens joined, whitespace collapsed) applied to the span.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from ..types import Span

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_ORD = r"(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"  # "Monday 22 November and Wednesday 24 ..."
_SEP = r"\s*(?:to|until|and|-|–|—)\s*" + _WEEKDAY
# A date: "3 October 2016", "3rd October, 2016", "3 Oct 2016"; month first as US-style templates and some councils
# write it: "October 3, 2016", "October 3rd 2016". Numeric dates ("09/06/2022", "9.6.2022") are read in the UK
# order, day/month/year: these are English publications (Ofsted, the CQC, English councils and press), whose house
# styles write dates day first; a month-first reading would be a US convention none of them uses. A numeric "date"
# that is no date in that order (13th month) is not read.
_NUMERIC = r"(?P<dn>\d{1,2})(?P<sep>[/.])(?P<mn>\d{1,2})(?P=sep)(?P<yn>(?:19|20)\d\d)"
DATE = rf"(?:\d{{1,2}}{_ORD}\s+{MONTH},?\s+\d{{4}}|{MONTH}\s+\d{{1,2}}{_ORD},?\s+\d{{4}}|\d{{1,2}}[/.]\d{{1,2}}[/.](?:19|20)\d\d)"
DATE_RE = re.compile(
    rf"\b(?:(?P<d>\d{{1,2}}){_ORD}\s+(?P<m>{MONTH}),?\s+(?P<y>\d{{4}})|(?P<m2>{MONTH})\s+(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y2>\d{{4}})"
    rf"|{_NUMERIC})\b",
    re.I,
)
# A range, day first: "3 October to 7 October 2016", "3 to 7 October 2016", "28 February to 2 March 2018",
# "4 December 2017 and 8 December 2017", "4 - 8 December 2017", "22 and 24 November 2021".
# The lookaheads repeat what the first character must be: they let the regex engine skip cheaply to candidates
# (a range is searched for in many sentences; these two scans were a tenth of a letter's parse time).
# Press wording too: "From the 13th to the 17th of November 2023", "between the 6 November 2023 and 24 November 2023".
RANGE_DAY_FIRST = re.compile(
    rf"(?=\d)\b(?P<d1>\d{{1,2}}){_ORD}(?:\s+(?:of\s+)?(?P<m1>{MONTH}))?(?:,?\s+(?P<y1>\d{{4}}))?{_SEP}(?:the\s+)?"
    rf"(?P<d2>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m2>{MONTH}),?\s+(?P<y2>\d{{4}})\b",
    re.I,
)
# Month first: "July 8th-10th 2019", "July 8 to July 10, 2019".
RANGE_MONTH_FIRST = re.compile(
    rf"(?=[JFMASOND])\b(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}}){_ORD}{_SEP}(?:(?P<m2>{MONTH})\s+)?(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y2>\d{{4}})\b",
    re.I,
)

class LineRx:
    """A pattern that must start at a line start: what `re.compile("^" + body, re.M)` matches, found faster.

    Python's regex engine tries a `^`-anchored multiline pattern at every character (and an IGNORECASE one
    slowly); this one scans for "\n" followed by the body (a literal first character the engine skips to), then
    matches the body from the line start, so the Match objects are the ones `^body` would give.
    Supports search, finditer and match with pos/endpos like a compiled pattern.
    """

    __slots__ = ("anchored", "scan", "pattern")

    def __init__(self, body: str, flags: int = 0):
        self.pattern = "^" + body
        self.anchored = re.compile(body, flags | re.M)
        self.scan = re.compile(r"\n(?=" + body + ")", flags | re.M)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        endpos = len(text) if endpos is None else endpos
        if pos == 0 or (0 < pos <= len(text) and text[pos - 1] == "\n"):
            return self.anchored.match(text, pos, endpos)
        return None

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        endpos = len(text) if endpos is None else endpos
        m = self.match(text, pos, endpos)
        if m is not None:
            return m
        while True:
            hit = self.scan.search(text, pos, endpos)
            if hit is None:
                return None
            m = self.anchored.match(text, hit.start() + 1, endpos)
            if m is not None:
                return m
            pos = hit.start() + 1  # the lookahead saw past endpos; look further on

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        endpos = len(text) if endpos is None else endpos
        while pos <= endpos:
            m = self.search(text, pos, endpos)
            if m is None:
                return
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1


BULLET_CHARS = "-•◼■▪●○◦▫□*–—·➢►▶✓‣⁃∙" + "".join(chr(c) for c in range(0xF000, 0xF100))  # + Symbol/Wingdings
# A list item marker at the start of a line: a bullet glyph (or 'o' and a tab: Word's second-level bullet in a
# document saved as plain text), "1." / "1)" / "(a)" / "i." / "IV.", or a bullet followed by a number ("- I.
# Weaknesses ..." in council reports).
ITEM_MARKER = LineRx(
    r"[ \t]*(?:(?:[" + re.escape(BULLET_CHARS) + r"]|o(?=\t))[ \t]*(?:\n[ \t]*)?(?:(?:\d{1,2}|[ivxIVX]{1,5}|[a-hA-H])[.)][ \t]+)?"
    r"|(?:\(?(?:\d{1,2}|[ivx]{1,5}|[IVX]{1,5}|[a-h])[.)])[ \t]+)",
)

# Whole lines that are page furniture, never content.
_NOISE_LINE = re.compile(
    r"""^[ \t]*(?:
        \d{1,3}                                           # a bare page number
      | [-–]\s*\d{1,3}\s*[-–]                             # - 3 -
      | page\s+\d{1,3}(?:\s+of\s+\d{1,3})?                # Page 3 of 8
      | \d{1,3}\s+of\s+\d{1,3}
      | ofsted(?:\s+agora)?(?:\s+6\s+cumberland\s+place(?!.*\b(?:dear|inspection|revisit|between|during)\b).*)?  # letterhead lines (never a flattened letter's body)
      | agora | 6\s+cumberland\s+place | nottingham | ng1\s+6hj | nottingham\s+ng1\s+6hj
      | t\s+0300\s+123\s+1231 | textphone\s+[\d ]+
      | (?:enquiries|lasend\.support)@ofsted\.gov?\.uk | www\.(?:gov\.uk/)?ofsted(?:\.gov)?\.uk
      | (?:https?://)?www\.gov\.uk/(?:government/organisations/)?ofsted/? | (?:https?://)?www\.cqc\.org\.uk/?
      | (?:reference\s+(?:no|number)\.?\s*:?|ref(?:erence)?\s*:)\s*[\w/-]{3,20}   # a report's reference line
      | (?:©|\(c\))\s*crown\s+copyright.*
      | area\s+send\s+(?:inspection|monitoring\s+inspection|revisit)\s+report:.*   # 2023 report page footer
      | \d{1,2}\s+[a-z]+(?:\s+\d{4})?\s+(?:to|-|–)\s+\d{1,2}\s+[a-z]+\s+\d{4}\s+\d{1,3}   # its second line: dates + page
      | (?:joint\s+)?local\s+area\s+send\s+(?:inspection|revisit)\s*:.*\bpage\s+\d+.*
    )[ \t]*$""",
    re.I | re.X,
)


def is_noise_line(line: str) -> bool:
    return bool(_NOISE_LINE.match(line.replace("\f", "")))


@dataclass
class Cleaned:
    """Text with page furniture removed; `pos[i]` is the document offset of `text[i]`."""

    text: str
    pos: "PosMap"
    _lower: str | None = field(default=None, repr=False, compare=False)

    def has(self, *words: str) -> bool:
        """True when every (lower-case) word occurs in the text. A case-insensitive regex costs ~7 ns a character
        even where it cannot match; checking a phrase's rarest word first skips most of those scans."""
        return all(word in self.lower for word in words)

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    def search_from(self, rx: re.Pattern[str], word: str, pos: int = 0, endpos: int | None = None, back: int = 300):
        """rx.search(text, pos, endpos), started `back` characters before the first occurrence of `word`.

        Only for a pattern whose every match holds `word` (case-insensitively) within `back` characters of its
        start: then no match can start earlier, and the result is exactly rx.search's. None when `word` is absent."""
        endpos = len(self.text) if endpos is None else endpos
        lower = self.lower
        if len(lower) != len(self.text):  # a character whose lower case is longer: offsets would not line up
            return rx.search(self.text, pos, endpos)
        at = lower.find(word, pos, endpos)
        if at == -1:
            return None
        return rx.search(self.text, max(pos, at - back), endpos)

    def finditer_near(self, rx: re.Pattern[str], word: str, pos: int = 0, endpos: int | None = None, back: int = 150, ahead: int = 300):
        """rx.finditer(text, pos, endpos), searching only around each occurrence of `word`.

        Only for a pattern whose every match holds `word` (case-insensitively) within `back` characters of its
        start and ends within `ahead` characters after it; then the matches are exactly rx.finditer's."""
        endpos = len(self.text) if endpos is None else endpos
        lower = self.lower
        if len(lower) != len(self.text):
            yield from rx.finditer(self.text, pos, endpos)
            return
        cursor = pos  # matches do not overlap: none starts before the end of the last
        at = lower.find(word, pos, endpos)
        while at != -1:
            m = rx.search(self.text, max(cursor, at - back), min(endpos, at + len(word) + ahead))
            if m is not None and m.start() <= at:
                yield m
                cursor = m.end() if m.end() > m.start() else m.end() + 1
                at = lower.find(word, max(cursor, at + 1), endpos)
            else:
                at = lower.find(word, at + 1, endpos)

    def span(self, start: int, end: int) -> Span:
        """Document span covering clean text[start:end] (end exclusive)."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if end <= start:
            return Span(self.offset(start), self.offset(start))
        return Span(self.pos[start], self.pos[end - 1] + 1)

    def offset(self, index: int) -> int:
        if index < len(self.pos):
            return self.pos[index]
        return self.pos[-1] + 1 if len(self.pos) else 0


class PosMap:
    """Document offsets of clean text, stored as runs: clean text[cstarts[k]:cstarts[k+1]] is the contiguous
    document text starting at dstarts[k]. Cleaning copies whole lines, so a letter has a few hundred runs rather
    than one array entry per character (building those was most of the cleaning time)."""

    __slots__ = ("cstarts", "dstarts", "length")

    def __init__(self) -> None:
        self.cstarts: list[int] = []
        self.dstarts: list[int] = []
        self.length = 0

    def add(self, doc_start: int, n: int) -> None:
        """Append n clean characters copied from document offsets doc_start, doc_start + 1, ..."""
        if n <= 0:
            return
        if self.dstarts and self.dstarts[-1] + (self.length - self.cstarts[-1]) == doc_start:
            self.length += n  # continues the last run
            return
        self.cstarts.append(self.length)
        self.dstarts.append(doc_start)
        self.length += n

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> int:
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("clean text index out of range")
        k = bisect_right(self.cstarts, index) - 1
        return self.dstarts[k] + index - self.cstarts[k]

    def __iter__(self):
        for k, (c, d) in enumerate(zip(self.cstarts, self.dstarts)):
            end = self.cstarts[k + 1] if k + 1 < len(self.cstarts) else self.length
            yield from range(d, d + end - c)

    def index_at_or_after(self, doc_offset: int) -> int:
        """The first clean index whose document offset is >= doc_offset (len when there is none)."""
        k = bisect_right(self.dstarts, doc_offset) - 1
        if k < 0:
            return 0
        end = self.cstarts[k + 1] if k + 1 < len(self.cstarts) else self.length
        index = self.cstarts[k] + doc_offset - self.dstarts[k]
        return index if index < end else end


_TITLE_LINE = re.compile(
    r"^[ \t]*(?:Joint[ \t]+(?:local[ \t]+)?area|Local[ \t]+area)[ \t]+SEND[ \t]+(?:inspection|re-?visit)[ \t]+(?:in|of)[ \t]+\S.{0,80}$",
    re.I,
)
# Characters a kept line loses (carriage returns, form feeds, BOMs) or has turned into a line feed.
_DROPPED = "\r\f\ufeff"
_AS_NEWLINE = "\u2028\u2029\x0b\x85\x1c\x1d\x1e"
_SPECIAL = re.compile("[" + _DROPPED + _AS_NEWLINE + "]")
_KEPT_RUN = re.compile("[^" + _DROPPED + "]+")


def clean(document_text: str, start: int = 0, end: int | None = None, *, keep_first_title: bool = True) -> Cleaned:
    """document_text[start:end] without furniture lines, form feeds or carriage returns.

    A letter's title line repeated as a running page header is furniture too: only its first occurrence is
    kept (none when keep_first_title is False, as for a fragment inside a letter)."""
    end = len(document_text) if end is None else end
    out: list[str] = []
    pos = PosMap()
    offset = start
    title_seen = not keep_first_title
    for line in document_text[start:end].splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if "\f" in body:
            body = body.replace("\f", "")
        noise = bool(_NOISE_LINE.match(body))
        if not noise and _TITLE_LINE.match(body):
            noise, title_seen = title_seen, True
        if not noise:
            if _SPECIAL.search(line) is None:
                out.append(line)
                pos.add(offset, len(line))
            else:
                for run in _KEPT_RUN.finditer(line):
                    piece = run.group(0)
                    for ch in _AS_NEWLINE:
                        if ch in piece:
                            piece = piece.replace(ch, "\n")  # same length: offsets stay exact
                    out.append(piece)
                    pos.add(offset + run.start(), len(piece))
        offset += len(line)
    return Cleaned("".join(out), pos)


_LEADING_MARKER = ITEM_MARKER


def normalise_ws(text: str) -> str:
    """Whitespace runs to one space; typographic quotes kept as printed."""
    # str.split() splits on exactly the characters re's \s matches in str patterns (NBSP included), and is ~5x faster.
    return " ".join(text.split())


_LINE_END_HYPHEN = re.compile(r"(?<=[A-Za-z]-)\n\s*(?=[A-Za-z0-9])")


def join_lines(text: str) -> str:
    """Joins a fragment's lines: 'Stockton-on-\\nTees' -> 'Stockton-on-Tees', other breaks -> one space."""
    if "\r" in text or "\f" in text:
        text = text.replace("\r", "").replace("\f", "")
    if "-\n" in text:
        text = _LINE_END_HYPHEN.sub("", text)
    return normalise_ws(text)


def clean_fragment(fragment: str) -> str:
    """The stored text for a document fragment (see the module docstring)."""
    c = clean(fragment, keep_first_title=False)
    marker = _LEADING_MARKER.match(c.text)
    return join_lines(c.text[marker.end() :] if marker else c.text)


def fingerprint(fragment: str) -> str:
    """The same letter gives the same fingerprint whatever its line breaks, page furniture or bullets."""
    import hashlib

    return hashlib.sha256(clean_fragment(fragment).casefold().encode()).hexdigest()


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def to_date(day: str | int, month: str, year: str | int) -> date | None:
    try:
        return date(int(year), _month(month), int(day))
    except (ValueError, KeyError):
        return None


def date_of(m: re.Match[str]) -> date | None:
    """The date a DATE_RE match names (either order of day and month; numeric dates day first, UK order)."""
    if m["d"] is not None:
        return to_date(m["d"], m["m"], m["y"])
    if m["dn"] is not None:
        try:
            return date(int(m["yn"]), int(m["mn"]), int(m["dn"]))
        except ValueError:
            return None
    return to_date(m["d2"], m["m2"], m["y2"])


def parse_date(text: str) -> date | None:
    m = DATE_RE.search(text)
    return date_of(m) if m else None


_DIGIT = re.compile(r"\d")


@dataclass
class DateRange:
    start: date
    end: date
    match_start: int
    match_end: int
    text: str


def find_date_range(text: str, pos: int = 0, endpos: int | None = None) -> DateRange | None:
    """The first date range in text[pos:endpos] (either order of day and month)."""
    endpos = len(text) if endpos is None else endpos
    if _DIGIT.search(text, pos, endpos) is None:
        return None
    found: list[DateRange] = []
    for rx in (RANGE_DAY_FIRST, RANGE_MONTH_FIRST):
        for m in rx.finditer(text, pos, endpos):
            d = m.groupdict()
            m2 = d["m2"] or d.get("m1")
            m1 = d.get("m1") or m2
            y1 = d.get("y1") or d["y2"]
            start, end = to_date(d["d1"], m1, y1), to_date(d["d2"], m2, d["y2"])
            if start is None or end is None:
                continue
            if start > end and not d.get("y1"):
                # "28 December to 2 January 2019": the start is in the year before.
                start = to_date(d["d1"], m1, int(y1) - 1)
            if start is None or start > end or (end - start).days > 31:
                continue
            found.append(DateRange(start, end, m.start(), m.end(), m.group(0)))
            break
    return min(found, key=lambda r: r.match_start) if found else None


def month_name(name: str) -> str:
    """'Jan.' / 'january' -> 'January': a month as a period is shown ("January 2017")."""
    number = MONTHS[name.lower().rstrip(".")]
    return date(2000, number, 1).strftime("%B")


def set_period(letter, text: str, start: int, end: int, c: Cleaned, precision: str = "month") -> None:
    """Record a visit known only to the month (or year): the period as written and its precision, pointing at the
    words that state it. The days stay unknown (start_date/end_date None): a month is never turned into a day."""
    letter.period_text = normalise_ws(text)[:100]
    letter.date_precision = precision
    letter.dates_span = c.span(start, end)


def sentence_around(text: str, index: int) -> tuple[int, int]:
    """Bounds of the sentence holding text[index] (a full stop followed by space ends a sentence)."""
    start = max(
        text.rfind(". ", 0, index),
        text.rfind(".\n", 0, index),
        max((m.start() for m in re.finditer(r"\n[ \t]*\n(?=[ \t]*[A-Z])", text[max(0, index - 1500) : index])), default=-1)
        + max(0, index - 1500) if index else -1,
    )
    start = 0 if start < 0 else start + 1
    m = re.compile(r"[.!?](?=\s|$)").search(text, index)
    end = m.end() if m else len(text)
    return start, end


@dataclass
class Item:
    """A list item in clean-text coordinates, marker excluded."""

    start: int
    end: int
    marker: str


def list_items(c: Cleaned, start: int, end: int) -> list[Item]:
    """The items of a list that runs over clean text[start:end].

    Items start at a bullet/number marker at a line start. Without markers (DOCX loses Word's list
    glyphs), each paragraph (blank-line separated, or each line when there are no blank lines) is one item.
    """
    region = c.text[start:end]
    markers = list(ITEM_MARKER.finditer(region))
    # A '-' dash at a line start in a wrapped sentence is rare; a marker needs text after it.
    markers = [m for m in markers if m.end() < len(region) and not region[m.end()].isspace()]
    # An en/em dash at a line start is often a wrapped sentence's dash: it opens a list only after a sentence
    # end, a colon or a blank line, and then continues that list.
    kept, in_dash_list = [], False
    for m in markers:
        if m.group(0).strip()[:1] in "–—":
            if not (in_dash_list or _after_break(region, m.start())):
                continue
            in_dash_list = True
        else:
            in_dash_list = False
        kept.append(m)
    markers = kept
    items: list[Item] = []
    if markers:
        for i, m in enumerate(markers):
            item_end = markers[i + 1].start() if i + 1 < len(markers) else len(region)
            items.append(Item(start + m.end(), start + item_end, m.group(0).strip()))
        return items
    blocks = [b for b in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", region)]
    if len(blocks) == 1:
        blocks = list(re.finditer(r"\S.*", region))
    for b in blocks:
        items.append(Item(start + b.start(), start + b.end(), ""))
    return items


def _after_break(text: str, index: int) -> bool:
    """True when text before index ends a sentence, a list item or a heading (or there is nothing before)."""
    before = text[:index].rstrip()
    return not before or before[-1] in ".:;!?" or text[:index].endswith("\n\n")


def item_text(c: Cleaned, item: Item) -> str:
    return join_lines(c.text[item.start : item.end])


# Sign-off and everything after a letter's last list: a list item never runs past these.
LIST_END = LineRx(
    r"[ \t]*(?:Yours\s+(?:sincerely|faithfully)|The\s+approach\s+to\s+responding|Ofsted[ \t]+Care\s+Quality"
    r"|Cc\s*:|Copied\s+to|This\s+letter\s+(?:outlines|will\s+be\s+published))",
    re.I,
)


def team_and_lead(c: Cleaned, start: int, end: int) -> tuple[str, list[dict[str, str]], Span | None]:
    """The lead inspector and the team from the sign-off block after 'Yours sincerely'.

    The block is a two-column table (Ofsted | CQC) that arrives row by row, tab-separated, or one cell per
    line; each person is a name followed by a role ("HMI Lead Inspector", "CQC Inspector", ...).
    """
    region = c.text[start:end]
    lead, team, lead_span = "", [], None
    role_rx = re.compile(
        r"(?-i:(?P<name>[A-Z][\w'’.-]+(?:[ ][A-Z][\w'’.-]+){1,3}))[ \t]*(?:\n\s*)?[ \t]*"
        r"(?P<role>(?:HMI[ \t]+)?(?:Lead[ \t]+inspector|Ofsted[ \t]+Inspector|CQC[ \t]+Inspector|Children['’]s[ \t]+Services[ \t]+Inspector"
        r"|Senior[ \t]+HMI|Regional[ \t]+Director|Deputy[ \t]+Chief[ \t]+Inspector))",
        re.I,
    )
    role_only = re.compile(
        r"^(?:HMI[ \t]+)?(?:Lead[ \t]+inspector|Ofsted[ \t]+Inspector|CQC[ \t]+Inspector|Children['’]s[ \t]+Services[ \t]+Inspector"
        r"|Senior[ \t]+HMI|HMI|Regional[ \t]+Director|Deputy[ \t]+Chief[ \t]+Inspector.*)$",
        re.I,
    )
    # Tabbed rows: "Nick Whittaker\tLucy Harte\nHMI Lead Inspector\tCQC Inspector" -> pair names with roles.
    lines = region.split("\n")
    pairs: list[tuple[str, str, int]] = []
    line_starts = []
    acc = 0
    for line in lines:
        line_starts.append(acc)
        acc += len(line) + 1
    for i, line in enumerate(lines[:-1]):
        # The roles row is the next non-blank line (HTML and DOCX put blank lines between rows).
        nxt = next((later for later in lines[i + 1 : i + 4] if later.strip()), "")
        if "\t" not in line:
            # A PDF gives the table's columns joined by spaces: "Nick Whittaker Lucy Harte" over "HMI Lead Inspector
            # CQC Inspector". Paired only when the names row splits evenly: two words a name, one name per role.
            roles = _roles_row(nxt)
            words = line.split()
            if len(roles) > 1 and len(words) == 2 * len(roles) and all(re.fullmatch(r"[A-Z][\w'’.-]+", w) for w in words):
                col = len(line) - len(line.lstrip())
                for k, role in enumerate(roles):
                    name = " ".join(words[2 * k : 2 * k + 2])
                    at = line.index(name, col)
                    pairs.append((name, role, start + line_starts[i] + at))
                    col = at + len(name)
            continue
        roles = [r.strip() for r in nxt.split("\t")]
        if not any(roles) or not all(role_only.match(r) for r in roles if r):
            continue
        col = 0
        for name, role in zip(line.split("\t"), roles, strict=False):
            if name.strip() and role:
                pairs.append((name.strip(), role, start + line_starts[i] + col + (len(name) - len(name.lstrip()))))
            col += len(name) + 1
    if not pairs:
        for m in role_rx.finditer(region):
            pairs.append((m["name"].strip(), m["role"].strip(), start + m.start("name")))
    seen = set()
    for name, role, at in pairs:
        name = normalise_ws(re.sub(r"\bHMI\b", "", name))
        role = normalise_ws(role)
        if re.search(r"director|deputy\s+chief", role, re.I) or not name or (name, role) in seen:
            continue
        seen.add((name, role))
        organisation = "CQC" if re.search(r"CQC|Children['’]s\s+Services\s+Inspector", role, re.I) else "Ofsted"
        team.append({"name": name, "role": role, "organisation": organisation})
        if not lead and re.search(r"lead\s+inspector", role, re.I):
            lead = name
            lead_span = _name_span(c, at, name)
    return lead, team, lead_span


_ROLE = (
    r"(?:HMI[ \t]+)?(?:Lead[ \t]+inspector|Ofsted[ \t]+Inspector|CQC[ \t]+Inspector|Children['’]s[ \t]+Services[ \t]+Inspector"
    r"|Senior[ \t]+HMI|HMI|Regional[ \t]+Director)"
)
_ROLES_ROW = re.compile(rf"[ \t]*{_ROLE}(?:[ \t]+{_ROLE})+[ \t]*", re.I)
_ONE_ROLE = re.compile(_ROLE, re.I)


def _roles_row(line: str) -> list[str]:
    """The roles of a row that holds only roles ("HMI Lead Inspector CQC Inspector"), else []."""
    if not _ROLES_ROW.fullmatch(line):
        return []
    return [m.group(0) for m in _ONE_ROLE.finditer(line)]


def _name_span(c: Cleaned, at: int, name: str) -> Span:
    return c.span(at, at + len(name))


def signatory(c: Cleaned, start: int, end: int) -> tuple[str, Span | None]:
    """The name signed under 'Yours sincerely' (the lead inspector, in 2016-framework letters)."""
    m = re.compile(r"Yours\s+(?:sincerely|faithfully),?\s*\n\s*(?P<name>[A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+){1,3})[ \t]*\n", re.I).search(
        c.text, start, end
    )
    if not m:
        return "", None
    name = normalise_ws(m["name"])
    if re.search(r"ofsted|care quality|inspector|director", name, re.I):
        return "", None
    return name, c.span(m.start("name"), m.end("name"))


DEAR_RE = LineRx(r"[ \t]*Dear\b", re.I)
DATE_LINE_RE = LineRx(rf"[ \t]*(?:Date[ \t]*:?[ \t]*)?(?P<date>{DATE})[ \t]*$", re.I)


def letter_date(c: Cleaned, start: int, end: int) -> tuple[date | None, Span | None]:
    """The date on a line of its own in the letterhead, before the salutation/title; else the only date
    there (PDF text may run the letterhead's columns into one line)."""
    m = DATE_LINE_RE.search(c.text, start, end)
    if not m:
        found = list(DATE_RE.finditer(c.text, start, end))
        if len(found) != 1:
            return None, None
        m = found[0]
        return date_of(m), c.span(m.start(), m.end())
    return parse_date(m["date"]), c.span(m.start("date"), m.end("date"))


def quoted_sentence(text: str, index: int, limit: int = 300) -> str:
    """The sentence of `text` holding `index`, on one line and quoted, cut to `limit` characters: for a review reason
    that shows a person what the parser could not place."""
    s, e = sentence_around(text, index)
    sentence = join_lines(text[s:e])
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return f"“{sentence}”"
