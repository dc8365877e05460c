"""Real 2023-framework reports re-published as Word files, web pages and plain text give the facts of the PDF and of the labels.

Each of the shared reports (../shared/corpus/reports-2023/*.pdf) is rebuilt in memory in two layouts (see
report_variants.py) as DOCX, HTML and plain text. Every variant must give the labelled outcome, dates, previous inspection,
next inspections, each priority action (and its responsible bodies), each area for improvement and the team, and no
review reason the PDF did not have.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

import pytest

from inspections.pipeline.classify import classify
from inspections.pipeline.extract import DOCX, HTML, TEXT, extract_text
from inspections.pipeline.parse import parse_letter
from inspections.pipeline.split import split_letters
from inspections.pipeline.types import ParsedLetter
from tests.conftest import SHARED
from tests.pipeline import report_variants as rv

REPORTS = SHARED / "corpus" / "reports-2023"
LABELS_FILE = SHARED / "corpus" / "labels" / "reports-2023.jsonl"
LABELS = (
    {d["file"]: d for d in map(json.loads, LABELS_FILE.read_text(encoding="utf-8").splitlines()) if d.get("file")}
    if LABELS_FILE.is_file()
    else {}
)
OUTCOMES = {1: "positive", 2: "inconsistent", 3: "systemic_failings"}


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def parse(data: bytes) -> tuple[str, list[ParsedLetter]]:
    extracted = extract_text(data)
    text = extracted.text
    return extracted.content_type, [parse_letter(classify(chunk), text) for chunk in split_letters(text)]


def facts(p: ParsedLetter) -> dict:
    return {
        "kind": p.kind,
        "area": p.area_name,
        "outcome": p.outcome,
        "dates": (p.start_date, p.end_date),
        "previous": (p.previous_start_date, p.previous_end_date),
        "next": {k: v for k, v in p.findings.items() if k.startswith(("next_", "monitoring_"))},
        "priority": [(w.number, _norm(w.text), _norm(w.responsible_bodies)) for w in p.weaknesses if w.kind == "priority_action"],
        "improvement": [(w.number, _norm(w.text)) for w in p.weaknesses if w.kind == "improvement_area"],
        "team": sorted((m["name"], m["organisation"]) for m in p.inspection_team),  # a table's reading order varies
        "lead": sorted(p.findings.get("lead_inspectors", [])),
    }


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def label_facts(label: dict) -> dict:
    iso = _iso
    return {
        "outcome": OUTCOMES[label["outcome"]],
        "dates": (iso(label["inspection_start"]), iso(label["inspection_end"])),
        "previous": (iso(label["previous_inspection_start"]), iso(label["previous_inspection_end"])),
        "next_full_inspection_within_years": label["next_full_inspection_within_years"],
        "priority": [
            (n, _norm(t), _norm(b))
            for n, (t, b) in enumerate(zip(label["priority_actions"], label["priority_action_responsible_bodies"], strict=True), 1)
        ],
        "improvement": [(n, _norm(t)) for n, t in enumerate(label["improvement_areas"], 1)],
        "team": sorted((m["name"], m["organisation"]) for m in label["inspection_team"]),
    }


@lru_cache(maxsize=None)
def pdf_result(name: str):
    pdf = (REPORTS / name).read_bytes()
    _, (letter,) = parse(pdf)
    return pdf, letter


NAMES = sorted(LABELS) if LABELS else []


@pytest.mark.shared
@pytest.mark.parametrize("layout", rv.LAYOUTS)
@pytest.mark.parametrize("name", NAMES, ids=lambda n: n.removesuffix(".pdf"))
def test_report_as_docx_html_and_text_gives_the_pdf_facts(name, layout):
    label = LABELS[name]
    pdf, from_pdf = pdf_result(name)
    expected = facts(from_pdf)
    labelled = label_facts(label)
    # The PDF itself agrees with the labels (evaluate_extraction checks the rest).
    assert {k: expected[k] for k in ("outcome", "dates", "previous", "priority", "improvement", "team")} == {
        k: labelled[k] for k in ("outcome", "dates", "previous", "priority", "improvement", "team")
    }
    report = rv.build(pdf, label)
    ordered = NAMES.index(name) % 2 == 1  # half the lists numbered (<ol>, List Number), half bulleted
    variants = (
        (HTML, rv.to_html(report, layout, ordered)),
        (DOCX, rv.to_docx(report, layout, ordered)),
        (TEXT, rv.to_text(report, layout, ordered)),
    )
    for content_type, data in variants:
        got_type, letters = parse(data)
        assert got_type == content_type
        assert len(letters) == 1, f"{content_type}: {len(letters)} letters"
        got = facts(letters[0])
        diff = {k: (expected[k], got[k]) for k in expected if expected[k] != got[k]}
        assert not diff, f"{content_type} {layout}: {diff}"
        new_reasons = set(letters[0].review_reasons) - set(from_pdf.review_reasons)
        assert not new_reasons, f"{content_type} {layout}: {new_reasons}"


@pytest.mark.shared
@pytest.mark.parametrize("name", NAMES, ids=lambda n: n.removesuffix(".pdf"))
def test_report_republished_as_another_pdf_gives_the_pdf_facts(name):
    """The report printed to PDF by another producer (a council's Word copy): other fonts and line widths, 'Page N of
    M' footers and the title as a running header inside the lists, '•' items with '–' sub-points. One layout per
    report, alternating (making a PDF is the slow part)."""
    pdf, from_pdf = pdf_result(name)
    index = NAMES.index(name)
    data = rv.to_pdf(rv.build(pdf, LABELS[name]), rv.LAYOUTS[index % 2], ordered=index % 4 == 1)
    _, letters = parse(data)
    assert len(letters) == 1
    got, expected = facts(letters[0]), facts(from_pdf)
    assert not {k: (expected[k], got[k]) for k in expected if expected[k] != got[k]}
    assert not set(letters[0].review_reasons) - set(from_pdf.review_reasons)


# --- monitoring inspections (no published sample yet: the synthetic report of test_parse_2023) -------------------

from tests.pipeline.test_parse_2023 import MONITORING  # noqa: E402

MONITORING_BLOCKS = [
    ("h1", "Area SEND monitoring inspection of Exampleshire Local Area Partnership"),
    ("p", "Inspection dates: 2 to 4 December 2026"),
    ("p", "Date of previous inspection: 28 April to 2 May 2025"),
    ("h2", "Monitoring inspection outcome"),
    ("p", " ".join(MONITORING.split("Monitoring inspection outcome\n")[1].split("Areas for priority action")[0].split())),
    ("h2", "Areas for priority action"),
    ("h3", "Area for priority action 1"),
    ("p", "Leaders across the partnership should urgently reduce the time families wait for EHC needs assessments."),
    ("h4", "Progress"),
    ("p", "The local area partnership has made sufficient progress in addressing this area for priority action."),
    ("p", "Assessments are now completed within 20 weeks."),
    ("h3", "Area for priority action 2"),
    ("p", "Health leaders must address the current waiting times for speech and language therapy."),
    ("h4", "Progress"),
    ("p", "The local area partnership has not made sufficient progress in addressing this area for priority action."),
    ("h2", "Inspection team"),
    ("tr", "Ofsted\tCare Quality Commission"),
    ("tr", "Ann Example, Ofsted HMI Lead inspector\tBob Sample, CQC Lead inspector"),
]


def _monitoring_html() -> bytes:
    parts = []
    rows = [b for k, b in MONITORING_BLOCKS if k == "tr"]
    for kind, text in MONITORING_BLOCKS:
        if kind != "tr":
            parts.append(f"<{kind}>{text}</{kind}>")
    table = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r.split("\t")) + "</tr>" for r in rows)
    return f"<!DOCTYPE html><html><body><header>Ofsted reports</header><main>{''.join(parts)}<table>{table}</table></main></body></html>".encode()


def _monitoring_docx() -> bytes:
    import io

    import docx

    document = docx.Document()
    rows = [b.split("\t") for k, b in MONITORING_BLOCKS if k == "tr"]
    for kind, text in MONITORING_BLOCKS:
        if kind.startswith("h"):
            document.add_heading(text, level=int(kind[1]))
        elif kind == "p":
            document.add_paragraph(text)
    table = document.add_table(rows=len(rows), cols=2)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("make", [_monitoring_html, _monitoring_docx], ids=["html", "docx"])
def test_monitoring_report_as_html_and_docx(make):
    from tests.pipeline.test_variations import monitoring_facts

    (expected,) = parse(MONITORING.encode())[1]
    (got,) = parse(make())[1]
    assert monitoring_facts(got) == monitoring_facts(expected)
    assert got.review_reasons == expected.review_reasons == []
