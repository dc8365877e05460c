"""2016-framework revisit letter ("Joint local area SEND revisit in X") -> ParsedLetter.

Each weakness found at the initial inspection is restated after "At the initial inspection, inspectors
found the following:" and judged by "The area has (not) made sufficient progress in addressing this area of
significant weakness". When the initial letter is missing, the writer creates the weaknesses from these.
"""

from __future__ import annotations

import re

from ..patterns import TITLE_2016
from ..types import Classified, ParsedJudgement, ParsedLetter
from . import common as cm
from .common import Cleaned, LineRx
from .initial_2016 import WSOA_BODIES, read_area, read_dates, read_letter_date, read_people

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_NUM = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

# "At the initial inspection, inspectors found the following:" (2019-2022 templates); also "At the time of the
# initial inspection, it was found that", "The initial inspection found that:".
FOUND = re.compile(
    r"(?:At\s+the\s+(?:time\s+of\s+the\s+)?initial\s+inspection,?\s+(?:inspectors|it\s+was)\s+found|The\s+initial\s+inspection\s+found)"
    r"\s*(?:the\s+following\s*:?|that\s*:?|:)",
    re.I,
)
VERDICT = re.compile(
    r"The\s+(?:local\s+)?area\s+has\s+(?:(?P<not>not\s+)?made\s+(?:sufficient|enough)|made\s+(?P<insufficient>in)sufficient)\s+progress\s+in\s+(?:addressing|improving|tackling)\s+"
    r"this\s+(?:area\s+of\s+)?(?:significant\s+)?weakness(?:es)?\.?",
    re.I,
)
OVERALL = re.compile(
    r"The\s+(?:local\s+)?area\s+has\s+(?:(?P<not>not\s+)?made\s+(?:sufficient|enough)|made\s+(?P<insufficient>in)sufficient)\s+progress\s+in\s+(?:(?:addressing|improving|tackling)\s+)?"
    rf"(?P<what>(?:(?:all|each|any)(?:\s+{_NUM})?|{_NUM}\s+(?:out\s+)?of|the|its)(?:\s+(?:of\s+)?(?:the\s+|its\s+)?(?:{_NUM}\s+)?)?)"
    r"(?:(?:areas?\s+of\s+)?significant\s+weakness(?:es)?|areas?\s+of\s+(?:significant\s+)?weakness(?:es)?)",
    re.I,
)
PUBLISHED = re.compile(
    r"(?:inspection\s+)?(?:report\s+)?(?:letter|report)\s+(?:was\s+)?published\s+on\s+(?P<date>" + cm.DATE + ")", re.I
)
FIT_FOR_PURPOSE = re.compile(
    r"(?:declared|deemed|judged|found)\s+(?:to\s+be\s+)?fit\s+for\s+purpose\s+on\s+(?:the\s+)?(?P<date>" + cm.DATE + ")", re.I
)
INITIAL_PERIOD = re.compile(
    r"initial\s+(?:(?:local\s+)?area\s+SEND\s+|joint\s+)?inspection\s+(?:in|of|during)\s+(?P<period>"
    + cm.MONTH
    + r"(?:\s+\d{4})?(?:\s*(?:and|to|-|–)\s*"
    + cm.MONTH
    + r")?\s+\d{4})",
    re.I,
)
INITIAL_INSPECTION = re.compile(r"initial\s+(?:(?:local\s+)?area\s+SEND\s+|joint\s+)?inspection", re.I)
NEXT_STEPS = re.compile(r"DfE|Department\s+for\s+Education|NHS\s+England|next\s+steps|monitoring\s+visits|support\s+and\s+challenge", re.I)
SIGN_OFF = LineRx(r"[ \t]*Yours\s+(?:sincerely|faithfully)", re.I)


def parse_revisit(item: Classified, document_text: str) -> ParsedLetter:
    chunk = item.chunk
    c = cm.clean(document_text, chunk.span.start, chunk.span.end)
    letter = ParsedLetter(kind=item.kind, framework=item.framework, source_kind=item.source_kind, span=chunk.span)
    title = TITLE_2016.search(c.text)
    read_area(letter, c, title)
    read_dates(letter, c, title.end() if title else 0)
    read_letter_date(letter, c, title)
    read_initial_facts(letter, c)
    read_judgements(letter, c)
    read_overall(letter, c)
    read_next_steps(letter, c)
    read_people(letter, c)
    return letter


def read_initial_facts(letter: ParsedLetter, c: Cleaned) -> None:
    published = c.search_from(PUBLISHED, "published")
    if published:
        letter.initial_letter_published = cm.parse_date(published["date"])
    issued = c.has("issued") and re.search(r"written\s+statement\s+of\s+action\s+(?:was\s+)?issued\s+on\s+(?P<date>" + cm.DATE + ")", c.text, re.I)
    if issued:
        letter.findings["wsoa_issued_on"] = cm.parse_date(issued["date"]).isoformat()
    fit = c.search_from(FIT_FOR_PURPOSE, "purpose")
    if fit:
        letter.wsoa_fit_for_purpose = cm.parse_date(fit["date"])
    period = INITIAL_PERIOD.search(c.text) if c.has("initial") else None
    if period:
        letter.initial_period_text = cm.join_lines(period["period"])
    # "the initial inspection, which took place between 4 and 8 December 2017": a full range, when printed.
    for m in c.finditer_near(INITIAL_INSPECTION, "initial", back=0, ahead=120):
        s, e = cm.sentence_around(c.text, m.start())
        rng = cm.find_date_range(c.text, s, e)
        if rng and (rng.start, rng.end) != (letter.start_date, letter.end_date):
            letter.initial_start_date, letter.initial_end_date = rng.start, rng.end
            # The initial inspection's record cites the sentence that dates it, not the revisit's heading.
            span = c.span(s, e)
            letter.findings["initial_dates_span"] = [span.start, span.end]
            break
    bodies = c.search_from(WSOA_BODIES, "responsible", back=700)
    if bodies:
        letter.wsoa_bodies = cm.join_lines(bodies["bodies"])
        # The WSOA's own sentence ("HMCI determined that a written statement of action was required ..."): the
        # fact's provenance, never the revisit's dates.
        s, e = cm.sentence_around(c.text, bodies.start())
        letter.initial_outcome = "wsoa_required"
        letter.initial_outcome_span = c.span(s, e)


def read_judgements(letter: ParsedLetter, c: Cleaned) -> None:
    sign_off = SIGN_OFF.search(c.text)
    limit = sign_off.start() if sign_off else len(c.text)
    founds = list(c.finditer_near(FOUND, "found", 0, limit, back=200, ahead=100))
    verdicts = list(c.finditer_near(VERDICT, "progress", 0, limit, back=200, ahead=300))
    if not founds:
        for n, v in enumerate(verdicts, start=1):
            letter.judgements.append(_judgement(c, v, "", None, n))
        if verdicts:
            letter.flag("Revisit judgements were found but the weaknesses they judge were not restated in a recognised way.")
        return
    for n, found in enumerate(founds, start=1):
        block_end = founds[n].start() if n < len(founds) else limit
        w_start, w_end = _restated_weakness(c, found.end(), block_end)
        weakness_text = cm.join_lines(c.text[w_start:w_end])
        in_block = [v for v in verdicts if found.end() <= v.start() < block_end]
        if not in_block:
            letter.flag(f"No judgement was found for weakness {n} of the revisit letter.")
            letter.judgements.append(_judgement(c, None, weakness_text, (w_start, w_end), n))
            continue
        if len({bool(v["not"] or v["insufficient"]) for v in in_block}) > 1:
            letter.flag(f"Weakness {n} of the revisit letter has conflicting judgements.")
        letter.judgements.append(_judgement(c, in_block[-1], weakness_text, (w_start, w_end), n))
        if len(weakness_text) > 700:
            letter.flag(f"The restated weakness {n} is unusually long; its end may not have been found.")


def _judgement(c: Cleaned, verdict, weakness_text: str, w_bounds, number: int) -> ParsedJudgement:
    if verdict is not None:
        span = c.span(verdict.start(), verdict.end())
        sufficient = not (verdict["not"] or verdict["insufficient"])
        verdict_text = cm.join_lines(verdict.group(0))
    else:
        span, sufficient, verdict_text = (c.span(*w_bounds) if w_bounds else cm.Span(0, 0)), None, ""
    return ParsedJudgement(
        weakness_text=weakness_text,
        sufficient_progress=sufficient,
        span=span,
        number=number,
        weakness_span=c.span(*w_bounds) if w_bounds else None,
        verdict_text=verdict_text,
    )


def _restated_weakness(c: Cleaned, start: int, end: int) -> tuple[int, int]:
    """The weakness restated after 'inspectors found the following:' is one paragraph: up to the first
    sentence end followed by a blank line (PDF text) or, when the text has no blank lines, by a line end."""
    text = c.text
    while start < end and text[start] in " \t\n":
        start += 1
    marker = cm.ITEM_MARKER.match(text, start)
    if marker and marker.end() < end and not text[marker.end()].isspace():
        start = marker.end()
    m = re.compile(r"[.!?]['’\"]?[ \t]*\n[ \t]*\n").search(text, start, end)
    if m is None:
        m = re.compile(r"[.!?]['’\"]?[ \t]*(?:\n|$)").search(text, start, end)
    stop = m.start() + 1 if m else end
    if m and text[m.start() + 1 : m.start() + 2] in "'’\"":
        stop += 1
    return start, stop


# "to determine whether the local area has made sufficient progress ..." states the revisit's purpose, not its result.
_PURPOSE = re.compile(r"\b(?:whether|if|decide|determine|assess|identify|see|judge)\b[^.]{0,40}$", re.I)


def _overall_statement(c: Cleaned) -> re.Match[str] | None:
    """The first overall-result sentence that states a result (not the revisit's purpose)."""
    for m in c.finditer_near(OVERALL, "progress", back=200, ahead=300):
        if not _PURPOSE.search(c.text[max(0, m.start() - 60) : m.start()]):
            return m
    return None


def read_overall(letter: ParsedLetter, c: Cleaned) -> None:
    m = _overall_statement(c)
    judged = [j.sufficient_progress for j in letter.judgements]
    counted = (sum(1 for j in judged if j), len(judged)) if judged and None not in judged else None
    stated: tuple[int | None, int | None] | None = None
    if m:
        s, e = cm.sentence_around(c.text, m.start())
        letter.overall_text = cm.join_lines(c.text[s:e])
        what = m["what"].lower().split()
        nums = [_num(w) for w in what if _num(w) is not None]
        if m["not"] or m["insufficient"]:
            stated = (0, nums[-1] if nums else None) if ("any" in what or "the" in what[:1] or "its" in what[:1]) else None
        elif "all" in what or "each" in what or what[:1] in (["the"], ["its"]):
            total = nums[-1] if nums else (counted[1] if counted else None)
            stated = (total, total)
            if total is None:
                # "sufficient progress in addressing all of the significant weaknesses": every one, however many.
                letter.overall = "sufficient_all"
                letter.flag("The revisit's overall result was found but no judgement of an individual weakness.")
                return
        elif "of" in what and len(nums) >= 1:
            stated = (nums[0], nums[1] if len(nums) > 1 else None)
    if stated is None and counted is None:
        letter.flag("The revisit's overall result was not found.")
        return
    if stated is not None and not judged:
        letter.flag("The revisit's overall result was found but no judgement of an individual weakness.")
    if stated is None:
        letter.flag("The overall result sentence was not recognised; it is taken from the individual judgements.")
        sufficient, total = counted
    else:
        sufficient, total = stated
        if total is None and counted:
            total = counted[1]
        if sufficient is None and total is not None and counted:
            sufficient = counted[0]
        if counted and (sufficient, total) != counted:
            letter.flag(
                f"The letter states sufficient progress in {sufficient} of {total} weaknesses but {counted[0]} of "
                f"{counted[1]} individual judgements were found to say so."
            )
    if total == 0 or sufficient is None or total is None:
        letter.flag("The revisit's overall result could not be counted.")
        return
    letter.overall = "sufficient_all" if sufficient == total else "sufficient_none" if sufficient == 0 else "sufficient_some"


def _num(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def read_next_steps(letter: ParsedLetter, c: Cleaned) -> None:
    sign_off = SIGN_OFF.search(c.text)
    limit = sign_off.start() if sign_off else len(c.text)
    last_verdict = max((j.span.end for j in letter.judgements if j.verdict_text), default=None)
    start = 0
    if last_verdict is not None:
        # judgement spans are document offsets; find the clean index just after the last verdict
        start = c.pos.index_at_or_after(last_verdict)
    else:
        overall = _overall_statement(c)
        start = overall.end() if overall else 0
    m = NEXT_STEPS.search(c.text, start, limit)
    if not m:
        return
    s, e = cm.sentence_around(c.text, m.start())
    s = max(s, start)
    sentence = cm.join_lines(c.text[s:e])
    clause = re.sub(r"^As\s+[^,]{5,200},\s*", "", sentence)
    clause = re.sub(r"^the\s+", "", clause).rstrip(" .")
    letter.next_steps = clause
