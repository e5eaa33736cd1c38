#!/usr/bin/env bash
# The reverse proxy example (docs/operations/nginx.conf) in front of `yoyaku serve`: the file
# itself, with only its name, ports, certificate and folders changed for this machine. Plain
# HTTP sent to HTTPS, TLS 1.1 refused, HTTP/2, Yoyaku's HSTS through it, the web app's files
# served by nginx (never reaching Yoyaku), bodies over Yoyaku's limit refused by nginx, the
# client's address taken from X-Forwarded-For and a forged one ignored, /metrics closed; then
# the guest booking journey in Chromium through it.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/nginx_front.sh"
[ -f "$ROOT/web/dist/index.html" ] || fail "web/dist is not built (scripts/web.sh)"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# nginx's workers may run as another user: the web app and the folders are readable by them.
mkdir -p "$TMP/web"
cp -r "$ROOT/web/dist/." "$TMP/web/"
chmod -R a+rX "$TMP/web"

# The journey reads the mail a booking sends (its links lead through the proxy: public_url).
# nginx's ports are known before Yoyaku starts; nginx starts once Yoyaku's port is.
start_smtp
LISTEN="127.0.0.1:$(free_port)"
NGINX_HTTPS_PORT=$(free_port)
YOYAKU_SERVER_BEHIND_PROXY=true YOYAKU_SERVER_TRUSTED_PROXIES="127.0.0.1/32" \
  YOYAKU_SERVER_PUBLIC_URL="https://127.0.0.1:$NGINX_HTTPS_PORT" YOYAKU_SERVER_WEB_ROOT="$ROOT/web/dist" \
  start_server --data "$TMP/data" --demo --dev
start_nginx_front "$ROOT/docs/operations/nginx.conf" "$TMP/web" "$PORT"
cleanup_hooks+=("kill \$(cat '$TMP/nginx/nginx.pid')")
base=$NGINX_BASE http_port=$NGINX_HTTP_PORT
c() { nginx_curl "$@"; }

[ "$(c -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/t/demo")" = "301 https://127.0.0.1/t/demo" ] ||
  fail "plain HTTP is not sent to HTTPS"
[ "$(c -o /dev/null -w '%{http_version}' --http2 "$base/t/demo")" = 2 ] || fail "no HTTP/2"
c -o /dev/null --tls-max 1.1 "$base/healthz" && fail "TLS 1.1 accepted"
c -D "$TMP/h" -o /dev/null "$base/t/demo"
grep -qi '^strict-transport-security: max-age=31536000' "$TMP/h" || fail "no HSTS through the proxy: $(cat "$TMP/h")"
pass "HTTP → HTTPS, TLS 1.2+ only, HTTP/2, Yoyaku's HSTS through the proxy"

asset=$(cd "$TMP/web/assets" && ls ./*.js | head -1 | sed 's|^\./||')
c -D "$TMP/h" -o "$TMP/asset" "$base/assets/$asset"
cmp -s "$TMP/asset" "$TMP/web/assets/$asset" || fail "the asset differs"
grep -qi '^cache-control: public, max-age=31536000, immutable' "$TMP/h" || fail "no year-long cache: $(cat "$TMP/h")"
# Yoyaku stamps every answer with X-Request-Id: this one never saw it.
grep -qi '^x-request-id:' "$TMP/h" && fail "the asset request reached Yoyaku: $(cat "$TMP/h")"
pass "the web app's files served by nginx, cached a year, never reaching Yoyaku"

head -c $((1024 * 1024 + 1)) /dev/zero >"$TMP/big"
[ "$(c -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$TMP/big" "$base/api/v1/public/demo/bookings")" = 413 ] ||
  fail "a body over 1 MiB was not refused"
[ "$(c -o /dev/null -w '%{http_code}' "$base/metrics")" = 404 ] || fail "/metrics is open through the proxy"
pass "a body over Yoyaku's 1 MiB refused by nginx (413); /metrics closed"

# From 127.0.0.2, with a forged X-Forwarded-For: Yoyaku records 127.0.0.2 (nginx appended it;
# the forged entry is left of it). Loopback answers on all of 127/8.
rid=$(c -o /dev/null -w '%header{x-request-id}' --interface 127.0.0.2 -H 'X-Forwarded-For: 203.0.113.9' \
  "$base/api/v1/public/demo/offerings")
[ -n "$rid" ] || fail "no X-Request-Id through the proxy"
line=""
for _ in $(seq 1 40); do # the access log is flushed every second
  line=$(grep -h "\"$rid\"" "$TMP/data/logs/"access_*.jsonl 2>/dev/null || true)
  [ -n "$line" ] && break
  sleep 0.1
done
grep -q '"client":"127.0.0.2"' <<<"$line" || fail "the client address is not the proxy's view: $line"
pass "the client's address from X-Forwarded-For, a forged entry ignored (request $rid)"

cd "$ROOT/web"
YOYAKU_URL="$base" YOYAKU_MAILDIR="$TMP/maildir" YOYAKU_E2E_SELF_SIGNED=1 NODE_EXTRA_CA_CERTS="$TMP/proxy.crt" \
  npx --no-install vitest run --config vitest.e2e.config.ts e2e/guest-booking.e2e.ts ||
  fail "the guest booking journey failed through nginx"
pass "the guest booking journey through nginx (HTTPS, HTTP/2)"
