"""Realistic variations of the seed letters must give the same facts, or a letter flagged for review — never a
silently different value.

Each mutation is something real letters do: Ofsted's templates changed wording and layout between 2016 and 2022,
councils re-publish letters through Word and web pages, and PDF text extraction adds page furniture, breaks
lines anywhere and keeps typographic characters. The text goes through extract_text() like an upload does.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from inspections.pipeline.classify import classify
from inspections.pipeline.extract import extract_text
from inspections.pipeline.parse import parse_letter
from inspections.pipeline.split import split_letters
from inspections.pipeline.types import NotSendDocument, ParsedLetter
from tests.conftest import SEEDS

SEED_FILES = {p.name[:3]: p for p in SEEDS.glob("*.txt")}
LETTERS = ["000", "001", "002", "004"]  # Ofsted letters (003 is a council's own report: see the secondary tests)


def seed(prefix: str) -> str:
    return SEED_FILES[prefix].read_text(encoding="utf-8")


def parse_all(text: str) -> list[ParsedLetter]:
    """The upload path: bytes -> extract (normalisation) -> split -> classify -> parse."""
    extracted = extract_text(text.encode("utf-8")).text
    return [parse_letter(classify(chunk), extracted) for chunk in split_letters(extracted)]


def fold(value: str) -> str:
    """Text compared without the typography a mutation may change on purpose (quotes, '&', whitespace)."""
    value = value.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace(" & ", " and ")
    return " ".join(value.split())


def facts(p: ParsedLetter) -> dict:
    return {
        "kind": (p.kind, p.framework, p.source_kind),
        "area": fold(p.area_name),
        "dates": (p.start_date, p.end_date),
        "letter_date": p.letter_date,
        "outcome": p.outcome,
        "wsoa_bodies": fold(p.wsoa_bodies),
        "lead": p.lead_inspector,
        "weaknesses": [(w.kind, w.number, fold(w.text)) for w in p.weaknesses],
        "judgements": [(fold(j.weakness_text), j.sufficient_progress) for j in p.judgements],
        "overall": p.overall,
        "initial": (p.initial_letter_published, p.initial_period_text),
        "published": p.published_date,
    }


def assert_same_or_flagged(original: str, mutated: str, *, strict: bool = True) -> None:
    """Every letter of the mutated text has the original's facts; with strict=False a letter whose facts differ
    is accepted only when it carries a review reason the original did not."""
    before, after = parse_all(original), parse_all(mutated)
    assert len(after) == len(before), f"{len(before)} letters became {len(after)}"
    for b, a in zip(before, after, strict=True):
        if facts(a) == facts(b):
            continue
        new_reasons = set(a.review_reasons) - set(b.review_reasons)
        assert not strict and new_reasons, _diff(facts(b), facts(a))


def _diff(b: dict, a: dict) -> str:
    return "; ".join(f"{k}: {b[k]!r} -> {a[k]!r}" for k in b if b[k] != a[k])


# --- mutations ----------------------------------------------------------------------------------------------


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def extra_blank_lines(text: str) -> str:
    return re.sub(r"\n[ \t]*\n", "\n\n\n\n", text)


def non_breaking_spaces(text: str) -> str:
    """Word and web pages put no-break spaces between a number and its month, and after short words."""
    text = re.sub(r"(\d) (January|February|March|April|May|June|July|August|September|October|November|December)", "\\1\u00a0\\2", text)
    return re.sub(r"\b(a|of|to|in|the) ", "\\1\u00a0", text)


def ligatures(text: str) -> str:
    return text.replace("fi", "\ufb01").replace("fl", "\ufb02").replace("ff", "\ufb00")


def curly_quotes(text: str) -> str:
    return text.replace("'", "\u2019")


def straight_quotes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


def zero_width_and_soft_hyphens(text: str) -> str:
    return text.replace("SEND", "SE\u00adND").replace("Ofsted", "Of\u200bsted")


def non_breaking_hyphens(text: str) -> str:
    return text.replace("Stockton-on-Tees", "Stockton\u2011on\u2011Tees").replace("decision-making", "decision\u2011making")


_BULLET_LINE = re.compile(r"^([ \t]*)(?:[-•◼■▪][ \t]+)", re.M)


def bullets(glyph: str):
    def mutate(text: str) -> str:
        return _BULLET_LINE.sub(lambda m: m.group(1) + glyph + " ", text)

    return mutate


def numbered(style: str):
    """'1.' / '1)' / '(a)' / 'a)' numbering instead of bullet glyphs, restarting at each list."""

    def mutate(text: str) -> str:
        out, n = [], 0
        for line in text.split("\n"):
            m = _BULLET_LINE.match(line)
            if m:
                n += 1
                label = style.replace("1", str(n)).replace("a", "abcdefghijklmnopqrstuvwxyz"[n - 1] if n <= 26 else "z")
                line = m.group(1) + label + " " + line[m.end() :]
            elif line.strip() and not line.startswith((" ", "\t")) and n and not _continues(out):
                n = 0
            out.append(line)
        return "\n".join(out)

    return mutate


def _continues(out: list[str]) -> bool:
    """A non-bullet line after a list item is the item's wrapped text unless a blank line came first."""
    return bool(out) and bool(out[-1].strip())


def lowercase_headings(text: str) -> str:
    for heading in ("Main findings", "Main Findings", "Strengths", "Areas for development", "Areas for improvement"):
        text = re.sub(rf"^([ \t]*){heading}([ \t]*)$", lambda m: m.group(1) + heading.lower() + m.group(2), text, flags=re.M)
    return text


def uppercase_title(text: str) -> str:
    return re.sub(
        r"^([ \t]*)(Joint local area SEND (?:inspection|revisit) in .+)$", lambda m: m.group(1) + m.group(2).upper(), text, flags=re.M
    )


def missing_letterhead(text: str) -> str:
    """A council web page that copies the letter from the salutation on (one letter per file)."""
    return text[re.search(r"^[ \t]*Dear\b", text, re.M).start() :]


def page_furniture(furniture: str):
    """A page break inside every third paragraph and inside lists: the PDF's footer/header lines between two
    lines of one sentence."""

    def mutate(text: str) -> str:
        lines = text.split("\n")
        out = []
        in_body = False  # page 1 opens with the letterhead; footers and running headers start below it
        for i, line in enumerate(lines):
            if in_body and i % 3 == 0 and len(line) > 200:
                # A paragraph extracted as one long line: the page ends in the middle of it.
                cut = line.rfind(" ", 0, len(line) // 2)
                out.append(line[:cut] + "\n" + furniture + "\n" + line[cut + 1 :])
                continue
            out.append(line)
            in_body = in_body or bool(re.match(r"[ \t]*Dear\b", line))
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if not in_body:
                continue
            # Mid-sentence: this line does not end a sentence and the next one carries on in lower case.
            if i % 3 == 0 and line.strip() and not line.rstrip().endswith((".", ":")) and re.match(r"\s*[a-z]", nxt):
                out.append(furniture)
        return "\n".join(out)

    return mutate


def page_break_before_bullets(furniture: str):
    """Page furniture between two items of a list (the page ended on an item)."""

    def mutate(text: str) -> str:
        return re.sub(r"\n([ \t]*[◼•-][ \t]+)", lambda m: "\n" + furniture + "\n" + m.group(1), text)

    return mutate


def hyphen_at_line_end(text: str) -> str:
    """Compounds broken after their hyphen, as narrow PDF columns do."""
    for word in ("decision-making", "co-production", "well-being", "Stockton-on-Tees", "neuro-developmental", "self-evaluation"):
        head, _, tail = word.rpartition("-")
        text = text.replace(word, head + "-\n" + tail)
    return text


MUTATIONS = {
    "crlf": crlf,
    "extra-blank-lines": extra_blank_lines,
    "nbsp": non_breaking_spaces,
    "ligatures": ligatures,
    "curly-quotes": curly_quotes,
    "straight-quotes": straight_quotes,
    "zero-width-soft-hyphen": zero_width_and_soft_hyphens,
    "non-breaking-hyphen": non_breaking_hyphens,
    "bullet-square": bullets("■"),
    "bullet-dot": bullets("•"),
    "bullet-disc": bullets("●"),
    "bullet-small-square": bullets("▪"),
    "bullet-dash": bullets("-"),
    "bullet-star": bullets("*"),
    "bullet-wingdings": bullets("\uf0a7"),
    "numbered-dot": numbered("1."),
    "numbered-paren": numbered("1)"),
    "lettered-paren": numbered("(a)"),
    "lowercase-headings": lowercase_headings,
    "footer-page-of": page_furniture("\fPage 2 of 9"),
    "footer-bare-number": page_furniture("\f7"),
    "footer-dashed-number": page_furniture("- 4 -"),
    "footer-crown-copyright": page_furniture("\f© Crown copyright 2018"),
    "footer-website": page_furniture("www.gov.uk/ofsted"),
    "footer-reference-line": page_furniture("\fReference no: 180012"),
    "footer-in-list": page_break_before_bullets("\fPage 3 of 9"),
    "footer-in-list-bare-number": page_break_before_bullets("\f12"),
    "hyphen-at-line-end": hyphen_at_line_end,
}


@pytest.mark.parametrize("prefix", LETTERS)
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_keeps_the_facts(prefix, name):
    _keeps_the_facts(MUTATIONS, prefix, name)


def _keeps_the_facts(mutations, prefix, name):
    original = seed(prefix)
    mutated = mutations[name](original)
    if mutated == original:
        pytest.skip(f"{name} changes nothing in seed {prefix}")
    assert_same_or_flagged(original, mutated)


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_running_title_header_on_every_page(prefix):
    original = seed(prefix)
    title = re.search(r"^[ \t]*(Joint local area SEND (?:inspection|revisit) in .+)$", original, re.M).group(1).strip()
    assert_same_or_flagged(original, page_furniture("\f" + title)(original))


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_uppercase_title_keeps_the_area_name_as_written_in_the_letter(prefix):
    original = seed(prefix)
    assert_same_or_flagged(original, uppercase_title(original))


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_missing_letterhead_loses_only_the_letter_date(prefix):
    original = seed(prefix)
    if prefix == "000":
        original = original[: original.index("Joint local area SEND inspection in Hartlepool") + 3000]
        original = original[: original.rfind("\n")]
    (before,) = parse_all(original) if prefix == "001" else parse_all(original)[:1]
    (after,) = parse_all(missing_letterhead(original))[:1]
    expected = facts(before) | {"letter_date": None}
    assert facts(after) == expected


def test_area_name_with_ampersand():
    original = seed("001")
    mutated = original.replace("SEND revisit in Redcar and Cleveland", "SEND revisit in Redcar & Cleveland")
    (letter,) = parse_all(mutated)
    assert letter.area_name == "Redcar & Cleveland"
    assert not [r for r in letter.review_reasons if "named" in r]  # title and body name the same area
    assert facts(letter) == facts(parse_all(original)[0])


# --- dates as the templates wrote them ---------------------------------------------------------------------

REVISIT_DATES = "Between 22 and 24 November 2021"


@pytest.mark.parametrize(
    "phrase",
    [
        "From 22 November 2021 to 24 November 2021",
        "Between 22 November 2021 and 24 November 2021",
        "Between 22 and 24 November 2021",
        "Between 22nd and 24th November 2021",
        "During 22 to 24 November 2021",
        "On 22–24 November 2021",
        "On 22 – 24 November 2021",
        "On 22—24 November 2021",
        "On 22-24 November 2021",
        "From 22 November to 24 November 2021",
        "Between Monday 22 November and Wednesday 24 November 2021",
        "Between 22 November, 2021 and 24 November, 2021",
        "From\u00a022\u00a0November\u00a02021 to 24\u00a0November\u00a02021",
        "Between 22 and 24 Nov 2021",
    ],
)
def test_inspection_date_wordings(phrase):
    original = seed("001")
    assert REVISIT_DATES in original
    (letter,) = parse_all(original.replace(REVISIT_DATES, phrase))
    assert (letter.start_date, letter.end_date) == (date(2021, 11, 22), date(2021, 11, 24))
    assert not [r for r in letter.review_reasons if "date" in r.lower()]


def test_dates_across_a_year_end():
    original = seed("004")
    (letter,) = parse_all(original.replace("Between 4 February 2019 and 8 February 2019", "Between 28 December 2018 and 1 January 2019"))
    assert (letter.start_date, letter.end_date) == (date(2018, 12, 28), date(2019, 1, 1))


# --- wording of other template years --------------------------------------------------------------------------


def test_2018_template_opening_and_outcome_wording():
    """'the disability and special educational needs reforms', 'Written Statement of Action is required'."""
    original = seed("004")
    mutated = original.replace(
        "to judge the effectiveness of the area in implementing the special educational \nneeds and disability (SEND) reforms",
        "to judge the effectiveness of the area in implementing the disability and special \neducational needs reforms",
    ).replace("has determined that a written statement of action is required", "has determined that a Written Statement of Action (WSOA) is required")
    assert mutated != original
    assert_same_or_flagged(original, mutated)


@pytest.mark.parametrize(
    "sentence, overall",
    [
        ("The area has made sufficient progress in addressing all four of the significant weaknesses identified at the initial inspection.", "sufficient_all"),
        ("The area has made sufficient progress in addressing all of the significant weaknesses identified at the initial inspection.", "sufficient_all"),
        ("The area has made sufficient progress in addressing 4 of the 4 significant weaknesses identified at the initial inspection.", "sufficient_all"),
        ("The area has made sufficient progress in addressing four of the four significant weaknesses identified at the initial inspection.", "sufficient_all"),
        ("The local area has made sufficient progress in addressing each of the significant weaknesses identified at the initial inspection.", "sufficient_all"),
    ],
)
def test_revisit_overall_sentence_wordings(sentence, overall):
    original = seed("001")
    old = "The area has made sufficient progress in addressing all four of the significant weaknesses identified at the initial inspection."
    assert old in original
    (letter,) = parse_all(original.replace(old, sentence))
    assert letter.overall == overall
    assert not [r for r in letter.review_reasons if "overall" in r.lower()]


def test_revisit_with_some_weaknesses_not_addressed_is_counted_from_the_letter():
    original = seed("001")
    mutated = original.replace(
        "The area has made sufficient progress in addressing all four of the significant weaknesses",
        "The area has made sufficient progress in addressing two of the four significant weaknesses",
    )
    # Two judgements turned round: the letter's own count and its judgements agree again.
    parts = mutated.split("The area has made sufficient progress in addressing this area of significant weakness")
    assert len(parts) == 5
    mutated = (
        parts[0]
        + "The area has made sufficient progress in addressing this area of significant weakness"
        + parts[1]
        + "The area has not made sufficient progress in addressing this area of significant weakness"
        + parts[2]
        + "The area has made sufficient progress in addressing this area of significant weakness"
        + parts[3]
        + "The area has not made sufficient progress in addressing this area of significant weakness"
        + parts[4]
    ).replace("As the area has made sufficient progress in addressing all the significant weaknesses, ", "")
    (letter,) = parse_all(mutated)
    assert [j.sufficient_progress for j in letter.judgements] == [True, False, True, False]
    assert letter.overall == "sufficient_some"
    assert not [r for r in letter.review_reasons if "states sufficient progress" in r]


def test_revisit_count_contradicting_its_judgements_is_flagged_not_guessed():
    original = seed("001")
    mutated = original.replace(
        "The area has made sufficient progress in addressing all four of the significant weaknesses",
        "The area has made sufficient progress in addressing three of the four significant weaknesses",
    )
    (letter,) = parse_all(mutated)
    assert letter.review_reasons


# --- several letters in one file -------------------------------------------------------------------------------


@pytest.mark.parametrize("joiner", ["\n\n", "\n\f", "\n\fPage 1 of 1\n"])
def test_two_different_letters_in_one_file(joiner):
    first, second = seed("001"), seed("004")
    combined = parse_all(first + joiner + second)
    assert [facts(p) for p in combined] == [facts(p) for p in parse_all(first) + parse_all(second)]


# --- documents that are not letters ----------------------------------------------------------------------------

SCHOOL_REPORT = """Inspection of Anytown Primary School
Inspection dates: 12 and 13 March 2019

What is it like to attend this school?
Pupils with special educational needs and/or disabilities (SEND) are well supported. The local area SEND
inspection in 2018 found that the local authority's support for schools was improving.
Headteacher: Ms A Person
Unique reference number 123456
"""

JTAI_LETTER = """Joint targeted area inspection of the multi-agency response to children's mental health in Anytown
Between 4 and 8 June 2018, Ofsted, the Care Quality Commission (CQC), HMI Constabulary and Fire & Rescue Services
and HMI Probation carried out a joint inspection. The joint local area SEND inspection in 2017 required a written
statement of action; that inspection is not the subject of this letter.
"""

COMMITTEE_MENTION = """Anytown Borough Council
Report to: Children's Services Overview and Scrutiny Committee
Date: 4 July 2019
Agenda item 6: Work programme

1. Recommendations
1.1 That the Committee notes the work programme.
2. Background
2.1 The Committee will receive a report on the local area SEND inspection when Ofsted and the CQC publish
their findings. The inspection took place between 10 and 14 June 2019.
"""


@pytest.mark.parametrize("text", [SCHOOL_REPORT, JTAI_LETTER, COMMITTEE_MENTION], ids=["school", "jtai", "committee-mention"])
def test_documents_that_only_mention_a_send_inspection_are_rejected(text):
    with pytest.raises(NotSendDocument):
        parse_all(text)


def test_council_report_with_outcome_facts_is_secondary_not_a_letter():
    (letter,) = parse_all(seed("003"))
    assert letter.source_kind == "secondary" and letter.review_reasons


@pytest.mark.parametrize("name", ["crlf", "ligatures", "nbsp", "footer-page-of", "extra-blank-lines"])
def test_council_report_stays_secondary_under_mutations(name):
    original = seed("003")
    (before,) = parse_all(original)
    (after,) = parse_all(MUTATIONS[name](original))
    assert after.source_kind == "secondary" and after.review_reasons
    assert facts(after) == facts(before)


# --- 2023-framework reports (shared corpus, read only) ----------------------------------------------------------

from tests.conftest import SHARED  # noqa: E402

REPORTS_2023 = sorted((SHARED / "corpus" / "reports-2023").glob("*.pdf")) if SHARED.is_dir() else []


def report_facts(p: ParsedLetter) -> dict:
    return facts(p) | {
        "previous": (p.previous_start_date, p.previous_end_date),
        "next": {k: v for k, v in p.findings.items() if k.startswith(("next_", "monitoring_"))},
        "team": [(m["name"], m["organisation"]) for m in p.inspection_team],
        "bodies": [fold(w.responsible_bodies) for w in p.weaknesses],
    }


def report_furniture(text: str) -> str:
    """Another publisher's page furniture between lines all through a report, lists and sentences included."""
    lines = text.split("\n")
    furniture = ["\fPage 3 of 9", "www.gov.uk/ofsted", "Reference no: 80501", "\f12", "© Crown copyright 2024"]
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i > 12 and i % 11 == 0:
            out.append(furniture[(i // 11) % len(furniture)])
    return "\n".join(out)


MUTATIONS["report-furniture"] = report_furniture
# Not "hyphen-at-line-end": it breaks a line without re-flowing the paragraph, and a 2023 report's list items are
# told apart by where lines end (a short line ending a sentence is a paragraph break), so it makes another layout.
# Real line-end hyphens are in the reports already (PDFium marks them; see RECIPES.md).
REPORT_MUTATIONS = [
    "crlf", "nbsp", "ligatures", "extra-blank-lines", "zero-width-soft-hyphen", "curly-quotes", "report-furniture", "cr-only",
]


@pytest.mark.shared
@pytest.mark.parametrize("name", REPORT_MUTATIONS)
@pytest.mark.parametrize("path", REPORTS_2023[::4], ids=lambda p: p.stem)
def test_2023_report_mutation_keeps_the_facts(path, name):
    text = extract_text(path.read_bytes()).text
    before = [parse_letter(classify(c), text) for c in split_letters(text)]
    after = parse_all(MUTATIONS[name](text))
    assert len(after) == len(before) == 1
    if report_facts(after[0]) != report_facts(before[0]):
        assert set(after[0].review_reasons) - set(before[0].review_reasons), _diff(report_facts(before[0]), report_facts(after[0]))


@pytest.mark.shared
def test_2023_report_and_2016_letter_in_one_file_keep_their_facts():
    report = extract_text(REPORTS_2023[0].read_bytes()).text
    letter = seed("004")
    combined = parse_all(report + "\n\f" + letter)
    assert [p.framework for p in combined] == ["2023", "2016"]
    assert report_facts(combined[0]) == report_facts(parse_all(report)[0])
    assert facts(combined[1]) == facts(parse_all(letter)[0])


INTERIM_VISIT = """Interim visit to Anytown local area

Dear Ms Person

Between 2 and 4 November 2020, Ofsted and the Care Quality Commission (CQC) carried out an interim visit to the
local area to understand the impact of the COVID-19 pandemic on children and young people with special educational
needs and/or disabilities (SEND). This was not an inspection. The written statement of action remains in place.
"""

NATIONAL_REPORT = """Local area SEND inspections: one year on

Age group: 0-25 Published: October 2017 Reference no: 170041

Ofsted and the Care Quality Commission (CQC) inspected local areas. Recommendations for local areas follow. In
the local areas required to produce a written statement of action, inspectors found significant weaknesses.
The Committee on SEND reform and the Cabinet Office were consulted.
"""


@pytest.mark.parametrize("text, reason", [(INTERIM_VISIT, "interim"), (NATIONAL_REPORT, "national")], ids=["interim-visit", "national-report"])
def test_other_ofsted_send_documents_are_rejected_with_their_kind(text, reason):
    with pytest.raises(NotSendDocument) as exc:
        parse_all(text)
    assert reason in exc.value.message


@pytest.mark.parametrize(
    "old, new",
    [
        ("At the initial inspection, inspectors found the following:", "At the time of the initial inspection, inspectors found that:"),
        ("At the initial inspection, inspectors found the following:", "The initial inspection found that:"),
    ],
)
def test_revisit_restated_weakness_intro_wordings(old, new):
    original = seed("001")
    (letter,) = parse_all(original.replace(old, new))
    assert facts(letter) == facts(parse_all(original)[0])


@pytest.mark.parametrize(
    "old, new",
    [
        ("tackle the following areas of significant \nweakness:", "tackle the following areas of significant \nconcern:"),
        ("has determined that a written statement of action is required", "has determined that a Written Statement of Action will be required"),
        (
            "has determined that a written statement of action is required",
            "has determined that the local area is required to produce and submit a Written Statement of Action",
        ),
    ],
)
def test_initial_outcome_and_list_wordings(old, new):
    original = seed("004")
    assert old in original
    (letter,) = parse_all(original.replace(old, new))
    assert facts(letter) == facts(parse_all(original)[0])


# --- 2023-framework monitoring inspections (no published sample yet: the synthetic report of test_parse_2023) ---

from tests.pipeline.test_parse_2023 import MONITORING  # noqa: E402


def monitoring_facts(p: ParsedLetter) -> dict:
    return {
        "kind": p.kind,
        "area": p.area_name,
        "dates": (p.start_date, p.end_date, p.previous_start_date, p.previous_end_date),
        "judgements": [(j.number, fold(j.weakness_text), j.sufficient_progress) for j in p.judgements],
        "overall": p.overall,
        "lead": p.lead_inspector,
    }


MONITORING_FOOTER = "\fArea SEND monitoring inspection report: Exampleshire Local Area Partnership,\n2 to 4 December 2026 3"


@pytest.mark.parametrize(
    "mutate",
    [
        crlf,
        non_breaking_spaces,
        ligatures,
        extra_blank_lines,
        curly_quotes,
        lambda t: t.replace("Areas for priority action\n", "Areas for priority action\n" + MONITORING_FOOTER + "\n"),
        lambda t: t.replace("for EHC needs assessments.\n", "for EHC needs\n" + MONITORING_FOOTER + "\nassessments.\n"),
    ],
    ids=["crlf", "nbsp", "ligatures", "blank-lines", "curly-quotes", "footer-before-list", "footer-mid-sentence"],
)
def test_monitoring_report_mutation_keeps_the_facts(mutate):
    (before,) = parse_all(MONITORING)
    (after,) = parse_all(mutate(MONITORING))
    assert monitoring_facts(after) == monitoring_facts(before)
    assert [j.sufficient_progress for j in before.judgements] == [True, False]


@pytest.mark.parametrize(
    "verdict, expected",
    [
        ("The local area partnership has made insufficient progress in addressing this area for priority action.", False),
        ("The local area partnership has made limited progress in addressing this area for priority action.", False),
        ("Leaders have not made sufficient progress in addressing this area for priority action.", False),
        ("The partnership has made sufficient progress in addressing this area for priority action.", True),
    ],
)
def test_monitoring_verdict_wordings(verdict, expected):
    text = MONITORING.replace(
        "The local area partnership has made sufficient progress in addressing this area for priority action.", verdict
    )
    (letter,) = parse_all(text)
    assert letter.judgements[0].sufficient_progress is expected


def test_monitoring_verdict_without_a_judgement_word_is_flagged_not_guessed():
    text = MONITORING.replace(
        "The local area partnership has made sufficient progress in addressing this area for priority action.",
        "The local area partnership has made progress in addressing this area for priority action.",
    )
    (letter,) = parse_all(text)
    assert letter.judgements[0].sufficient_progress is None
    assert any("progress judgement could not be read" in r for r in letter.review_reasons)


COUNCIL_QUOTING = """Anytown Borough Council
Report to: Children's Services Overview and Scrutiny Committee
Date: 4 July 2018
Agenda item 6
{title}
1. Recommendations
1.1 That the Committee notes the outcome of the inspection.
2. Background
2.1 {opening}
2.2 The inspection found significant weaknesses and a Written Statement of Action is required. Officers will report
progress to the Committee.
"""
OPENINGS = {
    "initial": "Between 12 and 16 March 2018, Ofsted and the Care Quality Commission (CQC) conducted a joint inspection of the "
    "local area of Anytown to judge the effectiveness of the area in implementing the disability and special "
    "educational needs reforms.",
    "revisit": "Between 22 and 24 March 2022, Ofsted and the CQC revisited the area of Anytown to decide whether sufficient "
    "progress has been made in addressing each of the areas of significant weakness. The area has made sufficient "
    "progress in addressing two of the four significant weaknesses.",
}


@pytest.mark.parametrize("title", ["", "\nJoint local area SEND inspection in Anytown\n", "\nJoint local area SEND revisit in Anytown\n"])
@pytest.mark.parametrize("opening", sorted(OPENINGS))
def test_council_report_quoting_a_letter_is_secondary_never_a_letter(opening, title):
    """A committee report that copies the letter's title or opening sentence into its own prose, with no letter
    (no salutation, no sign-off) inside."""
    text = COUNCIL_QUOTING.format(title=title, opening=OPENINGS[opening])
    letters = parse_all(text)
    assert letters and all(p.source_kind == "secondary" and p.review_reasons for p in letters)


# --- more of what unseen letters do (dates, area wording, list markers, capitals, old line ends) -----------------


@pytest.mark.parametrize(
    "phrase, start, end",
    [
        ("Between 28 November and 2 December 2016", date(2016, 11, 28), date(2016, 12, 2)),
        ("Between 28 November 2016 – 2 December 2016", date(2016, 11, 28), date(2016, 12, 2)),
        ("From 28 November 2016—2 December 2016", date(2016, 11, 28), date(2016, 12, 2)),
        ("Between 29 December 2021 and 2 January 2022", date(2021, 12, 29), date(2022, 1, 2)),
        ("Between 3rd and 7th October 2016", date(2016, 10, 3), date(2016, 10, 7)),
        ("Between 3 Oct and 7 Oct 2016", date(2016, 10, 3), date(2016, 10, 7)),
        ("Between 3 Sept. and 7 Sept. 2016", date(2016, 9, 3), date(2016, 9, 7)),
        ("Between October 3 and October 7, 2016", date(2016, 10, 3), date(2016, 10, 7)),
        ("Between October 3rd and 7th, 2016", date(2016, 10, 3), date(2016, 10, 7)),
        ("Between November 28 and December 2, 2016", date(2016, 11, 28), date(2016, 12, 2)),
        ("Between 22 and 24 NOVEMBER 2021", date(2021, 11, 22), date(2021, 11, 24)),
    ],
)
def test_more_inspection_date_wordings(phrase, start, end):
    original = seed("001")
    (letter,) = parse_all(original.replace(REVISIT_DATES, phrase))
    assert (letter.start_date, letter.end_date) == (start, end)
    assert not [r for r in letter.review_reasons if "date" in r.lower()]


@pytest.mark.parametrize(
    "written, expected",
    [
        ("7th January 2022", date(2022, 1, 7)),
        ("7 Jan 2022", date(2022, 1, 7)),
        ("January 7, 2022", date(2022, 1, 7)),
        ("January 7th 2022", date(2022, 1, 7)),
        ("Friday 7 January 2022", date(2022, 1, 7)),
        ("Date: 7 January 2022", date(2022, 1, 7)),
        # Numeric dates are read day first, the UK order of these English publications; never a 13th month.
        ("07/01/2022", date(2022, 1, 7)),
        ("09/06/2022", date(2022, 6, 9)),
        ("9.6.2022", date(2022, 6, 9)),
        ("01/13/2022", None),
    ],
)
def test_letter_date_wordings(written, expected):
    original = seed("001")
    assert "\n7 January 2022\n" in original
    (letter,) = parse_all(original.replace("\n7 January 2022\n", f"\n{written}\n"))
    assert letter.letter_date == expected
    assert facts(letter) | {"letter_date": None} == facts(parse_all(original)[0]) | {"letter_date": None}


@pytest.mark.parametrize(
    "old, new",
    [
        ("conducted a joint inspection of the local area of Stockton-on-", "conducted a joint inspection of the Stockton-on-"),
    ],
)
def test_area_named_before_local_area(old, new):
    """'the X local area' instead of 'the local area of X': the title still names the area."""
    original = seed("004")
    assert old in original
    mutated = original.replace(old, new).replace("Tees to judge", "Tees local area to judge", 1)
    (letter,) = parse_all(mutated)
    assert facts(letter) == facts(parse_all(original)[0])


def uppercase_headings(text: str) -> str:
    for heading in ("Main findings", "Main Findings", "Strengths", "Areas for development", "Areas for improvement"):
        text = re.sub(rf"^([ \t]*){heading}([ \t]*)$", lambda m: m.group(1) + heading.upper() + m.group(2), text, flags=re.M)
    return text


def cr_only(text: str) -> str:
    """Classic Mac OS line ends."""
    return text.replace("\n", "\r")


def tab_after_bullet(text: str) -> str:
    """Word's 'save as plain text': the list glyph, then a tab."""
    return _BULLET_LINE.sub(lambda m: m.group(1) + "•\t", text)


MUTATIONS["cr-only"] = cr_only
MORE_MUTATIONS = {
    "numbered-both-parens": numbered("(1)"),
    "lettered-close-paren": numbered("a)"),
    "bullet-black-square": bullets("◼"),
    "bullet-en-dash": bullets("–"),
    "bullet-tab": tab_after_bullet,
    "uppercase-headings": uppercase_headings,
    "cr-only": cr_only,
    "footer-page-of-crlf": lambda t: crlf(page_furniture("\fPage 2 of 9")(t)),
    "footer-ofsted-url-in-list": page_break_before_bullets("www.gov.uk/ofsted"),
    "footer-reference-in-list": page_break_before_bullets("\fReference no: 80501"),
}


@pytest.mark.parametrize("prefix", LETTERS)
@pytest.mark.parametrize("name", sorted(MORE_MUTATIONS))
def test_more_mutations_keep_the_facts(prefix, name):
    _keeps_the_facts(MORE_MUTATIONS, prefix, name)


# --- 2023 lists whose layout leaves a doubt: flagged, never silently split or joined ------------------------------

from tests.pipeline.test_parse_2023 import SYNTHETIC  # noqa: E402

SYNTHETIC_AREAS = SYNTHETIC[SYNTHETIC.index("Areas for improvement\nAreas") : SYNTHETIC.index("Local area partnership details")]


def _with_areas(areas: str) -> ParsedLetter:
    (letter,) = parse_all(SYNTHETIC.replace(SYNTHETIC_AREAS, "Areas for improvement\n" + areas))
    return letter


def test_2023_bulleted_items_with_sub_points_in_another_glyph():
    letter = _with_areas(
        "• Leaders should improve EHC plans. This includes:\n– advice from health; and\n– reviews on time.\n"
        "• The local area partnership should work with schools.\n"
    )
    areas = [w.text for w in letter.weaknesses if w.kind == "improvement_area"]
    assert areas == [
        "Leaders should improve EHC plans. This includes: • advice from health; and • reviews on time.",
        "The local area partnership should work with schools.",
    ]
    assert not [r for r in letter.review_reasons if "improvement" in r]


def test_2023_sub_points_in_the_same_glyph_are_flagged():
    letter = _with_areas(
        "• Leaders should improve EHC plans. This includes:\n• advice from health; and\n• reviews on time.\n"
        "• The local area partnership should work with schools.\n"
    )
    assert any("ends with a colon" in r for r in letter.review_reasons)


def test_2023_paragraph_referring_back_is_flagged():
    letter = _with_areas(
        "Leaders across the partnership should improve the quality of EHC plans so that they are\n"
        "precise.\n"
        "They should also make sure that the annual reviews of the plans happen on time, every time.\n"
        "The local area partnership should strengthen its work with schools to reduce suspensions.\n"
    )
    # The short line before 'They' ends a paragraph; whether that paragraph is an item of its own is not certain.
    assert any("referring back" in r for r in letter.review_reasons)


def test_2023_unnumbered_paragraph_after_numbered_items_from_a_web_page_is_flagged():
    page = (
        "<html><body><h1>Area SEND inspection of Exampleshire Local Area Partnership</h1>"
        "<p>Inspection dates: 28 April to 2 May 2025</p><p>Date of previous inspection: Not previously inspected</p>"
        "<h2>Inspection outcome</h2><p>" + " ".join(SYNTHETIC.split("Inspection outcome\n")[1].split("Information about")[0].split()) + "</p>"
        "<h2>Areas for improvement</h2><table><tr><th>Areas for improvement</th></tr><tr><td>"
        "<p>1. Leaders across the partnership should improve the quality of EHC plans so that they reflect the current needs of children and young people in the area.</p>"
        "<p>2. Leaders across the partnership should improve the timeliness of EHC needs assessments so that children and young people receive support sooner.</p>"
        "</td></tr><tr><td><p>Leaders across the partnership should strengthen their work with schools to reduce the suspensions of children and young people with SEND.</p>"
        "</td></tr></table><h2>Inspection team</h2><p>Ann Example, Ofsted HMI Lead inspector</p></body></html>"
    )
    (letter,) = parse_all_bytes(page.encode())
    assert any("unnumbered paragraph" in r for r in letter.review_reasons)


def parse_all_bytes(data: bytes) -> list[ParsedLetter]:
    extracted = extract_text(data).text
    return [parse_letter(classify(chunk), extracted) for chunk in split_letters(extracted)]
