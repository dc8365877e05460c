"""The versions that were tested are the versions that run (issue 14): uv.lock matches pyproject.toml, the pip
exports beside it (requirements.txt, requirements-test.txt) are that lock, and every install path reads them.

Needs uv (the bootstrap puts it in .venv/bin); skipped without it. Offline: `uv lock --locked` and
`uv export --frozen` read the lock and pyproject.toml only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

EXPORTS = {"requirements.txt": [], "requirements-test.txt": ["--extra", "test"]}


def _uv() -> str:
    candidates = [Path(sys.executable).parent / "uv", shutil.which("uv")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    pytest.skip("uv is not installed (./scripts/test installs it into .venv)")


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_")}
    return subprocess.run([_uv(), *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_lock_matches_pyproject():
    result = _run("lock", "--locked", "--offline")
    assert result.returncode == 0, f"uv.lock is stale: run ./scripts/relock\n{result.stderr}"


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_the_pip_exports_are_the_lock(name):
    # The command scripts/relock runs, to stdout: the committed file must be its output (bar the header line
    # naming the output file).
    result = _run("export", "--quiet", "--frozen", "--no-emit-project", *EXPORTS[name])
    assert result.returncode == 0, result.stderr
    committed = (PROJECT_ROOT / name).read_text()
    body = lambda text: [line for line in text.splitlines() if not line.startswith("#    uv export")]  # noqa: E731
    assert body(committed) == body(result.stdout), f"{name} differs from uv.lock: run ./scripts/relock"


def test_every_export_pins_every_package_with_hashes():
    for name in EXPORTS:
        requirements = [line for line in (PROJECT_ROOT / name).read_text().splitlines()
                        if line and not line.startswith((" ", "#"))]
        assert requirements, name
        for line in requirements:
            assert "==" in line and line.endswith("\\"), f"{name}: not pinned with hashes: {line}"


def test_every_install_reads_the_lock():
    bootstrap = (PROJECT_ROOT / "scripts" / "_bootstrap.sh").read_text()
    assert "sync --quiet --locked" in bootstrap and "--require-hashes" in bootstrap
    assert "cat pyproject.toml uv.lock" in bootstrap  # a new lock re-installs
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert "COPY requirements.txt" in dockerfile and "--require-hashes" in dockerfile
    assert "tomllib" not in dockerfile  # no resolving pyproject.toml's ranges afresh
