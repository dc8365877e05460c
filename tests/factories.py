"""Plain-function factories for tests: each makes one row with sensible defaults; pass fields to override.

`make_path(...)` builds a whole 2016 path (inspection with weaknesses, WSOA, revisit with judgements)
and, optionally, a 2023 inspection with a monitoring inspection — the shape the timeline, the lists
and the exports read. `make_dataset(n)` makes n such areas in a few statements (for 1x/10x query bounds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

from areas.models import LocalArea
from inspections.models import (
    Document,
    Inspection,
    ProgressJudgement,
    Revisit,
    SignificantWeakness,
    WrittenStatementOfAction,
)

_seq = itertools.count(1)


def make_area(name: str | None = None, gss_code: str | None = None, **fields) -> LocalArea:
    n = next(_seq)
    fields.setdefault("authority_type", LocalArea.AuthorityType.UNITARY)
    fields.setdefault("region", "North East")
    return LocalArea.objects.create(
        name=name or f"Area {n}",
        # E068xxxxx: no real code (unitary codes run E06000001–E06000066), so a test that names a real area by its
        # code (Medway, E06000035, or a made-up E06900001) never meets a generated one, whatever ran before it.
        gss_code=gss_code or f"E06{800000 + n:06d}",
        register_code=fields.pop("register_code", f"R{n:05d}"),
        **fields,
    )


def make_document(text: str = "", name: str | None = None, **fields) -> Document:
    n = next(_seq)
    text = text or f"Letter {n}. The local area has made sufficient progress. Weakness number {n} remains."
    return Document.objects.create(
        sha256=fields.pop("sha256", hashlib.sha256(f"{n}{text}".encode()).hexdigest()),
        original_name=name or f"letter-{n}.pdf",
        text=text,
        status=fields.pop("status", Document.Status.DONE),
        **fields,
    )


def _span(document: Document | None, phrase: str | None) -> dict:
    if document is None:
        return {}
    if phrase and phrase in document.text:
        start = document.text.index(phrase)
        return {"source_document": document, "span_start": start, "span_end": start + len(phrase)}
    return {"source_document": document, "span_start": 0, "span_end": min(len(document.text), 40)}


def make_inspection(area: LocalArea | None = None, *, document: Document | None = None, phrase: str | None = None,
                    **fields) -> Inspection:
    fields.setdefault("framework", "2016")
    fields.setdefault("kind", "initial_inspection" if fields["framework"] == "2016" else "full_inspection")
    fields.setdefault("start_date", dt.date(2017, 3, 6))
    fields.setdefault("end_date", fields["start_date"] + dt.timedelta(days=4) if fields["start_date"] else None)
    fields.setdefault("letter_date", fields["start_date"] + dt.timedelta(days=40) if fields["start_date"] else None)
    fields.setdefault("outcome", "wsoa_required" if fields["framework"] == "2016" else "inconsistent")
    return Inspection.objects.create(area=area or make_area(), **_span(document, phrase), **fields)


def make_weakness(inspection: Inspection, number: int = 1, *, document: Document | None = None,
                  phrase: str | None = None, **fields) -> SignificantWeakness:
    fields.setdefault("text", f"Weakness {number}: the quality of EHC plans is weak")
    return SignificantWeakness.objects.create(inspection=inspection, number=number, **_span(document, phrase), **fields)


def make_wsoa(inspection: Inspection, **fields) -> WrittenStatementOfAction:
    fields.setdefault("required_on", inspection.letter_date)
    return WrittenStatementOfAction.objects.create(inspection=inspection, **fields)


def make_revisit(inspection: Inspection, *, document: Document | None = None, phrase: str | None = None,
                 **fields) -> Revisit:
    fields.setdefault("kind", "revisit" if inspection.framework == "2016" else "monitoring_inspection")
    fields.setdefault("start_date", (inspection.start_date or dt.date(2017, 1, 1)) + dt.timedelta(days=600))
    fields.setdefault("letter_date", fields["start_date"] + dt.timedelta(days=30) if fields["start_date"] else None)
    fields.setdefault("overall", "sufficient_some")
    return Revisit.objects.create(inspection=inspection, **_span(document, phrase), **fields)


def make_judgement(revisit: Revisit, weakness: SignificantWeakness, sufficient: bool | None = True,
                   **fields) -> ProgressJudgement:
    return ProgressJudgement.objects.create(revisit=revisit, weakness=weakness, sufficient_progress=sufficient, **fields)


def make_path(area: LocalArea | None = None, *, weaknesses: int = 4, sufficient: int = 3, revisit: bool = True,
              with_2023: bool = False, document: Document | None = None) -> dict:
    """A full 2016 path (and optionally 2023 + monitoring) for one area; returns the rows by name."""
    area = area or make_area()
    document = document or make_document()
    inspection = make_inspection(area, document=document)
    found = [make_weakness(inspection, n, document=document) for n in range(1, weaknesses + 1)]
    wsoa = make_wsoa(inspection, source_document=document, span_start=0, span_end=10)
    rows = {"area": area, "document": document, "inspection": inspection, "weaknesses": found, "wsoa": wsoa}
    if revisit:
        overall = "sufficient_all" if sufficient == weaknesses else ("sufficient_none" if sufficient == 0 else "sufficient_some")
        rv = make_revisit(inspection, document=document, overall=overall)
        rows["revisit"] = rv
        rows["judgements"] = [make_judgement(rv, w, i < sufficient, source_document=document, span_start=0, span_end=20)
                              for i, w in enumerate(found)]
    if with_2023:
        full = make_inspection(area, framework="2023", start_date=dt.date(2024, 2, 5), document=document)
        rows["full"] = full
        rows["priority_actions"] = [make_weakness(full, 1, kind="priority_action", text="Leaders should improve waiting times")]
        rows["monitoring"] = make_revisit(full, start_date=dt.date(2025, 3, 3), overall="")
    return rows


def make_dataset(areas: int) -> list[dict]:
    """`areas` areas with a mix of stages, each a full path (for query-bound tests at 1x and 10x)."""
    paths = []
    for i in range(areas):
        kind = i % 4
        if kind == 3:
            make_area()
            continue
        paths.append(make_path(weaknesses=3, sufficient=i % 4, revisit=kind != 1, with_2023=kind == 2))
    return paths
