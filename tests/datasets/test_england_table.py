"""The England table shipped with the product (inspections/datasets/data/england.csv): a fresh clone without
../shared shows every area of Ofsted's statistics and reproduces Ofsted's published figures from it alone; it is
what the build script makes from ../shared; importing the original files as well changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from inspections.analysis.national import national_figures, source_currency
from inspections.datasets.kinds import TABLE
from inspections.models import Dataset, Inspection, Revisit, WrittenStatementOfAction
from tests.conftest import PROJECT_ROOT, SHARED

TABLE_FILE = PROJECT_ROOT / "inspections/datasets/data/england.csv"


def ingest(*paths) -> str:
    out = io.StringIO()
    call_command("ingest", *[str(p) for p in paths], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_shipped_table_alone_gives_englands_2016_paths_and_ofsteds_figures(areas):
    ingest(TABLE_FILE)
    assert Inspection.objects.filter(framework="2016", source_kind="official").values("area").distinct().count() == 151
    march_2021 = national_figures(dt.date(2021, 3, 31), basis="published")
    assert (march_2021.areas, march_2021.inspected, march_2021.wsoa_required) == (151, 116, 59)
    august_2022 = national_figures(dt.date(2022, 8, 31), basis="carried_out")
    assert (august_2022.inspected, august_2022.wsoa_required, august_2022.revisits, august_2022.revisits_sufficient_all) == (149, 82, 46, 20)
    bedford = Inspection.objects.get(area__name="Bedford", framework="2016")
    assert bedford.dataset_source == "Ofsted official statistics, published 17 November 2022, sheet Area_SEND_up_to_31_Aug_2022, row 10"
    currency = {s.label: s.currency for s in source_currency()}
    assert currency["Ofsted statistics"] == "inspections and revisits as at 31 August 2022"
    assert currency["data-to-insight summary"] == "summary of 29 June 2026"
    assert "identical" in ingest(TABLE_FILE)  # serve runs it every time: a repeat is skipped
    # The table is mostly Ofsted's own figures: its status says how many of its facts a scrape's doubt touches.
    from inspections.models import Document

    flagged = sum(m.objects.filter(source_document__original_name=TABLE_FILE.name, needs_review=True).count()
                  for m in (Inspection, Revisit, WrittenStatementOfAction))
    message = Document.objects.get(original_name=TABLE_FILE.name).error
    assert 0 < flagged < Inspection.objects.count() and f"Needs review: {flagged} facts or letters read from it" in message


def test_the_shipped_table_alone_gives_every_area_its_stored_path(areas):
    """The bulk writer derives the paths it changes (it sends no signals): no area of the statistics is left
    "no inspection known", and the coverage classes add up to the register's current areas."""
    from inspections.models import AreaPath
    from inspections.paths.derive import COVERAGE

    ingest(TABLE_FILE)
    in_statistics = set(Inspection.objects.filter(framework="2016", source_kind="official").values_list("area_id", flat=True))
    paths = {p.area_id: p for p in AreaPath.objects.filter(area_id__in=in_statistics)}
    assert len(paths) == len(in_statistics) == 151
    assert not [p.area_id for p in paths.values() if p.stage == "not_inspected" or not p.path_2016]
    assert {p.coverage for p in paths.values()} == {"official_only"}
    bedford = AreaPath.objects.get(area__name="Bedford")
    assert bedford.path_2016 and bedford.stage != "not_inspected"
    current = AreaPath.objects.filter(area__end_date__isnull=True)
    assert current.count() == 153 and {key for key, _, _ in COVERAGE} >= set(current.values_list("coverage", flat=True))


def test_every_row_states_its_source_and_licence():
    rows = list(csv.DictReader(TABLE_FILE.open(encoding="utf-8")))
    assert tuple(rows[0]) == TABLE
    assert all(r["source_label"] and r["source_row"] and r["licence"] for r in rows)
    assert {r["source_kind"] for r in rows} == {"official", "secondary"}
    assert all("data-to-insight" in r["source_label"] for r in rows if r["source_kind"] == "secondary")


@pytest.mark.shared
def test_the_committed_table_is_what_the_build_script_makes(tmp_path):
    from inspections.datasets.data.build_england import main

    out = tmp_path / "england.csv"
    assert main(["--reference", str(SHARED / "reference"), "--out", str(out)]) == 0
    assert out.read_bytes() == TABLE_FILE.read_bytes(), "rebuild inspections/datasets/data/england.csv (see its README)"


@pytest.mark.shared
def test_importing_the_original_files_after_the_table_changes_nothing(areas):
    ingest(TABLE_FILE)
    before = sorted(Inspection.all_objects.values_list("area_id", "framework", "kind", "start_date", "published_date", "outcome",
                                                       "stated_weaknesses", "source_label"))
    stats = SHARED / "reference/ofsted-statistics"
    out = ingest(stats / "Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods", stats / "mi_area_send_jan_to_aug_2023.csv")
    assert out.count("no changes") == 2
    after = sorted(Inspection.all_objects.values_list("area_id", "framework", "kind", "start_date", "published_date", "outcome",
                                                      "stated_weaknesses", "source_label"))
    assert after == before
    assert Dataset.objects.count() == 3
