import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = FIXTURES / "seeds"
SHARED = Path(os.environ.get("SENDTRACKER_SHARED", PROJECT_ROOT.parent / "shared"))


CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def _skip_reasons() -> dict[str, str]:
    """Marker -> why its tests cannot run here; a marker absent from the dict runs."""
    reasons = {}
    if not SHARED.is_dir():
        reasons["shared"] = f"{SHARED} is not present"
    if os.environ.get("RUN_INTEGRATION") != "1":
        reasons["integration"] = "needs RUN_INTEGRATION=1 with PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)"
    if not os.access(CHROMIUM, os.X_OK):
        reasons["browser"] = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
    return reasons


def pytest_collection_modifyitems(config, items):
    """Tests marked `shared`, `integration` or `browser` skip, with the reason, where their needs are absent:
    a clone without ../shared, services or a browser still passes the core suite."""
    reasons = _skip_reasons()
    for item in items:
        for marker, reason in reasons.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))
                break


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Only `integration` tests talk to a real broker. Every other test runs tasks inline even when REDIS_URL
    is set (as in .ci/run's PostgreSQL pass); Celery copies its settings once, so override_settings would not do."""
    if "integration" in request.keywords:
        yield
        return
    from sendtracker.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
