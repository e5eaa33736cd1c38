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
# The storage layer answers dialect questions (ADR 0003, ADR 0016): domain code never branches.
if git grep -nE 'backend\(\)|Backend::' -- 'src/domain/*.cpp' 'src/domain/*.hpp' ':!*_test.cpp'; then
  echo "domain code must not branch on the database backend: ask storage/" >&2
  exit 1
fi
# SQL lives in stores (ADR 0016): no domain file outside a `*_store.cpp` (or a store's part,
# `*_store_<part>.cpp`) holds any.
sql_re='"[^"]*\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b'
holding=$(git ls-files 'src/domain/*.cpp' 'src/domain/*.hpp' ':!src/domain/testing/*' |
  grep -v -e '_test\.cpp$' -e '_store\.cpp$' -e '_store_[a-z_]*\.cpp$' | xargs -r grep -lE "$sql_re" || true)
if [ -n "$holding" ]; then
  echo "SQL outside a store (move it into the slice's *_store.cpp): $holding" >&2
  exit 1
fi
echo "checks passed"
