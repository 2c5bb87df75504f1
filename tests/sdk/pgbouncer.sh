#!/usr/bin/env bash
# The official Python SDK against `switchboard serve` behind PgBouncer in
# transaction mode (Debian's pgbouncer, installed when missing), in front of
# the test cluster (SWITCHBOARD_TEST_POSTGRES, from scripts/postgres.sh):
# the schema is migrated once on a direct connection (`switchboard migrate`),
# the server runs with `--no-migration-lock` and a URL that turns named
# prepared statements off (`statement-cache-capacity=0`).
#
#   bash tests/sdk/pgbouncer.sh VENV
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:?usage: pgbouncer.sh VENV}
: "${SWITCHBOARD_TEST_POSTGRES:?run under scripts/postgres.sh}"
if ! command -v pgbouncer >/dev/null; then
  echo "== installing PgBouncer"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer) >/dev/null 2>&1 || true
fi
if ! command -v pgbouncer >/dev/null; then
  echo "== no PgBouncer here: the suite through a pooler did not run"; exit 0
fi
work=$(mktemp -d /tmp/switchboard-bouncer.XXXXXX)
chmod 755 "$work"
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
pg_port=${SWITCHBOARD_TEST_POSTGRES##*:}
pg_port=${pg_port%%/*}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$SWITCHBOARD_POSTGRES_BIN/psql" -q "$SWITCHBOARD_TEST_POSTGRES" -c "CREATE DATABASE pooled"
cat >"$work/pgbouncer.ini" <<INI
[databases]
pooled = host=127.0.0.1 port=$pg_port dbname=pooled
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $work/users.txt
pool_mode = transaction
default_pool_size = 10
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
logfile = $work/pgbouncer.log
INI
echo '"postgres" ""' >"$work/users.txt"
[ "$(id -u)" = 0 ] && chown -R postgres: "$work"
if [ "$(id -u)" = 0 ]; then
  runuser -u postgres -- pgbouncer "$work/pgbouncer.ini" >/dev/null 2>&1 &
else
  pgbouncer "$work/pgbouncer.ini" >/dev/null 2>&1 &
fi
pid=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
direct="${SWITCHBOARD_TEST_POSTGRES%/*}/pooled"
cargo build -q -p switchboard-cli
target/debug/switchboard migrate --database "$direct"
SDK_SERVE_DATABASE="postgres://postgres@127.0.0.1:$port/pooled?statement-cache-capacity=0" \
SDK_SERVE_ARGS="--no-migration-lock" \
  bash tests/sdk/run.sh "$venv" "$direct"
