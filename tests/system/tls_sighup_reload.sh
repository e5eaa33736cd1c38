#!/usr/bin/env bash
# Built-in TLS on the binary: TLS 1.1 refused, TLS 1.2 with an AEAD suite, HSTS, and SIGHUP
# serving a renewed certificate to new connections without a restart.
source "$(dirname "$0")/common.sh"
cert() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$1" \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
  chmod 600 "$TMP/key.pem"
}
subject() {
  openssl s_client -connect "127.0.0.1:$PORT" "$@" </dev/null 2>/dev/null |
    sed -n 's/^subject=.*CN *= *\([^,/]*\).*/\1/p' | head -1
}
cert one.test
YOYAKU_SERVER_TLS_CERT_FILE="$TMP/cert.pem" YOYAKU_SERVER_TLS_KEY_FILE="$TMP/key.pem" \
  start_server --data "$TMP/data"
for _ in $(seq 1 50); do [ -n "$(subject)" ] && break; sleep 0.1; done
[ "$(subject)" = one.test ] || fail "first certificate not served: '$(subject)'"
headers=$(curl -sk -D - -o /dev/null "https://127.0.0.1:$PORT/healthz")
grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers" || fail "no HSTS: $headers"
openssl s_client -connect "127.0.0.1:$PORT" -tls1_1 </dev/null >/dev/null 2>&1 && fail "TLS 1.1 accepted"
cipher=$(openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 </dev/null 2>/dev/null | sed -n 's/.*Cipher is \(.*\)/\1/p' | head -1)
case "$cipher" in *GCM*|*CHACHA20*) ;; *) fail "TLS 1.2 negotiated a non-AEAD suite: '$cipher'" ;; esac
pass "TLS 1.2/1.3 only, AEAD ($cipher), HSTS"
cert two.test
kill -HUP "$SERVER_PID"
for _ in $(seq 1 50); do [ "$(subject)" = two.test ] && break; sleep 0.1; done
[ "$(subject)" = two.test ] || fail "renewed certificate not served after SIGHUP"
kill -0 "$SERVER_PID" || fail "server died on SIGHUP"
pass "SIGHUP reloads the certificate"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
