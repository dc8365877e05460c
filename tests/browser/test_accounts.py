"""The account pages in Chromium: the login page's reset link (only with e-mail configured), the reset form and
its answer, the lockout page after too many failures — each without serious accessibility violations and
without sideways scrolling on a phone."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.browser.conftest import VIEWPORTS, no_sideways_scroll

pytestmark = [pytest.mark.browser]

PASSWORD = "a-long-test-password"


@pytest.fixture
def ada(transactional_db):
    return get_user_model().objects.create_user("ada", email="ada@example.org", password=PASSWORD)


def _serious(page) -> list:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python (test extra)")
    violations = axe_module.Axe().run(page).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations if v["impact"] in ("serious", "critical")]


def _fits_a_phone(page) -> bool:
    page.set_viewport_size(VIEWPORTS["phone"])
    fits = no_sideways_scroll(page)
    page.set_viewport_size(VIEWPORTS["laptop"])
    return fits


def test_forgotten_password_leads_to_a_sent_link(page, live_server, settings, ada, shot):
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page.goto(f"{live_server.url}/accounts/login/")
    assert not _serious(page)
    page.get_by_role("link", name="Forgotten your password?").click()
    assert page.get_by_role("heading", name="Reset your password").is_visible()
    assert not _serious(page) and _fits_a_phone(page)
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_role("button", name="Send the link").click()
    assert page.get_by_role("heading", name="Reset link sent").is_visible()
    shot(page, "accounts-reset-sent")
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


def test_no_reset_link_without_email(page, live_server, settings, ada):
    settings.EMAIL_HOST = ""
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("link", name="Forgotten your password?").count() == 0


def test_too_many_failures_show_the_lockout_page_and_refuse_the_right_password(page, live_server, settings, ada, shot):
    settings.AXES_FAILURE_LIMIT = 3
    for attempt in range(3):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("ada")
        page.get_by_label("Password").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", name="Too many login attempts").is_visible()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("even the right password is refused").is_visible()
    assert not _serious(page) and _fits_a_phone(page)
    shot(page, "accounts-locked-out")
