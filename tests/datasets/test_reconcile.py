"""Importing datasets again, in another order, or beside a letter: a re-import changes nothing, a later release never
duplicates, and a letter and the dataset row of its inspection make one row whichever arrived first."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from inspections.models import Inspection, Revisit
from tests.conftest import SEEDS, SHARED

pytestmark = pytest.mark.shared
STATS = SHARED / "reference/ofsted-statistics"
ODS_FILE = STATS / "Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods"
MI_MARCH = STATS / "mi_area_send_as_at_31_mar_2023.csv"
MI_AUGUST = STATS / "mi_area_send_jan_to_aug_2023.csv"
SCRAPE = SHARED / "reference/d2i-send-scrape"
HARTLEPOOL_LETTER = SEEDS / "000_30b352e54e3c96f7.txt"


def ingest(*paths, reprocess=False) -> str:
    out = io.StringIO()
    call_command("ingest", *[str(p) for p in paths], *(["--reprocess"] if reprocess else []), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _snapshot():
    return sorted(Inspection.all_objects.values_list("area__gss_code", "framework", "kind", "start_date", "published_date",
                                                   "outcome", "stated_weaknesses", "source_kind", "source_document_id", "source_row")), \
        sorted(Revisit.all_objects.values_list("inspection__area__gss_code", "start_date", "overall", "stated_sufficient",
                                               "stated_insufficient", "published_date"))


def test_reimporting_changes_nothing(areas):
    files = [ODS_FILE, MI_AUGUST, SCRAPE / "index_2026-06-29.html"]
    ingest(*files)
    before = _snapshot()
    out = ingest(*files)
    assert out.count("skipped, identical") == len(files)
    ingest(ODS_FILE, MI_AUGUST, reprocess=True)
    assert _snapshot() == before


def test_a_later_release_adds_and_updates_never_duplicates(areas):
    ingest(MI_MARCH)
    assert Inspection.objects.filter(framework="2023").count() == 8
    ingest(MI_AUGUST)
    rows = Inspection.objects.filter(framework="2023")
    assert rows.count() == 16  # 8 more areas; the 8 already held are the same rows
    assert rows.values("area").distinct().count() == 16


@pytest.mark.parametrize("order", ["letter first", "dataset first"])
def test_a_letter_and_its_dataset_row_are_one_inspection_whichever_arrives_first(areas, order):
    paths = [HARTLEPOOL_LETTER, ODS_FILE] if order == "letter first" else [ODS_FILE, HARTLEPOOL_LETTER]
    for path in paths:
        ingest(path)
    rows = Inspection.objects.filter(area__name="Hartlepool", framework="2016")
    assert rows.count() == 1
    row = rows.get()
    assert row.source_kind == "letter" and row.start_date == dt.date(2016, 10, 3)
    assert row.published_date is not None  # the letter prints none: Ofsted's statistics fill it
    assert row.end_date == dt.date(2016, 10, 7)  # the letter's own facts stay
