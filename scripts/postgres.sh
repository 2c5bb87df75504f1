#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, from the PostgreSQL binaries
# Debian installs (postgresql-15; installed when missing and apt can).
#
#   bash scripts/postgres.sh -- COMMAND...
#
# starts a cluster (initdb into a temporary directory as the `postgres`
# user, trust authentication on loopback, a free port), runs COMMAND with
# SWITCHBOARD_TEST_POSTGRES set to a superuser URL of it, and stops and
# removes the cluster when COMMAND ends, whether it passed or failed (and on
# Ctrl-C). COMMAND's exit status is the script's. Without PostgreSQL the
# command runs without the variable, and the tests say they ran on SQLite alone.
set -euo pipefail

if [ "${1:-}" != "--" ]; then
  echo "usage: bash scripts/postgres.sh -- COMMAND..." >&2
  exit 2
fi
shift

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin="$(find_bin)"
if [ -z "$bin" ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "== installing PostgreSQL (Debian's postgresql package)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null 2>&1 || true
  bin="$(find_bin)"
fi
if [ -z "$bin" ] || ! id postgres >/dev/null 2>&1; then
  echo "== no PostgreSQL here: the tests run on SQLite alone"
  export SWITCHBOARD_POSTGRES_STARTED=0
  exec "$@"
fi

# As the `postgres` user when this runs as root (initdb refuses root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir="$(mktemp -d /tmp/switchboard-pg.XXXXXX)"
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

stop() {
  as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log"; exit 1; }
# A test cluster: fast, not durable (fsync off), loopback only, room for
# several servers' pools at once.
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off \
   -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000" start >/dev/null \
  || { cat "$dir/server.log"; exit 1; }
export SWITCHBOARD_POSTGRES_STARTED=1
export SWITCHBOARD_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
export SWITCHBOARD_POSTGRES_BIN="$bin"
echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at 127.0.0.1:$port (stopped when the tests end)"
set +e
"$@"
status=$?
set -e
if [ "$status" != 0 ]; then
  # What the cluster said, for a failure that came from it (a full disk, a
  # refused connection): its log is removed with it.
  echo "== the test cluster's log, last lines (the command failed)"
  tail -n 40 "$dir/server.log" || true
  df -h "$dir" || true
fi
exit $status
