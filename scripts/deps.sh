#!/usr/bin/env bash
# Installs the Debian packages Yoyaku needs, only those that are missing.
# Usage: scripts/deps.sh [run|test]   (test adds the database server, load tools, SMTP sink)
set -euo pipefail

want=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates curl
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev libssl-dev
  libsqlite3-dev libpq-dev libsodium-dev liboath-dev libhowardhinnant-date-dev tzdata
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libcurl4-openssl-dev libqrencode-dev libunistring-dev libkainjow-mustache-dev
  libmodsecurity-dev modsecurity-crs libsystemd-dev libcsv-dev
  libcairo2-dev libpango1.0-dev fonts-ipaexfont-gothic
)
# Node.js and npm build the web app (Node.js 18 or later: Debian 12's when none is there); the
# browser tests' playwright-core needs Node.js 20 or later (checked below for `test`).
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || want+=(nodejs npm)
if [ "${1:-run}" = test ]; then
  want+=(
    chromium
    libgtest-dev libgmock-dev libbenchmark-dev clang-format-14
    postgresql-15 postgresql-client-15 wrk nginx-light python3-aiosmtpd python3-yaml python3-icalendar python3-cryptography openssl procps sqlite3 poppler-utils zbar-tools
    devscripts systemd pgbackrest pgbouncer patroni etcd-server
  )
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
node_check() {
  [ "${1:-run}" = test ] || return 0
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "the browser tests need Node.js 20 or later (this is $(node --version))" >&2
    exit 1
  fi
}
if [ ${#missing[@]} -eq 0 ]; then
  node_check "${1:-run}"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "missing packages: ${missing[*]}" >&2
  echo "run this script as root (or install them with apt-get) and try again" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
node_check "${1:-run}"
