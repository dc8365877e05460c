"""2023-framework "Area SEND monitoring inspection of X Local Area Partnership" reports -> ParsedLetter.

A monitoring inspection follows a full inspection whose outcome was widespread and/or systemic failings. The
report restates each area for priority action from that inspection and says whether the partnership has made
sufficient progress on it. Written from the published format (no sample in the shared corpus yet), so the parser
is strict: a priority action whose progress sentence it cannot read is kept with sufficient_progress=None and the
letter is flagged for review.

Shapes read:
- numbered blocks: "Area for priority action 1" (or "Priority action 1") heading, the action, then its progress;
- unnumbered blocks under "Areas for priority action": the action paragraph(s), then a paragraph (optionally
  headed "Progress") whose sentence says "… has made sufficient progress / has not made sufficient progress …".
"""

from __future__ import annotations

import re

from ..types import Classified, ParsedJudgement, ParsedLetter
from .common import Cleaned, normalise_ws
from .report_2023 import _dates, _headings, _section, _team, _title
from .text_2023 import clean_report, join_item_lines, lines_in

OUTCOME_HEAD = re.compile(r"^[ \t]*(?:Monitoring\s+)?inspection\s+(?:outcome|findings)[ \t]*$", re.I | re.M)
SECTION_HEAD = re.compile(
    r"^[ \t]*(?:Areas?\s+for\s+priority\s+action|Progress\s+(?:against|on|in\s+addressing)\s+the\s+areas?\s+for\s+priority\s+action)[ \t]*$",
    re.I | re.M,
)
SECTION_END = re.compile(
    r"^[ \t]*(?:Areas?\s+for\s+improvement|Local\s+area\s+partnership\s+details|Information\s+about\s+this\s+inspection|Inspection\s+team)[ \t]*$",
    re.I | re.M,
)
NUMBERED_HEAD = re.compile(r"^[ \t]*(?:Area\s+for\s+priority\s+action|Priority\s+action)\s+(?P<n>\d{1,2})\b[ \t:.–-]*", re.I | re.M)
PROGRESS_LABEL = re.compile(r"^[ \t]*Progress(?:\s+made)?[ \t]*:?[ \t]*$", re.I | re.M)
NOT_SUFFICIENT = re.compile(
    r"\b(?:has|have)\s+not\s+(?:yet\s+)?made\s+(?:sufficient|enough|adequate)\s+progress|\binsufficient\s+progress\b"
    r"|\b(?:has|have)\s+made\s+(?:limited|little|no|inadequate)\s+progress",
    re.I,
)
SUFFICIENT = re.compile(r"\b(?:has|have)\s+made\s+(?:sufficient|enough|good|strong|significant)\s+progress", re.I)
HEADER_ROW = re.compile(r"^[ \t]*(?:Responsible\s+bod(?:y|ies)\s+)?Areas?\s+for\s+priority\s+action[ \t]*$", re.I | re.M)


def parse_monitoring(item: Classified, document_text: str) -> ParsedLetter:
    chunk = item.chunk
    letter = ParsedLetter(kind="monitoring_inspection", framework="2023", source_kind=item.source_kind, span=chunk.span)
    c = clean_report(document_text, chunk.span.start, chunk.span.end)
    heads = _headings(c)
    _title(c, letter)
    _dates(c, letter, heads)
    # The inspection followed up is the "previous inspection" of the report.
    letter.initial_start_date, letter.initial_end_date = letter.previous_start_date, letter.previous_end_date
    letter.initial_period_text = letter.findings.get("previous_inspection_text", "")
    if letter.previous_start_date is None:
        letter.flag("The monitoring report does not date the inspection it follows up.", 0.5)
    _outcome(c, letter)
    letter.judgements = _judgements(c, letter)
    _overall(letter)
    _team(c, letter, heads)
    return letter


def _outcome(c: Cleaned, letter: ParsedLetter) -> None:
    m = OUTCOME_HEAD.search(c.text)
    if not m:
        return
    end = len(c.text)
    for rx in (SECTION_HEAD, SECTION_END, re.compile(r"^[ \t]*Information\s+about\s+the\s+local\s+area\s+partnership[ \t]*$", re.I | re.M)):
        n = rx.search(c.text, m.end())
        if n:
            end = min(end, n.start())
    letter.outcome_text = normalise_ws(c.text[m.end() : end])
    letter.outcome_span = c.span(m.end(), end)
    nxt = re.search(r"[^.]*\b(?:next\s+full|full\s+re-?inspection)[^.]*\.", letter.outcome_text, re.I)
    if nxt:
        letter.next_inspection_text = nxt.group(0).strip()[:255]


def _judgements(c: Cleaned, letter: ParsedLetter) -> list[ParsedJudgement]:
    section = SECTION_HEAD.search(c.text)
    if not section:
        letter.flag("No 'Areas for priority action' section: progress on each priority action is unknown.", 0.3)
        return []
    end_m = SECTION_END.search(c.text, section.end())
    start, end = section.end(), end_m.start() if end_m else len(c.text)
    numbered = list(NUMBERED_HEAD.finditer(c.text, start, end))
    if numbered:
        blocks = [(m.end(), numbered[k + 1].start() if k + 1 < len(numbered) else end, int(m["n"])) for k, m in enumerate(numbered)]
    else:
        blocks = _unnumbered_blocks(c, start, end)
    judgements = []
    for number, (b_start, b_end, printed_n) in enumerate(blocks, start=1):
        judgements.append(_judgement(c, letter, b_start, b_end, printed_n or number))
    if not judgements:
        letter.flag("No priority action with a progress judgement was found.", 0.3)
    return judgements


def _unnumbered_blocks(c: Cleaned, start: int, end: int) -> list[tuple[int, int, int]]:
    """Each block ends after the paragraph holding a progress sentence."""
    text = c.text
    blocks = []
    cursor = start
    header = HEADER_ROW.search(text, cursor, end)
    if header and not text[cursor : header.start()].strip():
        cursor = header.end()
    for m in re.finditer(r"[^.\n]*(?:\n[^.\n]*)*?\bmade\s+\w+\s+progress\b[^.]*\.", text[cursor:end], re.I):
        stop = cursor + m.end()
        # The block runs to the end of the progress paragraph's line.
        line_end = text.find("\n", stop)
        stop = end if line_end == -1 or line_end > end else line_end
        if stop <= cursor:
            continue
        blocks.append((cursor, stop, 0))
        cursor = stop
    return blocks


def _judgement(c: Cleaned, letter: ParsedLetter, start: int, end: int, number: int) -> ParsedJudgement:
    block = c.text[start:end]
    label = PROGRESS_LABEL.search(block)
    verdict = NOT_SUFFICIENT.search(block) or SUFFICIENT.search(block)
    # The action is what comes before the "Progress" label, else before the paragraph holding the verdict.
    if label:
        action_end = start + label.start()
    elif verdict:
        para = max(block.rfind("\n", 0, verdict.start()), 0)
        sentence_start = max(block.rfind(". ", 0, verdict.start()), block.rfind("\n", 0, verdict.start()))
        action_end = start + (para if para > 0 else max(sentence_start, 0))
    else:
        action_end = end
    lines = [ln for ln in lines_in(c, start, action_end) if not HEADER_ROW.fullmatch(ln.text)]
    lines = [ln for ln in lines if not re.match(r"Responsible\s+bod(?:y|ies)\s*:", ln.text, re.I)]
    text = join_item_lines(lines)
    if NOT_SUFFICIENT.search(block):
        progress: bool | None = False
    elif SUFFICIENT.search(block):
        progress = True
    else:
        progress = None
        letter.flag(f"Priority action {number}: the progress judgement could not be read.", 0.4)
    if not text:
        letter.flag(f"Priority action {number}: its wording was not found.", 0.5)
    span = c.span(lines[0].start, lines[-1].end) if lines else c.span(start, end)
    return ParsedJudgement(weakness_text=text, sufficient_progress=progress, span=span, number=number)


def _overall(letter: ParsedLetter) -> None:
    verdicts = [j.sufficient_progress for j in letter.judgements]
    if not verdicts or None in verdicts:
        return
    if all(verdicts):
        letter.overall = "sufficient_all"
    elif not any(verdicts):
        letter.overall = "sufficient_none"
    else:
        letter.overall = "sufficient_some"
    letter.overall_text = letter.outcome_text
