#!/usr/bin/env bash
# Stops one server started by .ci/start-services.sh, for the store fault tests (issue #3).
# `bash .ci/stop-service.sh postgres|redis`; start it again with `.ci/start-services.sh <name>`.
set -euo pipefail
case "${1:-}" in
  postgres)
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_ctlcluster "$version" main stop -m fast >&2
    ;;
  redis)
    # NOSAVE skips the RDB snapshot; the AOF is still flushed, as on any clean shutdown.
    redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 1 40); do
      redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || exit 0
      sleep 0.25
    done
    echo "[stop-service] Redis did not stop" >&2
    exit 1
    ;;
  *) echo "usage: $0 postgres|redis" >&2; exit 2 ;;
esac
