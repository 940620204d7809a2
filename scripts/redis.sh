#!/usr/bin/env bash
# A throwaway Redis server on 127.0.0.1 for kefu's tests (the huey queue on Redis, KEFU_REDIS_URL).
#
#   eval "$(bash scripts/redis.sh start)"   # starts it; prints `export KEFU_TEST_REDIS_URL=...`
#   bash scripts/test.sh src/kefu/notify    # the Redis tests now run instead of skipping
#   bash scripts/redis.sh stop              # stops it, keeps the directory
#   bash scripts/redis.sh destroy           # stops it and deletes the directory
#   bash scripts/redis.sh status | url
#
# The server keeps its pid, log and port in $KEFU_REDIS_DIR (default: ${TMPDIR:-/tmp}/kefu-redis-$UID),
# listens only on 127.0.0.1 (port $KEFU_REDIS_PORT, or the first free one from 56379), has no password
# and saves nothing to disk: it is for tests on your own machine, never for a queue you want to keep.
#
# Uses redis-server from PATH; when there is none it installs the Debian package `redis-server` with
# apt-get. Only the export line goes to stdout; everything else goes to stderr.
set -euo pipefail

REDIS_DIR="${KEFU_REDIS_DIR:-${TMPDIR:-/tmp}/kefu-redis-$(id -u)}"
PIDFILE="$REDIS_DIR/redis.pid"

say() { echo "redis.sh: $*" >&2; }
die() { say "$*"; exit 1; }

install_redis() {
    command -v apt-get >/dev/null 2>&1 || die "no redis-server found and no apt-get to install it; install Redis and put redis-server on PATH"
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "no redis-server found; install the redis-server package (needs root)"
        sudo=(sudo)
    fi
    say "no redis-server found; installing the Debian package redis-server"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >&2
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    if [ -n "${KEFU_REDIS_PORT:-}" ]; then
        echo "$KEFU_REDIS_PORT"
        return 0
    fi
    local port
    for port in $(seq 56379 56479); do
        if ! port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    die "no free port between 56379 and 56479"
}

# PING over a plain TCP connection, so that redis-cli (a separate package on some systems) is not needed.
answers_ping() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'PING\r\n' >&3
        read -r -t 2 reply <&3 || exit 1
        [ "${reply%$'\r'}" = "+PONG" ]
    ) 2>/dev/null
}

is_running() {
    [ -f "$PIDFILE" ] && [ -f "$REDIS_DIR/port" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

url() {
    echo "redis://127.0.0.1:$(cat "$REDIS_DIR/port")/0"
}

start() {
    if ! command -v redis-server >/dev/null 2>&1; then
        install_redis
        command -v redis-server >/dev/null 2>&1 || die "installed redis-server but it is not on PATH"
    fi
    if is_running; then
        say "already running in $REDIS_DIR"
        echo "export KEFU_TEST_REDIS_URL=$(url)"
        return 0
    fi
    mkdir -p "$REDIS_DIR"
    local port
    port=$(pick_port)
    port_in_use "$port" && die "port $port on 127.0.0.1 is taken (set KEFU_REDIS_PORT)"
    echo "$port" > "$REDIS_DIR/port"
    say "starting $(redis-server --version | cut -d' ' -f1-3) on 127.0.0.1:$port (log: $REDIS_DIR/server.log)"
    # No RDB snapshots and no append-only file: a test queue that nothing needs to survive a restart.
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$REDIS_DIR" --pidfile "$PIDFILE" \
        --logfile "$REDIS_DIR/server.log" --save "" --appendonly no --protected-mode yes \
        || { tail -n 30 "$REDIS_DIR/server.log" >&2 2>/dev/null; die "redis-server did not start"; }
    local i
    for i in $(seq 1 50); do
        if answers_ping "$port"; then
            echo "export KEFU_TEST_REDIS_URL=$(url)"
            return 0
        fi
        sleep 0.1
    done
    tail -n 30 "$REDIS_DIR/server.log" >&2 2>/dev/null || true
    die "redis-server on port $port does not answer PING"
}

stop() {
    if is_running; then
        local pid
        pid=$(cat "$PIDFILE")
        kill "$pid"
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$pid" 2>/dev/null && die "redis-server (pid $pid) did not stop"
        say "stopped ($REDIS_DIR)"
    else
        say "not running ($REDIS_DIR)"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    destroy)
        stop
        rm -rf "$REDIS_DIR"
        say "removed $REDIS_DIR"
        ;;
    status)
        if is_running; then say "running: $(url)"; else say "not running ($REDIS_DIR)"; exit 3; fi
        ;;
    url)
        [ -f "$REDIS_DIR/port" ] || die "not started ($REDIS_DIR)"
        url
        ;;
    *)
        echo "usage: bash scripts/redis.sh start|stop|destroy|status|url" >&2
        exit 2
        ;;
esac
