#!/usr/bin/env bash
# Starts (or reuses) a private PostgreSQL 15 cluster for the tests, on loopback only, and
# prints the connection URL. The platform connects as the role "yoyaku": no superuser, no
# BYPASSRLS, so row-level security applies to it; backups as "yoyaku_backup" (BYPASSRLS).
#   scripts/pg-test-server.sh start DIR [PORT]   → prints postgresql://yoyaku@127.0.0.1:PORT/yoyaku_test
#     (a new cluster takes PORT or the next free port; an existing one keeps its port)
#   scripts/pg-test-server.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}
dir=$(mkdir -p "${2:?data directory}" && cd "$2" && pwd)
port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
[ -n "$bin" ] || { echo "PostgreSQL 15 server binaries not found (apt-get install postgresql-15)" >&2; exit 1; }

# The server refuses to run as root: use the postgres system user when we are root.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "$cmd" = stop ]; then
  [ -f "$dir/pgdata/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/pgdata" -m fast -w stop >/dev/null || true
  exit 0
fi

in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
new=0
if [ -f "$dir/pgdata/PG_VERSION" ]; then
  port=$(sed -n 's/^port = \([0-9]*\)$/\1/p' "$dir/pgdata/postgresql.conf" | tail -1)
else
  new=1
  # Another server may hold the wanted port: take the next free one.
  for _ in $(seq 1 50); do in_use "$port" || break; port=$((port + 1)); done
  as_pg "$bin/initdb" -D "$dir/pgdata" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$dir/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 256MB
fsync = on
CONF
fi
if ! as_pg "$bin/pg_ctl" -D "$dir/pgdata" status >/dev/null 2>&1; then
  # A port no server listens on can still be held by an outgoing connection (test ports lie in
  # the kernel's ephemeral range), and then the server cannot bind it: a new cluster moves on to
  # the next free port; an existing one keeps its port (its URL is already known).
  for attempt in $(seq 1 20); do
    rm -f "$dir/server.log"
    as_pg "$bin/pg_ctl" -D "$dir/pgdata" -l "$dir/server.log" -w -t 30 start >/dev/null 2>&1 && break
    if [ "$new" = 0 ] || [ "$attempt" = 20 ] || ! grep -q "could not create any TCP/IP sockets" "$dir/server.log"; then
      cat "$dir/server.log" >&2
      echo "pg-test-server: PostgreSQL did not start" >&2
      exit 1
    fi
    port=$((port + 1))
    for _ in $(seq 1 50); do in_use "$port" || break; port=$((port + 1)); done
    sed -i "s/^port = [0-9]*$/port = $port/" "$dir/pgdata/postgresql.conf"
  done
fi
psql=(as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAX -v ON_ERROR_STOP=1)
"${psql[@]}" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yoyaku') THEN
  CREATE ROLE yoyaku LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE; END IF; END \$\$;"
# `serve` in production connects as a role that owns none of the tables (yoyaku owns them and
# migrates): row-level security cannot be switched off by it (README, PostgreSQL roles).
"${psql[@]}" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yoyaku_app') THEN
  CREATE ROLE yoyaku_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB; END IF; END \$\$;"
# Backups read and restore every tenant's rows: a role that bypasses row-level security, may
# create scratch databases, and is a member of yoyaku (a restore keeps yoyaku as the owner).
"${psql[@]}" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yoyaku_backup') THEN
  CREATE ROLE yoyaku_backup LOGIN NOSUPERUSER BYPASSRLS CREATEDB NOCREATEROLE IN ROLE yoyaku; END IF; END \$\$;"
[ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'yoyaku_test'")" = 1 ] ||
  "${psql[@]}" -c "CREATE DATABASE yoyaku_test OWNER yoyaku"
echo "postgresql://yoyaku@127.0.0.1:$port/yoyaku_test"
