"""Playwright against Django's live_server with Debian's Chromium (never `playwright install`).

Tests here are marked `browser` and skip with the reason when /usr/bin/chromium (or CHROMIUM_PATH) is
missing (see tests/conftest.py). Screenshots go to test-artifacts/ (git-ignored)."""

import os
from pathlib import Path

import pytest

# live_server and the ORM in the same test: Playwright's sync API runs an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORTS = {"laptop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "accept_downloads": True, "viewport": VIEWPORTS["laptop"]}


@pytest.fixture
def shot():
    """Save a full-page screenshot as test-artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


def laptop_then_phone(shot, page, name: str) -> None:
    """Screenshots <name>-laptop at the current size, then <name>-phone at phone width (the page stays there)."""
    shot(page, f"{name}-laptop")
    page.set_viewport_size(VIEWPORTS["phone"])
    shot(page, f"{name}-phone")


def no_sideways_scroll(page) -> bool:
    """Nothing wider than the window: no horizontal scrolling (on a phone, the usual failure)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def national_data(transactional_db):
    """The synthetic national dataset (bench/pages_data.py) at a fifth of today's size: 30 areas with
    real GSS codes (so the map has coloured, clickable areas), every stage, and facts whose source spans
    point at sentences of their synthetic letters. (The seed letters need the area register and the
    writer, which were not ready when these tests were written.)"""
    from bench.pages_data import build_dataset

    return build_dataset(scale=0.2)
