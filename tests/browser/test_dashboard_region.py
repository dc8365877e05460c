"""The dashboard's region filter (issue 15 item 5) and coverage panel (issue 11 item 4) in real Chromium, at laptop
(1280 px) and phone (390 px) widths: choosing a region scopes the figures, fades the rest of the map and carries the
region to the list a bar opens; the coverage numbers add up and say what they count."""

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTER = Path(__file__).resolve().parents[2] / "areas" / "data" / "local_areas.csv"
SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def regional_data(transactional_db):
    """bench/pages_data.py's synthetic dataset (real GSS codes first), each area given its real region from the
    register, so the map's highlight is a real region; one area known only from a later report."""
    from areas.models import LocalArea
    from bench.pages_data import build_dataset
    from inspections.models import Inspection

    build_dataset(scale=1.0)
    regions = {row["gss_code"]: row["region"] for row in csv.DictReader(REGISTER.open(encoding="utf-8"))}
    for area in LocalArea.objects.all():
        if area.gss_code in regions:
            LocalArea.objects.filter(pk=area.pk).update(region=regions[area.gss_code])
    partly = LocalArea.objects.filter(end_date__isnull=True, region="North East").order_by("name").first()
    Inspection.objects.create(area=partly, framework="2016", kind="initial_inspection", outcome="",
                              start_date="2014-03-03", is_placeholder=True)
    from inspections.analysis.snapshot import forget

    forget()  # .update() sends no signal


def _counts(page) -> dict[str, int]:
    return {key: int(page.locator(f".coverage [data-key='{key}'] .coverage-count strong").inner_text())
            for key in ("whole", "partly", "official_only", "secondary_only", "none")}


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_region_filter_and_coverage(page, live_server, regional_data, shot, size):
    from areas.models import LocalArea

    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/")
    national = _counts(page)
    assert sum(national.values()) == LocalArea.objects.filter(end_date__isnull=True).count()
    assert national["partly"] >= 1
    expect(page.locator(".coverage-sum")).to_contain_text(f"= {sum(national.values())} current areas")
    expect(page.locator(".last-fetch")).to_have_text("never fetched: fetching is off — see README")
    expect(page.locator("svg.england-map a.map-area-outside")).to_have_count(0)

    page.get_by_label("Region").select_option("North East")
    page.locator("form.dash-region").get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"region=North\+East"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Local area SEND inspections in North East")
    in_region = LocalArea.objects.filter(end_date__isnull=True, region="North East").count()
    regional = _counts(page)
    assert sum(regional.values()) == in_region < sum(national.values())
    assert regional["partly"] == 1  # the area with an inspection known only from a later report
    # The map: the region's areas at full colour, every other area faded (and still a link).
    main_map = page.locator("svg.england-map a.map-area:not(.map-area-inset)")
    faded = page.locator("svg.england-map a.map-area-outside:not(.map-area-inset)")
    expect(main_map).to_have_count(153)
    expect(faded).to_have_count(153 - 12)  # the North East's twelve SEND areas stay bright
    opacity = page.locator("svg.england-map a.map-area-outside path").first.evaluate(
        "el => getComputedStyle(el).fillOpacity")
    assert float(opacity) < 0.5
    assert no_sideways_scroll(page)
    shot(page, f"dashboard-region-{size}")
    shot(page, f"dashboard-region-{size}-top", full_page=False)

    # A bar opens its list, carrying the region: the list counts the bar's number.
    bar = page.locator(".dash-status a.bar-row").filter(has=page.locator(".bar-count:not(:text-is('0'))")).first
    shown = int(bar.locator(".bar-count").inner_text())
    bar.click()
    page.wait_for_url(re.compile(r"/areas/\?.*region=North\+East"))
    expect(page.locator("caption").first).to_contain_text(f"{shown} area")

    # An unknown region: an error, no figures.
    response = page.goto(live_server.url + "/?region=Narnia")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Unknown region")
    expect(page.locator(".coverage-count")).to_have_count(0)
    expect(page.locator("svg.england-map")).to_have_count(0)
