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
)
if [ "${1:-run}" = test ]; then
  want+=(
    libgtest-dev libgmock-dev libbenchmark-dev clang-format-14
    postgresql-15 postgresql-client-15 wrk nginx-light python3-aiosmtpd python3-icalendar openssl procps sqlite3
  )
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing packages: ${missing[*]}" >&2
  echo "run this script as root (or install them with apt-get) and try again" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
