# The reverse proxy example (docs/operations/nginx.conf) adapted to this machine and started:
# only its name, ports, certificate, web root and upstream changed (IPv6 listeners dropped for a
# machine without IPv6 on loopback). Source it; needs TMP and fail.
#
# start_nginx_front EXAMPLE WEB_ROOT UPSTREAM_PORT : starts nginx in $TMP/nginx (stop it with
# `kill $(cat $TMP/nginx/nginx.pid)`) on NGINX_HTTPS_PORT (chosen if unset); sets
# NGINX_HTTP_PORT, NGINX_BASE (https://127.0.0.1:port) and NGINX_CRT, and waits for /healthz
# through it.
# nginx_curl ARGS... : curl trusting the proxy's certificate.
nginx_curl() { curl -s --cacert "$NGINX_CRT" -m 10 "$@"; }

start_nginx_front() {
  local example=$1 web=$2 upstream=$3 free
  command -v nginx >/dev/null || fail "nginx is not installed (scripts/deps.sh test)"
  free='import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
  NGINX_HTTPS_PORT=${NGINX_HTTPS_PORT:-$(/usr/bin/python3 -c "$free")}
  NGINX_HTTP_PORT=$(/usr/bin/python3 -c "$free")
  NGINX_CRT="$TMP/proxy.crt"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/proxy.key" -out "$NGINX_CRT" 2>/dev/null
  mkdir -p "$TMP/nginx/logs"
  sed -e "s/yoyaku.example.jp;/127.0.0.1;/" \
    -e "s|listen 80;|listen 127.0.0.1:$NGINX_HTTP_PORT;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$NGINX_HTTPS_PORT ssl http2;|" \
    -e '/listen \[::\]/d' \
    -e "s|/etc/letsencrypt/live/yoyaku.example.jp/fullchain.pem|$NGINX_CRT|" \
    -e "s|/etc/letsencrypt/live/yoyaku.example.jp/privkey.pem|$TMP/proxy.key|" \
    -e "s|root /usr/share/yoyaku/web;|root $web;|" -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$upstream;|" \
    "$example" >"$TMP/nginx/site.conf"
  grep -q "127.0.0.1:$upstream" "$TMP/nginx/site.conf" && grep -q "$NGINX_CRT" "$TMP/nginx/site.conf" ||
    fail "the example's placeholders changed: adapt tests/system/nginx_front.sh"
  cat >"$TMP/nginx/nginx.conf" <<CONF
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
worker_processes 1;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $TMP/nginx/logs/access.log;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    include $TMP/nginx/site.conf;
}
CONF
  nginx -t -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log" 2>"$TMP/nginx-t.log" ||
    fail "nginx -t: $(cat "$TMP/nginx-t.log")"
  nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log"
  NGINX_BASE="https://127.0.0.1:$NGINX_HTTPS_PORT"
  for _ in $(seq 1 50); do
    [ "$(nginx_curl -o /dev/null -w '%{http_code}' "$NGINX_BASE/healthz")" = 200 ] && return 0
    sleep 0.1
  done
  fail "no /healthz through nginx: $(cat "$TMP/nginx/logs/error.log")"
}
