#!/usr/bin/env bash
# Installs PostgreSQL 15, Redis and wrk from Debian's packages (if missing) and starts
# PostgreSQL and Redis on 127.0.0.1 for service-backed tests and benchmarks (wrk is the
# benchmark's load generator). Idempotent: safe to run again.
#   scripts/services.sh start|stop
set -euo pipefail

PG_VERSION=15
PG_CLUSTER=main
REDIS_PORT=6379
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REDIS_DIR="$ROOT/var/redis"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

install_packages() {
  local missing=()
  [ -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ] || missing+=("postgresql-$PG_VERSION")
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v wrk >/dev/null || missing+=(wrk) # the load generator of bench/ and its tests
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Settings for a database of a million songs on this class of machine (SSD, GiBs of RAM);
# Debian's defaults (128 MB of shared buffers, random_page_cost 4) are sized for a small
# server on spinning disks. Everything on this cluster, references included, runs with them.
PG_TUNING="# Written by scripts/services.sh: edit there.
shared_buffers = 1GB
effective_cache_size = 8GB
random_page_cost = 1.1
work_mem = 16MB
maintenance_work_mem = 256MB"

tune_postgres() {
  local file="/etc/postgresql/$PG_VERSION/$PG_CLUSTER/conf.d/setlist.conf"
  if [ "$(cat "$file" 2>/dev/null)" != "$PG_TUNING" ]; then
    echo "$PG_TUNING" | $SUDO tee "$file" >/dev/null
    echo "restart"
  fi
}

start_postgres() {
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$PG_VERSION $PG_CLUSTER$"; then
    $SUDO pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >/dev/null
  fi
  local online=""
  pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}' \
    | grep -q online && online=yes
  if [ "$(tune_postgres)" = "restart" ] && [ -n "$online" ]; then
    $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
  elif [ -z "$online" ]; then
    $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  pg_isready -h 127.0.0.1 -p 5432
  # A role that may create the test databases; extensions used are trusted ones.
  as_postgres psql -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'setlist') THEN
    CREATE ROLE setlist LOGIN PASSWORD 'setlist' CREATEDB;
  END IF;
END $$;
SQL
  if ! as_postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname='setlist'" | grep -q 1; then
    as_postgres createdb -O setlist setlist
  fi
}

start_redis() {
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    return
  fi
  mkdir -p "$REDIS_DIR"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
    --save "" --appendonly no
  for _ in $(seq 1 30); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return
    sleep 0.5
  done
  echo "redis did not start" >&2
  exit 1
}

stop_all() {
  if [ -f "$REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true
    rm -f "$REDIS_DIR/redis.pid"
  fi
  $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop 2>/dev/null || true
}

case "${1:-start}" in
  start)
    install_packages
    start_postgres
    start_redis
    echo "services up: DATABASE_URL=postgres://setlist:setlist@127.0.0.1:5432/setlist REDIS_URL=redis://127.0.0.1:6379/0"
    ;;
  stop) stop_all ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
