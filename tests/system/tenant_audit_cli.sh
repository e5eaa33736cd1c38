#!/usr/bin/env bash
# Tenants and the audit log from the command line: create, list, status changes with a
# reason, input errors naming the field, and `audit verify` naming an entry edited by hand.
source "$(dirname "$0")/common.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed (scripts/deps.sh test)"
d="$TMP/data"
"$BIN" tenant create --data "$d" --code hall --name "市民ホール" >"$TMP/out" || fail "create: $(cat "$TMP/out")"
grep -q "created tenant hall" "$TMP/out" || fail "create said: $(cat "$TMP/out")"
rc=0; "$BIN" tenant create --data "$d" --code hall --name "Again" 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "code: this code is taken" "$TMP/err" || fail "duplicate: rc=$rc $(cat "$TMP/err")"
rc=0; "$BIN" tenant create --data "$d" --code x --name "Bad" --time-zone Mars/Base 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "^error: code:" "$TMP/err" || fail "bad code: rc=$rc $(cat "$TMP/err")"
"$BIN" tenant suspend --data "$d" --code hall --reason "unpaid" | grep -q "suspended" || fail "suspend"
"$BIN" tenant list --data "$d" | grep -qP "\thall\tsuspended\tAsia/Tokyo\tja\t市民ホール" || fail "list: $("$BIN" tenant list --data "$d")"
pass "tenant create, list, suspend; errors name the field"

"$BIN" audit verify --data "$d" >"$TMP/out" || fail "verify on a clean log: $(cat "$TMP/out")"
grep -q "ok     platform: 1 entries" "$TMP/out" && grep -q "ok     tenant hall: 2 entries" "$TMP/out" ||
  fail "verify said: $(cat "$TMP/out")"
pass "audit verify passes on an untouched log"

# Someone with the database file in hand: drop the append-only trigger and edit a row.
sqlite3 "$d/yoyaku.db" "DROP TRIGGER audit_log_no_update;
  UPDATE audit_log SET details = '{\"from\":\"active\",\"to\":\"suspended\",\"reason\":\"paid\"}'
  WHERE action = 'tenant.suspended';"
rc=0; "$BIN" audit verify --data "$d" >"$TMP/out" || rc=$?
[ "$rc" = 1 ] || fail "verify after tampering exited $rc: $(cat "$TMP/out")"
grep -q "FAILED tenant hall: entry seq 2 (id [0-9]*): content does not match its hash" "$TMP/out" ||
  fail "verify did not name the entry: $(cat "$TMP/out")"
grep -q "ok     platform" "$TMP/out" || fail "the platform chain should still verify"
pass "audit verify names the edited entry and exits 1"
