#!/usr/bin/env bash
# The server on PostgreSQL: /readyz 200; PostgreSQL stopped → 503 (a tenant's pages too) and the
# process lives on; PostgreSQL back → 200 again without a restart.
source "$(dirname "$0")/common.sh"
pg="$ROOT/scripts/pg-test-server.sh"
pgport=$((56000 + RANDOM % 2000))
url=$("$pg" start "$TMP/pg" "$pgport") || fail "could not start a PostgreSQL test server"
cleanup_hooks+=("'$pg' stop '$TMP/pg'")
# Serving as the tables' owner (it could switch row-level security off) is refused outside
# --dev; the owner migrates (database.owner_url) and a role that owns nothing serves.
rc=0; "$BIN" serve --data "$TMP/owner" --listen 127.0.0.1:0 --database-url "$url" 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "owns .* of the tables" "$TMP/err" || fail "owner role served: rc=$rc $(cat "$TMP/err")"
pass "serving as the tables' owner is refused"
app_url=${url/yoyaku@/yoyaku_app@}
YOYAKU_DATABASE_OWNER_URL="$url" start_server --data "$TMP/data" --database-url "$app_url"
wait_status /readyz 200 30
grep -q "insecure" "$TMP/server.log" && fail "the split roles were called insecure"
"$BIN" tenant create --data "$TMP/data" --database-url "$app_url" --code hall --name "市民ホール" \
  --manager-email chief@hall.example >"$TMP/out" || fail "the serving role cannot write: $(cat "$TMP/out")"
[ "$(status /api/v1/public/hall/offerings)" = 200 ] || fail "the serving role cannot read"
pass "ready on PostgreSQL, migrated by the owner, served by a role that owns nothing"
"$pg" stop "$TMP/pg"
wait_status /readyz 503 20
kill -0 "$SERVER_PID" || fail "the server died when PostgreSQL stopped"
[ "$(status /healthz)" = 200 ] || fail "/healthz should stay 200 while the database is down"
# A tenant's pages answer 503 (retry) while the database is away, never 404 (it does not exist).
[ "$(status /api/v1/public/hall/offerings)" = 503 ] ||
  fail "a tenant's offerings while PostgreSQL is down: $(status /api/v1/public/hall/offerings), not 503"
pass "not ready while PostgreSQL is down (a tenant's pages 503, not 404); process alive"
"$pg" start "$TMP/pg" "$pgport" >/dev/null
wait_status /readyz 200 30
pass "ready again after PostgreSQL returned"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
