#!/usr/bin/env bash
# B8, data key rotation (ADR 0015): seeds TENANTS tenants through the booking engine
# (bench/booking_seed.cpp; each holds about 22,400 bookings with their queued mails), then times
# `yoyaku keys rotate` over all of it and prints sealed fields re-encrypted per second, beside an
# anchor measured in the same run: a plain sqlite3 program rewriting every booking row, 200 rows a
# transaction (WAL, synchronous=FULL, as the platform), with no crypto and no checks. The ratio
# says what the rotation costs beyond touching every row once. SQLite only.
#   bench/rekey.sh [TENANTS=1]      (PRESET=ci measures the ASan build instead of the bench preset;
#                                    KEEP=1 keeps the temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
tenants=${1:-1}
preset=${PRESET:-bench}
if [ "$preset" = bench ]; then
  cmake --preset bench >/dev/null
  cmake --build --preset bench --target yoyaku booking_seed >/dev/null
fi
bin=build/$preset/src/cli/yoyaku
seed=build/$preset/bench/booking_seed
command -v sqlite3 >/dev/null || { echo "needs sqlite3 (apt-get install sqlite3)" >&2; exit 2; }
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data"
"$seed" "sqlite:$tmp/data/yoyaku.db" "$tmp/data/keys" "$tenants" >/dev/null
cp "$tmp/data/yoyaku.db" "$tmp/anchor.db"

now() { date +%s.%N; }
t0=$(now)
YOYAKU_SECURITY_KEYS_DIR="$tmp/data/keys" "$bin" keys rotate --data "$tmp/data" >"$tmp/out"
t1=$(now)
resealed=$(awk -F'\t' 'NR > 1 && $3 ~ /^[0-9]+$/ { n += $3 } END { print n + 0 }' "$tmp/out")

# The anchor: every booking's sealed customer written back as it is (same length, same page
# writes), 200 rows a transaction, ordered by id as the rotation reads.
{
  echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
  max=$(sqlite3 "$tmp/anchor.db" "SELECT coalesce(max(id), 0) FROM bookings")
  for ((lo = 0; lo < max; lo += 200)); do
    echo "BEGIN; UPDATE bookings SET customer_sealed = substr(customer_sealed, 1), updated_at = updated_at + 1 WHERE id > $lo AND id <= $((lo + 200)); COMMIT;"
  done
} >"$tmp/anchor.sql"
a0=$(now)
sqlite3 "$tmp/anchor.db" <"$tmp/anchor.sql" >/dev/null
a1=$(now)
anchored=$(sqlite3 "$tmp/anchor.db" "SELECT count(*) FROM bookings")

awk -v r="$resealed" -v t="$(echo "$t1 - $t0" | bc)" -v n="$anchored" \
  -v a="$(echo "$a1 - $a0" | bc)" -v p="$preset" 'BEGIN {
  printf "B8 data key rotation (%s build): %d sealed fields re-encrypted (customers, accounts, job payloads) in %.2f s: %.0f fields/s\n", p, r, t, r / t
  printf "   anchor, plain SQLite rewriting %d rows, 200 a transaction: %.2f s: %.0f rows/s\n", n, a, n / a
  printf "   ratio (rotation / anchor): %.2f\n", (r / t) / (n / a)
}'
cat "$tmp/out" | sed 's/^/   /'
