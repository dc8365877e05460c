"""Issue 13 items 1, 2, 3, 6, 8, 9, 13, 14, 15 in real Chromium, at laptop (1280 px) and phone (390 px) widths, on
the real register and the seed letters (tests/browser/test_pages.py's `seeded`). Screenshots: test-artifacts/honest-*.png.
"""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.test_pages import seeded  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDTHS = [("laptop", LAPTOP), ("phone", PHONE)]


@pytest.fixture
def public(settings):
    settings.PUBLIC_READ = True


@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded")
def test_stockton_wsoa_date_and_sources(page, live_server, public, shot, width, viewport):
    """Items 1 and 13: no invented WSOA date or gap; sources named by what they are."""
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/areas/E06000004/")
    wsoa = page.locator("li.step-wsoa")
    expect(wsoa).to_contain_text("Date not known")
    expect(wsoa).not_to_contain_text("8 February 2019")
    expect(page.locator("ol.timeline")).not_to_contain_text("0.1 months")
    expect(page.locator(".gaps-left-out")).to_contain_text("not given for 1 step")
    source = page.locator("li.step-initial_inspection a.source-link").first
    expect(source).to_have_text("Source: Ofsted/CQC letter or report on Stockton-on-Tees, date not known")
    expect(page.locator("main")).not_to_contain_text(".txt")
    expect(page.locator("li.step-initial_inspection h4").first).to_have_text("Areas of significant weakness (4)")
    shot(page, f"honest-stockton-{width}")


@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded")
def test_invalid_filter_shows_an_error_and_no_rows(page, live_server, public, shot, width, viewport):
    """Item 2."""
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/inspections/?outcome=foo")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("foo is not one of the available choices")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody tr")).to_have_text(re.compile("No rows: a filter is not valid"))
    response = page.request.get(live_server.url + "/exports/inspections.csv?outcome=foo")
    assert response.status == 400 and "outcome" in response.text()
    shot(page, f"honest-invalid-filter-{width}")


@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded")
def test_redcar_latest_is_its_revisit_and_unconfirmed_rows_are_marked(page, live_server, public, shot, width, viewport):
    """Items 3, 6 and 9: Redcar's latest is its 2021 revisit; Middlesbrough's secondary revisit is marked
    "Needs review" in a column a phone shows; the list caption and the dashboard count the same rows."""
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/areas/?q=Redcar")
    row = page.locator("#results tbody tr").first
    expect(row).to_contain_text("22 Nov 2021")
    expect(row.get_by_text("22 Nov 2021")).to_be_visible()
    page.goto(live_server.url + "/inspections/?area=Middlesbrough")
    revisit = page.locator("#results tbody tr", has_text="Sufficient progress in every weakness")
    expect(revisit.locator(".badge-review")).to_be_visible()
    caption = page.locator("#results caption")
    expect(caption).to_contain_text("2 rows: 1 inspection, 1 revisit or monitoring inspection; 1 needs review")
    page.goto(live_server.url + "/inspections/")
    # Redcar's 2018 inspection, known only from its revisit letter, is a row of its own (issue 19 item 4).
    expect(page.locator("#results caption")).to_contain_text("7 rows: 5 inspections, 2 revisits or monitoring inspections")
    page.goto(live_server.url + "/")
    expect(page.locator(".dash-counts")).to_contain_text("4 inspections and 2 revisits or monitoring inspections recorded")
    expect(page.locator(".dash-counts")).to_contain_text(
        "the inspections list has one row for each: 6, plus 1 visit known only from a later document")
    shot(page, f"honest-dashboard-{width}")


@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded")
def test_predecessor_pages_link_both_ways(page, live_server, public, shot, width, viewport):
    """Item 8, on the real register's Dorset / Dorset County with a 2024 report naming a 2017 inspection."""
    from areas.models import LocalArea
    from tests.factories import make_inspection

    make_inspection(LocalArea.objects.get(gss_code="E06000059"), framework="2023", start_date=dt.date(2024, 3, 11),
                    outcome="positive", previous_inspection_start=dt.date(2017, 1, 23),
                    previous_inspection_end=dt.date(2017, 1, 27))
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/areas/E10000009/")
    mentions = page.locator(".later-mentions")
    expect(mentions).to_be_visible()
    expect(mentions).to_contain_text("23 January 2017 to 27 January 2017")
    shot(page, f"honest-dorset-county-{width}")
    mentions.get_by_role("link", name=re.compile("Dorset’s report")).click()
    page.wait_for_url("**/areas/E06000059/**")
    expect(page.locator(".history")).not_to_contain_text("shown below")
    expect(page.locator(".previous-of")).to_contain_text("Before Dorset existed: an inspection of Dorset County")
    shot(page, f"honest-dorset-{width}")


@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded")
def test_workbook_download_and_footer_attribution(page, live_server, public, shot, width, viewport):
    """Items 14 and 15."""
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/weaknesses/?area=Medway")
    footer = page.locator("footer.site-footer")
    expect(footer).to_contain_text("Open Government Licence v3.0")
    expect(footer).to_contain_text("mySociety")
    footer.scroll_into_view_if_needed()
    expect(footer.get_by_role("link", name="Sources and licences")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Excel workbook")).click()
    book = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()), read_only=True)
    note, *weaknesses = list(book["Weaknesses"].values)  # its first line: the filters it applied
    assert note[0] == "Filters applied to this sheet: area=Medway."
    assert len(weaknesses) - 1 == 8 and "area_ofsted_urn" in weaknesses[0]
    about = " ".join(str(c) for r in book["About"].values for c in r if c)
    assert "Open Government Licence" in about and "area=Medway" in about
    shot(page, f"honest-weaknesses-footer-{width}")
