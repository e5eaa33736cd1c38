#!/usr/bin/python3
"""A stand-in for Zoom, for tests and labs (the real service cannot be reached from here).

It implements the part of Zoom's documented APIs that Yoyaku uses, as Zoom documents them
(developers.zoom.us: Server-to-Server OAuth; Meetings API v2):
  POST /oauth/token             Authorization: Basic base64(client_id:client_secret), form (or
                                query) grant_type=account_credentials, account_id → access_token,
                                token_type bearer, expires_in 3599, scope, api_url; a wrong
                                client → 400 {"reason", "error": "invalid_client"}
  POST /v2/users/me/meetings    Authorization: Bearer <token>, JSON {topic (≤ 200), type 2,
                                start_time "yyyy-MM-ddTHH:mm:ssZ", duration (minutes > 0),
                                timezone, settings} → 201 the meeting: id, uuid, topic, type,
                                start_time, duration, timezone, join_url (https, with pwd),
                                password, settings
  GET  /v2/meetings/ID          the meeting
  PATCH /v2/meetings/ID         {topic?, start_time?, duration?, timezone?} → 204
  DELETE /v2/meetings/ID        → 204
with Zoom's error shapes ({"code": 124, "message": "Invalid access token."} on 401,
{"code": 3001, "message": "Meeting does not exist: ID."} on 404, {"code": 300, ...} on 400).

Test controls (no such thing at Zoom) live under /_standin/: the meetings held, the number of
token requests, revoke every token issued, answer the next API calls with a status.

usage: zoom_standin.py PORT ACCOUNT_ID CLIENT_ID CLIENT_SECRET
"""
import base64
import http.server
import json
import re
import secrets
import sys
import threading
import urllib.parse

PORT, ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
lock = threading.Lock()
state = {"tokens": set(), "token_requests": 0, "meetings": {}, "next_id": 81234567890,
         "fail": [], "deleted": []}
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def meeting_problem(m, creating):
    if not isinstance(m, dict):
        return "Request Body should be a valid JSON object."
    if "topic" in m and (not isinstance(m["topic"], str) or len(m["topic"]) > 200):
        return "Invalid field: topic"
    if creating and m.get("type") not in (1, 2, 3, 8):
        return "Invalid field: type"
    if (creating or "start_time" in m) and not (isinstance(m.get("start_time"), str)
                                                and TIME.match(m["start_time"])):
        return "Invalid field: start_time"
    if (creating or "duration" in m) and not (isinstance(m.get("duration"), int)
                                              and 0 < m["duration"] <= 24 * 60 * 30):
        return "Invalid field: duration"
    if "settings" in m and not isinstance(m["settings"], dict):
        return "Invalid field: settings"
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode(errors="replace") if n else ""

    def control(self, what, q):
        if what == "meetings":
            return 200, {"meetings": list(state["meetings"].values()),
                         "deleted": state["deleted"]}
        if what == "token_requests":
            return 200, {"count": state["token_requests"]}
        if what == "revoke":
            state["tokens"].clear()
            return 200, {"ok": True}
        if what == "fail":
            state["fail"] += [int(q["status"])] * int(q.get("times", "1"))
            return 200, {"ok": True}
        return 404, {"message": "no such control"}

    def token(self, q, form):
        auth = self.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        params = dict(q)
        params.update(form)
        if auth != expected:
            return 400, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
        if params.get("grant_type") != "account_credentials":
            return 400, {"reason": "unsupported grant type", "error": "unsupported_grant_type"}
        if params.get("account_id") != ACCOUNT_ID:
            return 400, {"reason": "Invalid account_id", "error": "invalid_request"}
        issued = secrets.token_urlsafe(32)
        state["tokens"].add(issued)
        state["token_requests"] += 1
        return 200, {"access_token": issued, "token_type": "bearer", "expires_in": 3599,
                     "scope": "meeting:write:meeting:admin meeting:update:meeting:admin "
                              "meeting:delete:meeting:admin",
                     "api_url": f"http://127.0.0.1:{PORT}"}

    def api(self, method, path, raw):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in state["tokens"]:
            return 401, {"code": 124, "message": "Invalid access token."}
        if state["fail"]:
            return state["fail"].pop(0), {"code": 429, "message": "Too many requests."}
        try:
            m = json.loads(raw) if raw else {}
        except ValueError:
            return 400, {"code": 300, "message": "Request Body should be a valid JSON object."}
        if method == "POST" and path == "/v2/users/me/meetings":
            problem = meeting_problem(m, True)
            if problem:
                return 400, {"code": 300, "message": problem}
            mid = state["next_id"]
            state["next_id"] += 1
            pwd = secrets.token_urlsafe(12)
            meeting = {"id": mid, "uuid": secrets.token_urlsafe(16), "host_id": "standin-host",
                       "topic": m.get("topic", "Zoom Meeting"), "type": m["type"],
                       "start_time": m["start_time"], "duration": m["duration"],
                       "timezone": m.get("timezone", "UTC"), "password": pwd[:10],
                       "join_url": f"https://zoom-standin.example/j/{mid}?pwd={pwd}",
                       "settings": m.get("settings", {})}
            state["meetings"][str(mid)] = meeting
            return 201, meeting
        found = re.match(r"^/v2/meetings/(\d+)$", path)
        if not found:
            return 404, {"code": 404, "message": "No such API."}
        mid = found.group(1)
        meeting = state["meetings"].get(mid)
        if meeting is None:
            return 404, {"code": 3001, "message": f"Meeting does not exist: {mid}."}
        if method == "GET":
            return 200, meeting
        if method == "PATCH":
            problem = meeting_problem(m, False)
            if problem:
                return 400, {"code": 300, "message": problem}
            for key in ("topic", "start_time", "duration", "timezone"):
                if key in m:
                    meeting[key] = m[key]
            return 204, None
        if method == "DELETE":
            state["deleted"].append(state["meetings"].pop(mid))
            return 204, None
        return 405, {"code": 405, "message": "Method not allowed."}

    def handle_any(self, method):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        raw = self.body()
        with lock:
            if url.path.startswith("/_standin/"):
                status, body = self.control(url.path[len("/_standin/"):], q)
            elif method == "POST" and url.path == "/oauth/token":
                form = dict(urllib.parse.parse_qsl(raw)) if raw else {}
                status, body = self.token(q, form)
            elif url.path.startswith("/v2/"):
                status, body = self.api(method, url.path, raw)
            else:
                status, body = 404, {"code": 404, "message": "Not found"}
        self.answer(status, body)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_DELETE(self):
        self.handle_any("DELETE")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


Server(("127.0.0.1", PORT), Handler).serve_forever()
