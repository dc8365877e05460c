"""Web pages and Word files keep the structure the parsers read: one line per paragraph, list item or table row,
inline markup never breaking a line, site furniture left out, Word's special characters kept as text."""

from __future__ import annotations

import html
import io
import re

import pytest

from inspections.pipeline.classify import classify
from inspections.pipeline.extract import DOCX, HTML, extract_text
from inspections.pipeline.parse import parse_letter
from inspections.pipeline.split import split_letters
from tests.conftest import SEEDS
from tests.pipeline.test_variations import facts


def text_of(markup: str) -> str:
    result = extract_text(markup.encode("utf-8"))
    assert result.content_type == HTML
    return result.text


def test_inline_markup_does_not_break_lines():
    text = text_of(
        "<html><body><p><strong>Inspection dates:</strong> 20 to 24 May 2024</p>"
        '<p>Leaders should <a href="/x">improve</a> the <abbr title="x">EHC</abbr> plans<span>.</span></p></body></html>'
    )
    assert text.split("\n\n") == ["Inspection dates: 20 to 24 May 2024", "Leaders should improve the EHC plans."]


def test_lists_tables_and_nesting():
    text = text_of(
        "<html><body><ol><li><p>First area.</p><ul><li>sub one;</li><li>sub two.</li></ul><p>More of the first.</p></li>"
        "<li>Second area.</li></ol>"
        "<table><tr><th>Responsible body</th><th>Areas for priority action</th></tr>"
        "<tr><td>The council</td><td><p>Act on:</p><ul><li>waits;</li><li>plans.</li></ul></td></tr></table></body></html>"
    )
    assert text.split("\n") == [
        "1. First area.",
        "  - sub one;",
        "  - sub two.",
        "   More of the first.",
        "2. Second area.",
        "",
        "Responsible body\tAreas for priority action",
        "The council\tAct on: • waits; • plans.",
    ]


def test_pretty_printed_markup_keeps_sentences_whole():
    text = text_of("<html>\n<body>\n  <p>\n\tLeaders should\n\t\timprove the plans.\n  </p>\n</body>\n</html>")
    assert text == "Leaders should improve the plans."


def test_site_furniture_is_left_out():
    text = text_of(
        """<!DOCTYPE html><html><head><title>T</title><script>var x = 1;</script></head><body>
        <div class="cookie" hidden>Cookies on this site</div>
        <header role="banner"><a href="/">Anytown Council</a><nav><a>Councillors and committees</a></nav></header>
        <nav aria-label="Breadcrumb"><a>Home</a> &gt; <a>Cabinet</a></nav>
        <main><article><header><h1>The letter</h1></header><p>Body text.</p>
        <nav aria-label="Contents"><a href="#a">Areas for improvement</a></nav></article></main>
        <aside>Related: Committee papers</aside>
        <footer role="contentinfo">Report of the Committee &copy; Crown copyright</footer></body></html>"""
    )
    assert text.split("\n\n") == ["The letter", "Body text."]


def _council_page(letter_text: str) -> bytes:
    """A council web page re-publishing a letter: site header, menu and footer full of council-report words."""
    body = []
    for block in re.split(r"\n\s*\n", letter_text):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        if all(re.match(r"[-•◼■▪]\s", ln) for ln in lines):
            body.append("<ul>" + "".join(f"<li>{html.escape(ln[2:])}</li>" for ln in lines) + "</ul>")
        elif any("\t" in ln for ln in lines):
            body.append("<table>" + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in ln.split("\t")) + "</tr>" for ln in lines) + "</table>")
        else:
            body.append("<p>" + "<br>\n".join(html.escape(ln) for ln in lines) + "</p>")
    return (
        "<!DOCTYPE html><html><head><title>SEND inspection letter | Anytown Council</title></head><body>"
        '<header class="site-header"><a href="/">Anytown Council</a><nav><ul><li><a href="/c">Councillors, committees '
        'and the Cabinet</a></li><li><a href="/r">Recommendations and reports of the Overview and Scrutiny Committee</a></li>'
        "</ul></nav></header><main id=\"content\"><h1>Local area SEND inspection</h1><div class=\"editor\">\n"
        + "\n".join(body)
        + "\n</div></main><footer><p>Report of the Cabinet Member. Agenda item. Key decision.</p></footer></body></html>"
    ).encode("utf-8")


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_letter_on_a_council_web_page_keeps_its_facts(prefix):
    source = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    expected = [facts(parse_letter(classify(c), source)) for c in split_letters(extract_text(source.encode()).text)]
    text = extract_text(_council_page(source)).text
    got = [parse_letter(classify(c), text) for c in split_letters(text)]
    assert [facts(p) for p in got] == expected
    assert all(p.source_kind == "letter" for p in got)


# --- Word ----------------------------------------------------------------------------------------------------------

def _docx(build) -> str:
    import docx

    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    result = extract_text(out.getvalue())
    assert result.content_type == DOCX
    return result.text


def _element(tag: str):
    from docx.oxml import OxmlElement

    return OxmlElement(tag)


def test_word_breaks_tabs_and_special_hyphens_are_text():
    def build(document):
        p = document.add_paragraph()
        p.add_run("Area SEND inspection of Stockton")
        p.runs[0]._r.append(_element("w:noBreakHyphen"))
        run = p.add_run("on")
        run._r.append(_element("w:softHyphen"))
        p.add_run("Tees")
        p.add_run().add_break()
        p.add_run("Local Area Partnership")
        q = document.add_paragraph()
        q.add_run("Inspection dates:")
        q.add_run().add_tab()
        q.add_run("20 to 24 May 2024")

    assert _docx(build).split("\n") == [
        "Area SEND inspection of Stockton-onTees",
        "Local Area Partnership",
        "Inspection dates:\t20 to 24 May 2024",
    ]


def test_word_content_controls_and_list_levels():
    def build(document):
        document.add_paragraph("Before.")
        first = document.add_paragraph("Inside a content control.")
        sdt, content = _element("w:sdt"), _element("w:sdtContent")
        sdt.append(content)
        first._p.addprevious(sdt)
        content.append(first._p)
        document.add_paragraph("Top item.", style="List Bullet")
        document.add_paragraph("Nested item.", style="List Bullet 2")
        document.add_paragraph("Numbered.", style="List Number")
        document.add_heading("A heading", level=2)

    assert _docx(build).split("\n") == [
        "Before.", "Inside a content control.", "• Top item.", "  • Nested item.", "• Numbered.", "A heading",
    ]


def test_deleted_text_is_not_read():
    def build(document):
        p = document.add_paragraph("Kept ")
        deleted = _element("w:del")
        run = _element("w:r")
        text = _element("w:delText")
        text.text = "removed "
        run.append(text)
        deleted.append(run)
        p._p.append(deleted)
        p.add_run("text.")

    assert _docx(build) == "Kept text."


@pytest.mark.parametrize(
    "prolog",
    ['<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x">\n', "<!-- saved from url=(0042)https://www.example.gov.uk/send -->\n"],
    ids=["xhtml", "saved-page-comment"],
)
def test_html_with_a_prolog_is_read_as_html(prolog):
    result = extract_text((prolog + "<html><body><p>Dear Ms Person</p></body></html>").encode())
    assert (result.content_type, result.text) == (HTML, "Dear Ms Person")


def test_one_cell_holding_a_numbered_list_keeps_its_numbers_at_line_starts():
    """Ofsted's table of areas for improvement sometimes puts several numbered areas in one cell."""
    text = text_of(
        "<html><body><table><tr><th>Areas for improvement</th></tr>"
        "<tr><td><p>1. Leaders should act.</p><p>2. Leaders should plan:</p><ul><li>one;</li><li>two.</li></ul>"
        "<p>3. Leaders should review.</p></td></tr><tr><td><p>Leaders should listen.</p><p>They should also act.</p></td></tr>"
        "</table></body></html>"
    )
    assert text.split("\n") == [
        "Areas for improvement",
        "1. Leaders should act.",
        "2. Leaders should plan:",
        "• one;",
        "• two.",
        "3. Leaders should review.",
        "Leaders should listen. They should also act.",
    ]
