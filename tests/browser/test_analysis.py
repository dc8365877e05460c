"""The analysis pages (issue 15) in real Chromium, at laptop (1280 px) and phone (390 px) widths: each shows
its figures, its data table, its data date, and downloads its CSV (and SVG where it has a chart)."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def open_pages(settings):
    settings.PUBLIC_READ = True


def _both_sizes(page, shot, name: str) -> None:
    """Screenshot at 1280 px, then at phone width, where nothing may scroll sideways but a table's own box."""
    page.set_viewport_size(LAPTOP)
    shot(page, f"{name}-laptop")
    page.set_viewport_size(VIEWPORTS["phone"])
    shot(page, f"{name}-phone")
    assert no_sideways_scroll(page), f"{name}: the page scrolls sideways on a phone"


def _download_text(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


@pytest.mark.usefixtures("open_pages")
def test_due_page_filters_sorts_and_downloads(page, live_server, national_data, shot):
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + "/analysis/")
    page.get_by_role("link", name="Due and overdue visits").click()
    expect(page.get_by_role("heading", name="Which areas are due or overdue a visit")).to_be_visible()
    expect(page.locator(".as-of")).to_contain_text("Computed on")
    page.get_by_label("Due within (months)").fill("120")
    page.get_by_label("Region").select_option("London")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"region=London"))
    rows = page.locator("table.due-table tbody tr[data-gss]")
    expect(rows.first).to_be_visible()
    shown = rows.count()
    page.locator("table.due-table thead").get_by_role("link", name="Area", exact=True).click()  # sort by area name
    page.wait_for_url(re.compile(r"sort=area"))
    names = page.locator("table.due-table tbody th").all_inner_texts()
    assert names == sorted(names)
    name, raw = _download_text(page, page.get_by_role("link", name=re.compile("CSV", re.I)).first)
    assert name.startswith("sendtracker-due-")
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(table) == shown and {r["region"] for r in table} == {"London"}
    _both_sizes(page, shot, "analysis-due")


@pytest.mark.usefixtures("open_pages")
@pytest.mark.parametrize(("url", "heading", "table", "slug"), [
    ("/analysis/durations/?region=North+East", "How long each stage takes", "#durations-table", "durations"),
    ("/analysis/paths/", "From 2016 paths to 2023 outcomes", "#paths-table", "paths"),
    ("/analysis/trends/?period=quarter", "Outcomes over time", "#table-full_inspection", "trends"),
])
def test_chart_pages_have_table_csv_and_svg(page, live_server, national_data, shot, url, heading, table, slug):
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + url)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    figure = page.locator("figure.chart").first
    expect(figure.locator("svg.chart-svg")).to_be_visible()
    expect(page.locator(table)).to_be_visible()
    assert page.locator(f"{table} tbody tr").count() >= 1
    expect(page.locator(".as-of")).to_contain_text("Computed on")
    name, svg = _download_text(page, figure.get_by_role("link", name="chart (SVG)"))
    assert name.endswith(".svg") and svg.startswith(b"<svg") and b"computed" in svg
    name, raw = _download_text(page, figure.get_by_role("link", name="its numbers (CSV)"))
    assert name.endswith(".csv") and len(raw.decode("utf-8-sig").splitlines()) >= 2
    _both_sizes(page, shot, f"analysis-{slug}")


@pytest.mark.usefixtures("open_pages")
def test_paths_cell_opens_its_areas(page, live_server, national_data):
    page.goto(live_server.url + "/analysis/paths/")
    cell = page.locator("#paths-table tbody td a").first
    count = int(cell.inner_text())
    cell.click()
    page.wait_for_url(re.compile(r"/analysis/paths/areas/\?"))
    expect(page.locator("ul.path-areas li")).to_have_count(count)


@pytest.mark.usefixtures("open_pages")
def test_area_page_loads_its_next_step_and_comparison(page, live_server, national_data, shot):
    from inspections.models import Inspection

    area = Inspection.objects.filter(framework="2023").select_related("area").order_by("area__name").first().area
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + f"/areas/{area.gss_code}/")
    section = page.locator("section.area-comparison")
    expect(section.locator(".next-visit")).to_contain_text("Next expected step")  # loaded after the page (htmx)
    expect(section.locator("table.compare-times")).to_be_visible()
    expect(section.locator("table.compare-stages tr.is-area")).to_have_count(1)
    _both_sizes(page, shot, "analysis-area-comparison")
    page.goto(live_server.url + f"/analysis/compare/{area.gss_code}/")
    expect(page.get_by_role("heading", name=re.compile(f"^{re.escape(area.name)} beside"))).to_be_visible()
