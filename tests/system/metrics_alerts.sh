#!/usr/bin/env bash
# Observability (issue 30): /metrics carries yoyaku_build_info and the platform's self-check
# (each check's state and its value in base units); every series the example alert rules
# (docs/operations/prometheus-alerts.yml) use is one a running node exports; the application
# log as JSON lines (log.format = "json").
source "$(dirname "$0")/common.sh"
mkdir -m 700 "$TMP/backups"
YOYAKU_LOG_FORMAT=json YOYAKU_BACKUP_DIR="$TMP/backups" start_server --data "$TMP/data"
wait_status /readyz 200 30
metrics() { curl -s -m 10 "http://127.0.0.1:$PORT/metrics"; }
# The scheduler looks for due jobs every 30 s; the first self-check comes with its first look.
for _ in $(seq 1 90); do metrics | grep -q '^yoyaku_monitor_check_ok{check="disk_free"}' && break; sleep 0.5; done
metrics >"$TMP/metrics"
version=$("$BIN" version | awk '{print $2}')
grep -qx "yoyaku_build_info{version=\"$version\"} 1" "$TMP/metrics" || fail "no yoyaku_build_info for $version"
for check in database_latency queue_lag mail_failures backup_age disk_free; do
  grep -Eq "^yoyaku_monitor_check_ok\{check=\"$check\"\} [01]$" "$TMP/metrics" || fail "no state of the $check check"
done
/usr/bin/python3 - "$TMP/metrics" <<'PY' || fail "self-check values out of range: $(grep yoyaku_monitor "$TMP/metrics")"
import sys, time
v = {}
for line in open(sys.argv[1]):
    if line.startswith("yoyaku_monitor_") and "{" not in line:
        name, value = line.split()
        v[name] = float(value)
assert 0 < v["yoyaku_monitor_disk_free_ratio"] <= 1, v
assert 0 <= v["yoyaku_monitor_database_latency_seconds"] < 5, v
assert v["yoyaku_monitor_queue_lag_seconds"] >= 0 and v["yoyaku_monitor_mail_failures_last_hour"] == 0, v
age = v["yoyaku_monitor_backup_age_seconds"]  # the first backup runs at start: +Inf before it
assert age == float("inf") or 0 <= age < 3600, v
assert abs(time.time() - v["yoyaku_monitor_reading_timestamp_seconds"]) < 120, v
PY
pass "yoyaku_build_info and the self-check (states and values) in /metrics"

/usr/bin/python3 - "$ROOT/docs/operations/prometheus-alerts.yml" "$TMP/metrics" <<'PY' || fail "the example alert rules do not match /metrics"
import re, sys, yaml
rules = [r for g in yaml.safe_load(open(sys.argv[1]))["groups"] for r in g["rules"]]
exported = {line.split("{")[0].split()[0] for line in open(sys.argv[2]) if line and not line.startswith("#")}
assert len(rules) >= 8, len(rules)
for r in rules:
    assert r["alert"].startswith("Yoyaku") and r["expr"] and r["labels"]["severity"] and r["annotations"]["summary"], r
    for name in re.findall(r"\byoyaku_[a-z_]+", r["expr"]):
        assert name in exported, f"{r['alert']}: {name} is not exported"
PY
pass "every series of the example alert rules is exported"

kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
/usr/bin/python3 - "$TMP/server.log" <<'PY' || fail "the application log is not JSON lines: $(head -3 "$TMP/server.log")"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
assert len(lines) >= 3
for l in lines:
    o = json.loads(l)
    assert set(o) == {"time", "level", "message"} and o["time"].endswith("+09:00"), o
assert any(o["message"].startswith("listening on") for o in map(json.loads, lines))
PY
pass "log.format = json: every application log line is one JSON object"
