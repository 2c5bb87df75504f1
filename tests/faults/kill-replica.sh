#!/usr/bin/env bash
# Two replicas over one PostgreSQL database; one is killed with SIGKILL in
# the middle of a burst of writes. Every write it acknowledged is there,
# read through the other replica; no template exists without its
# providers; the other replica answered throughout (a reader polls it
# during the burst, the kill and after). Loopback only, bounded.
#
#   bash tests/faults/kill-replica.sh VENV    (under scripts/postgres.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:?usage: kill-replica.sh VENV}
: "${SWITCHBOARD_TEST_POSTGRES:?run under scripts/postgres.sh}"
cargo build -q -p switchboard-cli
bin=target/debug/switchboard
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
"$SWITCHBOARD_POSTGRES_BIN/psql" -q "$SWITCHBOARD_TEST_POSTGRES" -c "CREATE DATABASE replicas"
db="${SWITCHBOARD_TEST_POSTGRES%/*}/replicas"
export SWITCHBOARD_CREDENTIAL_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
key=$("$bin" keys create --database "$db" --instance faults | tail -n 1)
start() {  # start NAME: a replica; its base URL in $base
  "$bin" serve --database "$db" --catalog examples/catalog.json --listen 127.0.0.1:0 --rate-limit 0 \
    >"$work/$1.out" 2>>"$work/$1.log" &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q '^listening on ' "$work/$1.out" && break
    sleep 0.1
  done
  base=$(sed -n 's/^listening on //p' "$work/$1.out")
  [ -n "$base" ] || { echo "replica $1 did not start:"; tail -n 20 "$work/$1.log"; exit 1; }
}
start a; a=$base; a_pid=${pids[0]}
start b; b=$base
"$venv/bin/python" - "$a" "$b" "$key" "$work" <<'PY' &
import json, sys, threading, time, urllib.request
a, b, key, work = sys.argv[1:5]
body = json.dumps({"name": "burst", "providers": [
    {"provider_deployment_id": "pde_GhCloud1aBcDeFgH"}, {"provider_config_id": "pcf_LnDefault6fGhJ"}]}).encode()
lock = threading.Lock()
acked = open(work + "/acked", "w")
def writer():
    for _ in range(2000):
        req = urllib.request.Request(a + "/session-templates", data=body, method="POST",
            headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        try:
            answer = json.loads(urllib.request.urlopen(req, timeout=5).read())
        except Exception:
            return
        with lock:
            acked.write(answer["id"] + "\n"); acked.flush()
def reader():
    failures = 0
    for _ in range(60):
        req = urllib.request.Request(b + "/session-templates?limit=5", headers={"Authorization": "Bearer " + key})
        try:
            urllib.request.urlopen(req, timeout=5).read()
        except Exception:
            failures += 1
        time.sleep(0.05)
    open(work + "/reader", "w").write(str(failures))
threads = [threading.Thread(target=writer) for _ in range(6)] + [threading.Thread(target=reader)]
for t in threads: t.start()
for t in threads: t.join()
PY
load=$!
sleep 1.5
kill -KILL "$a_pid"; wait "$a_pid" 2>/dev/null || true
wait "$load" || true
[ "$(cat "$work/reader")" = 0 ] || { echo "the other replica failed $(cat "$work/reader") reads"; exit 1; }
"$venv/bin/python" - "$b" "$key" "$work/acked" <<'PY'
import json, sys, urllib.request
base, key, path = sys.argv[1], sys.argv[2], sys.argv[3]
def get(url):
    req = urllib.request.Request(base + url, headers={"Authorization": "Bearer " + key})
    return json.loads(urllib.request.urlopen(req, timeout=10).read())
acked = [l.strip() for l in open(path) if l.strip()]
assert acked, "no write was acknowledged before the kill"
for tid in acked:
    t = get("/session-templates/" + tid)
    assert len(t["providers"]) == 2, t
seen, after = 0, None
while True:
    page = get("/session-templates?limit=100" + (f"&after={after}" if after else ""))
    for t in page["items"]:
        assert len(t["providers"]) == 2, ("a template without its providers", t)
        seen += 1
    if not page["pagination"]["has_more_after"]:
        break
    after = page["items"][-1]["id"]
print(f"replica killed mid-burst: {len(acked)} acknowledged writes all there through the other replica, "
      f"{seen} templates, each whole; the other replica answered every read")
PY
