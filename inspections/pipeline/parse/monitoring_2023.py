"""2023-framework "Area SEND monitoring inspection of X Local Area Partnership" reports -> ParsedLetter.

A monitoring inspection follows a full inspection whose outcome was widespread and/or systemic failings. The
report restates each area for priority action from that inspection and judges the partnership's progress on it.
No real monitoring report is held (tests/fixtures/real_2023/README.md): the parser is written from the published
format and from public accounts of the first reports, so it is strict. A priority action whose verdict it cannot
read as yes or no is kept with sufficient_progress=None and the letter is flagged for review.

Shapes read:
- numbered blocks: "Area for priority action 1" / "Priority action 1:" (the action may follow on the same line),
  the action, any narrative, then the verdict;
- unnumbered blocks under "Areas for priority action" (or "Progress against/in addressing the areas …"): the action
  paragraph, then a verdict paragraph (optionally labelled "Progress" / "Progress:" / "Findings"); a block's verdict
  paragraph runs on until a line opens a new action ("The integrated care board should urgently …").

A verdict is a sentence about the partnership or the priority action holding one of two vocabularies:
progress ("has made sufficient progress" / "has not made enough progress" / "has made some progress") or effective
action ("has taken effective action" / "is not taking effective action"). Sentences about children's own progress
("children have made strong progress") are not verdicts. Graded wording ("some progress", "partially effective")
and conflicting verdicts in one block are kept as text and flagged, never rounded to yes or no.
"""

from __future__ import annotations

import re

from ..types import Classified, ParsedJudgement, ParsedLetter
from .common import Cleaned, normalise_ws
from .report_2023 import ACTOR_RE, CLEAR_ROOM, SENTENCE_END, _column_width, _dates, _headings, _team, _title
from .text_2023 import Line, clean_report, join_item_lines, lines_in, unwrapped

OUTCOME_HEAD = re.compile(
    r"^[ \t]*(?:(?:Monitoring\s+)?inspection\s+(?:outcome|findings|judgements?)|(?:Main|Summary\s+of(?:\s+the)?)\s+findings"
    r"|Overall\s+(?:findings|judgement|conclusion))[ \t]*$",
    re.I | re.M,
)
SECTION_HEAD = re.compile(
    r"^[ \t]*(?:Areas?\s+for\s+priority\s+action|(?:Progress|Findings)\s+(?:against|on|in\s+addressing|made\s+(?:against|on|in\s+addressing))"
    r"\s+(?:each\s+of\s+)?the\s+areas?\s+for\s+priority\s+action)[ \t]*:?[ \t]*$",
    re.I | re.M,
)
SECTION_END = re.compile(
    r"^[ \t]*(?:Areas?\s+for\s+improvement|Local\s+area\s+partnership\s+details|Information\s+about\s+this\s+(?:monitoring\s+)?inspection"
    r"|Inspection\s+team|Next\s+steps|What\s+happens\s+next)[ \t]*$",
    re.I | re.M,
)
NEXT_STEPS_HEAD = re.compile(r"^[ \t]*(?:Next\s+steps|What\s+happens\s+next)[ \t]*$", re.I | re.M)
# A numbered heading: alone on its line, or followed by punctuation and the action ("Priority action 1: Leaders …").
NUMBERED_HEAD = re.compile(
    r"^[ \t]*(?:Area\s+for\s+priority\s+action|Priority\s+action)\s+(?P<n>\d{1,2})(?:[ \t]*[:.–-][ \t]*|[ \t]*$)", re.I | re.M
)
# "Progress" / "Progress made" / "Findings" as a label: alone on its line, or "Progress: The partnership …".
PROGRESS_LABEL = re.compile(r"^[ \t]*(?:Progress(?:\s+made)?|Findings|Inspectors['’]?\s+findings)[ \t]*(?::[ \t]*|$)", re.I | re.M)
# The table's header row, its cells apart by blanks, a tab or a pipe ("| Responsible body | Area for priority action |").
HEADER_ROW = re.compile(
    r"^[ \t]*\|?[ \t]*(?:Responsible\s+bod(?:y|ies)(?:[ \t]*[|\t])?\s+)?Areas?\s+for\s+priority\s+action[ \t]*\|?[ \t]*$", re.I | re.M
)

# The judgement phrase. The progress vocabulary needs a perfect tense ("has made … progress"); the effective-action
# vocabulary takes "has taken / is taking / has been taking effective action" or "action … has been effective".
_NOT = r"(?P<neg>not\s+(?:yet\s+)?)?"
_PROGRESS = rf"\b(?:has|have)\s+{_NOT}(?:been\s+)?made\s+(?P<grade>(?:\w+\s+){{0,2}}?)progress\b"
_EFFECTIVE = (
    rf"\b(?:has|have|is|are)\s+{_NOT.replace('neg', 'neg2')}(?:been\s+)?tak(?:en|ing)\s+(?P<grade2>(?:\w+\s+){{0,2}}?)effective\s+action\b"
    rf"|\baction\s+(?:\w+\s+){{0,4}}?(?:has|have|is|are)\s+{_NOT.replace('neg', 'neg3')}(?:been\s+)?(?P<grade3>(?:\w+\s+)?)effective\b"
)
VERDICT_RE = re.compile(rf"{_PROGRESS}|{_EFFECTIVE}", re.I)
# Graded words that make a yes.
_POSITIVE_GRADES = {"sufficient", "enough", "good", "strong", "significant", "considerable", "substantial", "rapid", "clear", "effective"}
# Graded words that make a no, whatever the tense.
_NEGATIVE_GRADES = {"insufficient", "limited", "little", "no", "inadequate", "ineffective", "minimal"}
# A verdict is about the partnership or the action, not about children's own progress.
ABOUT_ACTION = re.compile(r"\bpriority\s+action|\bthis\s+area\b|\bpartnership\b|\blocal\s+area\b|\bleaders\b|\bthe\s+area\b", re.I)
CHILDREN_SUBJECT = re.compile(r"^\W*(?:\w+\s+){0,3}?(?:children|young\s+people|pupils|learners|families|parents)\b", re.I)
# The next inspection: "the next full area SEND inspection", "a full reinspection", "a further monitoring inspection".
NEXT_RE = re.compile(
    r"\b(?:next|further)\s+(?:full\s+|monitoring\s+)?(?:area\s+SEND\s+)?(?:re-?)?inspection\b|\bfull\s+re-?inspection\b", re.I
)
_ACTION_VERB = re.compile(r"\b(?:should|must|need\s+to|needs\s+to)\b", re.I)


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
    paragraphs = document_text.find("\f", chunk.span.start, chunk.span.end) == -1 and unwrapped(c)
    _outcome(c, letter)
    letter.judgements = _judgements(c, letter, paragraphs)
    letter.findings["verdicts"] = [verdict_wording(j) for j in letter.judgements]
    _next_steps(c, letter)
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


def _next_steps(c: Cleaned, letter: ParsedLetter) -> None:
    """When the next inspection is due: from the outcome block, else a 'Next steps' section, else anywhere outside
    the priority-action blocks."""
    places = [letter.outcome_text]
    nxt = NEXT_STEPS_HEAD.search(c.text)
    if nxt:
        stop = SECTION_END.search(c.text, nxt.end())
        stop_at = len(c.text) if stop is None else stop.start()
        places.append(normalise_ws(c.text[nxt.end() : stop_at]))
    places.append(normalise_ws(c.text))
    for text in places:
        m = NEXT_RE.search(text or "")
        if m:
            start = text.rfind(".", 0, m.start()) + 1
            stop = text.find(".", m.end())
            sentence = text[start : len(text) if stop == -1 else stop + 1].strip()[:255]
            letter.next_inspection_text = letter.next_steps = sentence
            return
    letter.flag("The monitoring report does not say when the next inspection is due.", 0.8)


def _judgements(c: Cleaned, letter: ParsedLetter, paragraphs: bool) -> list[ParsedJudgement]:
    section = SECTION_HEAD.search(c.text)
    if not section:
        letter.flag("No 'Areas for priority action' section: progress on each priority action is unknown.", 0.3)
        return []
    end_m = SECTION_END.search(c.text, section.end())
    start, end = section.end(), end_m.start() if end_m else len(c.text)
    numbered = [m for m in NUMBERED_HEAD.finditer(c.text, start, end)]
    if numbered:
        printed = [int(m["n"]) for m in numbered]
        if printed != list(range(1, len(printed) + 1)):
            letter.flag(f"The priority actions are numbered {printed}, not 1 to {len(printed)}.", 0.6)
        blocks = [(m.end(), numbered[k + 1].start() if k + 1 < len(numbered) else end, int(m["n"])) for k, m in enumerate(numbered)]
    else:
        blocks = _unnumbered_blocks(c, start, end)
    width = _column_width([ln for ln in lines_in(c, start, end)])
    judgements = [_judgement(c, letter, b_start, b_end, printed_n or number, width, paragraphs)
                  for number, (b_start, b_end, printed_n) in enumerate(blocks, start=1)]
    if not judgements:
        letter.flag("No priority action with a progress judgement was found.", 0.3)
    return judgements


# --- verdicts ---------------------------------------------------------------------------------------------


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence bounds in text[start:end]: a sentence ends at . ! or ? before a blank or the end."""
    out = []
    cursor = start
    for m in re.finditer(r"[.!?][’'”\")]*(?=\s|$)", text[start:end]):
        stop = start + m.end()
        out.append((cursor, stop))
        cursor = stop
    if text[cursor:end].strip():
        out.append((cursor, end))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in out if text[a:b].strip()]


def _verdicts(c: Cleaned, start: int, end: int) -> list[tuple[int, int, bool | None]]:
    """Verdict sentences in clean text[start:end]: (start, end, yes/no/None for graded wording)."""
    out = []
    for a, b in _sentences(c.text, start, end):
        sentence = c.text[a:b]
        # A "Progress:" label is not part of the sentence.
        label = PROGRESS_LABEL.match(sentence)
        if label and label.end() < len(sentence):
            a, sentence = a + label.end(), sentence[label.end() :]
        m = VERDICT_RE.search(sentence)
        if not m or not ABOUT_ACTION.search(sentence) or CHILDREN_SUBJECT.match(sentence):
            continue
        out.append((a, b, _polarity(sentence)))
    return out


def _polarity(sentence: str) -> bool | None:
    """Yes, no, or None (graded: 'some progress', 'partially effective'; or both a yes and a no)."""
    found = set()
    for m in VERDICT_RE.finditer(sentence):
        negated = bool(m["neg"] or m["neg2"] or m["neg3"])
        grade = normalise_ws((m["grade"] or m["grade2"] or m["grade3"] or "").lower())
        words = set(grade.split())
        if words & _NEGATIVE_GRADES:
            found.add(False)
        elif negated:
            # "has not made sufficient progress", "is not taking effective action"; "has not yet made … progress".
            found.add(False)
        elif m["grade"] is not None:
            found.add(True if words and words <= _POSITIVE_GRADES | {"very"} else None)
        else:
            # Effective action: "has taken effective action" is a yes; "some / partially effective" is graded.
            found.add(True if not words or words <= {"highly", "consistently", "fully"} else None)
    if re.search(r"\bineffective\b", sentence, re.I):
        found.add(False)
    if len(found) != 1:
        return None
    return found.pop()


# --- blocks -----------------------------------------------------------------------------------------------


def _opens_action(c: Cleaned, prev: Line | None, line: Line) -> bool:
    """A line that opens a new priority action: a new sentence naming who must act and what they should do."""
    if prev is not None and not SENTENCE_END.search(prev.text):
        return False
    if PROGRESS_LABEL.match(line.text) or not ACTOR_RE.match(line.text):
        return False
    first = re.split(r"(?<=[.!?])\s", c.text[line.start : line.start + 400], maxsplit=1)[0]
    return bool(_ACTION_VERB.search(first)) and not VERDICT_RE.search(first)


def _unnumbered_blocks(c: Cleaned, start: int, end: int) -> list[tuple[int, int, int]]:
    """Each block runs from its action to the end of its verdict paragraph: to the line before the next line that
    opens an action (after a verdict has been read), or the section's end."""
    header = HEADER_ROW.search(c.text, start, end)
    if header and not c.text[start : header.start()].strip():
        start = header.end()
    lines = lines_in(c, start, end)
    verdict_ends = [b for _, b, _ in _verdicts(c, start, end)]
    blocks = []
    block_start = lines[0].start if lines else start
    seen_verdict = False
    vi = 0
    for k, line in enumerate(lines):
        while vi < len(verdict_ends) and verdict_ends[vi] <= line.start:
            vi += 1
            seen_verdict = True
        if k and seen_verdict and _opens_action(c, lines[k - 1], line):
            blocks.append((block_start, lines[k - 1].end, 0))
            block_start, seen_verdict = line.start, False
    if lines and (seen_verdict or vi < len(verdict_ends) or not blocks):
        blocks.append((block_start, lines[-1].end, 0))
    elif lines and blocks:
        # Trailing text with no verdict after the last verdict block: part of that block's verdict paragraph.
        blocks[-1] = (blocks[-1][0], lines[-1].end, 0)
    return blocks


def _action_lines(c: Cleaned, lines: list[Line], stop: int, width: int, paragraphs: bool) -> list[Line]:
    """The action: the block's first paragraph, ending before `stop` (a 'Progress' label or the verdict)."""
    lines = [ln for ln in lines if ln.start < stop]
    lines = [ln for ln in lines if not HEADER_ROW.fullmatch(ln.text) and not re.match(r"Responsible\s+bod(?:y|ies)\s*:", ln.text, re.I)]
    if lines and lines[-1].end > stop:
        last = lines[-1]
        lines[-1] = Line(last.start, stop, c.text[last.start : stop].rstrip(), last.indent)
    out: list[Line] = []
    for k, line in enumerate(lines):
        if k and line.text:
            prev = out[-1]
            room = CLEAR_ROOM if paragraphs else width - len(prev.text) - 1 - len(line.text.split()[0])
            if SENTENCE_END.search(prev.text) and room >= CLEAR_ROOM and not re.match(r"(?:They|This|These|It)\b", line.text):
                break  # a paragraph break: narrative about the action follows
        if line.text.strip():
            out.append(line)
    return out


def _judgement(c: Cleaned, letter: ParsedLetter, start: int, end: int, number: int, width: int, paragraphs: bool) -> ParsedJudgement:
    block = c.text[start:end]
    verdicts = _verdicts(c, start, end)
    label = PROGRESS_LABEL.search(block)
    lines = lines_in(c, start, end)
    if label:
        stop = start + label.start()
    elif verdicts:
        stop = verdicts[0][0]
    else:
        stop = end
    action = _action_lines(c, lines, stop, width, paragraphs)
    before = [ln for ln in lines if ln.end <= stop]
    opening = [k for k in range(len(before)) if _opens_action(c, before[k - 1] if k else None, before[k])]
    if len(opening) > 1 and any(ln.start > action[-1].end for ln in before if action):
        # Two paragraphs that each name who must act before one verdict: a list of actions then a list of verdicts,
        # or an action printed over two paragraphs. Which verdict belongs to which action is not certain.
        letter.flag(f"Priority action {number}: more than one action-like paragraph precedes its verdict.", 0.5)
    text = join_item_lines(action)
    progress: bool | None
    verdict_text = ""
    span = None
    if not verdicts:
        progress = None
        letter.flag(f"Priority action {number}: the progress judgement could not be read (no verdict sentence).", 0.4)
    else:
        polarities = {p for _, _, p in verdicts}
        # The last verdict of the block is its conclusion; an earlier one that disagrees makes the block doubtful.
        a, b, progress = verdicts[-1]
        verdict_text = normalise_ws(c.text[a:b])
        span = c.span(a, b)
        if progress is None:
            letter.flag(
                f"Priority action {number}: the progress judgement could not be read as sufficient or insufficient: {verdict_text[:120]!r}.",
                0.4,
            )
        elif len(polarities) > 1:
            progress = None
            letter.flag(f"Priority action {number}: its verdict sentences disagree, so the progress judgement could not be read.", 0.4)
    if not text:
        letter.flag(f"Priority action {number}: its wording was not found.", 0.5)
    weakness_span = c.span(action[0].start, action[-1].end) if action else None
    return ParsedJudgement(
        weakness_text=text,
        sufficient_progress=progress,
        span=span or weakness_span or c.span(start, end),
        number=number,
        weakness_span=weakness_span,
        verdict_text=verdict_text,
    )


def verdict_wording(j: ParsedJudgement) -> dict[str, object]:
    """The verdict in the report's own words, for pages to show beside the yes/no: the phrase ("has taken effective
    action", "has not made sufficient progress"), its vocabulary (effective_action | progress), and the wording the
    2023 framework uses for it ("effective action" / "not effective action"), or "" when no verdict was read."""
    m = VERDICT_RE.search(j.verdict_text or "")
    phrase = normalise_ws(m.group(0)) if m else ""
    vocabulary = "" if not m else ("effective_action" if "effective" in phrase.lower() else "progress")
    label = ""
    if vocabulary == "effective_action" and j.sufficient_progress is not None:
        label = "effective action" if j.sufficient_progress else "not effective action"
    elif vocabulary == "progress" and j.sufficient_progress is not None:
        label = "sufficient progress" if j.sufficient_progress else "not sufficient progress"
    return {"number": j.number, "phrase": phrase, "vocabulary": vocabulary, "label": label}


def _overall(letter: ParsedLetter) -> None:
    verdicts = [j.sufficient_progress for j in letter.judgements]
    if not verdicts or None in verdicts:
        if verdicts:
            letter.flag("The overall progress could not be read: a priority action's verdict is unknown.", 0.5)
        return
    if all(verdicts):
        letter.overall = "sufficient_all"
    elif not any(verdicts):
        letter.overall = "sufficient_none"
    else:
        letter.overall = "sufficient_some"
    letter.overall_text = letter.outcome_text
