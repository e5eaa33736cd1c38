#!/usr/bin/env bash
# Point-in-time recovery on PostgreSQL with pgBackRest (issue 30): a cluster archiving its WAL
# into an encrypted pgBackRest repository (docs/operations/pitr-postgresql.md, as written there)
# and a full backup taken by `yoyaku backup point --stanza`; Yoyaku serves on it; between two
# bookings the drill notes the time; `yoyaku backup restore --stanza --at` that time, the first
# booking is there and the second is not. Prints the restore's time. The repository holds
# nothing readable; refused restores change nothing.
source "$(dirname "$0")/common.sh"
command -v pgbackrest >/dev/null || fail "pgbackrest is not installed (scripts/deps.sh test)"
pg="$ROOT/scripts/pg-test-server.sh"
bin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgport=$((58000 + RANDOM % 1000))
url=$("$pg" start "$TMP/pg" "$pgport") || fail "could not start a PostgreSQL test server"
cleanup_hooks+=("'$pg' stop '$TMP/pg'")
pgport=$(sed -n 's|.*:\([0-9]*\)/.*|\1|p' <<<"$url")
psql() { as_pg "$bin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d yoyaku_test -qtAX -v ON_ERROR_STOP=1 "$@"; }

# The repository and the cluster's archiving, as the guide sets them up.
repo="$TMP/pgbackrest"; mkdir -p "$repo/repo" "$repo/log" "$repo/spool"
conf="$repo/pgbackrest.conf"
cat >"$conf" <<CONF
[global]
repo1-path=$repo/repo
repo1-cipher-type=aes-256-cbc
repo1-cipher-pass=drill-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
repo1-retention-full=2
log-path=$repo/log
lock-path=$repo/spool
spool-path=$repo/spool
start-fast=y

[yoyaku]
pg1-path=$TMP/pg/pgdata
pg1-port=$pgport
pg1-socket-path=$TMP/pg
CONF
chmod 700 "$repo"; chmod 600 "$conf"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$repo"
br() { as_pg pgbackrest --config="$conf" --stanza=yoyaku "$@"; }
cat >>"$TMP/pg/pgdata/postgresql.conf" <<CONF
wal_level = replica
archive_mode = on
archive_command = 'pgbackrest --config=$conf --stanza=yoyaku archive-push %p'
archive_timeout = 60
CONF
as_pg "$bin/pg_ctl" -D "$TMP/pg/pgdata" -l "$TMP/pg/server.log" -m fast -w restart >/dev/null ||
  fail "PostgreSQL did not restart with archiving"
br stanza-create >"$TMP/br.out" 2>&1 || fail "stanza-create: $(cat "$TMP/br.out")"
br check >"$TMP/br.out" 2>&1 || fail "check: $(cat "$TMP/br.out")"
# Yoyaku drives the repository from here on, as the cluster's owner on the database server.
yb() { as_pg "$BIN" backup "$@" --stanza yoyaku --pgbackrest-config "$conf"; }
yb points >"$TMP/points" 2>&1 && fail "points with no backup should exit 1: $(cat "$TMP/points")"
grep -q "^no backup yet" "$TMP/points" || fail "points with no backup: $(cat "$TMP/points")"
# The base backup: everything after it, Yoyaku's whole schema and demo included, is replayed
# from the archived WAL.
yb point --type full >"$TMP/point" 2>&1 || fail "backup point: $(cat "$TMP/point")"
grep -qE "^pgBackRest backup taken: [0-9T:.+-]+	[0-9]{8}-[0-9]{6}F	full	" "$TMP/point" ||
  fail "backup point said: $(cat "$TMP/point")"
pass "WAL archived into an encrypted pgBackRest repository, a full backup taken by yoyaku backup point"

export YOYAKU_SECURITY_KEYS_DIR="$TMP/keys"
start_server --data "$TMP/data" --database-url "$url" --demo --dev
wait_status /api/v1/public/demo/offerings 200 60
"$BIN" doctor --data "$TMP/data" --database-url "$url" >"$TMP/doctor" 2>&1 || true
grep -q "^ok    recovery: WAL archived, last at" "$TMP/doctor" || fail "doctor on archiving: $(cat "$TMP/doctor")"
pass "doctor sees the WAL archived"

occ=$(demo_occurrence)
first=$(book_demo "$occ" pitr-first) || fail "the first booking"
between=$(psql -c "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
second=$(book_demo "$occ" pitr-second) || fail "the second booking"
has() { psql -c "SELECT count(*) FROM bookings WHERE reference = '$1'"; }
[ "$(has "$first")" = 1 ] && [ "$(has "$second")" = 1 ] || fail "both bookings should be stored"
# The WAL holding both goes to the repository (a full segment, or archive_timeout, in service).
psql -c "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 1 60); do
  [ "$(psql -c "SELECT failed_count = 0 AND last_archived_wal IS NOT NULL AND last_archived_wal >= pg_walfile_name(pg_current_wal_lsn() - 1) FROM pg_stat_archiver")" = t ] && break
  sleep 0.5
done
if grep -a -r -q -F -e "pitr-first" -e "デモ演奏会" "$repo/repo"; then
  fail "a name or address is readable in the pgBackRest repository"
fi
pass "two bookings, the moment between them noted, the WAL archived; nothing readable in the repository"
yb point >"$TMP/point" 2>&1 || fail "incremental backup point: $(cat "$TMP/point")"
yb points >"$TMP/points" 2>&1 || fail "backup points: $(cat "$TMP/points")"
[ "$(grep -cE "	(full|incr)	" "$TMP/points")" = 2 ] && head -1 "$TMP/points" | grep -q "	incr	" &&
  grep -q "^restores to any moment from .* to the last archived WAL (0000000" "$TMP/points" ||
  fail "backup points should list the incremental, then the full backup: $(cat "$TMP/points")"
# Refused: a running cluster (pgBackRest says so), a moment before the first backup.
yb restore --at "$between" >"$TMP/restore" 2>&1 && fail "restore over a running cluster should fail"
grep -q "PostgreSQL is running" "$TMP/restore" || fail "restore over a running cluster: $(cat "$TMP/restore")"
rc=0; yb restore --at 2020-01-01T00:00:00Z >"$TMP/restore" 2>&1 || rc=$?
[ "$rc" = 2 ] && grep -q "^error: at: is before the oldest backup" "$TMP/restore" ||
  fail "restore to before every backup: exit $rc, $(cat "$TMP/restore")"
[ "$(has "$second")" = 1 ] || fail "a refused restore changed the database"
pass "backup points lists the backups and the window; restores over a running cluster or before it refused"

kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
as_pg "$bin/pg_ctl" -D "$TMP/pg/pgdata" -m fast -w stop >/dev/null
start=$(date +%s%N)
yb restore --at "$between" >"$TMP/restore" 2>&1 || fail "restore: $(cat "$TMP/restore")"
grep -q "^restored the cluster of stanza yoyaku to " "$TMP/restore" || fail "restore said: $(cat "$TMP/restore")"
as_pg "$bin/pg_ctl" -D "$TMP/pg/pgdata" -l "$TMP/pg/server.log" -w -t 120 start >/dev/null ||
  fail "PostgreSQL did not start after the restore: $(tail -5 "$TMP/pg/server.log")"
for _ in $(seq 1 120); do [ "$(psql -c "SELECT pg_is_in_recovery()")" = f ] && break; sleep 0.5; done
ms=$((($(date +%s%N) - start) / 1000000))
[ "$(has "$first")" = 1 ] || fail "the first booking should be back"
[ "$(has "$second")" = 0 ] || fail "the second booking was made after the moment restored to"
pass "restored to $between: the first booking there, the second not ($ms ms for restore and replay)"

start_server --data "$TMP/data" --database-url "$url" --dev
wait_status /readyz 200 60
pass "Yoyaku serves the restored database"
