# Sourced by scripts/serve and scripts/test: make .venv/ hold the project's dependencies.
#
# Needs only Python 3.11+ on the machine. Uses uv when it can (about 5x faster than pip),
# falls back to `python -m venv` + pip. Skips the install when pyproject.toml has not
# changed since the last successful one (a stamp in .venv/ records its hash and extras).
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
    want="$(cat pyproject.toml | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-64) ${extras}"
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

    # The dependency list comes straight from pyproject.toml (base + the extras asked for).
    local reqs; reqs="$(mktemp)"
    "$VPY" - "$extras" >"$reqs" <<'PYEOF'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
extras = sys.argv[1].split()
print("\n".join(project["dependencies"] + [d for e in extras for d in project["optional-dependencies"][e]]))
PYEOF

    say "Installing dependencies${extras:+ (with: $extras)}"
    if ! uv="$(find_uv)"; then
        if "$VPY" -m pip --version >/dev/null 2>&1 && "$VPY" -m pip install --quiet uv; then
            uv="$VENV/bin/uv"
        fi
    fi
    if [ -n "${uv:-}" ] && [ -x "$uv" ]; then
        "$uv" pip install --quiet --python "$VPY" -r "$reqs"
    else
        "$VPY" -m pip install --quiet -r "$reqs"
    fi
    rm -f "$reqs"
    printf '%s\n' "$want" >"$stamp"
}
