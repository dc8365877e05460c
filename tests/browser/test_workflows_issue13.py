"""Issue 13 items 4, 5, 7, 10, 11, 12 and the accessibility check, in real Chromium at laptop (1366 px) and
phone (390 px) widths, on the synthetic national dataset plus a few documents made here. Screenshots go to
test-artifacts/issue13-*.png.

Accessibility: axe-core (the `axe-playwright-python` package bundles its JS) on the dashboard, an area
timeline, each list, search, a document page and the review pages: no serious or critical violation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from inspections.models import Document, SourceLetter
from tests.browser.conftest import VIEWPORTS, no_sideways_scroll
from tests.factories import make_area, make_document, make_inspection, make_judgement, make_revisit, make_weakness

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_REASON = ("The document could not be read: the PDF's text layer is empty on every page "
               "(a scanned image without OCR); upload a version with text or run OCR first. ") * 2


@pytest.fixture
def workflow(national_data):
    """An analyst, a needs-review document whose facts are flagged, a failed upload with a long reason,
    and a 2023 inspection with a monitoring inspection that judges two of its three priority actions."""
    user = get_user_model().objects.create_user("ada", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    text = ("Area SEND inspection of Kentish Town. Leaders are co-producing the strategy with families.\n"
            "Kentish Town County Council Leaders should reduce waiting times for assessments.\n")
    document = make_document(text, name="kentish-town-report.pdf", status=Document.Status.NEEDS_REVIEW,
                             content_type="application/pdf", error="Needs review: a responsible body and its action "
                             "were printed on one line.")
    document.file.save("kentish.pdf", ContentFile(b"%PDF-1.4 sample"), save=True)
    area = make_area("Kentish Town", gss_code="E06009991", region="London")
    full = make_inspection(area, document=document, framework="2023", start_date=dt.date(2024, 2, 5),
                           outcome="systemic_failings", phrase="Area SEND inspection of Kentish Town")
    actions = [make_weakness(full, n, kind="priority_action", document=document,
                             text=f"Leaders should act on {topic}", responsible_bodies="Kentish Town County Council",
                             needs_review=n == 1, confidence=0.2 if n == 1 else 1.0,
                             review_reasons=["A responsible body and its action were printed on one line."] if n == 1 else [])
               for n, topic in enumerate(["waiting times", "EHC plans", "transitions"], start=1)]
    monitoring = make_revisit(full, start_date=dt.date(2025, 3, 3), overall="sufficient_some", overall_text="")
    make_judgement(monitoring, actions[0], True)
    make_judgement(monitoring, actions[1], False)
    SourceLetter.objects.create(document=document, position=0, kind="full_inspection", framework="2023", area=area,
                                fingerprint="kt", span_start=0, span_end=len(text), data={})
    failed = make_document("", name="scanned-" + "very-long-file-name-" * 3 + ".pdf", status=Document.Status.FAILED,
                           error=LONG_REASON)
    return {"user": user, "document": document, "area": area, "actions": actions, "failed": failed}


def _login(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()


def _both_widths(page, shot, name: str) -> None:
    """Screenshot at laptop width, then at phone width: nothing wider than the screen at either."""
    page.set_viewport_size(VIEWPORTS["laptop"])
    assert no_sideways_scroll(page), f"{name}: sideways scroll at laptop width"
    shot(page, f"issue13-{name}-laptop")
    page.set_viewport_size(VIEWPORTS["phone"])
    assert no_sideways_scroll(page), f"{name}: sideways scroll at 390 px"
    shot(page, f"issue13-{name}-phone")


def test_document_page_leads_to_area_stages_facts_and_the_original(page, live_server, workflow, shot):
    _login(page, live_server)
    doc = workflow["document"]
    page.goto(f"{live_server.url}/documents/{doc.pk}/")
    assert page.get_by_role("link", name="Kentish Town").first.is_visible()
    assert page.get_by_role("link", name="Area SEND inspection (2023 framework)").is_visible()
    assert page.get_by_text("1 to check").is_visible()
    _both_widths(page, shot, "document")
    page.set_viewport_size(VIEWPORTS["laptop"])
    with page.expect_response(lambda r: r.url.endswith(f"/documents/{doc.pk}/file/")) as served:
        page.evaluate(f"fetch('/documents/{doc.pk}/file/')")
    assert served.value.status == 200 and served.value.headers["content-type"] == "application/pdf"
    page.get_by_role("link", name="Area for priority action: “Leaders should act on waiting times”").click()
    assert "/review/weakness/" in page.url


def test_documents_list_and_review_queue_fit_a_phone_and_show_the_reason(page, live_server, workflow, shot):
    _login(page, live_server)
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(f"{live_server.url}/documents/")
    assert no_sideways_scroll(page)
    reason = page.locator("td.reason", has_text="text layer is empty").first
    box = reason.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["phone"]["width"] + 1  # on screen
    reason.scroll_into_view_if_needed()
    shot(page, "issue13-documents-phone", full_page=False)
    page.goto(f"{live_server.url}/review/")
    assert no_sideways_scroll(page)
    shot(page, "issue13-review-queue-phone", full_page=False)


def test_review_shows_its_subject_and_leads_to_the_next_item_until_the_document_is_done(page, live_server, workflow, shot):
    _login(page, live_server)
    page.goto(f"{live_server.url}/review/")
    page.get_by_role("link", name="Start with the least confident").click()
    subject = page.locator(".review-subject")
    assert "Kentish Town County Council" in subject.inner_text() and "waiting times" in subject.inner_text()
    _both_widths(page, shot, "review-fact")
    page.set_viewport_size(VIEWPORTS["laptop"])
    page.get_by_role("button", name="Confirm: it matches the source").click()
    assert page.get_by_text("Confirmed weakness or priority action").is_visible()
    doc = Document.objects.get(pk=workflow["document"].pk)
    assert doc.status == Document.Status.DONE  # its only flagged fact is settled
    page.goto(f"{live_server.url}/documents/{doc.pk}/")
    assert page.locator("#document-status").inner_text().count("Needs review") == 0


def test_monitoring_inspection_speaks_2023_on_the_timeline(page, live_server, workflow, shot):
    page.goto(f"{live_server.url}/areas/{workflow['area'].gss_code}/")
    step = page.locator("li.step", has_text="Monitoring inspection (2023 framework)")
    text = step.inner_text()
    assert "Effective action" in text and "Not effective action" in text and "Not reported" in text
    assert "Sufficient progress" not in text
    _both_widths(page, shot, "timeline-monitoring")


def test_printed_timeline_has_no_source_controls_and_carries_the_datas_date(page, live_server, workflow, shot):
    page.goto(f"{live_server.url}/areas/{workflow['area'].gss_code}/")
    assert not page.locator(".print-stamp").is_visible()  # on screen: not shown
    assert page.locator("details.source-text summary").first.is_visible()
    page.emulate_media(media="print")
    assert page.locator(".print-stamp").is_visible()
    assert "Data as of" in page.locator(".print-stamp").inner_text()
    assert not page.locator("details.source-text summary").first.is_visible()
    shot(page, "issue13-timeline-print")
    pdf = page.pdf()  # Chromium's own print: it must render
    assert pdf[:4] == b"%PDF"


def test_search_totals_pages_and_the_passage_in_its_letter(page, live_server, workflow, shot):
    page.goto(f"{live_server.url}/search/?q=coproduction")
    heading = page.locator("#letters-heading").inner_text()
    assert " of " in heading or "(" in heading
    _both_widths(page, shot, "search")
    page.set_viewport_size(VIEWPORTS["laptop"])
    page.goto(f"{live_server.url}/search/?q=co-producing")
    page.locator(".hit", has_text="Kentish Town").get_by_role("link", name="Read it in the letter").click()
    mark = page.locator("mark#match-1")
    assert mark.inner_text().lower().startswith("co-produc")
    assert mark.is_visible() and mark.bounding_box()["y"] < VIEWPORTS["laptop"]["height"]  # opened at the match


def test_404_is_in_the_sites_design(page, live_server, shot):
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert page.locator(".site-header").is_visible() and "URLconf" not in page.content()
    shot(page, "issue13-404")


A11Y_PAGES = ["/", "/areas/", "/inspections/", "/weaknesses/", "/search/?q=co-production", "/areas/{gss}/",
              "/documents/", "/documents/{doc}/", "/review/", "/review/weakness/{weakness}/",
              "/facts/weakness/{weakness}/", "/search/letters/{letter}/?q=co-producing", "/no-such-page/",
              # The no-dead-ends pages: choosing a letter's area, a shared view, search's answers, an unknown name.
              "/review/letters/{letter}/area/", "/inspections/?kind=revisit", "/search/?q=a",
              "/search/?q=coprodution&region=London", "/areas/no-such-name/", "/analysis/durations/"]


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_no_serious_or_critical_accessibility_violations(page, live_server, workflow, width):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python (test extra)")
    axe = axe_module.Axe()
    _login(page, live_server)
    page.set_viewport_size(VIEWPORTS[width])
    values = {"gss": workflow["area"].gss_code, "doc": workflow["document"].pk, "weakness": workflow["actions"][0].pk,
              "letter": SourceLetter.objects.get(document=workflow["document"]).pk}
    found = {}
    for template in A11Y_PAGES:
        url = template.format(**values)
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            found[url] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in bad]
    assert not found, found


def _on_screen(page, locator) -> bool:
    """Visible and wholly inside the phone's width: no sideways scroll needed to read it."""
    box = locator.bounding_box()
    return bool(box) and locator.is_visible() and box["x"] >= -1 and box["x"] + box["width"] <= page.viewport_size["width"] + 1


def test_phone_lists_keep_what_matters(page, live_server, national_data, shot):
    """At 390 px: the weaknesses list shows each row's kind, the inspections list its outcome, the timeline's
    neighbour table the latest inspection, and the map has a list of every area to tap instead of tiny shapes."""
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(f"{live_server.url}/weaknesses/")
    first = page.locator("#results tbody tr").first
    assert "Area of significant weakness" in first.inner_text() or "Area for" in first.inner_text()  # the kind is shown
    first.scroll_into_view_if_needed()
    shot(page, "issue13-weaknesses-phone", full_page=False)
    page.goto(f"{live_server.url}/inspections/")
    row = page.locator("#results tbody tr").first
    row.scroll_into_view_if_needed()
    assert _on_screen(page, row.locator(".outcome, td .muted").first), "the outcome is cut off"
    shot(page, "issue13-inspections-phone", full_page=False)
    gss = national_data.sample_gss if hasattr(national_data, "sample_gss") else "E06000001"
    page.goto(f"{live_server.url}/areas/{gss}/")
    neighbours = page.locator("#nb-h + * table, #nb-h ~ table, section:has(#nb-h) table").first
    if neighbours.count():
        cell = neighbours.locator("tbody tr").first.locator("td").last
        cell.scroll_into_view_if_needed()
        assert _on_screen(page, cell), "the neighbours' latest inspection is cut off"
    page.goto(f"{live_server.url}/")
    summary = page.get_by_text("The map as a table")
    assert summary.is_visible()
    summary.click()
    link = page.locator(".map-table a").first
    assert _on_screen(page, link)
    box = link.bounding_box()
    assert box["height"] >= 24  # a target a finger can hit (WCAG 2.2: 24 px), unlike a one-pixel borough on the map
    shot(page, "issue13-map-list-phone", full_page=False)
