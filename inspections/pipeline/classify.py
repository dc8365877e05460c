"""Stage 4: what kind of letter each chunk is; non-SEND documents are rejected here.

Decided from the text's own wording (titles and the fixed sentences Ofsted/CQC use), never from a file name.
Order matters: a SEND letter's title wins; then other Ofsted document kinds are named in the reason, so a
person sees *what* the file is rather than a bare "not recognised".
"""

from __future__ import annotations

import re

from .split import _DEAR, _SIGN_OFF, TITLE_2016, TITLE_2023
from .types import Classified, LetterChunk, NotSendDocument, SourceKind

_HEAD = 4000  # titles and opening sentences sit in the first few thousand characters

_REVISIT_BODY = re.compile(r"\brevisited\s+the\s+(?:local\s+)?area\s+of\b|\bSEND\s+re-?visit\b", re.I)
_INITIAL_BODY = re.compile(r"conducted\s+a\s+joint\s+inspection\s+of\s+the\s+local\s+area\s+of\b", re.I)
_2023_BODY = re.compile(r"\blocal\s+area\s+partnership\b", re.I)
_2023_MONITORING = re.compile(r"\bmonitoring\s+(?:inspection|visit)\b", re.I)

# Council reports about a SEND inspection/revisit, in their own words (no letter inside).
_COUNCIL = re.compile(
    r"\b(?:Report\s+of|Report\s+from|Submitted\s+to|Executive\s+(?:Member|Director)|Overview\s+and\s+Scrutiny|"
    r"Cabinet|Committee|Recommendations?|Proposed\s+decision|Background\s+papers|Agenda\s+item|Key\s+decision)\b",
    re.I,
)
# A page or report speaking about the letter, as the area itself or before the visit: "The revisit letter noted:",
# "View the letter", "Our last Local Area SEND Inspection", "a SEND re-visit of our local area". Ofsted/CQC letters
# never write these.
_ABOUT_THE_LETTER = re.compile(
    r"\bThe\s+(?:(?:re-?visit|inspection|outcome|Ofsted)\s+)?(?:letter|report)\s+(?:noted|notes|said|says|found|finds|states|stated|highlighted|highlights|concluded)\b"
    r"|\b(?:View|Read|Download)\s+the\s+(?:full\s+)?(?:letter|report)\b"
    r"|\bour\s+(?:(?:last|recent|latest|first|previous)\s+)?(?:local\s+area|area\s+SEND|SEND\s+(?:inspection|re-?visit))\b"
    # a notice sent before the visit: "Ofsted and CQC will be undertaking the re-visit of ...", "will conduct a revisit"
    r"|\bwill\s+(?:be\s+)?(?:undertak|conduct|carry(?:ing)?\s+out)\w*\s+(?:a|the)\s+(?:[\w-]+\s+){0,3}?(?:re-?visit|inspection)",
    re.I,
)
# A notice sent before a visit ("Ofsted and CQC will be undertaking the re-visit ... between 22nd and 24th January
# 2020"), and the sentences that state an inspection's outcome (a notice has none; "to assess whether the local area
# has made sufficient progress" states the purpose, not a result).
_NOTICE = re.compile(
    r"\bwill\s+(?:be\s+)?(?:undertak|conduct|carry(?:ing)?\s+out)\w*\s+(?:a|the)\s+(?:[\w-]+\s+){0,3}?(?:re-?visit|inspection)", re.I
)
_OUTCOME = re.compile(
    r"\b(?:has|had|have)\s+(?:not\s+)?made\s+(?:sufficient|enough|insufficient)\s+progress"
    r"|determined\s+that\s+a\s+written\s+statement|required\s+to\s+(?:jointly\s+)?(?:produce|submit|prepare)",
    re.I,
)
_PURPOSE = re.compile(r"\b(?:whether|if|decide|assess|determine|identify|see)\b[^.]{0,60}$", re.I)
_SEND_INSPECTION_TOPIC = re.compile(
    r"(?:\bSEND\b|special\s+educational\s+needs)[\s\S]{0,400}?\b(?:inspect(?:ed|ion)|revisit(?:ed)?)\b"
    r"|\b(?:inspect(?:ed|ion)|revisit(?:ed)?)\b[\s\S]{0,400}?(?:\bSEND\b|special\s+educational\s+needs)",
    re.I,
)
_OFSTED_CQC = re.compile(r"Ofsted[\s\S]{0,80}?(?:CQC|Care\s+Quality\s+Commission)|(?:CQC|Care\s+Quality\s+Commission)[\s\S]{0,80}?Ofsted", re.I)
_WSOA_OR_WEAKNESS = re.compile(r"written\s+statement\s+of\s+action|significant\s+(?:weakness|concern)|sufficient\s+progress", re.I)
_REVISIT_WORD = re.compile(r"\brevisit(?:ed)?\b|\bre-visit(?:ed)?\b", re.I)

# Other inspection documents, named so the reason is useful.
_NOT_SEND = [
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
    (
        re.compile(r"(?:jointly\s+)?evaluated\s+the\s+written\s+statement\s+of\s+action|statement\s+of\s+action\s+is\s+deemed\s+to\s+be\s+fit\s+for\s+purpose", re.I),
        "This is Ofsted and the CQC's evaluation of a written statement of action (a fit-for-purpose letter), not an "
        "inspection or revisit letter; sendtracker does not record these yet.",
    ),
]


def classify(chunk: LetterChunk) -> Classified:
    """Raise NotSendDocument (with a reason a person understands) when the chunk is not a SEND
    inspection letter, report or council summary of one."""
    text = chunk.text
    head = text[:_HEAD]
    title16 = TITLE_2016.search(head)
    title23 = TITLE_2023.search(head)
    # Another kind of Ofsted document names itself before any SEND title it might quote.
    first_title = min((t.start() for t in (title16, title23) if t), default=None)
    _reject_other_documents(head[: min(first_title, 1500)] if first_title is not None else "")
    if title23 and (not title16 or title23.start() < title16.start()):
        kind = "monitoring_inspection" if _2023_MONITORING.search(title23["what"]) else "full_inspection"
        return Classified(chunk=chunk, kind=kind, framework="2023", source_kind="letter")
    if title16:
        what = title16["what"].lower()
        kind = "revisit" if "visit" in what else "initial_inspection"
        return Classified(chunk=chunk, kind=kind, framework="2016", source_kind=_letter_or_quoted(text))
    if _NOTICE.search(head) and not _states_outcome(text):
        raise NotSendDocument(
            "This is a notice of a local area SEND inspection or revisit to come: it states no outcome (no written "
            "statement of action, significant weaknesses or progress judgement was found)."
        )
    # No title line (a letter with its letterhead and title cut off): its fixed opening sentence.
    if _REVISIT_BODY.search(head):
        return Classified(chunk=chunk, kind="revisit", framework="2016", source_kind=_letter_or_quoted(text))
    if _INITIAL_BODY.search(head):
        return Classified(chunk=chunk, kind="initial_inspection", framework="2016", source_kind=_letter_or_quoted(text))
    _reject_other_documents(head)
    if re.search(r"Area\s+SEND\s+(?:inspection|monitoring)", head, re.I) and _2023_BODY.search(head):
        kind = "monitoring_inspection" if _2023_MONITORING.search(head[:600]) else "full_inspection"
        return Classified(chunk=chunk, kind=kind, framework="2023", source_kind="letter")
    if _is_council_summary(text):
        kind = "revisit" if _REVISIT_WORD.search(text) and re.search(r"sufficient\s+progress", text, re.I) else "initial_inspection"
        return Classified(chunk=chunk, kind=kind, framework="2016", source_kind="secondary")
    if _SEND_INSPECTION_TOPIC.search(text):
        raise NotSendDocument(
            "The text mentions SEND and inspections but holds no local area SEND inspection letter, revisit letter, "
            "area SEND report, or a council report summarising one (no title such as 'Joint local area SEND "
            "inspection in …' and no inspection outcome was found)."
        )
    raise NotSendDocument(
        "This is not a local area SEND inspection document: no SEND inspection letter, revisit letter, area SEND "
        "report or council summary of one was found in the text."
    )


def _letter_or_quoted(text: str) -> SourceKind:
    """A 2016-framework letter is written to someone: it has a salutation or a sign-off. Text with neither but with
    a council report's furniture (report to, committee, recommendations, ...) is a council quoting the letter's
    title or opening sentence in its own report: a secondary source, never a letter."""
    if _DEAR.search(text) or _SIGN_OFF.search(text):
        return "letter"
    return "secondary" if council_words(text) >= 2 or _ABOUT_THE_LETTER.search(text) else "letter"


def _states_outcome(text: str) -> bool:
    """True when the text states an inspection outcome, not only the purpose of one ('to assess whether ...')."""
    return any(not _PURPOSE.search(text[max(0, m.start() - 80) : m.start()]) for m in _OUTCOME.finditer(text))


def council_words(text: str) -> int:
    """How many council-report words (report of, committee, recommendations, ...) the text holds."""
    return len(_COUNCIL.findall(text))


def names_another_document(text: str) -> bool:
    """True when the text names itself as another kind of Ofsted document (ILACS, JTAI, school report, ...)."""
    return any(rx.search(text) for rx, _ in _NOT_SEND)


def _reject_other_documents(text: str) -> None:
    for rx, reason in _NOT_SEND:
        if rx.search(text):
            raise NotSendDocument(reason)


def _is_council_summary(text: str) -> bool:
    """A council's own report on a SEND inspection or revisit, with outcome facts (WSOA, weaknesses, progress)."""
    return bool(
        (len(_COUNCIL.findall(text)) >= 2 or _ABOUT_THE_LETTER.search(text))
        and _OFSTED_CQC.search(text)
        and _SEND_INSPECTION_TOPIC.search(text)
        and _WSOA_OR_WEAKNESS.search(text)
    )
