"""A letter and Ofsted's figures about one inspection: one row whichever arrives first; where they differ, both
values and both sources are kept for review and shown on the fact's page. Built from the project's own seed letter
and a small workbook in the official statistics' layout (no ../shared needed)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from inspections.models import Inspection
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store
from tests.conftest import SEEDS

HEADINGS = ["Web link to Ofsted local authority webpage", "Local authority code", "Area name", "Ofsted region",
            "Inspection start date", "Inspection publication date",
            "Inspection outcome: written statement of action required?",
            "Number significant weaknesses identified in written statement of action", "Revisit start date",
            "Revisit publication date", "Revisit outcome: sufficient progress in addressing all significant weaknesses?",
            "Number significant weaknesses where sufficient progress has been made",
            "Number significant weaknesses where sufficient progress has not been made"]


def _statistics(start: dt.date, weaknesses: int) -> bytes:
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Published on:", dt.datetime(2022, 11, 17)])
    cover.append(["Period covered:", "Inspections and revisits as at 31 August 2022, published by 31 October 2022"])
    sheet = book.create_sheet("Area_SEND_up_to_31_Aug_2022")
    sheet.append(["Area SEND inspection and revisit outcomes"])
    sheet.append(HEADINGS)
    sheet.append(["Ofsted LA Webpage", "E06000001", "Hartlepool", "North East, Yorkshire and the Humber",
                  dt.datetime.combine(start, dt.time()), dt.datetime(2017, 1, 18), "Yes", weaknesses,
                  "Not revisited yet", "", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ingest(name: str, data: bytes):
    document = document_store(stream=io.BytesIO(data), original_name=name)
    return ingest_document(document.pk)


LETTER = (SEEDS / "000_30b352e54e3c96f7.txt").read_bytes()  # Hartlepool, 3 to 7 October 2016, four weaknesses


@pytest.mark.parametrize("order", ["letter first", "dataset first"])
def test_a_disagreement_keeps_both_values_and_sources_for_review(areas, order, client):
    files = [("hartlepool.txt", LETTER), ("stats.xlsx", _statistics(dt.date(2016, 10, 4), 5))]
    for name, data in files if order == "letter first" else files[::-1]:
        _ingest(name, data)
    row = Inspection.objects.get(area__name="Hartlepool", framework="2016")  # one row, never two
    assert (row.source_kind, row.start_date, row.end_date) == ("letter", dt.date(2016, 10, 3), dt.date(2016, 10, 7))
    assert row.published_date == dt.date(2017, 1, 18) and row.stated_weaknesses == 5  # what only the dataset states
    assert row.needs_review
    reasons = " ".join(row.review_reasons)
    assert ("the letter says 3 October 2016; Ofsted official statistics, published 17 November 2022, "
            "sheet Area_SEND_up_to_31_Aug_2022, row 3 says 4 October 2016") in reasons
    assert "number of weaknesses: the letter says 4; Ofsted official statistics" in reasons
    assert row.weaknesses.count() == 4  # the words come only from the letter
    page = client.get(f"/facts/inspection/{row.pk}/").content.decode()
    assert "the letter says 3 October 2016" in page


def test_agreeing_sources_need_no_review_and_the_dataset_fills_the_publication_date(areas):
    _ingest("hartlepool.txt", LETTER)
    assert Inspection.objects.get(area__name="Hartlepool").published_date is None
    _ingest("stats.xlsx", _statistics(dt.date(2016, 10, 3), 4))
    row = Inspection.objects.get(area__name="Hartlepool", framework="2016")
    assert row.published_date == dt.date(2017, 1, 18) and not row.needs_review


def test_a_spreadsheet_that_is_no_dataset_fails_with_the_reason(areas):
    book = openpyxl.Workbook()
    book.active.append(["Name", "Age"])
    out = io.BytesIO()
    book.save(out)
    report = _ingest("people.xlsx", out.getvalue())
    assert report.status == "failed" and "column headings of a dataset" in report.message
    assert not Inspection.all_objects.exists()


def test_a_renamed_column_fails_naming_it_and_stores_nothing(areas):
    data = _statistics(dt.date(2016, 10, 3), 4)
    book = openpyxl.load_workbook(io.BytesIO(data))
    book["Area_SEND_up_to_31_Aug_2022"]["G2"] = "WSOA?"
    out = io.BytesIO()
    book.save(out)
    report = _ingest("renamed.xlsx", out.getvalue())
    assert report.status == "failed"
    assert "“Inspection outcome: written statement of action required?”" in report.message
    assert not Inspection.all_objects.exists()


def test_the_upload_page_takes_a_dataset(areas, client, django_user_model, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = django_user_model.objects.create_user("a", password="pw")
    user.groups.add(Group.objects.get(name="analyst"))
    client.force_login(user)
    upload = SimpleUploadedFile("any-name.bin", _statistics(dt.date(2016, 10, 3), 4))
    with django_capture_on_commit_callbacks(execute=True):  # the upload queues it after commit (run inline here)
        response = client.post("/documents/upload/", {"files": [upload]})
    assert response.status_code == 302
    row = Inspection.objects.get(area__name="Hartlepool", framework="2016")
    assert (row.source_kind, row.source_row, row.stated_weaknesses) == ("official", 3, 4)


def test_as_at_filters_the_inspections_list_and_its_csv(areas, client):
    _ingest("stats.xlsx", _statistics(dt.date(2016, 10, 3), 4))
    assert "Hartlepool" in client.get("/inspections/?as_at=2016-10-03").content.decode()
    assert "Hartlepool" not in client.get("/inspections/?as_at=2016-10-02").content.decode()
    csv_before = b"".join(client.get("/exports/inspections.csv?as_at=2016-10-02").streaming_content).decode()
    csv_after = b"".join(client.get("/exports/inspections.csv?as_at=2017-01-01").streaming_content).decode()
    assert "Hartlepool" not in csv_before and "Hartlepool" in csv_after
    assert client.get("/exports/inspections.csv?as_at=2021-13-45").status_code == 400  # never every row


def test_the_dashboard_shows_figures_as_at_a_date_and_each_sources_currency(areas, client):
    _ingest("stats.xlsx", _statistics(dt.date(2016, 10, 3), 4))
    _ingest("hartlepool.txt", LETTER)
    page = client.get("/").content.decode()
    assert "Ofsted statistics (inspections and revisits as at 31 August 2022)" in page
    assert "letters and reports held: 1" in page
    page = client.get("/?as_at=2017-03-31").content.decode()
    assert "1 of 152 local areas inspected" in page and "1 required a written statement of action" in page
    assert "reports published by 31 March 2017" in page
    # The lists as at the same date are a click away; the parts of the page that are today's say so.
    assert 'href="/areas/?as_at=2017-03-31"' in page and 'href="/inspections/?as_at=2017-03-31"' in page
    assert "is today's" in page and "is today's" not in client.get("/").content.decode()
    # Trends count by the same date as the card: publication, or the first day of the visit.
    assert "trends/?as_at=2017-03-31&amp;basis=publication" in page
    assert "basis=inspection" in client.get("/?as_at=2017-03-31&basis=carried_out").content.decode()
    # The list counts visits carried out by then (Middlesbrough's began on 20 March 2017, its report came later),
    # as its link says; the card above counts reports published by then.
    listed = client.get("/inspections/?as_at=2017-03-31")
    assert {r["area_name"] for r in listed.context["rows"]} == {"Hartlepool", "Middlesbrough"}
    assert "0 of 152 local areas inspected" in client.get("/?as_at=2017-01-17").content.decode()  # published the 18th
    assert client.get("/?as_at=yesterday").status_code == 400
