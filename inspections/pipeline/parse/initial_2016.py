"""2016-framework initial inspection letter ("Joint local area SEND inspection in X") -> ParsedLetter."""

from __future__ import annotations

import re

from ..patterns import QUOTE as _Q
from ..patterns import TITLE_2016, TITLE_2023, WSOA_TERM
from ..types import Classified, ParsedLetter, ParsedWeakness
from . import common as cm
from .common import Cleaned, LineRx

_NOT_BEFORE = r"(?<!not )(?<!not\n)(?<!n't )(?<!n’t )(?<!never )"
WSOA_REQUIRED = re.compile(
    rf"{WSOA_TERM}\s+(?:is|was|will\s+be|has\s+been|had\s+been|would\s+be)\s+(?:therefore\s+)?required"
    rf"|{_NOT_BEFORE}required\s+(?:us\s+)?to\s+(?:jointly\s+)?(?:produce|submit|prepare|write|develop)(?:\s+and\s+(?:submit|publish))?\s+a\s+(?:joint\s+)?{WSOA_TERM}"
    rf"|\b(?:asked|instructed|directed)\s+(?:us|the\s+(?:local\s+)?area|the\s+(?:council|partnership)|[\w\s,]{{3,60}}?)\s+to\s+(?:jointly\s+)?(?:write|produce|prepare|submit|develop)\s+a\s+(?:joint\s+)?{WSOA_TERM}"
    # "The inspection letter ... required the local authority and Walsall CCG to produce a WSOA"
    rf"|{_NOT_BEFORE}\brequired\s+(?:the\s+)?[\w\s,&'’]{{3,80}}?\s+to\s+(?:jointly\s+)?(?:produce|submit|prepare|write|develop)\s+a\s+(?:joint\s+)?{WSOA_TERM}"
    # "the council and CCG have to write a written statement of action", "must now submit a written statement"
    rf"|\b(?:have|has|had|must|will\s+have)\s+(?:now\s+)?(?:to\s+)?(?:jointly\s+)?(?:write|produce|prepare|submit|draw\s+up)\s+a\s+(?:joint\s+)?{WSOA_TERM}"
    # The press says it other ways: "was asked to submit a written statement of action", "were told to provide a WSOA",
    # "a written action plan was required", "asked to explain in writing how they would tackle ...".
    rf"|{_NOT_BEFORE}\b(?:was|were|been|being)\s+(?:asked|told|required|instructed|directed|ordered)\s+to\s+(?:jointly\s+)?"
    rf"(?:submit|provide|produce|write|prepare|develop|draw\s+up|send)\s+(?:a|an)\s+(?:joint\s+)?{WSOA_TERM}"
    r"|\bwritten\s+action\s+plan\s+(?:is|was|will\s+be|has\s+been|had\s+been|would\s+be)\s+(?:therefore\s+)?required"
    rf"|{_NOT_BEFORE}\b(?:was|were|been)\s+(?:asked|told|required|instructed)\s+to\s+(?:explain|set\s+out|say|show)\s+in\s+writing\s+how",
    re.I,
)
# Negation: "no Written Statement of Action was issued", "a WSOA was not required", "did not need to produce a WSOA".
WSOA_NOT_REQUIRED = re.compile(
    rf"\bno\s+(?:need\s+for\s+(?:a\s+)?)?{WSOA_TERM}"
    rf"|{WSOA_TERM}\s+(?:is|was|will|has|had|would)(?:\s+not|n['’]t)\s+(?:be(?:en)?\s+)?(?:required|needed|necessary|issued|requested)"
    rf"|(?:not|n['’]t|never)\s+(?:be(?:en)?\s+)?(?:required|need(?:ed)?|asked)\s+to\s+(?:jointly\s+)?(?:produce|submit|prepare|write)\s+a\s+(?:joint\s+)?{WSOA_TERM}"
    rf"|(?:did\s+not|does\s+not|didn['’]t)\s+(?:require|need)\s+(?:a\s+)?{WSOA_TERM}"
    rf"|without\s+(?:the\s+need\s+for\s+|requiring\s+)?(?:a\s+)?{WSOA_TERM}"
    r"|\bno\s+written\s+action\s+plan|\bwritten\s+action\s+plan\s+(?:is|was|would)(?:\s+not|n['’]t)\s+(?:be\s+)?required",
    re.I,
)
# A sentence that explains the process in general ("If significant weaknesses are found, a Written Statement of Action
# is required"; "may be required") states nothing about this area.
_GENERAL = re.compile(r"^\W*(?:If|Where|When(?:ever)?|Should|Unless)\b|\b(?:may|might|could|can)\s+(?:be\s+|also\s+)?$|\bif\b[^.]*$", re.I)


MENTIONS_OUTCOME = re.compile(rf"written\s+{_Q}statement|\bWSo?A\b|significant\s+weakness", re.I)


def wsoa_statement(text: str) -> tuple[str, re.Match[str] | None, re.Match[str] | None]:
    """What `text` states about a written statement of action for this area: ("required" | "not_required" |
    "conflict" | "", the first required match, the first not-required match). General explanations of the
    process are skipped; a negated form is never read as required."""
    not_required_all = _all_stated(WSOA_NOT_REQUIRED, text)
    not_required = not_required_all[0] if not_required_all else None
    # "no written statement of action would be required": the required form inside a negated phrase is not a claim.
    required = next(
        (m for m in _all_stated(WSOA_REQUIRED, text) if not any(n.start() <= m.end() and m.start() <= n.end() for n in not_required_all)),
        None,
    )
    if required and not_required:
        return "conflict", required, not_required
    return ("required" if required else "not_required" if not_required else ""), required, not_required


def _all_stated(rx: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Matches of rx that are not inside a general explanation of the process."""
    found = []
    for m in rx.finditer(text):
        s, _ = cm.sentence_around(text, m.start())
        if not _GENERAL.search(text[s : m.start()]):
            found.append(m)
    return found


WSOA_BODIES = re.compile(
    r"determined\s+that\s+(?P<bodies>[^.]{5,300}?)\s+(?:are|were|is|was)\s+(?:jointly\s+)?responsible\s+for\s+"
    r"(?:submitting|producing)",
    re.I,
)
WEAKNESS_INTRO = re.compile(
    r"(?:tackle|address)\s+the\s+following\s+(?:areas?\s+of\s+significant\s+(?:weakness(?:es)?|concerns?)|significant\s+(?:weaknesses|concerns))\s*:?"
    r"|following\s+areas?\s+of\s+significant\s+(?:weakness(?:es)?|concerns?)\s*:",
    re.I,
)
BODY_AREA = re.compile(r"(?:inspection|revisited|re-visited)\s+(?:of\s+)?the\s+(?:local\s+)?area\s+of\s+(?P<area>[^.]{2,80}?)\s+to\s+(?:judge|decide)", re.I)
MAIN_FINDINGS = LineRx(r"[ \t]*Main[ \t]+findings[ \t]*$", re.I)
SECTION = LineRx(
    r"[ \t]*The[ \t]+effectiveness[ \t]+of[ \t]+the[ \t]+local[ \t]+area[ \t]+in\s+(?P<what>identif\w*|assessing\s+and\s+meeting|meeting|improving)",
    re.I,
)
SECTION_KEYS = {"identif": "identification", "assessing": "assessing_and_meeting_needs", "meeting": "assessing_and_meeting_needs", "improving": "improving_outcomes"}
STRENGTHS = LineRx(r"[ \t]*Strengths[ \t]*$", re.I)
DEVELOPMENT = LineRx(r"[ \t]*Areas[ \t]+for[ \t]+(?:development|improvement)[ \t]*$", re.I)
FINDINGS_END = LineRx(
    r"[ \t]*(?:The\s+inspection\s+raises|Yours\s+(?:sincerely|faithfully)|The\s+local\s+area\s+is\s+required)", re.I
)
SIGNED = re.compile(r"Yours\s+(?:sincerely|faithfully)", re.I)
PUBLISHED = re.compile(
    r"(?:letter|report)[^.]{0,80}?published\s+(?:on\s+(?:the\s+)?Ofsted(?:['’]s)?\s+website\s+)?on\s+(?:the\s+)?(?P<date>"
    + cm.DATE
    + ")",
    re.I,
)


def parse_initial(item: Classified, document_text: str) -> ParsedLetter:
    chunk = item.chunk
    c = cm.clean(document_text, chunk.span.start, chunk.span.end)
    letter = ParsedLetter(kind=item.kind, framework=item.framework, source_kind=item.source_kind, span=chunk.span)
    title = TITLE_2016.search(c.text)
    body_from = title.end() if title else 0
    read_area(letter, c, title)
    read_dates(letter, c, body_from)
    read_letter_date(letter, c, title)
    read_outcome(letter, c)
    read_weaknesses(letter, c)
    read_people(letter, c)
    letter.findings = read_findings(c)
    read_council_preface(letter, document_text, chunk.span.start)
    if letter.outcome == "wsoa_required" and not letter.weaknesses:
        letter.flag("A written statement of action is required but no list of significant weaknesses was found.")
    if letter.outcome == "no_wsoa" and letter.weaknesses:
        letter.flag("Significant weaknesses were listed although no written statement of action was found to be required.")
    return letter


def read_area(letter: ParsedLetter, c: Cleaned, title: re.Match[str] | None) -> None:
    title_area = _area_text(title["area"]) if title else ""
    body = BODY_AREA.search(c.text)
    body_area = _area_text(body["area"]) if body else ""
    if title_area and body_area and title_area != body_area:
        if body_area.startswith(title_area.rstrip("-")):
            title_area = ""  # the title's name was cut by a line break; the sentence holds all of it
        elif _key(title_area) != _key(body_area) and _key(body_area) not in _key(title_area) and _key(title_area) not in _key(body_area):
            letter.flag(f"The area is named '{title_area}' in the title but '{body_area}' in the letter.")
    if title_area and body_area and title_area.isupper() and not body_area.isupper() and _key(title_area) == _key(body_area):
        title_area = ""  # a title set in capitals: the opening sentence writes the name as the area does
    if title_area:
        letter.area_name = title_area
        letter.area_span = c.span(title.start("area"), title.start("area") + len(title["area"].rstrip()))
    elif body_area:
        letter.area_name = body_area
        letter.area_span = c.span(body.start("area"), body.end("area"))
    else:
        letter.flag("The local area's name was not found.")


def _area_text(raw: str) -> str:
    text = cm.join_lines(raw).strip(" *.:,")
    return re.sub(r"^the\s+", "", text, flags=re.I)


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("&", "and"))


def read_dates(letter: ParsedLetter, c: Cleaned, body_from: int) -> None:
    # The opening sentence: "During/Between <dates>, Ofsted and the CQC conducted/revisited ...".
    window_end = min(len(c.text), body_from + 1500)
    rng = cm.find_date_range(c.text, body_from, window_end)
    if rng is None:
        rng = cm.find_date_range(c.text, 0, len(c.text))
        if rng is not None:
            letter.flag("The inspection dates were not in the letter's opening sentence; taken from later text.")
    if rng is None:
        letter.flag("The inspection dates were not found.")
        return
    letter.start_date, letter.end_date = rng.start, rng.end
    letter.dates_span = c.span(rng.match_start, rng.match_end)


_DATE_LIKE = re.compile(r"(?m)^[ \t]*(?:Date[ \t]*:?[ \t]*)?(\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4})[ \t]*$")


def read_letter_date(letter: ParsedLetter, c: Cleaned, title: re.Match[str] | None) -> None:
    limit = title.start() if title else min(len(c.text), 1500)
    dear = cm.DEAR_RE.search(c.text, 0, limit)
    if dear:
        limit = dear.start()
    if letter.dates_span is not None:
        # Without a title or salutation (a letterhead cut off, a page quoting the letter) the window reaches the
        # opening sentence: its inspection dates are never the letter's date.
        dates_at = c.pos.index_at_or_after(letter.dates_span.start)
        if dates_at < limit:
            limit = cm.sentence_around(c.text, dates_at)[0]
    letter.letter_date, letter.letter_date_span = cm.letter_date(c, 0, limit)
    if letter.letter_date is None:
        # A date the letterhead states in a form not read ("09/06/22", "13/25/2022"): a person reads it; never
        # a silent "Letter: not known".
        odd = _DATE_LIKE.search(c.text, 0, limit)
        if odd:
            letter.flag(f"The letter's date could not be read: “{odd.group(0)}” is not a date in day/month/year order with a four-digit year.")
    if letter.letter_date and letter.end_date and letter.letter_date < letter.end_date:
        letter.flag("The letter is dated before the inspection ended.")


def read_outcome(letter: ParsedLetter, c: Cleaned) -> None:
    verdict, required, not_required = wsoa_statement(c.text)
    if verdict == "conflict":
        letter.flag("The letter says both that a written statement of action is and is not required.")
    if verdict == "required":
        _set_outcome(letter, c, "wsoa_required", required)
    elif not_required:
        _set_outcome(letter, c, "no_wsoa", not_required)
    elif mention := MENTIONS_OUTCOME.search(c.text):
        letter.flag(
            "The letter mentions a written statement or significant weaknesses but its outcome sentence was not "
            f"recognised: {cm.quoted_sentence(c.text, mention.start())}"
        )
    elif letter.source_kind == "letter" and SIGNED.search(c.text):
        # A whole letter (to its sign-off) that never mentions a written statement of action: the letters of areas
        # without one say nothing about it.
        letter.outcome = "no_wsoa"
    else:
        # Absence is unknown, never a negative: the text stops (or is not the letter) before any such sentence.
        letter.flag(
            "Whether a written statement of action was required is not stated: the text ends before the letter's "
            "sign-off and says nothing about one.",
            confidence=0.7,
        )
    bodies = c.search_from(WSOA_BODIES, "responsible", back=700)
    if bodies and letter.outcome == "wsoa_required":
        letter.wsoa_bodies = cm.join_lines(bodies["bodies"])


def _set_outcome(letter: ParsedLetter, c: Cleaned, outcome: str, m: re.Match[str]) -> None:
    letter.outcome = outcome
    s, e = cm.sentence_around(c.text, m.start())
    letter.outcome_text = cm.join_lines(c.text[s:e])
    letter.outcome_span = c.span(s, e)


def read_weaknesses(letter: ParsedLetter, c: Cleaned) -> None:
    intro = c.search_from(WEAKNESS_INTRO, "following")
    if not intro:
        return
    end_m = cm.LIST_END.search(c.text, intro.end())
    end = end_m.start() if end_m else len(c.text)
    for item in _split_run_in_list(c, cm.list_items(c, intro.end(), end)):
        text = cm.item_text(c, item)
        if not text:
            continue
        letter.weaknesses.append(
            ParsedWeakness(number=len(letter.weaknesses) + 1, text=text, span=c.span(item.start, item.end))
        )
    merged = [w.number for w in letter.weaknesses if _RUN_TOGETHER.search(w.text)]
    if merged:
        letter.flag(
            f"Significant weakness(es) {merged} hold list markers inside the text: several items may have been run "
            "together by the conversion, so the number of weaknesses may be wrong."
        )
    if not end_m:
        letter.flag("The end of the list of significant weaknesses was not found; the last item may run on.")
    if len(letter.weaknesses) > 15:
        letter.flag(f"{len(letter.weaknesses)} significant weaknesses found: more than any letter is expected to list.")


def _split_run_in_list(c: Cleaned, items: list[cm.Item]) -> list[cm.Item]:
    """A list run into the sentence that introduces it (a flattened letter: "... the following areas of significant
    weakness: the inconsistent quality of plans; the long waiting times ...; the weak engagement ....") is one
    unmarked item on one line: its items are the semicolon-separated parts, the last ending at the sentence end."""
    if len(items) != 1 or items[0].marker:
        return items
    item = items[0]
    body = c.text[item.start : item.end]
    stop = re.search(r"\.(?=\s|$)", body)
    sentence = body[: stop.start()] if stop else body
    if "\n" in sentence.strip() or sentence.count(";") < 1:
        return items
    parts, at = [], item.start
    for piece in sentence.split(";"):
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            parts.append(cm.Item(at + lead, at + len(piece.rstrip()), ""))
        at += len(piece) + 1
    return parts


# List items joined into one line by a scrape or a conversion: "... following diagnosis of ASD - the fractured
# relationships ... at a strategic level - the incorrect placement ...".
_RUN_TOGETHER = re.compile(
    r"\s[" + re.escape("".join(ch for ch in cm.BULLET_CHARS if ch not in "-–—*")) + r"]\s"  # a bullet glyph inside
    r"|\s-\s+[a-z]"  # a spaced hyphen-minus before a lower-case word (the letters' own dashes are en dashes)
)


def read_people(letter: ParsedLetter, c: Cleaned) -> None:
    signed = c.search_from(SIGNED, "yours", back=0)
    start = signed.start() if signed else max(0, len(c.text) - 3000)
    lead, team, lead_span = cm.team_and_lead(c, start, len(c.text))
    signer, signer_span = cm.signatory(c, start, len(c.text))
    letter.inspection_team = team
    if lead and signer and _key(lead) != _key(signer):
        # The lead inspector signs 2016-framework letters; a team table garbled by conversion is the likelier error.
        letter.flag(f"The letter is signed by {signer} but the team lists {lead} as lead inspector.")
    letter.lead_inspector = signer or lead
    if not letter.lead_inspector:
        letter.flag("The lead inspector was not found.")


def read_findings(c: Cleaned) -> dict:
    """Main findings, and strengths / areas for development for each of the three sections."""
    findings: dict = {}
    end_m = FINDINGS_END.search(c.text)
    findings_end = end_m.start() if end_m else len(c.text)
    sections = [m for m in SECTION.finditer(c.text, 0, findings_end)]
    main = MAIN_FINDINGS.search(c.text, 0, findings_end)
    if main:
        main_end = sections[0].start() if sections else findings_end
        findings["main_findings"] = _items(c, main.end(), main_end)
    for i, m in enumerate(sections):
        key = next(v for k, v in SECTION_KEYS.items() if m["what"].lower().startswith(k))
        sec_end = sections[i + 1].start() if i + 1 < len(sections) else findings_end
        heading_end = c.text.find("\n", m.end())
        heading_end = sec_end if heading_end < 0 else heading_end
        strengths = STRENGTHS.search(c.text, heading_end, sec_end)
        development = DEVELOPMENT.search(c.text, heading_end, sec_end)
        entry: dict = {}
        if strengths and development and strengths.start() < development.start():
            entry["strengths"] = _items(c, strengths.end(), development.start())
            entry["areas_for_development"] = _items(c, development.end(), sec_end)
        elif development and not strengths:
            entry["areas_for_development"] = _items(c, development.end(), sec_end)
        else:
            # Headings lost in conversion: the items are kept but not sorted into strengths and development.
            entry["items"] = _items(c, strengths.end() if strengths else heading_end, sec_end)
        findings.setdefault(key, entry)
    return findings


def _items(c: Cleaned, start: int, end: int) -> list[dict]:
    out = []
    for item in cm.list_items(c, start, end):
        text = cm.item_text(c, item)
        if text:
            span = c.span(item.start, item.end)
            out.append({"text": text, "span": [span.start, span.end]})
    return out


def read_council_preface(letter: ParsedLetter, document_text: str, chunk_start: int) -> None:
    """A council report that embeds the letter says when it was published: take that date from the
    report's own text before the letter (never from another letter)."""
    if chunk_start == 0 or not letter.area_name:
        return
    floor = 0
    for rx in (TITLE_2016, TITLE_2023):
        for m in rx.finditer(document_text, 0, chunk_start):
            floor = max(floor, m.end())
    preface = cm.join_lines(cm.clean(document_text, floor, chunk_start).text)
    if floor or _key(letter.area_name) not in _key(preface):
        return
    m = PUBLISHED.search(preface)
    if not m:
        return
    published = cm.parse_date(m["date"])
    if published and letter.letter_date and published < letter.letter_date:
        letter.flag(f"The council report says the letter was published on {published}, before its date.")
        return
    rng = cm.find_date_range(preface)
    if rng and letter.start_date and (rng.start, rng.end) != (letter.start_date, letter.end_date):
        letter.flag("The council report around the letter gives other inspection dates than the letter itself.")
        return
    letter.published_date = published
