#!/usr/bin/python3
"""B8's last step: after the rush, every seat still free in the hall is booked on its own, one
request each naming the seat, so that the end state is every seat sold exactly once.

Usage: seat_sweep.py URL TENANT OCCURRENCE → prints "SWEPT booked refused seconds".
"""
import json
import sys
import time
import urllib.error
import urllib.request

url, tenant, occurrence = sys.argv[1], sys.argv[2], sys.argv[3]


def call(method, path, body=None, key=None):
    req = urllib.request.Request(url + path, method=method)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    if key:
        req.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(req, data, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, {}


status, seats = call("GET", f"/api/v1/public/{tenant}/occurrences/{occurrence}/seats")
if status != 200:
    sys.exit(f"seats: HTTP {status}")
taken = set(seats["taken"])
free = [
    f"{row['name']}-{seat['number']}"
    for section in seats["layout"]["sections"]
    for row in section["rows"]
    for seat in row["seats"]
    if not seat.get("held") and f"{row['name']}-{seat['number']}" not in taken
]
booked = refused = 0
start = time.monotonic()
for i, seat in enumerate(free):
    status, _ = call(
        "POST",
        f"/api/v1/public/{tenant}/bookings",
        {
            "occurrence_id": int(occurrence),
            "tickets": {"adult": 1},
            "seats": [seat],
            "customer": {"name": "Bench Sweep", "email": "sweep@bench.example"},
        },
        f"sweep-{occurrence}-{seat}-{time.time_ns()}",
    )
    if status == 201:
        booked += 1
    else:
        refused += 1
print(f"SWEPT {booked} {refused} {time.monotonic() - start:.2f}")
