"""No dead ends: every list, review item and upload leads somewhere an analyst can act. Each item in real
Chromium at laptop (1280 px) and phone (390 px) widths, on the real register and the seed letters (`seeded`), and
on ../shared's reports where the item needs them (marked `shared`). Screenshots: test-artifacts/dead-ends-*.png.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import no_sideways_scroll
from tests.browser.test_pages import seeded  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDTHS = [("laptop", LAPTOP), ("phone", PHONE)]


@pytest.fixture
def public(settings):
    settings.PUBLIC_READ = True


def _download(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


def _sheets(raw: bytes) -> dict[str, tuple[str, list[tuple]]]:
    """{sheet: (its first line: the filters it applied, [data rows])} of a downloaded workbook's three tables."""
    book = load_workbook(io.BytesIO(raw), read_only=True)
    out = {}
    for title in ("Inspections", "Weaknesses", "Areas"):
        note, header, *rows = list(book[title].values)
        out[title] = (note[0], [dict(zip(header, row)) for row in rows])
    return out


# --- 1. every export link accepts exactly its page's filters ----------------------------------------------

@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded", "public")
def test_exports_accept_their_pages_filters(page, live_server, shot, width, viewport):
    page.set_viewport_size(viewport)
    # The weaknesses list's own kind (a weakness kind) is not the inspections sheet's: applied where it means
    # something, stated where it does not, never a 400.
    page.goto(live_server.url + "/weaknesses/?kind=significant_weakness")
    _, raw = _download(page, page.get_by_role("link", name=re.compile("Excel workbook")))
    sheets = _sheets(raw)
    assert sheets["Weaknesses"][0] == "Filters applied to this sheet: kind=significant_weakness."
    assert sheets["Weaknesses"][1] and {r["weakness_kind"] for r in sheets["Weaknesses"][1]} == {"significant_weakness"}
    assert "kind (it does not describe a row of inspections)" in sheets["Inspections"][0]
    for link in page.locator("a.csv, a.xlsx").all():  # every export link of the page answers
        assert page.request.get(live_server.url + link.get_attribute("href")).status == 200

    page.goto(live_server.url + "/inspections/?kind=revisit")
    _, raw = _download(page, page.get_by_role("link", name=re.compile("Excel workbook")))
    sheets = _sheets(raw)
    assert {r["kind"] for r in sheets["Inspections"][1]} == {"revisit"}

    # outcome applies to the weaknesses of the inspections with that outcome; the Areas sheet says it cannot.
    page.goto(live_server.url + "/inspections/?outcome=wsoa_required")
    _, raw = _download(page, page.get_by_role("link", name=re.compile("Excel workbook")))
    sheets = _sheets(raw)
    assert "outcome=wsoa_required" in sheets["Weaknesses"][0]
    page.goto(live_server.url + "/weaknesses/?outcome=wsoa_required")  # the weaknesses list filters the same way
    caption = page.locator("#results caption").inner_text()
    assert re.search(rf"\b{len(sheets['Weaknesses'][1])} rows?\b", caption), caption
    assert sheets["Weaknesses"][1] and {r["outcome"] for r in sheets["Inspections"][1]} == {"wsoa_required"}
    assert "outcome" in sheets["Areas"][0].split("Not applied here:")[1]

    # An area page's workbook: one area on every sheet.
    page.goto(live_server.url + "/areas/E06000001/")
    _, raw = _download(page, page.get_by_role("link", name="Excel workbook"))
    sheets = _sheets(raw)
    assert [r["area_name"] for r in sheets["Areas"][1]] == ["Hartlepool"]
    assert {r["area_name"] for r in sheets["Inspections"][1]} == {"Hartlepool"}
    assert sheets["Weaknesses"][1] and {r["area_name"] for r in sheets["Weaknesses"][1]} == {"Hartlepool"}
    shot(page, f"dead-ends-1-exports-{width}")


# --- 8. small but visible --------------------------------------------------------------------------------

@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded", "public")
def test_small_things_are_right(page, live_server, shot, width, viewport):
    page.set_viewport_size(viewport)
    # One name per region, the dashboard's, in every list's filter.
    for url in ("/areas/", "/inspections/", "/weaknesses/"):
        page.goto(live_server.url + url)
        options = page.locator("select[name=region] option").all_inner_texts()
        assert "Yorkshire and The Humber" in options and "East of England" in options, url
        assert "Yorkshire" not in options and "East" not in options, url
    page.goto(live_server.url + "/")
    expect(page.locator(".dash-counts")).to_contain_text("Inspections of former authorities are counted")
    expect(page.locator("main")).not_to_contain_text("authorities’ ")
    # The icon: linked from every page, and /favicon.ico answers.
    icon = page.locator("link[rel=icon]")
    assert page.request.get(live_server.url + icon.get_attribute("href")).status == 200
    assert page.request.get(live_server.url + "/favicon.ico").status == 200
    # The durations CSV's file name names its region.
    page.goto(live_server.url + "/analysis/durations/?region=North+East")
    name, _ = _download(page, page.get_by_role("link", name=re.compile("CSV")).first)
    assert name.startswith("sendtracker-durations-north-east-"), name
    # The workbook's About sheet: the facts' date with its time, not midnight.
    page.goto(live_server.url + "/inspections/")
    _, raw = _download(page, page.get_by_role("link", name=re.compile("Excel workbook")))
    about = {row[0]: row[1:] for row in load_workbook(io.BytesIO(raw))["About"].iter_rows(values_only=True) if row[0]}
    held = about["Facts as of"][0]
    assert (held.hour, held.minute, held.second) != (0, 0, 0) or held.microsecond  # a real time
    assert "finished processing" in about["Facts as of"][1]
    assert no_sideways_scroll(page)
    shot(page, f"dead-ends-8-small-{width}")


# --- 9. addresses people can type ------------------------------------------------------------------------

@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded", "public")
def test_addresses_people_can_type(page, live_server, shot, width, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/areas/hartlepool/")
    assert page.url.endswith("/areas/E06000001/")
    expect(page.locator("h1")).to_contain_text("Hartlepool")
    page.goto(live_server.url + "/areas/telford-and-wrekin/")  # "Telford & Wrekin"
    assert page.url.endswith("/areas/E06000020/")
    page.goto(live_server.url + "/areas/cumbria/")  # a former authority has its own page
    assert re.search(r"/areas/E1\d{7}/$", page.url)
    response = page.goto(live_server.url + "/areas/gatehsead/")
    assert response.status == 404
    page.get_by_role("link", name=re.compile("Search the areas list")).click()
    expect(page.locator("#results")).to_be_visible()
    # A filtered list shows its own address, to copy.
    page.goto(live_server.url + "/inspections/")
    expect(page.locator(".share-view")).to_have_count(0)
    page.get_by_label("Kind").select_option("revisit")
    page.get_by_role("button", name="Apply filters").click()
    share = page.locator(".share-view a#share-link")
    expect(share).to_be_visible()
    assert share.get_attribute("href") == page.url and "kind=revisit" in share.inner_text()
    page.locator(".share-view").get_by_role("button", name="Copy link").click()
    expect(page.locator("[data-copy-status]")).not_to_be_empty()
    assert no_sideways_scroll(page)
    shot(page, f"dead-ends-9-addresses-{width}")


# --- 5. a copy of a held letter says where its facts are -------------------------------------------------

PASSWORD = "a-long-test-password"


def _analyst(page, live_server) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("ada", password=PASSWORD)
    user.groups.add(Group.objects.get(name="analyst"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded")
def test_a_copy_says_its_facts_are_held_from_the_original(page, live_server, shot, tmp_path, width, viewport):
    from django.core.management import call_command

    from inspections.models import Document
    from tests.conftest import SEEDS

    seed = SEEDS / "000_30b352e54e3c96f7.txt"
    copy = tmp_path / "hartlepool-copy.txt"
    copy.write_text("\n\n" + seed.read_text())  # other bytes, the same letter
    call_command("ingest", str(copy), stdout=io.StringIO())
    from inspections.models import Inspection

    first = Document.objects.get(original_name=seed.name)
    second = Document.objects.get(original_name="hartlepool-copy.txt")
    assert second.status == Document.Status.DONE and second.sha256 != first.sha256
    # The facts are read from one copy (whichever sorts first); the other must say where they are.
    source = first if Inspection.objects.filter(source_document=first).exists() else second
    other = second if source == first else first
    assert not Inspection.objects.filter(source_document=other).exists()
    page.set_viewport_size(viewport)
    _analyst(page, live_server)
    page.goto(f"{live_server.url}/documents/{other.pk}/")
    findings = page.locator("section.findings")
    expect(findings).not_to_contain_text("No fact was recorded")
    expect(findings).to_contain_text(f"facts about Hartlepool are held from document #{source.pk}")
    findings.get_by_role("link", name=re.compile(f"document #{source.pk}")).first.click()
    page.wait_for_url(f"**/documents/{source.pk}/")
    expect(page.locator("section.findings")).to_contain_text("Hartlepool")
    assert no_sideways_scroll(page)
    shot(page, f"dead-ends-5-copy-{width}")


# --- 7. a chart fits the width, or shows that it scrolls --------------------------------------------------

@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded", "public")
def test_charts_fit_or_show_that_they_scroll(page, live_server, shot, width, viewport):
    page.set_viewport_size(viewport)
    for url in ("/analysis/durations/", "/analysis/paths/", "/analysis/trends/"):
        page.goto(live_server.url + url)
        box = page.locator(".chart-scroll").first
        hint = page.locator(".scroll-hint").first
        overflows = box.evaluate("el => el.scrollWidth > el.clientWidth + 1")
        if width == "laptop":
            assert not overflows, f"{url}: the chart does not fit 1280 px"
            expect(hint).to_be_hidden()
        else:
            assert overflows  # a readable size on a phone: wider than the screen...
            expect(hint).to_be_visible()  # ...and it says so
            box.evaluate("el => el.scrollLeft = el.scrollWidth")  # the far end can be reached
            svg_box, chart = box.bounding_box(), page.locator(".chart-scroll svg").first.bounding_box()
            assert chart["x"] + chart["width"] <= svg_box["x"] + svg_box["width"] + 2
        assert no_sideways_scroll(page), url
    shot(page, f"dead-ends-7-chart-{width}", full_page=False)


# --- 2. an unmatched area can be chosen ------------------------------------------------------------------

@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded")
def test_an_unmatched_letter_gets_its_area_from_an_analyst(page, live_server, shot, tmp_path, width, viewport):
    from inspections.ingest.services import document_reprocess
    from inspections.models import Document, Inspection
    from tests.web.test_letter_area import misnamed_letter

    document = misnamed_letter(tmp_path)  # Stockton's letter with its area misprinted "Gatehsead"
    page.set_viewport_size(viewport)
    _analyst(page, live_server)
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    expect(page.locator(".findings")).to_contain_text("could not be matched")
    page.get_by_role("link", name="Choose its area").click()
    expect(page.locator("blockquote.source-passage mark").first).to_have_text("Gatehsead")
    page.get_by_label("Area name").fill("Dorset")  # former authorities are listed with their dates
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".area-choices li", has_text="Former authority").first).to_contain_text("until 31 March 2019")
    page.get_by_label("Area name").fill("Gatehsead")
    page.get_by_role("button", name="Search").click()
    page.get_by_label(re.compile(r"^Gateshead")).check()
    page.get_by_label("Note (optional)").fill("misprint in the letter")
    assert no_sideways_scroll(page)
    # Not a full-page screenshot here: at phone width Chromium's full-page capture left the next click unanswered.
    shot(page, f"dead-ends-2-choose-{width}", full_page=False)
    page.get_by_role("button", name="Read the letter as this area's").click()
    page.wait_for_url(f"**/documents/{document.pk}/")
    expect(page.locator(".messages")).to_contain_text("is now read as Gateshead's")
    expect(page.locator(".area-choice-history")).to_contain_text("read as Gateshead — chosen by ada")
    expect(page.locator(".findings")).to_contain_text("Gateshead")
    # Re-processing keeps the decision: the facts stay Gateshead's.
    document_reprocess(documents=[Document.objects.get(pk=document.pk)])
    assert Inspection.objects.get(source_document_id=document.pk).area.name == "Gateshead"
    page.goto(f"{live_server.url}/areas/gateshead/")
    expect(page.locator("ol.timeline")).to_contain_text("2019")
    shot(page, f"dead-ends-2-chosen-{width}")


# --- 4. one matcher for one question ---------------------------------------------------------------------

def _caption_count(page) -> int:
    caption = page.locator("#results caption").inner_text()
    found = re.search(r"(\d+) rows?\b", caption)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded", "public")
def test_text_filters_match_as_search_does(page, live_server, shot, width, viewport):
    page.set_viewport_size(viewport)
    counts = {}
    for spelling in ("coproduction", "co-production", "co-producing"):
        page.goto(live_server.url + "/weaknesses/")
        page.get_by_label("Text contains").fill(spelling)
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile("text="))
        counts[spelling] = _caption_count(page)
    assert len(set(counts.values())) == 1 and counts["coproduction"] > 0, counts
    page.goto(live_server.url + "/search/?q=coproduction&in=weaknesses")
    total = page.locator("#weaknesses-heading").inner_text()
    assert re.search(rf"\b{counts['coproduction']}\)", total), (total, counts)
    assert no_sideways_scroll(page)
    shot(page, f"dead-ends-4-matcher-{width}")


# --- 6. search answers plainly, filters, and corrects a misspelt word -------------------------------------

@pytest.mark.parametrize("width,viewport", WIDTHS)
@pytest.mark.usefixtures("seeded", "public")
def test_search_answers_plainly(page, live_server, shot, width, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/search/?q=a")
    expect(page.locator(".too-common")).to_contain_text("“a” is too common to search for")
    expect(page.locator("main")).not_to_contain_text("No letter mentions")
    expect(page.locator("main")).not_to_contain_text("PostgreSQL")
    # Council reports are named as such and read "in the report"; kinds in the lists' words.
    page.goto(live_server.url + "/search/?q=co-production&in=letters")
    report = page.locator(".hit", has_text="Council report about")
    expect(report.first).to_be_visible()
    expect(report.first.get_by_role("link", name=re.compile("Read it in the report"))).to_be_visible()
    expect(page.locator(".hits")).not_to_contain_text("Full inspection")
    # Filters: a region narrows both kinds, and the links keep it.
    page.goto(live_server.url + "/search/?q=co-production")
    page.get_by_text("Filter by area, region, framework or year").click()
    page.get_by_label("Region").select_option("South East")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile("region=South"))
    areas = {t.strip() for t in page.locator(".hit h3").all_inner_texts()}
    assert areas == {"Medway"}, areas
    response = page.goto(page.url + "&year=1999")  # (the form's own field refuses it before sending)
    assert response.status == 400
    expect(page.locator(".error-summary")).to_contain_text("year")
    expect(page.locator(".hit")).to_have_count(0)
    # A misspelt word: did you mean the held texts' word?
    page.goto(live_server.url + "/search/?q=coprodution")
    suggestion = page.locator(".did-you-mean a")
    expect(suggestion).to_have_text("coproduction")
    suggestion.click()
    expect(page.locator(".hit").first).to_be_visible()
    assert no_sideways_scroll(page)
    shot(page, f"dead-ends-6-search-{width}")


# --- 3. a review item shows what it is about (the real Plymouth report) -----------------------------------

@pytest.fixture
def plymouth(transactional_db):
    from django.core.management import call_command

    from tests.conftest import SHARED

    report = SHARED / "corpus" / "reports-2023" / "80538_plymouth.pdf"
    if not report.exists():
        pytest.skip(f"{report} is not present")
    call_command("load_areas", stdout=io.StringIO())
    call_command("ingest", str(report), stdout=io.StringIO(), stderr=io.StringIO())
    from inspections.models import Document

    return Document.objects.get(original_name=report.name)


@pytest.mark.shared
@pytest.mark.parametrize("width,viewport", WIDTHS)
def test_review_items_show_the_passage_and_the_values_in_doubt(page, live_server, plymouth, shot, width, viewport):
    from inspections.models import Inspection, SignificantWeakness

    inspection = Inspection.objects.get(source_document=plymouth, kind="full_inspection")
    doubt = [r for r in inspection.review_reasons if "printed on one line" in r]
    assert doubt, inspection.review_reasons
    # Every action read from the doubted report is flagged, with the letter's doubt, whatever its own confidence.
    unsure = SignificantWeakness.objects.filter(source_document=plymouth, confidence__lt=0.8)
    assert unsure.exists() and not unsure.filter(needs_review=False).exists()
    page.set_viewport_size(viewport)
    _analyst(page, live_server)
    page.goto(f"{live_server.url}/documents/{plymouth.pk}/")
    page.locator(".to-check a", has_text="Area SEND inspection").first.click()
    expect(page.locator(".review-reasons")).to_contain_text("printed on one line")
    subject = page.locator(".review-subject")
    bodies = SignificantWeakness.objects.filter(source_document=plymouth).exclude(responsible_bodies="").first()
    expect(subject).to_contain_text(bodies.responsible_bodies)  # the body beside its action...
    expect(subject).to_contain_text(bodies.text[:40])
    expect(page.locator(".source-window mark").first).to_be_visible()  # ...and the passage beside them
    shot(page, f"dead-ends-3-review-{width}", full_page=False)
    # The action itself: flagged, its bodies shown beside its text.
    action = unsure.first()
    page.goto(f"{live_server.url}/review/weakness/{action.pk}/")
    expect(page.locator(".fact-status .badge-review")).to_be_visible()
    expect(page.locator(".review-reasons")).to_contain_text("low confidence")
    # Responsible bodies are exported.
    rows = page.request.get(f"{live_server.url}/exports/weaknesses.csv?area=Plymouth").text()
    header, *lines = [line for line in rows.lstrip("\ufeff").splitlines() if line]
    assert "responsible_bodies" in header.split(",")
    assert any(bodies.responsible_bodies.split(",")[0] in line for line in lines)
    assert no_sideways_scroll(page)
