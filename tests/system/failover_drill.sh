#!/usr/bin/env bash
# High availability with real tools (issue 29): PostgreSQL 15 under Patroni with etcd, three
# instances on loopback in synchronous mode; two `yoyaku serve` nodes reach it by a multi-host
# URL with target_session_attrs=read-write. In the middle of a booking rush the leader is
# killed with SIGKILL (its Patroni and its postmaster: the machine is gone). The sync standby
# takes over; every booking answered 201 is there exactly once, nothing is oversold, every other
# answer meanwhile is 503 (retry) or 409 (sold out), and the time without service (kill to the
# next answered booking) is printed.
source "$(dirname "$0")/common.sh"
command -v patroni >/dev/null && command -v etcd >/dev/null ||
  fail "patroni or etcd is not installed (scripts/deps.sh test)"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ha="$TMP/ha"
mkdir -p "$ha/etcd"
etcd_port=$(free_port) peer_port=$(free_port)
declare -a pg_port rest_port
for n in 1 2 3; do pg_port[$n]=$(free_port); rest_port[$n]=$(free_port); done
for n in 1 2 3; do
  cat >"$ha/pg$n.yml" <<YML
scope: yoyaku
name: pg$n
restapi:
  listen: 127.0.0.1:${rest_port[$n]}
  connect_address: 127.0.0.1:${rest_port[$n]}
etcd:
  host: 127.0.0.1:$etcd_port
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        wal_log_hints: "on"
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
  pg_hba:
    - host all all 127.0.0.1/32 trust
    - host replication all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:${pg_port[$n]}
  connect_address: 127.0.0.1:${pg_port[$n]}
  data_dir: $ha/pg$n
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: $ha/pgpass$n
  authentication:
    superuser:
      username: postgres
    replication:
      username: postgres
  parameters:
    unix_socket_directories: $ha
YML
done
[ "$(id -u)" -eq 0 ] && chown -R postgres "$ha"
as_pg etcd --name e1 --data-dir "$ha/etcd/data" --listen-client-urls "http://127.0.0.1:$etcd_port" \
  --advertise-client-urls "http://127.0.0.1:$etcd_port" --listen-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" --initial-cluster "e1=http://127.0.0.1:$peer_port" \
  --enable-v2=true >"$ha/etcd.log" 2>&1 &
cleanup_hooks+=("kill $!")
declare -a patroni_pid
for n in 1 2 3; do
  as_pg patroni "$ha/pg$n.yml" >"$ha/patroni$n.log" 2>&1 &
  patroni_pid[$n]=$!
  cleanup_hooks+=("kill ${patroni_pid[$n]}; sleep 1; pkill -KILL -f '$ha/pg$n' || true")
done
# role N : the member's role from Patroni's REST API (primary, replica; "" when down; Patroni
# 3.0 still says "master" for the primary).
role() { curl -s -m 2 "http://127.0.0.1:${rest_port[$1]}/patroni" | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin).get("role",""); print("primary" if r == "master" else r)' 2>/dev/null || true; }
sync_standby() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:${rest_port[$1]}/sync")" = 200 ]; }
leader="" sync=""
for _ in $(seq 1 120); do
  leader="" sync=""
  for n in 1 2 3; do
    [ "$(role $n)" = primary ] && leader=$n
    sync_standby $n && sync=$n
  done
  [ -n "$leader" ] && [ -n "$sync" ] && break
  sleep 0.5
done
[ -n "$leader" ] && [ -n "$sync" ] || fail "no leader with a sync standby: $(tail -5 "$ha/patroni1.log")"
sql() { psql -h 127.0.0.1 -p "${pg_port[$1]}" -U postgres -d "${2:-postgres}" -qtAX -v ON_ERROR_STOP=1 -c "$3"; }
sql "$leader" postgres "CREATE ROLE yoyaku LOGIN" && sql "$leader" postgres "CREATE DATABASE yoyaku_test OWNER yoyaku" ||
  fail "could not create the role and database"
pass "Patroni: pg$leader leads, pg$sync is its synchronous standby, etcd on loopback"

hosts="127.0.0.1:${pg_port[1]},127.0.0.1:${pg_port[2]},127.0.0.1:${pg_port[3]}"
url="postgresql://yoyaku@$hosts/yoyaku_test?target_session_attrs=read-write&connect_timeout=2"
export YOYAKU_SECURITY_FREE_BOOKINGS=1000000000
start_two_servers "$url"
a_port=$PORT b_port=$OTHER_PORT
occ=$(demo_occurrence)

# The rush: 400 guests for 100 seats, 16 at a time, through both nodes; the leader dies
# after the first 40 answers.
/usr/bin/python3 "$(dirname "$0")/rush.py" "$occ" 400 16 failover \
  "http://127.0.0.1:$a_port" "http://127.0.0.1:$b_port" >"$TMP/rush" &
rush_pid=$!
for _ in $(seq 1 600); do [ "$(wc -l <"$TMP/rush")" -ge 40 ] && break; sleep 0.05; done
killed_at=$(date +%s%N)
postmaster=$(head -1 "$ha/pg$leader/postmaster.pid")
kill -KILL "${patroni_pid[$leader]}" "$postmaster"
pkill -KILL -f "patroni $ha/pg$leader.yml" || true
wait "$rush_pid" || true
# Then book until a booking is confirmed again: the time without service.
back=""
for i in $(seq 1 600); do
  code=$(curl -s -o "$TMP/after" -m 10 -w '%{http_code}' -H 'Content-Type: application/json' \
    -H "Idempotency-Key: after-$i" -X POST "http://127.0.0.1:$a_port/api/v1/public/demo/bookings" \
    -d '{"occurrence_id":'"$occ"',"tickets":{"adult":1},"customer":{"name":"After","email":"after@example.jp"}}' || true)
  if [ "$code" = 201 ] || [ "$code" = 409 ]; then back=$(date +%s%N); break; fi
  sleep 0.1
done
[ -n "$back" ] || fail "no booking answered within 60 s of the leader's death"
outage_ms=$(((back - killed_at) / 1000000))
new_leader=""
for n in 1 2 3; do [ "$n" != "$leader" ] && [ "$(role $n)" = primary ] && new_leader=$n; done
[ "$new_leader" = "$sync" ] || fail "the new leader is pg${new_leader:-?}, not the sync standby pg$sync"

ok=$(awk -F'\t' '$2 == 201' "$TMP/rush" | wc -l)
[ "$ok" -gt 0 ] || fail "no booking was confirmed in the rush"
awk -F'\t' '$2 == 201 {print $3}' "$TMP/rush" | sort >"$TMP/acked"
sql "$new_leader" yoyaku_test "SELECT reference FROM bookings WHERE occurrence_id = $occ AND status = 'confirmed' ORDER BY 1" |
  sort >"$TMP/stored"
missing=$(comm -23 "$TMP/acked" "$TMP/stored" | wc -l)
[ "$missing" = 0 ] || fail "$missing bookings answered 201 are gone after the failover: $(comm -23 "$TMP/acked" "$TMP/stored" | head -3)"
[ "$(sort -u "$TMP/acked" | wc -l)" = "$ok" ] || fail "a reference was answered twice"
sold=$(wc -l <"$TMP/stored")
taken=$(sql "$new_leader" yoyaku_test "SELECT taken FROM occurrences WHERE id = $occ")
[ "$sold" -le 100 ] && [ "$taken" = "$sold" ] || fail "oversold or miscounted: $sold confirmed, $taken seats taken of 100"
# Between the death and the new leader a request is told to retry (503), never anything else.
odd=$(awk -F'\t' '$2 != 201 && $2 != 409 && $2 != 503' "$TMP/rush" | head -3)
[ -z "$odd" ] || fail "answers other than 201, 409 or 503 during the failover: $odd"
answers=$(awk -F'\t' '{print $2}' "$TMP/rush" | sort | uniq -c | awk '{printf "%s%s×%s", sep, $2, $1; sep=" "}')
pass "failover: pg$leader killed mid-rush, pg$new_leader (the sync standby) leads; all $ok confirmed bookings survived (answers: $answers), $sold of 100 seats sold, $taken counted"
pass "time without service: $outage_ms ms (kill -9 of the leader to the next answered booking)"
