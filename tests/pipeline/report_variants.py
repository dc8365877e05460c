"""2023-framework area SEND reports rebuilt as Word documents and web pages, in memory, from a real PDF report and
its hand-checked labels (../shared; nothing is written to disk or committed).

The facts under test come from the labels (the list items, the team), so a parser that misreads the PDF cannot make
its own variant agree with it; the prose between them comes from the PDF's text, re-flowed into paragraphs.

Layouts, as reports are re-published:
- "govuk": a GOV.UK-style HTML publication (header, cookie banner, breadcrumbs, contents list, footer around the
  article; <h2> sections; inline <strong>/<abbr>/<a>) or a Word file with Heading styles; the areas for improvement
  as a list (<ul>/<ol> or Word List Bullet / List Number paragraphs) with nested lists for their sub-points; the
  priority actions as a two-column table; the team one paragraph per person.
- "tables": the PDF's own layout converted: the dates in a two-column table (HTML: a <dl>), the areas for
  improvement as a one-column table with a header row, the team as an Ofsted | CQC table.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field

from inspections.pipeline.extract import extract_text
from inspections.pipeline.parse.report_2023 import DATES_RE, PREVIOUS_RE
from inspections.pipeline.parse.text_2023 import clean_report

LAYOUTS = ("govuk", "tables")

_QUESTION = re.compile(r"^What\s.{10,90}\?$")
_KNOWN = re.compile(
    r"^(?:Inspection\s+outcome|Information\s+about\s+the\s+local\s+area\s+partnership|Areas?\s+for\s+priority\s+action"
    r"|Areas?\s+for\s+improvement|Local\s+area\s+partnership\s+details|Information\s+about\s+this\s+inspection|Inspection\s+team)$",
    re.I,
)
_BULLET = re.compile(r"^[◼▪■•●−–-]\s*")
_END = re.compile(r"[.!?:;][’'”\")]*$")


@dataclass
class Item:
    """A list item: its lead-in text, sub-points, and any paragraph after them."""

    lead: str
    subs: list[str] = field(default_factory=list)
    after: str = ""


@dataclass
class Report:
    title: str
    dates_line: tuple[str, str]
    previous_line: tuple[str, str]
    sections: list[tuple[str, list]]  # (heading, blocks); a block is ("p", text) or ("ul", [text, ...])
    priority: list[tuple[str, Item]]
    improvement: list[Item]
    team: list[dict]
    closing: list[str]


def split_item(text: str) -> Item:
    """'Lead-in: • a; • b. Trailing.' -> Item (the labels print sub-points inline after '•')."""
    parts = [p.strip() for p in text.split(" • ")]
    if len(parts) == 1:
        return Item(parts[0])
    subs = parts[1:]
    last = re.split(r"(?<=[.])\s+(?=[A-Z])", subs[-1], maxsplit=1)
    after = ""
    if len(last) == 2:
        subs[-1], after = last
    return Item(parts[0], subs, after)


def _label_value(line: str) -> tuple[str, str]:
    label, _, value = line.partition(":")
    return label.strip() + ":", value.strip()


def build(pdf_bytes: bytes, label: dict) -> Report:
    text = extract_text(pdf_bytes).text
    c = clean_report(text)
    body = c.text
    dates = DATES_RE.search(body)
    previous = PREVIOUS_RE.search(body)
    head = body[: dates.start()]
    title = " ".join(head.split("\n", 1)[1].split()) if "\n" in head.strip() else " ".join(head.split())
    title = re.sub(r"^Local area partnership report\s*", "", title, flags=re.I)
    lines = [ln.strip() for ln in body[previous.end() :].split("\n")]
    sections: list[tuple[str, list[str]]] = []
    for ln in lines:
        if not ln:
            continue
        if _KNOWN.match(ln) or _QUESTION.match(ln):
            if sections and sections[-1][0].lower() == ln.lower() and not sections[-1][1]:
                continue  # the table header row repeating the heading
            sections.append((ln, []))
        elif sections:
            sections[-1][1].append(ln)
        if ln.startswith("The Office for Standards in Education"):
            break
    closing: list[str] = []
    prose: list[tuple[str, list]] = []
    for heading, body_lines in sections:
        key = heading.lower()
        if key.startswith("inspection team"):
            at = next((i for i, ln in enumerate(body_lines) if ln.startswith("The Office for Standards")), None)
            if at is not None:
                closing = [" ".join(body_lines[at:])]
            prose.append((heading, []))
            continue
        if key.startswith(("areas for priority", "area for priority", "areas for improvement", "area for improvement")):
            prose.append((heading, []))
            continue
        prose.append((heading, _paragraphs(body_lines)))
    priority = [
        (body, split_item(action))
        for body, action in zip(label["priority_action_responsible_bodies"], label["priority_actions"], strict=True)
    ]
    return Report(
        title=title,
        dates_line=_label_value(dates.group(0)),
        previous_line=_label_value(previous.group(0)),
        sections=prose,
        priority=priority,
        improvement=[split_item(t) for t in label["improvement_areas"]],
        team=label["inspection_team"],
        closing=closing,
    )


def _paragraphs(lines: list[str]) -> list:
    """PDF lines re-flowed: a bullet line opens a list item, a short line ending a sentence ends a paragraph."""
    width = max((len(ln) for ln in lines), default=90)
    blocks: list = []
    current: list[str] = []
    in_list = False

    def close():
        nonlocal current
        if current:
            joined = " ".join(current)
            if in_list:
                if blocks and blocks[-1][0] == "ul":
                    blocks[-1][1].append(joined)
                else:
                    blocks.append(("ul", [joined]))
            else:
                blocks.append(("p", joined))
        current = []

    for ln in lines:
        if _BULLET.match(ln) and len(ln) > 2:
            close()
            in_list = True
            current = [_BULLET.sub("", ln)]
            continue
        if in_list and current and _END.search(current[-1]) and re.match(r"[A-Z]", ln) and len(current[-1]) < width * 0.8:
            close()
            in_list = False
        current.append(ln)
        if not in_list and _END.search(ln) and len(ln) < width * 0.8:
            close()
    close()
    return blocks


# --- HTML ------------------------------------------------------------------------------------------------------

_ABBR = re.compile(r"\b(SEND|CQC|EHC)\b")


def _inline(text: str, rich: bool) -> str:
    escaped = html.escape(text, quote=False)
    if not rich:
        return escaped
    # <abbr> around acronyms, once each: inline markup must never break a line or a word.
    return _ABBR.sub(lambda m: f'<abbr title="{m.group(1)}">{m.group(1)}</abbr>', escaped, count=2)


def _html_item(item: Item, rich: bool, tag: str = "ul") -> str:
    out = f"<p>{_inline(item.lead, rich)}</p>" if item.subs else _inline(item.lead, rich)
    if item.subs:
        out += f"<{tag}>" + "".join(f"<li>{_inline(s, rich)}</li>" for s in item.subs) + f"</{tag}>"
    if item.after:
        out += f"<p>{_inline(item.after, rich)}</p>"
    return out


def _cells(items: list[Item], ordered: bool) -> list:
    """The cells of a one-column table of areas for improvement. Numbered (ordered=True) as one Ofsted report prints
    them: typed numbers, the first three areas sharing one cell, the others a cell each; each numbered cell is a list
    of (lead, sub-points, paragraph after)."""
    if not ordered:
        return list(items)
    numbered = [(f"{n}. {it.lead}", it.subs, it.after) for n, it in enumerate(items, 1)]
    return [numbered[:3]] + [[entry] for entry in numbered[3:]]


def _html_cell(cell, rich: bool) -> str:
    if isinstance(cell, Item):
        return _html_item(cell, rich)
    return "".join(_html_item(Item(lead, subs, after), rich) if subs or after else f"<p>{_inline(lead, rich)}</p>" for lead, subs, after in cell)


def to_html(report: Report, layout: str, ordered: bool = False) -> bytes:
    rich = layout == "govuk"
    parts: list[str] = [f"<h1>{_inline(report.title, False)}</h1>"]
    if layout == "govuk":
        for label, value in (report.dates_line, report.previous_line):
            parts.append(f"<p><strong>{html.escape(label)}</strong> {html.escape(value)}</p>")
    else:
        parts.append(
            "<dl>" + "".join(f"<dt>{html.escape(lab)}</dt>\n<dd>{html.escape(val)}</dd>" for lab, val in (report.dates_line, report.previous_line)) + "</dl>"
        )
    for heading, blocks in report.sections:
        slug = re.sub(r"\W+", "-", heading.lower()).strip("-")
        parts.append(f'<h2 id="{slug}">{html.escape(heading)}</h2>')
        key = heading.lower()
        if "priority action" in key:
            rows = "".join(
                f"<tr><td>{html.escape(body)}</td><td>{_html_item(item, rich)}</td></tr>\n" for body, item in report.priority
            )
            parts.append(
                "<table><thead><tr><th>Responsible body</th><th>Areas for priority action</th></tr></thead>"
                f"<tbody>\n{rows}</tbody></table>"
            )
            continue
        if "for improvement" in key:
            if layout == "govuk":
                tag = "ol" if ordered else "ul"
                parts.append(f"<{tag}>\n" + "".join(f"<li>{_html_item(it, rich)}</li>\n" for it in report.improvement) + f"</{tag}>")
            else:
                rows = "".join(f"<tr><td>{_html_cell(cell, rich)}</td></tr>\n" for cell in _cells(report.improvement, ordered))
                parts.append(f"<table><tr><th>Areas for improvement</th></tr>\n{rows}</table>")
            continue
        if key.startswith("inspection team"):
            if layout == "govuk":
                parts.extend(f"<p>{html.escape(m['printed'])}</p>" for m in report.team)
            else:
                ofsted = [m["printed"] for m in report.team if m["organisation"] == "Ofsted"]
                cqc = [m["printed"] for m in report.team if m["organisation"] != "Ofsted"]
                rows = "".join(
                    f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>\n"
                    for a, b in zip(ofsted + [""] * (len(cqc) - len(ofsted)), cqc + [""] * (len(ofsted) - len(cqc)))
                )
                parts.append(f"<table><tr><th>Ofsted</th><th>Care Quality Commission</th></tr>\n{rows}</table>")
            parts.extend(f"<p>{html.escape(p)}</p>" for p in report.closing)
            continue
        for kind, value in blocks:
            if kind == "p":
                parts.append(f"<p>{_inline(value, rich)}</p>")
            else:
                parts.append("<ul>\n" + "".join(f"  <li>{_inline(v, rich)}</li>\n" for v in value) + "</ul>")
    article = "\n".join(parts)
    contents = "".join(f'<li><a href="#{re.sub(r"[^a-z]+", "-", h.lower())}">{html.escape(h)}</a></li>' for h, _ in report.sections)
    page = f"""<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head><meta charset="utf-8"><title>{html.escape(report.title)} - GOV.UK</title>
<script>window.GOVUK = {{}};</script><style>.govuk-header{{color:#fff}}</style></head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<div class="gem-c-cookie-banner" role="region" aria-label="Cookies on GOV.UK" hidden>
<h2>Cookies on GOV.UK</h2><p>We use some essential cookies to make this website work. Areas for improvement of the site.</p>
</div>
<header role="banner" class="govuk-header"><div class="govuk-header__container"><a href="/">GOV.UK</a>
<nav aria-label="Menu"><ul><li><a href="/browse/education">Education</a></li><li><a href="/search">Search</a></li></ul></nav></div></header>
<div class="govuk-width-container">
<nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/education">Education, training and skills</a></li><li>Inspections</li></ol></nav>
<main class="govuk-main-wrapper" id="main-content" role="main">
<div class="gem-c-title"><span class="gem-c-title__context">Ofsted</span></div>
<nav aria-label="Contents" class="gem-c-contents-list"><h2>Contents</h2><ol>{contents}</ol></nav>
<div class="govuk-govspeak">
{article}
</div>
<div class="gem-c-print-link"><button class="govuk-link">Print this page</button></div>
</main>
</div>
<footer class="govuk-footer" role="contentinfo"><div class="govuk-footer__meta">
<h2 class="govuk-visually-hidden">Support links</h2><ul><li><a href="/help">Help</a></li><li><a href="/help/cookies">Cookies</a></li></ul>
<span>All content is available under the Open Government Licence v3.0, except where otherwise stated</span>
<a href="https://www.nationalarchives.gov.uk">&copy; Crown copyright</a></div></footer>
</body></html>
"""
    return page.encode("utf-8")


# --- DOCX ------------------------------------------------------------------------------------------------------


def _docx_item(document_or_cell, item: Item, *, style: str | None, sub_style: str) -> None:
    document_or_cell.add_paragraph(item.lead, style=style)
    for sub in item.subs:
        document_or_cell.add_paragraph(sub, style=sub_style)
    if item.after:
        document_or_cell.add_paragraph(item.after)


def to_docx(report: Report, layout: str, ordered: bool = False) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(report.title, level=1)
    if layout == "govuk":
        for label, value in (report.dates_line, report.previous_line):
            p = document.add_paragraph()
            p.add_run(label).bold = True
            p.add_run("\t" + value)
    else:
        table = document.add_table(rows=2, cols=2)
        for i, (label, value) in enumerate((report.dates_line, report.previous_line)):
            table.cell(i, 0).text, table.cell(i, 1).text = label, value
    for heading, blocks in report.sections:
        document.add_heading(heading, level=2)
        key = heading.lower()
        if "priority action" in key:
            table = document.add_table(rows=1, cols=2)
            table.cell(0, 0).text, table.cell(0, 1).text = "Responsible body", "Areas for priority action"
            for body, item in report.priority:
                row = table.add_row()
                row.cells[0].text = body
                cell = row.cells[1]
                cell.paragraphs[0].text = item.lead
                for sub in item.subs:
                    cell.add_paragraph(sub, style="List Bullet")
                if item.after:
                    cell.add_paragraph(item.after)
            continue
        if "for improvement" in key:
            if layout == "govuk":
                for item in report.improvement:
                    _docx_item(document, item, style="List Number" if ordered else "List Bullet", sub_style="List Bullet 2")
            else:
                table = document.add_table(rows=1, cols=1)
                table.cell(0, 0).text = "Areas for improvement"
                for group in _cells(report.improvement, ordered):
                    cell = table.add_row().cells[0]
                    items = group if isinstance(group, list) else [(group.lead, group.subs, group.after)]
                    for k, (lead, subs, after) in enumerate(items):
                        if k == 0:
                            cell.paragraphs[0].text = lead
                        else:
                            cell.add_paragraph(lead)
                        for sub in subs:
                            cell.add_paragraph(sub, style="List Bullet")
                        if after:
                            cell.add_paragraph(after)
            continue
        if key.startswith("inspection team"):
            if layout == "govuk":
                for member in report.team:
                    document.add_paragraph(member["printed"])
            else:
                ofsted = [m["printed"] for m in report.team if m["organisation"] == "Ofsted"]
                cqc = [m["printed"] for m in report.team if m["organisation"] != "Ofsted"]
                n = max(len(ofsted), len(cqc))
                table = document.add_table(rows=n + 1, cols=2)
                table.cell(0, 0).text, table.cell(0, 1).text = "Ofsted", "Care Quality Commission"
                for i in range(n):
                    table.cell(i + 1, 0).text = ofsted[i] if i < len(ofsted) else ""
                    table.cell(i + 1, 1).text = cqc[i] if i < len(cqc) else ""
            for para in report.closing:
                document.add_paragraph(para)
            continue
        for kind, value in blocks:
            if kind == "p":
                document.add_paragraph(value)
            else:
                for v in value:
                    document.add_paragraph(v, style="List Bullet")
    section = document.sections[0]
    section.footer.paragraphs[0].text = "Area SEND inspection report: " + report.title.split(" of ", 1)[-1]  # never in the body text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- plain text ------------------------------------------------------------------------------------------------


def to_text(report: Report, layout: str, ordered: bool = False) -> bytes:
    """The report saved from Word as plain text (Windows line ends): one line a paragraph with a blank line between
    paragraphs, list glyphs followed by a tab ('•\\t', '1.\\t', nested 'o' indented), table rows as tab-separated
    cells."""
    out: list[str] = [report.title, ""]
    for label, value in (report.dates_line, report.previous_line):
        out.append(f"{label} {value}")
    out.append("")

    def item_lines(item: Item, marker: str) -> list[str]:
        lines = [marker + item.lead]
        lines += ["\to\t" + sub for sub in item.subs]
        if item.after:
            lines.append(("\t" if marker else "") + item.after)
        return lines

    for heading, blocks in report.sections:
        out += [heading.upper() if layout == "tables" else heading, ""]
        key = heading.lower()
        if "priority action" in key:
            out.append("Responsible body\tAreas for priority action")
            for body, item in report.priority:
                out.append(body + "\t" + " ".join([item.lead] + ["• " + s for s in item.subs] + ([item.after] if item.after else [])))
            out.append("")
            continue
        if "for improvement" in key:
            for n, item in enumerate(report.improvement, 1):
                out += item_lines(item, f"{n}.\t" if ordered else "•\t")
                if layout == "tables":
                    out.append("")
            out.append("")
            continue
        if key.startswith("inspection team"):
            out += [m["printed"] for m in report.team] + [""]
            out += report.closing
            continue
        for kind, value in blocks:
            if kind == "p":
                out += [value, ""]
            else:
                out += ["•\t" + v for v in value] + [""]
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


# --- PDF from another producer -----------------------------------------------------------------------------------

FONT_DIR = "/usr/share/fonts/truetype/dejavu"


def to_pdf(report: Report, layout: str, ordered: bool = False) -> bytes:
    """The report as a council re-publishes it through Word -> PDF: another font and column width than Ofsted's,
    'Page N of M' in every page footer and the title as a running header, so lists and sentences cross page breaks
    with furniture inside them; bullets drawn as '•' glyphs, sub-points as '–'."""
    from fpdf import FPDF

    title = report.title

    class Doc(FPDF):
        def header(self):
            if self.page_no() > 1:
                self.set_font("DejaVu", size=7)
                self.cell(0, 5, title, align="R", new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", size=7)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Doc(format="A4")
    pdf.add_font("DejaVu", fname=f"{FONT_DIR}/DejaVuSans.ttf")
    pdf.add_font("DejaVu", style="B", fname=f"{FONT_DIR}/DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    def para(text: str, size: int = 10, bold: bool = False, indent: float = 0) -> None:
        pdf.set_font("DejaVu", style="B" if bold else "", size=size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def item(it: Item, marker: str) -> None:
        para(marker + it.lead, indent=2 if marker else 0)
        for sub in it.subs:
            para("– " + sub, indent=8)
        if it.after:
            para(it.after, indent=2 if marker else 0)

    para(title, size=14, bold=True)
    for label, value in (report.dates_line, report.previous_line):
        para(f"{label} {value}")
    for heading, blocks in report.sections:
        para(heading, size=12, bold=True)
        key = heading.lower()
        if "priority action" in key:
            pdf.set_font("DejaVu", size=10)
            with pdf.table(col_widths=(30, 70), text_align="LEFT", first_row_as_headings=False) as table:
                row = table.row()
                row.cell("Responsible body")
                row.cell("Areas for priority action")
                for body, it in report.priority:
                    row = table.row()
                    row.cell(body)
                    row.cell("\n".join([it.lead] + ["• " + s for s in it.subs] + ([it.after] if it.after else [])))
            pdf.ln(2)
            continue
        if "for improvement" in key:
            for n, it in enumerate(report.improvement, 1):
                item(it, f"{n}. " if ordered else ("• " if layout == "govuk" else ""))
            continue
        if key.startswith("inspection team"):
            for member in report.team:
                para(member["printed"])
            for text in report.closing:
                para(text, size=8)
            continue
        for kind, value in blocks:
            if kind == "p":
                para(value)
            else:
                for v in value:
                    para("• " + v, indent=2)
    return bytes(pdf.output())
