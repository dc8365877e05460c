"""A synthetic national dataset for the page benchmark and the query-bound tests.

`build_dataset(scale=1.0)` gives about today's national size (150 areas, 500 inspections, 2,500
weaknesses); scale=10 is the benchmark's ten times. The first areas reuse the real GSS codes of the
map (static/geo) so the dashboard colours them; the rest get made-up E99 codes. Rows are written with
bulk_create in a few statements, so 10x takes seconds, and each fact points at a span of its own
synthetic letter so timelines can show source sentences.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

REGIONS = [
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
]
TOPICS = [
    "co-production with parents and carers", "the quality of education, health and care plans",
    "waiting times for neurodevelopmental assessments", "joint commissioning arrangements",
    "the local offer and how families find it", "transitions into adulthood",
    "the identification of needs in early years", "speech and language therapy capacity",
    "the timeliness of EHC needs assessments", "strategic leadership and governance",
]
# What 2023-framework reports state about the next visit (the published outcome paragraphs' wording).
FULL_3Y = "The next full area SEND inspection will be within approximately three years."
NEXT_VISIT = {
    "positive": "The next full area SEND inspection will be within approximately five years.",
    "inconsistent": FULL_3Y,
    "systemic_failings": f"A monitoring inspection will be carried out within approximately 18 months. {FULL_3Y}",
}
NEXT_FULL_AFTER_MONITORING = ("The next full area SEND inspection will be within approximately three years of the "
                              "previous full inspection.")
GEOMETRY = Path(__file__).resolve().parents[1] / "static" / "geo" / "england_send_areas.json"


@dataclass
class DatasetSize:
    areas: int
    inspections: int
    weaknesses: int
    revisits: int
    judgements: int
    documents: int


def _letter(area: str, kind: str, when: dt.date, sentences: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Letter text and the span of each sentence in it."""
    head = f"{kind} of the local area of {area}, {when:%d %B %Y}.\n\nDear colleague\n\n"
    text, spans = head, []
    for sentence in sentences:
        spans.append((len(text), len(text) + len(sentence)))
        text += sentence + "\n\n"
    return text + "Yours sincerely\nHMI\n", spans


def build_dataset(*, scale: float = 1.0, seed: int = 7) -> DatasetSize:
    from django.db import transaction

    from areas.models import LocalArea
    from inspections.models import (
        Document, Inspection, ProgressJudgement, Revisit, SignificantWeakness, SourceLetter,
        WrittenStatementOfAction,
    )

    rng = random.Random(seed)
    n_areas = max(3, round(150 * scale))
    real = json.loads(GEOMETRY.read_text(encoding="utf-8"))["areas"] if GEOMETRY.exists() else []
    with transaction.atomic():
        areas = []
        for i in range(n_areas):
            if i < len(real):
                gss, name = real[i]["gss"], real[i]["name"]
            else:
                gss, name = f"E99{i:06d}", f"Synthetic Area {i}"
            areas.append(LocalArea(
                register_code=f"S{i:05d}", name=name, gss_code=gss, region=REGIONS[i % len(REGIONS)],
                authority_type=LocalArea.AuthorityType.values[i % 4],
                stat_neighbours=[],
            ))
        areas = LocalArea.objects.bulk_create(areas)
        for i, area in enumerate(areas):  # ten nearest by index, like DfE's lists
            area.stat_neighbours = [areas[(i + k) % n_areas].gss_code for k in range(1, 11)]
        LocalArea.objects.bulk_update(areas, ["stat_neighbours"], batch_size=1000)

        # Per area (5,000 inspections for 1,500 areas at 10x): one 2016 initial inspection; three or four
        # 2023 inspections for three areas in four, so the map shows every stage; one in twenty never inspected.
        plans = []
        for i, area in enumerate(areas):
            if i % 20 == 19:
                continue
            start16 = dt.date(2016 + i % 4, 1 + i % 12, 1 + i % 25)
            outcome16 = "wsoa_required" if rng.random() < 0.5 else "no_wsoa"
            plans.append((area, "2016", "initial_inspection", start16, outcome16))
            if i % 4 == 0:
                continue
            for k in range(3 + (i % 3 == 0)):
                start23 = dt.date(2023 + k % 3, 1 + (i + k) % 12, 1 + (i * 7 + k) % 25)
                plans.append((area, "2023", "full_inspection", start23, rng.choice(["positive", "inconsistent", "systemic_failings"])))

        documents, letters_text = [], []
        for area, framework, kind, start, outcome in plans:
            topics = rng.sample(TOPICS, 5)
            sentences = [f"Inspectors found weaknesses in {t} in {area.name}." for t in topics]
            sentences.append(f"The outcome was {outcome.replace('_', ' ')}.")
            text, spans = _letter(area.name, kind.replace("_", " ").capitalize(), start, sentences)
            letters_text.append((text, spans, topics))
            documents.append(Document(
                sha256=hashlib.sha256(text.encode()).hexdigest(), original_name=f"{area.gss_code}-{kind}-{start}.txt",
                content_type="text/plain", size=len(text), text=text, status=Document.Status.DONE,
            ))
        documents = Document.objects.bulk_create(documents, batch_size=1000)

        SourceLetter.objects.bulk_create([
            SourceLetter(document=doc, position=0, kind=plan[2], framework=plan[1], area=plan[0],
                         area_name_printed=plan[0].name, fingerprint=doc.sha256, span_start=0, span_end=len(doc.text), data={})
            for doc, plan in zip(documents, plans)
        ], batch_size=1000)

        # The analysis pages read what each report states about the next visit, and the publication date where
        # held (every other inspection here); the draws below use no random numbers, so the rest is unchanged.
        inspections = Inspection.objects.bulk_create([
            Inspection(area=area, framework=framework, kind=kind, start_date=start, end_date=start + dt.timedelta(days=4),
                       letter_date=start + dt.timedelta(days=30), outcome=outcome, source_document=doc,
                       span_start=spans[-1][0], span_end=spans[-1][1], lead_inspector="A Inspector",
                       published_date=start + dt.timedelta(days=31) if n % 2 else None,
                       next_inspection_text=NEXT_VISIT.get(outcome, ""),
                       # One in eight held under review, as real uploads are (a quarter of the shared corpus's
                       # documents end "needs review"), so pages that flag unconfirmed facts pay for them.
                       needs_review=n % 8 == 7)
            for n, ((area, framework, kind, start, outcome), doc, (_, spans, _)) in enumerate(zip(plans, documents, letters_text))
        ], batch_size=1000)

        weaknesses = []
        for inspection, doc, (_, spans, topics) in zip(inspections, documents, letters_text):
            weakness_kind = "significant_weakness" if inspection.framework == "2016" else (
                "priority_action" if inspection.outcome == "systemic_failings" else "improvement_area")
            for n, (topic, span) in enumerate(zip(topics, spans), start=1):
                weaknesses.append(SignificantWeakness(
                    inspection=inspection, kind=weakness_kind, number=n, text=f"Weaknesses in {topic}.",
                    source_document=doc, span_start=span[0], span_end=span[1]))
        weaknesses = SignificantWeakness.objects.bulk_create(weaknesses, batch_size=2000)

        wsoa = [i for i in inspections if i.outcome == "wsoa_required"]
        WrittenStatementOfAction.objects.bulk_create([
            WrittenStatementOfAction(inspection=i, required_on=i.letter_date,
                                     fit_for_purpose_on=i.letter_date + dt.timedelta(days=120))
            for i in wsoa
        ], batch_size=1000)
        revisited = [i for n, i in enumerate(wsoa) if n % 5 != 0]  # a fifth still wait for their revisit
        revisits = Revisit.objects.bulk_create([
            Revisit(inspection=i, kind="revisit", start_date=i.start_date + dt.timedelta(days=600 + 30 * (n % 12)),
                    overall=rng.choice(Revisit.Overall.values), source_document=i.source_document, span_start=0, span_end=40)
            for n, i in enumerate(revisited)
        ], batch_size=1000)
        # A monitoring inspection for two in three 2023 inspections with systemic failings, 17 months on.
        systemic = [i for i in inspections if i.outcome == "systemic_failings"]
        revisits += Revisit.objects.bulk_create([
            Revisit(inspection=i, kind="monitoring_inspection", start_date=i.start_date + dt.timedelta(days=520),
                    end_date=i.start_date + dt.timedelta(days=522), overall="", next_steps=NEXT_FULL_AFTER_MONITORING,
                    source_document=i.source_document, span_start=0, span_end=40)
            for n, i in enumerate(systemic) if n % 3
        ], batch_size=1000)
        by_inspection: dict[int, list] = {}
        for w in weaknesses:
            by_inspection.setdefault(w.inspection_id, []).append(w)
        judgements = [
            ProgressJudgement(revisit=r, weakness=w, sufficient_progress=rng.random() < 0.6, text_as_restated=w.text,
                              source_document=r.source_document, span_start=w.span_start, span_end=w.span_end)
            for r in revisits for w in by_inspection.get(r.inspection_id, [])
        ]
        for n, judgement in enumerate(judgements):
            judgement.needs_review = n % 20 == 19  # a weak match of a restated weakness, now and then
        ProgressJudgement.objects.bulk_create(judgements, batch_size=2000)
        # bulk_create sends no signals: derive every area's stored path once, as `manage.py derive_paths` does.
        from inspections.paths.services import area_paths_refresh_all

        area_paths_refresh_all()

    return DatasetSize(len(areas), len(inspections), len(weaknesses), len(revisits), len(judgements), len(documents))


def add_weaknesses(*, total: int) -> int:
    """Grow the weakness table to `total` rows (for the export-memory curve); returns the row count."""
    from inspections.models import Inspection, SignificantWeakness

    have = SignificantWeakness.objects.count()
    if have >= total:
        return have
    from django.db.models import Max

    inspections = list(Inspection.objects.values_list("id", flat=True))
    start = (SignificantWeakness.objects.aggregate(m=Max("number"))["m"] or 0) + 1
    rows, i = [], 0
    while have + len(rows) < total:
        inspection_id = inspections[i % len(inspections)]
        number = start + i // len(inspections)
        rows.append(SignificantWeakness(inspection_id=inspection_id, kind="improvement_area", number=number,
                                        text=f"=Extra weakness {i} about {TOPICS[i % len(TOPICS)]}."))
        i += 1
    SignificantWeakness.objects.bulk_create(rows, batch_size=5000)
    return SignificantWeakness.objects.count()
