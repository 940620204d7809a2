#!/usr/bin/env bash
# Run the kefu demo on this machine: install into ./.venv, migrate a SQLite database in ./var, load the
# Chinese demo center once, and serve it at http://127.0.0.1:8000 with uvicorn (ASGI: pages and live chat).
#
#   bash scripts/demo.sh            # works on a fresh clone; later runs reuse the database and start at once
#   KEFU_DATA_DIR=/tmp/kefu-demo bash scripts/demo.sh    # somewhere else
#   rm -rf var && bash scripts/demo.sh                   # start over with a fresh demo
#
# Needs only Python 3.11+ and the package index. Set KEFU_PYTHON to choose the interpreter that creates .venv.
# The demo logins (agent01 … / admin …, password kefu2026) are printed when the data has been loaded.
set -euo pipefail

cd "$(dirname "$0")/.."

# shellcheck source=scripts/venv.sh
source scripts/venv.sh
ensure_venv scripts/demo.sh "." demo

export KEFU_DATA_DIR="${KEFU_DATA_DIR:-$PWD/var}"
mkdir -p "$KEFU_DATA_DIR"

echo "==> migrating the database in $KEFU_DATA_DIR" >&2
.venv/bin/kefu migrate --no-input -v0

# --if-empty: load only into a database without tickets; on later runs it says so and exits 0.
echo "==> loading the demo center (once)" >&2
.venv/bin/kefu demo --if-empty

# The background worker sends notifications and sweeps the SLA clocks every minute; it stops with the server.
echo "==> starting the background worker (log: $KEFU_DATA_DIR/worker.log)" >&2
.venv/bin/kefu run_huey >"$KEFU_DATA_DIR/worker.log" 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

# A chat widget for the demo center (once), so the chat desk has visitors: its page is printed here.
.venv/bin/kefu chat widget --if-none >&2

# uvicorn serves the whole site over ASGI: pages, API, static files and the live chat streams.
echo "==> serving http://127.0.0.1:8000/ (Ctrl-C to stop)" >&2
.venv/bin/uvicorn kefu.asgi:application --host 127.0.0.1 --port 8000 --no-access-log
