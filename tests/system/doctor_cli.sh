#!/usr/bin/env bash
# yoyaku doctor: names what is wrong with its fix and answers with the monitoring convention's
# exit status (0 ok, 1 warnings, 2 failures); green on a complete installation; reads only.
source "$(dirname "$0")/common.sh"
d="$TMP/data"
doctor() { rc=0; "$BIN" doctor "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?; }
expect() { # expect RC PATTERN… : the exit status, and each pattern on some line
  [ "$rc" = "$1" ] || fail "doctor exit $rc, not $1: $(cat "$TMP/out" "$TMP/err")"
  shift
  for p in "$@"; do grep -q -- "$p" "$TMP/out" || fail "doctor did not say '$p': $(cat "$TMP/out")"; done
}

doctor --data "$d"
expect 2 "FAIL  database: no database at $d/yoyaku.db" "fix: start the service once" "FAIL  keys:"
[ ! -e "$d" ] || fail "doctor created the data folder"
pass "nothing installed: failures with their fixes, exit 2, nothing created"

"$BIN" migrate --data "$d" >/dev/null 2>&1
mkdir -m 700 "$TMP/backups"
export YOYAKU_SERVER_PUBLIC_URL=https://hall.example YOYAKU_BACKUP_DIR="$TMP/backups" \
  YOYAKU_MAIL_SMTP_URL=smtp://127.0.0.1:1
doctor --data "$d"
expect 2 "FAIL  backup_age: no backup"
"$BIN" backup create --data "$d" --out "$TMP/backups" >/dev/null 2>&1 || fail "backup create"
doctor --data "$d"
expect 1 "WARN  recovery: no restore point yet"
"$BIN" backup point --data "$d" --out "$TMP/backups/points" >/dev/null 2>&1 || fail "backup point"
doctor --data "$d"
grep -q '^FAIL' "$TMP/out" && fail "failures on a complete installation: $(cat "$TMP/out")"
# A container's clock may not be NTP-synchronised: the one warning allowed.
if grep '^WARN' "$TMP/out" | grep -vq 'clock: this machine'; then fail "warnings: $(cat "$TMP/out")"; fi
[ "$rc" -le 1 ] || fail "exit $rc"
expect "$rc" "ok    schema: version" "ok    keys: master key and audit chain key open" "ok    backup_age: 0 h" \
  "ok    disk_free:" "ok    permissions: data $d is 700" "ok    recovery: the newest restore point is 0 min old"
pass "complete installation: no failure, exit $rc"

chmod 755 "$d"
doctor --data "$d"
expect 2 "FAIL  permissions: data $d is 755" "fix: chmod 700 $d"
chmod 700 "$d"
mv "$d/keys/audit.key" "$TMP/audit.key"
doctor --data "$d"
expect 2 "FAIL  keys: the audit chain key is missing"
mv "$TMP/audit.key" "$d/keys/audit.key"
pass "a data folder open to others and a missing key: named, exit 2"

cert() { # cert DAYS
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$1" -subj /CN=hall.example \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
  chmod 600 "$TMP/key.pem"
}
cert 5
YOYAKU_SERVER_TLS_CERT_FILE="$TMP/cert.pem" YOYAKU_SERVER_TLS_KEY_FILE="$TMP/key.pem" doctor --data "$d"
expect 1 "WARN  tls: the certificate expires soon: "
grep -Eq "expires soon: [45] days left" "$TMP/out" || fail "not 4 or 5 days left: $(cat "$TMP/out")"
cert 400
YOYAKU_SERVER_TLS_CERT_FILE="$TMP/cert.pem" YOYAKU_SERVER_TLS_KEY_FILE="$TMP/key.pem" doctor --data "$d"
# 399 days and some hours left, or 400 when the certificate was made in this very second.
grep -Eq "^ok    tls: certificate valid, (399|400) days left" "$TMP/out" || fail "not 399 or 400 days: $(cat "$TMP/out")"
pass "TLS certificate expiry: 5 days warned, 400 days ok"

# PostgreSQL: the serving role's rights and the database's clock.
pg="$ROOT/scripts/pg-test-server.sh"
if ! url=$("$pg" start "$TMP/pg" $((58000 + RANDOM % 1000))); then
  [ "${CI:-}" = true ] && fail "could not start a PostgreSQL test server"
  echo "SKIP: no PostgreSQL"; exit 0
fi
cleanup_hooks+=("'$pg' stop '$TMP/pg'")
app_url=${url/yoyaku@/yoyaku_app@}
YOYAKU_DATABASE_OWNER_URL="$url" "$BIN" migrate --data "$TMP/pgdata" --database-url "$app_url" >/dev/null 2>&1 ||
  fail "migrate on PostgreSQL"
chmod 700 "$TMP/pgdata"
doctor --data "$TMP/pgdata" --database-url "$url"
expect 2 "ok    database: postgres reachable" "FAIL  database role: the role yoyaku" "owns"
doctor --data "$TMP/pgdata" --database-url "$app_url"
expect "$rc" "ok    database role: row-level security binds it" "ok    clock: the database's clock is" \
  "WARN  recovery: PostgreSQL does not archive its WAL"
grep -q '^FAIL' "$TMP/out" && fail "failures with the serving role: $(cat "$TMP/out")"
pass "PostgreSQL: the tables' owner refused, the serving role bound by row-level security, clocks agree"
