#!/usr/bin/env bash
# B9, the paid rush (issue 25): one event of CAPACITY seats paid when booking, on SQLite, with
# Stripe's stand-in (tests/support/stripe_standin.py) as the provider. Waves of guests book;
# each booking holds its seat while the guest is at the checkout; most pay, some walk away (the
# seat goes back and is sold again), some pay after their seat went (the payment is refunded
# in full). It must sell exactly the capacity: every confirmed booking paid once, no seat sold
# twice, every late payment either refunded or confirming a place still free.
#   bench/pay_rush.sh [CAPACITY=500] [CONCURRENCY=64]
set -euo pipefail
cd "$(dirname "$0")/.."
capacity=${1:-500}
conc=${2:-64}
cmake --preset bench >/dev/null
cmake --build --preset bench --target yoyaku pay_seed >/dev/null
bin=build/bench/src/cli/yoyaku
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

key=sk_test_bench_0123456789abcdef hook=whsec_bench_0123456789abcdef
sport=$(free_port)
/usr/bin/python3 tests/support/stripe_standin.py "$sport" "$key" "$hook" >/dev/null 2>&1 &
pids+=($!)
mkdir -p "$tmp/data"
occ=$(build/bench/bench/pay_seed "sqlite:$tmp/data/yoyaku.db" "$tmp/data/keys" "$capacity" "$key" "$hook")
# The load comes from one address: its bookings need no proof-of-work answer here. The
# stand-in speaks plain HTTP on loopback, which only --dev accepts (the firewall stays on).
YOYAKU_SECURITY_FREE_BOOKINGS=1000000000 YOYAKU_PAYMENTS_STRIPE_API_BASE="http://127.0.0.1:$sport" \
  YOYAKU_WAF_MODE=block "$bin" serve --dev --data "$tmp/data" --listen 127.0.0.1:0 2>"$tmp/yoyaku.log" &
pids+=($!)
url="http://127.0.0.1:$(bash scripts/listening-port.sh "$tmp/yoyaku.log" "${pids[1]}")"
curl -s -X POST "http://127.0.0.1:$sport/_standin/webhook_url?url=$url/api/v1/public/pay/payments/stripe/webhook" >/dev/null
result=$(/usr/bin/python3 bench/pay_rush.py "$url" "http://127.0.0.1:$sport" "$occ" "$conc" "$capacity")
sleep 6  # the last abandoned holds are swept
sql() {
  /usr/bin/python3 -c 'import sqlite3,sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print("|".join(str(x) for x in c.execute(sys.argv[2]).fetchone()))' "$tmp/data/yoyaku.db" "$1"
}
IFS='|' read -r confirmed paid_ok taken < <(sql "SELECT
  (SELECT count(*) FROM bookings WHERE occurrence_id = $occ AND status = 'confirmed'),
  (SELECT count(*) FROM bookings WHERE occurrence_id = $occ AND status = 'confirmed' AND payment_state = 'paid' AND paid_jpy = 3000),
  (SELECT taken FROM occurrences WHERE id = $occ)")
refunds=$(sql "SELECT count(*) FROM payments WHERE kind = 'refund' AND amount_jpy = 3000")
late_paid=$(sql "SELECT count(*) FROM bookings b WHERE b.occurrence_id = $occ AND b.status = 'expired' AND EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = b.id AND p.kind = 'refund')")
printf 'B9 paid rush c=%s  %s\n' "$conc" "$result"
printf '   capacity %s: confirmed %s (paid once each: %s), seats taken %s; late payments refunded %s (on lapsed holds: %s)\n' \
  "$capacity" "$confirmed" "$paid_ok" "$taken" "$refunds" "$late_paid"
if [ "$confirmed" = "$capacity" ] && [ "$paid_ok" = "$capacity" ] && [ "$taken" = "$capacity" ] && [ "$refunds" = "$late_paid" ]; then
  echo "   sold exactly the capacity"
else
  echo "   NOT sold exactly the capacity" >&2
  exit 1
fi
