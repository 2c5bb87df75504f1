#!/usr/bin/env bash
# schemathesis against a running `switchboard serve`: every operation of
# `/openapi.json`, with an API key, every check (no 5xx, answers as the
# document says, no 2xx to a body it forbids), stateful links where the
# document has them. Installs schemathesis into .venv-schemathesis on first use.
#
#   bash scripts/schemathesis.sh [SECONDS] [DATABASE]
#
# SECONDS bounds the run (60 by default; fuzzing and stateful testing repeat
# until it is spent); DATABASE is an empty database for the server (a
# temporary SQLite file by default). The server is stopped after.
#
# Every check gates the run but two, whose findings are the contract's own
# rules and are reported, not failed: `use_after_free` (DELETE archives:
# an archived object is still read, with status `archived`, contract §3)
# and `positive_data_acceptance` (a request the document cannot tell apart
# from a good one: a PATCH of an archived template is `410`, an id or a
# cursor of the right form that names nothing is `404` or `400`).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
database=${2:-}
venv=.venv-schemathesis
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check schemathesis==4.32.5
fi
cargo build -q -p switchboard-cli
bin=target/debug/switchboard
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
db=${database:-"sqlite://$work/st.db"}
export SWITCHBOARD_CREDENTIAL_KEY=${SWITCHBOARD_CREDENTIAL_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
key=$("$bin" keys create --database "$db" --instance schemathesis | tail -n 1)
"$bin" serve --database "$db" --catalog examples/catalog.json --listen 127.0.0.1:0 --rate-limit 0 \
  >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/out" && break
  sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$work/out")
[ -n "$base" ] || { echo "the server did not start:"; cat "$work/log"; exit 1; }
echo "== schemathesis for ${seconds} s against $base"
status=0
run() {
  "$venv/bin/schemathesis" run "$base/openapi.json" \
    --header "Authorization: Bearer $key" \
    --max-time "$seconds" \
    --workers 2 \
    --request-timeout 10 \
    --suppress-health-check too_slow,filter_too_much \
    --no-color "$@"
}
# schemathesis's own crashes (a "Runtime Error" in its generator, never an
# answer of the server) get one more run; a failed check never does.
run --checks all --exclude-checks use_after_free,positive_data_acceptance 2>&1 | tee "$work/st.out" || status=$?
if [ "$status" -ne 0 ] && grep -q "Runtime Error" "$work/st.out" && ! grep -q "^Failures:" "$work/st.out"; then
  echo "== schemathesis itself crashed (above); once more"
  status=0
  run --checks all --exclude-checks use_after_free,positive_data_acceptance || status=$?
fi
if grep -q ' status=5[0-9][0-9]' "$work/log"; then
  echo "the server answered 5xx:"; grep ' status=5[0-9][0-9]' "$work/log" | head -n 20; status=1
fi
exit $status
