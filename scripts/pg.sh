#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for running kefu's tests (and the demo) on PostgreSQL.
#
#   eval "$(bash scripts/pg.sh start)"   # starts it; prints `export KEFU_DATABASE_URL=...`
#   bash scripts/test.sh                 # the whole suite, now on PostgreSQL
#   bash scripts/pg.sh stop              # stops it, keeps the data
#   bash scripts/pg.sh destroy           # stops it and deletes the data directory
#   bash scripts/pg.sh status | url
#
# The cluster lives in $KEFU_PG_DIR (default: ${TMPDIR:-/tmp}/kefu-pg-$UID), listens only on 127.0.0.1
# (port $KEFU_PG_PORT, or the first free one from 55432) and trusts every local connection: it is for
# tests on your own machine, never for data you want to keep. fsync is off for the same reason.
#
# Uses initdb/pg_ctl from PATH or /usr/lib/postgresql/*/bin; when there are none it installs the Debian
# package `postgresql` with apt-get. initdb refuses to run as root, so as root the server runs as the
# `postgres` user. Only the export line goes to stdout; everything else goes to stderr.
set -euo pipefail

PG_DIR="${KEFU_PG_DIR:-${TMPDIR:-/tmp}/kefu-pg-$(id -u)}"
PG_DB="${KEFU_PG_DB:-kefu}"
DATA="$PG_DIR/data"
SOCKETS="$PG_DIR/run"

say() { echo "pg.sh: $*" >&2; }
die() { say "$*"; exit 1; }

find_bindir() {
    local initdb dir
    if initdb=$(command -v initdb 2>/dev/null); then
        dir=$(dirname "$(readlink -f "$initdb")")
        if [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    fi
    # Debian and Ubuntu keep the server binaries off PATH; take the newest version installed.
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
        return 0
    fi
    return 1
}

install_postgres() {
    command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL found and no apt-get to install it; install PostgreSQL and put initdb and pg_ctl on PATH"
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "no PostgreSQL found; install the postgresql package (needs root)"
        sudo=(sudo)
    fi
    say "no PostgreSQL found; installing the Debian package postgresql"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
}

# Run a PostgreSQL program as the user that owns the cluster (postgres when we are root).
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        # From / so that a cwd the postgres user cannot read (e.g. under /root) does not matter.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    if [ -n "${KEFU_PG_PORT:-}" ]; then
        echo "$KEFU_PG_PORT"
        return 0
    fi
    local port
    for port in $(seq 55432 55532); do
        if ! port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    die "no free port between 55432 and 55532"
}

is_running() {
    [ -n "$BIN" ] && [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

url() {
    echo "postgresql://postgres@127.0.0.1:$(cat "$PG_DIR/port")/$PG_DB"
}

start() {
    if [ -z "$BIN" ]; then
        install_postgres
        BIN=$(find_bindir) || die "installed postgresql but found no initdb/pg_ctl"
    fi
    if is_running; then
        say "already running in $PG_DIR"
        echo "export KEFU_DATABASE_URL=$(url)"
        return 0
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        say "creating the system user postgres to own the cluster"
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    fi
    mkdir -p "$PG_DIR" "$SOCKETS"
    if [ "$(id -u)" = 0 ]; then
        # The parent must be reachable by postgres, and everything inside owned by it.
        chmod 755 "$PG_DIR"
        chown -R postgres: "$PG_DIR"
        as_owner test -w "$PG_DIR" || die "the postgres user cannot write to $PG_DIR (is a parent directory private?); set KEFU_PG_DIR"
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        say "initdb $DATA ($("$BIN/initdb" --version))"
        # C collation: the same ordering on every machine; UTF8 for Chinese text.
        as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 \
            || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    fi
    local port
    port=$(pick_port)
    port_in_use "$port" && die "port $port on 127.0.0.1 is taken (set KEFU_PG_PORT)"
    echo "$port" > "$PG_DIR/port"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR/port"
    say "starting on 127.0.0.1:$port (log: $PG_DIR/server.log)"
    # fsync and friends off: a test cluster that a crash may lose, in exchange for fast test setup.
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$SOCKETS -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=120" \
        start >/dev/null || { tail -n 30 "$PG_DIR/server.log" >&2; die "the server did not start"; }
    local exists
    exists=$(as_owner "$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")
    if [ "$exists" != 1 ]; then
        as_owner "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres -E UTF8 "$PG_DB"
    fi
    echo "export KEFU_DATABASE_URL=$(url)"
}

stop() {
    if is_running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        say "stopped ($PG_DIR)"
    else
        say "not running ($PG_DIR)"
    fi
}

BIN=$(find_bindir || true)

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    destroy)
        stop
        rm -rf "$PG_DIR"
        say "removed $PG_DIR"
        ;;
    status)
        if is_running; then say "running: $(url)"; else say "not running ($PG_DIR)"; exit 3; fi
        ;;
    url)
        [ -f "$PG_DIR/port" ] || die "not started ($PG_DIR)"
        url
        ;;
    *)
        echo "usage: bash scripts/pg.sh start|stop|destroy|status|url" >&2
        exit 2
        ;;
esac
