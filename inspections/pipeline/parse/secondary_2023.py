"""Texts *about* a 2023-framework area SEND inspection (council pages, committee reports, press, forum posts) ->
ParsedLetter with source_kind="secondary".

Such a text is not the Ofsted/CQC report: it retells it in its own words. Everything read here is a secondary fact,
always flagged for review, and only what the text states for this area is kept:

- the outcome only from a sentence that attributes one of the three published outcome sentences to the inspection
  (never from a sentence that lists the possible outcomes, asks whether, or negates: "no widespread or systemic
  failings"); when the text names more than one outcome, none is kept and the reason says so;
- dates from the sentence about the visit (a month alone, "in May 2025", is kept as text in `findings`, never
  turned into a day);
- the number of areas for priority action / improvement when the text gives it ("three areas for priority action");
- for a monitoring inspection, the verdict in the framework's own words ("has taken effective action on both areas
  for priority action") and how many areas it covers, as `overall`; the verdict wording is kept in `findings`.

The vocabulary functions here (`stated_outcomes`, `monitoring_verdicts`, `coming_visit`, `is_2023_text`) are also used
by classify.py to decide whether a text is a 2023-framework summary, a notice of a visit to come, or neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..types import Classified, ParsedLetter
from .common import DATE_RE, MONTH, Cleaned, date_of, find_date_range, normalise_ws, set_period
from .monitoring_2023 import ABOUT_ACTION, CHILDREN_SUBJECT, VERDICT_RE, _polarity
from .report_2023 import MONITORING_RE, NEXT_FULL_RE, _months
from .text_2023 import clean_report

SECONDARY_REASON = (
    "Read from a text about the area SEND inspection (a council page, committee report, press or forum post: a "
    "secondary source), not from the Ofsted/CQC report itself."
)

# --- vocabulary -------------------------------------------------------------------------------------------

_Q = r"[\s‘’'\"“”]+"  # a space, possibly with the quotes a summary puts around a quoted phrase
OUTCOME_PHRASES: list[tuple[str, re.Pattern[str]]] = [
    ("systemic_failings", re.compile(rf"widespread{_Q}(?:and\s*/\s*or|and|or){_Q}systemic{_Q}fail(?:ings?|ures?)", re.I)),
    ("inconsistent", re.compile(rf"inconsistent{_Q}experiences{_Q}and{_Q}outcomes", re.I)),
    (
        "positive",
        re.compile(rf"(?:typically|lead(?:s|ing)?\s+to|leads?{_Q}to){_Q}(?:lead(?:s)?{_Q}to{_Q})?positive{_Q}experiences{_Q}and{_Q}outcomes", re.I),
    ),
]
# Words that make a sentence about outcomes in general, not this area's: "one of three possible outcomes",
# "inspectors can find", "whether the partnership has taken effective action", "when there are ... failings".
_GENERAL = re.compile(
    r"\b(?:possible|possibly|can|could|(?-i:may)|might|would|whether|if|when|where|either\b(?=[^.]*\bor\b)|one\s+of\s+(?:the\s+)?(?:three|3)"
    r"|three\s+(?:possible\s+)?(?:outcomes|judgements)|aims?|ambition|want|hope|decide[sd]?|ensure|so\s+that)\b",
    re.I,
)
_NEGATION = re.compile(r"\b(?:not|no|never|nor|neither|without)\b|n['’]t\b", re.I)
# Sentences that report a finding, preferred when a text names more than one outcome.
_FINDING = re.compile(
    r"\b(?:found|finds|concluded|judged|identified|said|says|reported|rated|graded|given|received|awarded"
    r"|the\s+outcome\s+(?:was|is)|the\s+result\s+(?:was|is))\b",
    re.I,
)

# A visit still to come: "inspectors will be returning", "will carry out an area SEND inspection", "were notified".
_FUTURE_VISIT = re.compile(
    r"\bwill\s+(?:be\s+)?(?:return(?:ing)?|visit(?:ing)?|inspect(?:ing)?|carry(?:ing)?\s+out|undertak\w*|conduct\w*|"
    r"on\s+site|arriv\w*|com(?:e|ing)\s+(?:back|to)|start\w*|begin\w*)\b"
    r"|\b(?:are|is)\s+(?:coming|returning|due\s+to\s+(?:return|visit|inspect|start|begin))\b"
    r"|\b(?:have|has|were|was)\s+(?:been\s+)?notified\b|\bnotification\b|\bhave\s+your\s+say\b",
    re.I,
)
# A visit that happened: "inspected the Leeds local area partnership from 3 to 7 March 2025", "returned to Sheffield".
_PAST_VISIT = re.compile(
    r"\b(?:inspected|visited|carried\s+out|conducted|took\s+place|returned|re-?inspected|found|judged|concluded|"
    r"published|undertook|undertaken)\b",
    re.I,
)
_INSPECTION_WORD = re.compile(r"\binspect\w*|\bmonitoring\s+(?:inspection|visit)|\bOfsted\b|\bCQC\b|Care\s+Quality\s+Commission", re.I)
_MONITORING = re.compile(r"\bmonitoring\s+(?:inspection|visit)s?\b", re.I)

# Words only the 2023 framework uses (the 2016 framework: written statement of action, significant weaknesses,
# revisit, "the local area of X"). "local area partnership" alone is weak: some 2016-era pages use it.
_2023_WORDS = re.compile(
    r"(?<!local\s)(?<!joint\s)\barea\s+SEND\s+(?:full\s+|monitoring\s+)?inspection|\bareas?\s+for\s+priority\s+action|\bmonitoring\s+inspection"
    r"|\beffective\s+action\b|\blocal\s+area\s+partnership",
    re.I,
)
_2016_WORDS = re.compile(
    r"written{_Q}statement{_Q}of{_Q}action|\bWSO?A\b|significant{_Q}(?:areas?{_Q}of{_Q})?weakness|\bre-?visit(?:ed)?\b"
    r"|joint\s+local\s+area\s+SEND\s+inspection|sufficient\s+progress".replace("{_Q}", _Q),
    re.I,
)
_YEAR = re.compile(r"\b(20[12]\d)\b")
# The rarest word of each pattern above, for a cheap look before a regex scans a long text.
_OUTCOME_WORDS = ("systemic", "inconsistent", "positive")
_2016_HINTS = ("statement", "wsa", "wsoa", "weakness", "visit", "joint", "sufficient")
_2023_HINTS = ("area send", "priority", "monitoring", "effective", "partnership")

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "no": 0, "both": 2, "a": 1, "an": 1, "single": 1}
_COUNT = r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|no|both|a|an|single)"
PRIORITY_COUNT = re.compile(rf"\b{_COUNT}\s+(?:(?:new|main|key)\s+)?areas?\s+for\s+priority\s+action", re.I)
IMPROVEMENT_COUNT = re.compile(rf"\b{_COUNT}\s+(?:(?:new|main|key)\s+)?areas?\s+for\s+improvement", re.I)
MONTH_YEAR = re.compile(rf"\b(?:in|during|from)\s+(?P<m>{MONTH})\s+(?P<y>20\d\d)\b", re.I)


@dataclass
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Sentences of a summary: ended by . ! ? before a blank, by a blank line, or by a line that is a heading or a
    list item (a line with no full stop; a line opening with a bullet). Offsets are into `text`."""
    out: list[Sentence] = []
    for para in re.finditer(r"[^\n]+(?:\n(?![ \t]*(?:[-•*–]|\d+[.)])[ \t])[^\n]+)*", text):
        a = para.start()
        block = para.group(0)
        # A heading (a first line with no closing punctuation, before text on the next line) is a sentence of its own.
        first = block.split("\n", 1)[0]
        nxt = block[len(first) + 1 :].lstrip()[:1]
        if nxt.isupper() and len(first) <= 100 and not re.search(r"[.!?,;:]\s*$|\b(?:and|or|of|the|to|from|between|\d+)\s*$", first):
            out.append(Sentence(a + len(first) - len(first.lstrip()), a + len(first.rstrip()), normalise_ws(first)))
            a += len(first) + 1
            block = block[len(first) + 1 :]
        pieces = re.split(r"(?<=[.!?])[’'”\")]*\s+", block)
        cursor = 0
        for piece in pieces:
            at = block.find(piece, cursor)
            if at == -1:
                continue
            cursor = at + len(piece)
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append(Sentence(a + at + lead, a + at + len(piece.rstrip()), normalise_ws(piece)))
    return out


def _outcome_in(sentence: str) -> set[str]:
    return {name for name, rx in OUTCOME_PHRASES if rx.search(sentence)}


_LIST_ITEM = re.compile(r"^[ \t]*(?:[-•*–·▪]|\d{1,2}[.)]|\(?[a-z][.)])[ \t]")


# Conditional or hoped-for wording: never a finding, whatever else the sentence says.
_CONDITIONAL = re.compile(
    r"\b(?:can|could|(?-i:may)|might|would|whether|if|when|where|either\b(?=[^.]*\bor\b)|aims?|ambition|want|hope|ensure|so\s+that)\b",
    re.I,
)


def _found_then_possible(sentence: str, at: int) -> bool:
    """'Inspectors found that … typically lead to positive experiences and outcomes, the best of the three possible
    outcomes': a finding (its verb before the phrase) that mentions the possible outcomes only as a comparison."""
    return bool(_FINDING.search(sentence[:at])) and not _CONDITIONAL.search(sentence)


@dataclass
class StatedOutcome:
    outcome: str
    sentence: Sentence


def stated_outcomes(sents: list[Sentence]) -> tuple[list[StatedOutcome], list[str]]:
    """Outcome sentences that state a result for this area, and reasons for the ones set aside (negated ones)."""
    stated, notes = [], []
    intro = ""  # the last sentence that is not a list item: "An inspection has one of three possible outcomes:"
    for s in sents:
        item = bool(_LIST_ITEM.match(s.text))
        if not item:
            intro = s.text
        found = _outcome_in(s.text)
        if not found:
            continue
        if len(found) > 1:
            continue  # the possible outcomes, listed
        phrase = next(rx for n, rx in OUTCOME_PHRASES if n in found).search(s.text)
        if _GENERAL.search(s.text) and not _found_then_possible(s.text, phrase.start()):
            continue  # the possible outcomes, explained
        if item and intro.rstrip().endswith(":") and (_GENERAL.search(intro) or re.search(r"\boutcomes\b", intro, re.I)):
            continue  # an item of a list of the possible outcomes
        name = found.pop()
        phrase = next(rx for n, rx in OUTCOME_PHRASES if n == name).search(s.text)
        if _NEGATION.search(s.text[: phrase.start()]):
            notes.append(f"A sentence negates an outcome ({s.text[:100]!r}); no outcome was read from it.")
            continue
        stated.append(StatedOutcome(name, s))
    return stated, notes


@dataclass
class Verdict:
    sufficient: bool | None  # None: graded, mixed or unclear
    scope: str  # all | some | none | ""  (how many areas for priority action the verdict covers)
    sentence: Sentence
    wording: str  # the verdict phrase(s) as written: "has taken effective action"


_ALL = re.compile(r"\b(?:both|all|each|every)\b|\b(?:the|its|their)\s+(?:\w+\s+)?areas\s+for\s+priority\s+action\b|\bthe\s+priority\s+actions\b", re.I)
_NONE = re.compile(r"\b(?:either|any|neither|none)\b", re.I)
_PART = re.compile(r"\b(?P<k>one|two|three|four|\d)\s+(?:of|out\s+of)\s+(?:the|its|their)?\s*(?P<n>two|three|four|five|six|\d)\b", re.I)
_2023_VERDICT_TOPIC = re.compile(r"priority\s+action|effective\s+action|\bpartnership\b", re.I)
_CLAUSE_SPLIT = re.compile(r",?\s+\bbut\b\s+|;\s+|,\s+(?:and\s+|while\s+|whereas\s+)|\s+and\s+(?=(?:has|have|is|are)\b)", re.I)


# Reported speech a summary uses for the verdict, turned into the report's own tenses for matching:
# "was found to be taking effective action" -> "is taking …", "were judged to have not taken …" -> "has not taken …".
_REPORTED = [
    (re.compile(r"\b(?:was|were|is|are)\s+(?:found|judged|considered|seen|assessed)\s+(not\s+)?to\s+be\s+(not\s+)?(?=taking\b)", re.I), r"is \1\2"),
    (re.compile(r"\b(?:was|were|is|are)\s+(?:found|judged|considered|seen|assessed)\s+(not\s+)?to\s+have\s+(not\s+)?(?=(?:taken|made)\b)", re.I), r"has \1\2"),
]


def _as_reported(text: str) -> str:
    for rx, repl in _REPORTED:
        text = rx.sub(repl, text)
    return text


def monitoring_verdicts(sents: list[Sentence]) -> list[Verdict]:
    """Sentences that state a monitoring verdict on the partnership's areas for priority action (not the
    possible verdicts in general, not children's own progress). Each Verdict keeps the sentence as written."""
    out = []
    for s in sents:
        text = _as_reported(s.text)  # matched in the report's tenses; kept as written
        if not VERDICT_RE.search(text) or not ABOUT_ACTION.search(text) or CHILDREN_SUBJECT.match(text):
            continue
        if _GENERAL.search(text) or not _2023_VERDICT_TOPIC.search(text) or _2016_WORDS.search(text):
            continue  # general; or a 2016-framework revisit verdict ("sufficient progress ... significant weakness")
        clauses = [c for c in _CLAUSE_SPLIT.split(text) if c and VERDICT_RE.search(c)]
        polarities = {_polarity(c) for c in clauses} or {_polarity(text)}
        as_written = [normalise_ws(m.group(0)) for m in VERDICT_RE.finditer(s.text)]
        wording = "; ".join(as_written or [normalise_ws(m.group(0)) for m in VERDICT_RE.finditer(text)])
        if polarities == {True, False}:
            out.append(Verdict(None, "some", s, wording))
            continue
        if len(polarities) != 1 or None in polarities:
            out.append(Verdict(None, "", s, wording))
            continue
        yes = polarities.pop()
        out.append(Verdict(yes, _scope(text, yes), s, wording))
    return out


def _scope(text: str, yes: bool) -> str:
    """How many areas for priority action a one-way verdict covers: all | some | none | "" (not said)."""
    part = _PART.search(text)
    if part and _count(part["k"]) is not None and _count(part["n"]) is not None and _count(part["k"]) < _count(part["n"]):
        return "some" if yes else ""  # "not taken effective action on one of two": the other is unknown
    if yes and _ALL.search(text):
        return "all"
    if not yes and _NONE.search(text):
        return "none"
    if not yes and re.search(r"\b(?:the|its|their)\s+(?:\w+\s+)?areas\s+for\s+priority\s+action\b", text, re.I) and not re.search(
        r"\b(?:all|both|every|each)\b", text, re.I
    ):
        return "none"  # "has not taken effective action on its areas for priority action"
    return ""


def coming_visit(sents: list[Sentence]) -> Sentence | None:
    """The sentence announcing a visit still to come, when the text states no visit that happened and no result:
    a notice, not a report. None otherwise."""
    futures = [s for s in sents if _FUTURE_VISIT.search(s.text) and _INSPECTION_WORD.search(s.text)]
    if not futures:
        return None
    # The most telling sentence for the reason: one with the visit's dates, else one naming a monitoring inspection.
    future = next((s for s in futures if find_date_range(s.text) or DATE_RE.search(s.text)), None) or next(
        (s for s in futures if _MONITORING.search(s.text)), futures[0]
    )
    if chosen_outcome(sents)[0] or [v for v in monitoring_verdicts(sents) if v.sufficient is not None or v.scope]:
        return None
    for s in sents:
        if _PAST_VISIT.search(s.text) and _INSPECTION_WORD.search(s.text) and not re.search(r"\bwill\b", s.text, re.I):
            return None
    return future


def is_2023_text(text: str) -> bool:
    """True when the text speaks of a 2023-framework inspection: its outcome sentences, its monitoring verdicts or
    its own terms, and not only a 2016-framework inspection (written statement of action, significant weaknesses,
    revisit) — unless it also states a 2023 result, or its inspection years are 2023 or later."""
    # Whole-text scans first: most texts (2016 letters, long council packs) are settled without splitting sentences;
    # a regex runs only where its rarest word occurs (a case-insensitive scan of a long text costs seconds).
    lower = text.lower()
    has_outcome = any(word in lower and rx.search(text) for word, (_, rx) in zip(_OUTCOME_WORDS, OUTCOME_PHRASES))
    if has_outcome or ("effective" in lower and re.search(r"effective\s+action", text, re.I)):
        sents = sentences(text)
        if chosen_outcome(sents)[0] or any(v.sufficient is not None or v.scope for v in monitoring_verdicts(sents)):
            return True
    at = min((i for i in (lower.find(word) for word in _2016_HINTS) if i != -1), default=-1)
    if at != -1 and _2016_WORDS.search(text, max(0, at - 40)):  # every match holds a hint word within 40 characters
        return False
    if not any(word in lower for word in _2023_HINTS):
        return has_outcome or _visit_after_2016_framework(text, lower)
    words23 = {normalise_ws(m.group(0)).lower() for m in _2023_WORDS.finditer(text)}
    if not words23:
        return has_outcome or _visit_after_2016_framework(text, lower)
    years = [int(y) for y in _YEAR.findall(text)]
    if years:
        return max(years) >= 2023  # 2016-framework letters run 2016–2022; the 2023 framework from January 2023
    return bool(words23 - {"local area partnership"})


# The 2016 framework's last revisits were made by March 2023: a SEND inspection visit that began after that was a
# 2023-framework one, whatever words the press uses for it ("Inspectors visited between 11 and 15 December 2023").
LAST_2016_VISIT = date(2023, 3, 31)
_SEND_TOPIC = re.compile(r"\bSEND\b|special\s+educational\s+needs", re.I)


def _visit_after_2016_framework(text: str, lower: str) -> bool:
    if "202" not in text or not _SEND_TOPIC.search(text):
        return False
    for s in sentences(text):
        if not re.search(r"\binspect|\bvisit", s.text, re.I) or re.search(r"\bwill\b", s.text, re.I):
            continue
        rng = find_date_range(s.text)
        if rng is not None and rng.start > LAST_2016_VISIT and _PAST_VISIT.search(s.text):
            return True
    return False


def chosen_outcome(sents: list[Sentence]) -> tuple[StatedOutcome | None, list[str]]:
    """The one outcome the text states for the area, and reasons for doubt. When sentences name different outcomes,
    only those that report a finding ("inspectors found …") count; still more than one -> none, with the reason."""
    stated, notes = stated_outcomes(sents)
    names = {s.outcome for s in stated}
    if len(names) > 1:
        stated = [s for s in stated if _FINDING.search(s.sentence.text)]
        if len({s.outcome for s in stated}) != 1:
            return None, [*notes, f"The text names more than one outcome ({', '.join(sorted(names))}): no outcome was read."]
    return (stated[0] if stated else None), notes


def states_an_event(c_text: str, sents: list[Sentence]) -> bool:
    """True when the text states something that happened to an area: an outcome, a monitoring verdict, or a visit in
    the past tense with its dates or month ("inspected the Leeds local area partnership from 3 to 7 March 2025").
    A page that only explains the framework (the three possible outcomes) states none."""
    if chosen_outcome(sents)[0] or any(v.sufficient is not None or v.scope for v in monitoring_verdicts(sents)):
        return True
    return any(
        _PAST_VISIT.search(s.text) and _INSPECTION_WORD.search(s.text) and not _GENERAL.search(s.text)
        and (find_date_range(s.text) or MONTH_YEAR.search(s.text))
        for s in sents
    )


def is_monitoring_text(sents: list[Sentence]) -> bool:
    """A monitoring inspection is the text's subject when it states a monitoring verdict, or a monitoring visit
    that happened."""
    if any(v.sufficient is not None or v.scope for v in monitoring_verdicts(sents)):
        return True
    return any(
        _MONITORING.search(s.text) and _PAST_VISIT.search(s.text) and not re.search(r"\bwill\b", s.text, re.I)
        for s in sents
    )


# --- area names -------------------------------------------------------------------------------------------

_NAME = r"(?P<area>[A-Z][\w’'&.-]*(?:[ \t]+(?:and|upon|on|of|in|the|[A-Z][\w’'&.-]*))*?)"
_POSS = r"(?:['’]s)?"
AREA_PATTERNS = [
    re.compile(rf"\b{_NAME}{_POSS}\s+(?i:local\s+area\s+partnership)\b"),
    re.compile(rf"\b[Aa]rea\s+SEND\s+(?:full\s+|monitoring\s+)?inspection\s+(?:of|in|for)\s+(?:the\s+)?{_NAME}(?=\s+(?:[Ll]ocal\s+[Aa]rea\s+[Pp]artnership)|[\s,.:;)]|$)"),
    re.compile(rf"\b(?:SEND|special\s+educational\s+needs(?:\s+and/or\s+disabilit(?:y|ies))?)\s+(?:services\s+|support\s+|partnership\s+|provision\s+)?in\s+{_NAME}(?=[\s,.:;'’)]|$)"),
    re.compile(rf"\b(?:partnership|inspectors?|Ofsted|CQC)\s+(?:\w+\s+){{0,3}}?(?:returned|returning|came\s+back|coming\s+back)\s+to\s+{_NAME}(?=[\s,.:;)]|$)"),
    re.compile(rf"\b{_NAME}['’]s\s+(?:SEND|special\s+educational\s+needs|local\s+area)\b"),
    re.compile(rf"(?i:local\s+area\s+partnership)\s+(?:in|for|of)\s+(?:the\s+)?{_NAME}(?=[\s,.:;)]|$)"),
]
_NOT_AREA = {
    # "the Sheffield local area partnership in July 2025": a month is never an area
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "the", "our", "this", "that", "a", "an", "each", "every", "their", "its", "his", "her", "ofsted", "cqc", "send", "nhs",
    "council", "news", "forum", "inspectors", "local", "area", "partnership", "parent", "parents", "in", "of", "and",
    "between", "from", "today", "published", "how", "what", "when", "where", "why", "we", "us", "children", "young",
    "england", "government", "department", "minister", "country", "nation", "family", "families", "people", "health",
    "education", "board", "icb", "leaders", "schools", "school", "county", "city", "borough",
}
_LEADING = re.compile(r"^(?:(?:The|In|At|Of|Our|For|From|By|News|Update|Today)\s+)+")


def _clean_name(raw: str) -> str:
    name = _LEADING.sub("", normalise_ws(raw)).strip(" ,.;:'’")
    name = re.sub(r"['’]s$", "", name)
    name = re.sub(r"\s+(?:and|upon|on|of|in|the)$", "", name)
    return name


def area_names(text: str) -> list[tuple[str, int, int]]:
    """Every phrase of `text` that names an area the way a text about a 2023-framework inspection does ("Leeds local
    area partnership", "SEND services in Rotherham", ...): (name, start, end), in pattern then text order."""
    found: list[tuple[str, int, int]] = []
    for rx in AREA_PATTERNS:
        for m in rx.finditer(text):
            name = _clean_name(m["area"])
            if not name or name.lower() in _NOT_AREA or name.split()[0].lower() in _NOT_AREA:
                continue
            start = m.start("area") + m["area"].find(name)
            found.append((name, start, start + len(name)))
    return found


def read_area(letter: ParsedLetter, c: Cleaned) -> None:
    found = area_names(c.text)
    if not found:
        # Press and council pages name the area in running text ("in Warrington", "Gloucestershire County Council"):
        # every such phrase goes to the register, which must find one area in them (stage 6), or none is stored.
        from .secondary_2016 import read_area as read_area_in_text

        read_area_in_text(letter, c)
        if not letter.area_name:
            letter.review_reasons.pop()  # read_area_in_text's own wording; this one says what was looked for
            letter.flag("The local area is not named in a way that could be read (no '… local area partnership').", 0.3)
        return
    name, a, b = found[0]
    letter.area_name, letter.area_span = name, c.span(a, b)
    others = sorted({n for n, _, _ in found} - {name}, key=str.lower)
    others = [n for n in others if n.lower() not in name.lower() and name.lower() not in n.lower()]
    if others:
        letter.findings["other_area_names"] = others
        letter.flag(f"The text names the area as '{name}' but also names {others}: which area the facts belong to is not certain.", 0.4)


def _one_area_for_the_result(letter: ParsedLetter, c: Cleaned, sents: list[Sentence]) -> None:
    """A text naming several areas ("inspections in Leeds and Bradford …"): the outcome or verdict is kept only when
    its own sentence names exactly one of them, and the record is then that area's; otherwise it is dropped."""
    others = letter.findings.get("other_area_names")
    sentence = letter.outcome_text or letter.overall_text
    if not others or not (letter.outcome or letter.overall):
        return
    names = [letter.area_name, *others]
    named = [n for n in names if re.search(rf"\b{re.escape(n)}\b", sentence)]
    if len(named) == 1:
        if named[0] != letter.area_name:
            at = c.text.find(named[0], c.text.find(sentence[:40]) if sentence[:40] in c.text else 0)
            letter.area_name, letter.area_span = named[0], c.span(at, at + len(named[0])) if at != -1 else None
    else:
        letter.outcome = letter.overall = ""
        letter.flag("The text names several areas and its result sentence does not say which one it is about: no outcome was read.", 0.3)
    if letter.dates_span is not None:
        # The dates too must be this area's: their sentence names it and no other area.
        at = c.pos.index_at_or_after(letter.dates_span.start)
        around = next((s.text for s in sents if s.start <= at < s.end), "")
        in_dates = [n for n in names if re.search(rf"\b{re.escape(n)}\b", around)]
        if in_dates != [letter.area_name]:
            letter.start_date = letter.end_date = letter.dates_span = None
            letter.period_text, letter.date_precision = "", ""
            letter.flag("The text names several areas and the sentence with the dates does not name this one alone: the dates were not read.", 0.4)


# --- dates ------------------------------------------------------------------------------------------------


FRAMEWORK_START = date(2023, 1, 1)  # the area SEND framework's first inspections (January 2023)


def _visit_dates(c: Cleaned, sents: list[Sentence], monitoring: bool | None, skipped: list[str] | None = None):
    """The first date range, on or after January 2023, in a past-tense sentence about a visit (about the monitoring
    visit or not, as asked; None: either) -> (sentence, DateRange), or None. A range before 2023 belongs to a
    2016-framework inspection the text also mentions: it is never given to a 2023 event (noted in `skipped`)."""
    for s in sents:
        if not _INSPECTION_WORD.search(s.text) and not re.search(r"\bvisit|\breturned\b|\btook\s+place\b", s.text, re.I):
            continue
        if monitoring is not None and bool(_MONITORING.search(s.text) or re.search(r"\breturned\b", s.text, re.I)) != monitoring:
            continue
        if re.search(r"\bwill\b", s.text, re.I) or (
            re.search(r"\bpublished\b", s.text, re.I) and not re.search(r"\b(?:inspect|visit)", s.text, re.I)
        ):
            continue  # a visit to come, or the publication date
        pos = s.start
        while (rng := find_date_range(c.text, pos, s.end)) is not None:
            if rng.start >= FRAMEWORK_START:
                return s, rng
            if skipped is not None:
                skipped.append(rng.text)
            pos = rng.match_end
    return None


_EARLIER_VISIT = re.compile(r"\b(?:previous|earlier|last|first|original)\s+(?:full\s+)?(?:visit|inspection)\b", re.I)


def _visit_month(sents: list[Sentence], monitoring: bool | None) -> tuple[Sentence, re.Match[str]] | None:
    for s in sents:
        # "In July 2023 they found ... during a previous visit": the press's word for the inspection followed up.
        if not _INSPECTION_WORD.search(s.text) and not (monitoring is False and _EARLIER_VISIT.search(s.text)):
            continue
        if monitoring is not None and bool(_MONITORING.search(s.text)) != monitoring:
            continue
        m = MONTH_YEAR.search(s.text)
        if m:
            return s, m
    return None


def _month_key(m: re.Match[str]) -> str:
    d = date_of(DATE_RE.search(f"1 {m['m']} {m['y']}"))
    return f"{d.year:04d}-{d.month:02d}" if d else f"{m['m']} {m['y']}"


def _count(word: str | None) -> int | None:
    if word is None:
        return None
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


# --- the parser -------------------------------------------------------------------------------------------


def parse_secondary_2023(item: Classified, document_text: str) -> ParsedLetter:
    chunk = item.chunk
    c = clean_report(document_text, chunk.span.start, chunk.span.end)
    letter = ParsedLetter(kind=item.kind, framework="2023", source_kind="secondary", span=chunk.span)
    letter.flag(SECONDARY_REASON, 0.7)
    sents = sentences(c.text)
    read_area(letter, c)
    _counts(letter, sents)
    if item.kind == "monitoring_inspection":
        _monitoring(letter, c, sents)
    else:
        _full(letter, c, sents)
    _one_area_for_the_result(letter, c, sents)
    if letter.start_date and letter.start_date < date(2023, 1, 1):
        letter.flag(
            f"A 2023-framework inspection dated {letter.start_date.isoformat()}, before that framework began (January 2023).", 0.3
        )
    if _2016_WORDS.search(c.text):
        letter.flag("The text also speaks of a 2016-framework inspection (written statement of action, weaknesses or a revisit); that part was not read.", 0.6)
    return letter


def _counts(letter: ParsedLetter, sents: list[Sentence]) -> None:
    for key, rx in (("priority_actions_count", PRIORITY_COUNT), ("improvement_areas_count", IMPROVEMENT_COUNT)):
        values = set()
        for s in sents:
            if _GENERAL.search(s.text) or re.search(r"\bwill\b", s.text, re.I):
                continue
            for m in rx.finditer(s.text):
                n = _count(m["n"])
                if n is not None:
                    values.add(n)
        if len(values) == 1:
            letter.findings[key] = values.pop()
        elif values:
            letter.flag(f"The text gives more than one number of {key.split('_count')[0].replace('_', ' ')}: {sorted(values)}.", 0.5)


def _visit(letter: ParsedLetter, c: Cleaned, sents: list[Sentence], monitoring: bool) -> None:
    """The visit's dates (2023 or later); else its month alone, kept as 'YYYY-MM' in findings (inspection_month or
    monitoring_month), never turned into a day; else unknown. Each gap is flagged."""
    what = "monitoring inspection" if monitoring else "inspection"
    skipped: list[str] = []
    found = _visit_dates(c, sents, monitoring=monitoring, skipped=skipped)
    if found is None and not monitoring:
        found = _visit_dates(c, sents, monitoring=None)
    if skipped:
        letter.flag(f"Dates before 2023 ({'; '.join(dict.fromkeys(skipped))}) belong to an earlier inspection and were not read as this one's.", 0.6)
    if found:
        _, rng = found
        letter.start_date, letter.end_date = rng.start, rng.end
        letter.dates_span = c.span(rng.match_start, rng.match_end)
        letter.date_precision = "day"
        return
    month = _visit_month(sents, monitoring=monitoring)
    if month:
        letter.findings["monitoring_month" if monitoring else "inspection_month"] = _month_key(month[1])
        set_period(letter, f"{month[1]['m']} {month[1]['y']}", month[0].start + month[1].start(), month[0].start + month[1].end(), c)
        letter.flag(f"Only the month of the {what} is given ({month[1]['m']} {month[1]['y']}): its dates are unknown.", 0.5)
    else:
        letter.flag(f"The dates of the {what} were not found in the text.", 0.5)


def _full(letter: ParsedLetter, c: Cleaned, sents: list[Sentence]) -> None:
    _visit(letter, c, sents, monitoring=False)
    chosen, notes = chosen_outcome(sents)
    for note in notes:
        letter.flag(note, 0.3)
    if chosen is not None:
        letter.outcome = chosen.outcome
        letter.outcome_text = chosen.sentence.text
        letter.outcome_span = c.span(chosen.sentence.start, chosen.sentence.end)
    elif not notes:
        letter.flag("The text states no inspection outcome in the framework's own words: the outcome is unknown.", 0.5)
    priority = letter.findings.get("priority_actions_count")
    if priority is not None and letter.outcome and (priority > 0) != (letter.outcome == "systemic_failings"):
        letter.flag(f"The text gives {priority} areas for priority action with the outcome '{letter.outcome}'.", 0.4)
    _next(letter, " ".join(s.text for s in sents if not _GENERAL.search(s.text)))


def _next(letter: ParsedLetter, text: str) -> None:
    parts = []
    monitoring = MONITORING_RE.search(text)
    if monitoring:
        letter.findings["monitoring_inspection_within"] = monitoring["within"]
        letter.findings["monitoring_inspection_within_months"] = _months(monitoring["within"])
        parts.append(monitoring.group(0))
    full = NEXT_FULL_RE.search(text)
    if full:
        letter.findings["next_full_inspection_within"] = full["within"]
        parts.append(full.group(0))
    letter.next_inspection_text = "; ".join(parts)[:255]


def _monitoring(letter: ParsedLetter, c: Cleaned, sents: list[Sentence]) -> None:
    _visit(letter, c, sents, monitoring=True)
    # The full inspection followed up: its dates, or its month, from a sentence that is not about the monitoring visit.
    earlier = _visit_dates(c, sents, monitoring=False)
    if earlier and (letter.start_date is None or earlier[1].start < letter.start_date):
        letter.initial_start_date, letter.initial_end_date = earlier[1].start, earlier[1].end
    else:
        month = _visit_month(sents, monitoring=False)
        if month:
            letter.initial_period_text = f"{month[1]['m']} {month[1]['y']}"
    verdicts = monitoring_verdicts(sents)
    if not verdicts:
        letter.flag("The text states no monitoring verdict: the result is unknown.", 0.4)
    scopes = {v.scope for v in verdicts if v.scope}
    if len(scopes) == 1:
        scope = scopes.pop()
        chosen = next(v for v in verdicts if v.scope == scope)
        letter.overall = {"all": "sufficient_all", "some": "sufficient_some", "none": "sufficient_none"}[scope]
        letter.overall_text = chosen.sentence.text
        letter.outcome_span = c.span(chosen.sentence.start, chosen.sentence.end)
    elif scopes:
        letter.flag(f"The text's monitoring verdicts disagree ({', '.join(sorted(scopes))}): no overall result was read.", 0.3)
    elif verdicts:
        letter.overall_text = verdicts[0].sentence.text
        letter.flag("The text states a monitoring verdict but not how many areas for priority action it covers: no overall result was read.", 0.4)
    if verdicts:
        # The same keys as monitoring_2023.verdict_wording, plus how many areas the verdict covers.
        letter.findings["verdicts"] = [
            {
                "number": None, "phrase": v.wording,
                "vocabulary": "effective_action" if "effective" in v.wording.lower() else "progress",
                "label": _label(v), "scope": v.scope, "sentence": v.sentence.text,
            }
            for v in verdicts
        ]
    _next(letter, " ".join(s.text for s in sents if not _GENERAL.search(s.text)))
    if letter.next_inspection_text:
        letter.next_steps = letter.next_inspection_text


def _label(v: Verdict) -> str:
    """The framework's wording for a secondary verdict: effective action / not effective action / mixed."""
    effective = "effective" in v.wording.lower()
    if v.sufficient is None:
        return "mixed" if v.scope == "some" else ""
    if effective:
        return "effective action" if v.sufficient else "not effective action"
    return "sufficient progress" if v.sufficient else "not sufficient progress"

