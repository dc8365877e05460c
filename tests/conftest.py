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


@pytest.fixture(autouse=True)
def _fresh_area_register():
    """The resolver caches the register per process; a rolled-back test must not leave its areas to the next."""
    from areas.resolver import AreaRegister

    AreaRegister.clear_cache()
    yield
    AreaRegister.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_analysis_snapshot():
    """The dashboard and analysis pages keep a snapshot of the facts per process (inspections/analysis/snapshot.py),
    checked by a fingerprint of counts and highest ids; a rolled-back test can leave the same counts and ids (SQLite
    reuses them) with other facts, so each test starts without one."""
    from inspections.analysis.snapshot import forget
    from inspections.paths.selectors import forget_paths_as_at

    forget()
    forget_paths_as_at()
    yield
    forget()
    forget_paths_as_at()


@pytest.fixture
def areas(db):
    """The whole area register (areas/data/local_areas.csv) in the test database, as load_areas loads it:
    161 rows and their replaced-by links in a few bulk statements. Returns {GSS code: LocalArea}."""
    from areas.models import LocalArea
    from areas.register import default_rows
    from areas.services import area_register_load

    area_register_load(rows=default_rows())
    return LocalArea.objects.in_bulk(field_name="gss_code")
