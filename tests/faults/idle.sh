#!/usr/bin/env bash
# 10,000 idle connections (connected, sending nothing) against one server:
# the server holds at most --max-connections (1,024) of them at once, cuts
# each after the header-read timeout, and keeps answering other clients;
# its memory stays bounded. Loopback only, bounded in count and time.
#
#   bash tests/faults/idle.sh VENV        (any Python 3 venv)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:?usage: idle.sh VENV}
cargo build -q -p switchboard-cli
bin=target/debug/switchboard
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# Room for the server's 1,024 connections and the client's 10,000.
ulimit -n 12000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
"$bin" serve --database "sqlite://$work/idle.db" --listen 127.0.0.1:0 --header-read-timeout 2 \
  >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/out" && break
  sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$work/out")
[ -n "$base" ] || { echo "the server did not start:"; cat "$work/log"; exit 1; }
"$venv/bin/python" - "$base" "$pid" <<'PY'
import resource, socket, sys, time, urllib.request
base, pid = sys.argv[1], sys.argv[2]
host, port = base[len("http://"):].split(":")
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 12000), hard))
def memory():
    fields = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status"))
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024
idle_rss, _ = memory()
socks = []
started = time.monotonic()
for i in range(10_000):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect((host, int(port)))
    except BlockingIOError:
        pass
    socks.append(s)
opened = time.monotonic() - started
# Another client, while the 10,000 are open: answered, within the
# header-read timeout's turnover of the held ones and a margin.
t0 = time.monotonic()
body = urllib.request.urlopen(base + "/healthz", timeout=30).read()
waited = time.monotonic() - t0
rss, peak = memory()
for s in socks:
    s.close()
time.sleep(3)
after_rss, peak = memory()
urllib.request.urlopen(base + "/healthz", timeout=10).read()
print(f"10,000 idle connections opened in {opened:.1f} s; another client answered in {waited:.2f} s; "
      f"server memory: {idle_rss} MiB idle, {rss} MiB with them open, {peak} MiB peak, {after_rss} MiB after")
assert waited < 15, waited
assert peak < 256, peak
PY
