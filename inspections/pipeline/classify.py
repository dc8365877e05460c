"""Stage 4: what kind of letter each chunk is; non-SEND documents are rejected here.

Decided from the text's own wording (titles and the fixed sentences Ofsted/CQC use), never from a file name.
Order matters: a SEND letter's title wins; then other Ofsted document kinds are named in the reason, so a
person sees *what* the file is rather than a bare "not recognised".
"""

from __future__ import annotations

import re

from .patterns import COUNCIL as _COUNCIL
from .patterns import DEAR as _DEAR
from .patterns import NOT_SEND as _NOT_SEND
from .patterns import SIGN_OFF as _SIGN_OFF
from .patterns import NOTICE_OF_VISIT as _NOTICE
from .patterns import TITLE_2016, TITLE_2023, WSOA_EVALUATION, WSOA_TERM, council_words
from .parse.common import find_date_range, sentence_around
from .parse.initial_2016 import wsoa_statement
from .types import Classified, LetterChunk, NotSendDocument, SourceKind

_HEAD = 4000  # titles and opening sentences sit in the first few thousand characters

_REVISIT_BODY = re.compile(r"\brevisited\s+the\s+(?:local\s+)?area\s+of\b|\bSEND\s+re-?visit\b", re.I)
_INITIAL_BODY = re.compile(r"conducted\s+a\s+joint\s+inspection\s+of\s+the\s+local\s+area\s+of\b", re.I)
_2023_BODY = re.compile(r"\blocal\s+area\s+partnership\b", re.I)
_2023_MONITORING = re.compile(r"\bmonitoring\s+(?:inspection|visit)\b", re.I)

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
    if title23 and (not title16 or title23.start() < title16.start()) and is_2023_report(text):
        kind = "monitoring_inspection" if _2023_MONITORING.search(title23["what"]) else "full_inspection"
        return Classified(chunk=chunk, kind=kind, framework="2023", source_kind="letter")
    if title16:
        what = title16["what"].lower()
        kind = "revisit" if "visit" in what else "initial_inspection"
        return Classified(chunk=chunk, kind=kind, framework="2016", source_kind=_letter_or_quoted(text, titled=True))
    about_2023 = classify_2023_text(chunk)  # a 2023-framework summary (raises for a notice of a visit to come)
    if about_2023 is not None:
        return about_2023
    if _NOTICE.search(head) and not _states_outcome(text):
        if _REVISIT_WORD.search(text) and _notice_states_a_wsoa(text):
            # A revisit is only made where a WSOA was required: a notice of one that speaks of the area's written
            # statement of action ("the areas of significant weakness detailed in the SEND Written Statement of
            # Action") states that past fact. The visit to come is not recorded (the parser says so).
            return Classified(chunk=chunk, kind="initial_inspection", framework="2016", source_kind="secondary")
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
    # A 2023 report with its title cut off still speaks in the report's own words. A council report or page that uses
    # them ("the new Area SEND Inspection Framework", "the local area partnership") is never the report itself: it
    # is left to the secondary readers below, which take the framework from its wording and dates.
    if re.search(r"Area\s+SEND\s+(?:inspection|monitoring)", head, re.I) and _2023_BODY.search(head) and not _speaks_about_it(text):
        kind = "monitoring_inspection" if _2023_MONITORING.search(head[:600]) else "full_inspection"
        return Classified(chunk=chunk, kind=kind, framework="2023", source_kind="letter")
    # Ofsted and the CQC's evaluation of a written statement of action (no title of its own) states the WSOA and when
    # it was judged fit for purpose: read as a text about the inspection that required it.
    if WSOA_EVALUATION.search(text) or _is_council_summary(text) or _is_secondary_report_2016(text):
        _reject_figures_about_many_areas(text)
        return Classified(chunk=chunk, kind=_secondary_kind_2016(text), framework="2016", source_kind="secondary")
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


# --- the letter itself, or a text about it (2016 framework; issue 12 kinds 3 and 4) ----------------------------------

# A letter's own furniture: the Ofsted letterhead (address block) and the salutation / sign-off (patterns.DEAR,
# patterns.SIGN_OFF). Press articles, forum posts, council pages and answers in Parliament that repeat the letter's
# sentences have none of it.
_LETTERHEAD = re.compile(
    r"^[ \t]*Ofsted[ \t]*$|\bOfsted[ \t]+Agora\b|\b6[ \t]+Cumberland[ \t]+Place\b|\bPiccadilly[ \t]+Gate\b|\bNG1[ \t]+6HJ\b"
    r"|\blasend\.support@ofsted\.gov\.uk\b",
    re.I | re.M,
)


def _speaks_about_it(text: str) -> bool:
    """True for a council's text about an inspection (two council-report words: "Report of", "Agenda item",
    "Committee", ...) or any text that speaks of the letter or report as a third party ("The report found", "our
    local area SEND inspection"): never the letter or report itself."""
    return council_words(text) >= 2 or bool(_ABOUT_THE_LETTER.search(text))


# Figures about many areas' inspections: "carried out 42 area SEND inspections", "13 local area partnerships received
# the highest outcome", "of the 151 local areas inspected, 73 were required ...". Not "three areas for priority
# action" or "two areas of significant weakness" (one area's findings), and not a few ("the area's two inspections"):
# one area's page may count its own visits.
_MANY_AREAS = re.compile(
    r"\b(?:[5-9]|[1-9]\d{1,2}|five|six|seven|eight|nine|ten|dozens\s+of|hundreds\s+of)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:local\s+areas|local\s+area\s+partnerships|partnerships|(?:joint\s+|area\s+|local\s+area\s+)?SEND\s+(?:inspections|re-?visits)"
    r"|inspections|re-?visits|local\s+authorities|councils)\b(?!\s+(?:for|of)\b)",
    re.I,
)


def _reject_figures_about_many_areas(text: str) -> None:
    """Raise NotSendDocument for a text that gives figures about many areas' inspections (national or regional
    statistics, a thematic summary) and names no one area: it reports no area's inspection, so even an outcome
    sentence in it ("11 were found to have widespread and/or systemic failings") belongs to no area."""
    m = _MANY_AREAS.search(text)
    if m is None or _names_an_area(text):
        return
    s, e = sentence_around(text, m.start())
    raise NotSendDocument(
        "The text gives figures about many local areas' SEND inspections (“" + " ".join(text[s:e].split())[:160]
        + "”) and names no one area whose inspection it reports: statistics or a general summary, not a record of an "
        "area's inspection, so nothing was recorded."
    )


def _names_an_area(text: str) -> bool:
    """True when the text names a place the way a text about one area's inspection does (the secondary readers'
    area patterns, 2016 and 2023 wording); the register later decides whether the name is an area."""
    from .parse.common import clean
    from .parse.secondary_2016 import area_names_in_text
    from .parse.secondary_2023 import area_names

    return bool(area_names_in_text(clean(text, 0, len(text))) or area_names(text))


def _letter_or_quoted(text: str, *, titled: bool = False) -> SourceKind:
    """'letter' only for the letter itself: it is written to someone (salutation or sign-off), or it carries the
    Ofsted letterhead or the letter's title line (`titled`, found by the caller at a line start) and no council
    report's words. Anything else that repeats the inspectors' wording — a press article, a forum post, a council
    page, a parliamentary answer — is a text about the letter: 'secondary', whose facts are flagged for review."""
    if _DEAR.search(text) or _SIGN_OFF.search(text):
        return "letter"
    if council_words(text) >= 2 or _ABOUT_THE_LETTER.search(text):
        return "secondary"
    return "letter" if titled or _LETTERHEAD.search(text[:_HEAD]) else "secondary"


# What a text about a 2016-framework inspection states: who inspected, the SEND inspection, and a result or the
# dates. Council news, local offer pages, NHS news, press and forum posts word it in their own way ("The inspectors
# asked us to write a Written Statement of Action", "From 7 to 11 November 2022 Ofsted and the CQC carried out a
# joint inspection of SEND services in Rotherham").
# Ofsted and the CQC, or what only they do: a joint local area SEND inspection, a written statement of action.
_INSPECTORS = re.compile(
    r"\bOfsted\b|\bCare\s+Quality\s+Commission\b|\bCQC\b|\binspectors\b|\blocal\s+area\s+SEND\s+(?:inspection|re-?visit)"
    rf"|{WSOA_TERM}|(?:sufficient|enough)\s+progress[^.]{{0,80}}\bweakness",
    re.I,
)
_AREA_INSPECTION_2016 = re.compile(
    r"\b(?:Ofsted|CQC|inspectors)\b[^.]{0,80}\b(?:inspected|revisited|re-visited|visited|returned\s+to|came\s+back\s+to)\b"
    r"|\b(?:Ofsted|CQC)\s+(?:SEND\s+)?(?:inspection|re-?visit)\b"
    r"|\b(?:the|this|that|a|their|our)\s+(?:SEND\s+|joint\s+)?(?:inspection|re-?visit)\b"
    r"|\b(?:joint|local\s+area|area)\s+(?:SEND\s+)?(?:inspection|re-?visit)\b"
    r"|\b(?:inspect(?:ion|ed)|re-?visit(?:ed)?)\s+(?:of\s+)?(?:the\s+)?(?:local\s+area|SEND\s+services|services\s+for\s+children)"
    r"|\bSEND\s+(?:joint\s+)?(?:area\s+)?(?:inspection|re-?visit)\b"
    # The press's passive and "by" forms: "were inspected by Ofsted and the Care Quality Commission", "an inspection
    # by Ofsted and the CQC of services for children with special educational needs", "a visit by inspectors".
    r"|\b(?:inspected|revisited|re-visited|visited|inspection|re-?visit|visit)\s+by\s+(?:the\s+)?(?:Ofsted|CQC|Care\s+Quality|inspectors)\b"
    # "a joint local area special educational needs and disabilities (SEND) revisit"
    r"|\b(?:joint|local\s+area)\s+[\w\s/]{0,80}?\(SEND\)\s+(?:inspection|re-?visit)\b",
    re.I,
)
_RESULT_2016 = re.compile(
    rf"{WSOA_TERM}|significant\s+(?:weakness|concern)|(?:sufficient|enough)\s+progress|written\s+action\s+plan"
    r"|\bexplain\s+in\s+writing\s+how",
    re.I,
)
# The 2023 framework's own words: such texts are not read as 2016-framework inspections here.
_WORDS_2023 = re.compile(
    r"\blocal\s+area\s+partnership\b|widespread\s+and/or\s+systemic|inconsistent\s+experiences|typically\s+positive"
    r"|\bareas?\s+for\s+priority\s+action|\bpriority\s+actions?\b|\bmonitoring\s+inspection\b",
    re.I,
)


_SEND_WORDS = re.compile(rf"\bSEND\b|special\s+educational\s+needs|{WSOA_TERM}", re.I)
_A_YEAR = re.compile(r"\b20[1-3]\d\b")
_REVISIT_RESULT = re.compile(r"(?:sufficient|enough|significant)\s+(?:progress|improvement)|not\s+doing\s+well\s+enough", re.I)


def _secondary_kind_2016(text: str) -> str:
    """A text about a revisit judges progress ("sufficient progress", "sufficient improvement", "still not doing well
    enough") or dates the revisit itself; otherwise it is about the initial inspection."""
    if not _REVISIT_WORD.search(text):
        return "initial_inspection"
    if _REVISIT_RESULT.search(text):
        return "revisit"
    return "initial_inspection"


_FOUND = re.compile(r"\b(?:found|judged|concluded|identified|reported|praised|criticised|rated)\b", re.I)
_VISIT_WORD = re.compile(r"\binspect(?:ion|ed)\b|\bre-?visit(?:ed)?\b", re.I)


def _dated_visit(text: str) -> bool:
    """True when a sentence about the inspection or revisit gives its dates ("The inspection, from 10 to 14 June
    2019, looked at ..."): a fact even where the text states no outcome."""
    for m in _VISIT_WORD.finditer(text, 0, _HEAD):
        s, e = sentence_around(text, m.start())
        if find_date_range(text, s, e):
            return True
    return False


def _is_secondary_report_2016(text: str) -> bool:
    """A text about a 2016-framework local area SEND inspection or revisit that states something of it (a written
    statement of action, significant weaknesses, progress) — a secondary source, without any council-report words.
    Notices of visits to come are rejected before this is asked; 2023-framework wording is left to its readers."""
    head = text[:_HEAD]
    return bool(
        _INSPECTORS.search(head)
        and _AREA_INSPECTION_2016.search(head)
        # an outcome, or the visit's dates with what was found (a work programme that only expects the findings
        # states nothing of them)
        and (_RESULT_2016.search(text) or (_dated_visit(text) and _FOUND.search(text)))
        and _SEND_WORDS.search(text)
        # A text about one inspection dates it or states its outcome; a general explanation of the process does neither.
        and (_A_YEAR.search(text) or wsoa_statement(text)[0])
        and not _WORDS_2023.search(text)
    )


def _notice_states_a_wsoa(text: str) -> bool:
    """True when a notice speaks of the area's own written statement of action (never a general explanation)."""
    from .parse.secondary_2016 import _EXISTING_WSOA

    return wsoa_statement(text)[0] == "required" or _EXISTING_WSOA.search(text) is not None


def _states_outcome(text: str) -> bool:
    """True when the text states an inspection outcome, not only the purpose of one ('to assess whether ...')."""
    return any(not _PURPOSE.search(text[max(0, m.start() - 80) : m.start()]) for m in _OUTCOME.finditer(text))


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


# --- 2023 framework: the report itself, a text about it, or a notice of a visit (issue 12 kinds 8, 9, 11) ------------

# The report's own furniture: its labelled lines and fixed headings. A council page, press article or forum post that
# retells the report (or quotes its title) has at most one of them.
_REPORT_2023_FURNITURE = re.compile(
    r"^[ \t]*(?:Inspection\s+dates?[ \t]*:|Dates?\s+of\s+(?:the\s+)?previous\s+(?:full\s+)?(?:area\s+SEND\s+)?inspection"
    r"|(?:Monitoring\s+)?[Ii]nspection\s+outcome[ \t]*$|Areas?\s+for\s+priority\s+action[ \t]*$|Areas?\s+for\s+improvement[ \t]*$"
    r"|Local\s+area\s+partnership\s+details[ \t]*$|Information\s+about\s+th(?:is|e)\s+(?:monitoring\s+)?inspection[ \t]*$"
    r"|Inspection\s+team[ \t]*$|Progress\s+in\s+addressing\s+the\s+areas?\s+for\s+priority\s+action)",
    re.I | re.M,
)


def is_2023_report(text: str) -> bool:
    """True when the text is a 2023-framework report itself: at least two of its labelled lines or fixed headings
    ("Inspection dates:", "Inspection outcome", "Areas for improvement", "Inspection team", ...)."""
    kinds = {re.sub(r"\W+", " ", m.group(0)).strip().lower()[:14] for m in _REPORT_2023_FURNITURE.finditer(text)}
    return len(kinds) >= 2


def classify_2023_text(chunk: LetterChunk) -> Classified | None:
    """A text about a 2023-framework inspection that is not the report itself -> a secondary Classified.

    Wording and dates decide the framework (parse.secondary_2023.is_2023_text): the three outcome sentences, monitoring
    verdicts ("has taken effective action"), "areas for priority action", "local area partnership" in a text of 2023 or
    later. None when the text is a 2023 report itself (left to the title/furniture rules) or not about the 2023
    framework. Raises NotSendDocument for a notice of a visit to come (it records no inspection and no outcome) and
    for other Ofsted documents."""
    from .parse.secondary_2023 import coming_visit, is_2023_text, is_monitoring_text, sentences, states_an_event

    text = chunk.text
    if is_2023_report(text) or not is_2023_text(text):
        return None
    _reject_other_documents(text[:_HEAD])
    if not _SEND_INSPECTION_TOPIC.search(text) and not re.search(r"local\s+area\s+partnership|priority\s+action", text, re.I):
        return None
    sents = sentences(text)
    notice = coming_visit(sents)
    if notice is not None:
        raise NotSendDocument(
            "A notice of a coming visit, not a report: it announces an area SEND "
            f"{'monitoring ' if re.search(r'monitoring', notice.text, re.I) else ''}inspection "
            f"(“{notice.text[:160]}”) and states no inspection that has happened and no outcome, so nothing was recorded."
        )
    _reject_figures_about_many_areas(text)
    if not states_an_event(text, sents):
        raise NotSendDocument(
            "The text speaks of area SEND inspections (2023 framework) but states nothing to record about an area: no "
            "outcome, no monitoring verdict and no dates of a visit that has happened (general information, the "
            "possible outcomes, or a visit under way)."
        )
    kind = "monitoring_inspection" if is_monitoring_text(sents) else "full_inspection"
    return Classified(chunk=chunk, kind=kind, framework="2023", source_kind="secondary")

