#!/usr/bin/python3
"""A webhook receiver for tests. Verifies each delivery's signature with the algorithm the
Standard Webhooks specification publishes (independently of the server's code):
    signed = f"{webhook-id}.{webhook-timestamp}.{body}"
    v1 = base64(HMAC-SHA256(base64decode(secret without "whsec_"), signed))
and appends one JSON line per request to OUT: id, timestamp, valid, body, and the path,
Authorization and X-Line-Retry-Key (it stands in for the LINE Messaging API too). The secret is read
from SECRET_FILE at each request (the test learns it after the receiver starts). The first
FAIL_FIRST requests are answered 500.

usage: webhook_receiver.py PORT SECRET_FILE OUT FAIL_FIRST
"""
import base64
import hashlib
import hmac
import http.server
import json
import sys

PORT, SECRET_FILE, OUT, FAIL_FIRST = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
seen = 0


def verify(headers, body):
    try:
        secret = open(SECRET_FILE).read().strip()
    except OSError:
        return False
    if not secret.startswith("whsec_"):
        return False
    key = base64.b64decode(secret[len("whsec_"):])
    signed = f"{headers.get('webhook-id')}.{headers.get('webhook-timestamp')}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for sig in (headers.get("webhook-signature") or "").split(" "):
        version, _, value = sig.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        record = {
            "id": self.headers.get("webhook-id"),
            "timestamp": self.headers.get("webhook-timestamp"),
            "valid": verify(self.headers, body),
            "body": json.loads(body),
            "path": self.path,
            "authorization": self.headers.get("Authorization"),
            "retry_key": self.headers.get("X-Line-Retry-Key"),
        }
        with open(OUT, "a") as f:
            f.write(json.dumps(record) + "\n")
        seen += 1
        self.send_response(500 if seen <= FAIL_FIRST else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
