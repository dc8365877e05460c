"""Stage 6: the area name as printed -> one LocalArea's GSS code (via areas.resolver).

A plain function over a register object, so it runs without a database in tests (any object with
`resolve(name, on=date)` returning a Resolution-like value will do). The register decides; this stage never
guesses: a name that is unknown, or that fits more than one area, leaves the letter unresolved with the
register's reason, and the writer stores it for review without facts.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from .types import ParsedLetter, ResolvedLetter


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
    return letter.start_date or letter.letter_date or letter.published_date or letter.initial_start_date


def resolve_letters(letters: list[ParsedLetter], register: Register) -> list[ResolvedLetter]:
    return [resolve_letter(letter, register) for letter in letters]


def resolve_letter(letter: ParsedLetter, register: Register) -> ResolvedLetter:
    name = (letter.area_name or "").strip()
    if not name:
        return ResolvedLetter(letter=letter, area_reason="The letter names no local area that could be read.")
    result = register.resolve(name, on=letter_date(letter))
    if result.ok and result.gss_code:
        return ResolvedLetter(letter=letter, gss_code=result.gss_code, area_score=result.score)
    reason = result.reason or "not found in the area register"
    return ResolvedLetter(
        letter=letter, area_reason=f"Area “{name}” could not be matched to one local area: {reason}", area_score=result.score
    )
