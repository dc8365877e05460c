"""Issue 13 item 12: errors in the site's design, and `scripts/serve` safe to show to others.

pytest-django runs views with DEBUG off, as scripts/serve now does, so the client sees what a visitor
of the served site sees. The last test starts the real server with serve's own environment."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_mistyped_url_gets_the_sites_404_page_not_the_url_patterns(client, settings):
    settings.PUBLIC_READ = True
    response = client.get("/areaz/nowhere/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "/areaz/nowhere/" in html
    assert 'class="site-header"' in html and "css/app.css" in html  # the site's design
    assert "URLconf" not in html and "admin/" not in html  # no list of patterns


@pytest.mark.django_db
def test_a_failing_view_gets_the_sites_500_page_without_the_traceback(client, settings):
    settings.ROOT_URLCONF = "tests.web.urls_boom"
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "css/app.css" in html
    assert "deliberate failure" not in html and "Traceback" not in html


def _serve_env(*args: str) -> dict[str, str]:
    out = subprocess.run(["bash", str(ROOT / "scripts/serve"), "--print-env", *args], capture_output=True,
                         text=True, check=True, cwd=ROOT, env={k: v for k, v in os.environ.items()
                                                              if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}})
    return dict(line.split("=", 1) for line in out.stdout.splitlines())


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_serve_help_prints_its_usage_and_does_nothing_else(flag, tmp_path):
    # --help was once taken as the server address: serve then migrated and started ingesting.
    out = subprocess.run(["bash", str(ROOT / "scripts/serve"), flag], capture_output=True, text=True, cwd=ROOT,
                         timeout=30, env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/never.sqlite3"})
    assert out.returncode == 0, out.stderr
    assert "./scripts/serve 0.0.0.0:8080" in out.stdout and "--print-env" in out.stdout
    assert "Migrating" not in out.stdout + out.stderr and not (tmp_path / "never.sqlite3").exists()


def test_serve_refuses_an_unknown_option():
    out = subprocess.run(["bash", str(ROOT / "scripts/serve"), "--bogus"], capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert out.returncode == 2 and "unknown option --bogus" in out.stderr


def test_serve_runs_with_debug_off_a_generated_key_and_local_hosts():
    env = _serve_env()
    assert env["DEBUG"] == "0"
    # The key is never printed: its length and a fingerprint are.
    key = re.fullmatch(r"<hidden: (\d+) characters, sha256 ([0-9a-f]{12})>", env["SECRET_KEY"])
    assert key and int(key[1]) >= 50
    saved = (ROOT / ".venv" / ".serve-secret-key")
    if saved.exists():
        assert saved.read_text().strip() not in "\n".join(env.values())
        assert hashlib.sha256(saved.read_text().strip().encode()).hexdigest()[:12] == key[2]
    assert env["SECRET_KEY"] == _serve_env()["SECRET_KEY"]  # kept, so logins survive a restart
    assert set(env["ALLOWED_HOSTS"].split(",")) == {"127.0.0.1", "localhost"}
    assert env["SECURE_SSL_REDIRECT"] == "0" and env["SECURE_HSTS_SECONDS"] == "0"  # plain HTTP on this machine
    assert "myhost" in _serve_env("myhost:8001")["ALLOWED_HOSTS"].split(",")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_the_served_site_shows_its_own_404_and_serves_its_styles(tmp_path):
    """runserver with serve's environment (DEBUG off): the 404 page is the site's, static files are served."""
    env = {**os.environ, **_serve_env(), "STATIC_ROOT": str(tmp_path / "static"),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "collectstatic", "--noinput"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*manage, "migrate", "--noinput"], env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, html = _get(base + "/no-such-page/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("runserver did not start")
        assert status == 404
        assert "Page not found" in html and "URLconf" not in html and "Using the URLconf" not in html
        css = next(part.split('"')[0] for part in html.split('href="')[1:] if "app." in part.split('"')[0])
        assert _get(base + css)[0] == 200, css  # whitenoise serves the hashed stylesheet
    finally:
        server.terminate()
        server.wait(timeout=10)
