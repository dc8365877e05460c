"""Every analysis CSV states the data's date (`facts_as_of`, last column, the page's "facts held as of"), and the
durations SVG writes the median and quartiles its table shows. Hand-made facts; the document finished at
23:30 UTC on 14 July 2026, which is 00:30 on 15 July in London (BST): the page, the column and the filename all
say 15 July."""

import csv
import datetime as dt
import io
import re

import pytest

from tests.factories import make_area, make_document, make_inspection, make_revisit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]

FINISHED = dt.datetime(2026, 7, 14, 23, 30, 0, 250000, tzinfo=dt.timezone.utc)
FACTS_AS_OF = "2026-07-15T00:30:00+01:00"  # London time, to the second, as the page shows it (to the minute)
PAGE_SHOWS = "as of 15 July 2026, 00:30"
FULL_3Y = "The next full area SEND inspection will be within approximately three years."


@pytest.fixture
def facts(db):
    """Two 2016 inspections revisited after 560 and 600 days (median 580 days = 19.1 months; inclusive quartiles
    570 and 590 days = 18.7 and 19.4 months), one 2023 inspection that states its next window."""
    make_document(finished_at=FINISHED)
    a = make_area("Alpha", gss_code="E06000941", region="North East")
    make_revisit(make_inspection(a, start_date=dt.date(2017, 3, 6)), start_date=dt.date(2018, 9, 17))
    b = make_area("Beta", gss_code="E06000942", region="North East")
    make_revisit(make_inspection(b, start_date=dt.date(2017, 3, 13)), start_date=dt.date(2018, 11, 3))
    make_inspection(b, framework="2023", start_date=dt.date(2024, 2, 5), outcome="positive", next_inspection_text=FULL_3Y)


def _csv(response) -> tuple[list[str], list[list[str]]]:
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return rows[0], rows[1:]


@pytest.mark.parametrize(("page", "download", "params"), [
    ("/analysis/due/", "/analysis/due.csv", {"months": 120}),
    ("/analysis/durations/", "/analysis/durations.csv", {"region": "North East"}),
    ("/analysis/paths/", "/analysis/paths.csv", {}),
    ("/analysis/trends/", "/analysis/trends.csv", {"period": "calendar_year"}),
    ("/analysis/compare/E06000942/", "/analysis/compare/E06000942.csv", {}),
])
def test_every_analysis_csv_ends_each_row_with_the_pages_data_date(client, facts, page, download, params):
    shown = client.get(page, params)
    assert PAGE_SHOWS in shown.content.decode()
    response = client.get(download, params)
    header, rows = _csv(response)
    assert header[-1] == "facts_as_of" and header.count("facts_as_of") == 1
    assert rows and {r[-1] for r in rows} == {FACTS_AS_OF}
    assert all(len(r) == len(header) for r in rows)
    # The same instant as the page's date (the CSV drops only the microseconds).
    assert dt.datetime.fromisoformat(FACTS_AS_OF) == shown.context["as_of"].replace(microsecond=0)
    filename = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
    assert filename.endswith("-facts-2026-07-15.csv"), filename


def test_before_any_document_is_processed_the_column_is_empty(client, db):
    make_area("Gamma", gss_code="E06000943", region="London")
    response = client.get("/analysis/paths.csv")
    header, rows = _csv(response)
    assert header[-1] == "facts_as_of" and {r[-1] for r in rows} == {""}
    assert "-facts-" not in response["Content-Disposition"]


def test_durations_svg_writes_the_median_and_quartiles_the_table_shows(client, facts):
    html = client.get("/analysis/durations/").content.decode()
    row = re.search(r'<tr data-measure="initial_to_revisit">(.*?)</tr>', html, re.S).group(1)
    count, median, quartiles = re.findall(r'<td class="num">(.*?)</td>', row)[:3]
    assert (count, median, quartiles) == ("2", "19.1", "18.7–19.4")
    label = f"median {median}, quartiles {quartiles}"
    assert label in html  # the chart drawn in the page
    assert label in client.get("/analysis/durations.svg").content.decode()  # and the download
