"""CSV exports: same rows on the web and the command line, escaping, BOM, streaming, bounded queries."""

import csv
import io
import tracemalloc

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.facts import exports
from inspections.facts.exports import EXPORTS, INCOMPLETE, csv_lines, escape_cell
from tests.factories import make_area, make_dataset, make_path

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]

EXPORT_MAX_QUERIES = 1  # the rows: one query, read in chunks (regions are a fixed set: validating one reads nothing)

INSPECTION_COLUMNS = ["area_name", "area_gss_code", "framework", "kind", "start_date", "end_date", "letter_date",
                      "outcome", "wsoa_required", "weakness_count", "source_kind", "source_file", "needs_review"]
WEAKNESS_COLUMNS = ["area_name", "area_gss_code", "framework", "inspection_start_date", "weakness_kind", "number",
                    "text", "judgement", "judged_on"]


def _download(client, url, **params) -> tuple[bytes, list[dict]]:
    response = client.get(url, params)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return body, list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"), ("+44 20", "'+44 20"), ("-x", "'-x"), ("@cmd", "'@cmd"),
        ("|pipe", "'|pipe"), ("%APPDATA%", "'%APPDATA%"), ("\tTab", "'\tTab"), ("\rCR", "'\rCR"),
        ("-12", "-12"), ("+3.5", "+3.5"), ("-1e5", "-1e5"), ("Hartlepool", "Hartlepool"), ("", ""),
    ],
)
def test_formula_escaping(value, expected):
    assert escape_cell(value) == expected


def test_inspections_csv_columns_and_rows(client):
    path = make_path(make_area("Medway", gss_code="E06000035"), weaknesses=4, sufficient=3, with_2023=True)
    _, rows = _download(client, "/exports/inspections.csv", sort="date")
    assert list(rows[0])[: len(INSPECTION_COLUMNS)] == INSPECTION_COLUMNS
    assert [r["kind"] for r in rows] == ["initial_inspection", "revisit", "full_inspection", "monitoring_inspection"]
    initial, revisit = rows[0], rows[1]
    assert initial == {**initial, "area_name": "Medway", "area_gss_code": "E06000035", "framework": "2016",
                       "start_date": "2017-03-06", "end_date": "2017-03-10", "letter_date": "2017-04-15",
                       "outcome": "wsoa_required", "wsoa_required": "true", "weakness_count": "4",
                       "source_kind": "letter", "source_file": path["document"].original_name, "needs_review": "false"}
    assert revisit["outcome"] == "sufficient_some" and revisit["wsoa_required"] == ""
    assert revisit["start_date"] == path["revisit"].start_date.isoformat()


def test_weaknesses_csv_one_row_per_judgement(client, judged_twice):
    _, rows = _download(client, "/exports/weaknesses.csv", sort="judged_on")
    assert list(rows[0])[: len(WEAKNESS_COLUMNS)] == WEAKNESS_COLUMNS
    got = sorted((r["number"], r["judgement"], r["judged_on"]) for r in rows)
    assert got == [("1", "insufficient", "2018-10-01"), ("1", "sufficient", "2020-02-03"), ("2", "empty", "")]
    assert {r["text"] for r in rows if r["number"] == "1"} == {"'=HYPERLINK(\"evil\")"}
    assert rows[0]["inspection_start_date"] == "2017-03-06" and rows[0]["weakness_kind"] == "significant_weakness"


def test_export_holds_exactly_what_the_list_shows(client):
    make_path(make_area("Hartlepool", region="North East"), revisit=False)
    make_path(make_area("Medway", region="South East"))
    make_area("Never", region="North East")
    params = {"region": "North East", "sort": "-name"}
    page = client.get("/areas/", params)
    _, rows = _download(client, "/exports/areas.csv", **params)
    assert [r["area_name"] for r in rows] == [r["name"] for r in page.context["rows"]] == ["Never", "Hartlepool"]
    assert rows[1]["stage_label"] == "2016: WSOA required, no revisit yet (inspected 2017)" and rows[1]["wsoa_open"] == "true"
    _, inspections = _download(client, "/exports/inspections.csv", kind="revisit")
    assert [r["area_name"] for r in inspections] == ["Medway"]


@pytest.mark.parametrize("name", ["inspections", "weaknesses", "areas"])
def test_command_writes_the_same_bytes_as_the_web(client, tmp_path, name):
    make_path(make_area("Hartlepool", region="North East"), with_2023=True)
    make_path(make_area("Medway", region="South East"), revisit=False)
    body, _ = _download(client, f"/exports/{name}.csv", region="North East")
    out = tmp_path / f"{name}.csv"
    call_command("export", name, str(out), "--filter", "region=North East", stdout=io.StringIO())
    assert out.read_bytes() == body
    assert b"Medway" not in body and b"Hartlepool" in body


def test_error_mid_stream_ends_with_incomplete_line():
    def rows():
        yield ["a", "b"]
        yield ["1", "2"]
        raise RuntimeError("database went away")

    text = "".join(csv_lines(rows()))
    assert text.startswith("\ufeffa,b\r\n1,2\r\n")
    assert text.rstrip().endswith(INCOMPLETE)


def test_web_export_error_mid_stream(client, monkeypatch):
    make_path(make_area("Medway"))

    def broken(filters=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(exports, "EXPORTS", {**EXPORTS, "inspections": exports.Export("inspections", EXPORTS["inspections"].columns, broken)})
    body = b"".join(client.get("/exports/inspections.csv").streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("area_name,")
    assert body.strip().endswith(INCOMPLETE)


def test_unknown_export_is_404(client):
    assert client.get("/exports/secrets.csv").status_code == 404


def test_export_needs_login_when_not_public(client, settings):
    settings.PUBLIC_READ = False
    assert client.get("/exports/inspections.csv").status_code == 302


def test_export_reads_in_chunks_with_flat_memory(monkeypatch):
    """Rows are pulled from the cursor chunk by chunk: peak memory with 10x rows stays near the 1x peak."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 50)
    peaks = []
    for size in (20, 200):
        make_dataset(size)  # cumulative: 20 then 220 areas
        tracemalloc.start()
        lines = 0
        for _ in exports.export_lines("weaknesses"):
            lines += 1
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert lines > size
    assert peaks[1] < peaks[0] * 3, peaks  # 11x the rows, not 11x the memory


@pytest.mark.parametrize("url", ["/exports/inspections.csv", "/exports/weaknesses.csv", "/exports/areas.csv",
                                 "/exports/weaknesses.csv?judgement=empty&region=North+East"])
def test_export_queries_bounded_at_1x_and_10x(client, django_assert_max_num_queries, url):
    counts = []
    for size in (3, 30):
        make_dataset(size)
        with CaptureQueriesContext(connection) as ctx:
            b"".join(client.get(url).streaming_content)
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    # The areas file adds one query: whether the analysis snapshot of next visits is current (analysis/snapshot.py).
    with django_assert_max_num_queries(EXPORT_MAX_QUERIES + ("/areas.csv" in url)):
        b"".join(client.get(url).streaming_content)
