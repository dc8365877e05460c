"""The pages and exports on REAL data: the area register plus the five seed documents, ingested by the pipeline.

This is issue 2's "done when" seen from the analyst's side: each seed area's timeline shows the right path
and both CSV exports hold exactly the right rows. Expected values come from tests/fixtures/seeds/labels.json
(checked by hand). Skips, with the reason, while `load_areas` is not available.
"""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command, get_commands

from inspections.facts.selectors import area_timeline
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db

LABELS = {f["file"]: f for f in json.loads((SEEDS / "labels.json").read_text(encoding="utf-8"))["files"]}
HARTLEPOOL, MIDDLESBROUGH, REDCAR, STOCKTON, MEDWAY = "E06000001", "E06000002", "E06000003", "E06000004", "E06000035"


@pytest.fixture
def seeded(settings):
    """load_areas, then `manage.py ingest tests/fixtures/seeds/*.txt`, exactly as ./scripts/serve does."""
    if "load_areas" not in get_commands():
        pytest.skip("needs the area register (manage.py load_areas)")
    settings.PUBLIC_READ = True
    out = io.StringIO()
    call_command("load_areas", stdout=out)
    call_command("ingest", *sorted(str(p) for p in SEEDS.glob("*.txt")), stdout=out, stderr=out)
    return out.getvalue()


def _kinds(gss: str) -> list[str]:
    return [s.kind for s in area_timeline(gss_code=gss).steps]


def _download(client, name: str) -> list[dict]:
    response = client.get(f"/exports/{name}.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def test_timelines_show_each_seed_areas_path(seeded, client):
    # Hartlepool (000, and its exact duplicate in the same file): one inspection, a WSOA, no revisit yet.
    hartlepool = area_timeline(gss_code=HARTLEPOOL)
    assert _kinds(HARTLEPOOL) == ["initial_inspection", "wsoa"], seeded
    initial = hartlepool.steps[0].obj
    assert (initial.start_date, initial.end_date, initial.outcome) == (dt.date(2016, 10, 3), dt.date(2016, 10, 7), "wsoa_required")
    assert [_norm(w.text) for w in initial.weaknesses.all()] == [_norm(t) for t in LABELS["000_30b352e54e3c96f7.txt"]["letters"][0]["weaknesses"]]
    assert hartlepool.stage == "wsoa_open"

    # Middlesbrough: the 2017 letter (000) and the council's report of the July 2019 revisit (003, secondary).
    middlesbrough = area_timeline(gss_code=MIDDLESBROUGH)
    assert _kinds(MIDDLESBROUGH) == ["initial_inspection", "wsoa", "revisit"]
    revisit = middlesbrough.steps[2].obj
    assert revisit.start_date == dt.date(2019, 7, 8) and revisit.source_kind == "secondary"
    assert sorted((j.weakness.number, j.sufficient_progress) for j in revisit.judgements.all()) == [(n, True) for n in (1, 2, 3, 4)]
    assert middlesbrough.steps[0].obj.start_date == dt.date(2017, 3, 20)
    assert middlesbrough.stage == "revisit_sufficient"
    assert "months after the" in middlesbrough.steps[2].gap.label

    # Redcar and Cleveland: only the 2021 revisit letter (001) is held; it restates the 2018 inspection's
    # weaknesses, so that inspection is on the path (before the revisit) though its own letter is not.
    redcar = area_timeline(gss_code=REDCAR)
    kinds = [k for k in _kinds(REDCAR) if k != "wsoa"]
    assert kinds == ["initial_inspection", "revisit"]
    revisit = redcar.steps[-1].obj
    assert revisit.start_date == dt.date(2021, 11, 22)
    assert [j.sufficient_progress for j in revisit.judgements.all()] == [True] * 4
    assert redcar.stage == "revisit_sufficient"

    # Medway (002, a council report wrapping the letter): one inspection with 8 weaknesses, not 16.
    medway = area_timeline(gss_code=MEDWAY)
    assert _kinds(MEDWAY) == ["initial_inspection", "wsoa"]
    assert medway.steps[0].obj.start_date == dt.date(2017, 12, 4)
    assert medway.steps[0].obj.weaknesses.count() == 8

    # Stockton-on-Tees (004, broken PDF text, no letter date).
    stockton = area_timeline(gss_code=STOCKTON)
    assert _kinds(STOCKTON) == ["initial_inspection", "wsoa"]
    assert stockton.steps[0].obj.start_date == dt.date(2019, 2, 4)
    assert stockton.steps[0].obj.weaknesses.count() == 4

    for gss in (HARTLEPOOL, MIDDLESBROUGH, REDCAR, STOCKTON, MEDWAY):
        html = client.get(f"/areas/{gss}/").content.decode()
        assert "Show source text" in html and "/facts/" in html, gss  # source links for a public reader
        assert "{#" not in html and "{%" not in html, f"template syntax leaked into {gss}"


def test_exports_hold_the_right_rows(seeded, client):
    inspections = _download(client, "inspections")
    got = sorted((r["area_gss_code"], r["kind"], r["start_date"], r["outcome"], r["weakness_count"], r["source_kind"])
                 for r in inspections)
    assert got == sorted([
        (HARTLEPOOL, "initial_inspection", "2016-10-03", "wsoa_required", "4", "letter"),
        (MIDDLESBROUGH, "initial_inspection", "2017-03-20", "wsoa_required", "4", "letter"),
        (MIDDLESBROUGH, "revisit", "2019-07-08", "sufficient_all", "4", "secondary"),
        (REDCAR, "revisit", "2021-11-22", "sufficient_all", "4", "letter"),
        # Issue 19 item 4: the inspection the revisit letter restates is a row of its own, known from that letter.
        (REDCAR, "initial_inspection", "", "wsoa_required", "4", "letter"),
        (STOCKTON, "initial_inspection", "2019-02-04", "wsoa_required", "4", "letter"),
        (MEDWAY, "initial_inspection", "2017-12-04", "wsoa_required", "8", "letter"),
    ]), seeded
    assert {r["wsoa_required"] for r in inspections if r["kind"] == "initial_inspection"} == {"true"}
    assert all(r["source_file"].endswith(".txt") for r in inspections)
    assert {r["known_from"] for r in inspections if r["area_gss_code"] == REDCAR and r["kind"] == "initial_inspection"} \
        == {"001_3cc412fc11709ace.txt"}
    assert {r["known_from"] for r in inspections if r["area_gss_code"] != REDCAR or r["kind"] == "revisit"} == {""}

    weaknesses = _download(client, "weaknesses")
    by_area: dict[str, list[tuple[str, str]]] = {}
    for row in weaknesses:
        by_area.setdefault(row["area_gss_code"], []).append((row["judgement"], row["judged_on"]))
    assert {gss: len(rows) for gss, rows in by_area.items()} == {
        HARTLEPOOL: 4, MIDDLESBROUGH: 4, REDCAR: 4, STOCKTON: 4, MEDWAY: 8}
    assert set(by_area[MIDDLESBROUGH]) == {("sufficient", "2019-07-08")}
    assert set(by_area[REDCAR]) == {("sufficient", "2021-11-22")}
    assert {j for gss in (HARTLEPOOL, STOCKTON, MEDWAY) for j in by_area[gss]} == {("empty", "")}
    assert {r["framework"] for r in weaknesses} == {"2016"}
    medway = [_norm(r["text"]) for r in weaknesses if r["area_gss_code"] == MEDWAY]
    assert sorted(medway) == sorted(_norm(t) for t in LABELS["002_1a880b05da5a12dc.txt"]["letters"][0]["weaknesses"])


def test_dashboard_and_lists_on_seed_data(seeded, client):
    dashboard = client.get("/").content.decode()
    assert re.search(r'data-gss="E06000003" data-status="revisit_sufficient"', dashboard)
    assert re.search(r'data-gss="E06000001" data-status="wsoa_open"', dashboard)
    areas = client.get("/areas/", {"stage": "revisit_sufficient"})
    assert sorted(r["gss_code"] for r in areas.context["rows"]) == [MIDDLESBROUGH, REDCAR]
    weak = client.get("/weaknesses/", {"area": "Medway"})
    assert weak.context["page"].paginator.count == 8
