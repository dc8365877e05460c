"""Weakness themes in real Chromium: the area page loads its themes table, an analyst sets a weakness's themes on
its review page, and the pages that show themes have no serious or critical accessibility violation (axe-core) at
laptop and phone widths, nor sideways scrolling on a phone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from inspections.models import SignificantWeakness, WeaknessTheme
from inspections.themes.services import themes_classify
from tests.browser.conftest import VIEWPORTS, no_sideways_scroll
from tests.factories import make_area, make_inspection, make_judgement, make_revisit, make_weakness

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def themed(national_data):
    user = get_user_model().objects.create_user("ada", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    area = make_area("Kentish Town", gss_code="E06009991", region="London")
    initial = make_inspection(area)
    weaknesses = [make_weakness(initial, n, text=t) for n, t in enumerate((
        "the long waiting times for neurodevelopmental assessments", "the poor quality of EHC plans"), start=1)]
    make_judgement(make_revisit(initial), weaknesses[0], False)
    themes_classify()
    return {"area": area, "weaknesses": weaknesses}


def _login(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()


def test_area_page_loads_its_themes_and_an_analyst_sets_themes(page, live_server, themed, shot):
    area = themed["area"]
    page.goto(f"{live_server.url}/areas/{area.gss_code}/")
    table = page.locator("#area-themes-table")
    table.wait_for()
    assert table.locator('tr[data-theme="health_waiting"]').is_visible()
    shot(page, "themes-area")
    _login(page, live_server)
    weakness = themed["weaknesses"][1]
    page.goto(f"{live_server.url}/review/weakness/{weakness.pk}/")
    page.get_by_text("Set the themes").click()
    page.get_by_label("Workforce capacity and training").check()
    page.get_by_role("button", name="Save themes").click()
    page.wait_for_load_state("networkidle")
    assert page.locator('.fact-theme-list li[data-theme="workforce"][data-method="analyst"]').is_visible()
    assert set(WeaknessTheme.objects.filter(weakness=weakness).values_list("theme", flat=True)) == {
        "ehcp_quality", "workforce"}


THEME_PAGES = ["/", "/weaknesses/?theme=health_waiting", "/analysis/themes/", "/analysis/themes/about/",
               "/areas/{gss}/", "/review/weakness/{weakness}/", "/analysis/themes/area/{gss}/"]


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_theme_pages_are_accessible(page, live_server, themed, width):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python (test extra)")
    axe = axe_module.Axe()
    _login(page, live_server)
    page.set_viewport_size(VIEWPORTS[width])
    values = {"gss": themed["area"].gss_code, "weakness": themed["weaknesses"][0].pk}
    found, scrolls = {}, []
    for template in THEME_PAGES:
        url = template.format(**values)
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        bad = [v for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            found[url] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in bad]
        if width == "phone" and not no_sideways_scroll(page):
            scrolls.append(url)
    assert not found, found
    assert not scrolls, scrolls
