"""A dataset's rows for areas that hold nothing yet are bulk-inserted from the projection's own plan
(datasets/services.py): the rows must be exactly what the writer's projection makes, so re-projecting every area
afterwards changes nothing — and an area that already holds a letter still goes through the projection."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import transaction

from areas.models import LocalArea
from inspections.models import Inspection, Revisit, SourceLetter, WrittenStatementOfAction
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store
from inspections.pipeline.write import project_areas
from tests.conftest import SEEDS, SHARED
from tests.datasets.test_disagreement import _statistics


def _ingest(name: str, data: bytes):
    return ingest_document(document_store(stream=io.BytesIO(data), original_name=name).pk)


def _reprojection_changes():
    with transaction.atomic():
        changes = project_areas(LocalArea.objects.values_list("pk", flat=True))
    return changes.created + changes.updated + changes.deleted


def test_bulk_rows_are_what_the_projection_makes(areas):
    report = _ingest("stats.xlsx", _statistics(dt.date(2016, 10, 3), 4))
    assert report.status == "done" and report.created
    assert Inspection.objects.count() == 1 and WrittenStatementOfAction.objects.count() == 1
    assert _reprojection_changes() == []


def test_an_area_holding_a_letter_goes_through_the_projection(areas):
    _ingest("hartlepool.txt", (SEEDS / "000_30b352e54e3c96f7.txt").read_bytes())
    _ingest("stats.xlsx", _statistics(dt.date(2016, 10, 3), 4))
    assert Inspection.objects.filter(area__name="Hartlepool").count() == 1
    assert SourceLetter.objects.filter(area__name="Hartlepool", document__original_name="stats.xlsx").count() == 1
    assert Inspection.objects.get(area__name="Hartlepool").source_kind == "letter"
    assert _reprojection_changes() == []


@pytest.mark.shared
def test_the_official_statistics_bulk_import_survives_reprojection(areas):
    path = SHARED / "reference/ofsted-statistics/Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods"
    _ingest(path.name, path.read_bytes())
    assert Inspection.objects.count() == 151 and Revisit.objects.count() == 47
    assert _reprojection_changes() == []


@pytest.mark.shared
def test_every_file_beside_letters_in_any_order_survives_reprojection(areas):
    """The scrape first (areas then hold 2023 rows), then its workbook (repeats), the statistics (2016 rows beside
    them), the management information (repeats and disagreements), then letters: one inspection per visit, and
    re-projecting every area changes nothing."""
    stats, scrape = SHARED / "reference/ofsted-statistics", SHARED / "reference/d2i-send-scrape"
    reports = sorted((SHARED / "corpus/reports-2023").glob("*.pdf"))[:6]
    for path in [scrape / "index_2026-06-29.html", scrape / "ofsted_csc_send_overview_2025-11-10.xlsx",
                 stats / "Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods", *sorted(stats.glob("*.csv")),
                 *reports, SEEDS / "000_30b352e54e3c96f7.txt"]:
        _ingest(path.name, path.read_bytes())
    assert _reprojection_changes() == []
    keys = list(Inspection.objects.values_list("area_id", "framework", "kind", "start_date"))
    assert len(keys) == len(set(keys))
    assert Inspection.objects.filter(framework="2016", kind="initial_inspection").values("area").distinct().count() == 151


SCRAPE = b"""<html><body><p><b>Summary data last updated: 29 06 2026 07:36</b></p><table>
<tr><th>URN</th><th>LTLA23CD</th><th>Local Authority</th><th>Inspection Start Date</th><th>Inspection End Date</th>
<th>Outcome Grade</th><th>Publication Date</th></tr>
<tr><td>1</td><td>E08000016</td><td>barnsley</td><td>11/05/23</td><td>19/05/23</td><td>2.0</td><td>10/07/23</td></tr>
</table></body></html>"""


def _management_information(start: str) -> bytes:
    from tests.datasets.test_kinds import MI_HEADINGS, _csv

    return _csv([MI_HEADINGS, ["1", "Report webpage", "Barnsley", "North East, Yorkshire and the Humber", start,
                               "10/07/2023", "Inconsistent experiences and outcomes", "No", "NA"]])


@pytest.mark.parametrize("order", ["scrape first", "official first"])
def test_a_release_that_moves_a_visits_start_date_changes_that_row(areas, order):
    """The scrape gives 11 May 2023, Ofsted's management information 15 May for the same visit: one row (the one
    held, when the official figure arrives second), with Ofsted's date, whichever arrives first; re-projecting
    changes nothing."""
    files = [("index.html", SCRAPE), ("mi.csv", _management_information("15/05/2023"))]
    _ingest(*files[0 if order == "scrape first" else 1])
    held = Inspection.all_objects.get(area__name="Barnsley")
    _ingest(*files[1 if order == "scrape first" else 0])
    row = Inspection.all_objects.get(area__name="Barnsley")  # one row, never two
    assert (row.start_date, row.source_kind, row.outcome) == (dt.date(2023, 5, 15), "official", "inconsistent")
    assert row.pk == held.pk
    assert _reprojection_changes() == []


def test_bulk_inserted_letters_carry_the_search_vector_the_trigger_would_compute(areas):
    """The writer sends each letter's text with the insert (migration 0015): the vector stored must be the one
    migration 0005's trigger computes from the letter's span of its document."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("search vectors are PostgreSQL's")
    _ingest("mi.csv", _management_information("15/05/2023"))
    _ingest("index.html", SCRAPE)
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT count(*), count(*) FILTER (WHERE l.search_vector IS DISTINCT FROM
                to_tsvector('english'::regconfig, COALESCE(substr(d.text, l.span_start + 1, l.span_end - l.span_start), ''::text))),
                count(*) FILTER (WHERE l.search_vector @@ plainto_tsquery('english', 'Barnsley'))
            FROM inspections_sourceletter l JOIN inspections_document d ON d.id = l.document_id""")
        letters, different, barnsley = cursor.fetchone()
    assert (letters, different, barnsley) == (2, 0, 2)
