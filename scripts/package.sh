#!/usr/bin/env bash
# Builds the Debian package: the hardened release binary, the web app, then CPack's
# yoyaku_<version>_amd64.deb in build/release (README "Production install").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh run
cmake --preset release -DYOYAKU_WERROR=ON >/dev/null
cmake --build --preset release --target yoyaku
bash scripts/web.sh
(cd build/release && cpack -G DEB >/dev/null)
deb=$(ls -t build/release/yoyaku_*_amd64.deb | head -1)
echo "$deb"
