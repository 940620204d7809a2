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

# shellcheck source=scripts/venv.sh
source scripts/venv.sh
ensure_venv scripts/test.sh ".[test]" test

exec .venv/bin/python -m pytest "$@"
