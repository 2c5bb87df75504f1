#!/usr/bin/env bash
# The official Python SDK against a running `switchboard serve`: a temporary
# SQLite file, the bundled catalog, a fresh key; the server is stopped after.
#
#   bash tests/sdk/run.sh VENV        (VENV has `metorial==2.6.0` installed)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:?usage: run.sh VENV}
cargo build -q -p switchboard-cli
bin=target/debug/switchboard
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
db="sqlite://$work/sdk.db"
key=$("$bin" keys create --database "$db" --instance sdk | tail -n 1)
"$bin" serve --database "$db" --catalog examples/catalog.json --listen 127.0.0.1:0 >"$work/out" 2>"$work/log" &
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
