"""A council's own report about a 2016-framework inspection or revisit (no Ofsted letter inside) -> ParsedLetter.

The council writes in its own words: lists are paraphrased and reordered, dates are written any way
("On July 8th-10th 2019"). Everything read here is a secondary-source fact and is always flagged for review;
the writer never lets it overwrite a fact read from the letter itself.
"""

from __future__ import annotations

import re

from ..types import Classified, ParsedJudgement, ParsedLetter, ParsedWeakness
from . import common as cm
from .common import Cleaned
from .initial_2016 import WSOA_REQUIRED

SECONDARY_REASON = "Read from a council report's own summary (a secondary source), not from the Ofsted/CQC letter."

_SP = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"  # names may be wrapped over two lines
AREA_PATTERNS = [
    re.compile(rf"(?:^|[.\n]\s*|\b(?:In|On)\s+[^,.]{{3,40}}?\s+)(?:the\s+)?(?P<area>[A-Z][\w'’&-]*(?:{_SP}(?:and|upon|on|of|[A-Z][\w'’&-]*))*?){_SP}Local{_SP}Area{_SP}was{_SP}(?:inspected|revisited)"),
    re.compile(rf"SEND{_SP}(?:Revisit|Re-visit|Inspection){_SP}in{_SP}(?P<area>[A-Z][\w'’&-]*(?:{_SP}(?:and|upon|on|of|[A-Z][\w'’&-]*))*)", re.I),
    re.compile(rf"\blocal\s+area\s+of\s+(?P<area>[A-Z][\w'’&-]*(?:{_SP}(?:and|upon|on|of|[A-Z][\w'’&-]*))*)"),
    # "Ofsted and the CQC revisited the area of Southend-on-Sea", as a council page retells the letter's opening.
    re.compile(rf"\b(?:revisited|re-visited|inspected)\s+the\s+area\s+of\s+(?P<area>[A-Z][\w'’&-]*(?:{_SP}(?:and|upon|on|of|[A-Z][\w'’&-]*))*)"),
]
LEAD = [
    re.compile(rf"Lead\s+Inspector,?\s+(?-i:(?P<name>[A-Z][\w'’-]+(?:{_SP}[A-Z][\w'’-]+){{1,2}}))", re.I),
    re.compile(rf"(?-i:(?P<name>[A-Z][\w'’-]+(?:{_SP}[A-Z][\w'’-]+){{1,2}})),?\s+(?:HMI,?\s+)?(?:was\s+)?(?:the\s+)?lead\s+inspector", re.I),
]
LIST_INTRO = re.compile(
    r"(?:weakness(?:es)?|concerns?|areas\s+(?:for\s+(?:development|improvement)|of\s+(?:significant\s+)?weakness))[^.:\n]{0,80}:[ \t]*\n", re.I
)
_ADDRESSING = r"(?:(?:addressing|tackling|improving)\s+)?"
ALL_SUFFICIENT = re.compile(
    r"(?:sufficient|enough)\s+progress\s+(?:had\s+been\s+|has\s+been\s+|was\s+)?(?:made\s+)?(?:in|on|against)\s+"
    + _ADDRESSING
    + r"(?:each|all)\s+(?:of\s+)?(?:the\s+)?(?P<n>\w+)?",
    re.I,
)
NONE_SUFFICIENT = re.compile(r"(?:not|insufficient)\s+(?:made\s+)?(?:sufficient\s+)?progress", re.I)
SOME_SUFFICIENT = re.compile(
    r"(?:sufficient|enough)\s+progress\s+(?:in|on|against)\s+" + _ADDRESSING + r"(?P<k>\w+)\s+(?:of|out\s+of)\s+(?:the\s+)?(?P<n>\w+)",
    re.I,
)


def parse_secondary(item: Classified, document_text: str) -> ParsedLetter:
    chunk = item.chunk
    c = cm.clean(document_text, chunk.span.start, chunk.span.end)
    letter = ParsedLetter(kind=item.kind, framework=item.framework, source_kind="secondary", span=chunk.span)
    letter.flag(SECONDARY_REASON, confidence=0.7)
    read_area(letter, c)
    read_dates(letter, c)
    read_lead(letter, c)
    items = read_list(c)
    if item.kind == "revisit":
        read_revisit_outcome(letter, c, items)
    else:
        read_initial_outcome(letter, c, items)
    return letter


def read_area(letter: ParsedLetter, c: Cleaned) -> None:
    names: list[tuple[str, re.Match[str]]] = []
    for rx in AREA_PATTERNS:
        for m in rx.finditer(c.text):
            names.append((re.sub(r"^The\s+", "", cm.normalise_ws(m["area"])).strip(" .,"), m))
    if not names:
        letter.flag("The local area's name was not found in the council report.")
        return
    name, m = names[0]
    letter.area_name = name
    letter.area_span = c.span(m.start("area"), m.end("area"))
    others = {n for n, _ in names if n.lower() != name.lower()}
    if others:
        letter.flag(f"The council report names the area as '{name}' but also as {sorted(others)}.")


def read_dates(letter: ParsedLetter, c: Cleaned) -> None:
    verb = r"revisit(?:ed)?|re-visit(?:ed)?" if letter.kind == "revisit" else r"inspected|inspection"
    for m in re.finditer(verb, c.text, re.I):
        s, e = cm.sentence_around(c.text, m.start())
        rng = cm.find_date_range(c.text, s, e)
        if rng:
            letter.start_date, letter.end_date = rng.start, rng.end
            letter.dates_span = c.span(rng.match_start, rng.match_end)
            return
    letter.flag("The dates of the inspection were not found in the council report.")


def read_lead(letter: ParsedLetter, c: Cleaned) -> None:
    for rx in LEAD:
        m = rx.search(c.text)
        if m:
            letter.lead_inspector = cm.normalise_ws(m["name"])
            return


_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*(?P<head>\S)")
_HEADING_PARA = re.compile(r"[A-Z0-9][^\n.]{0,60}\n[ \t]*\n")


def read_list(c: Cleaned) -> list[tuple[str, tuple[int, int]]]:
    """The first list introduced by a line ending 'weaknesses/concerns/areas ...:'; its items end where a
    paragraph starts without the list's own marker."""
    intro = LIST_INTRO.search(c.text)
    if not intro:
        return []
    first = cm.ITEM_MARKER.search(c.text, intro.end())
    if not first:
        return []
    glyph = first.group(0).strip()[:1]
    end = len(c.text)
    text = c.text
    # Positions, not slices of the rest of the text: a council report can run to hundreds of pages.
    for para in _PARAGRAPH.finditer(text, intro.end()):
        last = para.start() - 1
        while last >= 0 and text[last].isspace():
            last -= 1
        before_end = text[last] if last >= 0 else ""
        # A page break inside an item leaves a blank line too: the list ends only after a finished sentence.
        heading = _HEADING_PARA.match(text, para.start("head"))
        if para["head"] != glyph and (heading or (before_end in ".!?;:" and not para["head"].islower())):
            end = para.start()
            break
    # Without blank lines between paragraphs (text from Word), the list ends where a line opens with another kind of
    # marker after a finished item: "2. Progress against ..." after "- IV. Leaders had ...".
    kind = _marker_kind(first.group(0))
    for m in cm.ITEM_MARKER.finditer(text, first.end(), end):
        before = text[: m.start()].rstrip()
        if _marker_kind(m.group(0)) != kind and before and before[-1] in ".!?;" and m.end() < end and not text[m.end()].isspace():
            end = m.start()
            break
    out = []
    for it in cm.list_items(c, intro.end(), end):
        text = cm.item_text(c, it)
        if text:
            out.append((text, (it.start, it.end)))
    return out


def _marker_kind(marker: str) -> str:
    """'bullet' + its glyph, 'number' or 'letter': the kind of a list marker, to tell one list's items from the
    numbered paragraphs around it."""
    head = marker.strip()[:1]
    if head in cm.BULLET_CHARS:
        return "bullet" + head
    return "number" if head.isdigit() or head == "(" and marker.strip()[1:2].isdigit() else "letter"


def read_revisit_outcome(letter: ParsedLetter, c: Cleaned, items) -> None:
    all_m = _finding(ALL_SUFFICIENT, c.text)
    some_m = _finding(SOME_SUFFICIENT, c.text)
    none_m = _finding(re.compile(r"(?:not|insufficient)\s+(?:made\s+)?sufficient\s+progress|insufficient\s+progress", re.I), c.text)
    verdict: bool | None = None
    if all_m and not none_m:
        verdict, letter.overall = True, "sufficient_all"
        s, e = cm.sentence_around(c.text, all_m.start())
    elif none_m and not all_m and not some_m:
        verdict, letter.overall = False, "sufficient_none"
        s, e = cm.sentence_around(c.text, none_m.start())
    elif some_m and not all_m and _is_part(some_m):
        # "enough progress in addressing 3 of the 4": the overall result is clear, but not which weakness is which.
        letter.overall = "sufficient_some"
        s, e = cm.sentence_around(c.text, some_m.start())
        letter.flag("The council report gives the number of weaknesses with sufficient progress but not which ones; judgements are left open.")
    else:
        letter.flag("The council report's overall revisit result was not clear; judgements are left open.")
        s = e = 0
    if e > s:
        letter.overall_text = cm.join_lines(c.text[s:e])
        stated_n = _count_word(all_m["n"]) if all_m and all_m["n"] else None
        if stated_n and items and stated_n != len(items):
            letter.flag(f"The council report says {stated_n} areas but lists {len(items)}.")
    for n, (text, (a, b)) in enumerate(items, start=1):
        letter.judgements.append(
            ParsedJudgement(
                weakness_text=text,
                sufficient_progress=verdict,
                span=c.span(s, e) if e > s else c.span(a, b),
                number=n,
                weakness_span=c.span(a, b),
                verdict_text=letter.overall_text,
            )
        )
    if not items:
        letter.flag("The council report's list of weaknesses was not found.")


def read_initial_outcome(letter: ParsedLetter, c: Cleaned, items) -> None:
    m = WSOA_REQUIRED.search(c.text) or re.search(r"Written\s+Statement\s+of\s+Action", c.text, re.I)
    if m:
        letter.outcome = "wsoa_required"
        s, e = cm.sentence_around(c.text, m.start())
        letter.outcome_text = cm.join_lines(c.text[s:e])
        letter.outcome_span = c.span(s, e)
    for text, (a, b) in items:
        letter.weaknesses.append(ParsedWeakness(number=len(letter.weaknesses) + 1, text=text, span=c.span(a, b)))


_QUESTION = re.compile(r"\b(?:whether|if|decide|identify|determine|assess|see)\b[^.]{0,40}$", re.I)


def _finding(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match that states a result, not the revisit's purpose ('to identify if sufficient progress ...')."""
    for m in rx.finditer(text):
        if not _QUESTION.search(text[max(0, m.start() - 60) : m.start()]):
            return m
    return None


def _is_part(m: re.Match[str]) -> bool:
    """'3 of the 4', 'two out of five': some but not all (nor none) of the weaknesses."""
    k, n = _count_word(m["k"]), _count_word(m["n"])
    return k is not None and n is not None and 0 < k < n


def _count_word(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}.get(word)
