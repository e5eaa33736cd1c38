#!/usr/bin/env bash
# The server on PostgreSQL: /readyz 200; PostgreSQL stopped → 503 and the process lives on;
# PostgreSQL back → 200 again without a restart.
source "$(dirname "$0")/common.sh"
pg="$ROOT/scripts/pg-test-server.sh"
pgport=$((56000 + RANDOM % 2000))
url=$("$pg" start "$TMP/pg" "$pgport") || fail "could not start a PostgreSQL test server"
cleanup_hooks+=("'$pg' stop '$TMP/pg'")
start_server --data "$TMP/data" --database-url "$url"
wait_status /readyz 200 30
pass "ready on PostgreSQL"
"$pg" stop "$TMP/pg"
wait_status /readyz 503 20
kill -0 "$SERVER_PID" || fail "the server died when PostgreSQL stopped"
[ "$(status /healthz)" = 200 ] || fail "/healthz should stay 200 while the database is down"
pass "not ready while PostgreSQL is down; process alive"
"$pg" start "$TMP/pg" "$pgport" >/dev/null
wait_status /readyz 200 30
pass "ready again after PostgreSQL returned"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
