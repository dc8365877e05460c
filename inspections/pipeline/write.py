"""Stage 7: record the parsed letters and project them onto the fact tables, in one transaction.

1. Every letter of the document becomes a `SourceLetter` (the parsed facts as JSON, fingerprint, span, review
   reasons). A letter whose area could not be resolved is stored for review and yields no facts.
2. Every area the document touches (now or before a re-run) is re-projected: all of the area's letters go
   through `project.project_area` (pure) and the fact tables are reconciled with the plan by natural key —
   rows are updated in place, created, or deleted when no letter backs them any more. The result depends only
   on the set of letters, so any ingestion order and any number of repeats give the same rows.

Concurrency: the touched areas' rows are locked (SELECT ... FOR UPDATE, in id order so two workers cannot
deadlock) before any letter is written, so two workers writing the same area serialise and the second one
projects both documents' letters. SQLite has a single writer anyway.

Analyst decisions win (inspections/review/locks.py; the contract: docs/review-contract.md): facts are looked up through
`all_objects`, locked fields are never overwritten, a rejected fact is left alone, and a fact carrying an
analyst's decision is never deleted — when no letter backs it any more it is kept and flagged for review.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model

from areas.models import LocalArea
from inspections.models import (
    Document,
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    SourceLetter,
    WrittenStatementOfAction,
)
from inspections.paths.services import deferred as paths_deferred
from inspections.review.locks import apply_locks, area_choices, as_parsed, is_rejected, locked
from inspections.themes.services import themes_classify

from .project import AreaPlan, InspectionPlan, LetterRecord, describe, project_area
from .types import IngestReport, NotSendDocument, ParsedLetter, ResolvedLetter

UNBACKED = "No source letter supports this record any more (its document was removed or re-read); kept because an analyst decided on it."


def fingerprint(text: str) -> str:
    """sha256 of the letter text with whitespace, quotes and case normalised: the same letter read twice
    (or printed twice in one file) has the same fingerprint."""
    text = text.replace("\u00a0", " ").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return hashlib.sha256(re.sub(r"\s+", " ", text).strip().lower().encode()).hexdigest()


@transaction.atomic
def write_document(*, document: Document, letters: list[ResolvedLetter]) -> IngestReport:
    if not letters:
        raise NotSendDocument("No local area SEND inspection letter or report was found in the document.")
    report = IngestReport(document_id=document.pk, status=Document.Status.DONE)
    _apply_area_choices(document, letters)
    areas = {a.gss_code: a for a in LocalArea.objects.filter(gss_code__in={r.gss_code for r in letters if r.gss_code})}
    before = set(SourceLetter.objects.filter(document=document, area__isnull=False).values_list("area_id", flat=True))
    touched = _lock_areas(before | {a.pk for a in areas.values()})
    SourceLetter.objects.filter(document=document).delete()  # a re-run replaces the document's letters
    stored = [_store_letter(document, position, resolved, areas, report) for position, resolved in enumerate(letters)]
    return finish_report(report, project_areas(touched, document=document), document, stored)


def finish_report(report: IngestReport, changes: Changes | None, document: Document, stored: list) -> IngestReport:
    """Fold a projection's changes (None: nothing projected) and the stored letters' doubts into the report; shared
    by this writer and the datasets' bulk writer (inspections/datasets/services.py)."""
    if changes is not None:
        report.created += changes.created
        report.updated += changes.updated
        report.skipped += [line for doc_id, line in changes.notes if doc_id == document.pk]
    reasons, flagged = _review_reasons(document, stored)
    if reasons:
        report.status = Document.Status.NEEDS_REVIEW
        # How many of its facts: a table of Ofsted's figures with a few rows of a scrape is not "from the scrape".
        counted = "1 fact or letter read from it is" if flagged == 1 else f"{flagged} facts or letters read from it are"
        report.message = (f"Needs review: {counted} flagged. " + " ".join(reasons[:3])
                          + (f" (and {len(reasons) - 3} more)" if len(reasons) > 3 else ""))
    return report


def _apply_area_choices(document: Document, letters: list[ResolvedLetter]) -> None:
    """An analyst's choice of area for a letter (review/locks.py: `area_choices`) wins over the register: the letter
    is read as that area's, on every re-run."""
    chosen = area_choices(document.pk)
    if not chosen:
        return
    for resolved in letters:
        span = resolved.letter.span
        gss = chosen.get(fingerprint(document.text[span.start : span.end]))
        if gss:
            resolved.gss_code, resolved.area_reason, resolved.area_score = gss, "", None


@transaction.atomic
def forget_document(*, document: Document) -> list[str]:
    """Remove a document's letters (it failed, or was rejected on a re-run) and re-project the areas they fed,
    so no fact is left that only this document supported. Returns what changed, for logs."""
    area_ids = set(SourceLetter.objects.filter(document=document, area__isnull=False).values_list("area_id", flat=True))
    touched = _lock_areas(area_ids)
    deleted, _ = SourceLetter.objects.filter(document=document).delete()
    if not deleted:
        return []
    changes = project_areas(touched)
    return changes.created + changes.updated + changes.deleted


def _lock_areas(area_ids: Iterable[int]) -> list[int]:
    """Lock the areas (and the areas that replaced them: their 2023 reports may point back at an old
    authority's inspection) in id order; returns the ids to project."""
    ids = set(area_ids)
    ids |= set(LocalArea.replaced_by.through.objects.filter(from_localarea_id__in=ids).values_list("to_localarea_id", flat=True))
    return list(LocalArea.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _store_letter(document: Document, position: int, resolved: ResolvedLetter, areas: dict, report: IngestReport) -> SourceLetter:
    letter = resolved.letter
    text = document.text[letter.span.start : letter.span.end]
    print_ = fingerprint(text)
    reasons = list(letter.review_reasons)
    area = areas.get(resolved.gss_code) if resolved.gss_code else None
    if resolved.resolved and area is None:
        resolved.gss_code, resolved.area_reason = None, f"The register named area {resolved.gss_code}, which is not in the database (run load_areas)."
    if not resolved.resolved:
        reasons.insert(0, resolved.area_reason)
        report.skipped.append(f"letter {position + 1} ({describe(letter)}): {resolved.area_reason} Stored for review; no facts recorded.")
    # Only the id: a row with its document would carry that document's whole text (megabytes) per letter.
    earlier = (
        SourceLetter.objects.filter(fingerprint=print_).order_by("document__sha256", "position")
        .values_list("pk", flat=True).first()
    )
    return SourceLetter.objects.create(
        document=document, position=position, kind=letter.kind, framework=letter.framework,
        source_kind=letter.source_kind, area=area,
        area_name_printed=letter.area_name[:255], fingerprint=print_, span_start=letter.span.start,
        span_end=letter.span.end, data=letter.to_json(), confidence=letter.confidence if resolved.resolved else 0.0,
        needs_review=bool(reasons), review_reasons=reasons, duplicate_of_id=earlier,
    )


def _review_reasons(document: Document, stored: list[SourceLetter]) -> tuple[list[str], int]:
    """The document's distinct review reasons, and how many of its facts (and letters without an area) carry one."""
    # A letter that produced facts handed its doubts to them (project.py), where analysts settle them: only a
    # letter with no area (so no facts) keeps its own. Otherwise re-processing would bring "Needs review" back to
    # a document whose every flagged fact was settled (review/services.py: document_settle_if_reviewed).
    unplaced = [letter for letter in stored if not letter.duplicate_of_id and letter.area_id is None and letter.review_reasons]
    reasons = [r for letter in unplaced for r in letter.review_reasons]
    flagged = len(unplaced)
    for model in (Inspection, WrittenStatementOfAction, Revisit, SignificantWeakness, ProgressJudgement):
        for fact_reasons in model.objects.filter(source_document=document, needs_review=True).values_list("review_reasons", flat=True):
            reasons += fact_reasons or []
            flagged += 1
    return list(dict.fromkeys(r for r in reasons if r)), flagged


# --- projection -------------------------------------------------------------------------------------------


# What a rejected fact still takes from the letters: where it was read, not what it says.
# (`findings` holds character spans of the copy it cites, and `previous_inspection_id` is a link, not a value the
# analyst judged: both follow too, so a hidden row does not depend on which copy was held when it was rejected.)
REJECTED_FOLLOWS = frozenset({"source_document_id", "span_start", "span_end", "source_kind", "confidence",
                              "findings", "previous_inspection_id"})


class Changes:
    """What reconciliation did, as lines for people ('created …', 'updated … (fields)')."""

    def __init__(self) -> None:
        self.created: list[str] = []
        self.updated: list[str] = []
        self.deleted: list[str] = []
        self.notes: list[tuple[int, str]] = []

    def save(self, model: type[Model], row: Model | None, values: dict[str, Any], label: Callable[[Model], str]) -> Model:
        """Create or update one fact, never touching what an analyst locked or rejected."""
        if row is None:
            row = model(**_unlocked(None, values))
            row.save()
            self.created.append(label(row))
            return row
        if is_rejected(row):
            # The rejected values stay as the analyst saw them, but the row cites the letter the projection
            # chose, like every other fact: otherwise which copy a rejected fact cites depended on the order the
            # copies arrived (found by bench/soak.py: the .docx copy cited, or the .html one).
            values = {name: value for name, value in values.items() if name in REJECTED_FOLLOWS}
        changed = [name for name, value in _unlocked(row, values).items() if getattr(row, name) != value]
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            row.save(update_fields=changed)
            self.updated.append(f"{label(row)} ({', '.join(n.removesuffix('_id') for n in changed)})")
        return row

    def delete(self, row: Model, label: Callable[[Model], str]) -> None:
        """Remove a fact no letter backs, unless an analyst decided on it (then flag it instead)."""
        if _has_decisions(row):
            if UNBACKED not in (row.review_reasons or []):
                row.needs_review = True
                row.review_reasons = [*(row.review_reasons or []), UNBACKED]
                row.save(update_fields=["needs_review", "review_reasons"])
                self.updated.append(f"{label(row)} (no longer backed by a letter; kept for the analyst)")
            return
        self.deleted.append(label(row))
        row.delete()


def _unlocked(row: Model | None, values: dict[str, Any]) -> dict[str, Any]:
    names = locked(row)
    return {k: v for k, v in apply_locks(row, values).items() if not (k.endswith("_id") and k[:-3] in names)}


def _has_decisions(row: Model) -> bool:
    if row.locked_fields or row.rejected:
        return True
    if isinstance(row, Inspection):
        return any(_has_decisions(child) for child in [
            *SignificantWeakness.all_objects.filter(inspection=row), *Revisit.all_objects.filter(inspection=row),
            *WrittenStatementOfAction.all_objects.filter(inspection=row),
        ])
    if isinstance(row, (Revisit, SignificantWeakness)):
        return ProgressJudgement.all_objects.filter(**{"revisit" if isinstance(row, Revisit) else "weakness": row}).exclude(locked_fields={}).exists()
    return False


# What projection reads of a SourceLetter (not its search vector, which can be as large as its text).
LETTER_FIELDS = ("id", "document_id", "position", "fingerprint", "data", "duplicate_of_id", "area_id")


def project_areas(area_ids: Iterable[int], *, document: Document | None = None) -> Changes:
    """Project each area's letters onto the fact tables, then derive and store each area's path once (issue 19)."""
    area_ids = list(area_ids)
    with paths_deferred() as pending:
        pending.update(area_ids)
        return _project_areas(area_ids)


def _project_areas(area_ids: Iterable[int]) -> Changes:
    changes = Changes()
    for area in _predecessors_first(LocalArea.objects.filter(pk__in=list(area_ids)).order_by("pk")):
        # The document's sha256 and date, never its text: 330 letters of one 4.5 MB document loaded it 330 times
        # (a 12 GB worker). The letter's own search vector is not needed either.
        letters = list(
            SourceLetter.objects.filter(area=area).select_related("document")
            .only(*LETTER_FIELDS, "document__sha256", "document__published_date").order_by("pk")
        )
        records = [
            LetterRecord(l.pk, l.document_id, l.document.sha256, l.position, l.fingerprint, ParsedLetter.from_json(l.data),
                         document_published=l.document.published_date)
            for l in letters
        ]
        plan = project_area(records, area_start=area.start_date)
        _mark_duplicates(letters, plan)
        _reconcile(area, plan, changes)
        changes.notes += plan.notes
    # The projected weaknesses' themes, in the same transaction (keyword rules: fast, no I/O).
    themes_classify(area_ids=area_ids)
    return changes


def _predecessors_first(areas: Iterable[LocalArea]) -> list[LocalArea]:
    """The areas in projection order: an authority before the ones that replaced it, otherwise by id.

    Why: a successor's projection links its 2023 report's "previous inspection" to a row of the authority it
    replaced (`_link_previous`), so that row must already be written. In id order Cumberland (E06000063) came
    before Cumbria (E10000006): a Cumbria letter ingested after the Cumberland report left the report linked to
    whatever Cumbria row existed before, so the result depended on the order the files arrived (found by
    bench/soak.py; reproduced by ingesting texts/019 then texts/008)."""
    areas = list(areas)
    ids = {a.pk for a in areas}
    predecessors: dict[int, set[int]] = {a.pk: set() for a in areas}
    for old, new in LocalArea.replaced_by.through.objects.filter(
            from_localarea_id__in=ids, to_localarea_id__in=ids).values_list("from_localarea_id", "to_localarea_id"):
        predecessors[new].add(old)

    def depth(pk: int, seen: frozenset = frozenset()) -> int:  # seen: the register has no cycles, but never loop
        return max((1 + depth(p, seen | {pk}) for p in predecessors[pk] if p not in seen), default=0)

    return sorted(areas, key=lambda a: (depth(a.pk), a.pk))


def _mark_duplicates(letters: list[SourceLetter], plan: AreaPlan) -> None:
    for letter in letters:
        want = plan.duplicate_of.get(letter.pk)
        if letter.duplicate_of_id != want:
            SourceLetter.objects.filter(pk=letter.pk).update(duplicate_of_id=want)


def _match(desired: list, rows: list, keys: list[tuple[Callable, Callable]]) -> dict[int, Model]:
    """Pair each desired record (by index) with an existing row: natural key first, then each fallback key
    in turn, among rows still unpaired. A row only ever moves into a key no other row holds."""
    found: dict[int, Model] = {}
    free = list(rows)
    for want_key, row_key in keys:
        index: dict[Any, Model] = {}
        for row in free:
            k = row_key(row)
            if k is not None:
                index.setdefault(k, row)
        for i, item in enumerate(desired):
            if i in found:
                continue
            k = want_key(item)
            if k is not None and k in index:
                found[i] = index.pop(k)
                free.remove(found[i])
    return found


def _reconcile(area: LocalArea, plan: AreaPlan, changes: Changes) -> None:
    rows = list(Inspection.all_objects.filter(area=area))
    revisit_keys = {r.pk: set() for r in rows}
    for r in Revisit.all_objects.filter(inspection__area=area):
        revisit_keys[r.inspection_id].add((r.kind, r.start_date))
    found = _match(plan.inspections, rows, [
        (lambda p: p.key, lambda r: (r.framework, r.kind, r.start_date)),
        # An analyst corrected the start date: the letter (in whatever file) still states the original one.
        (lambda p: p.key, lambda r: (r.framework, r.kind, as_parsed(r, "start_date")) if "start_date" in locked(r) else None),
        # A locked key field (an analyst corrected the date): the same source text still identifies the row.
        (lambda p: (p.prov.document_id, p.prov.span.start if p.prov.span else None, p.kind),
         lambda r: (r.source_document_id, r.span_start, r.kind) if r.locked_fields else None),
    ])
    # A placeholder inspection becomes the real one when its initial letter arrives (same row: links and
    # analyst decisions survive).
    for i, p in enumerate(plan.inspections):
        if i in found or p.is_placeholder:
            continue
        wanted = {(r.kind, r.start_date) for r in p.revisits}
        for row in rows:
            if row.is_placeholder and row not in found.values() and revisit_keys[row.pk] & wanted:
                found[i] = row
                break
    kept_inspections, kept = [], {"weakness": [], "revisit": [], "judgement": [], "wsoa": []}
    for i, p in enumerate(plan.inspections):
        values = {"area_id": area.pk, **p.values, **p.prov.fields()}
        row = changes.save(Inspection, found.get(i), values, _inspection_label)
        kept_inspections.append(row)
    for p, row in zip(plan.inspections, kept_inspections):
        if is_rejected(row):
            # Its children stay (hidden, rejected with it) and follow the letters' provenance like the inspection
            # does (Changes.save), but nothing new is made under a fact an analyst rejected.
            _weaknesses(row, p, changes, kept, existing_only=True)
            _wsoa(row, p, changes, kept, existing_only=True)
            kept["weakness"] += list(SignificantWeakness.all_objects.filter(inspection=row))
            kept["wsoa"] += list(WrittenStatementOfAction.all_objects.filter(inspection=row))
            continue
        _weaknesses(row, p, changes, kept)
        _wsoa(row, p, changes, kept)
    for p, row in zip(plan.inspections, kept_inspections):
        _revisits(area, row, p, changes, kept)
    # Delete what no letter backs any more, children first (a revisit that moved has moved already).
    all_judgements = ProgressJudgement.all_objects.filter(revisit__inspection__area=area)
    for model, qs, key, label in (
        (ProgressJudgement, all_judgements, "judgement", _judgement_label),
        (Revisit, Revisit.all_objects.filter(inspection__area=area), "revisit", _revisit_label),
        (WrittenStatementOfAction, WrittenStatementOfAction.all_objects.filter(inspection__area=area), "wsoa", _wsoa_label),
        (SignificantWeakness, SignificantWeakness.all_objects.filter(inspection__area=area), "weakness", _weakness_label),
        (Inspection, Inspection.all_objects.filter(area=area), None, _inspection_label),
    ):
        keep = {r.pk for r in (kept[key] if key else kept_inspections)}
        for row in qs.exclude(pk__in=keep):
            changes.delete(row, label)
    _link_previous(area, plan, kept_inspections, changes)


def _weaknesses(inspection: Inspection, p: InspectionPlan, changes: Changes, kept: dict, *, existing_only: bool = False) -> None:
    rows = list(SignificantWeakness.all_objects.filter(inspection=inspection))
    found = _match(p.weaknesses, rows, [
        (lambda w: (w.kind, w.number), lambda r: (r.kind, r.number)),
        (lambda w: (w.kind, w.number), lambda r: (r.kind, as_parsed(r, "number")) if "number" in locked(r) else None),
        (lambda w: (w.prov.document_id, w.prov.span.start if w.prov.span else None),
         lambda r: (r.source_document_id, r.span_start) if r.locked_fields else None),
    ])
    for i, w in enumerate(p.weaknesses):
        if existing_only and i not in found:
            continue
        values = {"inspection_id": inspection.pk, "kind": w.kind, "number": w.number, **w.values, **w.prov.fields()}
        kept["weakness"].append(changes.save(SignificantWeakness, found.get(i), values, _weakness_label))


def _wsoa(inspection: Inspection, p: InspectionPlan, changes: Changes, kept: dict, *, existing_only: bool = False) -> None:
    if p.wsoa is None:
        return
    row = WrittenStatementOfAction.all_objects.filter(inspection=inspection).first()
    if existing_only and row is None:
        return
    values = {"inspection_id": inspection.pk, **p.wsoa.values, **p.wsoa.prov.fields()}
    kept["wsoa"].append(changes.save(WrittenStatementOfAction, row, values, _wsoa_label))


def _revisits(area: LocalArea, inspection: Inspection, p: InspectionPlan, changes: Changes, kept: dict) -> None:
    claimed = {r.pk for r in kept["revisit"]}
    rows = [r for r in Revisit.all_objects.filter(inspection__area=area) if r.pk not in claimed]
    found = _match(p.revisits, rows, [
        (lambda v: (inspection.pk, v.kind, v.start_date), lambda r: (r.inspection_id, r.kind, r.start_date)),
        (lambda v: (inspection.pk, v.kind, v.start_date),
         lambda r: (r.inspection_id, r.kind, as_parsed(r, "start_date")) if "start_date" in locked(r) else None),
        # The revisit followed a placeholder before the initial letter arrived: move it, with its judgements.
        (lambda v: (v.kind, v.start_date), lambda r: (r.kind, r.start_date)),
        (lambda v: (v.prov.document_id, v.prov.span.start if v.prov.span else None),
         lambda r: (r.source_document_id, r.span_start) if r.locked_fields else None),
    ])
    weaknesses = {(w.kind, w.number): w for w in SignificantWeakness.all_objects.filter(inspection=inspection)}
    for i, v in enumerate(p.revisits):
        row = found.get(i)
        if row is None and is_rejected(inspection):
            continue  # nothing new under a fact an analyst rejected
        values = {"inspection_id": inspection.pk, **v.values, **v.prov.fields()}
        row = changes.save(Revisit, row, values, _revisit_label)
        kept["revisit"].append(row)
        if is_rejected(row):
            _judgements(row, v, weaknesses, changes, kept, existing_only=True)  # provenance follows; nothing new
            kept["judgement"] += list(ProgressJudgement.all_objects.filter(revisit=row))
            continue
        _judgements(row, v, weaknesses, changes, kept)


def _judgements(revisit: Revisit, v, weaknesses: dict, changes: Changes, kept: dict, *, existing_only: bool = False) -> None:
    rows = list(ProgressJudgement.all_objects.filter(revisit=revisit))
    desired = [j for j in v.judgements if j.weakness in weaknesses]
    found = _match(desired, rows, [
        (lambda j: weaknesses[j.weakness].pk, lambda r: r.weakness_id),
        (lambda j: _words(j.values["text_as_restated"]), lambda r: _words(r.text_as_restated)),
    ])
    for i, j in enumerate(desired):
        if existing_only and i not in found:
            continue
        values = {"revisit_id": revisit.pk, "weakness_id": weaknesses[j.weakness].pk, **j.values, **j.prov.fields()}
        kept["judgement"].append(changes.save(ProgressJudgement, found.get(i), values, _judgement_label))


def _link_previous(area: LocalArea, plan: AreaPlan, rows: list[Inspection], changes: Changes) -> None:
    """A 2023 report's 'previous inspection' -> that Inspection, when one on record started on the printed date
    (an inspection of this area or of the authority it replaced; a revisit on that date points at the
    inspection it followed up). No match: the printed dates alone are kept — never a guess."""
    areas = [area.pk, *area.replaced.values_list("pk", flat=True)]
    for p, row in zip(plan.inspections, rows):
        start = p.values.get("previous_inspection_start")
        target = None
        if start:
            # Visible facts only: a report never points at what an analyst rejected. (All rows here, rejected ones
            # included, made the link depend on the order: a revisit arriving after its inspection was rejected
            # is not stored, one arriving before stays as a rejected row — found by bench/soak.py.)
            # The printed date is the letter's: an analyst's correction of the start date keeps it as the parsed
            # value (review/locks.py: as_parsed), so a corrected row still answers to it — otherwise the link would
            # depend on whether the report was re-projected before or after the correction (bench/soak.py).
            same = [r for r in Inspection.objects.filter(area_id__in=areas).exclude(pk=row.pk)
                    if start in (r.start_date, as_parsed(r, "start_date"))][:2]
            if not same:
                same = [r.inspection for r in Revisit.objects.filter(
                    inspection__area_id__in=areas, inspection__rejected=False).select_related("inspection")
                    if start in (r.start_date, as_parsed(r, "start_date"))][:2]
            target = same[0] if len(same) == 1 else None
        changes.save(Inspection, row, {"previous_inspection_id": target.pk if target else None}, _inspection_label)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


# --- labels for the report ----------------------------------------------------------------------------------


def _when(value) -> str:
    return value.isoformat() if value else "undated"


def _inspection_label(row: Inspection) -> str:
    what = "placeholder " if row.is_placeholder else ""
    when = row.start_date.isoformat() if row.start_date else (row.period_text or "undated")
    return f"{what}{row.get_kind_display().split(' (')[0].lower()} of {row.area} {when}"


def _weakness_label(row: SignificantWeakness) -> str:
    return f"{row.get_kind_display().lower()} {row.number} of {_inspection_label(row.inspection)}"


def _wsoa_label(row: WrittenStatementOfAction) -> str:
    return f"written statement of action for {_inspection_label(row.inspection)}"


def _revisit_label(row: Revisit) -> str:
    return f"{row.get_kind_display().split(' (')[0].lower()} {_when(row.start_date)} of {_inspection_label(row.inspection)}"


def _judgement_label(row: ProgressJudgement) -> str:
    return f"judgement on {row.weakness.get_kind_display().lower()} {row.weakness.number} at the {_revisit_label(row.revisit)}"
