#!/usr/bin/env bash
# Capacity across processes and crashes (SPEC invariants): two `yoyaku serve` processes on one
# PostgreSQL take 256 concurrent requests for 100 seats and confirm exactly 100; then a server
# is killed with SIGKILL in the middle of a rush and started again, on PostgreSQL and on
# SQLite: every booking that was answered 201 is there once, and a retry with its
# Idempotency-Key returns it again.
source "$(dirname "$0")/common.sh"
pg="$ROOT/scripts/pg-test-server.sh"
pgport=$((58000 + RANDOM % 1500))
url=$("$pg" start "$TMP/pg" "$pgport") || fail "could not start a PostgreSQL test server"
cleanup_hooks+=("'$pg' stop '$TMP/pg'")
rush="/usr/bin/python3 $(dirname "$0")/rush.py"
# Every rush comes from this one address: its bookings need no proof-of-work here.
export YOYAKU_SECURITY_FREE_BOOKINGS=1000000000

start_server --data "$TMP/data" --database-url "$url" --demo --dev
wait_status /readyz 200 30
a_pid=$SERVER_PID a_port=$PORT
# The second process: same database and keys, its own port and log.
start_other_server b --data "$TMP/data" --database-url "$url" --dev
b_pid=$OTHER_PID b_port=$OTHER_PORT

occurrences() {  # the demo concert's occurrence ids and seats left, one per line
  curl -s "http://127.0.0.1:$1/api/v1/public/demo/offerings" | /usr/bin/python3 -c '
import json, sys
for o in json.load(sys.stdin)["items"][0]["occurrences"]:
    print(o["id"], o["seats_left"])'
}
mapfile -t occ < <(occurrences "$a_port")
[ "${#occ[@]}" = 3 ] || fail "the demo concert has no three evenings: ${occ[*]}"
first=${occ[0]%% *} second=${occ[1]%% *}

$rush "$first" 256 64 rush "http://127.0.0.1:$a_port" "http://127.0.0.1:$b_port" >"$TMP/rush1"
ok=$(awk -F'\t' '$2 == 201' "$TMP/rush1" | wc -l)
full=$(awk -F'\t' '$2 == 409' "$TMP/rush1" | wc -l)
[ "$ok" = 100 ] && [ "$full" = 156 ] || fail "two servers confirmed $ok (and refused $full) of 100 seats"
[ "$(awk -F'\t' '$2 == 201 {print $3}' "$TMP/rush1" | sort -u | wc -l)" = 100 ] || fail "references repeat"
left=$(occurrences "$b_port" | awk -v id="$first" '$1 == id {print $2}')
[ "$left" = 0 ] || fail "seats left after the rush: $left"
pass "two servers on one PostgreSQL: 256 requests, exactly 100 confirmed, 156 refused"

# crash_rush LABEL OCCURRENCE VICTIM_PID URL... : a rush killed with SIGKILL of VICTIM (the
# server of the first URL, restarted with the rest of the arguments of start_server in
# $restart), then every 201 checked by retrying its key.
crash_rush() {
  local label=$1 occurrence=$2 victim=$3; shift 3
  $rush "$occurrence" 400 32 "crash-$label" "$@" >"$TMP/crash-$label" &
  local rush_pid=$!
  for _ in $(seq 1 200); do
    [ "$(wc -l <"$TMP/crash-$label")" -ge 10 ] && break
    sleep 0.02
  done
  kill -KILL "$victim"; wait "$victim" 2>/dev/null || true; SERVER_PID=""
  wait "$rush_pid"
  local lost confirmed left taken got
  lost=$(awk -F'\t' '$2 == 0' "$TMP/crash-$label" | wc -l)
  start_server $restart
  wait_status /readyz 200 30
  confirmed=$(awk -F'\t' '$2 == 201' "$TMP/crash-$label" | wc -l)
  while IFS=$'\t' read -r key status ref; do
    [ "$status" = 201 ] || continue
    got=$(curl -s -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
      "http://127.0.0.1:$PORT/api/v1/public/demo/bookings" \
      -d '{"occurrence_id":'"$occurrence"',"tickets":{"adult":1},"customer":{"name":"Rush Guest","email":"rush@example.jp"}}' |
      /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get("reference",""))')
    [ "$got" = "$ref" ] || fail "$label: answered $ref for $key, but a retry gave '$got'"
  done <"$TMP/crash-$label"
  left=$(occurrences "$PORT" | awk -v id="$occurrence" '$1 == id {print $2}')
  taken=$((100 - left))
  [ "$confirmed" -le "$taken" ] || fail "$label: $confirmed answered 201 but only $taken seats are taken"
  [ "$taken" -le 100 ] || fail "$label: oversold: $taken"
  pass "$label: kill -9 mid-rush: all $confirmed confirmed bookings survived ($lost requests cut off, $taken seats taken)"
}

restart="--data $TMP/data --database-url $url --dev"
crash_rush postgres "$second" "$a_pid" "http://127.0.0.1:$a_port" "http://127.0.0.1:$b_port"
kill -TERM "$b_pid"; wait "$b_pid" 2>/dev/null || true
# The restarted first server too (start_server below takes SERVER_PID over).
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

# The same on SQLite, one server.
start_server --data "$TMP/sqlite" --demo --dev
wait_status /readyz 200 30
mapfile -t occ < <(occurrences "$PORT")
restart="--data $TMP/sqlite --dev"
crash_rush sqlite "${occ[0]%% *}" "$SERVER_PID" "http://127.0.0.1:$PORT"
