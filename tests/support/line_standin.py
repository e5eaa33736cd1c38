#!/usr/bin/python3
"""A stand-in for LINE, for tests and labs (the real platform cannot be reached from here).

It implements the part of LINE's documented APIs that Yoyaku uses, as LINE documents them
(developers.line.biz: LINE Login v2.1 API reference, Messaging API reference):
  GET  /oauth2/v2.1/authorize   response_type=code, client_id, redirect_uri, state, scope
                                (with openid), nonce, code_challenge, code_challenge_method=S256;
                                a sign-in page (its button signs in as the chosen test user) that
                                returns the browser to redirect_uri with code and state
  POST /oauth2/v2.1/token       form-encoded: grant_type=authorization_code, code, redirect_uri,
                                client_id, client_secret, code_verifier → access_token, id_token
                                (a JWT signed HS256 under the channel secret, as LINE signs web
                                login's: iss https://access.line.me, sub, aud, exp, iat, nonce,
                                amr, name), expires_in, refresh_token, scope, token_type
  POST /v2/bot/message/push     Authorization: Bearer <channel access token>, {to, messages}:
                                up to 5 message objects (text, template, flex) checked against
                                the documented limits (altText 400, text 5000, action labels
                                20 in templates and 40 in Flex, postback data 300, uri 1000)
  POST /v2/bot/message/multicast  {to: [1–500 distinct user ids], messages}: as a push (image
                                messages and Flex hero images at https links too); a retry
                                key it already accepted is answered 409
  POST /v2/bot/message/reply    {replyToken, messages}: a token from an event it sent, once
  POST /v2/bot/richmenu         a rich menu object (size 2500×1686 or 2500×843, chatBarText
                                ≤ 14, 1–20 areas inside it, uri/postback actions) → {richMenuId}
  POST /v2/bot/richmenu/ID/content  its picture (the api-data host's path): image/png or
                                image/jpeg, ≤ 1 MB, of the menu's size, once
  POST /v2/bot/user/all/richmenu/ID  the default menu (only one with a picture)
  DELETE /v2/bot/richmenu/ID
  POST /v2/bot/user/ID/linkToken  → {linkToken} for account linking
  GET  /dialog/bot/accountLink  linkToken, nonce: LINE's account-linking dialog; it sends the
                                accountLink event (link.result ok, the nonce) to the webhook
LIFF (the LIFF SDK's requests, as @line/liff 2.x makes them outside the LINE app; the LIFF app
is the one set with /_standin/liff):
  GET  /liff/v1/authorize       app_id, state, response_type=code, code_challenge (S256),
                                [redirect_uri under the endpoint URL]: the sign-in page, then
                                back to the endpoint with code, state, liffClientId,
                                liffRedirectUri
  POST /oauth2/v2.1/token       with appId (no client secret: a public client), code,
                                code_verifier, redirect_uri, id_token_key_type=JWK →
                                access_token, id_token signed ES256 under the key of
  GET  /oauth2/v2.1/certs       {keys: [the P-256 JWK, by kid]}
  GET  /liff/v2/apps/ID/contextToken  {contextToken}: the app's context (endpointUrl, …)
  POST /oauth2/v2.1/verify      id_token, client_id → the token's claims, or 400 with
                                invalid_request ("Invalid IdToken.", "IdToken expired.",
                                "Invalid IdToken Audience.")
answered with CORS headers (the SDK calls from the page's origin).
with LINE's error shapes ({"error": "invalid_grant", ...} and {"message": ...}). Webhook events
go to the configured URL as LINE sends them: {destination, events:[{type, mode, timestamp,
source:{type:user,userId}, webhookEventId, deliveryContext:{isRedelivery}, ...}]}, signed
`X-Line-Signature: base64(HMAC-SHA256(channel secret, body))`.

Test controls (no such thing at LINE) live under /_standin/: choose who signs in next
(user, name), forge the next ID token (signature, audience, nonce, expired, algorithm), set the
clock and the webhook URL, send an event (follow, unfollow, message, postback; again, as a
redelivery; or signed with another secret), refuse the next pushes with a status, and read the
requests received and the messages pushed and replied.

The stand-in's LIFF ID tokens are signed with a P-256 key made at start (python3-cryptography).

usage: line_standin.py PORT CHANNEL_ID CHANNEL_SECRET ACCESS_TOKEN MESSAGING_SECRET
"""
import base64
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

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

PORT, CHANNEL_ID, CHANNEL_SECRET, ACCESS_TOKEN, MESSAGING_SECRET = (
    int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
lock = threading.Lock()
state = {
    "offset": 0,
    "user": "U" + "1" * 32,
    "name": "LINE 花子",
    "forge": None,
    "codes": {},  # code -> what the authorization request asked
    "requests": [],
    "pushed": [],
    "multicast": [],  # segment messages: {to: [users], messages, retry_key}
    "webhook_url": None,
    "link_tokens": {},  # link token -> LINE user
    "last_event": None,
    "reply_tokens": {},  # reply token -> LINE user, until used
    "replied": [],
    "refuse": [],  # statuses to answer the next pushes with
    "rich_menus": {},  # richMenuId -> {"menu": …, "image": {type, width, height} or None}
    "default_menu": None,
    "liff": None,  # {"liff_id", "endpoint"}
    "liff_codes": {},  # code -> LIFF authorization
}
LIFF_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_KEY = ec.generate_private_key(ec.SECP256R1())
LIFF_KID = secrets.token_hex(8)
CORS = [("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
        ("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept"),
        ("Access-Control-Max-Age", "600")]


def now():
    return int(time.time()) + state["offset"]


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def id_token(grant):
    forge = state["forge"]
    state["forge"] = None
    claims = {
        "iss": "https://access.line.me",
        "sub": grant["user"],
        "aud": CHANNEL_ID if forge != "audience" else "1999999999",
        "exp": now() + (3600 if forge != "expired" else -3600),
        "iat": now() - (0 if forge != "expired" else 7200),
        "nonce": grant["nonce"] if forge != "nonce" else "another-" + grant["nonce"],
        "amr": ["linesso"],
        "name": grant["name"],
    }
    header = {"typ": "JWT", "alg": "HS256" if forge != "algorithm" else "none"}
    signed = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    key = (CHANNEL_SECRET if forge != "signature" else "f" * 32).encode()
    sig = b64url(hmac.new(key, signed.encode(), hashlib.sha256).digest())
    return signed + "." + (sig if forge != "algorithm" else "")


def es256_token(user, name):
    """An ID token as LINE issues them to LIFF apps: ES256 under the key at /certs."""
    forge = state["forge"]
    state["forge"] = None
    claims = {
        "iss": "https://access.line.me",
        "sub": user,
        "aud": CHANNEL_ID if forge != "audience" else "1999999999",
        "exp": now() + (3600 if forge != "expired" else -3600),
        "iat": now() - (0 if forge != "expired" else 7200),
        "amr": ["linesso"],
        "name": name,
    }
    header = {"typ": "JWT", "alg": "ES256", "kid": LIFF_KID}
    signed = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    key = LIFF_KEY if forge != "signature" else OTHER_KEY
    r, s_ = utils.decode_dss_signature(key.sign(signed.encode(), ec.ECDSA(hashes.SHA256())))
    return signed + "." + b64url(r.to_bytes(32, "big") + s_.to_bytes(32, "big"))


def jwk():
    n = LIFF_KEY.public_key().public_numbers()
    return {"kty": "EC", "alg": "ES256", "use": "sig", "kid": LIFF_KID, "crv": "P-256",
            "x": b64url(n.x.to_bytes(32, "big")), "y": b64url(n.y.to_bytes(32, "big"))}


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(form):
    """LINE's ID token verification (POST /oauth2/v2.1/verify)."""
    bad = lambda why: (400, {"error": "invalid_request", "error_description": why})
    parts = form.get("id_token", "").split(".")
    if len(parts) != 3 or not form.get("client_id"):
        return bad("Invalid IdToken.")
    try:
        header, claims = json.loads(unb64url(parts[0])), json.loads(unb64url(parts[1]))
        sig = unb64url(parts[2])
        if header.get("alg") == "ES256" and len(sig) == 64:
            LIFF_KEY.public_key().verify(
                utils.encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                           int.from_bytes(sig[32:], "big")),
                (parts[0] + "." + parts[1]).encode(), ec.ECDSA(hashes.SHA256()))
        elif header.get("alg") == "HS256":
            mac = hmac.new(CHANNEL_SECRET.encode(), (parts[0] + "." + parts[1]).encode(),
                           hashlib.sha256).digest()
            if not hmac.compare_digest(mac, sig):
                return bad("Invalid IdToken Signature.")
        else:
            return bad("Invalid IdToken.")
    except Exception:  # a signature that does not verify, or not JSON
        return bad("Invalid IdToken Signature.")
    if claims.get("exp", 0) < now():
        return bad("IdToken expired.")
    if claims.get("aud") != form["client_id"]:
        return bad("Invalid IdToken Audience.")
    if form.get("nonce") and claims.get("nonce") != form["nonce"]:
        return bad("Invalid IdToken Nonce.")
    return 200, claims


def liff_authorize(q):
    """Checks a LIFF login request; answers (error, None) or (None, where to go back)."""
    app = state["liff"]
    if app is None or q.get("app_id") != app["liff_id"]:
        return "invalid_request", None
    if q.get("response_type") != "code" or q.get("code_challenge_method") != "S256":
        return "invalid_request", None
    if not q.get("state") or not q.get("code_challenge"):
        return "invalid_request", None
    back = q.get("redirect_uri") or app["endpoint"]
    if not back.startswith(app["endpoint"]):
        return "invalid_request", None
    code = secrets.token_urlsafe(16)
    state["liff_codes"][code] = {"redirect_uri": back, "challenge": q["code_challenge"],
                                 "user": state["user"], "name": state["name"],
                                 "expires": now() + 600}
    sep = "&" if "?" in back else "?"
    return None, back + sep + urllib.parse.urlencode(
        {"code": code, "state": q["state"], "liffClientId": CHANNEL_ID,
         "liffRedirectUri": back})


def liff_token(form):
    app = state["liff"]
    if app is None or form.get("appId") != app["liff_id"] or form.get("client_id") != CHANNEL_ID:
        return 400, {"error": "invalid_client", "error_description": "invalid client"}
    grant, refused = redeem(state["liff_codes"], form)
    if refused:
        return 400, refused
    return 200, {"access_token": "at-" + secrets.token_hex(16), "expires_in": 2592000,
                 "id_token": es256_token(grant["user"], grant["name"]),
                 "scope": "openid profile", "token_type": "Bearer"}


def liff_context():
    app = state["liff"]
    context = {"type": "external", "liffId": app["liff_id"], "endpointUrl": app["endpoint"],
               "permanentLinkPattern": "concat", "viewType": "full",
               "menuColorSetting": {"adaptableColorSchemes": ["light"]},
               "scope": ["openid", "profile"], "availability": {},
               "d": {"aId": "", "autoplay": False}}
    return "eyJhbGciOiJub25lIn0." + b64url(json.dumps(context).encode()) + "."


def authorize(q):
    """Checks an authorization request; answers (error, None) or (None, grant)."""
    if q.get("response_type") != "code":
        return "unsupported_response_type", None
    if q.get("client_id") != CHANNEL_ID:
        return "invalid_client", None
    if "openid" not in q.get("scope", "").split(" "):
        return "invalid_scope", None
    for key in ("redirect_uri", "state", "nonce", "code_challenge"):
        if not q.get(key):
            return "invalid_request", None
    if q.get("code_challenge_method") != "S256":
        return "invalid_request", None
    return None, {"redirect_uri": q["redirect_uri"], "state": q["state"], "nonce": q["nonce"],
                  "challenge": q["code_challenge"], "user": state["user"],
                  "name": state["name"]}


def redeem(codes, form):
    """An authorization code spent once: (grant, None), or (None, LINE's invalid_grant)."""
    bad = lambda why: (None, {"error": "invalid_grant", "error_description": why})
    grant = codes.pop(form.get("code", ""), None)
    if grant is None or grant["expires"] < now():
        return bad("invalid authorization code")
    if form.get("redirect_uri") != grant["redirect_uri"]:
        return bad("redirect_uri does not match")
    verifier = form.get("code_verifier", "")
    if b64url(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
        return bad("code_verifier does not match")
    return grant, None


def token(form):
    if form.get("grant_type") != "authorization_code":
        return 400, {"error": "unsupported_grant_type"}
    if form.get("client_id") != CHANNEL_ID or form.get("client_secret") != CHANNEL_SECRET:
        return 400, {"error": "invalid_client", "error_description": "invalid client"}
    grant, refused = redeem(state["codes"], form)
    if refused:
        return 400, refused
    return 200, {"access_token": "at-" + secrets.token_hex(16), "expires_in": 2592000,
                 "id_token": id_token(grant), "refresh_token": "rt-" + secrets.token_hex(16),
                 "scope": "profile openid", "token_type": "Bearer"}


def action_problem(a, label_max):
    if not isinstance(a, dict):
        return "action: not an object"
    if not 1 <= len(a.get("label") or "") <= label_max:
        return f"action.label: 1 to {label_max} characters"
    if a.get("type") == "uri":
        uri = a.get("uri") or ""
        if len(uri) > 1000 or uri.split(":", 1)[0] not in ("http", "https", "line", "tel"):
            return "action.uri: http, https, line or tel, at most 1000 characters"
    elif a.get("type") == "postback":
        if not 1 <= len(a.get("data") or "") <= 300 or len(a.get("displayText") or "") > 300:
            return "action.data: 1 to 300 characters"
    else:
        return "action.type: uri or postback here"
    return None


def component_problems(c, path):
    """What LINE would refuse in a Flex component (the kinds Yoyaku sends)."""
    if not isinstance(c, dict):
        return [path + ": not an object"]
    kind = c.get("type")
    if kind == "box":
        if c.get("layout") not in ("vertical", "horizontal", "baseline") or not c.get("contents"):
            return [path + ": a box needs a layout and contents"]
        return [p for i, x in enumerate(c["contents"])
                for p in component_problems(x, f"{path}.contents[{i}]")]
    if kind == "text":
        return [] if c.get("text") else [path + ".text: required"]
    if kind == "button":
        problem = action_problem(c.get("action"), 40)
        return [f"{path}.{problem}"] if problem else []
    return [path + ".type: not a component Yoyaku sends"]


def image_url_problem(url):
    """LINE takes pictures at https links of at most 2000 characters."""
    return not isinstance(url, str) or not url.startswith("https://") or len(url) > 2000


def message_problems(m, i):
    at = f"messages[{i}]"
    kind = m.get("type") if isinstance(m, dict) else None
    if kind == "text":
        return [] if 1 <= len(m.get("text") or "") <= 5000 else [at + ".text: 1 to 5000"]
    if kind == "image":
        return [f"{at}.{k}: https, at most 2000 characters"
                for k in ("originalContentUrl", "previewImageUrl") if image_url_problem(m.get(k))]
    if kind not in ("template", "flex"):
        return [at + ".type: text, image, template or flex here"]
    if not 1 <= len(m.get("altText") or "") <= 400:
        return [at + ".altText: 1 to 400 characters"]
    if kind == "template":
        t = m.get("template") or {}
        limit = 240 if t.get("type") == "confirm" else 160
        problems = [] if 1 <= len(t.get("text") or "") <= limit else [at + ".template.text"]
        actions = t.get("actions") or []
        if t.get("type") == "confirm" and len(actions) != 2:
            problems.append(at + ".template.actions: a confirm has two")
        return problems + [f"{at}.template.{p}" for p in
                           (action_problem(a, 20) for a in actions) if p]
    contents = m.get("contents") or {}
    if contents.get("type") == "carousel":
        bubbles = contents.get("contents") or []
        if not 1 <= len(bubbles) <= 12:
            return [at + ".contents.contents: 1 to 12 bubbles"]
        return [p for i, b in enumerate(bubbles)
                for p in bubble_problems(b, f"{at}.contents.contents[{i}]")]
    return bubble_problems(contents, at + ".contents")


def bubble_problems(bubble, at):
    if not isinstance(bubble, dict) or bubble.get("type") != "bubble":
        return [at + ".type: bubble"]
    hero = bubble.get("hero")
    if hero is not None and (not isinstance(hero, dict) or hero.get("type") != "image"
                             or image_url_problem(hero.get("url"))):
        return [at + ".hero: an image at an https url"]
    return [p for part in ("header", "body", "footer") if part in bubble
            for p in component_problems(bubble[part], f"{at}.{part}")]


def messages_problem(body):
    """LINE's 400 answer for a request whose messages it would refuse, or None."""
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return {"message": "The request body has 1 error(s)",
                "details": [{"message": "Size must be between 1 and 5", "property": "messages"}]}
    problems = [p for i, m in enumerate(messages) for p in message_problems(m, i)]
    if problems:
        return {"message": "A message (messages[0]) in the request body is invalid",
                "details": [{"message": p, "property": p.split(":")[0]} for p in problems]}
    return None


def messages_request(headers, raw):
    """A push's or reply's body, or LINE's refusal (status, answer) of it."""
    if not authorized(headers):
        return (401, {"message": "Authentication failed due to the following reason: "
                             "invalid token."}), None
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return (400, {"message": "The request body has 1 error(s)"}), None
    problem = messages_problem(body)
    return ((400, problem), None) if problem else (None, body)


def sent(messages):
    return 200, {"sentMessages": [{"id": str(secrets.randbits(60)), "quoteToken": "q"}
                                  for _ in messages]}


def push(headers, raw):
    refused, body = messages_request(headers, raw)
    if refused:
        return refused
    if not body.get("to"):
        return 400, {"message": "The request body has 1 error(s)"}
    if state["refuse"]:
        return state["refuse"].pop(0), {"message": "Failed to send messages"}
    state["pushed"].append({"to": body["to"], "messages": body["messages"],
                            "retry_key": headers.get("X-Line-Retry-Key")})
    return sent(body["messages"])


def multicast(headers, raw):
    """One message to up to 500 users; refused (like a push) while `refuse` holds statuses."""
    refused, body = messages_request(headers, raw)
    if refused:
        return refused
    to = body.get("to")
    if not isinstance(to, list) or not 1 <= len(to) <= 500 or len(set(to)) != len(to):
        return 400, {"message": "The request body has 1 error(s)",
                     "details": [{"message": "Size must be between 1 and 500", "property": "to"}]}
    if state["refuse"]:
        return state["refuse"].pop(0), {"message": "Failed to send messages"}
    key = headers.get("X-Line-Retry-Key")
    if key and any(m["retry_key"] == key for m in state["multicast"]):
        return 409, {"message": "The retry key is already accepted"}
    state["multicast"].append({"to": to, "messages": body["messages"], "retry_key": key})
    return 200, {}


def reply(headers, raw):
    refused, body = messages_request(headers, raw)
    if refused:
        return refused
    user = state["reply_tokens"].pop(body.get("replyToken"), None)
    if user is None:
        return 400, {"message": "Invalid reply token"}
    state["replied"].append({"to": user, "messages": body["messages"]})
    return sent(body["messages"])


def authorized(headers):
    return headers.get("Authorization") == "Bearer " + ACCESS_TOKEN


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def rich_menu(raw):
    try:
        m = json.loads(raw)
    except ValueError:
        return 400, {"message": "The request body has 1 error(s)"}
    size = m.get("size") or {}
    w, h = size.get("width"), size.get("height")
    problems = []
    if w != 2500 or h not in (1686, 843):
        problems.append("size: 2500x1686 or 2500x843")
    if not 1 <= len(m.get("chatBarText") or "") <= 14:
        problems.append("chatBarText: 1 to 14 characters")
    if not 1 <= len(m.get("name") or "") <= 300 or not isinstance(m.get("selected"), bool):
        problems.append("name and selected are required")
    areas = m.get("areas") or []
    if not 1 <= len(areas) <= 20:
        problems.append("areas: 1 to 20")
    for i, a in enumerate(areas):
        b = a.get("bounds") or {}
        if not (0 <= b.get("x", -1) and 0 <= b.get("y", -1) and b.get("width", 0) > 0
                and b.get("height", 0) > 0 and b["x"] + b["width"] <= (w or 0)
                and b["y"] + b["height"] <= (h or 0)):
            problems.append(f"areas[{i}].bounds: inside the menu")
        problem = action_problem(a.get("action"), 20)
        if problem:
            problems.append(f"areas[{i}].{problem}")
    if problems:
        return 400, {"message": "The request body has errors",
                     "details": [{"message": p, "property": p.split(":")[0]} for p in problems]}
    menu_id = "richmenu-" + secrets.token_hex(16)
    state["rich_menus"][menu_id] = {"menu": m, "image": None}
    return 200, {"richMenuId": menu_id}


def rich_menu_content(menu_id, headers, data):
    menu = state["rich_menus"].get(menu_id)
    if menu is None:
        return 404, {"message": "Not found"}
    if menu["image"] is not None:
        return 400, {"message": "An image has already been uploaded to the richmenu"}
    kind = headers.get("Content-Type")
    size = png_size(data) if kind == "image/png" else None
    want = (menu["menu"]["size"]["width"], menu["menu"]["size"]["height"])
    if size != want or len(data) > 1024 * 1024:
        return 400, {"message": "Invalid image: a PNG of the menu's size, at most 1 MB"}
    menu["image"] = {"type": kind, "width": size[0], "height": size[1], "bytes": len(data)}
    return 200, {}


def deliver(event, redelivery=False, secret=None):
    """Posts one event to the webhook URL as LINE does; answers {delivered: status, answer}."""
    event = {**event, "deliveryContext": {"isRedelivery": redelivery}}
    body = json.dumps({"destination": "U" + "0" * 32, "events": [event]},
                      ensure_ascii=False).encode()
    sig = base64.b64encode(hmac.new((secret or MESSAGING_SECRET).encode(), body,
                                    hashlib.sha256).digest()).decode()
    req = urllib.request.Request(state["webhook_url"], data=body, headers={
        "Content-Type": "application/json; charset=utf-8", "X-Line-Signature": sig,
        "User-Agent": "LineBotWebhook/2.0"})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return {"delivered": r.status, "answer": r.read().decode()}
    except urllib.error.HTTPError as e:
        return {"delivered": e.code, "answer": e.read().decode()}


def event(kind, user, **extra):
    e = {"type": kind, "mode": "active", "timestamp": now() * 1000,
         "source": {"type": "user", "userId": user},
         "webhookEventId": "01" + secrets.token_hex(12).upper()}
    if kind in ("follow", "message", "postback"):
        e["replyToken"] = secrets.token_hex(16)
        state["reply_tokens"][e["replyToken"]] = user
    e.update(extra)
    state["last_event"] = e
    return e


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, ctype="application/json", headers=()):
        data = (json.dumps(body) if ctype == "application/json" else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.raw = self.rfile.read(n) if n else b""
        return self.raw.decode(errors="replace")

    def control(self, path, q):
        what = path[len("/_standin/"):]
        if what == "login_as":
            state["user"], state["name"] = q["user"], q.get("name", "LINE user")
            return 200, {"ok": True}
        if what == "forge":
            state["forge"] = q["what"]
            return 200, {"ok": True}
        if what == "clock":
            state["offset"] = int(q["unix"]) - int(time.time())
            return 200, {"now": now()}
        if what == "webhook_url":
            state["webhook_url"] = q["url"]
            return 200, {"ok": True}
        if what == "send":
            extra = {}
            if q["type"] == "message":
                extra["message"] = {"type": "text", "id": "1", "text": q.get("text", "")}
            if q["type"] == "postback":
                extra["postback"] = {"data": q.get("data", "")}
            e = event(q["type"], q["user"], **extra)
            return 200, deliver(e, secret=q.get("secret"))
        if what == "resend":
            return 200, deliver(state["last_event"], redelivery=True)
        if what == "requests":
            return 200, {"requests": state["requests"]}
        if what == "pushed":
            return 200, {"pushed": state["pushed"]}
        if what == "multicast":
            return 200, {"multicast": state["multicast"]}
        if what == "replied":
            return 200, {"replied": state["replied"]}
        if what == "rich_menus":
            return 200, {"rich_menus": {k: {"menu": v["menu"], "image": v["image"]}
                                        for k, v in state["rich_menus"].items()},
                         "default": state["default_menu"]}
        if what == "liff":
            state["liff"] = {"liff_id": q["liff_id"], "endpoint": q["endpoint"]}
            return 200, {"ok": True}
        if what == "liff_id_token":
            # What the LIFF SDK holds once LINE signed its user in (for tests with no browser).
            return 200, {"id_token": es256_token(q.get("user", state["user"]),
                                                 q.get("name", state["name"]))}
        if what == "refuse":
            state["refuse"] = [int(q["status"])] * int(q.get("count", "1"))
            return 200, {"ok": True}
        return 404, {"error": "no such control"}

    def sign_in_page(self, query, action="/oauth2/v2.1/authorize"):
        doc = f"""<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>LINE stand-in login</title></head><body>
<h1>LINE stand-in login</h1><p>{html.escape(state['name'])}</p>
<form method="post" action="{action}?{html.escape(query)}">
<button type="submit">ログイン</button></form></body></html>"""
        return self.answer(200, doc, "text/html; charset=utf-8")

    def handle_any(self, method):
        url = urllib.parse.urlsplit(self.path)
        path, query = url.path, url.query
        q = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        raw = self.body() if method in ("POST", "DELETE") else ""
        if path.startswith("/_standin/"):
            with lock:
                return self.answer(*self.control(path, q))
        with lock:
            state["requests"].append({"method": method, "path": path,
                                      "query": q if path.endswith("/authorize") else {},
                                      "form": dict(urllib.parse.parse_qsl(raw))
                                      if path.endswith("/token") else {}})
            if path == "/oauth2/v2.1/authorize":
                error, grant = authorize(q)
                if error:
                    return self.answer(400, {"error": error})
                # A browser sees the sign-in page first; a test's plain GET (no Accept: text/html)
                # signs in at once, as a user who is signed in to LINE already would.
                if method == "GET" and "text/html" in (self.headers.get("Accept") or ""):
                    return self.sign_in_page(query)
                code = secrets.token_urlsafe(16)
                state["codes"][code] = {**grant, "expires": now() + 600}
                sep = "&" if "?" in grant["redirect_uri"] else "?"
                target = grant["redirect_uri"] + sep + urllib.parse.urlencode(
                    {"code": code, "state": grant["state"]})
                return self.answer(302, "", "text/plain", [("Location", target)])
            if method == "OPTIONS":
                return self.answer(204, "", "text/plain", CORS)
            if path == "/liff/v1/authorize":
                if method == "GET" and "text/html" in (self.headers.get("Accept") or ""):
                    return self.sign_in_page(query, "/liff/v1/authorize")
                error, target = liff_authorize(q)
                if error:
                    return self.answer(400, {"error": error})
                return self.answer(302, "", "text/plain", [("Location", target)])
            if method == "POST" and path == "/oauth2/v2.1/token":
                form = dict(urllib.parse.parse_qsl(raw))
                if "appId" in form:
                    return self.answer(*liff_token(form), headers=CORS)
                return self.answer(*token(form))
            if method == "GET" and path == "/oauth2/v2.1/certs":
                return self.answer(200, {"keys": [jwk()]}, headers=CORS)
            if method == "POST" and path == "/oauth2/v2.1/verify":
                return self.answer(*verify(dict(urllib.parse.parse_qsl(raw))))
            if (method == "GET" and path.startswith("/liff/v2/apps/")
                    and path.endswith("/contextToken")):
                if state["liff"] is None or path.split("/")[4] != state["liff"]["liff_id"]:
                    return self.answer(404, {"message": "Not found"}, headers=CORS)
                return self.answer(200, {"contextToken": liff_context()}, headers=CORS)
            if method == "POST" and path == "/v2/bot/message/push":
                return self.answer(*push(self.headers, raw))
            if method == "POST" and path == "/v2/bot/message/multicast":
                return self.answer(*multicast(self.headers, raw))
            if method == "POST" and path == "/v2/bot/message/reply":
                return self.answer(*reply(self.headers, raw))
            if path.startswith("/v2/bot/richmenu") or path.startswith("/v2/bot/user/all/richmenu/"):
                if not authorized(self.headers):
                    return self.answer(401, {"message": "Authentication failed"})
                parts = path.split("/")
                if method == "POST" and path == "/v2/bot/richmenu":
                    return self.answer(*rich_menu(raw))
                if method == "POST" and len(parts) == 6 and parts[5] == "content":
                    return self.answer(*rich_menu_content(parts[4], self.headers, self.raw))
                if method == "POST" and path.startswith("/v2/bot/user/all/richmenu/"):
                    menu = state["rich_menus"].get(parts[6])
                    if menu is None or menu["image"] is None:
                        return self.answer(400, {"message": "must upload richmenu image before applying it to user"})
                    state["default_menu"] = parts[6]
                    return self.answer(200, {})
                if method == "DELETE" and len(parts) == 5:
                    if state["rich_menus"].pop(parts[4], None) is None:
                        return self.answer(404, {"message": "Not found"})
                    if state["default_menu"] == parts[4]:
                        state["default_menu"] = None
                    return self.answer(200, {})
                return self.answer(404, {"message": "Not found"})
            if method == "POST" and path.startswith("/v2/bot/user/") and path.endswith("/linkToken"):
                if self.headers.get("Authorization") != "Bearer " + ACCESS_TOKEN:
                    return self.answer(401, {"message": "Authentication failed"})
                issued = secrets.token_urlsafe(24)
                state["link_tokens"][issued] = path.split("/")[4]
                return self.answer(200, {"linkToken": issued})
            if method == "GET" and path == "/dialog/bot/accountLink":
                user = state["link_tokens"].pop(q.get("linkToken", ""), None)
                if user is None or not q.get("nonce"):
                    return self.answer(400, "<h1>Invalid link token</h1>", "text/html")
                linking = event("accountLink", user, link={"result": "ok", "nonce": q["nonce"]})
            else:
                return self.answer(404, {"message": "Not found"})
        # Sent once the lock is released: the platform may call LINE while handling it.
        result = deliver(linking)
        return self.answer(200, f"<h1>Linked</h1><p id=\"delivered\">{result['delivered']}</p>",
                           "text/html; charset=utf-8")

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def do_OPTIONS(self):
        self.handle_any("OPTIONS")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


Server(("127.0.0.1", PORT), Handler).serve_forever()
