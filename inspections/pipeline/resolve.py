"""Stage 6: the area name as printed -> one LocalArea's GSS code (via areas.resolver).

A plain function over a register object, so it runs without a database in tests (any object with
`resolve(name, on=date)` returning a Resolution-like value will do). The register decides; this stage never
guesses: a name that is unknown, or that fits more than one area, leaves the letter unresolved with the
register's reason, and the writer stores it for review without facts. The register refuses an authority that did
not exist on the letter's date; a match it makes without a date to check comes with a warning, kept as a review
reason. A letter dated outside its framework's years is flagged here too (one place for date sanity).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from .types import ParsedLetter, ResolvedLetter, Span


class Resolution(Protocol):
    gss_code: str | None
    candidates: list
    reason: str
    score: float | None

    @property
    def ok(self) -> bool: ...


class Register(Protocol):
    def resolve(self, name: str, *, on: date | None = None) -> Resolution: ...


def letter_date(letter: ParsedLetter) -> date | None:
    """The date the letter speaks for: a former authority's letter belongs to the area in force then."""
    stated = letter.start_date or letter.letter_date or letter.published_date or letter.initial_start_date
    if stated is None and letter.findings.get("month_stated"):
        # A text about the inspection may give only its month ("the SEND inspection in March 2022"): its first day.
        year, month = letter.findings["month_stated"].split("-")
        return date(int(year), int(month), 1)
    return stated


# The years each framework's inspections took place (first and last possible date of a visit). The 2016 framework's
# inspections began in May 2016 and its last revisits were made in the winter of 2022-23; the 2023 framework began in
# January 2023. A date outside these is a misread date or a misread framework: a review reason, never silently kept.
FRAMEWORK_YEARS: dict[str, tuple[date, date | None]] = {
    "2016": (date(2016, 5, 1), date(2023, 3, 31)),
    "2016 initial_inspection": (date(2016, 5, 1), date(2022, 12, 31)),  # the 2023 framework's inspections replaced them
    "2023": (date(2023, 1, 1), None),
}


def resolve_letters(letters: list[ParsedLetter], register: Register) -> list[ResolvedLetter]:
    return [resolve_letter(letter, register) for letter in letters]


def resolve_letter(letter: ParsedLetter, register: Register) -> ResolvedLetter:
    check_framework_years(letter)
    name = (letter.area_name or "").strip()
    if not name:
        return ResolvedLetter(letter=letter, area_reason="The letter names no local area that could be read.")
    if letter.findings.get("area_names"):
        return _resolve_named_in_text(letter, register)
    result = register.resolve(name, on=letter_date(letter))
    warning = getattr(result, "warning", "")
    if warning:
        letter.flag(warning)
    if result.ok and result.gss_code:
        return ResolvedLetter(letter=letter, gss_code=result.gss_code, area_score=result.score)
    reason = result.reason or "not found in the area register"
    return ResolvedLetter(
        letter=letter, area_reason=f"Area “{name}” could not be matched to one local area: {reason}", area_score=result.score
    )


def check_framework_years(letter: ParsedLetter) -> None:
    """Flag a letter whose inspection dates fall outside its framework's years (FRAMEWORK_YEARS): e.g. a text
    dated 2023 read as a 2016-framework inspection, or a date misread by a year."""
    first, last = FRAMEWORK_YEARS.get(f"{letter.framework} {letter.kind}") or FRAMEWORK_YEARS.get(letter.framework, (None, None))
    for when in (letter.start_date, letter.end_date):
        if when is None or first is None:
            continue
        if any(when.isoformat() in reason and "framework" in reason for reason in letter.review_reasons):
            return  # the parser has said so already
        if when < first or (last is not None and when > last):
            span = f"{first.isoformat()} to {last.isoformat() if last else 'now'}"
            letter.flag(
                f"The inspection date {when.isoformat()} is outside the years of the {letter.framework} framework "
                f"({span}): the date or the framework is wrong."
            )
            return


def _resolve_named_in_text(letter: ParsedLetter, register: Register) -> ResolvedLetter:
    """A text about an inspection names its area in running text, often more than once and among other capitalised
    phrases (findings["area_names"], in text order). Each is put to the register: those that resolve must all be the
    same area; two different areas, or none, leave the letter unresolved with the reason."""
    on = letter_date(letter)
    hits: dict[str, tuple[dict, Resolution]] = {}
    refused: list[str] = []
    resolved_names: set[str] = set()
    for named in letter.findings["area_names"]:
        if named.get("cut_from") in resolved_names:
            continue  # "Bournemouth" cut from "Bournemouth, Christchurch and Poole", which is the area
        result = register.resolve(named["name"], on=on)
        if result.ok:
            resolved_names.add(named["name"])
        if result.ok and result.gss_code:
            hits.setdefault(result.gss_code, (named, result))
        elif result.candidates:
            refused.append(f"“{named['name']}”: {result.reason}")
    if len(hits) > 1:
        names = "; ".join(f"“{named['name']}” ({gss})" for gss, (named, _) in hits.items())
        return ResolvedLetter(letter=letter, area_reason=f"The text names more than one local area: {names}.")
    if not hits:
        reason = "; ".join(refused) if refused else f"none of {', '.join(repr(n['name']) for n in letter.findings['area_names'][:5])} is a local area in the register"
        return ResolvedLetter(letter=letter, area_reason=f"The area could not be matched to one local area: {reason}")
    gss_code, (named, result) = next(iter(hits.items()))
    if refused:
        # Another name in the text fits only an authority that did not exist then (or several): a person decides.
        letter.flag(f"The text also names {'; '.join(refused)}.")
    letter.area_name = named["name"]
    letter.area_span = Span(*named["span"])
    if getattr(result, "warning", ""):
        letter.flag(result.warning)
    return ResolvedLetter(letter=letter, gss_code=gss_code, area_score=result.score)
