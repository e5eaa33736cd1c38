#!/usr/bin/env bash
# Builds the web app into web/dist (served by `yoyaku serve` as server.web_root): installs the
# npm packages pinned in web/package-lock.json when they changed, type-checks, bundles, and
# reports the public booking page's JavaScript size against its budget.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.yoyaku-lock
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  # `npm install` keeps the versions in the lock file. (Not `npm ci`: it refuses a lock file that
  # lists only this platform's optional packages, which is what npm writes here.)
  npm install --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
npm run --silent build
