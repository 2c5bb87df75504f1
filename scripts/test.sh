#!/usr/bin/env bash
# The whole test suite: every crate's tests (the hosted setup pages in
# headless Chromium among them), then the official Python SDK (metorial
# 2.6.0, installed into .venv on first use) against a running server.
set -euo pipefail
cd "$(dirname "$0")/.."
# Under a throwaway PostgreSQL cluster (scripts/postgres.sh), so that every
# store behaviour test and the SDK suite also run on PostgreSQL.
if [ -z "${SWITCHBOARD_POSTGRES_STARTED:-}" ]; then
  exec bash scripts/postgres.sh -- bash scripts/test.sh "$@"
fi
if [ -z "${SWITCHBOARD_SKIP_BROWSER:-}" ]; then
  bash scripts/browser-deps.sh
fi
cargo test --workspace --all-features
venv=.venv
if [ ! -x "$venv/bin/python" ]; then
  if ! python3 -m venv "$venv" 2>/dev/null; then
    echo "== installing python3-venv"
    (apt-get update -qq && apt-get install -y -qq python3-venv) >/dev/null
    python3 -m venv "$venv"
  fi
fi
"$venv/bin/pip" install -q --disable-pip-version-check metorial==2.6.0
echo "== the official Python SDK against switchboard serve (SQLite)"
bash tests/sdk/run.sh "$venv"
if [ -n "${SWITCHBOARD_TEST_POSTGRES:-}" ]; then
  echo "== the official Python SDK against switchboard serve (PostgreSQL)"
  "$SWITCHBOARD_POSTGRES_BIN/psql" -q "$SWITCHBOARD_TEST_POSTGRES" -c "CREATE DATABASE sdk"
  bash tests/sdk/run.sh "$venv" "${SWITCHBOARD_TEST_POSTGRES%/*}/sdk"
  echo "== the official Python SDK through PgBouncer in transaction mode"
  bash tests/sdk/pgbouncer.sh "$venv"
else
  echo "== the store and the SDK suite ran on SQLite alone (no PostgreSQL)"
fi
echo "== a server killed with SIGKILL mid-burst loses no acknowledged write"
bash tests/faults/kill.sh "$venv"
echo "== 10,000 idle connections: other clients served, memory bounded"
bash tests/faults/idle.sh "$venv"
if [ -n "${SWITCHBOARD_TEST_POSTGRES:-}" ]; then
  echo "== one of two replicas killed with SIGKILL mid-burst: the other answers, nothing acknowledged is lost"
  bash tests/faults/kill-replica.sh "$venv"
fi
