"""Reads for the document pages: recent uploads, one document's status, and what was found in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import CharField, DateField, F, QuerySet, TextField, Value

from inspections.models import (
    Document,
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    SourceLetter,
    WrittenStatementOfAction,
)
from inspections.ingest.services import PENDING
from inspections.vocabulary import FACT_WORDS, MONITORING_OVERALL_LABELS

RECENT = 100


def document_recent(*, limit: int = RECENT) -> QuerySet[Document]:
    # `text` can be megabytes per row: never load it for a list.
    return Document.objects.select_related("duplicate_of", "uploaded_by").defer("text", "duplicate_of__text")[:limit]


def document_pending(document: Document) -> bool:
    """Still changing: the page keeps polling."""
    return document.status in PENDING


# --- what a document produced -------------------------------------------------------------------

# slug (the fact pages' URL name, inspections/review/urls.py) -> model and how to reach its area, a date,
# a sub-kind code and a short text, so the five fact tables and the letters fit one UNION ALL.
_FINDING_COLUMNS = {
    "inspection": (Inspection, "area", "start_date", "kind", "outcome"),
    "wsoa": (WrittenStatementOfAction, "inspection__area", "required_on", None, "responsible_bodies"),
    "revisit": (Revisit, "inspection__area", "start_date", "kind", "overall"),
    "weakness": (SignificantWeakness, "inspection__area", "inspection__start_date", "kind", "text"),
    "judgement": (ProgressJudgement, "revisit__inspection__area", "revisit__start_date", None, "text_as_restated"),
}
FACT_LABELS = {slug: words[0] for slug, words in FACT_WORDS.items()}
_CODE_LABELS = {
    **dict(Inspection.Kind.choices), **dict(Inspection.Outcome.choices), **dict(Revisit.Kind.choices),
    **dict(Revisit.Overall.choices), **dict(SignificantWeakness.Kind.choices),
}


@dataclass(frozen=True)
class Finding:
    """One fact (or one letter) read from the document. `slug` is "letter" for a letter, else the fact page's kind."""

    slug: str
    id: int
    area_name: str | None
    area_gss: str | None
    date: date | None
    kind: str  # the sub-kind's words ("Monitoring inspection (2023 framework)"), "" when the table has none
    summary: str  # words, not codes: an outcome's label, a weakness's text
    needs_review: bool
    review_reasons: list[str]

    @property
    def label(self) -> str:
        """What it is, in words: the sub-kind when the table has one, else the table's name."""
        return self.kind or FACT_LABELS.get(self.slug, self.slug)


@dataclass
class DocumentFindings:
    """What one document produced. `facts` are visible facts (rejected ones are hidden everywhere);
    `unresolved_letters` are letters whose area could not be named, so they produced no facts."""

    facts: list[Finding] = field(default_factory=list)
    unresolved_letters: list[Finding] = field(default_factory=list)
    letters: int = 0
    # Letters of this document that are copies of a letter already held in another document: their facts are
    # held from that one. Dicts: kind (words), area_name, area_gss, document_id, document_name.
    copies: list[dict] = field(default_factory=list)

    @property
    def areas(self) -> list[tuple[str, str]]:
        """(name, gss_code) of every area the document's facts belong to, in the order first met."""
        return list(dict.fromkeys((f.area_name, f.area_gss) for f in self.facts if f.area_gss))

    @property
    def stages(self) -> list[Finding]:
        """The inspections and revisits/monitoring inspections it produced: the steps of an area's path."""
        return [f for f in self.facts if f.slug in ("inspection", "revisit")]

    @property
    def to_check(self) -> list[Finding]:
        return [f for f in self.facts if f.needs_review]

    @property
    def counts(self) -> list[str]:
        """"1 inspection", "3 weaknesses or priority actions", ... for each kind found, in path order."""
        out = []
        for slug, (one, many) in FACT_WORDS.items():
            n = sum(1 for f in self.facts if f.slug == slug)
            if n:
                out.append(f"{n} {one if n == 1 else many}")
        return out


def _copies_held_elsewhere(document: Document, areas_with_facts: set[str]) -> list[dict]:
    """The letters of `document` that gave it no fact because the same letter (same fingerprint) is held in another
    document, which the facts were read from: whichever copy was stored first or sorts first, a reader is told
    where the facts are instead of "no fact was recorded". Three queries."""
    letters = list(SourceLetter.objects.filter(document=document).order_by("position")
                   .values("fingerprint", "kind", "area_id", "area__name", "area__gss_code", "area_name_printed"))
    letters = [letter for letter in letters if letter["area__gss_code"] not in areas_with_facts]
    if not letters:
        return []
    others: dict[str, list[dict]] = {}
    for other in (SourceLetter.objects.filter(fingerprint__in={letter["fingerprint"] for letter in letters})
                  .exclude(document=document).order_by("document_id")
                  .values("fingerprint", "document_id", "document__original_name")):
        others.setdefault(other["fingerprint"], []).append(other)
    holding = set(Inspection.objects.filter(source_document_id__in={o["document_id"] for v in others.values() for o in v})
                  .values_list("source_document_id", "area_id"))
    out = []
    for letter in letters:
        copies = others.get(letter["fingerprint"])
        if not copies:
            continue
        held = next((c for c in copies if (c["document_id"], letter["area_id"]) in holding), copies[0])
        out.append({
            "kind": _CODE_LABELS.get(letter["kind"], letter["kind"].replace("_", " ")),
            "area_name": letter["area__name"] or letter["area_name_printed"], "area_gss": letter["area__gss_code"],
            "document_id": held["document_id"], "document_name": held["document__original_name"],
        })
    return out


def document_findings(document: Document) -> DocumentFindings:
    """Everything `document` produced, in one query (a UNION ALL over the five fact tables and the letters).

    Facts are those whose `source_document` is this document; a fact the projection took from another copy of
    the same letter belongs to that document. Ordered by area, date, then path order within a kind."""
    parts = []
    for slug, (model, area, when, kind, summary) in _FINDING_COLUMNS.items():
        parts.append(
            model.objects.filter(source_document=document).order_by().annotate(
                slug=Value(slug, output_field=CharField()),
                f_area_name=F(f"{area}__name"), f_area_gss=F(f"{area}__gss_code"), f_date=F(when),
                f_kind=F(kind) if kind else Value("", output_field=CharField()),
                f_summary=F(summary) if summary else Value("", output_field=TextField()),
                f_review=F("needs_review"), f_reasons=F("review_reasons"),
            ).values("slug", "id", "f_area_name", "f_area_gss", "f_date", "f_kind", "f_summary", "f_review", "f_reasons")
        )
    parts.append(
        SourceLetter.objects.filter(document=document, duplicate_of__isnull=True).order_by().annotate(
            slug=Value("letter", output_field=CharField()),
            f_area_name=F("area__name"), f_area_gss=F("area__gss_code"),
            f_date=Value(None, output_field=DateField()), f_kind=F("kind"), f_summary=F("area_name_printed"),
            f_review=F("needs_review"), f_reasons=F("review_reasons"),
        ).values("slug", "id", "f_area_name", "f_area_gss", "f_date", "f_kind", "f_summary", "f_review", "f_reasons")
    )
    first, *rest = parts
    findings = DocumentFindings()
    for row in first.union(*rest, all=True):
        # A monitoring inspection's result in the 2023 framework's words (effective action), not a revisit's.
        summary_words = MONITORING_OVERALL_LABELS if row["f_kind"] == Revisit.Kind.MONITORING else _CODE_LABELS
        item = Finding(
            slug=row["slug"], id=row["id"], area_name=row["f_area_name"], area_gss=row["f_area_gss"],
            date=row["f_date"], kind=_CODE_LABELS.get(row["f_kind"], row["f_kind"] or ""),
            summary=summary_words.get(row["f_summary"], row["f_summary"] or ""), needs_review=bool(row["f_review"]),
            review_reasons=list(row["f_reasons"] or []),
        )
        if item.slug == "letter":
            findings.letters += 1
            if not item.area_gss:
                findings.unresolved_letters.append(item)
        else:
            findings.facts.append(item)
    findings.copies = _copies_held_elsewhere(document, {f.area_gss for f in findings.facts if f.area_gss})
    order = list(_FINDING_COLUMNS)
    findings.facts.sort(key=lambda f: (f.area_name or "", f.date or date.min, order.index(f.slug), f.id))
    return findings
