"""The analyst's path through real Chromium: dashboard -> map area -> filtered list -> CSV -> timeline."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from inspections.vocabulary import STAGES
from tests.browser.conftest import VIEWPORTS, laptop_then_phone, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_map_and_charts(page, live_server, national_data, shot):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Local area SEND inspections in England")).to_be_visible()
    expect(page.locator("svg.england-map a.map-area:not(.map-area-inset)")).to_have_count(153)
    expect(page.locator("svg.england-map a.map-area-inset")).to_have_count(33)  # London, enlarged
    # Every chart bar is a link to a list.
    assert page.locator(".dash-status a.bar-row").count() == len(STAGES)  # one per stage (inspections/vocabulary.py)
    laptop_then_phone(shot, page, "dashboard")
    assert no_sideways_scroll(page)


def test_click_area_on_map_opens_its_timeline(page, live_server, national_data, shot):
    page.goto(live_server.url + "/")
    hartlepool = page.locator('svg.england-map a.map-area[data-gss="E06000001"]')
    expect(hartlepool.locator("title")).to_have_text(re.compile(r"^Hartlepool: "))
    hartlepool.click()
    page.wait_for_url("**/areas/E06000001/")
    assert page.url.endswith("/areas/E06000001/")
    shot(page, "map-click-timeline")


def test_london_inset_is_clickable(page, live_server, national_data):
    page.goto(live_server.url + "/")
    page.locator('svg.england-map a.map-area-inset[data-gss="E09000007"]').click()  # Camden, enlarged
    page.wait_for_url("**/areas/E09000007/")


def test_keyboard_reaches_map_areas(page, live_server, national_data):
    page.goto(live_server.url + "/")
    page.locator('svg.england-map a.map-area[data-gss="E06000001"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/areas/E06000001/")


def test_search_highlights(page, live_server, national_data, shot):
    page.goto(live_server.url + "/search/")
    page.get_by_label("Search words").fill("co-production")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=co-production")
    expect(page.locator(".hit mark").first).to_be_visible()
    laptop_then_phone(shot, page, "search")


def _need(page, url: str, what: str):
    response = page.goto(url)
    if response.status == 404:
        pytest.fail(f"{what} ({url}) is not served yet")
    return response


def test_filter_list_and_download_its_csv(page, live_server, national_data, shot):
    _need(page, live_server.url + "/areas/", "the areas list")
    form = page.locator("form").filter(has=page.locator('[name="region"]')).first
    form.locator('[name="region"]').select_option("North East")
    form.locator('button[type="submit"], input[type="submit"]').first.click()
    page.wait_for_url(re.compile(r"region=North\+East"))
    rows = page.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    shown = rows.count()
    assert shown >= 1
    shot(page, "areas-filtered-laptop")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("CSV", re.I)).first.click()
    download = info.value
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 BOM for Excel"
    records = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert records, "the CSV has rows"
    region_column = next(k for k in records[0] if k.lower() == "region")
    assert {r[region_column] for r in records} == {"North East"}
    from areas.models import LocalArea

    assert len(records) == shown, "the CSV holds exactly the rows the list shows"
    # Choosing only a region must list every area of that region: no other filter may sneak in a value.
    expected = LocalArea.objects.filter(region="North East", end_date__isnull=True).count()
    assert len(records) == expected, f"{page.url} lists {len(records)} of the {expected} North East areas"

    page.set_viewport_size(VIEWPORTS["phone"])
    shot(page, "areas-filtered-phone")


def test_timeline_reveals_a_source_sentence(page, live_server, national_data, shot):
    from inspections.models import SignificantWeakness

    weakness = SignificantWeakness.objects.select_related("inspection__area", "source_document").filter(
        inspection__framework="2016").first()
    gss = weakness.inspection.area.gss_code
    _need(page, f"{live_server.url}/areas/{gss}/", "the area timeline")
    expect(page.get_by_role("heading", level=1)).to_contain_text(weakness.inspection.area.name)
    sentence = weakness.source_text
    assert sentence.startswith("Inspectors found weaknesses in")
    item = page.locator("ol.weaknesses li").filter(has_text=weakness.text).first
    quote = item.locator("details.source-text blockquote")
    expect(quote).to_be_hidden()
    # The source sentence is revealed on demand.
    item.locator("details.source-text summary").click()
    expect(quote).to_be_visible()
    expect(quote).to_contain_text(sentence)
    item.scroll_into_view_if_needed()
    laptop_then_phone(shot, page, "timeline")


@pytest.fixture
def seeded(transactional_db):
    """The real register and the five seed documents, ingested as ./scripts/serve does."""
    from django.core.management import call_command, get_commands

    from tests.conftest import SEEDS

    if "load_areas" not in get_commands():
        pytest.skip("needs the area register (manage.py load_areas)")
    out = io.StringIO()
    call_command("load_areas", stdout=out)
    call_command("ingest", *sorted(str(p) for p in SEEDS.glob("*.txt")), stdout=out, stderr=out)


def test_real_seed_timeline_from_the_map(page, live_server, seeded, shot):
    """Middlesbrough on real data: map -> timeline with 2017 inspection, WSOA, the July 2019 revisit (from a
    council report, marked secondary) and its four judgements, each with its source sentence on demand."""
    page.goto(live_server.url + "/")
    area = page.locator('svg.england-map a.map-area[data-gss="E06000002"]')
    expect(area).to_have_attribute("data-status", "revisit_sufficient")
    shot(page, "seed-dashboard-laptop")
    area.click()
    page.wait_for_url("**/areas/E06000002/")
    steps = page.locator("ol.timeline > li.step h3")
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text("20 March 2017")
    expect(steps.nth(2)).to_contain_text("8 July 2019")
    revisit = page.locator("li.step-revisit")
    expect(revisit.locator(".badge-secondary").first).to_be_visible()
    rows = revisit.locator("table.judgements tbody tr")
    expect(rows).to_have_count(4)
    expect(revisit.locator(".judgement-sufficient")).to_have_count(4)
    first = rows.first.locator("details.source-text")
    first.locator("summary").click()
    expect(first.locator("blockquote")).to_be_visible()
    assert len(first.locator("blockquote").inner_text().strip()) > 20
    laptop_then_phone(shot, page, "seed-timeline-middlesbrough")
    assert no_sideways_scroll(page)


def test_real_seed_redcar_and_inspections_csv(page, live_server, seeded, shot):
    page.goto(live_server.url + "/areas/E06000003/")
    expect(page.locator("ol.timeline > li.step").first).to_contain_text("February and March 2018")
    shot(page, "seed-timeline-redcar-laptop")
    page.goto(live_server.url + "/inspections/")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("CSV", re.I)).first.click()
    records = list(csv.DictReader(io.StringIO(open(info.value.path(), "rb").read().decode("utf-8-sig"))))
    assert sorted((r["area_gss_code"], r["kind"]) for r in records) == [
        ("E06000001", "initial_inspection"), ("E06000002", "initial_inspection"), ("E06000002", "revisit"),
        # Redcar's 2018 inspection, known from its revisit letter, is a row of its own (issue 19 item 4).
        ("E06000003", "initial_inspection"), ("E06000003", "revisit"), ("E06000004", "initial_inspection"),
        ("E06000035", "initial_inspection")]
    laptop_then_phone(shot, page, "seed-inspections")
