#!/usr/bin/env bash
# Installs what is missing, builds, and starts Yoyaku on embedded SQLite under ./data with the
# demo tenant, in the background. Prints the URL. Run again to rebuild and restart.
#   YOYAKU_LISTEN=127.0.0.1:9090 scripts/start.sh   (another address)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh run
cmake --preset release >/dev/null
cmake --build --preset release
bash scripts/web.sh
bin=build/release/src/cli/yoyaku
listen=${YOYAKU_LISTEN:-127.0.0.1:8080}

bash scripts/stop.sh
mkdir -p data
chmod 700 data
nohup "$bin" serve --data ./data --demo --dev --listen "$listen" >data/server.out 2>data/server.log &
echo $! >data/yoyaku.pid

url="http://$listen"
for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null "$url/healthz" 2>/dev/null; then
    cat <<MSG

Yoyaku is running: $url
  health:       $url/healthz   readiness: $url/readyz
  demo tenant:  code "demo" (デモ市民会館 / Demo Civic Hall)
  booking site: $url/t/demo   (the demo concert: book as a guest, view or cancel)
  API:          $url/api/v1/public/demo/offerings (docs/api/openapi.yaml)
  admin:        $url/admin   (bookings calendar; the manager sets up an authenticator app first)
  demo logins (the admin screen above, or the JSON API POST $url/api/v1/session):
    manager   tenant "demo"  manager@demo.example   / Sakura-Demo-4821
    manager   tenant "demo"  office@demo.example    / Kaede-Office-2468  (the facility office)
    operator  (no tenant)    operator@demo.example  / Fuji-Operator-7310
    (over the API, sign-in needs a solved challenge: $bin challenge solve, see README;
     both must enrol an authenticator app first: POST /api/v1/session/totp)
  mail:         held in the outbox until mail.smtp_url is set (README, Configuration)
  data:         ./data (SQLite), logs in ./data/server.log and ./data/logs/
  stop:         scripts/stop.sh
MSG
    exit 0
  fi
  if ! kill -0 "$(cat data/yoyaku.pid)" 2>/dev/null; then
    echo "Yoyaku failed to start:" >&2
    tail -20 data/server.log >&2
    exit 1
  fi
  sleep 0.1
done
echo "Yoyaku did not answer $url/healthz in time; see data/server.log" >&2
exit 1
