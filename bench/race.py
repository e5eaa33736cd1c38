#!/usr/bin/python3
"""B5, the same-slot race: for each occurrence (one seat), N identical booking requests released
at once by a barrier; prints how many rounds had exactly one winner.

usage: race.py URL TENANT_CODE N OCCURRENCE_ID [OCCURRENCE_ID ...]
"""
import http.client
import json
import sys
import threading
import urllib.parse


def main():
    url, tenant, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    occurrences = [int(x) for x in sys.argv[4:]]
    host = urllib.parse.urlparse(url)
    exact, most, errors = 0, 0, 0
    for r, occ in enumerate(occurrences):
        # Connections open before the barrier, so the requests leave together.
        conns = [http.client.HTTPConnection(host.hostname, host.port, timeout=30) for _ in range(n)]
        for c in conns:
            c.connect()
        barrier = threading.Barrier(n)
        statuses = [0] * n

        def one(i):
            body = json.dumps({"occurrence_id": occ, "tickets": {"adult": 1},
                               "customer": {"name": "Race", "email": f"race{i}@bench.example"}})
            barrier.wait()
            try:
                conns[i].request("POST", f"/api/v1/public/{tenant}/bookings", body,
                                 {"Content-Type": "application/json",
                                  "Idempotency-Key": f"race-{r}-{i:03d}-{occ}"})
                statuses[i] = conns[i].getresponse().status
            except Exception:
                statuses[i] = 0

        threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for c in conns:
            c.close()
        winners = statuses.count(201)
        errors += sum(1 for s in statuses if s not in (201, 409))
        exact += winners == 1
        most = max(most, winners)
    print(f"rounds {len(occurrences)} one_winner {exact} most_winners {most} errors {errors}")


if __name__ == "__main__":
    main()
