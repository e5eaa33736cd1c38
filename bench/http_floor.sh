#!/usr/bin/env bash
# B1, the HTTP floor: wrk against Yoyaku's /healthz (with the web application firewall, as
# deployed, and without it) and against nginx serving a small static JSON file on the same
# machine, interleaved A/B/C (median of 3), printing all three and the ratios to nginx.
# Loopback only; every run is bounded by wrk's -d.
#   bench/http_floor.sh [SECONDS=10] [CONNECTIONS=64]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
command -v wrk >/dev/null && command -v nginx >/dev/null || bash scripts/deps.sh test
cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
bin=build/release/src/cli/yoyaku

tmp=$(mktemp -d)
chmod 755 "$tmp"
ypid=""; opid=""; npid=""
cleanup() {
  [ -n "$ypid" ] && kill -TERM "$ypid" 2>/dev/null || true
  [ -n "$opid" ] && kill -TERM "$opid" 2>/dev/null || true
  [ -n "$npid" ] && kill -QUIT "$npid" 2>/dev/null || true
  sleep 0.3; rm -rf "$tmp"
}
trap cleanup EXIT

# nginx: the same shape of answer as /healthz, from a file.
mkdir -p "$tmp/www"
printf '{"status":"ok"}' >"$tmp/www/healthz.json"
nport=$((20000 + RANDOM % 10000))
cat >"$tmp/nginx.conf" <<CONF
worker_processes auto;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$nport; root $tmp/www; }
}
CONF
nginx -c "$tmp/nginx.conf" -p "$tmp"
for _ in $(seq 1 50); do [ -f "$tmp/nginx.pid" ] && break; sleep 0.1; done
npid=$(cat "$tmp/nginx.pid")

"$bin" serve --data "$tmp/data" --listen 127.0.0.1:0 2>"$tmp/yoyaku.log" &
ypid=$!
yport=$(bash scripts/listening-port.sh "$tmp/yoyaku.log" "$ypid")
# The same server with the firewall off (refused outside --dev).
YOYAKU_WAF_MODE=off "$bin" serve --dev --data "$tmp/data-off" --listen 127.0.0.1:0 2>"$tmp/off.log" &
opid=$!
oport=$(bash scripts/listening-port.sh "$tmp/off.log" "$opid")

run() {  # run URL → "req/s p50 p99"
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$1" 2>/dev/null | awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    END { print rps, p50, p99 }'
}
median() { sort -g | sed -n 2p; }

y=(); o=(); n=()
for i in 1 2 3; do
  y+=("$(run "http://127.0.0.1:$yport/healthz")")
  o+=("$(run "http://127.0.0.1:$oport/healthz")")
  n+=("$(run "http://127.0.0.1:$nport/healthz.json")")
done
ym=$(printf '%s\n' "${y[@]}" | awk '{print $1}' | median)
om=$(printf '%s\n' "${o[@]}" | awk '{print $1}' | median)
nm=$(printf '%s\n' "${n[@]}" | awk '{print $1}' | median)
echo "machine: $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo unknown), wrk -t2 -c$conns -d${secs}s"
echo "yoyaku /healthz, firewall on  (req/s p50 p99): ${y[*]}"
echo "yoyaku /healthz, firewall off (req/s p50 p99): ${o[*]}"
echo "nginx static file runs        (req/s p50 p99): ${n[*]}"
awk -v y="$ym" -v o="$om" -v n="$nm" 'BEGIN {
  printf "B1 firewall on %.0f req/s (ratio %.2f), off %.0f req/s (ratio %.2f), nginx %.0f req/s (gate >= 0.50)\n",
    y, y / n, o, o / n, n }' 
