#!/usr/bin/env bash
# B2–B7, the booking benchmarks of the performance plan (§4), on SQLite and/or PostgreSQL, each
# figure beside the raw-database anchor measured on this machine in the same run (interleaved,
# median of 3 where the plan asks for it) and the ratio. Loopback only; every load is bounded by
# time or by a request count.
#   bench/booking.sh [sqlite|postgres|both] [SECONDS=10] [TENANTS=10]
#   environment: WAF=off serves without the web application firewall (with --dev, as it must);
#   SKIP_B2=1 skips B2; ONLY_B3=1 stops after B3; ONLY_B8=1 runs the seat rush alone; PERF=FILE records the server with perf
#   (call graphs) through the first B3 load at PERF_C clients (1, 8 or 64; 1 unless set) into
#   FILE (then: perf report -i FILE --no-children).
#
# Data (bench/booking_seed.cpp, through the booking engine): TENANTS tenants × 100 staff
# appointment offerings, a third of 28 days of hourly slots booked; in bench1 an event "spread"
# (10,000 occurrences that never sell out), nine "rush" events (10 × 1000 seats) and "race"
# (50 × 1 seat). Anchors: bench/sqlite_anchor.cpp (SQLite), pgbench with bench/pg/*.sql.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}
secs=${2:-10}
tenants=${3:-10}
command -v wrk >/dev/null && [ -x /usr/lib/postgresql/15/bin/pgbench ] || bash scripts/deps.sh test
cmake --preset bench >/dev/null
cmake --build --preset bench --target yoyaku booking_seed sqlite_anchor >/dev/null
bin=build/bench/src/cli/yoyaku
seed=build/bench/bench/booking_seed
anchor=build/bench/bench/sqlite_anchor
pgbin=/usr/lib/postgresql/15/bin
here=$(pwd)

tmp=$(mktemp -d)
chmod 755 "$tmp"
ypid=""
pgdir=""
cleanup() {
  [ -n "$ypid" ] && kill -TERM "$ypid" 2>/dev/null || true
  [ -n "$pgdir" ] && bash "$here/scripts/pg-test-server.sh" stop "$pgdir" || true
  rm -rf "$tmp"
}
trap cleanup EXIT

median() { sort -g | sed -n 2p; }
# PostgreSQL's tools refuse root: run them as the postgres system user when we are root.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# wrk's Lua: status counts summed over threads, printed as "COUNTS ok conflict server other".
cat >"$tmp/count.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  ok = 0; conflict = 0; server = 0; other = 0; got = 0
  math.randomseed(os.time() + tonumber(string.sub(tostring({}), 8), 16))
  tag = os.getenv("RUN") .. "-" .. math.random(1, 1000000000)
  n = 0
end
function response(status, headers, body)
  if status == 200 then got = got + 1
  elseif status == 201 then ok = ok + 1
  elseif status == 409 then conflict = conflict + 1
  elseif status >= 500 then server = server + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local t = { got = 0, ok = 0, conflict = 0, server = 0, other = 0 }
  for _, th in ipairs(threads) do for k in pairs(t) do t[k] = t[k] + th:get(k) end end
  io.write(string.format("COUNTS %d %d %d %d %d\n", t.got, t.ok, t.conflict, t.server, t.other))
end
local tenant = os.getenv("TENANT")
local first = tonumber(os.getenv("FIRST"))
local day0 = tonumber(os.getenv("DAY0"))
local occ_first = tonumber(os.getenv("OCC_FIRST"))
local occ_count = tonumber(os.getenv("OCC_COUNT"))
local share = tonumber(os.getenv("BOOK_SHARE"))  -- 0: availability only, 1: bookings only
local tickets = tonumber(os.getenv("TICKETS") or "1")
-- B8: the share of bookings that name two seats side by side (bench1's "seated" hall: rows
-- R1…R40 of 50 seats, an aisle after the 25th); the others ask for the best available.
local pick = tonumber(os.getenv("SEATED_PICK") or "0")
local function chosen_seats()
  if pick == 0 or math.random() >= pick then return "" end
  local row, first = math.random(1, 40), math.random(1, 48)
  if first >= 25 then first = first + 1 end  -- never across the aisle (25 | 26)
  return ',"seats":["R' .. row .. '-' .. first .. '","R' .. row .. '-' .. (first + 1) .. '"]'
end
local function availability()
  local w = math.random(0, 3)
  return wrk.format("GET", "/api/v1/public/" .. tenant .. "/offerings/" .. (first + math.random(0, 99)) ..
    "/availability?from=" .. os.date("!%Y-%m-%d", day0 + w * 604800) ..
    "&to=" .. os.date("!%Y-%m-%d", day0 + w * 604800 + 6 * 86400))
end
local function booking()
  n = n + 1
  local body = '{"occurrence_id":' .. (occ_first + math.random(0, occ_count - 1)) ..
    ',"tickets":{"adult":' .. tickets .. '}' .. chosen_seats() ..
    ',"customer":{"name":"Bench Guest","email":"guest@bench.example"}}'
  return wrk.format("POST", "/api/v1/public/" .. tenant .. "/bookings",
    { ["Content-Type"] = "application/json", ["Idempotency-Key"] = "b-" .. tag .. "-" .. n }, body)
end
request = function()
  if math.random() < share then return booking() end
  return availability()
end
LUA

# wrk → "req/s p50 p99 got ok conflict 5xx other"
load() {  # CONNECTIONS SECONDS SHARE OCC_FIRST OCC_COUNT
  RUN="$RANDOM$RANDOM" TENANT=bench1 FIRST="$first" DAY0="$day0" BOOK_SHARE="$3" OCC_FIRST="$4" \
    OCC_COUNT="$5" wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$2s" --timeout 10s --latency -s "$tmp/count.lua" "$url" 2>/dev/null |
    awk '/Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
         /^COUNTS/ { c = $2 " " $3 " " $4 " " $5 " " $6 }
         END { print rps, p50, p99, c }'
}

start_server() {
  # The load comes from one address: its bookings need no proof-of-work answer here.
  # On PostgreSQL the owner migrates and a role that owns no table serves (README).
  local waf=()
  [ "${WAF:-block}" = off ] && waf=(--dev)
  YOYAKU_SECURITY_FREE_BOOKINGS=1000000000 YOYAKU_DATABASE_OWNER_URL="$dburl" YOYAKU_WAF_MODE="${WAF:-block}" \
    "$bin" serve "${waf[@]}" --data "$tmp/data" --listen 127.0.0.1:0 ${dburl:+--database-url "${dburl/yoyaku@/yoyaku_app@}"} \
    2>"$tmp/yoyaku.log" &
  ypid=$!
  local port
  port=$(bash scripts/listening-port.sh "$tmp/yoyaku.log" "$ypid")
  url="http://127.0.0.1:$port"
}

sql() {  # one query → its rows ("|" between columns), on the platform's database
  if [ "$backend" = sqlite ]; then
    /usr/bin/python3 -c 'import sqlite3,sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for r in c.execute(sys.argv[2]): print("|".join(str(x) for x in r))' "$tmp/data/yoyaku.db" "$1"
  else
    as_pg "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d yoyaku_test -qtAX -c "$1"
  fi
}
pga() {  # psql on the anchor database
  as_pg "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d anchor -qtAX -v ON_ERROR_STOP=1 "$@"
}
pgbench_tps() {  # CLIENTS SECONDS SCRIPT [ARGS] → tps
  as_pg "$pgbin/pgbench" -h 127.0.0.1 -p "$pgport" -U postgres -n -M prepared \
    -T "$2" -c "$1" -j 2 -f "$3" "${@:4}" anchor 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p' | cut -d. -f1
}
pg_reset() {  # NSLOTS CAPACITY
  pga -c "TRUNCATE bookings; DELETE FROM slots;
          INSERT INTO slots SELECT i, 1, i, 0, $2, 0 FROM generate_series(1, $1) i;"
}

rush_check() {  # FIRST_OCCURRENCE → "confirmed sellout_s bad"
  local a=$1 b=$(($1 + 9))
  local n span bad
  n=$(sql "SELECT count(*) FROM bookings WHERE occurrence_id BETWEEN $a AND $b AND status = 'confirmed'")
  span=$(sql "SELECT max(created_at) - min(created_at) FROM bookings WHERE occurrence_id BETWEEN $a AND $b")
  bad=$(sql "SELECT count(*) FROM occurrences o WHERE o.id BETWEEN $a AND $b AND (o.taken > o.capacity
             OR o.taken <> (SELECT count(*) FROM bookings x WHERE x.occurrence_id = o.id AND x.status = 'confirmed'))")
  echo "$n $(awk -v us="$span" 'BEGIN { printf "%.2f", us / 1e6 }') $bad"
}

# B8: seat rush — 64 clients book pairs for SECONDS in a hall of 2,000 numbered seats, half
# naming two seats side by side, half asking for the best available; then every seat still free
# is booked on its own (bench/seat_sweep.py). Checked: every seat sold exactly once, no seat
# twice, and the seat rows, the occurrence's count and the live tickets agree. Beside it, the
# same rush on 2,000 places counted without a map ("unassigned").
seat_rush() {
  local yl sold distinct taken tickets span rush_sold swept bad pl psold pspan
  yl=$(TICKETS=2 SEATED_PICK=0.5 load 64 "$secs" 1 "$seated" 1)
  rush_sold=$(sql "SELECT count(*) FROM occurrence_seats WHERE occurrence_id = $seated")
  swept=$(/usr/bin/python3 bench/seat_sweep.py "$url" bench1 "$seated" | sed -n 's/^SWEPT //p')
  sold=$(sql "SELECT count(*) FROM occurrence_seats WHERE occurrence_id = $seated")
  distinct=$(sql "SELECT count(DISTINCT seat) FROM occurrence_seats WHERE occurrence_id = $seated")
  taken=$(sql "SELECT taken FROM occurrences WHERE id = $seated")
  tickets=$(sql "SELECT count(*) FROM tickets WHERE occurrence_id = $seated AND revoked_at IS NULL AND seat <> ''")
  # The rush's pairs only (the sweep books single seats after it).
  span=$(sql "SELECT max(created_at) - min(created_at) FROM bookings WHERE occurrence_id = $seated AND seats = 2")
  bad=$(( (sold != 2000) + (sold != distinct) + (sold != taken) + (sold != tickets) ))
  printf 'B8 seat rush c=64  rush sold %s of 2000 (half named, half best available) in %s s (%s seats/s)  p50/p99 %s/%s  409 %s 5xx %s\n' \
    "$rush_sold" "$(awk -v us="$span" 'BEGIN { printf "%.2f", us / 1e6 }')" \
    "$(awk -v n="$rush_sold" -v us="$span" 'BEGIN { printf "%.0f", (us > 0 ? n / (us / 1e6) : 0) }')" \
    "$(echo "$yl" | cut -d' ' -f2)" "$(echo "$yl" | cut -d' ' -f3)" "$(echo "$yl" | cut -d' ' -f6)" "$(echo "$yl" | cut -d' ' -f7)"
  printf 'B8 sweep  booked/refused/seconds %s  end: sold %s of 2000, distinct %s, counted %s, tickets %s  not exactly once: %s\n' \
    "$swept" "$sold" "$distinct" "$taken" "$tickets" "$bad"
  pl=$(TICKETS=2 load 64 "$secs" 1 "$unassigned" 1)
  psold=$(sql "SELECT taken FROM occurrences WHERE id = $unassigned")
  pspan=$(sql "SELECT max(created_at) - min(created_at) FROM bookings WHERE occurrence_id = $unassigned")
  printf 'B8 unassigned rush c=64  sold %s of 2000 in %s s (%s places/s)  p50/p99 %s/%s  5xx %s  seated/unassigned time %s\n' \
    "$psold" "$(awk -v us="$pspan" 'BEGIN { printf "%.2f", us / 1e6 }')" \
    "$(awk -v n="$psold" -v us="$pspan" 'BEGIN { printf "%.0f", (us > 0 ? n / (us / 1e6) : 0) }')" \
    "$(echo "$pl" | cut -d' ' -f2)" "$(echo "$pl" | cut -d' ' -f3)" "$(echo "$pl" | cut -d' ' -f7)" \
    "$(awk -v a="$span" -v b="$pspan" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
}

run_backend() {
  backend=$1
  dburl=""
  rm -rf "$tmp/data" && mkdir -p "$tmp/data"
  if [ "$backend" = postgres ]; then
    pgdir="$tmp/pg"
    dburl=$(bash scripts/pg-test-server.sh start "$pgdir" $((40000 + RANDOM % 10000)))
    pgport=$(echo "$dburl" | sed 's/.*:\([0-9]*\)\/.*/\1/')
    as_pg "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -qtAX \
      -c "CREATE DATABASE anchor" >/dev/null
    pga -f bench/pg/schema.sql >/dev/null
  fi
  echo "== $backend: seeding $tenants tenants"
  local t0=$SECONDS
  "$seed" "${dburl:-sqlite:$tmp/data/yoyaku.db}" "$tmp/data/keys" "$tenants" >"$tmp/seed.json" 2>"$tmp/seed.log" ||
    { cat "$tmp/seed.log" >&2; exit 1; }
  echo "   seeded in $((SECONDS - t0)) s: $(tail -1 "$tmp/seed.log")"
  read -r first spread day0 seated unassigned race rushes < <(/usr/bin/python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(d["first_offering"], d["spread"], d["day0"], d["seated"], d["unassigned"], ",".join(map(str, d["race"])), " ".join(map(str, d["rush"])))' "$tmp/seed.json")
  read -ra rush <<<"$rushes"
  start_server
  bytes=$(curl -s "$url/api/v1/public/bench1/offerings/$first/availability?from=$(date -u -d "@$day0" +%F)&to=$(date -u -d "@$((day0 + 6 * 86400))" +%F)" | wc -c)

  if [ -n "${ONLY_B8:-}" ]; then seat_rush; kill -TERM "$ypid" 2>/dev/null; wait "$ypid" 2>/dev/null || true; ypid=""; return; fi

  if [ -z "${SKIP_B2:-}" ]; then
  # B2: availability, one resource, one week (A/B with the anchor, median of 3).
  local y=() a=() yl=""
  for _ in 1 2 3; do
    yl=$(load 64 "$secs" 0 0 1); y+=("$(echo "$yl" | cut -d' ' -f1)")
    if [ "$backend" = sqlite ]; then a+=("$("$anchor" "$tmp" avail 5 | cut -d' ' -f2)")
    else a+=("$(pgbench_tps 8 5 bench/pg/avail.sql)"); fi
  done
  local ym am
  ym=$(printf '%s\n' "${y[@]}" | median); am=$(printf '%s\n' "${a[@]}" | median)
  printf 'B2 availability  %8.0f req/s (%s)  p50/p99 %s/%s  %s bytes  | anchor %s q/s (%s)  ratio %s\n' \
    "$ym" "${y[*]}" "$(echo "$yl" | cut -d' ' -f2)" "$(echo "$yl" | cut -d' ' -f3)" "$bytes" \
    "$am" "${a[*]}" "$(ratio "$ym" "$am")"
  fi

  # B3: booking spread over 10,000 occurrences that never sell out, c = 1, 8, 64.
  for c in 1 8 64; do
    y=(); a=()
    local reps=1; [ "$c" = 64 ] && reps=3
    for _ in $(seq 1 $reps); do
      local perf_pid=""
      if [ -n "${PERF:-}" ] && [ "$c" = "${PERF_C:-1}" ] && [ ! -e "$tmp/perf.done" ]; then
        touch "$tmp/perf.done"
        perf record -q -F 250 --call-graph dwarf,16384 -p "$ypid" -o "$PERF" 2>/dev/null & perf_pid=$!
      fi
      yl=$(load "$c" "$secs" 1 "$spread" 10000)
      [ -z "$perf_pid" ] || { kill -INT "$perf_pid"; wait "$perf_pid" || true; }
      y+=("$(echo "$yl" | awk '{ print $5 / '"$secs"' }')")
      if [ "$backend" = sqlite ]; then a+=("$("$anchor" "$tmp" book 5 | cut -d' ' -f2)")
      else pg_reset 10000 1000000; a+=("$(pgbench_tps "$c" 5 bench/pg/book.sql -D nslots=10000)"); fi
    done
    ym=$(printf '%s\n' "${y[@]}" | sort -g | sed -n "$(( (${#y[@]} + 1) / 2 ))p")
    am=$(printf '%s\n' "${a[@]}" | sort -g | sed -n "$(( (${#a[@]} + 1) / 2 ))p")
    printf 'B3 spread c=%-3s  %8.0f bookings/s (%s)  p50/p99 %s/%s  409 %s 5xx %s  | anchor %s/s  ratio %s\n' \
      "$c" "$ym" "${y[*]}" "$(echo "$yl" | cut -d' ' -f2)" "$(echo "$yl" | cut -d' ' -f3)" \
      "$(echo "$yl" | cut -d' ' -f6)" "$(echo "$yl" | cut -d' ' -f7)" "$am" "$(ratio "$ym" "$am")"
  done

  [ -n "${ONLY_B3:-}" ] && { kill -TERM "$ypid" 2>/dev/null; wait "$ypid" 2>/dev/null || true; ypid=""; return; }

  # B4: ticket rush, 10 × 1000 seats, hammered for SECONDS (three events at 64, one at 512).
  local k=0
  for c in 64 64 64 512; do
    yl=$(load "$c" "$secs" 1 "${rush[$k]}" 10)
    read -r sold span bad < <(rush_check "${rush[$k]}")
    if [ "$backend" = sqlite ]; then an=$("$anchor" "$tmp" rush | cut -d' ' -f2)
    else
      pg_reset 10 1000
      pgbench_tps 64 10 bench/pg/book.sql -D nslots=10 >/dev/null
      an=$(pga -c "SELECT round(extract(epoch FROM max(created_at) - min(created_at))::numeric, 2) FROM bookings")
    fi
    # Compared as selling rates (seats per second): a run that does not sell out in SECONDS
    # still has one.
    local rate arate
    rate=$(awk -v n="$sold" -v s="$span" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
    arate=$(awk -v s="$an" 'BEGIN { printf "%.0f", (s > 0 ? 10000 / s : 0) }')
    printf 'B4 rush c=%-3s    sold %s in %s s (%s/s)  oversold/inconsistent %s  p50/p99 %s/%s  409 %s 5xx %s  | anchor 10000 in %s s (%s/s)  ratio %s\n' \
      "$c" "$sold" "$span" "$rate" "$bad" "$(echo "$yl" | cut -d' ' -f2)" "$(echo "$yl" | cut -d' ' -f3)" \
      "$(echo "$yl" | cut -d' ' -f6)" "$(echo "$yl" | cut -d' ' -f7)" "$an" "$arate" "$(ratio "$rate" "$arate")"
    k=$((k + 1))
  done

  # B5: same-slot race, 64 requests released together, 50 rounds on fresh one-seat occurrences.
  echo "B5 race          $(/usr/bin/python3 bench/race.py "$url" bench1 64 ${race//,/ })"

  # B6: 90 % availability / 10 % spread bookings, c = 64, three times SECONDS.
  yl=$(load 64 $((secs * 3)) 0.1 "$spread" 10000)
  echo "$yl" | awk -v s=$((secs * 3)) '{ printf "B6 mix           %.0f availability/s + %.0f bookings/s  p50/p99 %s/%s  5xx %s\n", $4 / s, $5 / s, $2, $3, $7 }'

  seat_rush

  # B7: kill -9 mid-rush (three times), restart, every confirmed booking is there once and its
  # key replays it.
  for k in 4 5 6; do
    RUSH_TENANT=bench1 /usr/bin/python3 tests/system/rush.py "${rush[$k]}" 3000 64 "crash$k" "$url" >"$tmp/rush1" &
    local rp=$!
    sleep 0.6
    kill -9 "$ypid"; wait "$ypid" 2>/dev/null || true; ypid=""
    wait "$rp" || true
    start_server
    RUSH_TENANT=bench1 /usr/bin/python3 tests/system/rush.py "${rush[$k]}" 3000 64 "crash$k" "$url" >"$tmp/rush2"
    read -r acked lost changed < <(/usr/bin/python3 - "$tmp/rush1" "$tmp/rush2" <<'PY'
import sys
first = {l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(sys.argv[1])}
again = {l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(sys.argv[2])}
acked = [k for k, v in first.items() if v[1] == "201"]
lost = sum(1 for k in acked if again.get(k, ["", ""])[1] != "201")
changed = sum(1 for k in acked if again.get(k, ["", "", ""])[2] != first[k][2])
print(len(acked), lost, changed)
PY
)
    read -r sold _ bad < <(rush_check "${rush[$k]}")
    echo "B7 crash #$((k - 3))       $acked answered 201 before kill -9: $lost missing after restart, $changed replayed differently; $sold confirmed in all, oversold/inconsistent $bad"
  done
  kill -TERM "$ypid" 2>/dev/null || true; wait "$ypid" 2>/dev/null || true; ypid=""
  if [ -n "$pgdir" ]; then bash scripts/pg-test-server.sh stop "$pgdir"; pgdir=""; fi
}

echo "machine: $(nproc) cores, $(uname -r); commit $(git rev-parse --short HEAD 2>/dev/null || echo -); load ${secs}s; SQLite WAL synchronous=FULL; PostgreSQL synchronous_commit=on"
case "$which" in
  sqlite) run_backend sqlite ;;
  postgres) run_backend postgres ;;
  both) run_backend sqlite; run_backend postgres ;;
  *) echo "usage: bench/booking.sh [sqlite|postgres|both] [SECONDS] [TENANTS]" >&2; exit 2 ;;
esac
