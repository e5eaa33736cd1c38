#!/usr/bin/env bash
# Backups from the command line (SPEC S14): every command has --help; create writes an
# encrypted file (0600) in which no name or address is readable; list and verify read it; a
# flipped byte makes verify and restore refuse it; restore into an empty data directory (the
# keys directory kept apart, as an operator keeps it) gives a platform that serves the same
# tenant and offerings; a non-empty target needs --force; prune and retention have a dry run.
source "$(dirname "$0")/common.sh"
for c in create list verify restore prune; do
  "$BIN" backup "$c" --help >"$TMP/help" || fail "backup $c --help"
  grep -q -- "--data" "$TMP/help" || fail "backup $c --help: $(cat "$TMP/help")"
done
pass "backup create/list/verify/restore/prune --help"

d="$TMP/data"; keys="$TMP/keys"; out="$TMP/backups"
export YOYAKU_SECURITY_KEYS_DIR="$keys"
"$BIN" tenant create --data "$d" --code zq9x --name "Zq9x Canary Hall" \
  --manager-email canary.chief@zq9x.example >/dev/null || fail "tenant create"
start_server --data "$d" --dev
wait_status /api/v1/public/zq9x/offerings 200 10
curl -s "http://127.0.0.1:$PORT/api/v1/public/zq9x/offerings" >"$TMP/before"

rc=0; "$BIN" backup create --data "$d" --out "$d/inside" 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "^error: out:" "$TMP/err" || fail "a backup inside the data: rc=$rc $(cat "$TMP/err")"
"$BIN" backup create --data "$d" --out "$out" >"$TMP/out" || fail "create: $(cat "$TMP/out")"
file=$(sed -n 's/^backup written: //p' "$TMP/out")
[ -f "$file" ] && [ "$(stat -c %a "$file")" = 600 ] && [ "$(stat -c %a "$out")" = 700 ] ||
  fail "backup file: $(ls -la "$out")"
if grep -a -q -e "Zq9x Canary Hall" -e "canary.chief@zq9x" "$file"; then fail "a name or address is readable in the backup"; fi
grep -a -q "Zq9x Canary Hall" "$d"/yoyaku.db* || fail "the canary should be in the live database (the check can fail)"
pass "a backup written while serving: 0600, nothing readable in it"

"$BIN" backup list --data "$d" --out "$out" >"$TMP/list" || fail "list"
grep -q "$(basename "$file")" "$TMP/list" && grep -q "sqlite, schema [0-9]*, [0-9]* tables" "$TMP/list" ||
  fail "list said: $(cat "$TMP/list")"
"$BIN" backup verify --data "$d" --in "$file" >"$TMP/verify" || fail "verify: $(cat "$TMP/verify")"
grep -q "^ok .*audit entries verified" "$TMP/verify" || fail "verify said: $(cat "$TMP/verify")"
# One byte in the middle, flipped (XOR, so it always changes).
/usr/bin/python3 - "$file" "$TMP/tampered.ybk" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 2] ^= 0x01
open(sys.argv[2], "wb").write(b)
PY
rc=0; "$BIN" backup verify --data "$d" --in "$TMP/tampered.ybk" >"$TMP/verify" || rc=$?
[ "$rc" = 1 ] && grep -q "^FAILED" "$TMP/verify" || fail "tampered verify: rc=$rc $(cat "$TMP/verify")"
rc=0; "$BIN" backup restore --data "$TMP/other" --in "$TMP/tampered.ybk" 2>"$TMP/err" || rc=$?
[ "$rc" != 0 ] && [ ! -e "$TMP/other/yoyaku.db" ] || fail "tampered restore: rc=$rc $(cat "$TMP/err")"
pass "list and verify read the backup; a flipped byte is refused by verify and restore"

grep -q -- "--data" <<<"$("$BIN" keys rotate --help)" || fail "keys rotate --help"
"$BIN" keys rotate --data "$d" >"$TMP/out" || fail "rotate: $(cat "$TMP/out")"
grep -q "1 tenant key(s) re-wrapped" "$TMP/out" && grep -qP "^zq9x\t2\t[1-9][0-9]*\t[1-9][0-9]*\t0\t0$" "$TMP/out" &&
  grep -q "^2 data key(s) rotated" "$TMP/out" || fail "rotate said: $(cat "$TMP/out")"
[ "$(stat -c %a "$keys/master.key")" = 600 ] && ls "$keys"/retired/master-*.key >/dev/null || fail "key files: $(ls -la "$keys" "$keys/retired")"
wait_status /api/v1/public/zq9x/offerings 200 10
"$BIN" backup verify --data "$d" --in "$file" >/dev/null || fail "the backup from before the rotation no longer verifies"
pass "keys rotate: new master and data keys, data re-encrypted; the running server keeps serving; older backups still verify"

kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
r="$TMP/restored"
"$BIN" backup restore --data "$r" --in "$file" >"$TMP/out" || fail "restore: $(cat "$TMP/out")"
rc=0; "$BIN" backup restore --data "$r" --in "$file" 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "^error: target:" "$TMP/err" || fail "restore over data: rc=$rc $(cat "$TMP/err")"
"$BIN" backup restore --data "$r" --in "$file" --force >/dev/null || fail "restore --force"
grep -qP "\tzq9x\tactive\t" <<<"$("$BIN" tenant list --data "$r")" || fail "restored tenants: $("$BIN" tenant list --data "$r")"
"$BIN" audit verify --data "$r" >/dev/null || fail "the restored audit log does not verify"
start_server --data "$r" --dev
wait_status /api/v1/public/zq9x/offerings 200 10
curl -s "http://127.0.0.1:$PORT/api/v1/public/zq9x/offerings" >"$TMP/after"
cmp -s "$TMP/before" "$TMP/after" || fail "the restored platform answers differently"
pass "restored into an empty data directory; it serves the same tenant; over data needs --force"

"$BIN" backup prune --data "$d" --out "$out" --dry-run >"$TMP/out" || fail "prune"
grep -q "0 backup(s) would be deleted" "$TMP/out" || fail "prune said: $(cat "$TMP/out")"
pass "prune --dry-run"

grep -q -- "--dry-run" <<<"$("$BIN" retention run --help)" || fail "retention run --help"
"$BIN" retention run --data "$d" --dry-run >"$TMP/out" || fail "retention dry run: $(cat "$TMP/out")"
grep -q "(dry run: nothing changed)" "$TMP/out" || fail "retention said: $(cat "$TMP/out")"
"$BIN" retention run --data "$d" >"$TMP/out" || fail "retention run: $(cat "$TMP/out")"
"$BIN" audit verify --data "$d" >/dev/null || fail "the audit log does not verify after retention"
pass "retention run, with and without --dry-run"
