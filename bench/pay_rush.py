#!/usr/bin/python3
"""The paid rush's customers (bench/pay_rush.sh): waves of guests book one seat each of an event
paid when booking; each booking is a hold awaiting its payment, and its guest then, through the
Stripe stand-in, pays (7 in 10), walks away from the checkout (2 in 10: it expires, the places go
back at once) or pays so late that the places went first (1 in 10: refunded, or the place taken
again). Waves go on until one books nothing. Prints one JSON line: requests, holds, outcomes,
the booking requests' p50/p99 in ms and the seconds to sell out.

usage: pay_rush.py URL STRIPE_URL OCCURRENCE CONCURRENCY WAVE_SIZE
"""
import concurrent.futures
import json
import sys
import time
import urllib.error
import urllib.request

URL, STRIPE, OCC, CONC, WAVE = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])


def post(url, body, headers=None):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, {}
    except Exception:
        return 0, {}


def customer(n):
    t0 = time.monotonic()
    status, b = post(f"{URL}/api/v1/public/pay/bookings",
                     {"occurrence_id": OCC, "tickets": {"adult": 1},
                      "customer": {"name": "Rush Payer", "email": f"payer{n}@bench.example"}},
                     {"Idempotency-Key": f"payrush-{n}"})
    ms = (time.monotonic() - t0) * 1000
    if status != 201:
        return status, ms, None
    session = b["checkout"]["url"].rsplit("/", 1)[1]
    action = {7: "expire", 8: "expire", 9: "pay_late"}.get(n % 10, "pay")
    code, answer = post(f"{STRIPE}/_standin/sessions/{session}/{action}", {})
    outcome = [d.get("body", "") for d in answer.get("deliveries", [])]
    outcome = [json.loads(x).get("outcome", "?") if x else "?" for x in outcome]
    return status, ms, (action, outcome[-1] if outcome else f"stand-in {code}")


def main():
    latencies, statuses, outcomes = [], {}, {}
    start, n, sold_out_at = time.monotonic(), 0, None
    with concurrent.futures.ThreadPoolExecutor(CONC) as pool:
        for _ in range(40):
            wave = list(pool.map(customer, range(n, n + WAVE)))
            n += WAVE
            booked = 0
            for status, ms, result in wave:
                latencies.append(ms)
                statuses[status] = statuses.get(status, 0) + 1
                if result:
                    booked += 1
                    key = f"{result[0]}:{result[1]}"
                    outcomes[key] = outcomes.get(key, 0) + 1
            if booked == 0:
                break
            sold_out_at = time.monotonic() - start
            time.sleep(6)  # the hold sweep (every 5 s) gives abandoned places back
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)
    print(json.dumps({"requests": n, "statuses": statuses, "outcomes": outcomes,
                      "p50_ms": pick(0.5), "p99_ms": pick(0.99),
                      "sold_out_s": round(sold_out_at or 0, 1)}))


main()
