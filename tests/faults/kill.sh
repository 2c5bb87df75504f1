#!/usr/bin/env bash
# A server killed with SIGKILL in the middle of a burst of writes: every
# write it acknowledged is there after a restart, and no template exists
# without its providers. Loopback only, bounded in count and time.
#
#   bash tests/faults/kill.sh VENV        (any Python 3 venv)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:?usage: kill.sh VENV}
cargo build -q -p switchboard-cli
bin=target/debug/switchboard
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
db="sqlite://$work/kill.db"
key=$("$bin" keys create --database "$db" --instance faults | tail -n 1)
start() {
  "$bin" serve --database "$db" --catalog examples/catalog.json --listen 127.0.0.1:0 --rate-limit 0 \
    >"$work/out" 2>>"$work/log" &
  pid=$!
  for _ in $(seq 100); do
    grep -q '^listening on ' "$work/out" && break
    sleep 0.1
  done
  base=$(sed -n 's/^listening on //p' "$work/out")
  [ -n "$base" ] || { echo "the server did not start:"; tail -n 20 "$work/log"; exit 1; }
}
start
# Eight writers create templates of two providers as fast as they can; the
# server is killed 1.5 s in. Acknowledged ids go to a file as they come.
"$venv/bin/python" - "$base" "$key" "$work/acked" <<'PY' &
import json, sys, threading, urllib.request
base, key, out = sys.argv[1], sys.argv[2], sys.argv[3]
body = json.dumps({"name": "burst", "providers": [
    {"provider_deployment_id": "pde_GhCloud1aBcDeFgH"}, {"provider_config_id": "pcf_LnDefault6fGhJ"}]}).encode()
lock = threading.Lock()
f = open(out, "w")
def writer():
    for _ in range(2000):
        req = urllib.request.Request(base + "/session-templates", data=body, method="POST",
            headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        try:
            answer = json.loads(urllib.request.urlopen(req, timeout=5).read())
        except Exception:
            return  # the server is gone: what was not acknowledged may or may not be there
        with lock:
            f.write(answer["id"] + "\n"); f.flush()
threads = [threading.Thread(target=writer) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
PY
writers=$!
sleep 1.5
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true; pid=
wait "$writers" || true
acked=$(wc -l <"$work/acked")
[ "$acked" -gt 0 ] || { echo "no write was acknowledged before the kill"; exit 1; }
: >"$work/out"
start
"$venv/bin/python" - "$base" "$key" "$work/acked" <<'PY'
import json, sys, urllib.request
base, key, path = sys.argv[1], sys.argv[2], sys.argv[3]
def get(url):
    req = urllib.request.Request(base + url, headers={"Authorization": "Bearer " + key})
    return json.loads(urllib.request.urlopen(req, timeout=10).read())
acked = [l.strip() for l in open(path) if l.strip()]
for tid in acked:
    t = get("/session-templates/" + tid)  # raises on 404: an acknowledged write was lost
    assert len(t["providers"]) == 2, t
# Every template there, acknowledged or not, is whole.
seen, after = 0, None
while True:
    page = get("/session-templates?limit=100" + (f"&after={after}" if after else ""))
    for t in page["items"]:
        assert len(t["providers"]) == 2, ("a template without its providers", t)
        seen += 1
    if not page["pagination"]["has_more_after"]:
        break
    after = page["items"][-1]["id"]
assert seen >= len(acked), (seen, len(acked))
print(f"killed mid-burst: {len(acked)} acknowledged writes all there after the restart, {seen} templates, each whole")
PY
