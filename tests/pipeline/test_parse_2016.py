"""2016-framework parsing (split -> classify -> parse, no Django): every fact in the seed labels, fact by
fact, plus variants built from the seed text (footers inside lists, other bullets, CRLF, missing letterhead,
numbered and unmarked lists, revisits with insufficient progress)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from inspections.pipeline.classify import classify
from inspections.pipeline.parse import parse_letter
from inspections.pipeline.parse.common import clean_fragment, find_date_range, fingerprint, normalise_ws
from inspections.pipeline.split import split_letters
from inspections.pipeline.types import ParsedLetter
from tests.conftest import SEEDS

LABELS = json.loads((SEEDS / "labels.json").read_text())["files"]


def seed(name_prefix: str) -> str:
    return next(SEEDS.glob(f"{name_prefix}*.txt")).read_text(encoding="utf-8")


def run(text: str) -> list[ParsedLetter]:
    return [parse_letter(classify(chunk), text) for chunk in split_letters(text)]


def distinct(letters: list[ParsedLetter], text: str) -> list[ParsedLetter]:
    """Exact repeats (same normalised chunk text) counted once, as the writer does by fingerprint."""
    seen, out = set(), []
    for letter in letters:
        key = fingerprint(text[letter.span.start : letter.span.end])
        if key not in seen:
            seen.add(key)
            out.append(letter)
    return out


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _overall_label(letter: ParsedLetter) -> str:
    sufficient = sum(1 for j in letter.judgements if j.sufficient_progress)
    word = {"sufficient_all": "all", "sufficient_some": "some", "sufficient_none": "none"}[letter.overall]
    return f"sufficient progress in {word} {sufficient} of {len(letter.judgements)}"


LABELLED_LETTERS = [
    pytest.param(entry["file"], index, label, id=f"{entry['file'][:3]}-{label['area']}-{label['kind']}")
    for entry in LABELS
    for index, label in enumerate(entry["letters"])
]


@pytest.fixture(scope="module")
def parsed_seeds() -> dict[str, tuple[str, list[ParsedLetter]]]:
    out = {}
    for entry in LABELS:
        text = (SEEDS / entry["file"]).read_text(encoding="utf-8")
        out[entry["file"]] = (text, run(text))
    return out


def test_each_seed_yields_exactly_its_labelled_letters(parsed_seeds):
    for entry in LABELS:
        text, letters = parsed_seeds[entry["file"]]
        got = [(p.area_name, p.kind, iso(p.start_date)) for p in distinct(letters, text)]
        want = [(lab["area"], lab["kind"], lab["start_date"]) for lab in entry["letters"]]
        assert got == want, entry["file"]


@pytest.mark.parametrize("file, index, label", LABELLED_LETTERS)
def test_every_labelled_fact(parsed_seeds, file, index, label):
    text, letters = parsed_seeds[file]
    letter = distinct(letters, text)[index]
    assert letter.kind == label["kind"]
    assert letter.framework == label["framework"]
    assert letter.source_kind == label.get("source", "letter")
    assert letter.area_name == label["area"]
    assert iso(letter.letter_date) == label["letter_date"]
    assert iso(letter.start_date) == label["start_date"]
    assert iso(letter.end_date) == label["end_date"]
    assert letter.lead_inspector == label["lead_inspector"]
    if "wsoa_required" in label:
        assert (letter.outcome == "wsoa_required") is label["wsoa_required"]
    if "published_date" in label:
        assert iso(letter.published_date) == label["published_date"]
    if "weaknesses" in label:
        assert [w.text for w in letter.weaknesses] == label["weaknesses"]
        assert [w.number for w in letter.weaknesses] == list(range(1, len(label["weaknesses"]) + 1))
    if "judgements" in label:
        assert [j.weakness_text for j in letter.judgements] == [j["weakness"] for j in label["judgements"]]
        assert [j.sufficient_progress for j in letter.judgements] == [j["sufficient_progress"] for j in label["judgements"]]
        assert [j.number for j in letter.judgements] == list(range(1, len(label["judgements"]) + 1))
    if "overall" in label:
        assert _overall_label(letter) == label["overall"]
    if "next_steps" in label:
        assert letter.next_steps == label["next_steps"]
    if "initial_inspection_letter_published" in label:
        assert iso(letter.initial_letter_published) == label["initial_inspection_letter_published"]
    if "initial_inspection_period" in label:
        assert letter.initial_period_text == label["initial_inspection_period"]
    # A letter read from the letter itself is certain; a council's summary always goes to review.
    if letter.source_kind == "letter":
        assert letter.review_reasons == []
    else:
        assert letter.review_reasons and letter.confidence < 1


@pytest.mark.parametrize("file", [entry["file"] for entry in LABELS])
def test_spans_hold_the_facts(parsed_seeds, file):
    text, letters = parsed_seeds[file]
    for letter in letters:
        assert 0 <= letter.span.start < letter.span.end <= len(text)
        for w in letter.weaknesses:
            assert letter.span.start <= w.span.start < w.span.end <= letter.span.end
            assert clean_fragment(text[w.span.start : w.span.end]) == w.text
        for j in letter.judgements:
            assert clean_fragment(text[j.weakness_span.start : j.weakness_span.end]) == j.weakness_text
            assert "sufficient progress" in normalise_ws(text[j.span.start : j.span.end])
        if letter.area_span:
            assert normalise_ws(text[letter.area_span.start : letter.area_span.end]).replace("- ", "-") in (
                letter.area_name,
                letter.area_name.replace("-", "- "),
            ) or letter.area_name in clean_fragment(text[letter.area_span.start : letter.area_span.end])
        if letter.dates_span:
            rng = find_date_range(text[letter.dates_span.start : letter.dates_span.end])
            assert (rng.start, rng.end) == (letter.start_date, letter.end_date)
        if letter.letter_date_span:
            assert text[letter.letter_date_span.start : letter.letter_date_span.end].strip()[-4:] == str(letter.letter_date.year)


def test_hartlepool_exact_duplicate_is_returned_twice_with_identical_facts():
    text = seed("000")
    letters = run(text)
    assert [p.area_name for p in letters] == ["Hartlepool", "Hartlepool", "Middlesbrough"]
    first, second = letters[0], letters[1]
    assert text[first.span.start : first.span.end].strip() == text[second.span.start : second.span.end].strip()
    strip = lambda p: {k: v for k, v in p.to_json().items() if "span" not in k and k not in ("weaknesses", "findings")}  # noqa: E731
    assert strip(first) == strip(second)
    assert [w.text for w in first.weaknesses] == [w.text for w in second.weaknesses]
    assert second.span.start >= first.span.end


def test_medway_committee_report_gives_one_letter_with_eight_weaknesses():
    text = seed("002")
    chunks = split_letters(text)
    assert len(chunks) == 1
    # The council's own section 3.5 list comes before the letter and is not part of its chunk.
    assert text.index("3.5 The inspectors concluded") < chunks[0].span.start
    (letter,) = run(text)
    assert len(letter.weaknesses) == 8
    assert all(w.span.start > chunks[0].span.start for w in letter.weaknesses)
    assert letter.published_date == date(2018, 2, 8)
    assert letter.inspection_team[0]["name"] == "Diana Choulerton"


def test_stockton_square_bullets_and_broken_lines():
    text = seed("004")
    (letter,) = run(text)
    assert "◼" in text[letter.weaknesses[0].span.start - 3 : letter.weaknesses[0].span.start]
    assert "\n" in text[letter.weaknesses[2].span.start : letter.weaknesses[2].span.end]  # broken over lines
    assert letter.wsoa_bodies == "the local authority and the area’s clinical commissioning group"
    assert letter.outcome_text.startswith("As a result of the findings")
    assert [t["name"] for t in letter.inspection_team] == ["Michael Wardle", "Karen Collins-Beckett", "Lesley Cheshire"]
    findings = letter.findings
    assert len(findings["main_findings"]) == 10
    assert set(findings["improving_outcomes"]) == {"strengths", "areas_for_development"}  # 'Areas for improvement' heading
    assert len(findings["identification"]["areas_for_development"]) == 3
    # A sentence broken by a blank line mid-way is one finding.
    assert findings["main_findings"][0]["text"].endswith("children and young people with SEND.")


def test_redcar_revisit_details():
    (letter,) = run(seed("001"))
    assert letter.overall == "sufficient_all"
    assert letter.overall_text.startswith("The area has made sufficient progress in addressing all four")
    assert letter.wsoa_bodies.startswith("the local authority and the area's clinical commissioning group")
    assert [t["name"] for t in letter.inspection_team] == ["Steve Shaw", "Lucy Harte"]


def test_middlesbrough_council_report_is_a_flagged_secondary_revisit():
    (letter,) = run(seed("003"))
    assert (letter.kind, letter.source_kind) == ("revisit", "secondary")
    assert letter.overall == "sufficient_all"
    assert "observed sufficient progress in each of the four areas" in letter.overall_text
    assert letter.weaknesses == []
    assert any("secondary source" in r for r in letter.review_reasons)


# ---------------------------------------------------------------- variants built from the seed text


def hartlepool_letter() -> str:
    text = seed("000")
    chunk = split_letters(text)[0]
    return text[chunk.span.start : chunk.span.end]


HARTLEPOOL_WEAKNESSES = LABELS[0]["letters"][0]["weaknesses"]
REDCAR = LABELS[1]["letters"][0]
STOCKTON_WEAKNESSES = LABELS[4]["letters"][0]["weaknesses"]


def _weakness_block(text: str) -> tuple[int, int]:
    start = text.index("- inconsistencies in the timeliness")
    end = text.index("The approach to responding")
    return start, end


def _one(text: str) -> ParsedLetter:
    letters = run(text)
    assert len(letters) == 1
    return letters[0]


def _assert_weaknesses(letter: ParsedLetter, text: str, expected: list[str]) -> None:
    assert [w.text for w in letter.weaknesses] == expected
    for w in letter.weaknesses:
        assert clean_fragment(text[w.span.start : w.span.end]) == w.text


@pytest.mark.parametrize(
    "footer",
    [
        "\n\f2\n",
        "\nPage 3 of 8\n",
        "\n\nOfsted\nAgora\n6 Cumberland Place\nNottingham\nNG1 6HJ\n\n",
        "\n\n\n\n\n",
        "\n  - 4 -  \n",
    ],
    ids=["formfeed-page-number", "page-x-of-y", "repeated-letterhead", "blank-page-gap", "dashed-page-number"],
)
def test_footer_inside_a_weakness(footer):
    text = hartlepool_letter()
    cut = text.index("advice and support that families need")
    text = text[:cut] + "advice and" + footer + "support that families need" + text[cut + len("advice and support that families need") :]
    letter = _one(text)
    _assert_weaknesses(letter, text, HARTLEPOOL_WEAKNESSES)
    assert letter.review_reasons == []


@pytest.mark.parametrize("bullet", ["•", "■", "◼", "▪", "*", "–"])
def test_other_bullet_glyphs(bullet):
    text = re.sub(r"(?m)^- ", f"{bullet} ", hartlepool_letter())
    letter = _one(text)
    _assert_weaknesses(letter, text, HARTLEPOOL_WEAKNESSES)
    assert len(letter.findings["main_findings"]) == 9


def test_numbered_weaknesses():
    text = hartlepool_letter()
    start, end = _weakness_block(text)
    block = text[start:end]
    for n in range(1, 5):
        block = block.replace("- ", f"{n}. ", 1)
    text = text[:start] + block + text[end:]
    _assert_weaknesses(_one(text), text, HARTLEPOOL_WEAKNESSES)


def test_list_without_any_marker_one_item_per_line():
    # DOCX text loses Word's list glyphs: each item is a paragraph of its own.
    text = hartlepool_letter()
    start, end = _weakness_block(text)
    block = re.sub(r"(?m)^- ", "", text[start:end])
    text = text[:start] + block + text[end:]
    _assert_weaknesses(_one(text), text, HARTLEPOOL_WEAKNESSES)


def test_hard_wrapped_weaknesses_with_hyphen_at_line_end():
    text = hartlepool_letter()
    text = text.replace("special educational needs and/or disabilities\n- weaknesses in providing", "special educa-\ntional needs and/or disabilities\n- weaknesses in providing")
    text = text.replace("the clear and timely information", "the clear and\ntimely information")
    letter = _one(text)
    # A line-end hyphen is kept (most are compounds such as 'co-\nproduction'); the break itself goes.
    assert letter.weaknesses[0].text == HARTLEPOOL_WEAKNESSES[0].replace("educational", "educa-tional")
    assert letter.weaknesses[1].text == HARTLEPOOL_WEAKNESSES[1]


def test_crlf_line_ends():
    text = seed("001").replace("\n", "\r\n")
    letter = _one(text)
    assert letter.area_name == "Redcar and Cleveland"
    assert [j.weakness_text for j in letter.judgements] == [j["weakness"] for j in REDCAR["judgements"]]
    assert letter.next_steps == REDCAR["next_steps"]
    for j in letter.judgements:
        assert clean_fragment(text[j.weakness_span.start : j.weakness_span.end]) == j.weakness_text
    text4 = seed("004").replace("\n", "\r\n")
    _assert_weaknesses(_one(text4), text4, STOCKTON_WEAKNESSES)


def test_two_different_letters_in_one_file():
    first, second = seed("001"), seed("004")
    text = first + "\n\f" + second
    letters = run(text)
    assert [(p.kind, p.area_name) for p in letters] == [("revisit", "Redcar and Cleveland"), ("initial_inspection", "Stockton-on-Tees")]
    assert letters[0].span.end <= letters[1].span.start
    assert len(letters[0].judgements) == 4
    _assert_weaknesses(letters[1], text, STOCKTON_WEAKNESSES)
    assert letters[1].lead_inspector == "Michael Wardle" and letters[0].lead_inspector == "Steve Shaw"


def test_letter_without_letterhead_or_date():
    text = hartlepool_letter()
    text = text[text.index("Dear Ms Robinson") :]
    letter = _one(text)
    assert letter.letter_date is None
    assert (letter.area_name, letter.start_date, letter.end_date) == ("Hartlepool", date(2016, 10, 3), date(2016, 10, 7))
    _assert_weaknesses(letter, text, HARTLEPOOL_WEAKNESSES)


def test_letter_without_title_line_is_read_from_its_opening_sentence():
    text = hartlepool_letter()
    text = text[text.index("During 3 October") :]
    letter = _one(text)
    assert (letter.kind, letter.area_name) == ("initial_inspection", "Hartlepool")
    assert letter.start_date == date(2016, 10, 3)
    _assert_weaknesses(letter, text, HARTLEPOOL_WEAKNESSES)


def test_title_area_broken_over_two_lines():
    text = seed("004").replace("Joint local area SEND inspection in Stockton-on-Tees", "Joint local area SEND inspection in Stockton-on-\nTees")
    letter = _one(text)
    assert letter.area_name == "Stockton-on-Tees"
    assert letter.review_reasons == []


def _revisit_with(judgement_2_not: bool, overall_sentence: str) -> str:
    text = seed("001")
    verdict = "The area has made sufficient progress in addressing this area of significant weakness"
    if judgement_2_not:
        first = text.index(verdict)
        second = text.index(verdict, first + 1)
        text = text[:second] + verdict.replace("has made", "has not made") + text[second + len(verdict) :]
    return text.replace(
        "The area has made sufficient progress in addressing all four of the significant weaknesses identified at the initial inspection.",
        overall_sentence,
    )


def test_revisit_some_weaknesses_insufficient():
    text = _revisit_with(True, "The area has made sufficient progress in addressing three of the four significant weaknesses identified at the initial inspection.")
    letter = _one(text)
    assert [j.sufficient_progress for j in letter.judgements] == [True, False, True, True]
    assert letter.overall == "sufficient_some"
    assert letter.review_reasons == []


def test_revisit_digits_in_overall_sentence():
    text = _revisit_with(True, "The area has made sufficient progress in addressing 3 of the 4 significant weaknesses identified at the initial inspection.")
    assert _one(text).overall == "sufficient_some"


def test_revisit_overall_contradicting_judgements_is_flagged():
    letter = _one(_revisit_with(True, "The area has made sufficient progress in addressing all four of the significant weaknesses identified at the initial inspection."))
    assert letter.review_reasons and "individual judgements" in letter.review_reasons[0]


def test_revisit_none_sufficient():
    text = seed("001").replace("The area has made sufficient progress in addressing this", "The area has not made sufficient progress in addressing this")
    text = text.replace("The area has made sufficient progress in addressing all four of the significant weaknesses", "The area has not made sufficient progress in addressing any of the four significant weaknesses")
    letter = _one(text)
    assert letter.overall == "sufficient_none"
    assert not any(j.sufficient_progress for j in letter.judgements)


def test_revisit_fit_for_purpose_and_initial_dates():
    text = seed("001").replace(
        "jointly responsible for submitting the written statement to Ofsted.",
        "jointly responsible for submitting the written statement to Ofsted. This was declared fit for purpose on 18 March 2019.",
    ).replace(
        "initial area SEND inspection in February and March 2018",
        "initial area SEND inspection, which took place between 26 February and 2 March 2018",
    )
    letter = _one(text)
    assert letter.wsoa_fit_for_purpose == date(2019, 3, 18)
    assert (letter.initial_start_date, letter.initial_end_date) == (date(2018, 2, 26), date(2018, 3, 2))


def test_letter_without_wsoa():
    text = hartlepool_letter()
    start = text.index("The inspection raises significant concerns")
    end = text.index("Yours sincerely")
    text = text[:start] + text[end:]
    text = re.sub(r"As a result of the findings of this inspection[^\n]*\n", "", text)
    letter = _one(text)
    assert letter.outcome == "no_wsoa"
    assert letter.weaknesses == []
    assert letter.review_reasons == []


def test_wsoa_required_but_list_missing_is_flagged():
    text = hartlepool_letter()
    start, end = _weakness_block(text)
    text = text[: text.index("The local area is required to produce")] + text[end:]
    letter = _one(text)
    assert letter.outcome == "wsoa_required"
    assert any("no list of significant weaknesses" in r for r in letter.review_reasons)


@pytest.mark.parametrize(
    "phrase, start, end",
    [
        ("During 3 October to 7 October 2016, Ofsted", date(2016, 10, 3), date(2016, 10, 7)),
        ("During 3 to 7 October 2016, Ofsted", date(2016, 10, 3), date(2016, 10, 7)),
        ("Between 28 February to 2 March 2018, Ofsted", date(2018, 2, 28), date(2018, 3, 2)),
        ("Between 22 and 24 November 2021, Ofsted", date(2021, 11, 22), date(2021, 11, 24)),
        ("Between 4 December 2017 and 8 December 2017, Ofsted", date(2017, 12, 4), date(2017, 12, 8)),
        ("from 4 - 8 December 2017", date(2017, 12, 4), date(2017, 12, 8)),
        ("From 30 November – 4 December 2020", date(2020, 11, 30), date(2020, 12, 4)),
        ("On July 8th-10th 2019 the same team", date(2019, 7, 8), date(2019, 7, 10)),
        ("29 January 2024 to 02 February 2024", date(2024, 1, 29), date(2024, 2, 2)),
        ("between 30 December and 3 January 2020", date(2019, 12, 30), date(2020, 1, 3)),
    ],
)
def test_date_ranges(phrase, start, end):
    rng = find_date_range(phrase)
    assert (rng.start, rng.end) == (start, end)


def test_date_range_rejects_nonsense():
    assert find_date_range("Between 3 and 2 October 2016") is None
    assert find_date_range("the 2014 reforms and 2016 data") is None


def test_revisit_overall_without_a_count():
    text = seed("001").replace(
        "The area has made sufficient progress in addressing all four of the significant weaknesses identified at the initial inspection.",
        "The area has made sufficient progress in addressing the significant weaknesses identified at the initial inspection.",
    )
    letter = _one(text)
    assert letter.overall == "sufficient_all"
    assert letter.review_reasons == []


def test_council_report_summarising_an_initial_inspection():
    text = (
        "Report of: Director of Children's Services\nSubmitted to: Cabinet - 10 April 2018\n\nOutcome of the local area SEND inspection\n\n"
        "The Medway Local Area was inspected by Ofsted and the Care Quality Commission (CQC) from 4 - 8 December 2017. "
        "The local area is required to produce a Written Statement of Action to address the following areas of weakness:\n\n"
        "- the lack of joint strategic leadership\n- the quality of EHC plans\n\nRecommendations\n\nThe Cabinet is asked to note the report.\n"
    )
    (letter,) = run(text)
    assert (letter.kind, letter.source_kind, letter.area_name) == ("initial_inspection", "secondary", "Medway")
    assert (letter.start_date, letter.end_date) == (date(2017, 12, 4), date(2017, 12, 8))
    assert letter.outcome == "wsoa_required"
    assert [w.text for w in letter.weaknesses] == ["the lack of joint strategic leadership", "the quality of EHC plans"]
    assert letter.review_reasons


def test_2023_style_page_footer_lines_are_furniture():
    from inspections.pipeline.parse.common import clean

    text = "the local\n\fArea SEND inspection report: Hartlepool Local Area Partnership\n13 March 2023 to 17 March 2023 2\narea partnership"
    assert clean_fragment(text) == "the local area partnership"
    assert clean(text).text == "the local\narea partnership"


# ------------------------------------------------- the same letters as DOCX and HTML, through extract_text

_BULLET_LINE = re.compile(r"^(?:[-■◼•]\s+)")


def _as_docx(letter_text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    rows: list[list[str]] = []
    for line in letter_text.split("\n") + [""]:
        if "\t" in line:  # the team block is a two-column table in the real letters
            rows.append(line.split("\t"))
            continue
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for col, value in enumerate(cells):
                    table.cell(r, col).text = value
            rows = []
        if not line.strip():
            continue
        if _BULLET_LINE.match(line):
            document.add_paragraph(_BULLET_LINE.sub("", line), style="List Bullet")  # Word's glyph is not in the text
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _as_html(letter_text: str) -> bytes:
    import html

    parts, in_list = ["<!doctype html><html><body>"], False
    for line in letter_text.split("\n"):
        if _BULLET_LINE.match(line):
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{html.escape(_BULLET_LINE.sub('', line))}</li>")
            continue
        if in_list:
            parts.append("</ul>")
            in_list = False
        if line.strip():
            parts.append(f"<p>{html.escape(line)}</p>")
    return "\n".join(parts + ["</body></html>"]).encode()


@pytest.mark.parametrize("convert", [_as_docx, _as_html], ids=["docx", "html"])
@pytest.mark.parametrize("label_index", [0, 1], ids=["hartlepool", "middlesbrough"])
def test_same_letter_as_docx_and_html(convert, label_index):
    from inspections.pipeline.extract import extract_text

    source = seed("000")
    chunk = split_letters(source)[0 if label_index == 0 else 2]
    label = LABELS[0]["letters"][label_index]
    text = extract_text(convert(chunk.text)).text
    letter = _one(text)
    assert (letter.area_name, iso(letter.start_date), iso(letter.end_date), iso(letter.letter_date)) == (
        label["area"], label["start_date"], label["end_date"], label["letter_date"],
    )
    assert letter.lead_inspector == label["lead_inspector"]
    assert letter.outcome == "wsoa_required"
    _assert_weaknesses(letter, text, label["weaknesses"])
    assert letter.review_reasons == []


@pytest.mark.parametrize("convert", [_as_docx, _as_html], ids=["docx", "html"])
def test_same_revisit_as_docx_and_html(convert):
    from inspections.pipeline.extract import extract_text

    text = extract_text(convert(seed("001"))).text
    letter = _one(text)
    assert [j.weakness_text for j in letter.judgements] == [j["weakness"] for j in REDCAR["judgements"]]
    assert all(j.sufficient_progress for j in letter.judgements)
    assert (letter.overall, letter.next_steps) == ("sufficient_all", REDCAR["next_steps"])
    assert letter.review_reasons == []


def test_revisit_made_insufficient_progress_wording():
    text = _revisit_with(False, "The area has made sufficient progress in addressing three of the four significant weaknesses identified at the initial inspection.")
    verdict = "The area has made sufficient progress in addressing this area of significant weakness"
    last = text.rindex(verdict)
    text = text[:last] + "The area has made insufficient progress in addressing this area of significant weakness" + text[last + len(verdict) :]
    letter = _one(text)
    assert [j.sufficient_progress for j in letter.judgements] == [True, True, True, False]
    assert letter.overall == "sufficient_some" and letter.review_reasons == []


def test_revisit_wsoa_issued_date_is_kept():
    text = seed("001").replace(
        "detailed in the inspection report letter published on 23 April 2018",
        "detailed in the written statement of action issued on 29 November 2018",
    )
    letter = _one(text)
    assert letter.initial_letter_published is None
    assert letter.findings["wsoa_issued_on"] == "2018-11-29"


def test_en_dash_at_a_wrapped_line_start_is_not_a_bullet():
    text = hartlepool_letter().replace(
        "weaknesses in providing the clear and timely information, advice and support that families need",
        "weaknesses in providing the clear and timely information\n– advice and support – that families need",
    )
    letter = _one(text)
    assert len(letter.weaknesses) == 4
    assert letter.weaknesses[1].text == "weaknesses in providing the clear and timely information – advice and support – that families need"


def test_letter_date_with_a_label():
    text = hartlepool_letter().replace("\n10 October 2016\n", "\nDate: 10 October 2016\n")
    assert _one(text).letter_date == date(2016, 10, 10)


def test_title_repeated_as_a_running_page_header():
    text = hartlepool_letter()
    header = "\n\fJoint local area SEND inspection in Hartlepool\n"
    text = text.replace("\nThe effectiveness of the local area in assessing", header + "The effectiveness of the local area in assessing")
    text = text.replace("advice and support that families need", "advice and" + header + "support that families need")
    letters = run(text)
    assert len(letters) == 1
    _assert_weaknesses(letters[0], text, HARTLEPOOL_WEAKNESSES)
    assert letters[0].review_reasons == []


def test_revisit_weakness_restated_after_found_that():
    text = seed("001").replace("inspectors found the following:\n\nThere was", "inspectors found that:\nThere was")
    letter = _one(text)
    assert [j.weakness_text for j in letter.judgements] == [j["weakness"] for j in REDCAR["judgements"]]


def test_wsoa_required_wording_variant():
    text = hartlepool_letter().replace(
        "has determined that a Written Statement of Action is required because of significant areas of weakness in the local area's practice",
        "has determined that the local area is required to produce a Written Statement of Action because of significant areas of weakness",
    )
    letter = _one(text)
    assert letter.outcome == "wsoa_required"
    assert "required to produce a Written Statement of Action" in letter.outcome_text


# ------------------------------------------ every seed letter re-wrapped the way PDF text extraction breaks it


def _pdfify(text: str, width: int = 78, page_lines: int = 40) -> str:
    """Hard-wraps every paragraph at `width` (lines end with a space, as PDFium leaves them) and inserts a page
    break ('\\n\\f', a page number, blank lines) every `page_lines` lines, wherever it falls."""
    import textwrap

    out: list[str] = []
    for line in text.split("\n"):
        if "\t" in line or len(line) <= width:
            out.append(line)
            continue
        out.extend(part + " " for part in textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False))
    paged: list[str] = []
    for n, line in enumerate(out, start=1):
        paged.append(line)
        if n % page_lines == 0:
            paged.append(f"\f{n // page_lines + 1}\n")
    return "\n".join(paged)


@pytest.mark.parametrize("page_lines", [17, 23, 40])
@pytest.mark.parametrize("file, index, label", LABELLED_LETTERS)
def test_labels_survive_pdf_style_wrapping_and_page_breaks(file, index, label, page_lines):
    text = _pdfify((SEEDS / file).read_text(encoding="utf-8"), page_lines=page_lines)
    letter = distinct(run(text), text)[index]
    assert (letter.kind, letter.area_name, iso(letter.start_date), iso(letter.end_date), iso(letter.letter_date)) == (
        label["kind"], label["area"], label["start_date"], label["end_date"], label["letter_date"],
    )
    assert letter.lead_inspector == label["lead_inspector"]
    if "weaknesses" in label:
        _assert_weaknesses(letter, text, label["weaknesses"])
    if "judgements" in label:
        assert [j.weakness_text for j in letter.judgements] == [j["weakness"] for j in label["judgements"]]
        assert [j.sufficient_progress for j in letter.judgements] == [j["sufficient_progress"] for j in label["judgements"]]
        assert _overall_label(letter) == label["overall"]
