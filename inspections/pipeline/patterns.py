"""Shared vocabulary of the split and classify stages: the title lines, letter furniture and council-report words.

split.py and classify.py (and the 2016 parsers) import these; this module imports nothing of the pipeline except
the line-anchored regex helper, so nothing imports back (issue 10: split <-> classify was an import circle).
"""

from __future__ import annotations

import re

from .parse.common import LineRx

_AREA_TAIL = r"[ \t]*(?:\n[ \t]*)?(?P<area>[^\n]{2,120})"
_W = r"(?:[ \t]+(?:\n[ \t]*)?|\n[ \t]*)"  # a title broken over two lines by PDF extraction is still a title
# 2016 framework: "Joint local area SEND inspection in X", "Local area SEND revisit in X", "Joint area SEND revisit in X".
TITLE_2016 = LineRx(
    rf"[ \t]*(?:\*\*)?(?:Joint{_W}(?:local{_W})?area|Local{_W}area){_W}"
    rf"(?:SEND|special{_W}educational{_W}needs{_W}(?:and/or|and|or){_W}disabilit(?:y|ies)(?:{_W}?\(SEND\))?){_W}"
    rf"(?P<what>inspection|re-?visit)(?:{_W}letter)?{_W}(?:in|of|for)\b" + _AREA_TAIL,
    re.I,
)
# 2023 framework: "Area SEND inspection of X Local Area Partnership", "Area SEND monitoring inspection of X".
TITLE_2023 = LineRx(
    rf"[ \t]*(?:\*\*)?Area{_W}SEND{_W}(?P<what>(?:full{_W})?inspection|monitoring{_W}inspection|monitoring{_W}visit){_W}of\b"
    + _AREA_TAIL,
    re.I,
)
# "Written Statement of Action" however printed: curly or straight quotes inside it ("a written ‘statement of action’"),
# the abbreviation in brackets or alone ("a WSoA was not required"). Use with re.I.
QUOTE = r"['‘’\"“”]?"
WSOA_TERM = rf"(?:{QUOTE}Written\s+{QUOTE}Statement\s+of\s+Action{QUOTE}(?:\s*\(\s*WSo?A\s*\))?|\bWSo?A\b)"

# A letter's salutation and sign-off: the furniture only a letter itself has.
DEAR = LineRx(r"[ \t]*Dear\b", re.I)
SIGN_OFF = LineRx(r"[ \t]*Yours[ \t]+(?:sincerely|faithfully)", re.I)

# Council reports about a SEND inspection/revisit, in their own words (no letter inside).
COUNCIL = re.compile(
    r"\b(?:Report\s+of|Report\s+from|Submitted\s+to|Executive\s+(?:Member|Director)|Overview\s+and\s+Scrutiny|"
    r"Cabinet|Committee|Recommendations?|Proposed\s+decision|Background\s+papers|Agenda\s+item|Key\s+decision)\b",
    re.I,
)

# Other inspection documents, named so the reason is useful.
NOT_SEND: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"Inspection\s+of\s+(?:[\w\s-]{0,60}?\s)?local\s+authority\s+children['’]s\s+services"
            r"|Inspection\s+of\s+children['’]s\s+social\s+care\s+services"
            r"|services\s+for\s+children\s+in\s+need\s+of\s+help\s+and\s+protection,?\s+children\s+looked\s+after\s+and\s+care\s+leavers"
            r"|\bILACS\b",
            re.I,
        ),
        "This is an Ofsted inspection of local authority children's services (ILACS), not a local area SEND inspection.",
    ),
    (
        re.compile(r"(?:Focused|Monitoring)\s+visit\s+(?:to|of)\s+[\w\s,'’&-]{0,80}?children['’]s\s+services", re.I),
        "This is an Ofsted focused or monitoring visit to local authority children's services (ILACS), not a local area SEND inspection.",
    ),
    (
        re.compile(r"Joint\s+targeted\s+area\s+inspection|\bJTAI\b", re.I),
        "This is a joint targeted area inspection (JTAI) letter, not a local area SEND inspection.",
    ),
    (
        re.compile(r"Unique\s+reference\s+number[\s\S]{0,2000}?(?:Headteacher|Head\s+teacher|Principal|School\s+report)|School\s+report\b|Inspection\s+of\s+[\w\s'’-]{2,80}?\s(?:School|Academy|College)\b", re.I),
        "This is an Ofsted inspection report on a school or college, not a local area SEND inspection.",
    ),
    (
        re.compile(r"^[ \t]*Interim\s+(?:area\s+)?(?:SEND\s+)?visit\s+(?:to|of|in)\b", re.I | re.M),  # its title line only
        "This is a letter about an interim SEND visit (made during the 2020 pandemic pause), not an inspection or revisit.",
    ),
    (
        re.compile(r"Age\s+group\s*:[\s\S]{0,120}?Published\s*:[\s\S]{0,120}?Reference\s+no", re.I),
        "This is an Ofsted national or thematic report, not an inspection letter about one local area.",
    ),
]

# A visit still to come: "will be undertaking the re-visit", "Ofsted and the CQC will revisit Devon from ...". Read by
# classify (a notice states no outcome) and by the secondary parser (a revisit notice records only the WSOA it names).
NOTICE_OF_VISIT = re.compile(
    r"\bwill\s+(?:be\s+)?(?:undertak|conduct|carry(?:ing)?\s+out)\w*\s+(?:a|the)\s+(?:[\w-]+\s+){0,3}?(?:re-?visit|inspection)"
    # "Ofsted and the CQC will revisit Devon from 23 to 25 May 2022", "inspectors will be returning to"
    r"|\b(?:Ofsted|CQC|Commission|inspectors)\s+(?:will|are\s+going\s+to)\s+(?:be\s+)?(?:re-?visit(?:ing)?|inspect(?:ing)?|return(?:ing)?\s+to)\b",
    re.I,
)

# Ofsted and the CQC's letter evaluating an area's written statement of action: it states that the area had to write
# one and the day it was judged fit for purpose (the letter's own date, unless it gives another).
WSOA_EVALUATION = re.compile(
    r"(?:jointly\s+)?evaluated\s+the\s+(?:revised\s+)?written\s+statement\s+of\s+action"
    r"|statement\s+of\s+action\s+(?:is|has\s+been)\s+deemed\s+(?:to\s+be\s+)?fit\s+for\s+purpose",
    re.I,
)


def council_words(text: str) -> int:
    """How many council-report words (report of, committee, recommendations, ...) the text holds."""
    return len(COUNCIL.findall(text))


def names_another_document(text: str) -> bool:
    """True when the text names itself as another kind of Ofsted document (ILACS, JTAI, school report, ...)."""
    return any(rx.search(text) for rx, _ in NOT_SEND)
