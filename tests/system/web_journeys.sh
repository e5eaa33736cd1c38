#!/usr/bin/env bash
# The browser journeys (web/e2e/*.e2e.ts): the built web app served by `yoyaku serve` with the
# demo tenant, a real SMTP server and the Stripe stand-in, driven in Debian's Chromium by playwright-core; axe-core
# checks every page. YOYAKU_E2E_ONLY=e2e/<file>.e2e.ts runs one file (while working on it).
source "$(dirname "$0")/common.sh"
[ -f "$ROOT/web/dist/index.html" ] || fail "web/dist is not built (scripts/web.sh)"
[ -x /usr/bin/chromium ] || fail "chromium is not installed (scripts/deps.sh test)"
# Mail (sign-up confirmations) goes to a real SMTP server; the journeys read its mailbox.
start_smtp
# Online payments go to the Stripe stand-in, whose hosted page the payment journey uses.
start_stripe
# A port known before the start, so that the links the server makes (mails, the payment page's
# way back) lead to it.
LISTEN="127.0.0.1:$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
YOYAKU_SERVER_WEB_ROOT="$ROOT/web/dist" start_server --data "$TMP/data" --demo --dev
cd "$ROOT/web"
YOYAKU_URL="http://127.0.0.1:$PORT" YOYAKU_MAILDIR="$TMP/maildir" YOYAKU_STRIPE="$YOYAKU_STRIPE" npx --no-install vitest run --config vitest.e2e.config.ts ${YOYAKU_E2E_ONLY:-} \
  || fail "a browser journey failed"
pass "browser journeys"
