"""The same letter as plain text, PDF, DOCX and HTML yields the same parsed facts.

The variants in tests/fixtures/variants/ are generated from the seed texts by make_variants.py (committed output).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inspections.pipeline.classify import classify
from inspections.pipeline.extract import DOCX, HTML, PDF, extract_text
from inspections.pipeline.parse import parse_letter
from inspections.pipeline.split import split_letters
from tests.conftest import FIXTURES, SEEDS

VARIANTS = FIXTURES / "variants"
# Every seed kind: three initial letters in one file (000), a revisit letter (001), a council committee report with
# the letter as an appendix (002), a council executive report summarising a revisit (003, a secondary source), an
# initial letter (004).
LETTERS = [
    "000_30b352e54e3c96f7", "001_3cc412fc11709ace", "002_1a880b05da5a12dc", "003_64ea2d33c3f63492", "004_88fbfc01210d008c",
]
FORMATS = {"pdf": PDF, "docx": DOCX, "html": HTML}


def variant_path(letter: str, fmt: str) -> Path:
    """001 and 004 sit in variants/ (tests/ingest reads every file there); the other kinds in variants/kinds/."""
    path = VARIANTS / f"{letter}.{fmt}"
    return path if path.is_file() else VARIANTS / "kinds" / f"{letter}.{fmt}"


def facts(path: Path) -> list[dict]:
    """Everything a parser reads from a file, without the spans (offsets differ between formats by nature)."""
    text = extract_text(path.read_bytes()).text
    out = []
    for chunk in split_letters(text):
        p = parse_letter(classify(chunk), text)
        out.append(
            {
                "kind": p.kind, "framework": p.framework, "source_kind": p.source_kind, "area": p.area_name,
                "dates": (p.start_date, p.end_date), "letter_date": p.letter_date, "outcome": p.outcome,
                "wsoa_bodies": p.wsoa_bodies, "lead": p.lead_inspector,
                "weaknesses": [(w.kind, w.number, w.text) for w in p.weaknesses],
                "judgements": [(j.weakness_text, j.sufficient_progress) for j in p.judgements],
                "overall": p.overall, "initial": (p.initial_letter_published, p.initial_period_text),
                "published": p.published_date, "next_steps": p.next_steps,
                "review": p.review_reasons,
            }
        )
    return out


@pytest.mark.parametrize("letter", LETTERS)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_gives_the_facts_of_the_text(letter, fmt):
    path = variant_path(letter, fmt)
    assert extract_text(path.read_bytes()).content_type == FORMATS[fmt]
    expected = facts(SEEDS / f"{letter}.txt")
    assert expected and all(e["weaknesses"] or e["judgements"] for e in expected)
    assert facts(path) == expected


def test_the_pdf_variant_really_breaks_pages_inside_the_letter():
    text = extract_text((VARIANTS / "004_88fbfc01210d008c.pdf").read_bytes()).text
    assert text.count("\f") >= 2  # several pages, each with a page-number footer the parser must ignore
