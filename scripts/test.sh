#!/usr/bin/env bash
# Install kefu with its test dependencies into ./.venv and run the whole test suite.
#
#   bash scripts/test.sh                       # everything, on SQLite (no services needed)
#   bash scripts/test.sh src/kefu/tickets -x   # arguments go straight to pytest
#   KEFU_DATABASE_URL=postgresql://postgres@127.0.0.1:55432/kefu bash scripts/test.sh   # on PostgreSQL
#
# Needs only Python 3.11+ and the package index. Set KEFU_PYTHON to choose the interpreter that
# creates .venv; KEFU_REINSTALL=1 reinstalls even when pyproject.toml has not changed.
set -euo pipefail

cd "$(dirname "$0")/.."

pick_python() {
    local candidate
    for candidate in "${KEFU_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if [ ! -x .venv/bin/python ]; then
    if ! python=$(pick_python); then
        echo "scripts/test.sh: kefu needs Python 3.11 or newer (set KEFU_PYTHON=/path/to/python3.x)" >&2
        exit 1
    fi
    echo "==> creating .venv with $python ($("$python" --version 2>&1))" >&2
    "$python" -m venv .venv
fi

if ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "scripts/test.sh: .venv was made with Python older than 3.11; remove it and run again" >&2
    exit 1
fi

# Reinstall only when the dependency pins changed: an editable install picks up code changes by itself,
# and skipping pip saves several seconds (and the network) on every run.
stamp=.venv/.kefu-test-install
wanted="$(cat pyproject.toml .venv/pyvenv.cfg | cksum)"
if [ "${KEFU_REINSTALL:-}" = 1 ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "==> installing kefu and its test dependencies into .venv" >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
    echo "$wanted" > "$stamp"
fi

exec .venv/bin/python -m pytest "$@"
