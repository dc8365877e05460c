"""Settings come from the environment: the embedded default needs nothing, the same code runs on PostgreSQL + Redis."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

SETTINGS_FILE = PROJECT_ROOT / "sendtracker" / "settings.py"
ENV_KEYS = [
    "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "MEDIA_ROOT", "STATIC_ROOT",
    "CSRF_TRUSTED_ORIGINS", "CONN_MAX_AGE", "CELERY_VISIBILITY_TIMEOUT", "CELERY_TASK_TIME_LIMIT", "PUBLIC_READ",
    "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "LOGIN_THROTTLE", "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES", "LOGIN_LOCKOUT_PARAMETERS", "LOGIN_TRUSTED_PROXIES", "SENDTRACKER_DEMO_LOGIN", "CACHE_URL",
]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "sendtracker.example.org,www.sendtracker.example.org",
}


@pytest.fixture
def load_settings(monkeypatch):
    """Evaluate settings.py afresh under a given environment (the live settings stay untouched)."""

    def load(**env: str) -> dict:
        for key in ENV_KEYS:
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_embedded_default_is_sqlite_in_the_project_with_tasks_in_process(load_settings):
    s = load_settings()
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]) == PROJECT_ROOT / "db.sqlite3"
    assert s["IS_POSTGRES"] is False
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True
    assert s["CELERY_BROKER_URL"] == "memory://"
    assert s["DEBUG"] is True
    assert s["MEDIA_ROOT"] == PROJECT_ROOT / "media"


def test_database_url_selects_postgresql(load_settings):
    s = load_settings(DATABASE_URL="postgres://sendtracker:pw@db.internal:5433/sendtracker", CONN_MAX_AGE="60")
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "sendtracker", "sendtracker", "pw", "db.internal", 5433,
    )
    assert db["CONN_MAX_AGE"] == 60
    assert s["IS_POSTGRES"] is True


def test_redis_url_switches_celery_to_a_real_broker(load_settings):
    s = load_settings(REDIS_URL="redis://redis:6379/0")
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False
    assert s["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    # Redis must not hand a running task to a second worker: the visibility timeout outlives the hard limit.
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] > s["CELERY_TASK_TIME_LIMIT"]
    assert s["CELERY_TASK_SOFT_TIME_LIMIT"] < s["CELERY_TASK_TIME_LIMIT"]
    assert s["CELERY_TASK_SERIALIZER"] == "json" and s["CELERY_ACCEPT_CONTENT"] == ["json"]


def test_cache_url_shares_the_api_rate_limit_through_redis(load_settings):
    assert "CACHES" not in load_settings()  # the embedded default: Django's per-process memory cache
    s = load_settings(CACHE_URL="redis://redis:6379/1")
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert s["CACHES"]["default"]["LOCATION"] == "redis://redis:6379/1"


def test_visibility_timeout_can_be_lowered_for_worker_kill_tests(load_settings):
    s = load_settings(REDIS_URL="redis://redis:6379/0", CELERY_VISIBILITY_TIMEOUT="5")
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"] == {"visibility_timeout": 5}


def test_media_root_and_hosts_come_from_the_environment(load_settings, tmp_path):
    s = load_settings(**PRODUCTION, MEDIA_ROOT=str(tmp_path / "media"), CSRF_TRUSTED_ORIGINS="https://a.example")
    assert s["MEDIA_ROOT"] == tmp_path / "media"
    assert s["ALLOWED_HOSTS"] == ["sendtracker.example.org", "www.sendtracker.example.org"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://a.example"]


def test_production_is_locked_down(load_settings):
    s = load_settings(**PRODUCTION)
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert s["PUBLIC_READ"] is False


def test_production_refuses_to_start_without_a_secret_key(load_settings):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_settings(DEBUG="0", ALLOWED_HOSTS="sendtracker.example.org")


def test_production_without_allowed_hosts_serves_no_host(load_settings):
    s = load_settings(DEBUG="0", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert s["ALLOWED_HOSTS"] == []


def _check_deploy(tmp_path, **extra: str) -> subprocess.CompletedProcess:
    # Not the test process's own switches either: browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves.
    env = {k: v for k, v in os.environ.items() if k not in ENV_KEYS and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}", MEDIA_ROOT=str(tmp_path / "media"),
               **extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("extra", [{}, {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "465", "EMAIL_USE_SSL": "1"}],
                         ids=["production", "production_with_email"])
def test_check_deploy_is_clean_with_production_environment(tmp_path, extra):
    """DEBUG=0 with a SECRET_KEY and ALLOWED_HOSTS: Django's deployment checks and django-axes' own checks (its
    backend and middleware in place) report nothing, with or without e-mail configured."""
    result = _check_deploy(tmp_path, **extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_sees_the_login_throttling_configuration(tmp_path):
    """The same check fails when logins are not throttled by address: it really covers the login settings."""
    result = _check_deploy(tmp_path, LOGIN_LOCKOUT_PARAMETERS="username")
    assert result.returncode != 0 and "axes.W006" in result.stdout + result.stderr


def test_production_settings_throttle_logins(load_settings):
    s = load_settings(**PRODUCTION)
    assert s["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert s["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware" and "axes" in s["INSTALLED_APPS"]
    assert s["AXES_ENABLED"] is True and s["AXES_FAILURE_LIMIT"] == 5
    assert s["EMAIL_HOST"] == ""  # no mail server: no password reset
