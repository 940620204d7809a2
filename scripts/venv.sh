# Sourced by scripts/demo.sh and scripts/test.sh: make ./.venv with Python 3.11+ and install kefu into it.
#
#   ensure_venv CALLER SPEC STAMP   e.g. ensure_venv scripts/test.sh ".[test]" test
#
# KEFU_PYTHON chooses the interpreter that creates .venv; KEFU_REINSTALL=1 reinstalls even when
# pyproject.toml has not changed (an editable install picks up code changes by itself, so pip only runs
# when the pins change — which saves time and the network on every run).

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

ensure_venv() {
    local caller=$1 spec=$2 stamp=.venv/.kefu-$3-install python wanted
    if [ ! -x .venv/bin/python ]; then
        if ! python=$(pick_python); then
            echo "$caller: kefu needs Python 3.11 or newer (set KEFU_PYTHON=/path/to/python3.x)" >&2
            exit 1
        fi
        echo "==> creating .venv with $python ($("$python" --version 2>&1))" >&2
        "$python" -m venv .venv
    fi
    if ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "$caller: .venv was made with Python older than 3.11; remove it and run again" >&2
        exit 1
    fi
    wanted="$(cat pyproject.toml .venv/pyvenv.cfg | cksum)"
    if [ "${KEFU_REINSTALL:-}" = 1 ] || [ ! -x .venv/bin/kefu ] || [ ! -f "$stamp" ] \
        || [ "$(cat "$stamp")" != "$wanted" ]; then
        echo "==> installing kefu ($spec) into .venv" >&2
        .venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec"
        echo "$wanted" > "$stamp"
    fi
}
