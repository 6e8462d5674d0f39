#!/usr/bin/env bash
# Starts the real database servers the tenant store suites run against (issue #3):
# PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. Installs them from Debian when
# missing, is safe to run again while they run, and prints the variables the suites read:
#
#   eval "$(bash .ci/start-services.sh)"          # all services
#   bash .ci/start-services.sh postgres|redis     # one service (the fault tests restart them so)
#
# Progress goes to stderr; stdout carries only `export …` lines.
set -euo pipefail

PG_USER=connect_auth
PG_PASSWORD=connect_auth
PG_DATABASE=connect_auth_test
PG_PORT=5432
REDIS_PORT=6379
# Redis keeps its data (AOF) here, so a restart in the fault test loses no tenant.
REDIS_DIR=/var/lib/connect-auth-redis

log() { echo "[start-services] $*" >&2; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    log "must run as root (it installs Debian packages and starts servers)"
    exit 1
  fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
}

wait_for() { # wait_for <what> <seconds> <command…>
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  log "$what did not accept connections within ${seconds}s"
  return 1
}

pg_version() { ls /usr/lib/postgresql | sort -n | tail -1; }

start_postgres() {
  apt_install postgresql
  local version
  version=$(pg_version)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    log "creating PostgreSQL $version cluster main"
    pg_createcluster "$version" main --port "$PG_PORT" >&2
  fi
  if pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
    log "PostgreSQL $version already running"
  else
    log "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start >&2
  fi
  wait_for PostgreSQL 30 pg_isready -q -h 127.0.0.1 -p "$PG_PORT"
  local psql=(runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != 1 ]; then
    "${psql[@]}" -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'" >&2
  fi
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" != 1 ]; then
    "${psql[@]}" -c "CREATE DATABASE $PG_DATABASE OWNER $PG_USER" >&2
  fi
  echo "export TEST_POSTGRES_URL=postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DATABASE"
}

start_redis() {
  apt_install redis-server
  local cli=(redis-cli -h 127.0.0.1 -p "$REDIS_PORT")
  # A Redis started some other way (e.g. by the Debian package) keeps its data elsewhere, and the
  # fault test restarts Redis from this script: replace it, or the restart would lose every tenant.
  if "${cli[@]}" ping 2>/dev/null | grep -q PONG && [ "$("${cli[@]}" config get dir | tail -1)" != "$REDIS_DIR" ]; then
    log "replacing a Redis that keeps its data outside $REDIS_DIR"
    "${cli[@]}" shutdown >/dev/null 2>&1 || true
    wait_for "Redis shutdown" 10 sh -c "! redis-cli -h 127.0.0.1 -p $REDIS_PORT ping"
  fi
  if "${cli[@]}" ping 2>/dev/null | grep -q PONG; then
    log "Redis already running"
  else
    log "starting Redis"
    mkdir -p "$REDIS_DIR"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" \
      --appendonly yes --appendfsync everysec --save '' \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" >&2
  fi
  wait_for Redis 30 sh -c "redis-cli -h 127.0.0.1 -p $REDIS_PORT ping | grep -q PONG"
  echo "export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
}

need_root
case "${1:-all}" in
  postgres) start_postgres ;;
  redis) start_redis ;;
  all)
    start_postgres
    start_redis
    # Tells the fault tests that these servers are theirs to stop and restart (.ci/stop-service.sh).
    echo "export TEST_SERVICES_CONTROL=1"
    ;;
  *) log "usage: $0 [all|postgres|redis]"; exit 2 ;;
esac
