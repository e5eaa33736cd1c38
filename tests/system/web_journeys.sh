#!/usr/bin/env bash
# The browser journeys (web/e2e/*.e2e.ts): the built web app served by `yoyaku serve` with the
# demo tenant, a real SMTP server and the Stripe, LINE and Zoom stand-ins, driven in Debian's
# Chromium by playwright-core; axe-core checks every page. YOYAKU_E2E_ONLY=e2e/<file>.e2e.ts runs one file (while working on it).
source "$(dirname "$0")/common.sh"
[ -f "$ROOT/web/dist/index.html" ] || fail "web/dist is not built (scripts/web.sh)"
[ -x /usr/bin/chromium ] || fail "chromium is not installed (scripts/deps.sh test)"
# Mail (sign-up confirmations) goes to a real SMTP server; the journeys read its mailbox.
start_smtp
# Online payments go to the Stripe stand-in, whose hosted page the payment journey uses.
start_stripe
# LINE Login and pushes go to the LINE stand-in, whose sign-in page the LINE journey uses.
start_line
# Online meetings are made at the Zoom stand-in.
start_zoom
# A port known before the start, so that the links the server makes (mails, the payment page's
# way back) lead to it.
LISTEN="127.0.0.1:$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
YOYAKU_SERVER_WEB_ROOT="$ROOT/web/dist" start_server --data "$TMP/data" --demo --dev
cd "$ROOT/web"
YOYAKU_URL="http://127.0.0.1:$PORT" YOYAKU_MAILDIR="$TMP/maildir" YOYAKU_STRIPE="$YOYAKU_STRIPE" LINE_STANDIN="$LINE_STANDIN" ZOOM_STANDIN="$ZOOM_STANDIN" npx --no-install vitest run --config vitest.e2e.config.ts ${YOYAKU_E2E_ONLY:-} \
  || fail "a browser journey failed"
pass "browser journeys"

# Canary (issue 25): the journeys stored the Stripe keys and paid with a test card on the
# stand-in's page. Neither key nor card number is in the database files, the server's logs or
# a backup; the checkout's own id is in the database (the search can find what is there).
"$BIN" backup create --data "$TMP/data" --out "$TMP/backups" >"$TMP/backup.out" 2>&1 || fail "backup: $(cat "$TMP/backup.out")"
grep -a -r -q "cs_test_" "$TMP/data"/yoyaku.db* || fail "the checkout's id should be in the database"
for canary in "$YOYAKU_STRIPE_KEY" "$YOYAKU_STRIPE_WEBHOOK_SECRET" "4242 4242 4242 4242" "4242424242424242" \
  "$LINE_STANDIN_CHANNEL_SECRET" "$LINE_STANDIN_TOKEN" "$LINE_STANDIN_MESSAGING_SECRET" \
  "$ZOOM_STANDIN_CLIENT_SECRET"; do
  if grep -a -r -q -F -e "$canary" "$TMP/data" "$TMP/backups" "$TMP/server.log" "$TMP/server.out"; then
    fail "a payment, LINE or Zoom secret or a card number was found at rest or in a log"
  fi
done
pass "no provider, LINE or Zoom secret or card number in the database, logs or backups"
