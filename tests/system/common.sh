# Helpers for system tests. Source it; $1 of the test is the yoyaku binary.
set -euo pipefail
BIN=${1:?path to the yoyaku binary}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d)
chmod 755 "$TMP"   # the PostgreSQL test server runs as another user and must reach its folder
SERVER_PID=""
cleanup_hooks=()
cleanup() {
  [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null || true
  for h in "${cleanup_hooks[@]}"; do eval "$h" || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; [ -f "$TMP/server.log" ] && tail -20 "$TMP/server.log" >&2; exit 1; }
pass() { echo "PASS: $*"; }

# start_server ARGS... : starts `yoyaku serve` on a free loopback port; sets SERVER_PID, PORT.
start_server() {
  # The log exists before the server's own redirection opens it: the first poll below must
  # not race the background shell (sed on a missing file fails the test under set -e).
  : >"$TMP/server.log"
  "$BIN" serve --listen "${LISTEN:-127.0.0.1:0}" "$@" >"$TMP/server.out" 2>"$TMP/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    PORT=$(sed -n 's/.*listening on https\?:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/server.log" | head -1)
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited during start"
    sleep 0.1
  done
  fail "server did not report its port"
}

# start_other_server NAME ARGS... : another `yoyaku serve` beside the first (its own port, its
# output in $TMP/NAME.out and NAME.log), killed at exit; sets OTHER_PID and OTHER_PORT.
start_other_server() {
  local name=$1; shift
  "$BIN" serve --listen 127.0.0.1:0 "$@" >"$TMP/$name.out" 2>"$TMP/$name.log" &
  OTHER_PID=$!
  cleanup_hooks+=("kill -KILL $OTHER_PID")
  for _ in $(seq 1 100); do
    OTHER_PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/$name.log" | head -1)
    [ -n "$OTHER_PORT" ] && return 0
    sleep 0.1
  done
  fail "the second server did not start: $(tail -5 "$TMP/$name.log")"
}

# start_two_servers DATABASE_URL : two `yoyaku serve` on one PostgreSQL and data directory, the
# first making the demo; sets PORT and OTHER_PORT once both answer.
start_two_servers() {
  start_server --data "$TMP/data" --database-url "$1" --demo --dev
  wait_status /readyz 200 60
  start_other_server b --data "$TMP/data" --database-url "$1" --dev
}

# status URL_PATH : prints the HTTP status of GET http://127.0.0.1:$PORT/PATH (000 if none)
status() { curl -s -o /dev/null -m 10 -w '%{http_code}' "http://127.0.0.1:$PORT$1" || true; }

# wait_status PATH CODE SECONDS : polls until PATH answers CODE.
wait_status() {
  local deadline=$((SECONDS + $3)) got
  while [ $SECONDS -lt $deadline ]; do
    got=$(status "$1")
    [ "$got" = "$2" ] && return 0
    sleep 0.2
  done
  fail "$1 did not answer $2 within $3 s (last: $got)"
}

# start_smtp : a real SMTP server (python3-aiosmtpd, STARTTLS with a throw-away certificate)
# delivering into $TMP/maildir; exports the YOYAKU_MAIL_* settings a server started later uses.
start_smtp() {
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || fail "python3-aiosmtpd is not installed (scripts/deps.sh test)"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/smtp.key" -out "$TMP/smtp.crt" 2>/dev/null
  local port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox \
    --tlscert "$TMP/smtp.crt" --tlskey "$TMP/smtp.key" "$TMP/maildir" >/dev/null 2>&1 &
  cleanup_hooks+=("kill $!")
  export YOYAKU_MAIL_SMTP_URL="smtp://127.0.0.1:$port" YOYAKU_MAIL_CA_FILE="$TMP/smtp.crt"
}

# start_line : the LINE stand-in (tests/support/line_standin.py; LINE cannot be reached from
# here); exports line.api_base_url and line.login_base_url for a server started later, and
# LINE_STANDIN (its address) with the channels' ids and secrets for the journeys.
start_line() {
  local port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  export LINE_STANDIN_CHANNEL_ID="1657000000" LINE_STANDIN_CHANNEL_SECRET="00112233445566778899aabbccddeeff" \
    LINE_STANDIN_TOKEN="journey-channel-access-token" LINE_STANDIN_MESSAGING_SECRET="ffeeddccbbaa99887766554433221100"
  /usr/bin/python3 "$ROOT/tests/support/line_standin.py" "$port" "$LINE_STANDIN_CHANNEL_ID" \
    "$LINE_STANDIN_CHANNEL_SECRET" "$LINE_STANDIN_TOKEN" "$LINE_STANDIN_MESSAGING_SECRET" >/dev/null 2>&1 &
  cleanup_hooks+=("kill $!")
  export YOYAKU_LINE_API_BASE_URL="http://127.0.0.1:$port" YOYAKU_LINE_LOGIN_BASE_URL="http://127.0.0.1:$port" \
    LINE_STANDIN="http://127.0.0.1:$port"
}

# start_zoom : the Zoom stand-in (tests/support/zoom_standin.py; Zoom cannot be reached from
# here); exports zoom.api_base_url and zoom.oauth_base_url for a server started later, and
# ZOOM_STANDIN (its address) with the app's credentials for the journeys.
start_zoom() {
  local port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  export ZOOM_STANDIN_ACCOUNT_ID="journey-account" ZOOM_STANDIN_CLIENT_ID="journeyClient" \
    ZOOM_STANDIN_CLIENT_SECRET="journey-zoom-client-secret-0123456789"
  /usr/bin/python3 "$ROOT/tests/support/zoom_standin.py" "$port" "$ZOOM_STANDIN_ACCOUNT_ID" \
    "$ZOOM_STANDIN_CLIENT_ID" "$ZOOM_STANDIN_CLIENT_SECRET" >/dev/null 2>&1 &
  cleanup_hooks+=("kill $!")
  export YOYAKU_ZOOM_API_BASE_URL="http://127.0.0.1:$port/v2" YOYAKU_ZOOM_OAUTH_BASE_URL="http://127.0.0.1:$port" \
    ZOOM_STANDIN="http://127.0.0.1:$port"
}

# start_stripe : the Stripe stand-in (tests/support/stripe_standin.py; the real API cannot be
# reached from here); exports payments.stripe_api_base for a server started later and
# YOYAKU_STRIPE (its address) and YOYAKU_STRIPE_KEY/_WEBHOOK_SECRET for the journeys.
start_stripe() {
  local port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  export YOYAKU_STRIPE_KEY="sk_test_journey_0123456789abcdef" YOYAKU_STRIPE_WEBHOOK_SECRET="whsec_journey_0123456789abcdef"
  /usr/bin/python3 "$ROOT/tests/support/stripe_standin.py" "$port" "$YOYAKU_STRIPE_KEY" \
    "$YOYAKU_STRIPE_WEBHOOK_SECRET" >/dev/null 2>&1 &
  cleanup_hooks+=("kill $!")
  export YOYAKU_PAYMENTS_STRIPE_API_BASE="http://127.0.0.1:$port" YOYAKU_STRIPE="http://127.0.0.1:$port"
}

# demo_occurrence : the id of the demo concert's first date (a server with --demo on $PORT).
demo_occurrence() {
  curl -s "http://127.0.0.1:$PORT/api/v1/public/demo/offerings" | /usr/bin/python3 -c '
import json, sys
o = [x for x in json.load(sys.stdin)["items"] if "デモ演奏会" in x["name"]][0]
print(sorted(o["occurrences"], key=lambda x: x["starts_at"])[0]["id"])'
}

# book_demo OCCURRENCE NAME : a guest books one adult ticket as "NAME" (address NAME@example.jp);
# prints the booking's reference.
book_demo() {
  curl -s -X POST "http://127.0.0.1:$PORT/api/v1/public/demo/bookings" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: $2-$$" \
    -d "{\"occurrence_id\":$1,\"tickets\":{\"adult\":1},\"customer\":{\"name\":\"$2\",\"email\":\"$2@example.jp\"}}" |
    /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["reference"])'
}
