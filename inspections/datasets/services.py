"""Writing a dataset: a stored Document whose bytes are a known dataset becomes a `Dataset` row and one SourceLetter per
inspection or revisit its rows state, projected with the area's letters (pipeline/write.py) in one transaction.

Called by pipeline/run.py for every document, before text extraction: `dataset_in(data)` says whether the bytes
are a dataset (by content: spreadsheet type, sheet names, column headings). Re-importing the same file is a
duplicate document (sha256); a later release of the same series brings rows with the same or newer values, which
the projection merges into the same inspection rows (the later release leads) — never a second row.
"""

from __future__ import annotations

from django.db import transaction

from inspections.analysis.periods import visit_day
from inspections.models import LETTER_VECTOR_SQL, Dataset, Document
from inspections.paths.services import deferred as paths_deferred
from inspections.pipeline.extract import sniff_content_type
from inspections.pipeline.resolve import check_framework_years
from inspections.pipeline.types import ExtractionError, IngestReport, ResolvedLetter
from sendtracker.bulk import insert_rows, update_rows

from .kinds import DatasetFormatError, DatasetRead, DatasetRecord, read_dataset
from .tables import CSV, HTML, ODS, XLSX, TableError, read_tables, spreadsheet_type


def dataset_in(data: bytes) -> DatasetRead | None:
    """The dataset these bytes hold, or None when they are not one (a letter, a report, a council page).

    Raises ExtractionError (shown to people) for a spreadsheet that is not a dataset sendtracker reads, or a
    dataset with a missing or renamed column, naming it."""
    content_type = spreadsheet_type(data)
    if not content_type:
        sniffed = sniff_content_type(data)
        if sniffed == "text/html" and b"<table" in data.lower():
            content_type = HTML
        elif sniffed == "text/plain" and b"," in data[:4096]:
            content_type = CSV
        else:
            return None
    try:
        read = read_dataset(read_tables(data, content_type), raw=data)
    except DatasetFormatError as exc:
        raise ExtractionError(str(exc)) from exc
    except TableError as exc:
        if content_type in (ODS, XLSX):
            raise ExtractionError(str(exc)) from exc
        return None
    if read is None and content_type in (ODS, XLSX):
        raise ExtractionError(
            "The file is a spreadsheet, but none of its sheets has the column headings of a dataset sendtracker reads "
            "(Ofsted's official statistics or management information on area SEND inspections, or data-to-insight's "
            "summary). Letters and reports are read from PDF, Word, HTML or text."
        )
    return read


def _resolve(record: DatasetRecord, register) -> ResolvedLetter:
    """The area a row is about: by the GSS code the row gives when the register holds it, else by the name as
    printed on the date the row speaks for (a month-only note: its first day), so a former authority's row belongs
    to the authority in force then (Dorset in January 2017 is Dorset county, not Dorset Council)."""
    letter = record.letter
    check_framework_years(letter)
    on = letter.start_date or letter.published_date or visit_day(None, letter.period_text or letter.initial_period_text)
    by_code = register.get(record.area_code) if record.area_code else None
    if by_code is not None and (on is None or by_code.in_force(on)):
        return ResolvedLetter(letter=letter, gss_code=record.area_code)
    # No code, or a code of an authority not in force on the row's date (data-to-insight gives Dorset county's
    # code for Dorset Council's 2024 inspection): the name on that date decides.
    result = register.resolve(record.area_name, on=on)
    if getattr(result, "warning", ""):
        letter.flag(result.warning)
    if result.ok:
        return ResolvedLetter(letter=letter, gss_code=result.gss_code, area_score=result.score)
    return ResolvedLetter(letter=letter, area_reason=f"{letter.source_label}: area “{record.area_name}” could not be matched to one local area: {result.reason}")


@transaction.atomic
def dataset_write(*, document: Document, read: DatasetRead) -> IngestReport:
    """Store `read` for `document`: its rendered rows as the document's text, a `Dataset` row, and its records as
    letters projected onto the fact tables. Returns the pipeline's report (created/updated lines, rows skipped)."""
    from areas.resolver import AreaRegister

    Document.objects.filter(pk=document.pk).update(text=read.text, published_date=read.published)
    document.text = read.text
    register = AreaRegister.from_db()
    resolved = [_resolve(record, register) for record in read.records]
    if not resolved:
        raise ExtractionError(f"{read.title}: the file has the headings but no rows of inspections; nothing was imported.")
    # The paths of every area the rows touch are derived once at the end: the bulk inserts below send no signals
    # (without this, a fresh install showed 122 of 153 areas as "no inspection known").
    with paths_deferred() as pending:
        report = _write_rows(document, resolved, pending)
    Dataset.objects.update_or_create(document=document, defaults={
        "kind": read.kind, "title": read.title, "source_kind": read.source_kind, "published": read.published,
        "covers_to": read.covers_to, "currency": read.currency[:200], "licence": read.licence,
        "attribution": read.attribution, "records": len(read.records), "parts": read.parts,
    })
    report.skipped += read.notes
    return report


# --- writing many rows at once -------------------------------------------------------------------------------
# A dataset states ~200 records over ~150 areas. Written through write_document one letter and one area at a time,
# that was ~3,000 queries (27 s on a busy machine) against ~2.5 s for five letters. Most areas touched by an import
# hold nothing yet (a fresh install, a new release's new areas): their letters and facts are bulk-inserted from the
# very plan the projection makes (project.project_area), so the rows are those write_document would create —
# tests/datasets/test_bulk.py re-projects every area afterwards and checks nothing changes. Areas that already hold
# letters or facts (a letter to reconcile with, an analyst's decision) go through the writer's projection as usual.


def _write_rows(document: Document, letters: list[ResolvedLetter], paths_pending: set[int]) -> IngestReport:
    from areas.models import LocalArea
    from inspections.models import Inspection, Revisit, SourceLetter, WrittenStatementOfAction
    from inspections.pipeline.project import LetterRecord, project_area
    from inspections.pipeline.write import _lock_areas, finish_report, fingerprint, project_areas

    report = IngestReport(document_id=document.pk, status=Document.Status.DONE)
    areas = {a.gss_code: a for a in LocalArea.objects.filter(gss_code__in={r.gss_code for r in letters if r.gss_code})}
    before = set(SourceLetter.objects.filter(document=document, area__isnull=False).values_list("area_id", flat=True))
    touched = set(_lock_areas(before | {a.pk for a in areas.values()}))
    SourceLetter.objects.filter(document=document).delete()  # a re-run replaces the document's rows
    busy = (set(SourceLetter.objects.filter(area_id__in=touched).values_list("area_id", flat=True))
            | set(Inspection.all_objects.filter(area_id__in=touched).values_list("area_id", flat=True)) | before)
    texts = [document.text[r.letter.span.start:r.letter.span.end] for r in letters]
    prints = [fingerprint(text) for text in texts]
    earlier = {}
    for letter_id, print_ in (SourceLetter.objects.filter(fingerprint__in=set(prints))
                              .order_by("-document__sha256", "-position").values_list("pk", "fingerprint")):
        earlier[print_] = letter_id  # the last one written wins: the lowest (sha256, position), as _store_letter picks
    stored = []
    for position, (resolved, print_) in enumerate(zip(letters, prints)):
        letter = resolved.letter
        area = areas.get(resolved.gss_code) if resolved.gss_code else None
        reasons = list(letter.review_reasons)
        if area is None:
            reasons.insert(0, resolved.area_reason or "The area is not in the register (run load_areas).")
            report.skipped.append(f"{letter.source_label}: {reasons[0]} Stored for review; no facts recorded.")
        stored.append(SourceLetter(
            document=document, position=position, kind=letter.kind, framework=letter.framework,
            source_kind=letter.source_kind, area=area, area_name_printed=letter.area_name[:255], fingerprint=print_,
            span_start=letter.span.start, span_end=letter.span.end, data=letter.to_json(),
            confidence=letter.confidence if area else 0.0, needs_review=bool(reasons), review_reasons=reasons,
            duplicate_of_id=earlier.get(print_),
        ))
    # Each row's search vector from its text, with the insert (the trigger's substr of a dataset's whole text,
    # row by row, was most of this statement).
    stored = insert_rows(SourceLetter, stored, computed={"search_vector": (LETTER_VECTOR_SQL, texts)})
    if any(s.pk is None for s in stored):  # a backend that returns no ids: read them back
        stored = list(SourceLetter.objects.filter(document=document).order_by("position"))
    fresh = sorted(touched - busy)
    by_area: dict[int, list[SourceLetter]] = {}
    for row in stored:
        if row.area_id in fresh:
            by_area.setdefault(row.area_id, []).append(row)
    by_pk = {a.pk: a for a in areas.values()}  # every area a stored letter names (the plans' areas among them)
    plans, marked = {}, []
    for area_id, rows in by_area.items():
        records = [LetterRecord(r.pk, document.pk, document.sha256, r.position, r.fingerprint, letter.letter,
                                document_published=document.published_date)
                   for r, letter in ((r, letters[r.position]) for r in rows)]
        plan = project_area(records, area_start=by_pk[area_id].start_date)
        if any(p.weaknesses or any(v.judgements for v in p.revisits) for p in plan.inspections):
            busy.add(area_id)  # never from a dataset; should a plan hold any, the writer's projection makes them
            continue
        plans[area_id] = plan
        for row in rows:  # as write._mark_duplicates leaves them: the copy kept points nowhere
            want = plan.duplicate_of.get(row.pk)
            if row.duplicate_of_id != want:
                row.duplicate_of_id = want
                marked.append(row)
        report.skipped += [line for _, line in plan.notes]
    update_rows(SourceLetter, marked, ["duplicate_of_id"])
    inspections = [(area_id, p, Inspection(area_id=area_id, **p.values, **p.prov.fields()))
                   for area_id, plan in plans.items() for p in plan.inspections]
    created = insert_rows(Inspection, [row for _, _, row in inspections])
    if any(row.pk is None for row in created):
        keys = {(r.area_id, r.framework, r.kind, r.start_date): r.pk for r in Inspection.all_objects.filter(area_id__in=list(plans))}
        for row in created:
            row.pk = row.id = keys[(row.area_id, row.framework, row.kind, row.start_date)]
    names = {area_id: by_pk[area_id].name for area_id in plans}
    wsoas, revisits = [], []
    for (area_id, p, _), row in zip(inspections, created):
        report.created.append(f"{p.kind.replace('_', ' ')} of {names[area_id]} {p.start_date or p.values.get('period_text') or 'undated'}")
        if p.wsoa is not None:
            wsoas.append(WrittenStatementOfAction(inspection_id=row.pk, **p.wsoa.values, **p.wsoa.prov.fields()))
        for v in p.revisits:
            revisits.append(Revisit(inspection_id=row.pk, **v.values, **v.prov.fields()))
            report.created.append(f"{v.kind.replace('_', ' ')} {v.start_date or 'undated'} of {names[area_id]}")
    insert_rows(WrittenStatementOfAction, wsoas)
    insert_rows(Revisit, revisits)
    # Paths are derived again only where a fact was written: a release restating what is held changes no path.
    # (The areas left to the projection below are added by project_areas itself.)
    paths_pending.update(plans)
    slow = (busy & touched) - before
    slow -= _add_beside(document, slow, report, paths_pending)
    slow |= (busy & touched) & before
    return finish_report(report, project_areas(slow, document=document) if slow else None, document, stored)


def _same(row, values: dict) -> bool:
    return all(getattr(row, name) == value for name, value in values.items())


def _add_beside(document: Document, area_ids: set[int], report: IngestReport, written: set[int]) -> set[int]:
    """Areas that already hold letters or facts: the whole area is planned from all its letters (the projection's
    pure function) and, when the plan only adds rows (a 2016 inspection beside the 2023 ones held) or changes
    values of rows held (a later release, Ofsted's figures leading over the scrape), the new rows are bulk-inserted
    and the changed fields updated, as Changes.save would. Returns the areas so handled; any other (a row to
    delete, weaknesses or judgements to match, an analyst's decision, a placeholder, a link between a report and its
    previous inspection, a former or successor authority) is left to the writer's projection. The ids of the areas
    where a fact was added or changed are added to `written`."""
    from areas.models import LocalArea
    from inspections.models import (
        Inspection, ProgressJudgement, Revisit, SignificantWeakness, SourceLetter, WrittenStatementOfAction,
    )
    from inspections.pipeline.project import LetterRecord, project_area
    from inspections.pipeline.types import ParsedLetter

    if not area_ids:
        return set()
    # A former authority and its successors are linked by a 2023 report's "previous inspection" (write._link_previous):
    # where one of them holds such a report, the projection decides for all of them.
    stating = set(Inspection.objects.filter(previous_inspection_start__isnull=False).values_list("area_id", flat=True))
    linked = set()
    for old, new in LocalArea.replaced_by.through.objects.values_list("from_localarea_id", "to_localarea_id"):
        if old in stating or new in stating:
            linked |= {old, new}
    candidates = area_ids - linked
    letters: dict[int, list] = {}
    # Not the documents' texts (a dataset's is every row of it): the plan needs only their keys and dates. Tuples,
    # not model instances: an area's letters are read again by every file that touches it.
    for l in (SourceLetter.objects.filter(area_id__in=candidates).order_by("pk")
              .values_list("pk", "area_id", "document_id", "position", "fingerprint", "data", "duplicate_of_id",
                           "document__sha256", "document__published_date", named=True)):
        letters.setdefault(l.area_id, []).append(l)
    rows: dict[int, list] = {}
    for row in Inspection.all_objects.filter(area_id__in=candidates):
        rows.setdefault(row.area_id, []).append(row)
    children = {model: {} for model in (Revisit, WrittenStatementOfAction, SignificantWeakness)}
    for model in children:
        for child in model.all_objects.filter(inspection__area_id__in=candidates):
            children[model].setdefault(child.inspection_id, []).append(child)
    judged = set(ProgressJudgement.all_objects.filter(revisit__inspection__area_id__in=candidates).values_list("revisit_id", flat=True))
    start_of, names = {}, {}
    for pk, start, name in LocalArea.objects.filter(pk__in=candidates).values_list("pk", "start_date", "name"):
        start_of[pk], names[pk] = start, name
    handled, new_inspections, marks, new_revisits, new_wsoas = set(), [], [], [], []
    pending: dict = {}  # model -> ({pk: row with its new values set}, the fields changed)
    for area_id in sorted(candidates):
        mark_revisits, mark_wsoas = len(new_revisits), len(new_wsoas)
        held = letters.get(area_id, [])
        plan = project_area([LetterRecord(l.pk, l.document_id, l.document__sha256, l.position, l.fingerprint,
                                          ParsedLetter.from_json(l.data), document_published=l.document__published_date)
                             for l in held], area_start=start_of.get(area_id))
        existing = {(r.framework, r.kind, r.start_date): r for r in rows.get(area_id, [])}
        if len(existing) != len(rows.get(area_id, [])) or any(r.locked_fields or r.rejected or r.is_placeholder for r in rows.get(area_id, [])):
            continue
        if any(p.values.get("previous_inspection_start") or p.is_placeholder for p in plan.inspections):
            continue  # _link_previous and placeholders: the projection decides
        ok, new, updates, pairs = True, [], [], []
        for p in plan.inspections:
            row = existing.pop(p.key, None)
            (new if row is None else pairs).append(p if row is None else (p, row))
        # A later release that moves a held visit's start date (Ofsted's management information gives the first
        # day on site where the scrape gave another): the visit held, alone of its framework and kind to be left
        # unmatched, is the one planned, alone of its kind to be new — its row takes the new date like any other
        # value (the projection would delete it and make another: a tenth of an import for two areas).
        for p in list(new):
            moved = [key for key in existing if key[:2] == p.key[:2]]
            if len(moved) == 1 and sum(q.key[:2] == p.key[:2] for q in new) == 1:
                pairs.append((p, existing.pop(moved[0])))
                new.remove(p)
        for p, row in pairs:
            if row.previous_inspection_id is not None or p.weaknesses != [] and not children[SignificantWeakness].get(row.pk):
                ok = False
                break
            updates.append((Inspection, row, {**p.values, **p.prov.fields()}))
            held_revisits = children[Revisit].get(row.pk, [])
            held_wsoa = children[WrittenStatementOfAction].get(row.pk, [])
            held_weak = children[SignificantWeakness].get(row.pk, [])
            if (any(c.locked_fields or c.rejected for c in [*held_revisits, *held_wsoa, *held_weak])
                    or (held_wsoa and p.wsoa is None) or any(v.judgements for v in p.revisits)
                    or any(r.pk in judged for r in held_revisits)):
                ok = False  # a deletion, an analyst's decision or judgements: the projection decides
                break
            by_key = {(v.kind, v.start_date): v for v in p.revisits}
            if any((r.kind, r.start_date) not in by_key for r in held_revisits):
                ok = False
                break
            held_keys = {(r.kind, r.start_date): r for r in held_revisits}
            for key, v in by_key.items():
                if key in held_keys:
                    updates.append((Revisit, held_keys[key], {**v.values, **v.prov.fields()}))
                else:
                    new_revisits.append((row, v))
            if p.wsoa is not None:
                if held_wsoa:
                    updates.append((WrittenStatementOfAction, held_wsoa[0], {**p.wsoa.values, **p.wsoa.prov.fields()}))
                else:
                    new_wsoas.append((row, p.wsoa))
            weak = {(w.kind, w.number): w for w in p.weaknesses}
            if len(held_weak) != len(weak) or any((w.kind, w.number) not in weak or not _same(w, {**weak[(w.kind, w.number)].values, **weak[(w.kind, w.number)].prov.fields()})
                                                   for w in held_weak):
                ok = False  # weaknesses come from letters: the writer matches and updates them
                break
        if not ok or existing or any(p.weaknesses or any(v.judgements for v in p.revisits) for p in new):
            del new_revisits[mark_revisits:], new_wsoas[mark_wsoas:]
            continue  # something to delete, or weaknesses to make: the projection does it
        handled.add(area_id)
        if new or mark_revisits < len(new_revisits) or mark_wsoas < len(new_wsoas):
            written.add(area_id)
        new_inspections += [(area_id, p) for p in new]
        for model, row, values in updates:
            changed = {name: value for name, value in values.items() if getattr(row, name) != value}
            if changed:
                written.add(area_id)
                for name, value in changed.items():
                    setattr(row, name, value)
                pending.setdefault(model, ({}, set()))[0][row.pk] = row
                pending[model][1].update(changed)
                report.updated.append(f"{model._meta.verbose_name} of {names[area_id]} ({', '.join(changed)})")
        for l in held:
            if l.duplicate_of_id != plan.duplicate_of.get(l.pk):
                marks.append(SourceLetter(pk=l.pk, duplicate_of_id=plan.duplicate_of.get(l.pk)))
        report.skipped += [line for doc_id, line in plan.notes if doc_id == document.pk]
    # One UPDATE per table (sendtracker.bulk), not one per row: a release repeating another changes ~100 rows.
    update_rows(SourceLetter, marks, ["duplicate_of_id"])
    for model, (changed_rows, names_changed) in pending.items():
        update_rows(model, changed_rows.values(), sorted(names_changed))
    created = insert_rows(Inspection, [Inspection(area_id=a, **p.values, **p.prov.fields()) for a, p in new_inspections])
    if any(row.pk is None for row in created):
        keys = {(r.area_id, r.framework, r.kind, r.start_date): r.pk for r in Inspection.all_objects.filter(area_id__in=handled)}
        for row in created:
            row.pk = row.id = keys[(row.area_id, row.framework, row.kind, row.start_date)]
    wsoas, revisits = [], []
    for (area_id, p), row in zip(new_inspections, created):
        report.created.append(f"{p.kind.replace('_', ' ')} of {names[area_id]} {p.start_date or p.values.get('period_text') or 'undated'}")
        if p.wsoa is not None:
            wsoas.append(WrittenStatementOfAction(inspection_id=row.pk, **p.wsoa.values, **p.wsoa.prov.fields()))
        revisits += [Revisit(inspection_id=row.pk, **v.values, **v.prov.fields()) for v in p.revisits]
    wsoas += [WrittenStatementOfAction(inspection_id=row.pk, **w.values, **w.prov.fields()) for row, w in new_wsoas]
    revisits += [Revisit(inspection_id=row.pk, **v.values, **v.prov.fields()) for row, v in new_revisits]
    insert_rows(WrittenStatementOfAction, wsoas)
    insert_rows(Revisit, revisits)
    return handled
