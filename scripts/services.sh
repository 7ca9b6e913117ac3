#!/usr/bin/env bash
# Local PostgreSQL and Redis for development and tests, under <repo>/.data, bound to 127.0.0.1.
#   scripts/services.sh up      start them (idempotent), create roles/databases, print the URLs
#   scripts/services.sh down    stop them (by PID)
#   scripts/services.sh status
# Used only when DATABASE_URL / REDIS_URL point at them (scripts/bootstrap.sh writes those into .env
# when you have not configured your own).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA="$ROOT/.data"
# PostgreSQL runs as the `postgres` user (it refuses root): when that user cannot reach the project
# folder (a clone under a private home, say), keep the cluster in a per-project folder under /var/tmp.
PG_HOME="$DATA"
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$DATA"
  if ! runuser -u postgres -- test -x "$DATA" 2>/dev/null; then
    PG_HOME="/var/tmp/imapcopier-$(echo "$ROOT" | sha1sum | cut -c1-10)"
    mkdir -p "$PG_HOME"
  fi
fi
PG_PORT=${IMAPCOPIER_PG_PORT:-54329}
REDIS_PORT=${IMAPCOPIER_REDIS_PORT:-63790}
PGDATA="$PG_HOME/pg"
PG_SOCK="$PG_HOME/pg-socket"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PW_FILE="$DATA/pg-password"

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_up() {
  mkdir -p "$DATA"
  [ -f "$PW_FILE" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$PW_FILE")
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA" "$PG_SOCK"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGDATA" "$PG_SOCK"
    chmod 700 "$PGDATA"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
max_connections = 200
shared_buffers = 128MB
fsync = ${IMAPCOPIER_PG_FSYNC:-on}
synchronous_commit = off
CONF
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start >/dev/null
  fi
  local pw; pw=$(cat "$PW_FILE")
  as_pg psql -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1 <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'imapcopier') THEN
    CREATE ROLE imapcopier LOGIN CREATEDB PASSWORD '$pw';
  ELSE
    ALTER ROLE imapcopier PASSWORD '$pw';
  END IF;
END \$\$;
SQL
  for db in imapcopier imapcopier_test; do
    if ! as_pg psql -h "$PG_SOCK" -p "$PG_PORT" -U postgres -qtA -c "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
      as_pg psql -h "$PG_SOCK" -p "$PG_PORT" -U postgres -q -c "CREATE DATABASE $db OWNER imapcopier" >/dev/null
    fi
  done
}

redis_up() {
  mkdir -p "$DATA/redis"
  if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DATA/redis" --daemonize yes \
      --pidfile "$DATA/redis.pid" --logfile "$DATA/redis.log" --appendonly yes --save "" >/dev/null
    for _ in $(seq 1 50); do
      redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
  fi
}

case "${1:-up}" in
  up)
    pg_up
    redis_up
    echo "DATABASE_URL=postgresql+psycopg://imapcopier:$(cat "$PW_FILE")@127.0.0.1:$PG_PORT/imapcopier"
    echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
    ;;
  down)
    if [ -f "$PGDATA/PG_VERSION" ]; then as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true; fi
    if [ -f "$DATA/redis.pid" ]; then kill "$(cat "$DATA/redis.pid")" 2>/dev/null || true; rm -f "$DATA/redis.pid"; fi
    ;;
  status)
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 && echo "postgres: up ($PG_PORT)" || echo "postgres: down"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && echo "redis: up ($REDIS_PORT)" || echo "redis: down"
    ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
