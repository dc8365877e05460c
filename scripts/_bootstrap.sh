# Sourced by scripts/serve and scripts/test: make .venv/ hold the project's dependencies.
#
# Needs only Python 3.11+ on the machine. Installs exactly the versions in uv.lock, so a new
# machine, CI and the Docker image run what was tested: with uv when it can (`uv sync --locked`,
# about 5x faster than pip; it refuses a lock that no longer matches pyproject.toml), otherwise
# `python -m venv` + pip from requirements*.txt, the lock exported with hashes (scripts/relock
# writes both). Skips the install when pyproject.toml and uv.lock have not changed since the last
# successful one (a stamp in .venv/ records their hash and the extras).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
VPY="$VENV/bin/python"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 14)))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "Python 3.11, 3.12 or 3.13 is needed (set PYTHON=/path/to/python3.11)." >&2
    return 1
}

find_uv() {
    if command -v uv >/dev/null 2>&1; then command -v uv; return 0; fi
    if [ -x "$HOME/.local/bin/uv" ]; then echo "$HOME/.local/bin/uv"; return 0; fi
    if [ -x "$VENV/bin/uv" ]; then echo "$VENV/bin/uv"; return 0; fi
    return 1
}

# Usage: bootstrap_venv [extra ...]   e.g. `bootstrap_venv test`
bootstrap_venv() {
    local extras="${*:-}" python uv stamp want
    # Keyed on the lock too: an upgraded lock (scripts/relock) re-installs even when pyproject.toml is unchanged.
    want="$(cat pyproject.toml uv.lock | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-64) ${extras}"
    stamp="$VENV/.sendtracker-installed"
    if [ -x "$VPY" ] && [ -f "$stamp" ] && "$VPY" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' 2>/dev/null; then
        local have; have="$(cat "$stamp")"
        # The stamp's extras may be a superset of those wanted (test installs everything serve needs).
        if [ "${have%% *}" = "${want%% *}" ]; then
            local extra missing=""
            for extra in $extras; do case " ${have#* } " in *" $extra "*) ;; *) missing=1 ;; esac; done
            if [ -z "$missing" ]; then return 0; fi
        fi
    fi

    python="$(find_python)"
    if [ ! -x "$VPY" ]; then
        say "Creating .venv with $("$python" --version 2>&1)"
        if uv="$(find_uv)"; then
            "$uv" venv --quiet --python "$python" "$VENV"
        elif "$python" -m venv "$VENV" 2>/dev/null; then
            :
        else
            # Debian without python3-venv: get uv from PyPI instead.
            rm -rf "$VENV"
            "$python" -m pip install --user --quiet uv || "$python" -m pip install --user --quiet --break-system-packages uv
            uv="$(find_uv)"
            "$uv" venv --quiet --python "$python" "$VENV"
        fi
    fi

    say "Installing the locked dependencies${extras:+ (with: $extras)}"
    if ! uv="$(find_uv)"; then
        if "$VPY" -m pip --version >/dev/null 2>&1 && "$VPY" -m pip install --quiet uv; then
            uv="$VENV/bin/uv"
        fi
    fi
    if [ -n "${uv:-}" ] && [ -x "$uv" ]; then
        local flags=() extra
        for extra in $extras; do flags+=(--extra "$extra"); done
        # --locked: stop, rather than silently re-resolve, when pyproject.toml changed without `uv lock`.
        # --inexact: `serve` (no extras) must not uninstall what `test` added to the same .venv.
        if ! UV_PROJECT_ENVIRONMENT="$VENV" "$uv" sync --quiet --locked --inexact --no-install-project \
                --python "$VPY" ${flags[@]+"${flags[@]}"}; then
            echo "uv.lock does not match pyproject.toml (or an install failed): run ./scripts/relock, then retry." >&2
            return 1
        fi
    else
        # No uv: the same pins from the exported lock. --require-hashes makes pip refuse anything else.
        local requirements
        case "$extras" in
            "") requirements=requirements.txt ;;
            test) requirements=requirements-test.txt ;;
            *) echo "Without uv only the base and 'test' installs are exported; install uv for extras: $extras" >&2
               return 1 ;;
        esac
        "$VPY" -m pip install --quiet --require-hashes --no-deps -r "$requirements"
    fi
    printf '%s\n' "$want" >"$stamp"
}
