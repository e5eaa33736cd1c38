#!/usr/bin/env bash
# Stops the server started by scripts/start.sh (graceful: SIGTERM drains in-flight requests).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f data/yoyaku.pid ] || exit 0
pid=$(cat data/yoyaku.pid)
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
rm -f data/yoyaku.pid
