"""A council's own report about a 2016-framework inspection or revisit (no Ofsted letter inside) -> ParsedLetter.

The council writes in its own words: lists are paraphrased and reordered, dates are written any way
("On July 8th-10th 2019"). Everything read here is a secondary-source fact and is always flagged for review;
the writer never lets it overwrite a fact read from the letter itself.
"""

from __future__ import annotations

import re

from ..patterns import NOTICE_OF_VISIT, WSOA_EVALUATION, WSOA_TERM
from ..types import Classified, ParsedJudgement, ParsedLetter, ParsedWeakness
from . import common as cm
from .common import Cleaned
from .initial_2016 import MENTIONS_OUTCOME, WSOA_BODIES, wsoa_statement
from .revisit_2016 import _NUM as _NUM_WORD

SECONDARY_REASON = (
    "Read from a text about the inspection (a council report or page, press, a forum post: a secondary source), not "
    "from the Ofsted/CQC letter itself."
)

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
    r"(?:sufficient|enough)\s+progress\s+(?:in|on|against)\s+(?:only\s+)?" + _ADDRESSING + r"(?:only\s+)?(?P<k>\w+)\s+(?:of|out\s+of)\s+(?:the\s+)?(?P<n>\w+)",
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
    read_published(letter, c)
    items = read_list(c)
    if item.kind == "initial_inspection" and NOTICE_OF_VISIT.search(c.text) and _REVISIT_WORDS.search(c.text):
        # A notice of a revisit to come: the WSOA it speaks of is read; the visit itself, not yet made, is not, and
        # no date of the notice belongs to the initial inspection.
        letter.findings["notice_of_revisit"] = True
        letter.flag("A notice of a revisit to come: only the written statement of action it speaks of is read; the "
                    "revisit is recorded when a text says it has happened.")
        read_initial_outcome(letter, c, [])
        letter.start_date = letter.end_date = letter.dates_span = None
        letter.period_text, letter.date_precision = "", ""
        letter.review_reasons = [r for r in letter.review_reasons if "dates of the inspection" not in r]
        return letter
    if item.kind == "revisit":
        read_initial_period(letter, c)
        read_revisit_outcome(letter, c, items)
    else:
        read_initial_outcome(letter, c, items)
        read_fit_for_purpose(letter, c)
    return letter


# "the WSoA was approved as fit for purpose by Ofsted on 9 September 2022", "deemed fit for purpose on 3 May 2018"
FIT_FOR_PURPOSE_ON = re.compile(
    r"(?:declared|deemed|judged|found|approved)\s+(?:as\s+|to\s+be\s+)?fit\s+for\s+purpose\s+(?:by\s+(?:Ofsted|the\s+CQC|Ofsted\s+and\s+(?:the\s+)?CQC)\s+)?"
    rf"(?:on|in\s+a\s+letter\s+dated)\s+(?:the\s+)?(?P<date>{cm.DATE})",
    re.I,
)


def read_fit_for_purpose(letter: ParsedLetter, c: Cleaned) -> None:
    """The day the WSOA was judged fit for purpose: a date the text gives with it, or, in Ofsted and the CQC's own
    evaluation letter ("The statement of action is deemed to be fit for purpose"), that letter's date. The evaluation
    letter's date is never the inspection's letter date."""
    m = FIT_FOR_PURPOSE_ON.search(c.text) if c.has("fit for purpose") else None
    if m:
        letter.wsoa_fit_for_purpose = cm.parse_date(m["date"])
        if letter.outcome != "wsoa_required":
            s, e = cm.sentence_around(c.text, m.start())
            letter.outcome, letter.outcome_text, letter.outcome_span = "wsoa_required", cm.join_lines(c.text[s:e]), c.span(s, e)
        return
    evaluation = WSOA_EVALUATION.search(c.text)
    if evaluation is None or not re.search(r"fit\s+for\s+purpose", c.text, re.I):
        return
    dear = cm.DEAR_RE.search(c.text)
    dated, _ = cm.letter_date(c, 0, dear.start() if dear else min(len(c.text), 600))
    fit = re.search(r"statement\s+of\s+action\s+(?:is|has\s+been)\s+deemed\s+(?:to\s+be\s+)?fit\s+for\s+purpose", c.text, re.I)
    if fit is None:
        return
    s, e = cm.sentence_around(c.text, fit.start())
    letter.outcome, letter.outcome_text, letter.outcome_span = "wsoa_required", cm.join_lines(c.text[s:e]), c.span(s, e)
    letter.findings["document"] = "wsoa_evaluation_letter"
    if dated is not None:
        letter.wsoa_fit_for_purpose = dated
        letter.flag(f"Ofsted and the CQC's letter evaluating the written statement of action: the date it was judged fit for "
                    f"purpose is the letter's own date ({dated.isoformat()}).")


# Area names in running text (issue 12, kind 6). A name is a run of capitalised words, joined by the small words
# place names hold ("upon", "on", "of", "and", "with", "the") and by commas before another capitalised word
# ("Bournemouth, Christchurch and Poole"); styles ("Royal Borough of", "City Council") are kept for the register
# to strip; an abbreviation in brackets after it ("(RBG)") is dropped.
# "Southend-on-Sea", "St. Helens"; a possessive "'s" and a full stop ending a sentence are not part of it.
_CAP = r"(?:St\.|[A-Z][\w&-]*(?:['’](?!s\b)\w+)*)"
# One line only: a name run into the next heading ("Family Information Service\nWritten Statement ...") is not a name.
_NAME = rf"(?-i:{_CAP}(?:[ \t]+(?:(?:upon|on|of|and|with|the|&)[ \t]+)*{_CAP}|,[ \t]+{_CAP})*)"
_ABBR = r"(?:[ \t]*\((?-i:[A-Z]{2,8})\))?"
_POSSESSIVE = r"['’]s?"
AREA_IN_TEXT = [
    # "the local area of the Wirral", "the area of Southend-on-Sea"
    re.compile(rf"\b(?:local\s+)?area\s+of\s+(?:the\s+)?(?P<area>{_NAME})", re.I),
    # "joint inspection of SEND services in Solihull", "a joint inspection in Torbay", "SEND inspection in Rutland"
    re.compile(
        rf"\b(?:inspection|inspected|re-?visit(?:ed)?)\s+(?:of\s+)?(?:(?:the\s+)?(?:SEND|special\s+educational\s+needs[\w\s/()]{{0,40}}?)\s+services\s+)?in\s+(?:the\s+)?(?P<area>{_NAME})",
        re.I,
    ),
    # "the Royal Borough of Greenwich (RBG) local area", "the Devon Local Area", "Solihull’s local area",
    # "Stockport's Written Statement of Action", "Essex Local Offer"
    re.compile(
        rf"(?:^|(?<=[\s(]))(?:the\s+)?(?P<area>{_NAME}){_ABBR}(?:{_POSSESSIVE})?\s+(?-i:(?:local|Local)\s+(?:area|Area|offer|Offer)|(?:SEND\s+)?(?:local\s+area|Local\s+Area)"
        rf"|(?:Written|written)\s+(?:Statement|statement)\s+of\s+(?:Action|action))\b"
    ),
    # "children and young people with special educational needs and disabilities in Telford and Wrekin are ..."
    re.compile(rf"\b(?:SEND|[Ss]pecial\s+[Ee]ducational\s+[Nn]eeds(?:\s+and(?:/or)?\s+disabilit(?:y|ies))?)\s+(?:services\s+)?in\s+(?:the\s+)?(?P<area>{_NAME})"),
    # "Telford & Wrekin SEND services rated highly"
    re.compile(rf"(?:^|(?<=[\s(]))(?P<area>{_NAME}){_POSSESSIVE}?\s+SEND\s+(?:services|partnership|system)\b"),
    # "Ofsted and the CQC revisited Barnsley between ...", "Inspectors visited Wiltshire between ..."
    re.compile(rf"\b(?:revisit(?:ed)?|re-visit(?:ed)?|inspected|visited)\s+(?:the\s+)?(?P<area>{_NAME})(?=\s+(?:between|from|on|in|during|over|to|for)\b|\s*[,.;])"),
    # A web page's title: "Our action plan (Written Statement of Action) | Central Bedfordshire Council"
    re.compile(rf"[|–—-][ \t]+(?P<area>{_NAME})[ \t]+(?:Borough[ \t]+|County[ \t]+|City[ \t]+|Metropolitan[ \t]+Borough[ \t]+)?Council[ \t]*$", re.M),
    # "Buckinghamshire was required to", "concluded that Essex has not", "They said Kent had made"
    re.compile(rf"\b(?:concluded|found|judged|said)\s+(?:that\s+)?(?P<area>{_NAME})\s+(?:has|had|is|was|were)\b"),
    # "Inspectors have told Croydon to", "came back to Kent in the autumn", "the 2017 letter for Poole"
    re.compile(rf"\b(?:told|asked|instructed|praised|criticised)\s+(?P<area>{_NAME})\s+(?:to|for|over)\b"),
    re.compile(rf"\b(?:returned|came\s+back|went\s+back)\s+to\s+(?P<area>{_NAME})\b"),
    re.compile(rf"\bletter\s+for\s+(?P<area>{_NAME})\b"),
    # "the joint local area SEND inspection of Suffolk (24–28 February 2020)"
    re.compile(rf"\b(?:inspection|re-?visit)\s+of\s+(?:the\s+)?(?P<area>{_NAME})\b"),
    # A council document's heading line: "Walsall Council", "Southwark Council – Education ... Commission"
    re.compile(rf"^[ \t]*(?P<area>{_NAME})[ \t]+(?:Borough[ \t]+|County[ \t]+|City[ \t]+|Metropolitan[ \t]+Borough[ \t]+)?Council\b", re.M),
    re.compile(rf"(?:^|(?<=[.\n]\s)|(?<=,\s))(?P<area>{_NAME})\s+(?:was|were|is)\s+(?:required|asked|told)\s+to\b"),
    # The area as a bare subject: "Rochdale had its first SEND inspection in 2017", "Sefton received a revisit".
    re.compile(
        rf"(?:^|(?<=[.\n]\s)|(?<=\n))(?P<area>{_NAME})\s+(?:had|has|received|underwent|faced)\s+(?:its|a|an|the)\s+"
        r"(?:(?:first|second|latest|recent|joint|local\s+area|area|SEND|Ofsted(?:\s+and\s+CQC)?)\s+)*(?:inspection|re-?visit)\b",
        re.M,
    ),
    # "the SEND revisit to Stockport", "a follow-up visit to Bury"
    re.compile(rf"\b(?:re-?visit|visit|inspection)\s+to\s+(?:the\s+)?(?P<area>{_NAME})\b"),
    # "special educational needs and/or disabilities (SEND) in Wigan"
    re.compile(rf"\(SEND\)\s+(?:services\s+)?in\s+(?:the\s+)?(?P<area>{_NAME})"),
    # A council's full title mid-sentence: "Bury Metropolitan Borough Council", "Norfolk Local Authority", "issued to
    # Kingston upon Hull City Council" (the register strips the style; a district council does not resolve).
    re.compile(
        rf"(?:^|(?<=[\s(]))(?P<area>{_NAME})[ \t]+(?:Metropolitan[ \t]+Borough[ \t]+|Borough[ \t]+|County[ \t]+|City[ \t]+)?"
        r"(?-i:Council|Local[ \t]+Authority)\b"
    ),
    # "the inspection was undertaken in Sefton", "In Sefton's case"
    re.compile(rf"\b(?:undertaken|carried\s+out|conducted|held)\s+in\s+(?:the\s+)?(?P<area>{_NAME})\b"),
    re.compile(rf"\bIn\s+(?P<area>{_NAME})['’]s\s+case\b"),
    # "inspection in Knowsley of special educational needs services": the name stops before the lower-case words.
    re.compile(rf"\binspection\s+in\s+(?P<area>{_NAME})\s+of\b"),
]
# Capitalised words that open a sentence or name something else, never an area.
_NOT_AN_AREA = re.compile(
    r"^(?:The|Our|This|That|These|Their|Its|A|An|In|On|At|From|During|Between|Following|After|Before|Ofsted|CQC|Care|SEND|"
    r"Written|Local|Joint|Inspectors?|Council|Cabinet|Committee|Report|Children|Health|NHS|Department|We|It|They|He|She|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


_ROLE_END = re.compile(r"\b(?:Services|Director|Officer|Executive|Manager|Lead|Member|Chair|Chief)$")


def area_names_in_text(c: Cleaned) -> list[tuple[str, tuple[int, int]]]:
    """Every phrase the text uses to name the inspected area (issue 12, kind 6), in text order, with its clean-text
    bounds and, for a name cut at its first comma ("Torbay, Ofsted found ..." -> "Torbay"), the whole phrase it was
    cut from ("" otherwise); the register (stage 6) decides which, if any, is an area. A cut name is only a fallback:
    "Bournemouth, Christchurch and Poole" is never read as "Bournemouth"."""
    found: list[tuple[int, str, tuple[int, int]]] = []
    for rx in (*AREA_PATTERNS, *AREA_IN_TEXT):
        for m in rx.finditer(c.text):
            raw = cm.normalise_ws(m["area"])
            raw = re.sub(r"^(?:the|The)\s+", "", raw).strip(" .,")
            raw = re.sub(rf"{_POSSESSIVE}$", "", raw) if re.search(r"['’]s$", raw) else raw
            if not raw or _NOT_AN_AREA.match(raw):
                continue
            start = m.start("area") + m.group("area").find(raw.split()[0])
            found.append((m.start("area"), raw, (start, start + len(raw)), ""))
            if "," in raw:
                head = raw.split(",")[0].strip()
                found.append((m.start("area"), head, (start, start + len(head)), raw))
                # "Director of Children's Services, Salford City Council": the name after the last comma, too.
                # Only after a person's role ("..., Director of Children's Services, Salford City Council"): a list of
                # bodies ("Bristol, North Somerset and South Gloucestershire ICB") is not cut into areas.
                tail = raw.rsplit(",", 1)[1].strip()
                if tail and not _NOT_AN_AREA.match(tail) and _ROLE_END.search(raw.rsplit(",", 1)[0]):
                    at = start + raw.rindex(tail)
                    found.append((m.start("area"), tail, (at, at + len(tail)), raw))
    # A pattern that stops at a comma gives a cut name too: it is a fallback of the whole name read at the same place.
    found = [
        (at, name, bounds, cut_from or next((other for a2, other, _, _ in found if a2 == at and other.startswith(name + ",")), ""))
        for at, name, bounds, cut_from in found
    ]
    seen: set[str] = set()
    names = []
    for _, name, bounds, cut_from in sorted(found, key=lambda f: (f[0], bool(f[3]))):  # a whole name before its cut
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append((name, bounds, cut_from))
    return names


def read_area(letter: ParsedLetter, c: Cleaned) -> None:
    names = area_names_in_text(c)
    if not names:
        letter.flag("The local area's name was not found in the text.")
        return
    name, (a, b), _ = names[0]
    letter.area_name = name
    letter.area_span = c.span(a, b)
    # Stage 6 resolves each of these: they must all name the same area (or not name an area at all).
    letter.findings["area_names"] = [
        {"name": n, "span": list(_doc_span(c, x, y)), **({"cut_from": cut} if cut else {})} for n, (x, y), cut in names
    ]


def _doc_span(c: Cleaned, a: int, b: int) -> tuple[int, int]:
    span = c.span(a, b)
    return span.start, span.end


_REVISIT_WORDS = re.compile(r"\b(?:re-?visit|re-?inspect|follow-up\s+visit|returned|came\s+back|went\s+back)", re.I)
# A visit named with its month only: "the inspection in December 2016", "originally inspected by Ofsted and the CQC
# in June 2017", "re-visited Bury in May 2019", "a visit by inspectors in March 2018", "the January 2017 inspection".
# Up to 100 characters of the same sentence between the visit word and "in <Month> <year>", never across a verb
# that dates something else ("published in", "submitted in").
_GAP_STOP = (
    r"published|publish|submitted|approved|agreed|produced|report(?:ed)?|letter|statement|WSo?A|plan|monitoring"
    r"|inspect\w*|re-?visit\w*|visit\w*|re-?inspect\w*"
)
MONTH_OF_INSPECTION = re.compile(
    rf"\b(?P<word>inspection|inspected|re-?visit(?:ed)?|re-?inspection|(?<!monitoring\s)visit(?:ed)?|returned|came\s+back)\b"
    rf"(?:(?!\b(?:{_GAP_STOP})\b)[^.;\n]){{0,100}}?"
    rf"\b(?:in|during)\s+(?:(?P<month>{cm.MONTH})\s+)?(?P<year>20\d\d)\b(?!\s*[-–/]\s*\d)"
    rf"|\b(?:the\s+)?(?P<month2>{cm.MONTH})\s+(?P<year2>20\d\d)\s+(?:joint\s+|local\s+area\s+|SEND\s+|Ofsted\s+(?:and\s+CQC\s+)?)*(?P<word2>inspection|re-?visit|re-?inspection|visit)\b"
    # "In November 2017 the Lancashire County Council area was inspected", "In May 2019 Bury was re-visited"
    # "following a 2016 inspection", "the 2017 SEND inspection": a year only
    rf"|\b(?:a|the|its|their|our)\s+(?P<year4>20\d\d)\s+(?:joint\s+|local\s+area\s+|SEND\s+)*(?P<word4>inspection|re-?visit)\b"
    rf"|\bIn\s+(?P<month3>{cm.MONTH})\s+(?P<year3>20\d\d),?\s+(?:(?!\b(?:{_GAP_STOP})\b)[^.;\n]){{0,80}}?\b(?:was|were)\s+(?P<word3>inspected|re-?visited|revisited)\b",
    re.I,
)


def month_of_visit(c: Cleaned, revisit: bool) -> re.Match[str] | None:
    """The first "<visit word> … in <Month> <year>" about the initial inspection (revisit=False) or the revisit."""
    for m in MONTH_OF_INSPECTION.finditer(c.text):
        word = m["word"] or m["word2"] or m["word3"] or m["word4"]
        if (_REVISIT_WORDS.match(word) is not None) != revisit:
            continue
        if not revisit:
            s, e = cm.sentence_around(c.text, m.start())
            if _REVISIT_WORDS.search(c.text, s, e) and _REVISIT_WORDS.search(c.text, m.start(), m.end()):
                continue
        return m
    return None


def _period_of(m: re.Match[str]) -> tuple[str, int, int, str]:
    """("June 2017", start, end, "month") or ("2017", start, end, "year"): the period a MONTH_OF_INSPECTION match
    states, where its words are, and its precision."""
    if m["month2"]:
        return f"{cm.month_name(m['month2'])} {m['year2']}", m.start("month2"), m.end("year2"), "month"
    if m["month3"]:
        return f"{cm.month_name(m['month3'])} {m['year3']}", m.start("month3"), m.end("year3"), "month"
    if m["month"]:
        return f"{cm.month_name(m['month'])} {m['year']}", m.start("month"), m.end("year"), "month"
    if m["year4"]:
        return m["year4"], m.start("year4"), m.end("year4"), "year"
    return m["year"], m.start("year"), m.end("year"), "year"


def read_dates(letter: ParsedLetter, c: Cleaned) -> None:
    """The visit's dates from a sentence about it: for an initial inspection, never a sentence about the revisit.
    Only a month stated ("the SEND inspection in March 2022"): the period as written, at month precision."""
    revisit = letter.kind == "revisit"
    verb = r"revisit(?:ed)?|re-visit(?:ed)?" if revisit else r"inspected|inspection|visited"
    for m in re.finditer(verb, c.text, re.I):
        s, e = cm.sentence_around(c.text, m.start())
        if not revisit and _REVISIT_WORDS.search(c.text, s, e):
            continue
        rng = cm.find_date_range(c.text, s, e)
        if rng:
            letter.start_date, letter.end_date = rng.start, rng.end
            letter.dates_span = c.span(rng.match_start, rng.match_end)
            return
    partial = PARTIAL_RANGE.search(c.text)
    if partial and not revisit:
        # "between January 2022 and 1 February 2022": the last day is stated, the first only to the month.
        end = cm.to_date(partial["d2"], partial["m2"], partial["y2"])
        if end is not None:
            letter.end_date = end
            cm.set_period(letter, f"{cm.month_name(partial['m1'])} {partial['y1']}", partial.start("m1"), partial.end(), c)
            letter.findings["month_stated"] = f"{partial['y1']}-{cm.MONTHS[partial['m1'].lower().rstrip('.')]:02d}"
            letter.flag(f"Only the month the inspection began is given ({letter.period_text}): its first day is unknown.")
            return
    month = month_of_visit(c, revisit)
    if month is not None:
        period, a, b, precision = _period_of(month)
        # Kept as a period (never as a day); it also tells stage 6 which authority existed then.
        if precision == "month":
            number = cm.MONTHS[(month["month"] or month["month2"] or month["month3"]).lower().rstrip(".")]
            letter.findings["month_stated"] = f"{month['year'] or month['year2'] or month['year3']}-{number:02d}"
        cm.set_period(letter, period, a, b, c, precision)
        letter.flag(f"Only the {precision} of the {'revisit' if revisit else 'inspection'} is given ({period}): its dates are unknown.")
        return
    letter.flag("The dates of the inspection were not found in the text.")


# "between January 2022 and 1 February 2022": a range whose first end has only its month.
PARTIAL_RANGE = re.compile(
    rf"\bbetween\s+(?P<m1>{cm.MONTH})\s+(?P<y1>20\d\d)\s+and\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{cm.MONTH}),?\s+(?P<y2>20\d\d)\b",
    re.I,
)


def read_initial_period(letter: ParsedLetter, c: Cleaned) -> None:
    """A text about the revisit that also dates the initial inspection: its dates, or its month as written."""
    for m in re.finditer(r"\binspect(?:ed|ion)\b", c.text, re.I):
        s, e = cm.sentence_around(c.text, m.start())
        if _REVISIT_WORDS.search(c.text, s, e):
            continue
        rng = cm.find_date_range(c.text, s, e)
        if rng and (letter.start_date is None or rng.end < letter.start_date):
            letter.initial_start_date, letter.initial_end_date = rng.start, rng.end
            letter.findings["initial_dates_span"] = list(_doc_span(c, s, e))  # the sentence that dates it
            break
    month = month_of_visit(c, revisit=False) if letter.initial_start_date is None else None
    if month is not None:
        letter.initial_period_text = _period_of(month)[0]
    verdict, required, _ = wsoa_statement(c.text)
    found = required if verdict == "required" else _EXISTING_WSOA.search(c.text) if not verdict else None
    if found is not None:
        # A text about the revisit that restates the initial inspection's outcome keeps it, with its own sentence.
        s, e = cm.sentence_around(c.text, found.start())
        letter.initial_outcome = "wsoa_required"
        letter.initial_outcome_span = c.span(s, e)


# "The inspection letter was published on 29 November 2021", "The findings were published in a letter on 10 March
# 2020", "the outcome letter, which was published on 21 March 2019", "The full report is on the Ofsted website
# (published 23rd December 2019)". Only the letter / report / findings: never a written statement of action or a plan.
LETTER_PUBLISHED = re.compile(
    r"\b(?:letter|report|findings)\b(?:(?!\b(?:statement|WSo?A|plan|minutes)\b)[^.]){0,80}?\(?published"
    rf"(?:\s+in\s+a\s+letter)?(?:\s+on\s+the\s+Ofsted\s+website)?\s+(?:on\s+)?(?:the\s+)?(?P<date>{cm.DATE})",
    re.I,
)


def read_published(letter: ParsedLetter, c: Cleaned) -> None:
    """When the text says the inspection's letter was published. A text about a revisit may also date the initial
    letter's publication: only a text about the initial inspection is read here."""
    if letter.kind != "initial_inspection":
        return
    dates = {cm.parse_date(m["date"]) for m in LETTER_PUBLISHED.finditer(c.text)} - {None}
    if len(dates) == 1:
        letter.published_date = dates.pop()
    elif dates:
        letter.flag(f"The text gives several publication dates for the letter: {sorted(d.isoformat() for d in dates)}.")


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
    found = [it for it in cm.list_items(c, intro.end(), end) if cm.item_text(c, it)]
    if len(found) > 1 and all("\n" not in c.text[it.start : it.end].strip() for it in found[:-1]):
        # Every item before the last fills one line (a web page's list): so does the last, and the paragraphs after
        # it, which no blank line or full stop set apart ("The Local Offer is not effective\nThe council and ..."),
        # are not part of it.
        last = found[-1]
        body = c.text[last.start : last.end]
        first_line_end = body.lstrip().find("\n")
        if first_line_end > 0:
            found[-1] = cm.Item(last.start, last.start + (len(body) - len(body.lstrip())) + first_line_end, last.marker)
    return [(cm.item_text(c, it), (it.start, it.end)) for it in found]


def _marker_kind(marker: str) -> str:
    """'bullet' + its glyph, 'number' or 'letter': the kind of a list marker, to tell one list's items from the
    numbered paragraphs around it."""
    head = marker.strip()[:1]
    if head in cm.BULLET_CHARS:
        return "bullet" + head
    return "number" if head.isdigit() or head == "(" and marker.strip()[1:2].isdigit() else "letter"


# "sufficient progress had been made regarding governance and leadership of …": one weakness, named, judged
# sufficient (never "in all/each/any …", "in 3 of …", "in the following …", which other patterns read).
NAMED_SUFFICIENT = re.compile(
    r"(?<!in)(?<!not\s)(?:sufficient|enough)\s+progress\s+(?:had\s+been\s+|has\s+been\s+|was\s+)?(?:made\s+)?"
    r"(?:regarding|in\s+relation\s+to|with\s+regard\s+to|in\s+respect\s+of|on|in|against)\s+"
    rf"(?!(?:all|each|any|every|none|the\s+following|the\s+other|the\s+remaining|{_NUM_WORD}\b|only\b|some\b|most\b|these\b|those\b|this\b)\b)"
    r"(?P<what>[^.;:]{8,300}?)(?=\.(?:\s|$)|;|$)",
    re.I,
)
# "insufficient progress had been made in the three other areas", "not made sufficient progress in the remaining two".
OTHERS_INSUFFICIENT = re.compile(
    r"(?:insufficient|not\s+(?:made\s+)?(?:sufficient|enough))\s+progress\s+(?:had\s+been\s+|has\s+been\s+|was\s+)?(?:made\s+)?"
    rf"(?:in|on|against|regarding|with)\s+(?:addressing\s+)?the\s+(?:(?P<n>{_NUM_WORD})\s+)?(?:other|remaining)\b(?:\s+(?P<n2>{_NUM_WORD}))?",
    re.I,
)
# "sufficient progress made in the following five areas:" and the list after it; "eight areas of weakness" earlier.
FOLLOWING_SUFFICIENT = re.compile(
    r"(?<!in)(?<!not\s)(?:sufficient|enough)\s+progress\s+(?:had\s+been\s+|has\s+been\s+|was\s+)?(?:made\s+)?(?:in|on|against|regarding)\s+"
    rf"(?:addressing\s+)?the\s+following\s+(?:(?P<k>{_NUM_WORD})\s+)?(?:areas?|weakness(?:es)?)[^:\n]{{0,40}}:",
    re.I,
)
# "sufficient progress had been made against three areas, with two remaining outstanding"
COUNT_AND_REST = re.compile(
    r"(?<!in)(?<!not\s)(?:sufficient|enough)\s+progress\s+(?:had\s+been\s+|has\s+been\s+|was\s+)?(?:made\s+)?(?:in|on|against)\s+"
    rf"(?:addressing\s+)?(?P<k>{_NUM_WORD})\s+(?:areas?|weakness(?:es)?)\b[^.;]{{0,40}}?\b(?P<m>{_NUM_WORD})\s+(?:(?:areas?|weakness(?:es)?)\s+)?"
    r"(?:remaining\s+outstanding|remain(?:ing)?\s+outstanding|still\s+outstanding|outstanding|remaining|still\s+to\s+be\s+addressed|requir(?:ing|ed)\s+further)",
    re.I,
)
WEAKNESS_TOTAL = re.compile(
    rf"\b(?P<n>{_NUM_WORD})\s+(?:(?:areas?|aspects?)\s+of\s+(?:significant\s+)?(?:weakness|concern)|(?:significant\s+)?weaknesses)\b",
    re.I,
)
_INTRO_COLON = re.compile(r":[ \t]*\n")


def _items_after(c: Cleaned, at: int) -> list[tuple[str, tuple[int, int]]]:
    """The list that opens at the first line ending in a colon at or after `at` (within 200 characters)."""
    intro = _INTRO_COLON.search(c.text, at, min(len(c.text), at + 200))
    if not intro:
        return []
    first = cm.ITEM_MARKER.search(c.text, intro.end(), min(len(c.text), intro.end() + 20))
    if not first:
        return []
    glyph = first.group(0).strip()[:1]
    items = []
    for it in cm.list_items(c, intro.end(), _list_end(c, intro.end(), glyph)):
        text = cm.item_text(c, it)
        if text:
            items.append((text, (it.start, it.end)))
    return items


def _list_end(c: Cleaned, start: int, glyph: str) -> int:
    """Where a bulleted list ends: the first line that is not blank and does not open with the list's glyph."""
    pos = start
    for line in re.finditer(r"[^\n]*\n?", c.text[start:]):
        body = line.group(0).strip()
        if body and not body.startswith(glyph):
            return start + line.start()
        if not line.group(0):
            break
        pos = start + line.end()
    return pos


def read_partial_result(letter: ParsedLetter, c: Cleaned) -> bool:
    """A result the text gives only in part (True when one was read; the judgements it names are added):

    - "sufficient progress … regarding X" and "insufficient progress … in the three other areas" (a list may follow,
      naming them): some sufficient, X judged sufficient, the listed ones not;
    - "sufficient progress … in the following five areas:" with a list, and "eight areas of weakness" stated: five of
      eight, the listed ones judged sufficient. Without the total the overall result is not fixed: only the
      judgements are stored, the result stays unknown.
    """
    named = _finding(NAMED_SUFFICIENT, c.text)
    others = _finding(OTHERS_INSUFFICIENT, c.text)
    following = _finding(FOLLOWING_SUFFICIENT, c.text)
    counted = _finding(COUNT_AND_REST, c.text)
    if counted and not named and not following:
        k, rest = _count_word(counted["k"]), _count_word(counted["m"])
        if k and rest:
            s, e = cm.sentence_around(c.text, counted.start())
            letter.overall = "sufficient_some"
            letter.overall_text = cm.join_lines(c.text[s:e])
            letter.flag(f"The text gives sufficient progress in {k} areas and {rest} still outstanding, not which ones; judgements are left open.")
            return True
    if named and others:
        s, e = cm.sentence_around(c.text, named.start())
        what = cm.join_lines(named["what"]).strip(" ,")
        letter.judgements.append(ParsedJudgement(
            weakness_text=what, sufficient_progress=True, span=c.span(s, e), number=1,
            weakness_span=c.span(named.start("what"), named.start("what") + len(named["what"].rstrip(" ,"))),
            verdict_text=cm.join_lines(c.text[s:e]),
        ))
        s2, e2 = cm.sentence_around(c.text, others.start())
        for n, (text, (a, b)) in enumerate(_items_after(c, e2), start=2):
            letter.judgements.append(ParsedJudgement(
                weakness_text=text, sufficient_progress=False, span=c.span(s2, e2), number=n,
                weakness_span=c.span(a, b), verdict_text=cm.join_lines(c.text[s2:e2]),
            ))
        letter.overall = "sufficient_some"
        letter.overall_text = cm.join_lines(c.text[s:e]) + " " + cm.join_lines(c.text[s2:e2])
        return True
    if following:
        s, e = cm.sentence_around(c.text, following.start())
        items = _items_after(c, following.start())
        if not items:
            return False
        totals = {_count_word(m["n"]) for m in WEAKNESS_TOTAL.finditer(c.text)} - {None}
        stated_k = _count_word(following["k"]) if following["k"] else None
        if stated_k is not None and stated_k != len(items):
            letter.flag(f"The text says {stated_k} areas made sufficient progress but lists {len(items)}.")
        for n, (text, (a, b)) in enumerate(items, start=1):
            letter.judgements.append(ParsedJudgement(
                weakness_text=text, sufficient_progress=True, span=c.span(s, e), number=n,
                weakness_span=c.span(a, b), verdict_text=cm.join_lines(c.text[s:e]),
            ))
        letter.overall_text = cm.join_lines(c.text[s:e])
        if len(totals) == 1 and (stated_k is None or stated_k == len(items)):
            total = totals.pop()
            if 0 < len(items) < total:
                letter.overall = "sufficient_some"
            elif len(items) == total:
                letter.overall = "sufficient_all"
        if not letter.overall:
            letter.flag("The text lists the weaknesses with sufficient progress but not how many there were: the overall result is not known.")
        return True
    return False


# "insufficient progress in two areas", "in three of the weaknesses": a count of some weaknesses, not all of them.
_SUBSET = re.compile(
    rf"\b(?:in|on|against|regarding)\s+(?:addressing\s+)?(?:only\s+)?(?:the\s+)?(?:{_NUM_WORD}|some|several|a\s+few|most|many)\s+"
    r"(?:(?:of\s+the\s+)?(?:other\s+|remaining\s+)?(?:areas?|weakness(?:es)?|concerns?))",
    re.I,
)


def _a_subset(text: str, at: int) -> bool:
    """True when the 'insufficient progress' sentence counts some weaknesses ("in two areas"): then the others are
    not said to be insufficient, and the result is not 'none'."""
    s, e = cm.sentence_around(text, at)
    sentence = text[s:e]
    return bool(_SUBSET.search(sentence)) and not re.search(r"\b(?:all|any|each|every|none)\b", sentence, re.I)


def read_revisit_outcome(letter: ParsedLetter, c: Cleaned, items) -> None:
    if read_partial_result(letter, c):
        return
    all_m = _finding(ALL_SUFFICIENT, c.text)
    some_m = _finding(SOME_SUFFICIENT, c.text)
    some_m = some_m if some_m and _is_part(some_m) else None  # "in addressing any of the three" is no count
    none_m = _finding(
        re.compile(
            r"(?:not|insufficient)\s+(?:made\s+)?sufficient\s+progress|insufficient\s+progress"
            r"|(?:sufficient|enough)\s+progress\s+(?:had|has|was)\s+not\s+(?:been\s+)?made",
            re.I,
        ),
        c.text,
    )
    verdict: bool | None = None
    if all_m and not none_m:
        verdict, letter.overall = True, "sufficient_all"
        s, e = cm.sentence_around(c.text, all_m.start())
    elif none_m and not all_m and not some_m and not _a_subset(c.text, none_m.start()):
        verdict, letter.overall = False, "sufficient_none"
        s, e = cm.sentence_around(c.text, none_m.start())
    elif some_m and not all_m and _is_part(some_m):
        # "enough progress in addressing 3 of the 4": the overall result is clear, but not which weakness is which.
        letter.overall = "sufficient_some"
        s, e = cm.sentence_around(c.text, some_m.start())
        letter.flag("The council report gives the number of weaknesses with sufficient progress but not which ones; judgements are left open.")
    else:
        progress = re.search(r"progress|improvement|well\s+enough", c.text, re.I)
        said = f": {cm.quoted_sentence(c.text, progress.start())}" if progress else ""
        letter.flag(f"The text's overall revisit result was not clear; judgements are left open{said}")
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


# A written statement of action spoken of as existing: "Our Written Statement of Action (WSOA) sets out our plan",
# "Stockport's Written Statement of Action has been approved". Only an area told to write one has one.
_DONE_TO_A_WSOA = r"(?:approved|submitted|published|produced|agreed|accepted|deemed|judged|found|signed|developed|co-produced)"
_TO_WHOM = r"(?:\s+(?:to|for|from)\s+(?:the\s+)?[A-Z][\w]+(?:\s+and\s+(?:the\s+)?[A-Z][\w]+)?)?"
_EXISTING_WSOA = re.compile(
    rf"(?:\b(?:Our|our|The|the|its|their)|['’]s)\s+(?:joint\s+)?(?:SEND\s+)?{WSOA_TERM}\s*(?:\([^)]{{1,10}}\)\s*)?{_TO_WHOM}\s*"
    r"(?:sets\s+out|set\s+out|has\s+been|was|is\s+(?:the|our|a)|addresses|describes|explains|shows)\b"
    # "The action plan, also known as a 'Written Statement of Action', was approved by Ofsted"
    rf"|{WSOA_TERM}['’\"”]?,?\s+(?:was|were|has\s+been|had\s+been)\s+{_DONE_TO_A_WSOA}\b"
    # "we have produce(d) a written statement of action", "the council submitted its WSOA"
    rf"|\b(?:produced?|developed|wrote|written|submitted|published|co-produced|prepared)\s+(?:a|an|our|the|its|their)\s+(?:joint\s+)?{WSOA_TERM}"
    # "the areas detailed in the written statement of action", "strong progress with your Written Statement of Action"
    rf"|\b(?:detailed|set\s+out|identified|described|outlined|listed|contained)\s+in\s+(?:the|our|its|their|your)\s+(?:SEND\s+)?{WSOA_TERM}"
    rf"|\bprogress\s+(?:with|on|against|in\s+delivering|in\s+implementing)\s+(?:the|our|its|their|your)\s+(?:SEND\s+)?{WSOA_TERM}"
    # "the four areas of significant weakness in our written statement of action": the area's own
    rf"|\bweakness(?:es)?\s+(?:in|of|set\s+out\s+in)\s+(?:our|its|their|your)\s+(?:SEND\s+)?{WSOA_TERM}",
    re.I,
)


def read_initial_outcome(letter: ParsedLetter, c: Cleaned, items) -> None:
    """The outcome as the text states it: required / not required (negation read, general explanations skipped);
    a written statement spoken of as the area's own plan counts as required; nothing stated leaves it unknown."""
    verdict, required, not_required = wsoa_statement(c.text)
    m = required if verdict == "required" else not_required if verdict == "not_required" else None
    if verdict == "conflict":
        letter.flag("The text says both that a written statement of action is and is not required.")
    if m is None and not verdict:
        m = _EXISTING_WSOA.search(c.text)
        if m:
            verdict = "required"
    if m is None and (mention := MENTIONS_OUTCOME.search(c.text)):
        letter.flag(f"The text speaks of the outcome in words that were not placed: {cm.quoted_sentence(c.text, mention.start())}")
    if m is not None:
        letter.outcome = "wsoa_required" if verdict == "required" else "no_wsoa"
        s, e = cm.sentence_around(c.text, m.start())
        letter.outcome_text = cm.join_lines(c.text[s:e])
        letter.outcome_span = c.span(s, e)
    bodies = WSOA_BODIES.search(c.text)
    if bodies and letter.outcome == "wsoa_required":
        letter.wsoa_bodies = cm.join_lines(bodies["bodies"])
    for text, (a, b) in items:
        letter.weaknesses.append(ParsedWeakness(number=len(letter.weaknesses) + 1, text=text, span=c.span(a, b)))
    if letter.outcome == "wsoa_required" and not letter.weaknesses:
        letter.flag("A written statement of action is required but no list of significant weaknesses was found.")


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
