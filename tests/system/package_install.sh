#!/usr/bin/env bash
# The Debian package on this machine (issue 30): its contents and dependencies, the unit
# checked by systemd-analyze (verify, and a security exposure of at most 2.0), an install
# that makes the system user and private folders, the service started the way the unit
# starts it (its user, no new privileges, no capabilities, no writable-and-executable memory,
# its command line and the notify socket and watchdog systemd would give it) serving the web
# app and answering ready, a tenant's booking site through nginx (the example the package
# ships), then remove and purge leaving no program, unit or configuration.
# Needs root (it installs a package); CI runs it from scripts/test.sh.
# Usage: package_install.sh build/release/yoyaku_<version>_amd64.deb
set -euo pipefail
DEB=$(realpath "${1:?path to yoyaku_<version>_amd64.deb}")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d)
chmod 755 "$TMP"
PID=""
fail() { echo "FAIL: $*" >&2; [ -f "$TMP/server.log" ] && tail -20 "$TMP/server.log" >&2; exit 1; }
pass() { echo "PASS: $*"; }

if [ "$(id -u)" -ne 0 ]; then
  [ "${CI:-}" = true ] && fail "the package test needs root (CI runs as root)"
  echo "SKIP: the package test needs root"
  exit 0
fi
if dpkg-query -W -f='${Status}' yoyaku 2>/dev/null | grep -q installed || [ -e /var/lib/yoyaku ]; then
  # A machine that runs Yoyaku from the package: the test would replace and purge it.
  [ "${CI:-}" = true ] && fail "yoyaku is installed here already (or /var/lib/yoyaku exists)"
  echo "SKIP: yoyaku is installed on this machine (or /var/lib/yoyaku exists): not touching it"
  exit 0
fi
source "$ROOT/tests/system/nginx_front.sh"
cleanup() {
  [ -f "$TMP/nginx/nginx.pid" ] && kill "$(cat "$TMP/nginx/nginx.pid")" 2>/dev/null || true
  [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null || true
  [ -n "${LISTENER:-}" ] && kill "$LISTENER" 2>/dev/null || true
  dpkg --purge yoyaku >/dev/null 2>&1 || true
  rm -rf /var/lib/yoyaku /var/lib/yoyaku-keys /var/backups/yoyaku "$TMP"
  getent passwd yoyaku >/dev/null && deluser --system --quiet yoyaku >/dev/null 2>&1 || true
  getent group yoyaku >/dev/null && delgroup --system --quiet yoyaku >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- what the package holds
info=$(dpkg-deb --field "$DEB" Package Version Architecture Depends)
for dep in libsystemd0 libpq5 libsqlite3-0 libsodium23 libmodsecurity3 modsecurity-crs adduser; do
  grep -q "$dep" <<<"$info" || fail "Depends lacks $dep: $info"
done
contents=$(dpkg-deb --contents "$DEB")
for path in ./usr/bin/yoyaku ./usr/share/yoyaku/web/index.html ./etc/yoyaku/yoyaku.toml \
  ./lib/systemd/system/yoyaku.service ./usr/share/doc/yoyaku/README.md ./usr/share/doc/yoyaku/copyright; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done
grep -q '^-rw-r----- .* ./etc/yoyaku/yoyaku.toml$' <<<"$contents" || fail "the configuration is not 0640 in the package"
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles | grep -qx /etc/yoyaku/yoyaku.toml ||
  fail "the configuration is not a conffile"
dpkg-deb --fsys-tarfile "$DEB" | tar -xO ./usr/share/doc/yoyaku/copyright | grep -qx "License: Apache-2.0" ||
  fail "the copyright file names no Apache-2.0 license"
pass "package: $(sed -n 's/^Version: //p' <<<"$info"), dependencies, files, conffile, copyright"

# --- install
apt-get install -y -qq --no-install-recommends "$DEB" >"$TMP/install.log" 2>&1 || { cat "$TMP/install.log" >&2; fail "install failed"; }
[ "$(getent passwd yoyaku | cut -d: -f7)" = /usr/sbin/nologin ] || fail "no system user yoyaku without a login shell"
[ "$(id -u yoyaku)" -lt 1000 ] || fail "yoyaku is not a system user"
for d in /var/lib/yoyaku /var/lib/yoyaku-keys /var/backups/yoyaku; do
  [ "$(stat -c '%a %U %G' "$d")" = "700 yoyaku yoyaku" ] || fail "$d is $(stat -c '%a %U %G' "$d"), not 700 yoyaku yoyaku"
done
[ "$(stat -c '%a %U %G' /etc/yoyaku/yoyaku.toml)" = "640 root yoyaku" ] || fail "yoyaku.toml is $(stat -c '%a %U %G' /etc/yoyaku/yoyaku.toml)"
pass "install: system user, private folders, configuration readable by the service only"

# --- the unit
UNIT=/lib/systemd/system/yoyaku.service
systemd-analyze verify "$UNIT" >"$TMP/verify.log" 2>&1 || { cat "$TMP/verify.log" >&2; fail "systemd-analyze verify"; }
grep -i 'yoyaku' "$TMP/verify.log" && fail "systemd-analyze verify warned about the unit"
systemd-analyze security --offline=true "$UNIT" >"$TMP/security.log" 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for yoyaku.service: \([0-9.]*\).*/\1/p' "$TMP/security.log")
[ -n "$exposure" ] || { cat "$TMP/security.log" >&2; fail "systemd-analyze security printed no exposure"; }
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || { grep '✗' "$TMP/security.log" >&2; fail "exposure $exposure > 2.0"; }
pass "unit: systemd-analyze verify clean, security exposure $exposure (at most 2.0)"

# --- started the way the unit starts it
unit_value() { sed -n "s/^$1=//p" "$UNIT" | head -1; }
read -r -a exec_start <<<"$(unit_value ExecStart)"
user=$(unit_value User)
watchdog_s=$(unit_value WatchdogSec)
nofile=$(unit_value LimitNOFILE)
[ "$(unit_value Type)" = notify ] || fail "the unit is not Type=notify"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 "$ROOT/tests/support/notify_listener.py" "$TMP/notify.sock" "$TMP/notify.log" &
LISTENER=$!
for _ in $(seq 1 50); do [ -S "$TMP/notify.sock" ] && break; sleep 0.1; done
# MemoryDenyWriteExecute as the kernel's own flag (prctl PR_SET_MDWE, kept across exec),
# then setpriv for the user, no new privileges and an empty capability bounding set.
(
  umask 0077
  ulimit -n "$nofile"
  cd /
  exec env -i PATH=/usr/bin:/bin LANG=C.UTF-8 NOTIFY_SOCKET="$TMP/notify.sock" \
    WATCHDOG_USEC=$((watchdog_s * 1000000)) YOYAKU_SERVER_LISTEN="127.0.0.1:$port" \
    /usr/bin/python3 -c 'import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(65, 1, 0, 0, 0) != 0: sys.exit("PR_SET_MDWE: " + os.strerror(ctypes.get_errno()))
os.execv(sys.argv[1], sys.argv[1:])' /usr/bin/setpriv --reuid="$user" --regid="$user" --init-groups \
    --no-new-privs --bounding-set=-all --inh-caps=-all "${exec_start[@]}"
) >"$TMP/server.out" 2>"$TMP/server.log" &
PID=$!
for _ in $(seq 1 300); do
  grep -q 'READY=1' "$TMP/notify.log" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || fail "the service exited during start"
  sleep 0.1
done
grep -q 'READY=1' "$TMP/notify.log" || fail "no READY=1 within 30 s"
[ "$(ps -o user= -p "$(pgrep -f "yoyaku serve --config /etc/yoyaku/yoyaku.toml" | head -1)")" = yoyaku ] ||
  fail "the service does not run as yoyaku"
code() { curl -s -o /dev/null -m 10 -w '%{http_code}' "http://127.0.0.1:$port$1" || true; }
[ "$(code /healthz)" = 200 ] || fail "/healthz: $(code /healthz)"
[ "$(code /readyz)" = 200 ] || fail "/readyz: $(code /readyz)"
curl -s -m 10 "http://127.0.0.1:$port/admin" | grep -q '<div id="app"' ||
  fail "the web app from /usr/share/yoyaku/web is not served"
grep -q 'watchdog every' "$TMP/server.log" || fail "the watchdog was not armed"
[ -n "$(find /var/lib/yoyaku-keys -type f)" ] || fail "no key in /var/lib/yoyaku-keys"
[ -z "$(find /var/lib/yoyaku /var/lib/yoyaku-keys -not -user yoyaku)" ] || fail "files not owned by yoyaku in the state folders"
[ -z "$(find /var/lib/yoyaku /var/lib/yoyaku-keys -type f -perm /077)" ] || fail "state files readable by others: $(find /var/lib/yoyaku /var/lib/yoyaku-keys -type f -perm /077)"
grep -q 'web application firewall: OWASP Core Rule Set' "$TMP/server.log" ||
  fail "the firewall's rules did not load (under MemoryDenyWriteExecute)"
pass "service: as yoyaku, under MemoryDenyWriteExecute with the firewall loaded, READY=1, /healthz and /readyz 200, web app served, private state"

# --- behind nginx: the example the package ships, its web root the package's
as_yoyaku() { setpriv --reuid=yoyaku --regid=yoyaku --init-groups --no-new-privs /usr/bin/yoyaku "$@" \
  --config /etc/yoyaku/yoyaku.toml --data /var/lib/yoyaku; }
(cd / && as_yoyaku tenant create --code hall --name 市民ホール --manager-email office@hall.example) \
  >"$TMP/tenant.log" 2>&1 || fail "tenant create: $(cat "$TMP/tenant.log")"
start_nginx_front /usr/share/doc/yoyaku/operations/nginx.conf /usr/share/yoyaku/web "$port"
nginx_curl "$NGINX_BASE/t/hall" | grep -q '<div id="app"' || fail "no booking site at /t/hall through nginx"
[ "$(nginx_curl -o /dev/null -w '%{http_code}' "$NGINX_BASE/api/v1/public/hall/offerings")" = 200 ] ||
  fail "the public API through nginx: $(nginx_curl "$NGINX_BASE/api/v1/public/hall/offerings")"
asset=$(cd /usr/share/yoyaku/web/assets && ls ./*.js | head -1 | sed 's|^\./||')
nginx_curl -D "$TMP/h" -o "$TMP/asset" "$NGINX_BASE/assets/$asset"
cmp -s "$TMP/asset" "/usr/share/yoyaku/web/assets/$asset" && ! grep -qi '^x-request-id:' "$TMP/h" ||
  fail "the web app's files are not nginx's from /usr/share/yoyaku/web: $(cat "$TMP/h")"
grep -q ' "GET /api/v1/public/hall/offerings HTTP/[0-9.]*" 200 ' "$TMP/nginx/logs/access.log" ||
  fail "nginx logged no API request: $(cat "$TMP/nginx/logs/access.log")"
pass "behind nginx (the shipped example): the booking site, its API through the service, the web app's files from the package"

# Commands as the service's user: a backup, then doctor. The package's configuration leaves
# the public address and the mail relay to the administrator; given those, nothing fails and
# nothing warns but a clock this machine does not synchronise (a container's).
(cd / && as_yoyaku backup create --out /var/backups/yoyaku) >"$TMP/backup.log" 2>&1 || fail "backup create: $(cat "$TMP/backup.log")"
# And a restore point (the service takes its first at start, but maybe not yet).
(cd / && as_yoyaku backup point --out /var/backups/yoyaku/points) >"$TMP/backup.log" 2>&1 || fail "backup point: $(cat "$TMP/backup.log")"
rc=0
(cd / && YOYAKU_SERVER_PUBLIC_URL=https://hall.example YOYAKU_MAIL_SMTP_URL=smtp://127.0.0.1:1 as_yoyaku doctor) \
  >"$TMP/doctor.log" 2>&1 || rc=$?
grep -q '^FAIL' "$TMP/doctor.log" && fail "doctor failed on the installed package: $(cat "$TMP/doctor.log")"
if grep '^WARN' "$TMP/doctor.log" | grep -vq 'clock: this machine'; then fail "doctor warned: $(cat "$TMP/doctor.log")"; fi
[ "$rc" -le 1 ] || fail "doctor exit $rc: $(cat "$TMP/doctor.log")"
grep -q 'ok    backup_age: 0 h' "$TMP/doctor.log" || fail "doctor saw no backup: $(cat "$TMP/doctor.log")"
grep -q 'ok    recovery: the newest restore point is 0 min old' "$TMP/doctor.log" ||
  fail "doctor saw no restore point: $(cat "$TMP/doctor.log")"
pass "backup, restore point and doctor as the service's user: no failure (exit $rc)"
kill -TERM "$PID"
wait "$PID" || fail "the service did not stop cleanly on SIGTERM"
PID=""
grep -q 'STOPPING=1' "$TMP/notify.log" || fail "no STOPPING=1"
pass "SIGTERM: STOPPING=1, clean exit"

# --- remove, then purge
dpkg --remove yoyaku >/dev/null
[ ! -e /usr/bin/yoyaku ] && [ ! -e "$UNIT" ] && [ ! -e /usr/share/yoyaku ] || fail "remove left the program, the unit or the web app"
[ -f /etc/yoyaku/yoyaku.toml ] || fail "remove took the configuration (a conffile stays until purge)"
dpkg --purge yoyaku >"$TMP/purge.log"
[ ! -e /etc/yoyaku ] || fail "purge left /etc/yoyaku"
[ -n "$(find /var/lib/yoyaku-keys -type f)" ] || fail "purge took the keys (the venue's records stay)"
grep -q 'remain in /var/lib/yoyaku' "$TMP/purge.log" || fail "purge did not say where the data remains"
pass "remove keeps the configuration; purge removes it and says where the data and keys remain"
