#!/usr/bin/env bash
# SIGTERM while wrk hammers /healthz: the server drains and exits 0 within 10 s.
source "$(dirname "$0")/common.sh"
command -v wrk >/dev/null || fail "wrk is not installed (scripts/deps.sh test)"
start_server --data "$TMP/data"
wait_status /healthz 200 20
wrk -t2 -c64 -d8s "http://127.0.0.1:$PORT/healthz" >"$TMP/wrk.out" 2>&1 &
WRK=$!
# Stop once the server has answered a good share of load, so the signal lands mid-rush.
for _ in $(seq 1 100); do
  n=$(curl -s "http://127.0.0.1:$PORT/metrics" | sed -n 's/^yoyaku_http_requests_total{method="GET",route="\/healthz",status="200"} \([0-9]*\)/\1/p')
  [ "${n:-0}" -gt 2000 ] && break
  sleep 0.05
done
start=$(date +%s%N)
kill -TERM "$SERVER_PID"
rc=0
wait "$SERVER_PID" || rc=$?
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
SERVER_PID=""
kill "$WRK" 2>/dev/null || true
wait "$WRK" 2>/dev/null || true
[ "$rc" = 0 ] || fail "exit code $rc after SIGTERM"
[ "$took_ms" -lt 10000 ] || fail "took $took_ms ms to stop"
grep -q "stopped" "$TMP/server.log" || fail "no 'stopped' line in the log"
pass "SIGTERM under load: exit 0 after ${took_ms} ms (served ${n:-?} requests before the signal)"
