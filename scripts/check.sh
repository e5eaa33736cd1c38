#!/usr/bin/env bash
# Static checks: clang-format 14 applied; the layering rule (domain code includes no
# transport or driver headers).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.hpp')
if ! clang-format-14 --dry-run -Werror $files 2>/tmp/yoyaku-format.txt; then
  head -30 /tmp/yoyaku-format.txt >&2
  echo "clang-format-14 would change the files above: run clang-format-14 -i on them" >&2
  exit 1
fi
if [ -d src/domain ] && grep -rnE '#include <(boost/(asio|beast)|libpq|sqlite3\.h|sodium\.h)' src/domain; then
  echo "src/domain must not include Asio, Beast, libpq, sqlite3.h or sodium.h" >&2
  exit 1
fi
if git grep -nE '#include <boost/(asio|beast)' -- src ':!src/http/server/server.cpp'; then
  echo "Beast/Asio belong in src/http/server/server.cpp only" >&2
  exit 1
fi
echo "checks passed"
