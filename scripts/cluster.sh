#!/usr/bin/env bash
# kefu scaled out on one machine, on loopback: nginx in front of 2 gunicorn app servers, PostgreSQL, Redis
# and 2 huey workers — the shape of a production deployment, for load tests and failover drills.
#
#   bash scripts/cluster.sh start     # prints `export KEFU_CLUSTER_URL=http://127.0.0.1:PORT` on stdout
#   bash scripts/cluster.sh status
#   bash scripts/cluster.sh stop      # stops everything, keeps the data
#   bash scripts/cluster.sh destroy   # stops everything and deletes $KEFU_CLUSTER_DIR
#
# Everything lives in $KEFU_CLUSTER_DIR (default ${TMPDIR:-/tmp}/kefu-cluster-$UID): env (the settings every
# process shares), pid files and logs. PostgreSQL and Redis come from scripts/pg.sh and scripts/redis.sh (their
# throwaway, fsync-off servers: this is for tests, never for data you want to keep). nginx is Debian's
# `nginx-light`, installed with apt-get when missing. KEFU_CLUSTER_APPS (default 2) app servers of
# KEFU_CLUSTER_PROCS (default 2) gunicorn workers each; KEFU_CLUSTER_WORKERS (default 2) huey workers.
# Only the export line goes to stdout.
set -euo pipefail

cd "$(dirname "$0")/.."
DIR="${KEFU_CLUSTER_DIR:-${TMPDIR:-/tmp}/kefu-cluster-$(id -u)}"
APPS="${KEFU_CLUSTER_APPS:-2}"
PROCS="${KEFU_CLUSTER_PROCS:-2}"
WORKERS="${KEFU_CLUSTER_WORKERS:-2}"

say() { echo "cluster.sh: $*" >&2; }
die() { say "$*"; exit 1; }

free_port() {
    .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

ensure_nginx() {
    command -v nginx >/dev/null 2>&1 && return 0
    [ -x /usr/sbin/nginx ] && return 0
    say "installing nginx-light (Debian)"
    apt-get install -y -q nginx-light >&2 || { apt-get update -q >&2 && apt-get install -y -q nginx-light >&2; }
}

write_env() {
    local port=$1 pg_url=$2 redis_url=$3
    mkdir -p "$DIR/data"
    cat >"$DIR/env" <<ENV
export KEFU_DATABASE_URL=$pg_url
export KEFU_REDIS_URL=$redis_url
export KEFU_DATA_DIR=$DIR/data
export KEFU_DEBUG=0
export KEFU_SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')
export KEFU_ALLOWED_HOSTS=127.0.0.1,localhost
export KEFU_PUBLIC_URL=http://127.0.0.1:$port
# Every login reaches the app servers from nginx's address: count failures per user name only.
export KEFU_LOGIN_ADDRESS_FAILURES=0
export KEFU_CLUSTER_PORT=$port
ENV
}

write_nginx() {
    local port=$1; shift
    local servers="" user_line=""
    for p in "$@"; do servers+="        server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'; done
    [ "$(id -u)" = 0 ] && user_line="user root;"
    mkdir -p "$DIR/nginx"
    cat >"$DIR/nginx.conf" <<NGINX
$user_line
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/nginx.error.log warn;
events { worker_connections 1024; }
http {
    # No query strings or referrers in the log: they may hold a searched name or phone (PIPL).
    log_format kefu '\$remote_addr [\$time_local] "\$request_method \$uri" \$status \$body_bytes_sent \$request_time';
    access_log $DIR/nginx.access.log kefu;
    client_body_temp_path $DIR/nginx/body;
    proxy_temp_path $DIR/nginx/proxy;
    fastcgi_temp_path $DIR/nginx/fastcgi;
    uwsgi_temp_path $DIR/nginx/uwsgi;
    scgi_temp_path $DIR/nginx/scgi;
    # Larger bodies are refused by kefu itself with its JSON 413 (KEFU_MAX_BODY_BYTES).
    client_max_body_size 20m;
    upstream kefu {
$servers        keepalive 16;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://kefu;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            # A dead app server: try the other one, but only where no request reached the dead one
            # (error/timeout on connect); a write that was sent is never replayed by nginx.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_read_timeout 120s;
        }
    }
}
NGINX
}

start() {
    [ -x .venv/bin/gunicorn ] || die "run bash scripts/test.sh once to create .venv"
    if alive "$DIR/nginx.pid"; then
        say "already running"; echo "export KEFU_CLUSTER_URL=http://127.0.0.1:$(. "$DIR/env"; echo "$KEFU_CLUSTER_PORT")"; return 0
    fi
    mkdir -p "$DIR"
    ensure_nginx
    local pg_env redis_env
    pg_env=$(KEFU_PG_DIR="$DIR/pg" KEFU_PG_DB=kefu bash scripts/pg.sh start)
    eval "$pg_env"
    redis_env=$(KEFU_REDIS_DIR="$DIR/redis" bash scripts/redis.sh start)
    eval "$redis_env"
    local port; port=$(free_port)
    write_env "$port" "$KEFU_DATABASE_URL" "$KEFU_TEST_REDIS_URL"
    # shellcheck disable=SC1091
    . "$DIR/env"
    say "migrating"
    .venv/bin/kefu migrate --no-input >&2
    .venv/bin/kefu collectstatic --no-input >&2
    local app_ports=()
    for i in $(seq 1 "$APPS"); do
        local p; p=$(free_port)
        app_ports+=("$p")
        .venv/bin/gunicorn -c python:kefu.gunicorn_conf kefu.wsgi:application --bind "127.0.0.1:$p" \
            --workers "$PROCS" --daemon \
            --pid "$DIR/app$i.pid" --error-logfile "$DIR/app$i.log" --access-logfile "$DIR/app$i.access.log" \
            --timeout 120 --graceful-timeout 30
        say "app server $i on 127.0.0.1:$p"
    done
    for i in $(seq 1 "$WORKERS"); do
        nohup .venv/bin/kefu run_huey >"$DIR/worker$i.log" 2>&1 &
        echo $! >"$DIR/worker$i.pid"
        say "worker $i (pid $!)"
    done
    write_nginx "$port" "${app_ports[@]}"
    local nginx_bin; nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
    "$nginx_bin" -c "$DIR/nginx.conf" -p "$DIR" >&2
    for _ in $(seq 1 50); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/login/" 2>/dev/null && break
        sleep 0.2
    done
    say "nginx on http://127.0.0.1:$port in front of ${#app_ports[@]} app servers; $WORKERS workers"
    echo "export KEFU_CLUSTER_URL=http://127.0.0.1:$port"
}

stop_pid() {
    local file=$1
    if alive "$file"; then
        kill "$(cat "$file")" 2>/dev/null || true
        for _ in $(seq 1 50); do alive "$file" || break; sleep 0.2; done
    fi
    rm -f "$file"
}

stop() {
    [ -d "$DIR" ] || { say "not started"; return 0; }
    if alive "$DIR/nginx.pid"; then
        "$(command -v nginx || echo /usr/sbin/nginx)" -c "$DIR/nginx.conf" -p "$DIR" -s quit 2>/dev/null || true
        for _ in $(seq 1 50); do alive "$DIR/nginx.pid" || break; sleep 0.2; done
    fi
    for f in "$DIR"/app*.pid "$DIR"/worker*.pid; do [ -e "$f" ] && stop_pid "$f"; done
    KEFU_REDIS_DIR="$DIR/redis" bash scripts/redis.sh stop >/dev/null 2>&1 || true
    KEFU_PG_DIR="$DIR/pg" bash scripts/pg.sh stop >/dev/null 2>&1 || true
    say "stopped"
}

status() {
    [ -d "$DIR" ] || { echo "not started"; return 0; }
    for f in "$DIR"/nginx.pid "$DIR"/app*.pid "$DIR"/worker*.pid; do
        [ -e "$f" ] || continue
        if alive "$f"; then echo "$(basename "$f" .pid): running (pid $(cat "$f"))"; else echo "$(basename "$f" .pid): stopped"; fi
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    destroy)
        stop
        KEFU_REDIS_DIR="$DIR/redis" bash scripts/redis.sh destroy >/dev/null 2>&1 || true
        KEFU_PG_DIR="$DIR/pg" bash scripts/pg.sh destroy >/dev/null 2>&1 || true
        rm -rf "$DIR"
        ;;
    *) die "usage: $0 start|stop|status|destroy" ;;
esac
