"""The fact tables as plain values, for before/after comparisons in the ingest and integration tests."""

from __future__ import annotations

from inspections import models


def snapshot() -> dict[str, list]:
    """Every fact and letter as plain values, keyed by what they are (no ids, no timestamps): two databases
    with equal snapshots hold the same facts with the same provenance."""

    def prov(row):
        doc = row.source_document.original_name if row.source_document_id else None
        return (doc, row.span_start, row.span_end, row.source_kind, round(row.confidence, 3), row.needs_review,
                tuple(row.review_reasons), row.rejected, repr(sorted((row.locked_fields or {}).items())))

    def inspection_key(row):
        return (row.area.gss_code, row.framework, row.kind, row.start_date)

    def revisit_key(row):
        return (*inspection_key(row.inspection), row.kind, row.start_date)

    def weakness_key(row):
        return (*inspection_key(row.inspection), row.kind, row.number)

    def _sorted(rows):
        return sorted(rows, key=repr)  # None and dates do not compare; their reprs do

    return {
        "inspections": _sorted(
            (inspection_key(r), r.end_date, r.period_text, r.letter_date, r.published_date, r.outcome, r.outcome_text,
             r.lead_inspector, repr(r.inspection_team), repr(sorted(r.findings.items())), r.next_inspection_text,
             inspection_key(r.previous_inspection) if r.previous_inspection_id else None, r.previous_inspection_start,
             r.previous_inspection_end, r.is_placeholder, prov(r))
            for r in models.Inspection.all_objects.select_related("area", "source_document", "previous_inspection__area")
        ),
        "weaknesses": _sorted(
            (weakness_key(r), r.text, r.responsible_bodies, prov(r))
            for r in models.SignificantWeakness.all_objects.select_related("inspection__area", "source_document")
        ),
        "wsoas": _sorted(
            (inspection_key(r.inspection), r.required_on, r.responsible_bodies, r.fit_for_purpose_on, prov(r))
            for r in models.WrittenStatementOfAction.all_objects.select_related("inspection__area", "source_document")
        ),
        "revisits": _sorted(
            (revisit_key(r), r.end_date, r.letter_date, r.overall, r.overall_text, r.next_steps, r.lead_inspector, prov(r))
            for r in models.Revisit.all_objects.select_related("inspection__area", "source_document")
        ),
        "judgements": _sorted(
            (revisit_key(r.revisit), weakness_key(r.weakness), r.sufficient_progress, r.text_as_restated, r.match_score, prov(r))
            for r in models.ProgressJudgement.all_objects.select_related(
                "revisit__inspection__area", "weakness__inspection__area", "source_document"
            )
        ),
        "letters": _sorted(
            (r.document.original_name, r.position, r.area.gss_code if r.area_id else None, r.fingerprint, r.needs_review,
             (r.duplicate_of.document.original_name, r.duplicate_of.position) if r.duplicate_of_id else None)
            for r in models.SourceLetter.objects.select_related("document", "area", "duplicate_of__document")
        ),
    }


def table_rows() -> dict[str, list]:
    """Every column of every letter and fact, ids included (SourceLetter ids may be re-made): equal before and
    after means nothing was deleted and re-created, nor changed in place."""

    def rows(model, exclude=()):
        manager = getattr(model, "all_objects", model.objects)
        return sorted((tuple(sorted((k, repr(v)) for k, v in row.items() if k not in exclude))
                       for row in manager.values()), key=repr)

    return {
        "letters": rows(models.SourceLetter, exclude=("id", "duplicate_of_id")),
        "inspections": rows(models.Inspection),
        "wsoas": rows(models.WrittenStatementOfAction),
        "revisits": rows(models.Revisit),
        "weaknesses": rows(models.SignificantWeakness),
        "judgements": rows(models.ProgressJudgement),
    }
