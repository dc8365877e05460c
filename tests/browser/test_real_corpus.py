"""The analyst's path through real Chromium on the REAL dataset ./scripts/serve builds: the register, the seed
letters and the 29 real 2023-framework reports (../shared). Expected values come from the reports' labels."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS
from tests.real_corpus import clear_real_corpus, ingest_real_corpus, label_outcome_counts, report_labels

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.django_db(transaction=True)]

HERTFORDSHIRE = "E10000015"  # a compact county on the map; its 2023 report found systemic failings


@pytest.fixture
def real_corpus(transactional_db, settings):
    settings.PUBLIC_READ = True
    ingest_real_corpus()
    yield
    clear_real_corpus()  # the transactional teardown empties the tables too; this also clears the resolver cache


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_real_dashboard_map_to_a_2023_timeline(page, live_server, real_corpus, shot):
    page.goto(live_server.url + "/")
    labels = {row["ons_code"]: row for row in report_labels()}
    # Every reported area is coloured by its labelled 2023 outcome.
    for outcome, count in label_outcome_counts().items():
        expect(page.locator(f'svg.england-map a.map-area:not(.map-area-inset)[data-status="{outcome}"]')).to_have_count(count)
    fills = page.locator('svg.england-map a.map-area[data-status="systemic_failings"] path').evaluate_all(
        "paths => paths.map(p => getComputedStyle(p).fill)")
    assert fills and len(set(fills)) == 1 and fills[0] not in ("none", "rgb(221, 221, 221)"), fills
    expect(page.locator('.dash-status a.bar-row[data-key="systemic_failings"] .bar-count')).to_have_text(
        str(label_outcome_counts()["systemic_failings"]))
    shot(page, "real-dashboard-laptop")
    page.set_viewport_size(VIEWPORTS["phone"])
    shot(page, "real-dashboard-phone")
    assert _no_sideways_scroll(page)
    page.set_viewport_size(VIEWPORTS["laptop"])

    herts = page.locator(f'svg.england-map a.map-area[data-gss="{HERTFORDSHIRE}"]')
    expect(herts).to_have_attribute("data-status", labels[HERTFORDSHIRE]["outcome_key"])
    expect(herts.locator("title")).to_have_text(re.compile(r"^Hertfordshire: 2023: .*systemic failings$"))
    herts.click()
    page.wait_for_url(f"**/areas/{HERTFORDSHIRE}/")
    step = page.locator("li.step-full_inspection")
    expect(step.locator("h3")).to_have_text("Area SEND inspection (2023 framework), 10 July 2023")
    expect(step.locator(".outcome-systemic_failings")).to_have_text("Widespread and/or systemic failings")
    expect(step.locator(".previous-inspection")).to_contain_text("4 July 2016")

    # A priority action's source sentence is hidden until asked for, then shows the report's own words.
    actions = step.locator("h4:has-text('for priority action') + ol.weaknesses > li")
    expect(actions).to_have_count(len(labels[HERTFORDSHIRE]["priority_actions"]))
    first = actions.first
    quote = first.locator("details.source-text blockquote")
    expect(quote).to_be_hidden()
    first.locator("details.source-text summary").click()
    expect(quote).to_be_visible()
    assert _norm(labels[HERTFORDSHIRE]["priority_actions"][0])[:80] in _norm(quote.inner_text())
    assert "<br>" not in quote.inner_html(), "the PDF's line breaks are not kept inside a sentence"
    first.scroll_into_view_if_needed()
    shot(page, "real-timeline-hertfordshire-laptop", full_page=False)
    page.set_viewport_size(VIEWPORTS["phone"])
    first.scroll_into_view_if_needed()
    shot(page, "real-timeline-hertfordshire-phone")
    assert _no_sideways_scroll(page)


def test_real_inspections_filtered_by_2023_outcome_and_their_csv(page, live_server, real_corpus, shot):
    page.goto(live_server.url + "/inspections/")
    form = page.locator("form.filters")
    form.locator('[name="framework"]').select_option("2023")
    form.locator('[name="outcome"]').select_option("inconsistent")
    form.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"framework=2023.*outcome=inconsistent|outcome=inconsistent.*framework=2023"))
    expected = [r for r in report_labels() if r["outcome_key"] == "inconsistent"]
    rows = page.locator("table.rows tbody tr")
    expect(rows).to_have_count(len(expected))
    expect(page.locator("table.rows caption")).to_contain_text(f"{len(expected)} rows")
    expect(rows.locator(".outcome-inconsistent")).to_have_count(len(expected))
    shot(page, "real-inspections-inconsistent-laptop")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("CSV", re.I)).first.click()
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    records = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted((r["area_gss_code"], r["start_date"], r["outcome"], r["weakness_count"]) for r in records) == sorted(
        (r["ons_code"], r["inspection_start"], "inconsistent", str(len(r["priority_actions"]) + len(r["improvement_areas"])))
        for r in expected)

    page.set_viewport_size(VIEWPORTS["phone"])
    shot(page, "real-inspections-inconsistent-phone")
    assert _no_sideways_scroll(page)
    # The outcome, the point of this filter, is on screen without scrolling the table sideways.
    box = rows.first.locator(".outcome").bounding_box()
    assert box and box["x"] + box["width"] <= VIEWPORTS["phone"]["width"], box
    expect(rows.first.locator("th .phone-only")).to_have_text("Area SEND inspection")


def test_real_weaknesses_and_search_on_a_phone(page, live_server, real_corpus, shot):
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(live_server.url + "/weaknesses/?framework=2023&kind=priority_action")
    total = sum(len(r["priority_actions"]) for r in report_labels())
    expect(page.locator("table.rows caption")).to_contain_text(f"{total} rows")
    shot(page, "real-priority-actions-phone")
    assert _no_sideways_scroll(page)
    # Each weakness is a card on a phone: its whole text on screen, no sideways scrolling inside the table.
    box = page.locator("table.rows tbody td.text").first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["phone"]["width"], box
    assert page.evaluate("(() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth <= w.clientWidth + 1; })()")

    page.goto(live_server.url + "/search/?q=EHC")
    expect(page.locator(".hit mark").first).to_be_visible()
    shot(page, "real-search-ehc-phone")
    assert _no_sideways_scroll(page)
