#!/usr/bin/env bash
# Stops what up.sh started, by the pids it recorded; leaves anything else running.
set -euo pipefail
state="${GSI_ENV_STATE:-/tmp/go-service-image-env}"
for name in registry registry-auth registry-tls dockerd; do
  pidfile="$state/$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    echo "down: stopping $name ($pid)"
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -f "$pidfile"
done
