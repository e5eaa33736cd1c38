#!/usr/bin/env bash
# The README's sign-in with curl, against a server started with the demo tenant: fetch a
# proof-of-work challenge, solve it with `yoyaku challenge solve`, sign in, use the session;
# the same answer a second time is refused.
source "$(dirname "$0")/common.sh"
start_server --data "$TMP/data" --demo --dev
base="http://127.0.0.1:$PORT"
altcha=$(curl -s "$base/api/v1/challenge" | "$BIN" challenge solve) || fail "no answer"
body='{"tenant":"demo","email":"manager@demo.example","password":"Sakura-Demo-4821","altcha":"'"$altcha"'"}'
code=$(curl -s -o "$TMP/signin" -w '%{http_code}' -c "$TMP/jar" -H 'Content-Type: application/json' \
  "$base/api/v1/session" -d "$body")
[ "$code" = 201 ] || fail "sign-in answered $code: $(cat "$TMP/signin")"
grep -q '"mfa_enrolment_required":true' "$TMP/signin" || fail "the demo manager must enrol: $(cat "$TMP/signin")"
code=$(curl -s -o "$TMP/me" -w '%{http_code}' -b "$TMP/jar" "$base/api/v1/session")
[ "$code" = 200 ] && grep -q '"role":"manager"' "$TMP/me" || fail "session: $code $(cat "$TMP/me")"
pass "challenge solved from the command line; signed in; session works"
code=$(curl -s -o "$TMP/again" -w '%{http_code}' -H 'Content-Type: application/json' \
  "$base/api/v1/session" -d "$body")
[ "$code" = 400 ] && grep -q '"field":"altcha"' "$TMP/again" || fail "reused answer: $code $(cat "$TMP/again")"
echo '{"nothing":1}' | "$BIN" challenge solve 2>/dev/null && fail "garbage solved"
pass "a used answer is refused; garbage is not solved"

# The firewall is on by default in the real binary: an injection in a sign-in body is refused
# with 403 before the sign-in runs, logged by rule id without the payload, counted by rule.
code=$(curl -s -o "$TMP/waf" -w '%{http_code}' -H 'Content-Type: application/json' "$base/api/v1/session" \
  -d '{"tenant":"demo","email":"x@example.jp'"'"' OR 1=1--","password":"<script>alert(1)</script>"}')
[ "$code" = 403 ] && grep -q '"code":"forbidden"' "$TMP/waf" || fail "attack answered $code: $(cat "$TMP/waf")"
grep -q 'waf: blocked .*route=/api/v1/session .*rules=.*949110' "$TMP/server.log" || fail "no firewall line: $(tail -5 "$TMP/server.log")"
if grep -q 'alert(1)' "$TMP/server.log"; then fail "the payload reached the log"; fi
curl -s "$base/metrics" | grep -q 'yoyaku_waf_requests_total{action="blocked"} 1' || fail "firewall block not counted"
pass "the firewall refuses an attack by default, logs rule ids only and counts it"

# Mail from the running server: a password reset goes through the outbox and the relay to a
# real SMTP server over STARTTLS (python3-aiosmtpd with a throw-away certificate).
start_smtp
kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
YOYAKU_MAIL_FROM="no-reply@demo.example" start_server --data "$TMP/data" --dev
base="http://127.0.0.1:$PORT"
altcha=$(curl -s "$base/api/v1/challenge" | "$BIN" challenge solve) || fail "no answer"
code=$(curl -s -o "$TMP/reset" -w '%{http_code}' -H 'Content-Type: application/json' "$base/api/v1/password/reset" \
  -d '{"tenant":"demo","email":"manager@demo.example","altcha":"'"$altcha"'"}')
[ "$code" = 202 ] || fail "reset answered $code: $(cat "$TMP/reset")"
for _ in $(seq 1 100); do
  [ -n "$(ls -A "$TMP/maildir/new" 2>/dev/null)" ] && break
  sleep 0.1
done
msg=$(cat "$TMP"/maildir/new/* 2>/dev/null) || fail "no mail arrived"
grep -q "^To: <manager@demo.example>" <<<"$msg" || fail "mail to whom? $msg"
grep -q "^Subject: =?UTF-8?B?" <<<"$msg" || fail "subject not encoded: $msg"
if grep -rq "manager@demo.example" "$TMP/server.log"; then fail "an address reached the log"; fi
pass "a reset mail left the running server over STARTTLS; no address in the log"
