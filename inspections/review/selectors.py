"""Read side of the review pages: the queue of doubtful facts, one fact with its source passage, its history."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, DateField, F, QuerySet, TextField, Value
from django.db.models.functions import Length, Substr
from django.http import Http404

from inspections.models import (
    Document,
    FieldCorrection,
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    SourcedFact,
    WrittenStatementOfAction,
)
from inspections.review.services import FACT_MODELS
from inspections.themes.services import LOCK as THEMES_LOCK
from inspections.themes.taxonomy import theme_label
from inspections.vocabulary import FACT_WORDS, MONITORING_JUDGEMENT_LABELS, MONITORING_OVERALL_LABELS

# Enough to follow a fact's __str__ and show its area without one query per relation.
_RELATED = {
    "inspection": ["area"],
    "wsoa": ["inspection__area"],
    "revisit": ["inspection__area"],
    "weakness": ["inspection__area"],
    "judgement": ["weakness", "revisit__inspection__area"],
}
# Per model: how to reach the area, a date, and a short text, so the five tables fit one UNION ALL.
_QUEUE_COLUMNS = {
    "inspection": ("area__name", "area__gss_code", "start_date", "outcome"),
    "wsoa": ("inspection__area__name", "inspection__area__gss_code", "inspection__start_date", "responsible_bodies"),
    "revisit": ("inspection__area__name", "inspection__area__gss_code", "start_date", "overall"),
    "weakness": ("inspection__area__name", "inspection__area__gss_code", "inspection__start_date", "text"),
    "judgement": ("revisit__inspection__area__name", "revisit__inspection__area__gss_code", "revisit__start_date",
                  "text_as_restated"),
}
SOURCE_CONTEXT_CHARS = 1500


def fact_model(slug: str) -> type[SourcedFact]:
    try:
        return FACT_MODELS[slug]
    except KeyError:
        raise Http404(f"No such kind of fact: {slug}") from None


def fact_get(*, slug: str, pk: int, include_rejected: bool = False) -> SourcedFact:
    model = fact_model(slug)
    manager = model.all_objects if include_rejected else model.objects
    try:
        return manager.select_related(*_RELATED[slug]).get(pk=pk)
    except model.DoesNotExist:
        raise Http404(f"No {slug} {pk}") from None


def review_queue() -> QuerySet:
    """Every fact that needs review and is not rejected, least confident first, as one UNION ALL of dicts:
    fact_kind, id, area_name, area_gss_code, date, summary, confidence, source_document_id, sub_kind (a revisit's kind)."""
    parts = []
    for slug, (area, gss, date, summary) in _QUEUE_COLUMNS.items():
        parts.append(
            FACT_MODELS[slug].objects.filter(needs_review=True)
            .order_by()
            .annotate(
                fact_kind=Value(slug, output_field=CharField()),
                area_name=F(area), area_gss_code=F(gss),
                date=F(date) if date else Value(None, output_field=DateField()),
                summary=F(summary) if summary else Value("", output_field=TextField()),
                # A revisit's kind: a monitoring inspection's result is said in the 2023 framework's words.
                sub_kind=F("kind") if slug == "revisit" else Value("", output_field=CharField()),
            )
            .values("fact_kind", "id", "area_name", "area_gss_code", "date", "summary", "confidence",
                    "source_document_id", "sub_kind")
        )
    first, *rest = parts
    return first.union(*rest, all=True).order_by("confidence", "area_name", "fact_kind", "id")


def documents_needing_review() -> QuerySet[Document]:
    return Document.objects.filter(status=Document.Status.NEEDS_REVIEW).only(
        "id", "original_name", "error", "updated_at", "status"
    ).order_by("-updated_at", "-id")


@dataclass
class SourceWindow:
    """The fact's passage with some text either side, cut in SQL so a long document is never loaded whole."""

    document_id: int
    document_name: str
    before: str
    passage: str
    after: str
    more_before: bool
    more_after: bool


def source_window(fact: SourcedFact, *, context: int = SOURCE_CONTEXT_CHARS) -> SourceWindow | None:
    if fact.source_document_id is None or fact.span_start is None or fact.span_end is None:
        return None
    start = max(0, fact.span_start - context)
    end = fact.span_end + context
    row = (
        Document.objects.filter(pk=fact.source_document_id)
        .annotate(window=Substr("text", start + 1, end - start), total=Length("text"))
        .values("window", "total", "original_name")
        .first()
    )
    if row is None:
        return None
    text = row["window"] or ""
    a, b = fact.span_start - start, fact.span_end - start
    return SourceWindow(
        document_id=fact.source_document_id, document_name=row["original_name"],
        before=text[:a], passage=text[a:b], after=text[b:],
        more_before=start > 0, more_after=end < (row["total"] or 0),
    )


def fact_history(fact: SourcedFact) -> QuerySet[FieldCorrection]:
    """Every decision on this fact, oldest first."""
    return FieldCorrection.objects.filter(
        content_type=ContentType.objects.get_for_model(type(fact)), object_id=fact.pk
    ).order_by("created_at", "id")


# --- words, not codes ---------------------------------------------------------------------------

FACT_KIND_WORDS = {slug: words[0].capitalize() for slug, words in FACT_WORDS.items()}  # inspections/vocabulary.py
# Every coded value a queue summary can hold (outcomes, verdicts), as the models' labels say it.
_SUMMARY_WORDS = {**dict(Inspection.Outcome.choices), **dict(Revisit.Overall.choices)}


def queue_rows(rows) -> list[dict]:
    """The queue's rows with words for the fact's kind and for a coded summary (an outcome, a verdict)."""
    out = []
    for row in rows:
        row = dict(row)
        row["kind_words"] = FACT_KIND_WORDS.get(row["fact_kind"], row["fact_kind"])
        words = MONITORING_OVERALL_LABELS if row.get("sub_kind") == Revisit.Kind.MONITORING else _SUMMARY_WORDS
        row["summary"] = words.get(row["summary"], row["summary"])
        out.append(row)
    return out


def _is_monitoring(fact) -> bool:
    """A 2023 monitoring inspection, or a judgement made at one: its verdicts are "effective action"."""
    if isinstance(fact, ProgressJudgement):
        fact = fact.revisit
    return isinstance(fact, Revisit) and fact.kind == Revisit.Kind.MONITORING


def value_words(model: type[SourcedFact], field_name: str, value, *, fact: SourcedFact | None = None) -> object:
    """A stored value as a person reads it: a choice's label, Yes/No for a boolean (templates/review/_value.html
    says None as "not recorded"), the value itself otherwise. Used for the recorded values and the history.
    With `fact`, a monitoring inspection's verdicts are in the 2023 framework's words (effective action)."""
    if fact is not None and _is_monitoring(fact) and value not in (None, ""):
        if field_name == "overall" and value in MONITORING_OVERALL_LABELS:
            return MONITORING_OVERALL_LABELS[value]
        if field_name == "sufficient_progress" and isinstance(value, bool):
            return MONITORING_JUDGEMENT_LABELS["sufficient" if value else "insufficient"]
    if field_name == THEMES_LOCK and isinstance(value, list):  # a weakness's themes: not a field, a list of keys
        return ", ".join(theme_label(key) for key in value) or "none (not classified)"
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # a history row about the whole fact, or a field since removed
        return value
    if not field.concrete:  # a reverse relation of the same name
        return value
    if field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    if field.get_internal_type() == "BooleanField" and isinstance(value, bool):
        if field_name == "sufficient_progress":
            return "Sufficient progress" if value else "Not sufficient progress"
        return "Yes" if value else "No"
    return value


def next_in_queue(*, skip: tuple[str, int] | None) -> dict | None:
    """The first fact of the queue other than `skip` (kind slug, id): where "next item" leads. Two rows at most."""
    for row in review_queue()[:2]:
        if skip is None or (row["fact_kind"], row["id"]) != skip:
            return row
    return None


def fact_subject(fact: SourcedFact) -> list[tuple[str, object]]:
    """What the fact is about, as (label, value) pairs shown beside its review reasons, so a reason such as
    "a responsible body and its action were printed on one line" is read next to that body and that action."""
    if isinstance(fact, SignificantWeakness):
        return [
            ("Kind", f"{fact.get_kind_display()} {fact.number}"),
            ("Responsible bodies", fact.responsible_bodies or None),
            ("Text" if fact.kind != SignificantWeakness.Kind.PRIORITY_ACTION else "Action", fact.text),
            ("Inspection", str(fact.inspection)),
        ]
    if isinstance(fact, ProgressJudgement):
        return [
            ("Weakness", f"{fact.weakness.get_kind_display()} {fact.weakness.number}: {fact.weakness.text}"),
            ("As the later report words it", fact.text_as_restated or None),
            ("Judgement", value_words(ProgressJudgement, "sufficient_progress", fact.sufficient_progress, fact=fact)),
            ("At", str(fact.revisit)),
        ]
    if isinstance(fact, Revisit):
        result = fact.overall_text if _is_monitoring(fact) and fact.overall_text else value_words(Revisit, "overall", fact.overall, fact=fact)
        return [("Kind", fact.get_kind_display()), ("Follows up", str(fact.inspection)), ("Result", result or fact.overall_text or None)]
    if isinstance(fact, WrittenStatementOfAction):
        return [("For", str(fact.inspection)), ("Responsible bodies", fact.responsible_bodies or None)]
    if isinstance(fact, Inspection):
        subject = [("Kind", fact.get_kind_display()), ("Outcome", fact.get_outcome_display() or fact.outcome_text or None)]
        # A doubt about how the report's table was read ("a responsible body and its action were printed on one
        # line") is about the actions and their bodies: show each beside the other.
        for weakness in fact.weaknesses.filter(rejected=False).exclude(responsible_bodies="").order_by("kind", "number")[:20]:
            subject.append((f"{weakness.get_kind_display()} {weakness.number}",
                            f"{weakness.responsible_bodies} — {weakness.text}"))
        return subject
    return []


def area_choice_history(document_id: int) -> list:
    """The analysts' choices of area for a document's letters (`FieldCorrection`s, field AREA_CHOICE), newest first."""
    from django.contrib.contenttypes.models import ContentType

    from inspections.models import FieldCorrection
    from inspections.review.locks import AREA_CHOICE

    return list(FieldCorrection.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_id=document_id, field=AREA_CHOICE))
