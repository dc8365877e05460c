"""Ofsted's datasets imported through the product's own command (`manage.py ingest`): the national figures Ofsted
published are reproduced from the imported rows, a re-import changes nothing, a later release never duplicates,
former authorities are the register's, and a letter and a dataset row of one inspection make one row."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from areas.models import LocalArea
from inspections.analysis.national import national_figures
from inspections.models import Dataset, Inspection
from tests.conftest import SHARED

pytestmark = pytest.mark.shared
STATS = SHARED / "reference/ofsted-statistics"
ODS_FILE = STATS / "Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods"
MI_MARCH = STATS / "mi_area_send_as_at_31_mar_2023.csv"
MI_AUGUST = STATS / "mi_area_send_jan_to_aug_2023.csv"
SCRAPE = SHARED / "reference/d2i-send-scrape"
ALL = [ODS_FILE, MI_MARCH, MI_AUGUST, SCRAPE / "index_2026-06-29.html", SCRAPE / "ofsted_csc_send_overview_2025-11-10.xlsx"]


def ingest(*paths, reprocess=False) -> str:
    out = io.StringIO()
    call_command("ingest", *[str(p) for p in paths], *(["--reprocess"] if reprocess else []), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every dataset file imported once for the module (the import takes seconds; each test only reads). Committed
    outside the tests' transactions, so it is wiped at the end."""
    from django.test import override_settings

    from areas.register import default_rows
    from areas.resolver import AreaRegister
    from areas.services import area_register_load
    from inspections.models import Document

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        area_register_load(rows=default_rows())
        AreaRegister.clear_cache()
        ingest(*ALL)
        yield
        Inspection.all_objects.all().delete()
        Document.objects.all().delete()
        LocalArea.objects.all().delete()
        AreaRegister.clear_cache()


def test_as_at_31_march_2021_116_of_151_areas_inspected_59_required_a_wsoa(imported, db):
    figures = national_figures(dt.date(2021, 3, 31), basis="published")
    assert (figures.areas, figures.inspected, figures.wsoa_required) == (151, 116, 59)
    assert figures.sources == {"official": figures.inspected + figures.revisits}  # every figure rests on Ofsted's rows


def test_as_at_31_march_2021_from_1_in_4_in_london_to_more_than_4_in_5_in_the_east_of_england(imported, db):
    regions = {r.region: r for r in national_figures(dt.date(2021, 3, 31), basis="published").regions}
    assert regions["London"].wsoa_share == pytest.approx(0.25)
    assert regions["East of England"].wsoa_share > 0.8
    shares = [r.wsoa_share for r in regions.values() if r.wsoa_share is not None]
    assert min(shares) == regions["London"].wsoa_share and max(shares) == regions["East of England"].wsoa_share


def test_one_register_region_is_its_own_row_not_ofsteds_combined_region(imported, db):
    north_east = national_figures(dt.date(2021, 3, 31), basis="published", region="North East")
    assert [r.region for r in north_east.regions] == ["North East"]
    assert north_east.regions[0].areas == north_east.areas == 12
    combined = national_figures(dt.date(2021, 3, 31), basis="published", region="North East, Yorkshire and the Humber")
    assert [r.region for r in combined.regions] == ["North East, Yorkshire and the Humber"] and combined.areas > 12


def test_as_at_31_august_2022_82_of_149_required_a_wsoa(imported, db):
    figures = national_figures(dt.date(2022, 8, 31), basis="carried_out")
    assert (figures.inspected, figures.wsoa_required) == (149, 82)


def test_as_at_31_august_2022_46_revisits_20_with_sufficient_progress_in_every_weakness(imported, db):
    figures = national_figures(dt.date(2022, 8, 31), basis="carried_out")
    assert (figures.revisits, figures.revisits_sufficient_all) == (46, 20)


def test_each_dataset_is_recorded_with_how_current_it_is(imported, db):
    stats = Dataset.objects.get(kind="ofsted_statistics")
    assert (stats.published, stats.covers_to, stats.source_kind) == (dt.date(2022, 11, 17), dt.date(2022, 8, 31), "official")
    assert Dataset.objects.get(kind="d2i_scrape", published=dt.date(2026, 6, 29)).source_kind == "secondary"
    assert Dataset.objects.filter(kind="ofsted_mi").count() == 2


def test_former_authorities_are_the_registers(imported, db):
    dorset = Inspection.objects.get(area__gss_code="E10000009", framework="2016")  # Dorset county, to March 2019
    assert (dorset.period_text, dorset.outcome, dorset.start_date) == ("January 2017", "wsoa_required", None)
    assert dorset.revisits.get().overall == "sufficient_some"
    northants = Inspection.objects.get(area__gss_code="E10000021", framework="2016")
    assert (northants.period_text, northants.outcome) == ("May 2017", "no_wsoa")
    # Today's councils got nothing of their predecessors'
    assert not Inspection.objects.filter(area__gss_code__in=["E06000059", "E06000061", "E06000062"], framework="2016").exists()


def test_every_area_of_the_statistics_has_its_2016_path(imported, db):
    official = Inspection.objects.filter(framework="2016", source_kind="official")
    assert official.values("area").distinct().count() == 151
    birmingham = Inspection.objects.get(area__name="Birmingham", framework="2016")
    assert (birmingham.outcome, birmingham.stated_weaknesses) == ("wsoa_required", 13)
    assert birmingham.wsoa is not None and not birmingham.weaknesses.exists()  # counts, never invented weakness rows
    revisit = birmingham.revisits.get()
    assert (revisit.overall, revisit.stated_sufficient, revisit.stated_insufficient) == ("sufficient_some", 1, 12)


def test_the_fact_page_names_file_sheet_and_row(imported, db, client):
    bedford = Inspection.objects.get(area__name="Bedford", framework="2016")
    assert bedford.dataset_source == "Ofsted official statistics, published 17 November 2022, sheet Area_SEND_up_to_31_Aug_2022, row 10"
    page = client.get(f"/facts/inspection/{bedford.pk}/").content.decode()
    assert "Ofsted official statistics, published 17 November 2022, sheet Area_SEND_up_to_31_Aug_2022, row 10" in page
