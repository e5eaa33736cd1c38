#!/usr/bin/env bash
# Tenants, operators and the audit log from the command line: create (with the first manager
# and a set-up link), list, status changes with a reason, input errors naming the field, sealed
# emails, key file modes, and `audit verify` naming an entry edited by hand.
source "$(dirname "$0")/common.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed (scripts/deps.sh test)"
d="$TMP/data"
"$BIN" tenant create --data "$d" --code hall --name "市民ホール" --manager-email chief@hall.example \
  >"$TMP/out" || fail "create: $(cat "$TMP/out")"
grep -q "created tenant hall (id [0-9]*) with manager chief@hall.example" "$TMP/out" || fail "create said: $(cat "$TMP/out")"
grep -qE "set-up link \(single use, 72 hours\): http://127.0.0.1:8080/setup#token=[0-9]+\.[0-9a-f]{64}$" "$TMP/out" ||
  fail "no set-up link: $(cat "$TMP/out")"
rc=0; "$BIN" tenant create --data "$d" --code hall --name "Again" --manager-email a@b.example 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "code: this code is taken" "$TMP/err" || fail "duplicate: rc=$rc $(cat "$TMP/err")"
rc=0; "$BIN" tenant create --data "$d" --code x --name "Bad" --time-zone Mars/Base --manager-email a@b.example 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "^error: code:" "$TMP/err" || fail "bad code: rc=$rc $(cat "$TMP/err")"
rc=0; "$BIN" tenant create --data "$d" --code other --name "Other" --manager-email nobody 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "^error: manager-email:" "$TMP/err" || fail "bad email: rc=$rc $(cat "$TMP/err")"
grep -q other <<<"$("$BIN" tenant list --data "$d")" && fail "a refused tenant was stored"
echo "Kiri-no-Mori-2468" | "$BIN" operator create --data "$d" --email ops@platform.example --password-stdin \
  >"$TMP/out" || fail "operator create: $(cat "$TMP/out")"
grep -q "created operator ops@platform.example" "$TMP/out" && ! grep -q "set-up link" "$TMP/out" ||
  fail "operator create said: $(cat "$TMP/out")"
rc=0; echo "short" | "$BIN" operator create --data "$d" --email ops2@platform.example --password-stdin 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "^error: password:" "$TMP/err" || fail "weak password: rc=$rc $(cat "$TMP/err")"
[ "$(stat -c %a "$d/keys")" = 700 ] && [ "$(stat -c %a "$d/keys/master.key")" = 600 ] ||
  fail "key modes: $(stat -c '%a %n' "$d/keys" "$d/keys/master.key")"
sqlite3 "$d/yoyaku.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
if grep -a -q "chief@hall" "$d"/yoyaku.db*; then fail "an email is readable in the database file"; fi
pass "tenant and operator create; set-up link; emails sealed; key files private"
grep -q "suspended" <<<"$("$BIN" tenant suspend --data "$d" --code hall --reason "unpaid")" || fail "suspend"
grep -qP "\thall\tsuspended\tAsia/Tokyo\tja\t市民ホール" <<<"$("$BIN" tenant list --data "$d")" || fail "list: $("$BIN" tenant list --data "$d")"
pass "tenant create, list, suspend; errors name the field"

"$BIN" audit verify --data "$d" >"$TMP/out" || fail "verify on a clean log: $(cat "$TMP/out")"
grep -q "ok     platform: 2 entries" "$TMP/out" && grep -q "ok     tenant hall: 3 entries" "$TMP/out" ||
  fail "verify said: $(cat "$TMP/out")"
pass "audit verify passes on an untouched log"

# serve writes a signed checkpoint of every chain's head at start (then hourly), outside the
# database; verify compares the chains with it, and a checkpoint edited by hand is refused.
start_server --data "$d" --dev
cps="$d/logs/audit-checkpoints"
for _ in $(seq 1 100); do ls "$cps"/audit-checkpoint-*.json >/dev/null 2>&1 && break; sleep 0.1; done
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
[ "$(stat -c %a "$cps")" = 700 ] || fail "checkpoint directory mode $(stat -c %a "$cps")"
"$BIN" audit verify --data "$d" --checkpoints "$cps" >"$TMP/out" || fail "checkpoints: $(cat "$TMP/out")"
grep -q "ok     checkpoints: 1 files, 2 chain heads as signed" "$TMP/out" || fail "verify said: $(cat "$TMP/out")"
cp -r "$cps" "$TMP/forged"
# The forgery moves the platform head's seq (prefixing a 9): the signed text changes for sure.
sed -i 's/"heads":\[\[0,/"heads":[[0,9/' "$TMP/forged"/audit-checkpoint-*.json
grep -q '"heads":\[\[0,9' "$TMP/forged"/audit-checkpoint-*.json || fail "the forgery did not change the file"
rc=0; "$BIN" audit verify --data "$d" --checkpoints "$TMP/forged" >"$TMP/out" || rc=$?
[ "$rc" = 1 ] && grep -q "FAILED checkpoint .*signature" "$TMP/out" || fail "forged checkpoint: rc=$rc $(cat "$TMP/out")"
pass "serve writes signed checkpoints; verify checks them and refuses a forged one"

# Someone with the database file in hand: drop the append-only trigger and edit a row.
sqlite3 "$d/yoyaku.db" "DROP TRIGGER audit_log_no_update;
  UPDATE audit_log SET details = '{\"from\":\"active\",\"to\":\"suspended\",\"reason\":\"paid\"}'
  WHERE action = 'tenant.suspended';"
rc=0; "$BIN" audit verify --data "$d" >"$TMP/out" || rc=$?
[ "$rc" = 1 ] || fail "verify after tampering exited $rc: $(cat "$TMP/out")"
grep -q "FAILED tenant hall: entry seq 3 (id [0-9]*): content does not match its hash" "$TMP/out" ||
  fail "verify did not name the entry: $(cat "$TMP/out")"
grep -q "ok     platform" "$TMP/out" || fail "the platform chain should still verify"
pass "audit verify names the edited entry and exits 1"

# A keys folder restored without its audit chain key: refused, never a new key (a new one would
# make every entry so far fail verification); nothing is made in its place.
mv "$d/keys/audit.key" "$TMP/audit.key"
rc=0; "$BIN" tenant list --data "$d" >/dev/null 2>"$TMP/err" || rc=$?
[ "$rc" != 0 ] && grep -q "^error: keys: .*audit.key is missing while the master key is there" "$TMP/err" ||
  fail "a missing audit.key was not refused: rc=$rc $(cat "$TMP/err")"
rc=0; "$BIN" serve --data "$d" --dev --listen 127.0.0.1:0 >/dev/null 2>"$TMP/err" || rc=$?
[ "$rc" = 1 ] && grep -q "keys: .*audit.key is missing" "$TMP/err" || fail "serve started without audit.key: rc=$rc $(cat "$TMP/err")"
[ ! -e "$d/keys/audit.key" ] || fail "a new audit.key was made"
mv "$TMP/audit.key" "$d/keys/audit.key"
"$BIN" tenant list --data "$d" >/dev/null || fail "the restored audit.key is not taken"
pass "a missing audit chain key is refused by commands and serve, not replaced"
