#!/usr/bin/env bash
# The official Python SDK against a running `switchboard serve`: a temporary
# SQLite file, the bundled catalog, a fresh key; the server is stopped after.
# Then SIGTERM and the log formats (on that SQLite file).
#
#   bash tests/sdk/run.sh VENV            (VENV has `metorial==2.6.0` installed)
#   bash tests/sdk/run.sh VENV DATABASE   the SDK suite alone, over DATABASE
#                                         (an empty PostgreSQL database, say)
#
# SDK_SERVE_DATABASE and SDK_SERVE_ARGS: the URL the server uses (a pooler in
# front of DATABASE) and more `serve` options; the key is made on DATABASE.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:?usage: run.sh VENV [DATABASE]}
database=${2:-}
cargo build -q -p switchboard-cli
bin=target/debug/switchboard
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
db=${database:-"sqlite://$work/sdk.db"}
# A database other processes share is given its credential key.
export SWITCHBOARD_CREDENTIAL_KEY=${SWITCHBOARD_CREDENTIAL_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
key=$("$bin" keys create --database "$db" --instance sdk | tail -n 1)
# shellcheck disable=SC2086
"$bin" serve --database "${SDK_SERVE_DATABASE:-$db}" ${SDK_SERVE_ARGS:-} --catalog examples/catalog.json \
  --listen 127.0.0.1:0 --shutdown-grace 1 >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/out" && break
  sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$work/out")
[ -n "$base" ] || { echo "the server did not start:"; cat "$work/log"; exit 1; }
if ! "$venv/bin/python" tests/sdk/python_sdk.py "$base" "$key"; then
  echo "server log:"; tail -n 50 "$work/log"; exit 1
fi
if [ -n "$database" ]; then
  exit 0
fi

echo "== SIGTERM with a half-open connection: the server exits 0 by its shutdown deadline"
hostport=${base#http://}
exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}"
printf 'GET /session-templates HTTP/1.1\r\nHo' >&3
started=$(date +%s%N)
kill -TERM "$pid"
for _ in $(seq 50); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
  echo "the server still runs 5 s after SIGTERM"; kill -KILL "$pid"; tail -n 20 "$work/log"; exit 1
fi
status=0
wait "$pid" || status=$?
pid=
exec 3>&-
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
if [ "$status" -ne 0 ] || [ "$elapsed_ms" -gt 5000 ]; then
  echo "the server exited $status after ${elapsed_ms} ms (want 0, within the 1 s deadline and a margin)"
  tail -n 20 "$work/log"
  exit 1
fi
if grep -q $'\e\[' "$work/log"; then
  echo "the log file has ANSI escape codes"; exit 1
fi
if grep -qF "$key" "$work/log"; then
  echo "the log carries the API key"; exit 1
fi
echo "exited 0 after ${elapsed_ms} ms"

echo "== --log-format json: one object per line, with the request's id, route, status and latency"
"$bin" serve --database "$db" --listen 127.0.0.1:0 --log-format json --shutdown-grace 1 \
  >"$work/out2" 2>"$work/log2" &
pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/out2" && break
  sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$work/out2")
[ -n "$base" ] || { echo "the server did not start:"; cat "$work/log2"; exit 1; }
"$venv/bin/python" - "$base" "$key" <<'PY'
import sys, urllib.request
base, key = sys.argv[1], sys.argv[2]
req = urllib.request.Request(base + "/session-templates?limit=1", headers={"Authorization": "Bearer " + key})
urllib.request.urlopen(req).read()
urllib.request.urlopen(base + "/healthz").read()
PY
kill -TERM "$pid"; wait "$pid" || true; pid=
"$venv/bin/python" - "$work/log2" "$key" <<'PY'
import json, sys
path, key = sys.argv[1], sys.argv[2]
lines = [l for l in open(path) if l.strip()]
objects = [json.loads(l) for l in lines]  # every line is one JSON object
requests = [o for o in objects if o.get("message") == "request"]
assert any(o.get("route") == "/session-templates" and o.get("status") == 200 for o in requests), requests
for o in requests:
    for field in ("request_id", "method", "route", "status", "latency_us", "timestamp", "level"):
        assert field in o, (field, o)
assert not any(key in l for l in lines), "the log carries the API key"
assert not any("\x1b[" in l for l in lines), "ANSI codes in JSON logs"
print(f"{len(objects)} JSON log lines, {len(requests)} requests")
PY
