#!/usr/bin/env bash
# Through PgBouncer 1.18 in transaction pooling mode (issue 29): two `yoyaku serve` processes
# with `database.prepared_statements = false` share three server connections through it (their
# own pools hold sixteen); the schema is migrated through it, and a rush of 256 guests on the
# demo concert's 100 seats confirms exactly 100, each reference once. PgBouncer's own counters
# show the transactions went through it and no more than three server connections were used.
source "$(dirname "$0")/common.sh"
command -v pgbouncer >/dev/null || fail "pgbouncer is not installed (scripts/deps.sh test)"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg="$ROOT/scripts/pg-test-server.sh"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
url=$("$pg" start "$TMP/pg" "$(free_port)") || fail "could not start a PostgreSQL test server"
cleanup_hooks+=("'$pg' stop '$TMP/pg'")
pgport=$(sed -n 's|.*:\([0-9]*\)/.*|\1|p' <<<"$url")

# PgBouncer refuses to run as root: as the database's user, its files its own.
bport=$(free_port)
mkdir -p "$TMP/pgb"
cat >"$TMP/pgb/pgbouncer.ini" <<INI
[databases]
yoyaku_test = host=127.0.0.1 port=$pgport dbname=yoyaku_test

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bport
unix_socket_dir =
auth_type = trust
auth_file = $TMP/pgb/users.txt
admin_users = yoyaku
pool_mode = transaction
default_pool_size = 3
max_client_conn = 100
pidfile = $TMP/pgb/pgbouncer.pid
logfile = $TMP/pgb/pgbouncer.log
INI
echo '"yoyaku" ""' >"$TMP/pgb/users.txt"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$TMP/pgb"
as_pg pgbouncer -d "$TMP/pgb/pgbouncer.ini" || fail "pgbouncer did not start"
cleanup_hooks+=("kill \$(cat '$TMP/pgb/pgbouncer.pid')")
admin() { psql -h 127.0.0.1 -p "$bport" -U yoyaku -d pgbouncer -qtAX -F ' ' -c "$1"; }
for _ in $(seq 1 50); do admin "SHOW VERSION" >/dev/null 2>&1 && break; sleep 0.1; done
admin "SHOW VERSION" | grep -q "PgBouncer 1\.1[89]\|PgBouncer 1\.[2-9][0-9]" ||
  fail "not PgBouncer 1.18 or later: $(admin "SHOW VERSION" 2>&1)"
bouncer="postgresql://yoyaku@127.0.0.1:$bport/yoyaku_test"

export YOYAKU_DATABASE_PREPARED_STATEMENTS=false YOYAKU_DATABASE_POOL_SIZE=8
# Every rush comes from this one address: its bookings need no proof-of-work here.
export YOYAKU_SECURITY_FREE_BOOKINGS=1000000000
start_two_servers "$bouncer"
a_port=$PORT b_port=$OTHER_PORT
pass "schema migrated and the demo made through PgBouncer (transaction pooling), two servers ready"

occ=$(demo_occurrence)
xacts_before=$(admin "SHOW STATS" | awk '$1 == "yoyaku_test" {print $2}')
/usr/bin/python3 "$(dirname "$0")/rush.py" "$occ" 256 64 bouncer \
  "http://127.0.0.1:$a_port" "http://127.0.0.1:$b_port" >"$TMP/rush"
ok=$(awk -F'\t' '$2 == 201' "$TMP/rush" | wc -l)
full=$(awk -F'\t' '$2 == 409' "$TMP/rush" | wc -l)
[ "$ok" = 100 ] && [ "$full" = 156 ] ||
  fail "through PgBouncer: $ok confirmed, $full refused of 256 (100 seats): $(awk -F'\t' '$2 != 201 && $2 != 409' "$TMP/rush" | head -3)"
[ "$(awk -F'\t' '$2 == 201 {print $3}' "$TMP/rush" | sort -u | wc -l)" = 100 ] || fail "references repeat"
sold=$(psql -h 127.0.0.1 -p "$pgport" -U postgres -d yoyaku_test -qtAX \
  -c "SELECT count(*) FROM bookings WHERE occurrence_id = $occ AND status = 'confirmed'")
[ "$sold" = 100 ] || fail "the database holds $sold confirmed bookings, not 100"
grep -qi "prepared statement" "$TMP/server.log" "$TMP/b.log" && fail "a prepared statement went missing"
pass "256 guests, 100 seats, two servers through PgBouncer: exactly 100 confirmed, 156 refused"

# PgBouncer's counters: the rush's transactions went through it, on at most three server
# connections while the two servers held more client connections than that.
xacts=$(( $(admin "SHOW STATS" | awk '$1 == "yoyaku_test" {print $2}') - xacts_before ))
[ "$xacts" -ge 256 ] || fail "PgBouncer counted $xacts transactions for the rush"
read -r clients servers < <(admin "SHOW POOLS" | awk '$1 == "yoyaku_test" {print $3 + $4 + $5, $7 + $8 + $9 + $10 + $11}')
[ "$servers" -le 3 ] || fail "PgBouncer used $servers server connections (pool of 3)"
[ "$clients" -gt "$servers" ] || fail "the servers held $clients client connections: nothing was shared"
pass "PgBouncer: $xacts transactions, $clients client connections on $servers server connections"
