#!/usr/bin/env bash
# The server under load from wrk (its own process), over SQLite, PostgreSQL
# with one replica, and PostgreSQL with two replicas (one wrk per replica,
# the connections split between them): GET one template, list a page,
# create a template, each held LOAD_SECONDS (60) with zero errors; the same
# GET against a bare axum route serving the same bytes, in the same run;
# each replica's memory idle and at its peak; the time from a replica's
# start to a ready `/readyz`, on an empty and on a migrated database.
#
#   bash benches/replicas.sh                 (starts its own PostgreSQL)
#   LOAD_SECONDS=10 LOAD_CONNECTIONS=16 bash benches/replicas.sh
#   LOAD_SECONDS=10 PAIRS=5 bash benches/replicas.sh ratio   (the GET ratio alone)
#
# Rate limits are off (`--rate-limit 0`): one key would otherwise be held
# to 1,200 requests a minute. Prints the README's table rows.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SWITCHBOARD_POSTGRES_STARTED:-}" ]; then
  exec bash scripts/postgres.sh -- bash benches/replicas.sh "$@"
fi
: "${SWITCHBOARD_TEST_POSTGRES:?PostgreSQL is needed (scripts/postgres.sh found none)}"
secs=${LOAD_SECONDS:-60}
conns=${LOAD_CONNECTIONS:-16}
if ! command -v wrk >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
fi
cargo build -q --release -p switchboard-cli
bare_bin=$(cargo bench --bench load --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "load" and m.get("executable"):
        print(m["executable"])')
bin=target/release/switchboard
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export SWITCHBOARD_CREDENTIAL_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
psql="$SWITCHBOARD_POSTGRES_BIN/psql"
pg_base=${SWITCHBOARD_TEST_POSTGRES%/*}

# start NAME DATABASE: a replica; sets $base, $pid and $ready_ms (start to a ready `/readyz`).
start() {
  local t0 t1
  t0=$(date +%s%N)
  "$bin" serve --database "$2" --catalog examples/catalog.json --listen 127.0.0.1:0 --rate-limit 0 \
    --database-pool 16 >"$work/$1.out" 2>"$work/$1.log" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 600); do
    if grep -q '^listening on ' "$work/$1.out"; then
      base=$(sed -n 's/^listening on //p' "$work/$1.out")
      curl -sf "$base/readyz" >/dev/null && break
    fi
    sleep 0.01
  done
  t1=$(date +%s%N)
  ready_ms=$(( (t1 - t0) / 1000000 ))
}

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
}

mem() {  # mem PID FIELD: MiB
  awk -v f="$2:" '$1 == f {printf "%d", $2 / 1024}' "/proc/$1/status"
}

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"name": "load", "providers": [{"provider_config_id": "pcf_LnDefault6fGhJ"}]}'
wrk.headers["Content-Type"] = "application/json"
LUA

# load LABEL PATH [LUA] over the bases in $bases: req/s summed, p50/p99 the worst; fails on any error.
load() {
  local label=$1 path=$2 script=${3:-} n=0 per i
  set -- $bases
  per=$(( conns / $# ))
  i=0
  for b in "$@"; do
    wrk -t 1 -c "$per" -d "${secs}s" --latency -H "Authorization: Bearer $key" ${script:+-s "$script"} \
      "$b$path" >"$work/wrk.$i" 2>&1 &
    i=$((i + 1))
  done
  wait $(jobs -p | tail -n "$#")
  python3 - "$label" "$work" "$#" <<'PY'
import re, sys
label, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not m:
        sys.exit(f"wrk printed a latency of `{text}`")
    v, unit = m.groups()
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps, p50, p99, errors = 0.0, 0.0, 0.0, 0
for i in range(n):
    out = open(f"{work}/wrk.{i}").read()
    if "Requests/sec" not in out:
        sys.exit(out)
    rps += float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # The latency distribution's own lines (the stdev column ends in `%` too).
    p50 = max(p50, ms(re.search(r"^\s+50%\s+(\S+)\s*$", out, re.M).group(1)))
    p99 = max(p99, ms(re.search(r"^\s+99%\s+(\S+)\s*$", out, re.M).group(1)))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors += sum(map(int, m.groups())) if m else 0
print(f"{label}\t{rps:.0f}\t{p50:.2f}\t{p99:.2f}\t{errors}")
if errors:
    print(open(f"{work}/wrk.0").read()); sys.exit(1)
PY
}

results=$work/results
: >"$results"
run_config() {  # run_config LABEL DATABASE REPLICAS
  local label=$1 db=$2 replicas=$3 i ms idle
  bases=""
  for i in $(seq "$replicas"); do
    start "$label-$i" "$db"
    ms=$ready_ms
    bases="$bases $base"
    idle=$(mem "$pid" VmRSS)
    echo "$label replica $i: ready in ${ms} ms, ${idle} MiB idle" | tee -a "$work/notes"
  done
  set -- $bases
  template=$(curl -sf "$1/session-templates" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"name": "one", "providers": [{"provider_deployment_id": "pde_GhCloud1aBcDeFgH"}, {"provider_config_id": "pcf_LnDefault6fGhJ"}]}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  for _ in $(seq 100); do
    curl -sf "$1/session-templates" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      -d '{"name": "seed", "providers": []}' >/dev/null
  done
  load "$label	GET one template" "/session-templates/$template" | tee -a "$results"
  load "$label	list a page (20)" "/session-templates?limit=20" | tee -a "$results"
  load "$label	create a template" "/session-templates" "$work/post.lua" | tee -a "$results"
  for p in "${pids[@]}"; do
    echo "$label replica pid $p: peak $(mem "$p" VmHWM) MiB" | tee -a "$work/notes"
  done
  stop_all
}

# The bare route: the template's bytes from memory, measured like the rest.
bare() {
  "$bare_bin" --baseline-server "$work/template.json" >"$work/bare.out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do grep -q '^listening on ' "$work/bare.out" && break; sleep 0.05; done
  bases=$(sed -n 's/^listening on //p' "$work/bare.out")
  load "bare	GET the same bytes" "/" | tee -a "$results"
  stop_all
}

# `bash benches/replicas.sh ratio`: only GET one template over PostgreSQL
# (one replica) and the bare route, PAIRS (5) times in turn, each held
# LOAD_SECONDS; prints each pair's ratio and their median.
if [ "${1:-}" = "ratio" ]; then
  "$psql" -q "$SWITCHBOARD_TEST_POSTGRES" -c "CREATE DATABASE ratio"
  key=$("$bin" keys create --database "$pg_base/ratio" --instance load | tail -n 1)
  start probe "$pg_base/ratio"
  curl -sf "$base/session-templates" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"name": "one", "providers": [{"provider_deployment_id": "pde_GhCloud1aBcDeFgH"}, {"provider_config_id": "pcf_LnDefault6fGhJ"}]}' \
    >"$work/template.json"
  stop_all
  template=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/template.json")
  for i in $(seq "${PAIRS:-5}"); do
    bare
    start "ratio-$i" "$pg_base/ratio"
    bases=$base
    load "postgres x1	GET one template" "/session-templates/$template" | tee -a "$results"
    stop_all
  done
  python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
bare = [float(r[2]) for r in rows if r[0] == "bare"]
get = [float(r[2]) for r in rows if r[0] != "bare"]
ratios = [g / b for g, b in zip(get, bare)]
print("pairs (GET over PostgreSQL / bare):", ", ".join(f"{r:.0%}" for r in ratios))
print(f"median: {statistics.median(ratios):.0%}")
PY
  exit 0
fi

echo "== SQLite"
key=$("$bin" keys create --database "sqlite://$work/load.db" --instance load | tail -n 1)
run_config sqlite "sqlite://$work/load.db" 1

echo "== PostgreSQL, one replica"
"$psql" -q "$SWITCHBOARD_TEST_POSTGRES" -c "CREATE DATABASE load1"
key=$("$bin" keys create --database "$pg_base/load1" --instance load | tail -n 1)
# The template's bytes, for the bare route.
start probe "$pg_base/load1"
t=$(curl -sf "$base/session-templates" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"name": "one", "providers": [{"provider_deployment_id": "pde_GhCloud1aBcDeFgH"}, {"provider_config_id": "pcf_LnDefault6fGhJ"}]}')
echo "$t" >"$work/template.json"
stop_all
bare
run_config "postgres x1" "$pg_base/load1" 1

echo "== PostgreSQL, two replicas"
"$psql" -q "$SWITCHBOARD_TEST_POSTGRES" -c "CREATE DATABASE load2"
key=$("$bin" keys create --database "$pg_base/load2" --instance load | tail -n 1)
run_config "postgres x2" "$pg_base/load2" 2
bare

echo "== start to ready"
"$psql" -q "$SWITCHBOARD_TEST_POSTGRES" -c "CREATE DATABASE empty"
start empty "$pg_base/empty"; empty_ms=$ready_ms; stop_all
start migrated "$pg_base/empty"; migrated_ms=$ready_ms; stop_all
start sqlite-empty "sqlite://$work/empty.db"; sqlite_empty_ms=$ready_ms; stop_all
start sqlite-migrated "sqlite://$work/empty.db"; sqlite_migrated_ms=$ready_ms; stop_all

echo
echo "| backend | what | req/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|"
awk -F'\t' '{printf "| %s | %s | %s | %s ms | %s ms | %s |\n", $1, $2, $3, $4, $5, $6}' "$results"
echo
cat "$work/notes"
echo "start to ready /readyz: PostgreSQL empty ${empty_ms} ms, migrated ${migrated_ms} ms; SQLite empty ${sqlite_empty_ms} ms, migrated ${sqlite_migrated_ms} ms"
