#!/usr/bin/python3
"""A stand-in for Stripe, for tests and labs (the real API cannot be reached from here).

It implements the part of Stripe's documented REST API (docs.stripe.com/api) that Yoyaku's
adapter uses, as Stripe documents it:
  POST /v1/checkout/sessions      form-encoded; mode=payment, line_items[0][price_data][…],
                                  client_reference_id, customer_email, success_url, cancel_url,
                                  expires_at (30 minutes to 24 hours ahead), metadata[…]
  GET  /v1/checkout/sessions/ID
  POST /v1/refunds                payment_intent, amount (at most what is left to refund)
  GET  /v1/balance_transactions   created[gte], created[lt], limit, starting_after,
                                  expand[]=data.source (newest first, has_more)
with `Authorization: Bearer <secret key>` (401 otherwise) and `Idempotency-Key` (a repeated
key answers the first answer). A hosted page at /pay/ID stands in for Stripe Checkout: its
button pays with a test card and returns the browser to success_url. Each change sends the
event Stripe would (checkout.session.completed, .async_payment_succeeded, .expired) to the
webhook URL, signed as Stripe signs: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of
"t.payload" under the webhook secret>`.

Test controls (no such thing at Stripe) live under /_standin/: set the webhook URL and the
clock, pay a session without a browser (card, konbini, or a tampered amount), make a konbini
payment arrive, expire a session, pay one whose payment reaches the platform only after its
places went, send an event again, hold events and deliver them in reverse order, fail the next refunds, add a payment no booking knows to the balance, and read the API
requests received.

usage: stripe_standin.py PORT SECRET_KEY WEBHOOK_SECRET
"""
import hashlib
import hmac
import html
import http.server
import json
import secrets
import sys
import threading
import time
import urllib.parse
import urllib.request

PORT, SECRET_KEY, WEBHOOK_SECRET = int(sys.argv[1]), sys.argv[2], sys.argv[3]
lock = threading.Lock()
state = {
    "webhook_url": None,
    "offset": 0,  # seconds added to the real clock (tests run on a fake one)
    "sessions": {},
    "intents": {},  # payment intent id -> {"amount", "refunded"}
    "refunds": {},
    "events": {},
    "held": None,  # a list while events are held back
    "fail_refunds": 0,
    "idempotent": {},
    "requests": [],
    "balance": [],  # balance transactions, oldest first
}


def now():
    return int(time.time()) + state["offset"]


def new_id(prefix):
    return prefix + "_test_" + secrets.token_hex(12)


def stripe_error(status, message, kind="invalid_request_error", param=None):
    err = {"type": kind, "message": message}
    if param:
        err["param"] = param
    return status, {"error": err}


def deliver(event):
    if not state["webhook_url"]:
        return None
    payload = json.dumps(event, separators=(",", ":")).encode()
    t = str(now())
    sig = hmac.new(WEBHOOK_SECRET.encode(), t.encode() + b"." + payload, hashlib.sha256).hexdigest()
    target = urllib.parse.urlsplit(state["webhook_url"])
    req = urllib.request.Request(
        state["webhook_url"],
        data=payload,
        # Named as Stripe's deliveries name the endpoint's host (never a bare address).
        headers={"Content-Type": "application/json", "Stripe-Signature": f"t={t},v1={sig}",
                 "Host": f"localhost:{target.port}", "User-Agent": "Stripe/1.0 (stand-in)"},
    )
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return {"status": r.status, "body": r.read().decode()}
    except urllib.error.HTTPError as e:
        return {"status": e.code, "body": e.read().decode()}


def emit(kind, obj):
    event = {
        "id": new_id("evt"),
        "object": "event",
        "type": kind,
        "created": now(),
        "livemode": False,
        "data": {"object": dict(obj)},
    }
    state["events"][event["id"]] = event
    return event


def add_balance(kind, amount, intent, source_id=None):
    """A balance transaction with its source (a charge, or the refund) as Stripe lists it."""
    if kind == "refund":
        source = dict(state["refunds"][source_id])
    else:
        source = {"id": new_id("ch" if kind == "charge" else "py"),
                  "object": "charge", "amount": amount, "payment_intent": intent}
    state["balance"].append({
        "id": new_id("txn"), "object": "balance_transaction", "type": kind,
        "amount": amount, "currency": "jpy", "created": now(), "source": source})


def balance_transactions(q):
    try:
        gte = int(q.get("created[gte]", 0))
        lt = int(q.get("created[lt]", 2**62))
        limit = max(1, min(100, int(q.get("limit", 10))))
    except ValueError:
        return stripe_error(400, "Invalid integer", param="created")
    items = [t for t in reversed(state["balance"]) if gte <= t["created"] < lt]
    after = q.get("starting_after")
    if after:
        ids = [t["id"] for t in items]
        if after not in ids:
            return stripe_error(400, "No such balance_transaction", param="starting_after")
        items = items[ids.index(after) + 1:]
    expand = q.get("expand[]") == "data.source"
    page = [t if expand else {**t, "source": t["source"]["id"]} for t in items[:limit]]
    return 200, {"object": "list", "url": "/v1/balance_transactions", "data": page,
                 "has_more": len(items) > limit}


def create_session(form):
    required = ["mode", "line_items[0][price_data][currency]",
                "line_items[0][price_data][unit_amount]", "success_url", "cancel_url"]
    for p in required:
        if p not in form:
            return stripe_error(400, f"Missing required param: {p}.", param=p)
    if form["mode"] != "payment":
        return stripe_error(400, "Only mode=payment is supported here.", param="mode")
    try:
        amount = int(form["line_items[0][price_data][unit_amount]"])
        quantity = int(form.get("line_items[0][quantity]", "1"))
    except ValueError:
        return stripe_error(400, "Invalid integer", param="line_items[0][price_data][unit_amount]")
    if amount < 50 and form["line_items[0][price_data][currency]"] == "jpy":
        return stripe_error(400, "Amount must be at least ¥50", param="line_items")
    expires_at = int(form.get("expires_at", now() + 86400))
    if expires_at < now() + 1800 - 5 or expires_at > now() + 86400:
        return stripe_error(400, "expires_at must be between 30 minutes and 24 hours from now",
                            param="expires_at")
    sid = new_id("cs")
    session = {
        "id": sid,
        "object": "checkout.session",
        "mode": "payment",
        "status": "open",
        "payment_status": "unpaid",
        "amount_total": amount * quantity,
        "currency": form["line_items[0][price_data][currency]"],
        "client_reference_id": form.get("client_reference_id"),
        "customer_email": form.get("customer_email"),
        "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
        "payment_intent": None,
        "success_url": form["success_url"],
        "cancel_url": form["cancel_url"],
        "expires_at": expires_at,
        "url": f"http://localhost:{PORT}/pay/{sid}",
        "livemode": False,
    }
    state["sessions"][sid] = session
    return 200, session


def refund(form):
    if state["fail_refunds"] > 0:
        state["fail_refunds"] -= 1
        return stripe_error(500, "An error occurred with our connection to Stripe.", "api_error")
    intent = state["intents"].get(form.get("payment_intent", ""))
    if intent is None:
        return stripe_error(400, "No such payment_intent", param="payment_intent")
    amount = int(form.get("amount", intent["amount"] - intent["refunded"]))
    if amount <= 0 or amount > intent["amount"] - intent["refunded"]:
        return stripe_error(400, "Refund amount is greater than the unrefunded amount",
                            param="amount")
    intent["refunded"] += amount
    r = {"id": new_id("re"), "object": "refund", "amount": amount, "currency": "jpy",
         "payment_intent": form["payment_intent"], "status": "succeeded",
         "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}}
    state["refunds"][r["id"]] = r
    add_balance("refund", -amount, form["payment_intent"], r["id"])
    return 200, r


def pay(sid, method="card", amount=None):
    s = state["sessions"].get(sid)
    if s is None or s["status"] != "open":
        return None
    pi = new_id("pi")
    paid = amount if amount is not None else s["amount_total"]
    state["intents"][pi] = {"amount": paid, "refunded": 0}
    s.update(status="complete", payment_intent=pi,
             payment_status="paid" if method == "card" else "unpaid")
    if method == "card":
        add_balance("charge", paid, pi)
    obj = dict(s)
    obj["amount_total"] = paid
    return emit("checkout.session.completed", obj)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, ctype="application/json", headers=()):
        data = body if isinstance(body, bytes) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode() if n else ""

    def api(self, method, path, form):
        if self.headers.get("Authorization") != "Bearer " + SECRET_KEY:
            return stripe_error(401, "Invalid API Key provided")
        key = self.headers.get("Idempotency-Key")
        if key and (method, path, key) in state["idempotent"]:
            return state["idempotent"][(method, path, key)]
        if method == "POST" and path == "/v1/checkout/sessions":
            result = create_session(form)
        elif method == "GET" and path.startswith("/v1/checkout/sessions/"):
            s = state["sessions"].get(path.rsplit("/", 1)[1])
            result = (200, s) if s else stripe_error(404, "No such checkout.session")
        elif method == "POST" and path == "/v1/refunds":
            result = refund(form)
        elif method == "GET" and path == "/v1/balance_transactions":
            result = balance_transactions(form)
        else:
            result = stripe_error(404, f"Unrecognized request URL ({method}: {path}).")
        if key and result[0] < 500:
            state["idempotent"][(method, path, key)] = result
        return result

    def control(self, method, path, query):
        parts = path.split("/")[2:]  # after /_standin/
        q = {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
        if parts == ["webhook_url"]:
            state["webhook_url"] = q["url"]
            return 200, {"ok": True}
        if parts == ["clock"]:
            state["offset"] = int(q["unix"]) - int(time.time())
            return 200, {"now": now()}
        if parts == ["requests"]:
            return 200, {"requests": state["requests"]}
        if parts == ["sessions"]:
            return 200, {"sessions": list(state["sessions"].values())}
        if parts == ["fail_refunds"]:
            state["fail_refunds"] = int(q.get("n", "1"))
            return 200, {"ok": True}
        if parts == ["balance", "stray"]:
            # A payment taken outside Yoyaku (or a tampered one): in the balance, no booking's.
            pi = new_id("pi")
            state["intents"][pi] = {"amount": int(q.get("amount", "1000")), "refunded": 0}
            add_balance("charge", state["intents"][pi]["amount"], pi)
            return 200, {"payment_intent": pi}
        if parts == ["hold_events"]:
            state["held"] = []
            return 200, {"ok": True}
        if parts == ["flush"]:
            held, state["held"] = state["held"] or [], None
            if q.get("order") == "reverse":
                held.reverse()
            return 200, {}, held
        if len(parts) == 3 and parts[0] == "sessions":
            sid, action = parts[1], parts[2]
            s = state["sessions"].get(sid)
            if s is None:
                return 404, {"error": "no such session"}
            if action == "pay":
                amount = int(q["amount"]) if "amount" in q else None
                event = pay(sid, q.get("method", "card"), amount)
            elif action == "pay_late":
                # The payment's event delivered after the places went (as when delivery is
                # delayed past the booking's hold): an expiry notice first, then the payment.
                paid = pay(sid)
                if paid is None:
                    return 409, {"error": "the session is not open"}
                notice = emit("checkout.session.expired", {**s, "status": "expired",
                                                           "payment_status": "unpaid"})
                return 200, {"event": paid}, [notice, paid]
            elif action == "konbini_paid":
                if s["payment_status"] != "unpaid" or not s["payment_intent"]:
                    return 409, {"error": "no konbini payment is pending"}
                s["payment_status"] = "paid"
                add_balance("payment", state["intents"][s["payment_intent"]]["amount"],
                            s["payment_intent"])
                event = emit("checkout.session.async_payment_succeeded", s)
            elif action == "expire":
                if s["status"] != "open":
                    return 409, {"error": "the session is not open"}
                s["status"] = "expired"
                event = emit("checkout.session.expired", s)
            else:
                return 404, {"error": "no such action"}
            if event is None:
                return 409, {"error": "the session is not open"}
            return 200, {"event": event}, [event]
        if len(parts) == 3 and parts[0] == "events" and parts[2] == "resend":
            event = state["events"].get(parts[1])
            if event is None:
                return 404, {"error": "no such event"}
            return 200, {"event": event}, [event]
        return 404, {"error": "no such control"}

    def page(self, sid):
        s = state["sessions"].get(sid)
        if s is None:
            return self.answer(404, "<h1>No such checkout</h1>", "text/html; charset=utf-8")
        if s["status"] != "open":
            return self.answer(410, "<h1>This checkout has ended</h1>", "text/html; charset=utf-8")
        name = html.escape(str(s.get("client_reference_id")))
        amount = f"¥{s['amount_total']:,}"
        doc = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Stripe stand-in checkout</title></head><body>
<h1>Stripe stand-in checkout</h1><p>Booking {name}</p><p id="amount">{amount}</p>
<form method="post" action="/pay/{sid}">
<label>Card number <input name="card" value="4242 4242 4242 4242" autocomplete="off"></label>
<button type="submit">Pay {amount}</button></form>
<p><a href="{html.escape(s['cancel_url'])}">Back</a></p></body></html>"""
        return self.answer(200, doc, "text/html; charset=utf-8")

    def handle_any(self, method):
        url = urllib.parse.urlsplit(self.path)
        path, query = url.path, url.query
        raw = self.body() if method == "POST" else ""
        # Events go out after the lock is released: the platform may call the API while it
        # handles one.
        with lock:
            if path.startswith("/_standin/"):
                status, body, *rest = self.control(method, path, query)
                events = rest[0] if rest else []
                redirect = None
            elif path.startswith("/pay/"):
                sid = path[5:]
                if method == "GET":
                    return self.page(sid)
                event = pay(sid)
                if event is None:
                    return self.answer(410, "<h1>This checkout has ended</h1>", "text/html")
                events, redirect = [event], state["sessions"][sid]["success_url"]
            else:
                form = dict(urllib.parse.parse_qsl(raw if method == "POST" else query,
                                                   keep_blank_values=True))
                state["requests"].append({
                    "method": method, "path": path, "form": form,
                    "idempotency_key": self.headers.get("Idempotency-Key"),
                    "authorization": (self.headers.get("Authorization") or "")[:12]})
                status, body = self.api(method, path, form)
                return self.answer(status, body)
            if state["held"] is not None and not path.startswith("/_standin/flush"):
                state["held"].extend(events)
                events = []
        deliveries = [{"event": e["id"], "type": e["type"], **(deliver(e) or {})} for e in events]
        if redirect is not None:
            # The browser comes back once the webhook is out.
            return self.answer(303, "", "text/plain", [("Location", redirect)])
        body["deliveries"] = deliveries
        return self.answer(status, body)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 256  # a rush of customers at once (the default backlog is 5)
    daemon_threads = True


Server(("127.0.0.1", PORT), Handler).serve_forever()
