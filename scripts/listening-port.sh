#!/usr/bin/env bash
# Prints the loopback port a starting `yoyaku serve` reports in its log ("listening on
# http(s)://127.0.0.1:PORT"), waiting up to 20 s; exits 1 (with the log's tail on stderr) when
# the server stops or never says. Shared by the benchmarks and the security scan.
#   scripts/listening-port.sh LOG PID
set -euo pipefail
log=${1:?log file}
pid=${2:?server pid}
for _ in $(seq 1 200); do
  port=$(sed -n 's/.*listening on https\?:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" 2>/dev/null | tail -1)
  [ -n "$port" ] && { echo "$port"; exit 0; }
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
echo "yoyaku did not start:" >&2
tail -20 "$log" >&2
exit 1
