"""Typed values passed between pipeline stages. No Django here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

LetterKind = Literal["initial_inspection", "revisit", "full_inspection", "monitoring_inspection"]
Framework = Literal["2016", "2023"]
# official: Ofsted's own statistics and management information (inspections/datasets/), primary like a letter.
SourceKind = Literal["letter", "official", "secondary"]
WeaknessKind = Literal["significant_weakness", "priority_action", "improvement_area"]


class PipelineError(Exception):
    """A document cannot be processed. `message` is shown to people as is."""

    status = "failed"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ExtractionError(PipelineError):
    """The file could not be read (corrupt, encrypted, empty, too big, unknown type)."""


class NotSendDocument(PipelineError):
    """The document reads fine but is not a local area SEND inspection document."""

    status = "rejected"


@dataclass(frozen=True)
class Span:
    """Character offsets into the document's extracted text: text[start:end]."""

    start: int
    end: int


@dataclass
class ExtractedText:
    text: str
    content_type: str
    pages: int = 0


@dataclass
class LetterChunk:
    """A stretch of the document text that holds one letter (or one council summary)."""

    span: Span
    text: str


@dataclass
class Classified:
    chunk: LetterChunk
    kind: LetterKind
    framework: Framework
    source_kind: SourceKind


@dataclass
class ParsedWeakness:
    number: int
    text: str
    span: Span
    kind: WeaknessKind = "significant_weakness"
    responsible_bodies: str = ""


@dataclass
class ParsedJudgement:
    """A revisit/monitoring judgement on one weakness, as restated by the document."""

    weakness_text: str
    sufficient_progress: bool | None
    span: Span  # the verdict sentence ("The area has made sufficient progress ...")
    number: int | None = None  # position in the document's own list
    weakness_span: Span | None = None  # the weakness as restated; clean_fragment(text[span]) == weakness_text
    verdict_text: str = ""


@dataclass
class ParsedLetter:
    kind: LetterKind
    framework: Framework
    source_kind: SourceKind
    span: Span
    area_name: str = ""
    area_span: Span | None = None
    start_date: date | None = None
    end_date: date | None = None
    dates_span: Span | None = None
    # When the text gives the visit only to the month or the year ("inspected in January 2017"): the period as
    # written and its precision ("month" / "year"); start_date/end_date stay None (they are days, never guessed).
    period_text: str = ""
    date_precision: str = ""  # "" (no date stated) | "day" | "month" | "year"
    letter_date: date | None = None
    letter_date_span: Span | None = None
    published_date: date | None = None
    outcome: str = ""  # wsoa_required | no_wsoa | positive | inconsistent | systemic_failings
    outcome_text: str = ""
    outcome_span: Span | None = None
    wsoa_bodies: str = ""
    wsoa_fit_for_purpose: date | None = None
    lead_inspector: str = ""
    inspection_team: list[dict[str, str]] = field(default_factory=list)
    findings: dict[str, Any] = field(default_factory=dict)
    weaknesses: list[ParsedWeakness] = field(default_factory=list)
    judgements: list[ParsedJudgement] = field(default_factory=list)
    # Revisit / monitoring: what is said about the inspection being followed up.
    overall: str = ""  # sufficient_all | sufficient_some | sufficient_none
    overall_text: str = ""
    next_steps: str = ""
    initial_start_date: date | None = None
    initial_end_date: date | None = None
    initial_period_text: str = ""
    # The initial inspection's outcome as a follow-up text restates it ("HMCI determined that a written statement of
    # action was required"), and the sentence that states it: the WSOA's provenance is that sentence, not the
    # follow-up's dates.
    initial_outcome: str = ""
    initial_outcome_span: Span | None = None
    initial_letter_published: date | None = None
    # 2023: the previous inspection and what comes next.
    previous_start_date: date | None = None
    previous_end_date: date | None = None
    previous_span: Span | None = None  # where the report states the previous inspection (or that there was none)
    not_previously_inspected: bool = False  # the report says so in as many words ("Not previously inspected")
    next_inspection_text: str = ""
    confidence: float = 1.0
    review_reasons: list[str] = field(default_factory=list)
    # A row of a dataset (inspections/datasets/): where it was read, and what only a dataset states.
    period_text: str = ""  # the visit known only to the month ("January 2017", a dataset's note)
    source_sheet: str = ""
    source_row: int | None = None  # 1-based, as a spreadsheet program numbers rows
    source_columns: str = ""  # the headings of the cells the record rests on
    source_label: str = ""  # "Ofsted official statistics, published 17 November 2022, sheet …, row 34"
    dataset_released: date | None = None  # orders two releases of one series: the later one leads
    stated_weaknesses: int | None = None  # significant weaknesses (2016) / areas for priority action (2023)
    stated_sufficient: int | None = None  # revisit: weaknesses with sufficient progress
    stated_insufficient: int | None = None  # revisit: weaknesses without

    def flag(self, reason: str, confidence: float = 0.5) -> None:
        """Record doubt instead of guessing: the record will be marked needs_review."""
        self.review_reasons.append(reason)
        self.confidence = min(self.confidence, confidence)

    def to_json(self) -> dict[str, Any]:
        """The letter as JSON values (dates ISO, spans {start, end}), leaving out every field that holds its
        default: from_json restores those. A dataset's row states a dozen of these fifty fields, and its letters
        are read back by every later file that touches their area (issue 21: the JSON was mostly defaults)."""
        return {name: _jsonable(value) for name, default in _defaults(type(self))
                if (value := getattr(self, name)) is not default and value != default}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedLetter:
        """The inverse of to_json (SourceLetter.data -> ParsedLetter), so the writer can re-project stored
        letters. Keys a newer/older parser did not write fall back to their defaults; unknown keys are ignored."""
        known = _KNOWN.get(cls) or _KNOWN.setdefault(cls, frozenset(_field_names(cls)))
        values = {k: v for k, v in data.items() if k in known}
        for name in _DATE_FIELDS:
            if values.get(name):
                values[name] = date.fromisoformat(values[name])
        for name in _SPAN_FIELDS:
            values[name] = _span_or_none(values.get(name))
        values["weaknesses"] = [
            ParsedWeakness(**{**w, "span": Span(**w["span"])}) for w in values.get("weaknesses", [])
        ]
        values["judgements"] = [
            ParsedJudgement(**{**j, "span": Span(**j["span"]), "weakness_span": _span_or_none(j.get("weakness_span"))})
            for j in values.get("judgements", [])
        ]
        return cls(**values)


_DATE_FIELDS = (
    "start_date", "end_date", "letter_date", "published_date", "wsoa_fit_for_purpose", "initial_start_date",
    "initial_end_date", "initial_letter_published", "previous_start_date", "previous_end_date", "dataset_released",
)
_SPAN_FIELDS = ("span", "area_span", "dates_span", "letter_date_span", "outcome_span", "previous_span", "initial_outcome_span")


def _span_or_none(value: dict[str, int] | None) -> Span | None:
    return Span(**value) if value else None


def _field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, found once per class (dataclasses.fields() builds a tuple on every call)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


_NAMES: dict[type, tuple[str, ...]] = {}
_NO_DEFAULT = object()  # never equal to a value: a field without a default is always written


def _defaults(cls: type) -> tuple[tuple[str, Any], ...]:
    """(field name, its default value) of a dataclass, once per class (a default_factory's value: [] or {})."""
    found = _DEFAULTS.get(cls)
    if found is None:
        found = _DEFAULTS[cls] = tuple(
            (f.name, f.default if f.default is not dataclasses.MISSING
             else f.default_factory() if f.default_factory is not dataclasses.MISSING else _NO_DEFAULT)
            for f in dataclasses.fields(cls))
    return found


_DEFAULTS: dict[type, tuple[tuple[str, Any], ...]] = {}
_KNOWN: dict[type, frozenset[str]] = {}
_AS_IS = frozenset({str, int, float, bool, type(None)})


def _jsonable(value: Any) -> Any:
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is date:
        return value.isoformat()
    if dataclasses.is_dataclass(kind):
        return {name: _jsonable(getattr(value, name)) for name in _field_names(kind)}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    return value


@dataclass
class IngestReport:
    """What one run of the pipeline did to one document, for people to read."""

    document_id: int
    status: str
    message: str = ""
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass
class ResolvedLetter:
    """Stage 6's output: a parsed letter and the area it belongs to. `gss_code` is None when the register could
    not name exactly one area; `area_reason` then says why, and the letter is stored for review with no facts."""

    letter: ParsedLetter
    gss_code: str | None = None
    area_reason: str = ""
    area_score: float | None = None

    @property
    def resolved(self) -> bool:
        return self.gss_code is not None
