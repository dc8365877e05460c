"""Analysts' decisions on extracted facts: confirm, correct a field, reject. Each writes an audit row
(`FieldCorrection`) and locks what it decided in `locked_fields`, so re-processing cannot undo it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from areas.models import LocalArea
from inspections.models import (
    Document,
    FieldCorrection,
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    SourceLetter,
    SourcedFact,
    WrittenStatementOfAction,
)

from inspections.paths.services import deferred as paths_deferred
from inspections.themes.services import LOCK as THEMES_LOCK
from inspections.themes.services import themes_classify, validate_keys
from inspections.themes.taxonomy import ordered

from .locks import AREA_CHOICE, PARSED, REJECTED, as_json, lock_entry

# URL slug -> fact model: the review pages and the audit speak of facts by these names.
FACT_MODELS: dict[str, type[SourcedFact]] = {
    "inspection": Inspection,
    "wsoa": WrittenStatementOfAction,
    "revisit": Revisit,
    "weakness": SignificantWeakness,
    "judgement": ProgressJudgement,
}
# Provenance and bookkeeping: set by the pipeline or by these services, never corrected by hand.
NOT_CORRECTABLE = {
    "id", "source_document", "span_start", "span_end", "source_kind", "confidence", "needs_review",
    "review_reasons", "locked_fields", "rejected", "is_placeholder", "match_score",
}


def correctable_fields(model: type[SourcedFact]) -> list[models.Field]:
    """The fields an analyst may correct: the fact's own values, not its links or provenance."""
    return [
        f for f in model._meta.concrete_fields
        if f.editable and not f.is_relation and f.name not in NOT_CORRECTABLE
    ]


def _username(user) -> str:
    return user.get_username() if user is not None else ""


def _audit(fact, *, action: str, user, field: str = "", old: Any = None, new: Any = None, note: str = "") -> FieldCorrection:
    return FieldCorrection.objects.create(
        content_type=ContentType.objects.get_for_model(fact), object_id=fact.pk, field=field,
        old_value=as_json(old), new_value=as_json(new), action=action, note=note, user=user, username=_username(user),
    )


def _settle(fact, *, resolves: Iterable[str] | None, username: str) -> list[str]:
    """Drop the review reasons the analyst settled; the fact stops needing review when none is left.
    Both fields are locked, so re-processing does not raise the same doubt again. Returns changed fields."""
    reasons = list(fact.review_reasons or [])
    settled = set(reasons if resolves is None else resolves)
    remaining = [r for r in reasons if r not in settled]
    fact.review_reasons = remaining
    fact.needs_review = bool(remaining)
    fact.locked_fields["review_reasons"] = lock_entry(remaining, username=username)
    fact.locked_fields["needs_review"] = lock_entry(fact.needs_review, username=username)
    return ["review_reasons", "needs_review"]


def _hold_area(fact: SourcedFact) -> None:
    """Take the row lock the writer takes on the fact's area (pipeline/write.py: `_lock_areas`), then decide on
    the row as it is now (`refresh_from_db`).

    Why: without it a re-projection running at the same moment could write the parser's value between the
    analyst's read and save, leaving the lock entry and the row disagreeing (found by reading the code during
    the soak, bench/README.md). Area, then fact: the writer's order, so the two cannot deadlock."""
    if isinstance(fact, Inspection):
        area_ids = Inspection.all_objects.filter(pk=fact.pk).values("area_id")
    elif isinstance(fact, ProgressJudgement):
        area_ids = Revisit.all_objects.filter(pk=fact.revisit_id).values("inspection__area_id")
    else:
        area_ids = Inspection.all_objects.filter(pk=fact.inspection_id).values("area_id")
    list(LocalArea.objects.select_for_update().filter(pk__in=area_ids).values_list("pk", flat=True))
    fact.refresh_from_db()


def _refuse_if_rejected(fact) -> None:
    if fact.rejected:
        raise ValidationError("This fact was rejected; it can no longer be confirmed or corrected.")


SETTLED_MESSAGE = "Reviewed: every fact flagged for review was settled by an analyst."


def document_settle_if_reviewed(*, document_id: int | None) -> bool:
    """A document "needs review" only while something read from it does: once no visible fact from it still
    needs review, and no letter of it is left without an area (those produced no fact to settle), it is done.
    Returns True when the status changed. Called by every decision; re-processing recomputes the same rule
    from the facts (pipeline/write.py), whose settled review state is locked, so the two agree."""
    if document_id is None:
        return False
    if any(model.objects.filter(source_document_id=document_id, needs_review=True).exists()
           for model in FACT_MODELS.values()):
        return False
    if SourceLetter.objects.filter(document_id=document_id, needs_review=True, area__isnull=True,
                                   duplicate_of__isnull=True).exists():
        return False
    return bool(Document.objects.filter(pk=document_id, status=Document.Status.NEEDS_REVIEW)
                .update(status=Document.Status.DONE, error=SETTLED_MESSAGE))


@transaction.atomic
def fact_confirm(*, fact: SourcedFact, user, note: str = "") -> FieldCorrection:
    """The analyst checked the fact against its source: every doubt is settled.

    Values are not pinned (a better parser may still refresh them); only the review state is locked.
    """
    _hold_area(fact)
    _refuse_if_rejected(fact)
    old = {"needs_review": fact.needs_review, "review_reasons": list(fact.review_reasons or [])}
    fact.locked_fields = dict(fact.locked_fields or {})
    changed = _settle(fact, resolves=None, username=_username(user))
    fact.save(update_fields=[*changed, "locked_fields"])
    document_settle_if_reviewed(document_id=fact.source_document_id)
    return _audit(fact, action=FieldCorrection.Action.CONFIRM, user=user, old=old, new={"needs_review": False}, note=note)


@transaction.atomic
def fact_correct(*, fact: SourcedFact, field: str, value: Any, user, note: str = "",
                 resolves: Iterable[str] | None = ()) -> FieldCorrection:
    """Set one field to the analyst's value, validated like any model save, and lock it.

    `resolves`: the review reasons this correction settles (None: all of them; default: none). The fact
    stops needing review when no reason is left.
    """
    _hold_area(fact)
    _refuse_if_rejected(fact)
    names = {f.name for f in correctable_fields(type(fact))}
    if field not in names:
        raise ValidationError({"field": f"'{field}' cannot be corrected here (allowed: {', '.join(sorted(names))})."})
    old = getattr(fact, field)
    setattr(fact, field, value)
    try:
        fact.full_clean()  # cleans the value (to_python), checks choices, blank, and the natural-key constraints
    except ValidationError:
        setattr(fact, field, old)
        raise
    new = getattr(fact, field)
    if as_json(new) == as_json(old):
        raise ValidationError({field: "That is already the recorded value."})
    username = _username(user)
    fact.locked_fields = dict(fact.locked_fields or {})
    previous = fact.locked_fields.get(field) or {}
    entry = lock_entry(new, username=username)
    # What the letter itself said, kept across later corrections: a copy of the letter in another file
    # states that value, and must land on this fact (docs/review-contract.md, rule 4).
    entry[PARSED] = previous[PARSED] if PARSED in previous else as_json(old)
    fact.locked_fields[field] = entry
    changed = _settle(fact, resolves=resolves, username=username)
    fact.save(update_fields=[field, *changed, "locked_fields"])
    if isinstance(fact, SignificantWeakness) and field == "text":
        themes_classify(weaknesses=SignificantWeakness.objects.filter(pk=fact.pk))  # the themes follow the words
    document_settle_if_reviewed(document_id=fact.source_document_id)
    return _audit(fact, action=FieldCorrection.Action.CORRECT, user=user, field=field, old=old, new=new, note=note)


@transaction.atomic
def weakness_themes_correct(*, weakness: SignificantWeakness, themes: Iterable[str], user, note: str = "") -> FieldCorrection:
    """Set the weakness's themes (docs/THEMES.md keys) to the analyst's list and lock it: re-classification, by
    this or any later method version, keeps it (inspections/themes/services.py). Choosing the themes the rules
    found confirms them (and pins them). Audited like any correction (field "themes").

    Raises ValidationError on an unknown key, an empty list, 'other' beside a theme, a rejected weakness, or a
    list identical to the one an analyst already decided."""
    _hold_area(weakness)
    _refuse_if_rejected(weakness)
    try:
        keys = validate_keys(themes)
    except ValueError as exc:
        raise ValidationError({"themes": str(exc)}) from exc
    current = ordered(weakness.themes.values_list("theme", flat=True))
    previous = (weakness.locked_fields or {}).get(THEMES_LOCK) or {}
    if previous and previous.get("value") == keys:
        raise ValidationError({"themes": "Those are already the themes an analyst decided."})
    username = _username(user)
    entry = lock_entry(keys, username=username)
    entry[PARSED] = previous[PARSED] if PARSED in previous else current  # what the rules said before any analyst
    weakness.locked_fields = {**(weakness.locked_fields or {}), THEMES_LOCK: entry}
    weakness.save(update_fields=["locked_fields"])
    themes_classify(weaknesses=SignificantWeakness.objects.filter(pk=weakness.pk))
    return _audit(weakness, action=FieldCorrection.Action.CORRECT, user=user, field=THEMES_LOCK, old=current, new=keys,
                  note=note)


def _dependants(fact: SourcedFact) -> list[SourcedFact]:
    """Facts that only make sense through this one: rejecting an inspection rejects its weaknesses,
    WSOA, revisits and their judgements, so no page shows an orphan."""
    if isinstance(fact, Inspection):
        return [
            *SignificantWeakness.objects.filter(inspection=fact),
            *WrittenStatementOfAction.objects.filter(inspection=fact),
            *Revisit.objects.filter(inspection=fact),
            *ProgressJudgement.objects.filter(revisit__inspection=fact),
            *ProgressJudgement.objects.filter(weakness__inspection=fact).exclude(revisit__inspection=fact),
        ]
    if isinstance(fact, Revisit):
        return list(ProgressJudgement.objects.filter(revisit=fact))
    if isinstance(fact, SignificantWeakness):
        return list(ProgressJudgement.objects.filter(weakness=fact))
    return []


def _mark_rejected(fact: SourcedFact, *, username: str, note: str) -> None:
    fact.rejected = True
    fact.locked_fields = dict(fact.locked_fields or {})
    fact.locked_fields[REJECTED] = {**lock_entry(True, username=username), "note": note}
    fact.save(update_fields=["rejected", "locked_fields"])


@transaction.atomic
def fact_reject(*, fact: SourcedFact, user, note: str) -> FieldCorrection:
    """The fact is wrong (not in the letter, or not this area's): hide it everywhere, for good.

    The row stays, marked `rejected` and locked under "__rejected__", so re-processing the same letter
    finds it and leaves it rejected instead of creating it again. A reason is required for the audit.
    """
    _hold_area(fact)
    if fact.rejected:
        raise ValidationError("This fact is already rejected.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say why the fact is rejected."})
    username = _username(user)
    dependants = _dependants(fact)
    with paths_deferred():  # the area's stored path is derived once, after every row is marked
        for dependant in dependants:
            _mark_rejected(dependant, username=username, note=note)
            _audit(dependant, action=FieldCorrection.Action.REJECT, user=user,
                   note=f"Rejected with {type(fact)._meta.verbose_name} #{fact.pk}: {note}")
        _mark_rejected(fact, username=username, note=note)
    # A rejected fact no longer needs review (it is gone from every page): its documents may now be settled.
    for document_id in {fact.source_document_id, *(d.source_document_id for d in dependants)}:
        document_settle_if_reviewed(document_id=document_id)
    return _audit(fact, action=FieldCorrection.Action.REJECT, user=user, note=note)


@transaction.atomic
def letter_choose_area(*, letter: SourceLetter, area: LocalArea, user, note: str = "") -> FieldCorrection:
    """The analyst names the area of a letter the register could not match ("Gatehsead"): audited like any
    decision (a `FieldCorrection` on the document, field AREA_CHOICE), locked (the writer reads every copy of the
    letter's text in this document as that area's on every re-run: review/locks.py `area_choices`), and the
    document is re-processed at once (after commit), so its facts appear under the area.

    Raises ValidationError when the letter already belongs to that area or its document is being processed."""
    document = Document.objects.select_for_update().get(pk=letter.document_id)
    if letter.area_id == area.pk:
        raise ValidationError(f"This letter is already read as {area.name}'s.")
    if document.status not in (Document.Status.DONE, Document.Status.NEEDS_REVIEW, Document.Status.FAILED,
                               Document.Status.REJECTED):
        raise ValidationError("The document is being processed; choose the area when it has finished.")
    old = {"letter": letter.fingerprint, "position": letter.position, "printed": letter.area_name_printed,
           "gss_code": letter.area.gss_code if letter.area_id else None}
    new = {"letter": letter.fingerprint, "position": letter.position, "gss_code": area.gss_code, "name": area.name}
    correction = FieldCorrection.objects.create(
        content_type=ContentType.objects.get_for_model(Document), object_id=document.pk, field=AREA_CHOICE,
        old_value=old, new_value=new, action=FieldCorrection.Action.CORRECT, note=(note or "").strip(), user=user,
        username=_username(user),
    )
    from inspections.ingest.services import document_reprocess  # the one way to run the pipeline again

    document_reprocess(documents=[document])
    return correction

