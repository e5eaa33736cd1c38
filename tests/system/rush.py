#!/usr/bin/python3
"""Books seats of one occurrence with many concurrent guest requests, spread over servers.

usage: [RUSH_TENANT=code] rush.py OCCURRENCE_ID REQUESTS CONCURRENCY KEY_PREFIX URL [URL ...]
Prints one line per request: key, HTTP status (0 when the connection failed), reference.
"""
import concurrent.futures
import json
import os
import sys
import urllib.error
import urllib.request


# The tenant whose event is booked (the demo tenant unless RUSH_TENANT names another).
TENANT = os.environ.get("RUSH_TENANT", "demo")


def book(url, occurrence, key):
    body = json.dumps({
        "occurrence_id": occurrence,
        "tickets": {"adult": 1},
        "customer": {"name": "Rush Guest", "email": "rush@example.jp"},
    }).encode()
    req = urllib.request.Request(
        url + "/api/v1/public/" + TENANT + "/bookings", data=body, method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r).get("reference", "")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except Exception:
        return 0, ""


def main():
    occurrence, n, concurrency, prefix = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    urls = sys.argv[5:]
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        keys = [f"{prefix}-{i:05d}" for i in range(n)]
        results = pool.map(lambda ik: book(urls[ik[0] % len(urls)], occurrence, ik[1]), enumerate(keys))
        for key, (status, ref) in zip(keys, results):
            print(f"{key}\t{status}\t{ref}", flush=True)


if __name__ == "__main__":
    main()
