"""Upload and status in real Chromium: drop files on the zone, upload, see each file's outcome; a document's
status page changes from 'processing' to 'done' by itself (htmx polling), without a page reload."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from inspections.models import Document
from tests.conftest import SEEDS
from tests.factories import make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _log_in(page, live_server, next_path: str) -> None:
    user = get_user_model().objects.create_user("ada", password=PASSWORD)
    user.groups.add(Group.objects.get(name="analyst"))
    page.goto(f"{live_server.url}{next_path}")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}{next_path}")


def test_drop_files_upload_and_see_each_outcome(page, live_server, shot):
    _log_in(page, live_server, "/documents/upload/")
    seed = (SEEDS / "004_88fbfc01210d008c.txt").read_text()
    # A drop onto the zone, as a browser delivers it: a DataTransfer holding two files.
    page.evaluate(
        """([seed]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([seed], "stockton.txt", {type: "text/plain"}));
            transfer.items.add(new File([new Uint8Array([0, 255, 1, 254, 0, 0, 7])], "junk.pdf", {type: "application/pdf"}));
            const zone = document.querySelector("[data-dropzone]");
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        [seed],
    )
    assert page.locator("[data-chosen] li").all_inner_texts()[0].startswith("stockton.txt")
    shot(page, "upload-chosen")
    page.get_by_role("button", name="Upload").click()

    assert page.url.endswith("/documents/")
    messages = page.locator(".messages").inner_text()
    assert "stockton.txt: stored as" in messages
    assert "junk.pdf: refused. The content is not a type sendtracker reads" in messages
    row = page.locator("#document-rows tr", has_text="stockton.txt")
    assert row.locator(".badge").inner_text() in {"Done", "Needs review"}  # tasks run in-process here
    shot(page, "upload-result")


def test_status_updates_without_reload(page, live_server, shot):
    document = make_document(status=Document.Status.PROCESSING, progress=30, name="slow.pdf")
    _log_in(page, live_server, f"/documents/{document.pk}/")
    assert page.locator("#document-status .badge").inner_text() == "Processing"
    page.evaluate("window.__notReloaded = true")

    Document.objects.filter(pk=document.pk).update(status=Document.Status.FAILED, progress=100,
                                                   error="The PDF is encrypted with a password; upload an unprotected copy.")
    page.locator("#document-status .badge", has_text="Failed").wait_for(timeout=8000)
    assert page.evaluate("window.__notReloaded === true")
    assert "encrypted with a password" in page.locator("#document-status").inner_text()
    assert page.locator("#document-status").get_attribute("hx-trigger") is None  # finished: polling stopped
    shot(page, "status-failed")
