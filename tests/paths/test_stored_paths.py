"""Issue 19: the stored path is the one answer every page, export and chart reads — on hand-made facts, on the
seeds, and (marked `shared`) on the seeds plus the 29 real 2023 reports.

Each test here failed before issue 19 (the stage was computed in several places that turned unknown into "no")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model

from areas.models import LocalArea
from inspections.analysis.figures import path_table
from inspections.analysis.selectors import OUTCOME_COLOURS, area_statuses, dashboard_summary
from inspections.models import AreaPath, Inspection, ProgressJudgement
from inspections.paths.derive import COVERAGE_WHOLE
from inspections.paths.services import area_paths_refresh_all
from tests.factories import make_area, make_document, make_inspection, make_path, make_revisit, make_weakness

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]
D = dt.date


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(body)))


def _areas_csv(client, **params) -> dict[str, dict]:
    return {r["area_gss_code"]: r for r in _csv(client.get("/exports/areas.csv", params))}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- item 1 -----------------------------------------------------------------------------------------------------

def test_a_revisit_whose_result_is_not_known_is_said_so_on_every_page_and_export(client):
    area = make_area("Devon", gss_code="E10000008")
    inspection = make_inspection(area, start_date=D(2018, 1, 15))
    weaknesses = [make_weakness(inspection, n) for n in range(1, 6)]
    revisit = make_revisit(inspection, start_date=D(2020, 3, 2), overall="", source_kind="secondary")
    ProgressJudgement.objects.create(revisit=revisit, weakness=weaknesses[0], sufficient_progress=True)
    for w in weaknesses[1:]:
        ProgressJudgement.objects.create(revisit=revisit, weakness=w, sufficient_progress=None)
    expected = "Revisit: result not known (1 of 5 weaknesses judged sufficient, 4 not known)"
    row = _areas_csv(client)["E10000008"]
    assert (row["stage"], row["stage_label"]) == ("revisit_unknown", expected)
    assert (row["weaknesses_sufficient"], row["weaknesses_insufficient"], row["weaknesses_not_known"]) == ("1", "0", "4")
    assert expected in _text(client.get("/areas/").content.decode())
    assert expected in _text(client.get("/areas/E10000008/").content.decode())
    statuses, _ = area_statuses()
    assert statuses[area.pk] == "revisit_unknown"  # the map's colour and the dashboard's count
    assert "not sufficient" not in _text(client.get("/areas/E10000008/").content.decode()).split("Latest stage")[1][:200]


def test_an_area_without_a_revisit_exports_its_judgement_counts_empty_not_zero(client):
    inspection = make_inspection(make_area("Kent", gss_code="E10000016"), start_date=D(2018, 1, 15))
    make_weakness(inspection, 1)
    row = _areas_csv(client)["E10000016"]
    counts = ("weaknesses_judged", "weaknesses_sufficient", "weaknesses_insufficient", "weaknesses_not_known")
    assert [row[c] for c in counts] == ["", "", "", ""]


# --- item 3 -----------------------------------------------------------------------------------------------------

def test_rejecting_a_judgement_removes_that_verdict_only(client):
    from inspections.review.services import fact_reject

    path = make_path(make_area("Medway", gss_code="E06000035"), weaknesses=3, sufficient=2)
    revisit = path["revisit"]
    revisit.overall = "sufficient_some"
    revisit.save()
    insufficient = next(j for j in path["judgements"] if j.sufficient_progress is False)
    user = get_user_model().objects.create_user("reviewer", password="pw")
    fact_reject(fact=insufficient, user=user, note="misread")
    row = _areas_csv(client)["E06000035"]
    assert row["stage_label"] == "Revisit: not sufficient in all (2 of 3 weaknesses judged sufficient, 1 not known)"
    assert row["weaknesses_judged"] == "3"
    revisit_row = next(r for r in _csv(client.get("/exports/inspections.csv")) if r["kind"] == "revisit")
    assert revisit_row["weakness_count"] == "3"  # the weakness still exists


# --- item 4 -----------------------------------------------------------------------------------------------------

def test_an_earlier_visit_named_by_a_report_is_listed_exported_and_counted_as_known(client):
    area = make_area("Dudley", gss_code="E08000027")
    report_doc = make_document(name="80464_dudley.pdf")
    report = make_inspection(area, framework="2023", start_date=D(2024, 6, 3), outcome="inconsistent",
                             previous_inspection_start=D(2022, 1, 31), document=report_doc)
    make_inspection(area, kind="earlier_visit", start_date=D(2022, 1, 31), end_date=D(2022, 2, 3), outcome="",
                    is_placeholder=True, document=report_doc)
    Inspection.objects.filter(pk=report.pk).update(previous_inspection=Inspection.objects.get(kind="earlier_visit"))
    area_paths_refresh_all()
    stored = AreaPath.objects.get(area=area)
    assert stored.path_2016 == "known_not_held" and stored.coverage == "partly"
    table = path_table()
    known = [a["gss_code"] for a in table.cells[("known_not_held", "inconsistent")]]
    assert known == ["E08000027"]
    rows = {r["kind"]: r for r in _csv(client.get("/exports/inspections.csv"))}
    assert rows["earlier_visit"]["known_from"] == "80464_dudley.pdf"
    assert "Earlier visit" in _text(client.get("/inspections/").content.decode())
    durations = client.get("/analysis/durations/").content.decode()
    assert "not stated to be the inspection" in _text(durations)


# --- item 5 -----------------------------------------------------------------------------------------------------

def test_no_revisit_yet_only_while_nothing_later_is_known(client):
    open_area = make_path(make_area("Open", gss_code="E06000901"), revisit=False)["area"]
    moved_on = make_path(make_area("Moved on", gss_code="E06000902"), revisit=False)["area"]
    make_inspection(moved_on, framework="2023", start_date=D(2024, 5, 13), outcome="")
    rows = _areas_csv(client)
    assert (rows["E06000901"]["stage"], rows["E06000901"]["wsoa_open"]) == ("wsoa_open", "true")
    assert (rows["E06000902"]["stage"], rows["E06000902"]["wsoa_open"]) == ("wsoa_revisit_not_held", "")
    assert rows["E06000902"]["path_2016"] == "wsoa_revisit_not_held"
    listed = {a["gss_code"] for a in path_table().cells[("wsoa_no_revisit", "not_inspected")]}
    assert listed == {"E06000901"}
    assert "no revisit yet" not in _text(client.get("/areas/E06000902/").content.decode())
    del open_area


# --- item 6 -----------------------------------------------------------------------------------------------------

def test_whole_path_held_counts_only_areas_whose_every_step_is_from_its_own_letter(client):
    make_path(make_area("Own letters", gss_code="E06000903"))
    council = make_path(make_area("Council revisit", gss_code="E06000904"))
    council["revisit"].source_kind = "secondary"
    council["revisit"].save()
    d = dashboard_summary()
    assert d.coverage.count(COVERAGE_WHOLE) == 1
    listed = _text(client.get("/areas/", {"coverage": "whole"}).content.decode())
    assert "Own letters" in listed and "Council revisit" not in listed
    assert _areas_csv(client, coverage="partly").keys() == {"E06000904"}
    # The dashboard's revisit count no longer says "each from its own letter" of a council report.
    html = _text(client.get("/").content.decode())
    assert "1 of them from a secondary source only" in html


# --- item 9 -----------------------------------------------------------------------------------------------------

def test_figures_say_what_they_rest_on(client, settings):
    path = make_path(make_area("Middlesbrough", gss_code="E06000002"))
    path["revisit"].source_kind = "secondary"
    path["revisit"].needs_review = True
    path["revisit"].save()
    html = _text(client.get("/").content.decode())
    assert re.search(r"\(1 dated; 1 of them resting on facts that need review; 1 from a secondary source only\)", html)
    # Overdue on the area page (the comparison part) as on the due page.
    area = make_area("Overdue", gss_code="E06000905")
    make_inspection(area, framework="2023", start_date=D(2023, 3, 6), end_date=D(2023, 3, 10), outcome="systemic_failings",
                    next_inspection_text="A monitoring inspection will be carried out within approximately 18 months.")
    page = _text(client.get("/areas/E06000905/").content.decode())
    assert "Overdue by" in page
    assert "Overdue by" in _text(client.get("/analysis/compare/E06000905/").content.decode())
    # One colour per outcome: the trends SVG uses the dashboard's.
    svg = client.get("/analysis/trends.svg", {"series": "full_inspection"}).content.decode()
    assert OUTCOME_COLOURS["systemic_failings"] in svg and "#E69F00" not in svg


# --- every area: one stored answer, read the same by every page --------------------------------------------------

def _agree(client) -> int:
    """The areas CSV, the areas list, the dashboard's statuses and the paths table agree with the stored path for
    every area; returns how many areas were checked."""
    stored = {p.area.gss_code: p for p in AreaPath.objects.select_related("area")}
    rows = _areas_csv(client, include_former="true")
    assert rows.keys() == stored.keys()
    statuses, _ = area_statuses()
    by_id = dict(LocalArea.objects.values_list("id", "gss_code"))
    cells = {a["gss_code"]: (p, o) for (p, o), areas in path_table().cells.items() for a in areas}
    for gss, p in stored.items():
        row = rows[gss]
        assert (row["stage"], row["stage_label"], row["coverage"], row["path_2016"]) == (
            p.stage, p.stage_label, p.coverage, p.path_2016), gss
        if p.area.end_date is None:
            assert statuses[p.area_id] == p.stage, gss
            assert cells[gss] == (p.path_2016, p.outcome_2023), gss
    assert set(statuses) <= set(by_id)
    return len(stored)


def test_seed_areas_agree_everywhere(client, seeded_paths):
    assert _agree(client) > 150
    for gss in ("E06000001", "E06000002", "E06000003", "E06000004", "E06000035"):
        stored = AreaPath.objects.get(area__gss_code=gss)
        timeline = _text(client.get(f"/areas/{gss}/").content.decode())
        assert f"Latest stage {stored.stage_label}" in timeline, gss
    # Middlesbrough's revisit is a council report's: its path is not "whole".
    assert AreaPath.objects.get(area__gss_code="E06000002").coverage == "partly"


@pytest.fixture
def seeded_paths(settings, tmp_path):
    from django.core.management import call_command

    from areas.resolver import AreaRegister
    from tests.conftest import SEEDS

    settings.MEDIA_ROOT = str(tmp_path)
    AreaRegister.clear_cache()
    call_command("load_areas", stdout=io.StringIO())
    call_command("ingest", *sorted(str(p) for p in SEEDS.glob("*.txt")), stdout=io.StringIO(), stderr=io.StringIO())
    AreaRegister.clear_cache()
