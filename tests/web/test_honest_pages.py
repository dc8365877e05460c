"""Issue 13 items 1, 2, 3, 6, 8, 9, 13, 14, 15: pages, lists and exports that show only what the records hold.

Synthetic rows (tests/factories.py) pin each rule; the seed letters (tests/web/test_seed_pages.py's `seeded`)
show it on the cases the issue names (Stockton-on-Tees' WSOA, Redcar and Cleveland's revisit). The real 2023
reports (Dorset and Dorset County) are in test_real_corpus_pages.py's module-scoped corpus tests below.
"""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from areas.models import LocalArea
from inspections.facts.exports import COLUMN_NOTES, EXPORTS
from inspections.paths.services import area_paths_refresh_all
from inspections.facts.selectors import area_list, area_timeline, months_between
from inspections.models import Inspection, ProgressJudgement, Revisit, SignificantWeakness, WrittenStatementOfAction
from inspections.vocabulary import ATTRIBUTION_MAP, ATTRIBUTION_REGISTER, ATTRIBUTION_REPORTS, STAGE_LABELS
from tests.factories import (
    make_area,
    make_document,
    make_inspection,
    make_path,
    make_revisit,
    make_weakness,
    make_wsoa,
)
from tests.web.test_lists import LIST_MAX_QUERIES
from tests.web.test_seed_pages import REDCAR, STOCKTON, seeded  # noqa: F401  (a fixture)
from tests.web.test_timeline import TIMELINE_MAX_QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]


def _csv(client, url: str, **params) -> list[dict]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- item 1: no invented values ---------------------------------------------------------------------------

def test_wsoa_date_is_the_letters_or_unknown_never_the_last_day_on_site(client):
    undated = make_inspection(make_area("Undated"), start_date=dt.date(2019, 2, 4), letter_date=None)
    page = _text(client.get(f"/areas/{undated.area.gss_code}/").content.decode())
    assert "Required Date not known" in page
    assert "8 February 2019" in page  # the end of the inspection is shown as such ...
    assert "Required 8 February 2019" not in page and "0.1 months" not in page  # ... and never as the WSOA's date
    assert "Time between stages is not given for 1 step whose date is not known" in page
    steps = area_timeline(gss_code=undated.area.gss_code).steps
    assert [(s.kind, s.date) for s in steps] == [("initial_inspection", dt.date(2019, 2, 4)), ("wsoa", None)]

    dated = make_inspection(make_area("Dated"), start_date=dt.date(2019, 2, 4), letter_date=dt.date(2019, 3, 20))
    page = _text(client.get(f"/areas/{dated.area.gss_code}/").content.decode())
    assert "Required 20 March 2019 (the date of the inspection letter that required it)" in page
    assert "1.4 months after the inspection" in page


def test_months_between_needs_both_dates():
    assert months_between(None, dt.date(2020, 1, 1)) is None and months_between(dt.date(2020, 1, 1), None) is None
    assert months_between(dt.date(2020, 1, 1), dt.date(2021, 1, 1)) == 12.0


def test_gap_after_an_undated_step_counts_from_the_last_dated_one(client):
    inspection = make_inspection(make_area("Gappy"), start_date=dt.date(2018, 1, 8), letter_date=None)
    make_revisit(inspection, start_date=dt.date(2020, 1, 6))
    steps = area_timeline(gss_code=inspection.area.gss_code).steps
    assert [s.kind for s in steps] == ["initial_inspection", "wsoa", "revisit"]
    assert steps[1].gap is None and steps[2].gap.label == "23.9 months after the inspection"


@pytest.mark.usefixtures("seeded")
def test_stockton_seed_wsoa_shows_no_invented_date(client):
    page = _text(client.get(f"/areas/{STOCKTON}/").content.decode())
    assert "Required 8 February 2019" not in page and "0.1 months after" not in page, page
    assert "Required Date not known" in page
    row = next(r for r in _csv(client, "/exports/inspections.csv", area=STOCKTON))
    assert row["letter_date"] == "" and row["end_date"] == "2019-02-08"


def test_dashboard_says_what_it_left_out(client):
    make_inspection(make_area("No date"), start_date=None, end_date=None, letter_date=None)
    make_path(make_area("Dated path"))
    page = _text(client.get("/").content.decode())
    assert "1 inspection left out: start date not known" in page


# --- item 2: invalid filters ----------------------------------------------------------------------------

@pytest.mark.parametrize("url,name,param", [
    ("/inspections/", "inspections", "outcome"), ("/weaknesses/", "weaknesses", "judgement"), ("/areas/", "areas", "stage"),
])
def test_invalid_filter_shows_an_error_and_no_rows(client, django_assert_max_num_queries, url, name, param):
    make_path(make_area("Hartlepool"))
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = client.get(url, {param: "foo"})
    html = response.content.decode()
    assert response.context["rows"] == [] and response.context["page"].paginator.count == 0
    assert "Hartlepool" not in _text(html.split("<main", 1)[1])
    assert 'class="error-summary"' in html and "foo is not one of the available choices" in html

    csv_response = client.get(f"/exports/{name}.csv", {param: "foo"})
    assert csv_response.status_code == 400
    assert f"{param}: Select a valid choice. foo is not one of the available choices." in csv_response.content.decode()
    assert client.get("/exports/workbook.xlsx", {param: "foo"}).status_code == 400
    with pytest.raises(CommandError, match=param):
        call_command("export", name, "-", "--filter", f"{param}=foo")


def test_valid_filters_still_list_their_rows(client):
    make_path(make_area("Hartlepool"))
    assert client.get("/inspections/", {"outcome": "wsoa_required"}).context["page"].paginator.count == 1
    assert len(_csv(client, "/exports/inspections.csv", outcome="wsoa_required")) == 1


# --- item 3: the latest stage counts revisits -------------------------------------------------------------

def test_latest_date_is_the_revisit_when_the_inspection_is_undated(client):
    placeholder = make_inspection(make_area("Redcar"), start_date=None, end_date=None, letter_date=None, is_placeholder=True)
    make_revisit(placeholder, start_date=dt.date(2021, 11, 22), overall="sufficient_all")
    make_area("Never inspected")
    rows = {r["name"]: r for r in area_list(filters={})}
    assert rows["Redcar"]["latest_date"] == dt.date(2021, 11, 22) and rows["Never inspected"]["latest_date"] is None
    page = client.get("/areas/", {"sort": "-date"})
    assert [r["name"] for r in page.context["rows"]] == ["Redcar", "Never inspected"]
    assert page.context["rows"][0]["date_label"] == "22 Nov 2021"
    assert _csv(client, "/exports/areas.csv", q="Redcar")[0]["latest_inspection_date"] == "2021-11-22"


@pytest.mark.usefixtures("seeded")
def test_redcar_seed_shows_its_revisit_as_latest(client):
    row = next(r for r in client.get("/areas/", {"q": "Redcar"}).context["rows"])
    assert row["gss_code"] == REDCAR and row["date_label"] == "22 Nov 2021", row
    neighbour_pages = [a for a in LocalArea.objects.all() if REDCAR in (a.stat_neighbours or [])]
    assert neighbour_pages, "some area lists Redcar as a neighbour"
    html = client.get(f"/areas/{neighbour_pages[0].gss_code}/").content.decode()
    assert re.search(r"Redcar and Cleveland</a></th><td>.*?</td><td>22 Nov 2021</td>", html)


# --- item 6: facts under review are marked, counts say how many ---------------------------------------------

def test_facts_under_review_are_marked_everywhere(client):
    shaky = make_path(make_area("Shaky"), revisit=False)
    Inspection.objects.filter(pk=shaky["inspection"].pk).update(needs_review=True)
    area_paths_refresh_all()  # QuerySet.update() sends no signal: derive the stored paths as derive_paths does
    make_path(make_area("Solid"), revisit=False)
    areas = client.get("/areas/")
    assert "1 with a stage resting on facts that need review" in _text(areas.content.decode())
    assert {r["name"]: r["stage_unconfirmed"] for r in areas.context["rows"]} == {"Shaky": True, "Solid": False}
    timeline = client.get(f"/areas/{shaky['area'].gss_code}/").content.decode()
    assert re.search(r'Latest stage</dt><dd><span class="stage[^>]*>[^<]*</span> <span class="badge badge-review"', timeline)
    inspections = _text(client.get("/inspections/").content.decode())
    assert "2 rows; 1 needs review" in inspections
    dashboard = client.get("/")
    # The status bar of Shaky's stage, and its framework's outcome bar, each say 1 of theirs is unconfirmed.
    d = dashboard.context["d"]
    assert {b.key: b.unconfirmed for b in d.status_bars}["wsoa_open"] == 1
    assert [(b.key, b.count, b.unconfirmed) for b in d.outcome_bars["2016–2022 framework"]] == [("wsoa_required", 2, 1)]
    assert _text(dashboard.content.decode()).count("(1 needs review)") == 2
    exported = {r["area_name"]: r["stage_needs_review"] for r in _csv(client, "/exports/areas.csv")}
    assert exported == {"Shaky": "true", "Solid": "false"}


def test_a_weak_judgement_under_review_is_counted_on_the_weaknesses_list(client):
    path = make_path(make_area("Matched"), weaknesses=2, sufficient=1)
    path["judgements"][0].needs_review = True
    path["judgements"][0].save()
    page = client.get("/weaknesses/")
    assert "1 needs review" in _text(page.content.decode())
    assert sum(r["unconfirmed"] for r in page.context["rows"]) == 1


# --- item 8: predecessors both ways -----------------------------------------------------------------------

@pytest.fixture
def dorset(db):
    county = make_area("Dorset County", "E10000009", authority_type="county", end_date=dt.date(2019, 3, 31))
    council = make_area("Dorset", "E06000059", start_date=dt.date(2019, 4, 1))
    county.replaced_by.add(council)
    report = make_inspection(council, framework="2023", start_date=dt.date(2024, 3, 11), outcome="positive",
                             previous_inspection_start=dt.date(2017, 1, 23), previous_inspection_end=dt.date(2017, 1, 27))
    return {"county": county, "council": council, "report": report}


def test_a_former_authority_shows_the_inspection_a_later_report_names(client, dorset, django_assert_max_num_queries):
    with django_assert_max_num_queries(TIMELINE_MAX_QUERIES):
        page = _text(client.get("/areas/E10000009/").content.decode())
    assert "Named in later reports" in page
    assert "names an earlier inspection, 23 January 2017 to 27 January 2017" in page
    assert "an inspection of Dorset County" in page
    assert "No inspection on record for Dorset County" not in page

    assert "its outcome is not known here" in page  # nothing of that visit is held on the county's path

    successor = _text(client.get("/areas/E06000059/").content.decode())
    assert "are shown below" not in successor and "No letter about Dorset County is held" in successor
    assert "Before Dorset existed: an inspection of Dorset County" in successor


def test_a_named_inspection_beside_one_held_to_the_month_does_not_say_its_outcome_is_unknown(client, dorset,
                                                                                            django_assert_max_num_queries):
    """Ofsted's statistics date Dorset County's inspection "January 2017" only, with its outcome; the Dorset report
    names 23 to 27 January 2017. The page said "its outcome is not known here" beside "WSOA required"."""
    make_inspection(dorset["county"], start_date=None, period_text="January 2017", date_precision="month",
                    outcome="wsoa_required", source_kind="official")
    # + 1: the area's visits known only to the month, read when a later report names one of its inspections.
    with django_assert_max_num_queries(TIMELINE_MAX_QUERIES + 1):
        page = _text(client.get("/areas/E10000009/").content.decode())
    assert "names an earlier inspection, 23 January 2017 to 27 January 2017" in page
    assert "Most likely the inspection held below as January 2017 (Written statement of action required)" in page
    assert "its outcome is not known here" not in page


def test_a_predecessors_inspections_show_on_the_successors_page_and_links_both_ways_in_exports(client, dorset):
    make_inspection(dorset["county"], start_date=dt.date(2017, 1, 23), letter_date=dt.date(2017, 3, 1))
    page = _text(client.get("/areas/E06000059/").content.decode())
    assert "Their inspections are on the path below" in page and "Dorset County (former authority)" in page
    areas = {r["area_gss_code"]: r for r in _csv(client, "/exports/areas.csv", include_former="true")}
    assert areas["E10000009"]["replaced_by"] == "E06000059" and areas["E06000059"]["replaced"] == "E10000009"
    rows = {r["area_gss_code"]: r for r in _csv(client, "/exports/inspections.csv")}
    assert rows["E10000009"]["area_replaced_by"] == "E06000059" and rows["E06000059"]["area_replaced_by"] == ""


# --- item 9: one vocabulary ----------------------------------------------------------------------------

def test_one_vocabulary_for_stages_counts_and_groups(client):
    path = make_path(make_area("Worded"), revisit=True)
    full = make_inspection(path["area"], framework="2023", start_date=dt.date(2024, 2, 5))
    make_weakness(full, 1, kind="improvement_area")
    make_weakness(full, 2, kind="improvement_area")
    make_weakness(full, 1, kind="priority_action")
    timeline = _text(client.get(f"/areas/{path['area'].gss_code}/").content.decode())
    assert "Areas for improvement (2)" in timeline and "Area for priority action (1)" in timeline
    assert "Area for improvement (" not in timeline

    dashboard = client.get("/")
    bar_labels = [b.label for b in dashboard.context["d"].status_bars]
    assert bar_labels == list(STAGE_LABELS.values())
    for row in client.get("/areas/", {"include_former": "true"}).context["rows"]:
        assert row["label"].startswith(STAGE_LABELS[row["stage"]]), row["label"]
    listed = client.get("/inspections/").context["page"].paginator.count
    words = _text(dashboard.content.decode())
    assert "2 inspections and 1 revisit or monitoring inspection recorded" in words
    assert f"has one row for each: {listed})" in words and listed == 3


def test_admin_plurals():
    assert SignificantWeakness._meta.verbose_name_plural == "significant weaknesses"
    assert WrittenStatementOfAction._meta.verbose_name_plural == "written statements of action"


# --- item 13: sources named by what they are ------------------------------------------------------------

def test_sources_are_described_not_named_by_file(client):
    document = make_document(name="000_30b352e54e3c96f7.txt")
    inspection = make_inspection(make_area("Hartlepool"), document=document, letter_date=dt.date(2016, 12, 2))
    make_wsoa(inspection, source_document=document, span_start=0, span_end=5)
    page = client.get(f"/areas/{inspection.area.gss_code}/").content.decode()
    assert "000_30b352e54e3c96f7" not in page
    assert "Source: Ofsted/CQC letter or report on Hartlepool, letter dated 2 December 2016" in page
    if hasattr(document, "source_url"):
        document.source_url = "https://files.ofsted.gov.uk/v1/file/50000000"
        document.published_date = dt.date(2017, 1, 10)
        document.save()
        page = client.get(f"/areas/{inspection.area.gss_code}/").content.decode()
        assert 'href="https://files.ofsted.gov.uk/v1/file/50000000"' in page
        assert "Source: Ofsted/CQC letter or report on Hartlepool, published 10 January 2017" in page
        row = _csv(client, "/exports/inspections.csv")[0]
        assert row["source_url"] == "https://files.ofsted.gov.uk/v1/file/50000000" and row["published_date"] == "2017-01-10"


# --- item 14: exports ----------------------------------------------------------------------------------

def test_csvs_carry_codes_and_published_date_and_every_column_is_documented(client):
    from pathlib import Path

    make_path(make_area("Coded", dfe_la_code="805", ofsted_urn="80512"))
    for name in ("inspections", "weaknesses"):
        rows = _csv(client, f"/exports/{name}.csv")
        assert rows and {r["area_dfe_la_code"] for r in rows} == {"805"} and {r["area_ofsted_urn"] for r in rows} == {"80512"}
        assert "published_date" in rows[0]
    docs = (Path(__file__).resolve().parents[2] / "docs" / "CSV.md").read_text(encoding="utf-8")
    for name, export in EXPORTS.items():
        for column in export.header:
            assert f"`{column}`" in docs, f"{name}.{column} is not in docs/CSV.md"
            assert COLUMN_NOTES[name].get(column), f"{name}.{column} has no note for the workbook"


def test_workbook_holds_the_same_rows_columns_and_attribution(client):
    make_path(make_area("Medway", dfe_la_code="887"))
    make_path(make_area("Hartlepool"), revisit=False)
    response = client.get("/exports/workbook.xlsx", {"area": "Medway"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert book.sheetnames == ["Inspections", "Weaknesses", "Areas", "Columns", "About"]
    note, *sheet = list(book["Inspections"].values)  # the first line says which filters the sheet applied
    assert note[0] == "Filters applied to this sheet: area=Medway."
    assert list(sheet[0]) == EXPORTS["inspections"].header
    csv_rows = _csv(client, "/exports/inspections.csv", area="Medway")
    assert len(sheet) - 1 == len(csv_rows) == 2  # the inspection and its revisit, filtered as the CSV is
    start = sheet[0].index("start_date")
    assert {r[start].date() if hasattr(r[start], "date") else r[start] for r in sheet[1:]} == {
        dt.date.fromisoformat(r["start_date"]) for r in csv_rows}
    columns = {(r[0], r[1]) for r in list(book["Columns"].values)[1:]}
    assert ("Inspections", "area_ofsted_urn") in columns and ("Weaknesses", "published_date") in columns
    about = " ".join(str(c) for row in book["About"].values for c in row if c)
    assert ATTRIBUTION_REPORTS in about and ATTRIBUTION_REGISTER in about and "Facts as of" in about


# --- item 15: attribution -------------------------------------------------------------------------------

def test_attribution_in_the_footer_and_with_every_export(client, tmp_path):
    make_path(make_area("Credited"))
    for url in ("/areas/", "/inspections/", "/weaknesses/"):
        html = client.get(url).content.decode()
        footer = html.split('<footer class="site-footer">', 1)[1]
        assert "Open Government Licence" in footer and "mySociety" in footer, url
    dashboard = client.get("/").content.decode().split('<footer class="site-footer">', 1)[1]
    assert "Ordnance Survey" in ATTRIBUTION_MAP or "OS data" in ATTRIBUTION_MAP
    assert "OS data" in dashboard  # the map's page credits ONS/OS
    response = client.get("/exports/inspections.csv")
    assert response["Link"] == '</exports/ATTRIBUTION.txt>; rel="license"'
    sidecar = client.get("/exports/ATTRIBUTION.txt").content.decode()
    assert ATTRIBUTION_REPORTS in sidecar and ATTRIBUTION_MAP in sidecar and "open-government-licence" in sidecar
    # Most rows of a fresh install come from Ofsted's datasets and data-to-insight's scrape: credited too.
    assert "Contains Ofsted data licensed under the Open Government Licence" in sidecar and "data-to-insight" in sidecar
    footer = client.get("/inspections/").content.decode().split('<footer class="site-footer">', 1)[1]
    assert "Contains Ofsted data" in footer and "Ofsted SEND scrape tool" in footer
    target = tmp_path / "inspections.csv"
    call_command("export", "inspections", str(target), stdout=io.StringIO())
    assert ATTRIBUTION_REPORTS in (tmp_path / "inspections.csv.attribution.txt").read_text(encoding="utf-8")
    header = target.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "licence" not in header.lower()  # the columns stay clean


def test_unconfirmed_areas_agree_with_the_stage_column_case_by_case(client, django_assert_max_num_queries):
    """`unconfirmed_area_ids` (one query, for the areas list's caption and the dashboard) says what with_stage's
    `stage_unconfirmed` says, in each way a stage can rest on a fact under review and each way it cannot."""
    from inspections.facts.selectors import unconfirmed_area_ids, with_stage

    def unsure_2016(name, **fields):
        path = make_path(make_area(name), revisit=False)
        Inspection.objects.filter(pk=path["inspection"].pk).update(needs_review=True, **fields)
        return path

    unsure_2016("Unsure 2016")                                   # yes: the stage is the 2016 inspection's
    covered = unsure_2016("Covered by 2023")                     # no: a confirmed 2023 outcome gives the stage
    make_inspection(covered["area"], framework="2023", start_date=dt.date(2024, 2, 5))
    no_outcome = unsure_2016("2023 without outcome")             # yes: a 2023 report with no outcome gives no stage
    make_inspection(no_outcome["area"], framework="2023", start_date=dt.date(2024, 2, 5), outcome="")
    older = make_path(make_area("Older one unsure"), revisit=False)  # no: only the latest inspection counts
    Inspection.objects.filter(pk=make_inspection(older["area"], start_date=dt.date(2016, 6, 1)).pk).update(needs_review=True)
    undated = make_path(make_area("Undated loses"), revisit=False)   # no: an undated inspection is older than any dated
    Inspection.objects.filter(pk=make_inspection(undated["area"], start_date=None).pk).update(needs_review=True)
    revisit = make_path(make_area("Revisit unsure"))             # yes: a revisit of the 2016 inspection
    Revisit.objects.filter(pk=revisit["revisit"].pk).update(needs_review=True)
    judged = make_path(make_area("Judgement unsure"))            # yes: a judgement at that revisit
    ProgressJudgement.objects.filter(pk=judged["judgements"][1].pk).update(needs_review=True)
    monitored = make_path(make_area("Monitoring unsure"), with_2023=True)  # yes: a monitoring visit of the 2023 one
    Revisit.objects.filter(pk=monitored["monitoring"].pk).update(needs_review=True)
    make_path(make_area("Solid"), with_2023=True)                # no
    area_paths_refresh_all()  # the updates above sent no signal: derive the stored paths as derive_paths does

    column = {name for name, unsure in with_stage(LocalArea.objects.all()).values_list("name", "stage_unconfirmed") if unsure}
    by_id = dict(LocalArea.objects.values_list("id", "name"))
    with django_assert_max_num_queries(1):
        fast = {by_id[i] for i in unconfirmed_area_ids()}
    assert fast == column == {"Unsure 2016", "2023 without outcome", "Revisit unsure", "Judgement unsure", "Monitoring unsure"}
    page = client.get("/areas/")
    assert "5 with a stage resting on facts that need review" in _text(page.content.decode())
    narrowed = _text(client.get("/areas/", {"q": "unsure"}).content.decode())  # the caption counts the listed areas only
    assert "4 with a stage resting on facts that need review" in narrowed
