#!/usr/bin/env bash
# The command line as an operator meets it: help, version, migrate, named configuration
# errors, and the refusal to start insecurely outside --dev.
source "$(dirname "$0")/common.sh"
for c in "--help" "serve --help" "migrate --help" "version"; do
  "$BIN" $c >"$TMP/out" 2>&1 || fail "'yoyaku $c' failed"
done
grep -q "yoyaku 0" "$TMP/out" || fail "version output: $(cat "$TMP/out")"
grep -q -- "--database-url" <<<"$("$BIN" serve --help)" || fail "serve --help lacks --database-url"
grep -q -- "--config" <<<"$("$BIN" migrate --help)" || fail "migrate --help lacks --config"
pass "help and version"

out=$("$BIN" migrate --data "$TMP/d1")
grep -qE "schema at version ([0-9]+) of \1$" <<<"$out" || fail "migrate said: $out"
[ -f "$TMP/d1/yoyaku.db" ] || fail "no database file"
[ "$(stat -c %a "$TMP/d1")" = 700 ] || fail "data directory mode $(stat -c %a "$TMP/d1")"
pass "migrate creates a private data directory and the schema"

printf '[server]\nlistne = "127.0.0.1:1"\n' >"$TMP/bad.toml"
rc=0; "$BIN" migrate --data "$TMP/d1" --config "$TMP/bad.toml" 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "server.listne" "$TMP/err" || fail "unknown key: rc=$rc $(cat "$TMP/err")"
rc=0; YOYAKU_SERVER_BODY_LIMIT=lots "$BIN" serve --data "$TMP/d1" 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "server.body_limit" "$TMP/err" || fail "bad value: rc=$rc $(cat "$TMP/err")"
pass "configuration errors name the key"

rc=0; "$BIN" serve --data "$TMP/d1" --listen 0.0.0.0:0 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "refusing to start" "$TMP/err" || fail "insecure start: rc=$rc $(cat "$TMP/err")"
pass "production mode refuses plain HTTP on a public address"

rc=0; "$BIN" serve --data "$TMP/d1" --listen 127.0.0.1:0 --demo 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "serve --demo" "$TMP/err" || fail "--demo outside --dev: rc=$rc $(cat "$TMP/err")"
printf '[server]\nbehind_proxy = true\n' >"$TMP/proxy.toml"
rc=0; "$BIN" serve --data "$TMP/d1" --listen 127.0.0.1:0 --config "$TMP/proxy.toml" 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "server.trusted_proxies" "$TMP/err" || fail "proxy without trusted_proxies: rc=$rc $(cat "$TMP/err")"
pass "production mode refuses the demo's published passwords and a proxy it cannot tell apart"

"$BIN" serve --data "$TMP/d1" --listen 0.0.0.0:0 --dev >"$TMP/server.out" 2>"$TMP/server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$TMP/server.log" && break; sleep 0.1; done
grep -q "insecure configuration" "$TMP/server.log" || fail "--dev did not log the insecure setting"
grep -q "listening on" "$TMP/server.log" || fail "--dev did not start"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
pass "--dev starts and logs what is unsafe"

# Rolling upgrades (issue 29): `serve --no-migrate` applies nothing; a newer schema is served
# when its migrations admit this binary (compatible-from), refused when they do not; a migration
# changed after it was applied is refused by `yoyaku migrate`.
rc=0; "$BIN" serve --data "$TMP/d0" --listen 127.0.0.1:0 --dev --no-migrate 2>"$TMP/err" || rc=$?
[ "$rc" = 1 ] && grep -q "run yoyaku migrate" "$TMP/err" || fail "--no-migrate on no schema: rc=$rc $(cat "$TMP/err")"
latest=$(sed -nE 's/^schema at version ([0-9]+) of .*/\1/p' <<<"$out")
schema() { /usr/bin/python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()' "$TMP/d1/yoyaku.db" "$1"; }
schema "INSERT INTO schema_migrations VALUES ($((latest + 1)), 'next', 1, 'feed', $latest)"
start_server --data "$TMP/d1" --dev --no-migrate
grep -q "rolling upgrade" "$TMP/server.log" || fail "newer compatible schema not logged"
[ "$(status /readyz)" = 200 ] || fail "/readyz on a newer compatible schema: $(status /readyz)"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
schema "INSERT INTO schema_migrations VALUES ($((latest + 2)), 'after', 1, 'feed', $((latest + 2)))"
rc=0; "$BIN" serve --data "$TMP/d1" --listen 127.0.0.1:0 --dev 2>"$TMP/err" || rc=$?
[ "$rc" = 1 ] && grep -q "upgrade it" "$TMP/err" || fail "newer incompatible schema: rc=$rc $(cat "$TMP/err")"
schema "DELETE FROM schema_migrations WHERE version > $latest"
schema "UPDATE schema_migrations SET checksum = '0000000000000000' WHERE version = 1"
rc=0; "$BIN" migrate --data "$TMP/d1" >"$TMP/out" 2>"$TMP/err" || rc=$?
[ "$rc" = 1 ] && grep -q "migration 0001_" "$TMP/err" || fail "changed migration: rc=$rc $(cat "$TMP/err")"
schema "UPDATE schema_migrations SET checksum = NULL WHERE version = 1"
"$BIN" migrate --data "$TMP/d1" >/dev/null || fail "migrate after the repair"
pass "serve --no-migrate; a newer schema served when it admits the binary, refused when not; a changed migration refused"
