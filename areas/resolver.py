"""The area name as printed in a letter -> one local area's GSS code, or a readable reason why not.

Django-free: `AreaRegister(records)` works on plain records (the unit tests build them from the register
CSV); `AreaRegister.from_db()` reads LocalArea rows and caches the register per process.

Order of attempts, each stopping at the first decisive answer:
1. the name as spelt, with its council-kind words (case, '&', punctuation aside), is the name or an alternative
   name of exactly one area: "Dorset County Council" is the old county, though "Dorset" alone is not;
2. the normalised name (council-kind words such as "Borough", "City of", "Local Area Partnership" stripped)
   equals that of one or more areas; if several share it (the old Dorset county and Dorset Council, North Yorkshire before and after
   2023), the date given (`on`, the letter or inspection date) picks the one in force;
3. otherwise a fuzzy match (rapidfuzz), accepted only above a high score and with a single clear winner.
Anything else is "no match" or "several", never a guess: a wrong area is worse than a review flag.
With a date, only an authority in force on that date can match: a name that fits only an authority abolished
before (or created after) the date is "none in force", with the dates and successors in the reason.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

FUZZY_MIN_SCORE = 90.0  # typos such as "Middlesborough" score 96; district names near an area's score lower
FUZZY_MARGIN = 4.0  # the runner-up (another area) must trail the winner by more than this
CACHE_SECONDS = 300.0  # from_db's register is reused this long; edits in this process clear it at once


@dataclass(frozen=True)
class AreaRecord:
    gss_code: str
    name: str
    alt_names: tuple[str, ...]
    start_date: dt.date | None
    end_date: dt.date | None
    replaced_by: tuple[str, ...] = ()

    def in_force(self, on: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= on) and (self.end_date is None or on <= self.end_date)


@dataclass(frozen=True)
class Resolution:
    gss_code: str | None  # exactly one match, else None
    candidates: tuple[str, ...]  # GSS codes considered when ambiguous
    reason: str  # readable, shown to analysts reviewing a letter
    score: float = 100.0
    # A match that holds but needs a person's eye: a former (or new) authority matched without a date to check
    # that it existed then. The pipeline turns it into a review reason.
    warning: str = ""

    @property
    def ok(self) -> bool:
        return self.gss_code is not None


# --- normalisation -------------------------------------------------------------------------------------

# Words that say what kind of council it is, not which place. Stripped from either end, repeatedly, so
# "London Borough of Barnet Council" and "Barnet" meet. Longer phrases first: "county council" before "council".
_PREFIXES = (
    "london borough of",
    "royal borough of",
    "metropolitan borough of",
    "city and county of",
    "local area partnership of",
    "local area of",
    "council of",
    "borough of",
    "county of",
    "city of",
    "county",  # "County Durham"
)
_SUFFIXES = (
    "local area partnership",
    "area partnership",
    "local area",
    "partnership",
    "send",
    "metropolitan borough council",
    "metropolitan district council",
    "metropolitan borough",
    "borough council",
    "district council",
    "county council",
    "city council",
    "council",
    "corporation",
    "london boro",
    "london borough",
    "city of",  # "Bristol, City of"
    "county of",  # "Herefordshire, County of"
    "metropolitan",
    "district",
    "borough",
    "county",
    "city",
    "mdc",
    "ua",
)
# Stripping must never leave these: "City of London" is not "London".
_PROTECTED = frozenset({"london"})
_DIRECTIONS = frozenset({"north", "south", "east", "west", "central", "mid", "greater"})
_WORD_SWAPS = {"&": "and", "saint": "st"}


def spelling(name: str) -> str:
    """Lower case, ASCII, '&' -> 'and', punctuation -> spaces, no 'the': the same name however printed."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " & ")
    text = re.sub(r"['.]", "", text)  # "St. Helens", "King's" -> one word
    text = re.sub(r"[^a-z0-9&]+", " ", text)
    return " ".join(_WORD_SWAPS.get(word, word) for word in text.split() if word != "the")


def normalise(name: str) -> str:
    """The spelling with council-kind words stripped: the place's name alone."""
    text = spelling(name)
    changed = True
    while changed:
        changed = False
        # suffixes first: "City of London Corporation" -> "City of London", which then keeps its "City of"
        for suffix in _SUFFIXES:
            if text.endswith(" " + suffix) and text[: -len(suffix) - 1] not in _PROTECTED:
                text, changed = text[: -len(suffix) - 1], True
        for prefix in _PREFIXES:
            if text.startswith(prefix + " ") and text[len(prefix) + 1 :] not in _PROTECTED:
                text, changed = text[len(prefix) + 1 :], True
    return text


def _directions(key: str) -> frozenset[str]:
    return frozenset(key.split()) & _DIRECTIONS


# --- the register --------------------------------------------------------------------------------------


class AreaRegister:
    _cache: tuple[float, AreaRegister] | None = None
    _cache_lock = threading.Lock()

    def __init__(self, records: Iterable[AreaRecord]):
        self.records: tuple[AreaRecord, ...] = tuple(records)
        self._by_gss = {record.gss_code: record for record in self.records}
        # spelling / normalised name -> the records bearing it, each with whether it is their main name
        self._spellings: dict[str, dict[str, bool]] = {}
        self._index: dict[str, dict[str, bool]] = {}
        for record in self.records:
            for value, is_main in ((record.name, True), *((alt, False) for alt in record.alt_names)):
                for index, key in ((self._spellings, spelling(value)), (self._index, normalise(value))):
                    if key:
                        entry = index.setdefault(key, {})
                        entry[record.gss_code] = entry.get(record.gss_code, False) or is_main
        self._keys = list(self._index)

    def __len__(self) -> int:
        return len(self.records)

    def get(self, gss_code: str) -> AreaRecord | None:
        return self._by_gss.get(gss_code)

    # -- construction from the database, cached --

    @classmethod
    def from_db(cls) -> AreaRegister:
        """The register of every LocalArea row, built once per process and reused for CACHE_SECONDS
        (other processes' edits show up within that time; this process's own edits clear it at once)."""
        cached = cls._cache
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        with cls._cache_lock:
            register = cls(_records_from_db())
            AreaRegister._cache = (time.monotonic(), register)
        return register

    @classmethod
    def clear_cache(cls) -> None:
        AreaRegister._cache = None

    # -- resolving --

    def resolve(self, name: str, *, on: dt.date | None = None) -> Resolution:
        if isinstance(on, dt.datetime):
            on = on.date()
        spelt, key = spelling(name or ""), normalise(name or "")
        if not key:
            return Resolution(None, (), f"no area name given ({name!r})", 0.0)
        # Only a spelling that carries the council-kind words can tell apart areas the stripped name joins.
        literal = self._spellings.get(spelt) if spelt != key else None
        if literal and len(literal) == 1:
            return self._decide(name, list(literal), on=on, how=_how_exact(literal), score=100.0)
        exact = self._index.get(key)
        if exact:
            return self._decide(name, list(exact), on=on, how=_how_exact(exact), score=100.0)
        return self._fuzzy(name, key, on=on)

    def _fuzzy(self, name: str, key: str, *, on: dt.date | None) -> Resolution:
        directions = _directions(key)
        # "South Northamptonshire" (a district) is one letter-swap from "North Northamptonshire": a name
        # differing in its compass words is a different place, however close the spelling.
        keys = [k for k in self._keys if _directions(k) == directions]
        hits = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE - FUZZY_MARGIN, limit=None)
        best = max((score for _, score, _ in hits), default=0.0)
        if best < FUZZY_MIN_SCORE:
            return Resolution(None, (), f"no area matches {name!r}", 0.0)
        gss_codes: list[str] = []
        for hit, score, _ in sorted(hits, key=lambda h: -h[1]):
            if score > best - FUZZY_MARGIN:  # the winner, and any other area nearly as close
                gss_codes += [g for g in self._index[hit] if g not in gss_codes]
        best = round(best, 1)
        return self._decide(name, gss_codes, on=on, how=lambda _: f"fuzzy match, score {best:g}", score=best)

    def _decide(self, name: str, gss_codes: list[str], *, on: dt.date | None, how, score: float) -> Resolution:
        """One record: matched. Several: the one in force on the date, else "several". `how(gss)` says
        how the name matched that record, for the reason."""
        records = [self._by_gss[g] for g in gss_codes]
        if len(records) == 1:
            chosen = records[0]
            if on is not None and not chosen.in_force(on):
                # An authority that did not exist on the date is never the answer: a 2022 inspection named
                # "Northamptonshire" belongs to one of its successors, and the text does not say which.
                return Resolution(None, (chosen.gss_code,), f"{name!r} names {chosen.name}, {_life(chosen, on)}", score)
            detail = how(chosen.gss_code)
            reason = f"matched {name!r} to {chosen.name}" + (f" ({detail})" if detail else "")
            warning = _undated_warning(chosen) if on is None else ""
            return Resolution(chosen.gss_code, (chosen.gss_code,), reason, score, warning)
        in_force = [r for r in records if on is not None and r.in_force(on)]
        if len(in_force) == 1:
            chosen = in_force[0]
            others = _listing(r for r in records if r is not chosen)
            note = f"{chosen.gss_code}, the one in force on {on.isoformat()}; not {others}"
            reason = f"matched {name!r} to {chosen.name} ({', '.join(filter(None, [how(chosen.gss_code), note]))})"
            return Resolution(chosen.gss_code, tuple(gss_codes), reason, score)
        if on is None:
            hint = "no date given to choose between them"
        else:
            hint = f"{'more than one' if in_force else 'none'} in force on {on.isoformat()}"
        verb = "is about equally close to" if score < 100 else "matches"
        return Resolution(None, tuple(gss_codes), f"{name!r} {verb} several areas: {_listing(records)} ({hint})", score)


def _life(record: AreaRecord, on: dt.date) -> str:
    """Why `record` cannot be the area on `on`: 'which did not exist yet on …' / 'which had ceased to exist on …'."""
    if record.start_date is not None and on < record.start_date:
        return f"which did not exist yet on {on.isoformat()} (it began on {record.start_date.isoformat()})"
    successors = f"; its successors are {', '.join(record.replaced_by)}" if record.replaced_by else ""
    ended = record.end_date.isoformat() if record.end_date else "?"
    return f"which no longer existed on {on.isoformat()} (it ended on {ended}{successors})"


def _undated_warning(record: AreaRecord) -> str:
    """A review reason for a dated authority matched without a date: it may not have existed at the inspection."""
    if record.start_date is None and record.end_date is None:
        return ""
    life = f"from {record.start_date.isoformat() if record.start_date else 'its start'} to {record.end_date.isoformat() if record.end_date else 'now'}"
    return f"The area was matched to {record.name}, which existed only {life}, but no date was read to check that it existed then."


def _how_exact(matches: dict[str, bool]):
    return lambda gss_code: "" if matches[gss_code] else "alternative name"


def _listing(records: Iterable[AreaRecord]) -> str:
    return ", ".join(f"{r.name} ({r.gss_code})" for r in records)


def _records_from_db() -> list[AreaRecord]:
    from areas.models import LocalArea  # lazily: the resolver itself runs without Django

    areas = LocalArea.objects.prefetch_related("replaced_by").order_by("gss_code")
    return [
        AreaRecord(
            gss_code=area.gss_code,
            name=area.name,
            alt_names=tuple(area.alt_names or ()),
            start_date=area.start_date,
            end_date=area.end_date,
            replaced_by=tuple(sorted(s.gss_code for s in area.replaced_by.all())),
        )
        for area in areas
    ]
