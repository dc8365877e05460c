"""The exports carry what Ofsted's datasets state and where each value came from: the counts a dataset row states
(`stated_*`), the row itself (`source_label`, sheet, row, columns), and a visit dated only to the month or year
(`period_text`, `date_precision`). Empty means not stated, never 0. The new columns come after the old ones, whose
order analysts' scripts rely on; the CSV, the workbook and the API give the same values."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from inspections.facts.exports import EXPORTS, format_cell
from tests.conftest import PROJECT_ROOT
from tests.factories import make_area, make_inspection, make_path, make_revisit, make_weakness

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]

TABLE_FILE = PROJECT_ROOT / "inspections/datasets/data/england.csv"
BEDFORD_ROW = "Ofsted official statistics, published 17 November 2022, sheet Area_SEND_up_to_31_Aug_2022, row 10"

# The columns every export had before these (analysts read them by position), then the new ones, in this order.
OLD_INSPECTION_COLUMNS = [
    "area_name", "area_gss_code", "framework", "kind", "start_date", "end_date", "letter_date", "outcome",
    "wsoa_required", "weakness_count", "source_kind", "source_file", "needs_review", "region", "published_date",
    "area_dfe_la_code", "area_ofsted_urn", "area_replaced_by", "source_url", "known_from",
]
NEW_INSPECTION_COLUMNS = [
    "period_text", "date_precision", "stated_weaknesses", "stated_sufficient", "stated_insufficient",
    "source_label", "source_sheet", "source_row", "source_columns",
]
PROVENANCE_COLUMNS = ["source_document_id", "span_start", "span_end", "corrected_fields"]
OLD_WEAKNESS_COLUMNS = [
    "area_name", "area_gss_code", "framework", "inspection_start_date", "weakness_kind", "number", "text", "judgement",
    "judged_on", "revisit_kind", "region", "needs_review", "judgement_needs_review", "published_date",
    "area_dfe_la_code", "area_ofsted_urn", "area_replaced_by", "inspection_known_from", "themes", "themes_uncertain",
    "themes_method", "responsible_bodies",
]
NEW_WEAKNESS_COLUMNS = ["source_kind", "source_label", "inspection_stated_weaknesses"]


def _csv(client, url: str, **params) -> tuple[list[str], list[dict]]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    return header, list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def england(areas):
    """The England table shipped with the product, through the product's own import (`manage.py ingest`)."""
    call_command("ingest", str(TABLE_FILE), stdout=io.StringIO(), stderr=io.StringIO())
    return areas


def test_new_columns_come_after_the_old_ones_in_the_same_order():
    assert EXPORTS["inspections"].header == OLD_INSPECTION_COLUMNS + NEW_INSPECTION_COLUMNS + PROVENANCE_COLUMNS
    assert EXPORTS["weaknesses"].header == (OLD_WEAKNESS_COLUMNS + NEW_WEAKNESS_COLUMNS + PROVENANCE_COLUMNS
                                            + ["judgement_corrected_fields"])


def test_a_dataset_row_exports_its_stated_counts_and_where_it_came_from(client, england):
    header, rows = _csv(client, "/exports/inspections.csv", area="E06000055", framework="2016", sort="date")  # Bedford
    assert header == OLD_INSPECTION_COLUMNS + NEW_INSPECTION_COLUMNS + PROVENANCE_COLUMNS
    initial, revisit = rows
    assert initial["kind"] == "initial_inspection" and revisit["kind"] == "revisit"
    assert initial == {
        **initial, "source_kind": "official", "stated_weaknesses": "5", "source_label": BEDFORD_ROW,
        "source_sheet": "Area_SEND_up_to_31_Aug_2022", "source_row": "10", "date_precision": "day", "period_text": "",
        # An inspection states no revisit counts: empty, never 0.
        "stated_sufficient": "", "stated_insufficient": "",
    }
    assert initial["source_columns"]  # the headings of the cells it rests on
    # The sentence it rests on: the dataset's line for Bedford, in the document's text; nothing corrected.
    from inspections.models import Document

    text = Document.objects.get(pk=initial["source_document_id"]).text
    assert "Bedford" in text[int(initial["span_start"]):int(initial["span_end"])]
    assert initial["corrected_fields"] == ""
    # The revisit's counts as the row states them: 0 is a stated zero, kept apart from "not stated".
    assert revisit == {**revisit, "stated_sufficient": "5", "stated_insufficient": "0", "stated_weaknesses": "",
                       "source_label": BEDFORD_ROW, "source_row": "10"}


def test_a_visit_known_only_from_a_dataset_has_an_unknown_weakness_count_not_zero(client, england):
    # Weaknesses come only from letters: Bedford's inspection, known from Ofsted's statistics, holds none. Its
    # count is not known (the statistics state 5), never "0 weaknesses".
    _, rows = _csv(client, "/exports/inspections.csv", area="E06000055", framework="2016", sort="date")
    initial, revisit = rows
    assert (initial["weakness_count"], initial["stated_weaknesses"]) == ("", "5")
    assert revisit["weakness_count"] == ""
    api = client.get("/api/v1/inspections", {"area": "E06000055", "framework": "2016", "sort": "date"}).json()
    assert [r["weakness_count"] for r in api["results"]] == [None, None]
    page = client.get("/inspections/", {"area": "E06000055", "framework": "2016"}).content.decode()
    assert "5 <span class=\"muted\">(as stated by the dataset)</span>" in page


def test_a_fact_from_a_dataset_row_names_that_row_as_its_source_on_the_list_and_the_timeline(client, england):
    # Not "… on Bedford, published <the report's date>": the row of Ofsted's release, with the release's own date.
    assert BEDFORD_ROW in client.get("/inspections/", {"area": "E06000055"}).content.decode()
    assert BEDFORD_ROW in client.get("/areas/E06000055/").content.decode()


def test_a_revisit_exports_the_publication_date_its_dataset_row_states(client, england):
    # Before, a revisit's published_date came only from its document's listing: empty for every dataset revisit.
    from inspections.models import Revisit

    revisit = Revisit.objects.get(inspection__area__gss_code="E06000055")
    assert revisit.published_date is not None
    _, rows = _csv(client, "/exports/inspections.csv", area="E06000055", framework="2016", kind="revisit")
    assert rows[0]["published_date"] == revisit.published_date.isoformat()
    page = client.get("/areas/E06000055/").content.decode()
    assert f"<dt>Published</dt><dd>{revisit.published_date.day} {revisit.published_date:%B %Y}</dd>" in page


def test_a_visit_known_only_to_the_month_exports_its_period_as_written(client, england):
    # Ofsted's statistics date Dorset's 2016 inspection and revisit only in a note ("January 2017").
    _, rows = _csv(client, "/exports/inspections.csv", area="Dorset", framework="2016", sort="date")
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["initial_inspection"] == {**by_kind["initial_inspection"], "start_date": "",
                                             "period_text": "January 2017", "date_precision": "month",
                                             "source_kind": "official", "source_sheet": "Notes", "source_row": "5"}
    assert by_kind["revisit"] == {**by_kind["revisit"], "start_date": "", "period_text": "February 2019",
                                  "date_precision": "month"}


def test_a_visit_known_only_to_the_month_is_counted_by_as_at_and_year_as_the_dashboard_counts_it(client, england):
    # Dorset's 2016 inspection is dated "January 2017" only: it counts from 1 January 2017, as national.py does.
    def kinds(**params):
        return sorted(r["kind"] for r in _csv(client, "/exports/inspections.csv", area="Dorset", framework="2016",
                                              **params)[1])
    assert kinds(as_at="2017-06-30") == ["initial_inspection"]
    assert kinds(as_at="2016-12-31") == []
    assert kinds(as_at="2021-03-31") == ["initial_inspection", "revisit"]  # the revisit: "February 2019"
    assert kinds(year="2017") == ["initial_inspection"] and kinds(year="2019") == ["revisit"]
    api = client.get("/api/v1/inspections", {"area": "Dorset", "framework": "2016", "as_at": "2017-06-30"}).json()
    assert [r["kind"] for r in api["results"]] == ["initial_inspection"]


def test_a_letter_only_visit_exports_empty_stated_counts_and_no_dataset_row(client):
    path = make_path(make_area("Medway", gss_code="E06000035"), weaknesses=3, sufficient=2)
    header, rows = _csv(client, "/exports/inspections.csv", sort="date")
    assert header == OLD_INSPECTION_COLUMNS + NEW_INSPECTION_COLUMNS + PROVENANCE_COLUMNS
    assert len(rows) == 2
    for row in rows:
        assert row["source_kind"] == "letter" and row["source_file"] == path["document"].original_name
        assert {c: row[c] for c in NEW_INSPECTION_COLUMNS[2:]} == dict.fromkeys(NEW_INSPECTION_COLUMNS[2:], "")
    # Weaknesses: read from the letter; no dataset states the inspection's count.
    header, weaknesses = _csv(client, "/exports/weaknesses.csv")
    assert header == OLD_WEAKNESS_COLUMNS + NEW_WEAKNESS_COLUMNS + PROVENANCE_COLUMNS + ["judgement_corrected_fields"]
    assert {(w["source_kind"], w["source_label"], w["inspection_stated_weaknesses"]) for w in weaknesses} == {("letter", "", "")}
    # Each weakness names the sentence it is read from, in the letter's text.
    for w in weaknesses:
        assert w["source_document_id"] == str(path["document"].pk)
        assert int(w["span_start"]) < int(w["span_end"]) and w["corrected_fields"] == ""


def test_a_month_only_visit_made_by_hand_exports_period_and_precision(client):
    inspection = make_inspection(make_area("Northamptonshire"), start_date=None, period_text="May 2017",
                                 date_precision="month", stated_weaknesses=0)
    make_revisit(inspection, start_date=None, period_text="2019", date_precision="year", stated_sufficient=2)
    _, rows = _csv(client, "/exports/inspections.csv", sort="kind")
    got = {r["kind"]: (r["start_date"], r["period_text"], r["date_precision"], r["stated_weaknesses"],
                       r["stated_sufficient"], r["stated_insufficient"]) for r in rows}
    assert got == {
        "initial_inspection": ("", "May 2017", "month", "0", "", ""),  # a stated "none" is 0
        "revisit": ("", "2019", "year", "", "2", ""),  # sufficient stated, insufficient not: empty
    }


def test_weaknesses_export_the_inspections_stated_count(client):
    inspection = make_inspection(make_area("Stated"), stated_weaknesses=4)
    make_weakness(inspection, 1)
    _, rows = _csv(client, "/exports/weaknesses.csv")
    assert [(r["number"], r["inspection_stated_weaknesses"], r["source_kind"]) for r in rows] == [("1", "4", "letter")]


def test_api_and_csv_agree_on_the_new_columns(client, england):
    params = {"area": "E06000055", "sort": "date"}  # Bedford: a 2016 path and a 2023 inspection
    _, exported = _csv(client, "/exports/inspections.csv", **params)
    api = client.get("/api/v1/inspections", params).json()
    assert api["count"] == len(exported) > 2
    for row, line in zip(api["results"], exported, strict=True):
        assert {c: format_cell(row[c]) for c in line} == line
    initial = next(r for r in api["results"] if r["kind"] == "initial_inspection")
    # Typed as the schema says: counts and the row number are numbers, an unstated count null.
    assert (initial["stated_weaknesses"], initial["stated_sufficient"], initial["source_row"]) == (5, None, 10)


def test_workbook_keeps_the_new_columns_and_their_types(client, england):
    response = client.get("/exports/workbook.xlsx", {"area": "E06000055", "framework": "2016"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    _, header, *rows = list(book["Inspections"].values)
    assert list(header) == OLD_INSPECTION_COLUMNS + NEW_INSPECTION_COLUMNS + PROVENANCE_COLUMNS
    by_kind = {r[header.index("kind")]: dict(zip(header, r)) for r in rows}
    initial, revisit = by_kind["initial_inspection"], by_kind["revisit"]
    assert (initial["stated_weaknesses"], initial["source_row"], initial["stated_sufficient"]) == (5, 10, None)
    assert (revisit["stated_sufficient"], revisit["stated_insufficient"]) == (5, 0)  # numbers, a stated 0 kept
    assert initial["source_label"] == BEDFORD_ROW and initial["date_precision"] == "day"
    assert isinstance(initial["start_date"], dt.datetime)  # dates stay Excel dates
    columns = {(r[0], r[1]) for r in list(book["Columns"].values)[1:]}
    assert {("Inspections", c) for c in NEW_INSPECTION_COLUMNS} <= columns
    assert {("Weaknesses", c) for c in NEW_WEAKNESS_COLUMNS} <= columns
