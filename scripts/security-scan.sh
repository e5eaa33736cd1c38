#!/usr/bin/env bash
# Proves the attack surface with tools nobody here wrote (issue 24): starts the release binary
# with its built-in TLS listener and the demo tenant on loopback, signs a manager in (TOTP
# enrolled with oathtool), then runs
#   nmap ssl-enum-ciphers   on the TLS listener        gate: least strength A
#   sqlmap                  on every public route's parameters and the manager's list and
#                           search routes               gate: no injectable parameter found
#   wapiti                  over the booking site       gate: no vulnerability reported
#   slowhttptest            slowloris and slow body     gate: the server keeps answering
#   sqlmap, firewall on     two public routes again, the web application firewall in block
#                           mode                        gate: nothing injectable, requests blocked
# sqlmap and wapiti first attack a server with the firewall off (YOYAKU_WAF_MODE=off; the scan
# server runs --dev anyway): they test the platform's own defences, not the rule set.
# Installs the tools it needs (Debian 12), writes every report under OUT (default
# ./security-scan), prints a summary and exits 1 when a gate fails. Not part of the test
# command (it takes a while); run it before resolving security work and copy the summary into
# SECURITY.md.
#   scripts/security-scan.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mkdir -p "${1:-security-scan}" && cd "${1:-security-scan}" && pwd)

tools=(nmap sqlmap wapiti slowhttptest oathtool openssl curl python3)
missing=()
for p in nmap sqlmap wapiti slowhttptest oathtool; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "missing: ${missing[*]} (run as root or apt-get install them)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for t in "${tools[@]}"; do command -v "$t" >/dev/null || { echo "$t not found" >&2; exit 1; }; done

bin=build/release/src/cli/yoyaku
if [ ! -x "$bin" ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target yoyaku
fi
bash scripts/web.sh >/dev/null

tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# The server: TLS on a free loopback port, the demo tenant (--demo needs --dev; TLS keeps the
# cookies Secure and HSTS on), the web app.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=localhost" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1
chmod 600 "$tmp/key.pem"
YOYAKU_SERVER_TLS_CERT_FILE="$tmp/cert.pem" YOYAKU_SERVER_TLS_KEY_FILE="$tmp/key.pem" \
  YOYAKU_SERVER_WEB_ROOT="$PWD/web/dist" YOYAKU_SECURITY_FREE_BOOKINGS=1000000 YOYAKU_WAF_MODE=off \
  "$bin" serve --data "$tmp/data" --listen 127.0.0.1:0 --demo --dev 2>"$out/server.log" &
pid=$!
port=$(bash scripts/listening-port.sh "$out/server.log" "$pid")
base="https://127.0.0.1:$port"
c=(curl -sk -m 20)
echo "server on $base; reports in $out"

# A manager's session, enrolled in two-step sign-in as the demo manager must be.
altcha=$("${c[@]}" "$base/api/v1/challenge" | "$bin" challenge solve)
"${c[@]}" -c "$tmp/jar" -H 'Content-Type: application/json' -o "$tmp/signin" "$base/api/v1/session" \
  -d '{"tenant":"demo","email":"manager@demo.example","password":"Sakura-Demo-4821","altcha":"'"$altcha"'"}'
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$tmp/signin")
"${c[@]}" -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -X POST \
  -o "$tmp/totp" "$base/api/v1/session/totp" -d '{}'
secret=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secret"])' "$tmp/totp")
code=$(oathtool --totp -b "$secret")
"${c[@]}" -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -o /dev/null -w '%{http_code}\n' "$base/api/v1/session/totp/confirm" -d '{"code":"'"$code"'"}' |
  grep -q 200 || { echo "TOTP enrolment failed" >&2; exit 1; }
cookie=$(awk '$6 ~ /session/ {print $6"="$7}' "$tmp/jar" | tail -1)
offering=$("${c[@]}" "$base/api/v1/public/demo/offerings" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
occurrence=$("${c[@]}" "$base/api/v1/public/demo/offerings/$offering/availability?from=2000-01-01&to=2100-01-01" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(s["occurrence_id"] for s in d["slots"] if "occurrence_id" in s))' 2>/dev/null || echo 1)

failures=()
summary() { echo "$*" | tee -a "$out/summary.txt"; }
: >"$out/summary.txt"

# 1. TLS: every suite nmap finds graded.
nmap -Pn -p "$port" --script ssl-enum-ciphers 127.0.0.1 >"$out/nmap.txt" 2>&1 || true
grade=$(sed -n 's/.*least strength: \([A-F]\).*/\1/p' "$out/nmap.txt" | head -1)
summary "nmap ssl-enum-ciphers: least strength ${grade:-none found}"
[ "$grade" = A ] || failures+=("TLS least strength ${grade:-unknown}, not A")

# 2. sqlmap on the public routes' parameters and the manager's list and search routes.
sq=(sqlmap --batch --flush-session --disable-coloring --level 2 --risk 1 --threads 2
    --output-dir "$out/sqlmap" --timeout 15 --retries 1 --skip-waf --ignore-code 404)
today=$(date -u +%F)
later=$(date -u -d '+20 days' +%F)
# A * marks a path segment sqlmap should try (the query's and the body's fields it finds).
targets=(
  "GET $base/api/v1/public/demo*/offerings"
  "GET $base/api/v1/public/demo/offerings/$offering/availability?from=$today&to=$later"
  "JSON $base/api/v1/public/demo/bookings {\"occurrence_id\":$occurrence,\"tickets\":{\"adult\":1},\"customer\":{\"name\":\"scan\",\"email\":\"scan@example.jp\",\"phone\":\"0300000000\"}}"
  "JSON $base/api/v1/public/demo/bookings/ABCDEFGHJK*/lookup {\"email\":\"scan@example.jp\"}"
  "JSON $base/api/v1/public/demo/waitlist/ABCDEFGHJK*/lookup {\"email\":\"scan@example.jp\"}"
  "AUTH $base/api/v1/bookings?from=$today&to=$later&status=confirmed&email=scan@example.jp&limit=5"
  "AUTH $base/api/v1/audit-entries?action=booking.&actor=account:1&result=success&limit=5"
  "AUTH $base/api/v1/offerings/$offering*"
)
injectable=0
for t in "${targets[@]}"; do
  kind=${t%% *}; rest=${t#* }; url=${rest%% *}; data=${rest#* }
  log="$out/sqlmap-$(echo "$url" | tr -c 'a-zA-Z0-9' '_' | cut -c1-80).txt"
  case "$kind" in
    GET) "${sq[@]}" -u "$url" >"$log" 2>&1 || true ;;
    JSON) "${sq[@]}" -u "$url" --data "$data" \
            --headers "$(printf 'Content-Type: application/json\nIdempotency-Key: scan-%s' "$RANDOM$RANDOM")" \
            >"$log" 2>&1 || true ;;
    # Only the route's own parameters: a mangled session cookie would just sign the scan out.
    AUTH) names=$(python3 -c 'import sys, urllib.parse as u; print(",".join(k for k, _ in u.parse_qsl(u.urlsplit(sys.argv[1]).query)))' "$url")
          "${sq[@]}" -u "$url" --cookie "$cookie" ${names:+-p "$names"} >"$log" 2>&1 || true ;;
  esac
  if grep -qiE "is vulnerable|sqlmap identified the following injection point" "$log"; then
    injectable=$((injectable + 1))
    summary "  sqlmap FOUND an injection: $url"
  fi
done
summary "sqlmap: ${#targets[@]} routes, level 2, risk 1: $injectable injectable"
[ "$injectable" = 0 ] || failures+=("sqlmap found $injectable injectable route(s)")

# 3. wapiti over the booking site and its API.
wapiti -u "$base/t/demo" --scope domain -m "all" --flush-session -f json -o "$out/wapiti.json" \
  --max-scan-time 300 --verify-ssl 0 >"$out/wapiti.txt" 2>&1 || true
# Wapiti 3.0.4 still asks for "X-XSS-Protection: 1"; the platform sends "0" as OWASP's Secure
# Headers project advises (the auditor is gone from browsers and leaked where it lingered, the
# CSP protects): that one finding is accepted and reported, every other one fails the gate.
found=$(python3 -c '
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print(-1); sys.exit()
n = 0
for name, items in d.get("vulnerabilities", {}).items():
    for v in items:
        if v.get("info") == "X-XSS-Protection is not set":
            print("accepted: " + v["info"] + " (sent as 0 on purpose)", file=sys.stderr)
            continue
        print(name + ": " + str(v.get("method")) + " " + str(v.get("path")) + " " + str(v.get("info")), file=sys.stderr)
        n += 1
print(n)' "$out/wapiti.json" 2>"$out/wapiti-findings.txt")
summary "wapiti: $found vulnerabilities reported (besides the accepted X-XSS-Protection: 0)"
[ "$found" = 0 ] || failures+=("wapiti reported ${found} vulnerabilities (see wapiti.json)")

# 4. slowhttptest: slowloris (headers) and slow body; the server must keep answering others.
alive() { [ "$("${c[@]}" -o /dev/null -w '%{http_code}' "$base/healthz")" = 200 ]; }
for mode in H B; do
  name=$([ "$mode" = H ] && echo slowloris || echo slow-body)
  slowhttptest -c 400 -$mode -i 10 -r 100 -s 8192 -t POST -u "$base/api/v1/public/demo/bookings" \
    -x 24 -p 3 -l 30 -g -o "$out/slowhttptest-$name" >"$out/slowhttptest-$name.txt" 2>&1 &
  spid=$!
  sleep 15
  if alive; then held=yes; else held=no; fi
  wait "$spid" || true
  summary "slowhttptest $name (400 connections, 30 s): healthz answered during the attack: $held"
  [ "$held" = yes ] || failures+=("$name: the server stopped answering")
done

# 5. The firewall itself: a second server in block mode, sqlmap on two public routes.
YOYAKU_SERVER_TLS_CERT_FILE="$tmp/cert.pem" YOYAKU_SERVER_TLS_KEY_FILE="$tmp/key.pem" \
  YOYAKU_SECURITY_FREE_BOOKINGS=1000000 \
  "$bin" serve --data "$tmp/data-waf" --listen 127.0.0.1:0 --demo --dev 2>"$out/server-waf.log" &
wpid=$!
wport=$(bash scripts/listening-port.sh "$out/server-waf.log" "$wpid")
wbase="https://127.0.0.1:$wport"
woffering=$("${c[@]}" "$wbase/api/v1/public/demo/offerings" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
winjectable=0
for url in "$wbase/api/v1/public/demo/offerings/$woffering/availability?from=2027-01-01&to=2027-01-07" \
           "$wbase/api/v1/public/demo/bookings/AAAAAAAAAA/lookup"; do
  data=()
  [[ "$url" == */lookup ]] && data=(--data '{"email":"x@example.jp"}' --headers 'Content-Type: application/json')
  log="$out/sqlmap-waf-$(echo "$url" | tr -c 'a-zA-Z0-9' '_' | cut -c1-60).txt"
  # A browser's user agent: the payloads, not sqlmap's name, must get it refused.
  "${sq[@]}" --random-agent -u "$url" "${data[@]}" >"$log" 2>&1 || true
  grep -qiE "is vulnerable|sqlmap identified the following injection point" "$log" && winjectable=$((winjectable + 1))
done
blocked=$("${c[@]}" "$wbase/metrics" | sed -n 's/^yoyaku_waf_requests_total{action="blocked"} //p')
kill "$wpid" 2>/dev/null || true
summary "sqlmap with the firewall on: $winjectable injectable, ${blocked:-0} requests blocked by the firewall"
[ "$winjectable" = 0 ] && [ "${blocked:-0}" -gt 0 ] || failures+=("the firewall run: $winjectable injectable, ${blocked:-0} blocked")

if [ ${#failures[@]} -gt 0 ]; then
  summary "FAILED: ${failures[*]}"
  exit 1
fi
summary "all gates passed"
