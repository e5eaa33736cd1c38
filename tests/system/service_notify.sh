#!/usr/bin/env bash
# The service manager's protocol (Type=notify, packaging/yoyaku.service): READY=1 once
# serving, WATCHDOG=1 at half of WATCHDOG_USEC, RELOADING=1 then READY=1 around SIGHUP,
# STOPPING=1 on SIGTERM; nothing without NOTIFY_SOCKET (the other system tests run so).
source "$(dirname "$0")/common.sh"
/usr/bin/python3 "$ROOT/tests/support/notify_listener.py" "$TMP/notify.sock" "$TMP/notify.log" &
cleanup_hooks+=("kill $!")
for _ in $(seq 1 50); do [ -S "$TMP/notify.sock" ] && break; sleep 0.1; done
[ -S "$TMP/notify.sock" ] || fail "the notify listener did not start"
: >"$TMP/notify.log"

# wait_message TEXT N : waits until TEXT appears on at least N lines of the log.
wait_message() {
  for _ in $(seq 1 100); do
    [ "$(grep -c -- "$1" "$TMP/notify.log" || true)" -ge "$2" ] && return 0
    sleep 0.1
  done
  fail "no '$1' (x$2) from the server; got: $(tr '\n' ' ' <"$TMP/notify.log")"
}

NOTIFY_SOCKET="$TMP/notify.sock" WATCHDOG_USEC=400000 start_server --data "$TMP/data"
wait_message 'READY=1' 1
[ "$(status /healthz)" = 200 ] || fail "ready but /healthz does not answer"
head -1 "$TMP/notify.log" | grep -q '^STATUS=starting' || fail "the first message is not STATUS=starting"
grep -q 'watchdog every 200 ms' "$TMP/server.log" || fail "the watchdog interval is not half of WATCHDOG_USEC"
wait_message 'WATCHDOG=1' 3
pass "READY=1 once serving, WATCHDOG=1 every 200 ms"

kill -HUP "$SERVER_PID"
wait_message 'RELOADING=1' 1
wait_message 'READY=1' 2
grep -n 'RELOADING=1\|READY=1' "$TMP/notify.log" | tail -2 | head -1 | grep -q RELOADING ||
  fail "RELOADING=1 did not come before the second READY=1"
pass "SIGHUP: RELOADING=1 then READY=1"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "the server did not exit cleanly on SIGTERM"
SERVER_PID=""
grep -q 'STOPPING=1' "$TMP/notify.log" || fail "no STOPPING=1 on SIGTERM"
pass "SIGTERM: STOPPING=1, clean exit"

# Not under a service manager: not a message, not a warning.
: >"$TMP/notify.log"
start_server --data "$TMP/data"
wait_status /healthz 200 10   # READY would have gone before the first answer
[ ! -s "$TMP/notify.log" ] || fail "messages without NOTIFY_SOCKET: $(cat "$TMP/notify.log")"
grep -q 'service manager' "$TMP/server.log" && fail "service manager lines without NOTIFY_SOCKET"
pass "nothing without NOTIFY_SOCKET"
