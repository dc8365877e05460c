"""2023-framework "Area SEND inspection of X Local Area Partnership" reports -> ParsedLetter.

The published report has a fixed shape: title, "Inspection dates:", "Dates of previous inspection:", an
"Inspection outcome" block (one of three fixed outcome sentences, then when the next inspections are due),
"Areas for priority action" (a table: responsible body | action) when the outcome is systemic failings,
"Areas for improvement" (a one-column table), and an "Inspection team" table (Ofsted | CQC columns).

Lists come out of PDFs as lines with no item markers, so item boundaries are read from the layout the text keeps:
a new item starts on a line that follows a finished sentence which ended short of the column's width, or that
opens a sentence naming who must act ("The partnership should …", "Education settings should …"; not a passive
"Plans should be …", not "They should also …"); an unmarked paragraph of that kind after bulleted or numbered items
is an item of its own, flagged (see `_paragraph_items`). A priority-action row cut by a page break is rejoined (the
body cell's lines come before and after the footer; see `_rejoin_broken_rows`). Where the text cannot settle a
question (an unknown outcome sentence, a table row whose two cells were printed on one line), the letter is flagged
for review rather than guessed silently.
"""

from __future__ import annotations

import re
import statistics

from ..types import Classified, ParsedLetter, ParsedWeakness, Span
from .common import Cleaned, find_date_range, normalise_ws, parse_date
from .text_2023 import BULLET_RE, Line, clean_report, join_item_lines, lines_in, page_breaks, table_cells, unwrapped

_TITLE_HEAD = r"Area\s+SEND\s+(?:full\s+|monitoring\s+)?(?:inspection|visit)\s+of\s+(?:the\s+)?"
TITLE_RE = re.compile(_TITLE_HEAD + r"(?P<area>\S.*?)\s+Local\s+Area\s+Partnership\b", re.I | re.S)
TITLE_LOOSE_RE = re.compile(_TITLE_HEAD + r"(?P<area>[^\n]+)", re.I)
# The value follows the label on its line, or (a definition list or a two-row table in a web page or Word file) on
# the next line, when that line is not another label: "Inspection dates:" / "20 to 24 May 2024".
_VALUE = r"(?:[ \t]*(?P<v>[^\n]*\S[^\n]*)|[ \t]*\n[ \t]*(?![^\n:]{0,40}:)(?P<v2>[^\n]*(?:\d|\bnot\b|\bnone\b|\bn/?a\b)[^\n]*))"
DATES_RE = re.compile(r"^[ \t]*Inspection\s+dates?[ \t]*(?::" + _VALUE + r"|(?=\n)" + _VALUE.replace("v>", "w>").replace("v2>", "w2>") + ")", re.I | re.M)
PREVIOUS_RE = re.compile(
    r"^[ \t]*Dates?\s+of\s+(?:the\s+)?previous\s+(?:full\s+)?(?:area\s+SEND\s+)?inspection[ \t]*(?::" + _VALUE + r"|(?=\n)" + _VALUE.replace("v>", "w>").replace("v2>", "w2>") + ")",
    re.I | re.M,
)


def _value(m: re.Match[str]) -> tuple[str, int]:
    """The value of a 'label: value' match, and where it starts."""
    for group in ("v", "v2", "w", "w2"):
        if m.group(group) is not None:
            return m.group(group), m.start(group)
    return "", m.end()
NOT_INSPECTED_RE = re.compile(r"not\s+(?:previously\s+)?inspected|none|n/?a\b|first\s+inspection", re.I)

HEADINGS = {
    "outcome": r"Inspection\s+outcome",
    "information": r"Information\s+about\s+the\s+local\s+area\s+partnership",
    "like": r"What\s+is\s+it\s+like\s+to\s+be\s+a\s+child",
    "priority": r"Areas?\s+for\s+priority\s+action",
    "improvement": r"Areas?\s+for\s+improvement",
    "details": r"Local\s+area\s+partnership\s+details",
    "about": r"Information\s+about\s+this\s+inspection",
    "team": r"Inspection\s+team",
}

OUTCOMES = [
    ("systemic_failings", re.compile(r"widespread\s+and/or\s+systemic\s+failings|widespread\s+or\s+systemic\s+failings", re.I)),
    ("inconsistent", re.compile(r"leads?\s+to\s+inconsistent\s+experiences\s+and\s+outcomes", re.I)),
    ("positive", re.compile(r"typically\s+leads?\s+to\s+positive\s+experiences\s+and\s+outcomes", re.I)),
]
_WITHIN = r"within\s+(?:approximately\s+|about\s+|around\s+)?(?P<within>(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen)\s+(?:years?|months?))"
# The sentence is found by its core words, then widened to its full stops (see _sentence_with): a pattern that
# starts with [^.]* is retried at every character of the block.
# "will be within", "will take place within", "will be carried out within", "is due within".
_WILL_BE = r"(?:will\s+(?:be\s+(?:carried\s+out\s+)?|take\s+place\s+)|is\s+(?:due|expected)\s+)"
NEXT_FULL_RE = re.compile(r"\bnext\s+full\s+(?:area\s+SEND\s+)?(?:re-?)?inspection\s+" + _WILL_BE + _WITHIN, re.I)
MONITORING_RE = re.compile(r"\bmonitoring\s+inspection\s+" + _WILL_BE + _WITHIN, re.I)
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "eighteen": 18}

# Words that are part of a role, never of a person's name.
_ROLE_WORD = r"(?:Lead|Inspector|HMI|Ofsted|CQC|Social|Care|Quality|Commission|Senior|Regional|Director|Children['’]s|Services)\b"
_NAME_WORD = rf"(?!{_ROLE_WORD})[A-Z][\w'’.-]*"
_NAME = rf"(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+)?{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,3}}"
_ROLE_START = r"(?:Ofsted|CQC|Care\s+Quality\s+Commission|HMI|Her\s+Majesty|His\s+Majesty|Lead|Senior|Children['’]s\s+Services)"
MEMBER_RE = re.compile(
    rf"(?P<name>{_NAME})(?P<hmi>[ \t]+HMI)?[ \t]*,[ \t]*(?P<role>{_ROLE_START}.*?)"
    rf"(?=\s+{_NAME}(?:[ \t]+HMI)?[ \t]*,[ \t]*{_ROLE_START}|\s*$)",
    re.S,
)
HONORIFIC_RE = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+")

# Who must act, named in the first words of an area for improvement / priority action.
ACTOR_RE = re.compile(
    r"^(?:\S+\s+){0,6}?(?:leaders?|leadership|partnership|partners|commissioners?|board|ICBs?|council|authority|LA|NHS|"
    r"health|providers?|practitioners|professionals|schools?|services|managers|officers|area)\b",
    re.I,
)
CLEAR_ROOM = 8
SENTENCE_END = re.compile(r"[.!?][’'”\")]*$")


def parse_report(item: Classified, document_text: str) -> ParsedLetter:
    chunk = item.chunk
    letter = ParsedLetter(kind="full_inspection", framework="2023", source_kind=item.source_kind, span=chunk.span)
    c = clean_report(document_text, chunk.span.start, chunk.span.end)
    heads = _headings(c)
    _title(c, letter)
    _dates(c, letter, heads)
    _outcome(c, letter, heads)
    # One line a paragraph (Word, web page)? Never for text with page breaks: a PDF's lines are wrapped.
    paragraphs = document_text.find("\f", chunk.span.start, chunk.span.end) == -1 and unwrapped(c)
    page_starts = page_breaks(c, document_text)
    letter.weaknesses = _priority_actions(c, letter, heads, paragraphs, page_starts) + _improvement_areas(c, letter, heads, paragraphs)
    _team(c, letter, heads)
    return letter


# --- sections ---------------------------------------------------------------------------------------------


_HEADING_LINE = re.compile(
    r"^[ \t]*(?:" + "|".join(f"(?P<{key}>{rx})" for key, rx in HEADINGS.items()) + r")[ \t]*$", re.I | re.M
)


def _headings(c: Cleaned) -> dict[str, list[int]]:
    """Clean-text offsets of each heading line (a line holding only the heading); one scan for all headings."""
    found: dict[str, list[int]] = {}
    for m in _HEADING_LINE.finditer(c.text):
        found.setdefault(m.lastgroup, []).append(m.start())
    return found


def _section(c: Cleaned, heads: dict[str, list[int]], key: str) -> tuple[int, int] | None:
    """Clean-text bounds of a section: from after its (first) heading line to the next other heading."""
    if key not in heads:
        return None
    at = heads[key][0]
    start = c.text.find("\n", at)
    start = len(c.text) if start == -1 else start + 1
    later = [p for other, ps in heads.items() if other != key for p in ps if p > at]
    return start, min(later) if later else len(c.text)


def _title(c: Cleaned, letter: ParsedLetter) -> None:
    head = c.text[:1500]
    m = TITLE_RE.search(head)
    if m and "\n\n" not in m["area"] and len(m["area"]) <= 80:
        letter.area_name = normalise_ws(m["area"])
        letter.area_span = c.span(m.start("area"), m.end("area"))
        return
    m = TITLE_LOOSE_RE.search(head)
    if m:
        letter.area_name = normalise_ws(m["area"])
        letter.area_span = c.span(m.start("area"), m.end("area"))
        letter.flag("The title does not end 'Local Area Partnership': the area name is the rest of the title line.")
    else:
        letter.flag("No 'Area SEND inspection of …' title was found: the area is unknown.", 0.2)


def _dates(c: Cleaned, letter: ParsedLetter, heads: dict[str, list[int]]) -> None:
    m = DATES_RE.search(c.text)
    if not m:
        letter.flag("No 'Inspection dates:' line was found.", 0.3)
    else:
        value, at = _value(m)
        rng = find_date_range(value)
        if rng:
            letter.start_date, letter.end_date = rng.start, rng.end
            letter.dates_span = c.span(at + rng.match_start, at + rng.match_end)
        elif parse_date(value):
            letter.start_date = letter.end_date = parse_date(value)
            letter.dates_span = c.span(at, at + len(value))
        else:
            letter.flag(f"The inspection dates could not be read: {value.strip()!r}.", 0.3)
    p = PREVIOUS_RE.search(c.text)
    if not p:
        letter.findings["previous_inspection_text"] = ""
        letter.flag("No 'Dates of previous inspection:' line was found.")
        return
    raw, at = _value(p)
    value = normalise_ws(raw)
    letter.findings["previous_inspection_text"] = value
    letter.previous_span = c.span(at, at + len(raw.rstrip()))
    rng = find_date_range(value)
    if rng:
        letter.previous_start_date, letter.previous_end_date = rng.start, rng.end
    elif parse_date(value):
        letter.previous_start_date = letter.previous_end_date = parse_date(value)
    elif NOT_INSPECTED_RE.search(value):
        letter.not_previously_inspected = True
        letter.findings["not_previously_inspected"] = True  # stated, so recorded (absence would say nothing)
    else:
        letter.flag(f"The previous inspection's dates could not be read: {value!r}.")
    if letter.previous_start_date and letter.start_date and letter.previous_start_date >= letter.start_date:
        letter.flag("The previous inspection is dated on or after this inspection.")


def _outcome(c: Cleaned, letter: ParsedLetter, heads: dict[str, list[int]]) -> None:
    bounds = _section(c, heads, "outcome")
    if not bounds:
        letter.flag("No 'Inspection outcome' section was found.", 0.3)
        return
    start, end = bounds
    block = c.text[start:end]
    letter.outcome_text = normalise_ws(block)
    letter.outcome_span = c.span(start, end)
    hits = [name for name, rx in OUTCOMES if rx.search(block)]
    if len(hits) == 1:
        letter.outcome = hits[0]
    else:
        letter.flag(
            "The outcome paragraph does not match exactly one of the three published outcome sentences.", 0.3
        )
    sentences = []
    full = NEXT_FULL_RE.search(letter.outcome_text)
    monitoring = MONITORING_RE.search(letter.outcome_text)
    if monitoring:
        sentences.append(_sentence_with(letter.outcome_text, monitoring))
        letter.findings["monitoring_inspection_within"] = monitoring["within"]
        letter.findings["monitoring_inspection_within_months"] = _months(monitoring["within"])
    if full:
        sentences.append(_sentence_with(letter.outcome_text, full))
        letter.findings["next_full_inspection_within"] = full["within"]
        months = _months(full["within"])
        letter.findings["next_full_inspection_within_years"] = months // 12 if months and months % 12 == 0 else None
    else:
        letter.flag("The outcome block does not say when the next full inspection is due.", 0.8)
    letter.next_inspection_text = " ".join(sentences)[:255]
    if letter.outcome == "systemic_failings" and not monitoring:
        letter.flag("Systemic failings but no monitoring inspection date in the outcome block.", 0.8)


def _sentence_with(text: str, m: re.Match[str]) -> str:
    """The sentence around a match: from after the full stop before it to the full stop after it."""
    start = text.rfind(".", 0, m.start()) + 1
    stop = text.find(".", m.end())
    return text[start : len(text) if stop == -1 else stop + 1].strip()


def _months(within: str) -> int | None:
    number, unit = within.split()
    n = int(number) if number.isdigit() else NUMBERS.get(number.lower())
    if n is None:
        return None
    return n * 12 if unit.lower().startswith("year") else n


# --- lists ------------------------------------------------------------------------------------------------


def _priority_actions(
    c: Cleaned, letter: ParsedLetter, heads: dict[str, list[int]], paragraphs: bool = False, page_starts: list[int] = ()
) -> list[ParsedWeakness]:
    bounds = _section(c, heads, "priority")
    if not bounds:
        if letter.outcome == "systemic_failings":
            letter.flag("Systemic failings but no 'Areas for priority action' section was found.", 0.3)
        return []
    lines = [ln for ln in lines_in(c, *bounds) if not _is_header_row(ln.text, r"Areas?\s+for\s+priority\s+action")]
    if not lines:
        return []
    # A row written with cell separators (tabs from DOCX/HTML, pipes from a web page or e-mail) is read by its cells,
    # whatever the separator: never by line widths, which would take the separator and the other cell for the action.
    celled = [ln for ln in lines if table_cells(c.text[ln.start : ln.end])]
    header = re.search(r"^[ \t]*Responsible\s+bod(?:y|ies)\b", c.text[bounds[0] : bounds[1]], re.I | re.M)
    if celled:
        rows = _cell_rows(letter, lines)
    elif header:
        rows = _table_rows(c, letter, lines, page_starts)
    else:
        rows = [(None, item) for item in _paragraph_items(c, letter, lines, "areas for priority action", paragraphs)]
    out = []
    for number, (body, item) in enumerate(rows, start=1):
        out.append(
            ParsedWeakness(
                number=number,
                text=join_item_lines(item),
                span=c.span(item[0].start, item[-1].end),
                kind="priority_action",
                responsible_bodies=body or "",
            )
        )
    if letter.outcome and letter.outcome != "systemic_failings" and out:
        letter.flag("Areas for priority action were found but the outcome is not systemic failings.")
    return out


def _improvement_areas(c: Cleaned, letter: ParsedLetter, heads: dict[str, list[int]], paragraphs: bool = False) -> list[ParsedWeakness]:
    bounds = _section(c, heads, "improvement")
    if not bounds:
        letter.flag("No 'Areas for improvement' section was found.", 0.5)
        return []
    lines = [ln for ln in lines_in(c, *bounds) if not _is_header_row(ln.text, r"Areas?\s+for\s+improvement")]
    # A one-column table written with pipes ("| The partnership should … |"); a tab here is a list's marker ("1.<TAB>").
    if any("|" in ln.text and table_cells(ln.text) for ln in lines):
        items = _cell_items(lines)
    else:
        items = _paragraph_items(c, letter, lines, "areas for improvement", paragraphs)
    return [
        ParsedWeakness(
            number=n, text=join_item_lines(item), span=c.span(item[0].start, item[-1].end), kind="improvement_area"
        )
        for n, item in enumerate(items, start=1)
    ]


def _cell_items(lines: list[Line]) -> list[list[Line]]:
    """Items of a one-column list written as table rows ("| Leaders should … |"): one item a row, its cells'
    text without the separators; a header or rule row is not an item; a line with no separator carries on the row
    above (its text wrapped onto a line of its own)."""
    items: list[list[Line]] = []
    for ln in lines:
        cells = table_cells(ln.text)
        if cells is None:
            if items:
                items[-1].append(ln)
            continue
        if not cells or all(not t or _is_header_row(t, r"Areas?\s+for\s+improvement") for _, t in cells):
            continue
        items.append([Line(ln.start + at, ln.start + at + len(t), t) for at, t in cells if t])
    return [item for item in items if item]


def _is_header_row(text: str, heading: str) -> bool:
    return bool(re.fullmatch(rf"(?:Responsible\s+bod(?:y|ies)\s+)?{heading}", text.strip(), re.I))


_REFERS_BACK = re.compile(r"(?:They|This|These|That|Those|It|Its|Their|Also|In\s+addition|Furthermore|Additionally)\b")
# A sentence that opens a new recommendation by naming who must act, whoever that is ("Education settings should
# …", "The designated clinical officer should …"): a subject of a few words, then should/must and an active verb.
# Not a passive ("Plans should be checked …") and not a sentence that refers back ("They should also …").
RECOMMENDATION_RE = re.compile(
    r"^(?!(?:They|This|These|That|Those|It|Its|Their|There|He|She|Also|Plans?|Reviews?)\b)"
    r"(?:[\w'’&()/,-]+\s+){1,8}?(?:should|must)\s+(?!(?:also\s+|urgently\s+|now\s+|still\s+)*(?:be|have\s+been|not)\b)[a-z]+"
)


def _opens_recommendation(text: str) -> bool:
    """A line (with the start of the next) that opens a new area: it names who must act."""
    return bool(ACTOR_RE.match(text) or RECOMMENDATION_RE.match(text)) and not _REFERS_BACK.match(text)
_NUMBERED = re.compile(r"^(?P<n>\d{1,2})[.)][ \t]+")


def _paragraph_items(
    c: Cleaned, letter: ParsedLetter, lines: list[Line], what: str, paragraphs: bool = False
) -> list[list[Line]]:
    """Split a one-column list (each item a paragraph, maybe with bullets) into items.

    Numbered items ("1. ...") are split at their numbers. A list that opens with a bullet is a bulleted list: each
    bullet at its outermost indent starts an item (deeper bullets and unmarked lines belong to it). Otherwise a line
    starts a new item when the line before it ends a sentence AND the first word of the line would have fitted on
    that line (the line ended short of the column: a paragraph break, not a wrap); with `paragraphs` (text from Word
    or a web page, one line per paragraph) every line is a paragraph. Bullet lines never start an item there.
    """
    if not lines:
        return []
    if lines[0].bullet:
        # The outermost level: the first bullet's glyph at its indent. Sub-points are indented (Word, web pages) or
        # drawn with another glyph (a PDF has no indent): '•' items with '–' sub-points.
        top, glyph = lines[0].indent, lines[0].text[:1]
        items: list[list[Line]] = []
        unmarked = False
        for k, line in enumerate(lines):
            if line.bullet and line.indent <= top and line.text[:1] == glyph:
                skip = BULLET_RE.match(line.text).end()
                items.append([Line(line.start + skip, line.end, line.text[skip:], line.indent)])
            elif _unmarked_item(lines, k, top):
                # A paragraph at the list's own level, after a finished sentence, naming who must act: an area printed
                # without its bullet ("The partnership should …" after the bulleted areas).
                items.append([line])
                unmarked = True
            else:
                items[-1].append(line)
        items = [item for item in items if item[0].text.strip()]
        if unmarked:
            letter.flag(f"A paragraph of the {what} without a bullet, naming who must act, was read as an item of its own.", 0.8)
        if any(item[-1].text.rstrip().endswith(":") for item in items[:-1]):
            letter.flag(
                f"An item of the {what} ends with a colon and the next bullet is at the same level: its sub-points "
                "may have been read as separate items.",
                0.5,
            )
        return items
    numbered = [i for i, ln in enumerate(lines) if _NUMBERED.match(ln.text) and not ln.bullet]
    if numbered and numbered[0] == 0 and [int(_NUMBERED.match(lines[i].text)["n"]) for i in numbered] == list(
        range(1, len(numbered) + 1)
    ):
        items = []
        unmarked = False
        for k, i in enumerate(numbered):
            chunk = lines[i : numbered[k + 1] if k + 1 < len(numbered) else len(lines)]
            first = chunk[0]
            skip = _NUMBERED.match(first.text).end()
            items.append([Line(first.start + skip, first.end, first.text[skip:])])
            for j in range(1, len(chunk)):
                if _unmarked_item(lines, i + j, chunk[0].indent):
                    # An unnumbered paragraph naming who must act after a finished item: an area printed without
                    # a number. Kept as an item of its own, flagged.
                    items.append([chunk[j]])
                    unmarked = True
                else:
                    items[-1].append(chunk[j])
        if unmarked:
            letter.flag(f"An unnumbered paragraph in the numbered {what}, naming who must act, was read as an item of its own.", 0.6)
        return items
    width = _column_width([ln for ln in lines if not ln.bullet])
    items: list[list[Line]] = [[lines[0]]]
    doubtful = run_on = False
    for k in range(1, len(lines)):
        prev, line = lines[k - 1], lines[k]
        new = False
        if not line.bullet and re.match(r"[A-Z0-9‘'“\"(]", line.text) and SENTENCE_END.search(prev.text):
            following = line.text + " " + (lines[k + 1].text if k + 1 < len(lines) else "")
            actor = _opens_recommendation(following)
            room = CLEAR_ROOM if paragraphs else width - len(prev.text) - 1 - len(line.text.split()[0])
            if not prev.bullet and room >= CLEAR_ROOM:
                # The line before stopped well short of the column: a paragraph break. A paragraph that opens by
                # referring back ("They should also …", "This includes …") names no one who must act: an area never
                # opens so, so it is a second paragraph of the item before (joined, flagged).
                refers_back = bool(_REFERS_BACK.match(line.text))
                new = not refers_back
                run_on = run_on or refers_back
            else:
                # The line before ran to (or near) the edge, or closed a bullet list: a paragraph break is not
                # certain. A new area for improvement opens by naming who must act ("Leaders …", "The local
                # area partnership …"); a sentence that carries on an area does not ("They should also …").
                new = actor
                doubtful = doubtful or (not actor and room >= 0)
        if new:
            items.append([line])
        else:
            items[-1].append(line)
    if doubtful:
        letter.flag(f"A paragraph break in the {what} is unclear (a sentence ends near the end of a line).", 0.7)
    if run_on:
        letter.flag(
            f"A paragraph of the {what} opens by referring back (“They should also …”): it was read as part of the item "
            "before it.",
            0.7,
        )
    return items


def _unmarked_item(lines: list[Line], k: int, top: int) -> bool:
    """Line k, with no bullet or number, starts an area of its own: at the list's outer level, after a line that
    ends a sentence, opening a sentence that names who must act (not a passive, not one that refers back)."""
    line = lines[k]
    if k == 0 or line.bullet or line.indent > top or not re.match(r"[A-Z]", line.text):
        return False
    prev = lines[k - 1]
    if not SENTENCE_END.search(prev.text) or _NUMBERED.match(line.text):
        return False
    following = line.text + " " + (lines[k + 1].text if k + 1 < len(lines) else "")
    return _opens_recommendation(following)


def _column_width(lines: list[Line]) -> int:
    """The column width in characters: the longest lines of a paragraph column run almost to its edge."""
    lengths = sorted(len(ln.text) for ln in lines)
    if not lengths:
        return 90
    # The 90th percentile, not the maximum: a line PDFium glued together (a hyphen join) can be far longer.
    return lengths[int(0.9 * (len(lengths) - 1))]


# A header cell of the priority-action table: which column holds the responsible body and which the action.
_BODY_HEADER = re.compile(r"Responsible\s+(?:bod(?:y|ies)|partners?|organisations?)|Who\s+(?:is\s+)?responsible|Bod(?:y|ies)", re.I)
_ACTION_HEADER = re.compile(r"(?:Areas?\s+for\s+)?priority\s+actions?|Areas?\s+for\s+priority\s+action|Actions?", re.I)


def _cell_rows(letter: ParsedLetter, lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Rows of the priority-action table written with cell separators (see text_2023.table_cells): one row a line.

    A header row ('Responsible body | Area for priority action') is not a row: it says which column is which. With no
    header, a two-cell row is body then action (the report's order) unless only the first cell reads as a sentence.
    A line with no separator carries on the row above's action (a cell's text wrapped onto a line of its own). A row
    that fits neither (another number of cells) keeps its longest cell as the action and no body: flagged."""
    rows: list[tuple[str, list[Line]]] = []
    columns: tuple[int, int, int] | None = None  # (cells in the header, body column, action column)
    odd = False
    for ln in lines:
        cells = table_cells(ln.text)
        if cells is None:
            if rows:
                rows[-1][1].append(ln)
            continue
        texts = [t for _, t in cells]
        body = next((k for k, t in enumerate(texts) if _BODY_HEADER.fullmatch(t)), None)
        action = next((k for k, t in enumerate(texts) if _ACTION_HEADER.fullmatch(t)), None)
        if body is not None and action is not None and all(len(t) <= 15 for k, t in enumerate(texts) if k not in (body, action)):
            columns = (len(cells), body, action)  # the header row ("No. | Responsible body | Area for priority action")
            continue
        if not cells or all(not t or _BODY_HEADER.fullmatch(t) or _ACTION_HEADER.fullmatch(t) for t in texts):
            continue  # a rule row, or a header row naming one column only
        if columns is not None and len(cells) == columns[0]:
            body_cell, action_cell = cells[columns[1]], cells[columns[2]]
        elif columns is None and len(cells) == 2:
            first_is_action = SENTENCE_END.search(texts[0]) and not SENTENCE_END.search(texts[1])
            body_cell, action_cell = (cells[1], cells[0]) if first_is_action else (cells[0], cells[1])
        else:
            odd = True
            body_cell, action_cell = (0, ""), max(cells, key=lambda cell: len(cell[1]))
        at, text = action_cell
        rows.append((normalise_ws(body_cell[1]), [Line(ln.start + at, ln.start + at + len(text), text)] if text else []))
    if odd:
        letter.flag(
            "A row of the areas for priority action table does not have the table's cells: its longest cell was read "
            "as the action and no responsible body was read.",
            0.5,
        )
    return [(b, a) for b, a in rows if a and a[0].text]


def _table_rows(c: Cleaned, letter: ParsedLetter, lines: list[Line], page_starts: list[int] = ()) -> list[tuple[str, list[Line]]]:
    """Rows of the 'Responsible body | Areas for priority action' table, read line by line.

    PDF text gives each row as the body cell's lines (a narrow column) then the action cell's lines (a wide
    column). A row starts after a finished sentence with a run of short lines followed by a long line.
    """
    # Lines that open a page (the first line after each page break): see _rejoin_broken_rows.
    breaks = {k for k in range(1, len(lines)) if any(lines[k - 1].end <= b <= lines[k].start for b in page_starts)}
    widths = sorted(len(ln.text) for ln in lines)
    wide = max(widths) if widths else 60
    long_lines = [len(ln.text) for ln in lines if len(ln.text) > wide * 0.6]
    action_width = statistics.median_high(long_lines) if long_lines else wide
    short = action_width * 0.62

    def is_short(ln: Line) -> bool:
        return len(ln.text) <= short and not ln.bullet

    def body_run(i: int) -> int:
        """Index of the action's first line if a body cell starts at line i, else -1."""
        j = i
        while j < len(lines) and is_short(lines[j]) and j - i < 8:
            j += 1
        if j == i or j >= len(lines):
            return -1
        nxt = lines[j]
        if nxt.bullet or is_short(nxt) or not re.match(r"[A-Z]", nxt.text):
            return -1
        return j

    body_widths = []
    starts: list[tuple[int, int]] = []  # (body start, action start)
    i = 0
    while i < len(lines):
        at_row_start = i == 0 or SENTENCE_END.search(lines[i - 1].text)
        j = body_run(i) if at_row_start and re.match(r"[A-Z0-9]", lines[i].text) else -1
        if j != -1:
            starts.append((i, j))
            body_widths += [len(ln.text) for ln in lines[i:j]]
            i = j + 1
            continue
        i += 1
    # A row whose one-line body cell shares a line with the action's first line: "Council Council leaders should".
    merged: list[int] = []
    for k, ln in enumerate(lines):
        if k == 0 or not SENTENCE_END.search(lines[k - 1].text) or len(ln.text) <= action_width * 1.18:
            continue
        if any(a <= k < b for a, b in _row_spans(starts, len(lines))) and not any(s == k for s, _ in starts):
            merged.append(k)
    rows: list[tuple[str, list[Line]]] = []
    marks = sorted([(s, a, False) for s, a in starts] + [(k, k, True) for k in merged])
    if not marks or marks[0][0] != 0:
        letter.flag("The first row of the areas for priority action table could not be read.", 0.3)
    cells: list[tuple[list[Line], list[Line], bool]] = []  # (body lines, action lines, starts at a page break)
    for n, (s, a, is_merged) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(lines)
        if is_merged:
            body, first = _split_merged(lines[s], max(body_widths or [28]))
            letter.flag(
                "A responsible body and its action were printed on one line; where the body ends was inferred.", 0.6
            )
            rows.append((body, [first] + lines[s + 1 : end]))
        else:
            cells.append((lines[s:a], lines[a:end], s in breaks))
            rows.append(("", []))  # filled below, once rows broken by a page are rejoined
    cells = _rejoin_broken_rows(letter, cells, breaks, lines, is_short)
    filled = iter(cells)
    out = []
    for body, action in rows:
        if action:
            out.append((body, action))
            continue
        cell = next(filled, None)
        if cell is not None:
            out.append((join_item_lines(cell[0]), cell[1]))
    return out


_BODY_CONTINUES = re.compile(r"(?:\b(?:and|of|the|for|&)|,)$", re.I)


def _rejoin_broken_rows(
    letter: ParsedLetter, cells: list[tuple[list[Line], list[Line], bool]], breaks: set[int], lines: list[Line], is_short
) -> list[tuple[list[Line], list[Line], bool]]:
    """Rows of the priority-action table that a page break cut in two, made whole again.

    PDF text gives each page's part of a row as its left cell's lines, then its right cell's: a row broken by a page
    comes out body, action, [footer], more body, more action. Read line by line, the body's second part lands inside
    the action ("… They should and NHS South Yorkshire ICB check how much …") or starts a row of its own. Here:
    - short lines just after a break, inside an action, followed by the action's next line, are the body's rest
      when the action had not finished its sentence or carries on in lower case;
    - a "row" that starts at a break whose body carries on the previous body (the previous body ends "and", "of", ",";
      or this one starts in lower case or with "and") is the previous row's second part.
    Either way the row is flagged, so a person can check the rejoined text."""
    index = {id(ln): k for k, ln in enumerate(lines)}
    out: list[tuple[list[Line], list[Line], bool]] = []
    for body, action, at_break in cells:
        body, action = list(body), list(action)
        for pos in range(1, len(action)):
            if index[id(action[pos])] not in breaks:
                continue
            j = pos
            while j < len(action) and is_short(action[j]) and j - pos < 8:
                j += 1
            if pos < j < len(action) and (
                not SENTENCE_END.search(action[pos - 1].text)
                or action[j].text[:1].islower()
                or action[pos].text[:1].islower()
                or re.match(r"(?:and|&)\b", action[pos].text)
                or (body and _BODY_CONTINUES.search(body[-1].text))
            ):
                body += action[pos:j]
                action = action[:pos] + action[j:]
                letter.flag(
                    "A priority-action row was broken by a page: its responsible body continues after the page footer; "
                    "the two parts were joined.",
                    0.8,
                )
                break
        continues_body = out and at_break and body and (
            _BODY_CONTINUES.search(out[-1][0][-1].text if out[-1][0] else "")
            or body[0].text[:1].islower()
            or re.match(r"(?:and|&)\b", body[0].text)
        )
        if continues_body:
            prev_body, prev_action, prev_break = out[-1]
            action_goes_on = bool(prev_action) and (
                not SENTENCE_END.search(prev_action[-1].text) or (bool(action) and action[0].text[:1].islower())
            )
            if action_goes_on:
                out[-1] = (prev_body + body, prev_action + action, prev_break)
                letter.flag(
                    "A priority-action row was broken by a page: the part after the page footer was joined to the row "
                    "before it.",
                    0.7,
                )
                continue
            # The action before the break was finished and a new one starts here: a new row whose body cell may
            # begin with the end of the previous row's body. Where one body ends is not certain, so neither row's body
            # is read (unknown, never a guess); the actions are whole.
            out[-1] = ([], prev_action, prev_break)
            body = []
            letter.flag(
                "After a page break, a responsible-body cell may hold the end of the previous row's body: where one "
                "ends is not certain, so the responsible bodies of the priority actions either side of the page "
                "footer were not read.",
                0.5,
            )
        out.append((body, action, at_break))
    return out


def _row_spans(starts: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    return [(a, starts[k + 1][0] if k + 1 < len(starts) else n) for k, (_, a) in enumerate(starts)]


def _split_merged(line: Line, body_width: int) -> tuple[str, Line]:
    """The longest prefix that fits the body column and leaves an action starting with a capital."""
    best = None
    for m in re.finditer(r"\s+", line.text):
        if m.start() > body_width:
            break
        rest = line.text[m.end() :]
        if re.match(r"[A-Z]", rest):
            best = m
    if best is None:
        return "", line
    return normalise_ws(line.text[: best.start()]), Line(line.start + best.end(), line.end, line.text[best.end() :])


# --- team -------------------------------------------------------------------------------------------------


def _team(c: Cleaned, letter: ParsedLetter, heads: dict[str, list[int]]) -> None:
    if "team" not in heads:
        letter.flag("No 'Inspection team' section was found.", 0.8)
        return
    at = heads["team"][-1]
    start = c.text.find("\n", at) + 1
    stop = re.compile(r"^[ \t]*(?:If\s+you\s+are\s+not\s+happy|The\s+Office\s+for\s+Standards|Ofsted\s+Care\s+Quality\s+Commission\s*$)", re.I | re.M)
    lines = lines_in(c, start, len(c.text))
    body: list[Line] = []
    for ln in lines:
        if re.fullmatch(r"(?:Ofsted|CQC)?\s*(?:Ofsted|Care\s+Quality\s+Commission|CQC)", ln.text, re.I):
            continue  # column headers
        if stop.match(ln.text) or re.match(r"If\s+you\s+are\s+not\s+happy|The\s+Office\s+for\s+Standards", ln.text, re.I):
            break
        body.append(ln)
    if not body:
        letter.flag("The inspection team table is empty.", 0.8)
        return
    # One string with a space for each line break; offsets map back through `index`.
    text = ""
    index: list[int] = []
    for ln in body:
        if text:
            text += " "
            index.append(-1)
        text += ln.text
        index.extend(range(ln.start, ln.end))
    team = []
    leads = []
    lead_span = None
    for m in MEMBER_RE.finditer(text):
        name = normalise_ws(HONORIFIC_RE.sub("", m["name"]))
        role = normalise_ws((("HMI, " if m["hmi"] else "") + m["role"]).rstrip(" ,;"))
        organisation = "CQC" if re.search(r"\bCQC\b|Care\s+Quality\s+Commission", role, re.I) else "Ofsted"
        team.append({"name": name, "role": role, "organisation": organisation})
        if re.search(r"\blead\b", role, re.I):
            leads.append(name)
            if lead_span is None:
                lead_span = c.span(index[m.start("name")], index[m.end("name") - 1] + 1)
    leftovers = MEMBER_RE.sub("", text).strip()
    if leftovers:
        letter.flag(f"Part of the inspection team table was not read: {leftovers[:80]!r}.", 0.8)
    letter.inspection_team = team
    letter.lead_inspector = "; ".join(leads)
    letter.findings["lead_inspectors"] = leads
    if not leads:
        letter.flag("No lead inspector is named in the inspection team table.", 0.8)
    if lead_span:
        letter.findings["lead_inspector_span"] = [lead_span.start, lead_span.end]


__all__ = ["parse_report", "Span"]
