"""Reading dataset files without Django: each kind found by its headings, a missing column named, dates read only
in an order the file proves."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from inspections.datasets.kinds import DatasetFormatError, read_dataset
from inspections.datasets.tables import CSV, HTML, ODS, XLSX, read_tables, spreadsheet_type
from tests.conftest import SHARED

MI_HEADINGS = ["", "Link.to.report.webpage", "Local.area.partnership", "Ofsted.region", "Inspection.start.date",
               "Inspection.publication.date", "Inspection.outcome", "Priority.action.plan.required.",
               "Number.of.areas.for.priority.action"]
MI_ROWS = [
    ["1", "Report webpage", "Brighton and Hove", "South East", "27/03/2023", "31/05/2023", "Typically positive experiences and outcomes", "No", "NA"],
    ["2", "Report webpage", "Nottinghamshire", "East Midlands", "30/01/2023", "16/05/2023", "Widespread and/or systemic failings", "Yes", "2"],
]


def _csv(rows) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows, sheet="Sheet1") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_management_information_csv_found_by_headings_with_row_provenance():
    read = read_dataset(read_tables(_csv([MI_HEADINGS, *MI_ROWS]), CSV))
    assert read.kind == "ofsted_mi" and read.source_kind == "official"
    notts = read.records[1].letter
    assert (notts.start_date, notts.published_date, notts.outcome, notts.stated_weaknesses) == (
        dt.date(2023, 1, 30), dt.date(2023, 5, 16), "systemic_failings", 2)
    assert notts.source_row == 3 and "Number of areas for priority action" in notts.source_columns
    assert read.records[0].letter.stated_weaknesses == 0  # "No" priority action plan: none stated
    assert read.text[notts.span.start:notts.span.end].startswith("Ofsted management information — area SEND inspection — Nottinghamshire")


def test_the_same_rows_as_xlsx_with_plain_headings_read_the_same():
    headings = ["Local area partnership", "Ofsted region", "Inspection start date", "Inspection publication date",
                "Inspection outcome", "Priority action plan required?", "Number of areas for priority action"]
    data = _xlsx([headings, *[r[2:] for r in MI_ROWS]])
    assert spreadsheet_type(data) == XLSX
    read = read_dataset(read_tables(data, XLSX))
    assert [r.letter.outcome for r in read.records] == ["positive", "systemic_failings"]
    assert read.records[0].letter.source_sheet == "Sheet1" and read.records[0].letter.source_row == 2


def test_a_renamed_column_is_a_clear_error_naming_it():
    headings = [h.replace("Inspection.outcome", "Judgement") for h in MI_HEADINGS]
    with pytest.raises(DatasetFormatError, match="Inspection outcome"):
        read_dataset(read_tables(_csv([headings, *MI_ROWS]), CSV))


def test_numeric_dates_whose_order_no_value_proves_are_refused():
    rows = [r[:4] + ["02/03/2023", "04/05/2023"] + r[6:] for r in MI_ROWS]
    with pytest.raises(DatasetFormatError, match="day or the month"):
        read_dataset(read_tables(_csv([MI_HEADINGS, *rows]), CSV))


def test_a_table_with_other_headings_is_not_a_dataset():
    assert read_dataset(read_tables(_csv([["Name", "Age"], ["A", "3"]]), CSV)) is None


def test_scrape_html_is_secondary_and_skips_rows_without_dates():
    page = b"""<html><body><p><b>Summary data last updated: 29 06 2026 07:36</b></p><table>
    <tr><th>URN</th><th>LTLA23CD</th><th>Local Authority</th><th>Inspection Start Date</th><th>Inspection End Date</th>
    <th>Outcome Grade</th><th>Publication Date</th></tr>
    <tr><td>1</td><td>E08000016</td><td>barnsley</td><td>02/02/26</td><td>06/02/26</td><td>1.0</td><td>18/05/26</td></tr>
    <tr><td>2</td><td>E10000007</td><td>derbyshire</td><td>01/01/1900</td><td>01/01/1900</td><td>3.0</td><td>19/05/26</td></tr>
    </table></body></html>"""
    read = read_dataset(read_tables(page, HTML), raw=page)
    assert read.kind == "d2i_scrape" and read.source_kind == "secondary" and read.published == dt.date(2026, 6, 29)
    assert len(read.records) == 1 and read.records[0].area_code == "E08000016"
    letter = read.records[0].letter
    assert (letter.start_date, letter.outcome, letter.source_kind) == (dt.date(2026, 2, 2), "positive", "secondary")
    assert letter.review_reasons and "secondary" in letter.review_reasons[0]
    assert "derbyshire" in read.notes[0] and "no inspection date" in read.notes[0]


@pytest.mark.shared
def test_official_statistics_ods_rows_notes_and_release():
    data = (SHARED / "reference/ofsted-statistics/Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods").read_bytes()
    assert spreadsheet_type(data) == ODS
    read = read_dataset(read_tables(data, ODS))
    assert (read.kind, read.published, read.covers_to) == ("ofsted_statistics", dt.date(2022, 11, 17), dt.date(2022, 8, 31))
    inspections = [r for r in read.records if r.letter.kind == "initial_inspection"]
    revisits = [r for r in read.records if r.letter.kind == "revisit"]
    assert len(inspections) == 151 and len(revisits) == 47  # 149 rows + the two former authorities of the Notes sheet
    birmingham = next(r.letter for r in revisits if r.area_name == "Birmingham")
    assert (birmingham.overall, birmingham.stated_sufficient, birmingham.stated_insufficient) == ("sufficient_some", 1, 12)
    dorset = [r.letter for r in read.records if r.area_name == "Dorset"]
    assert [(d.kind, d.period_text, d.outcome or d.overall) for d in dorset] == [
        ("initial_inspection", "January 2017", "wsoa_required"), ("revisit", "February 2019", "sufficient_some")]
    assert dorset[0].start_date is None  # only the month is stated: no day is made up


@pytest.mark.parametrize("text, precision", [("January 2017", "month"), ("Feb 2019", "month"), ("2019", "year"), ("", "")])
def test_a_datasets_period_says_how_precise_it_is(text, precision):
    from inspections.analysis.periods import period_precision

    assert period_precision(text) == precision
