#!/usr/bin/env bash
# `switchboard tools` beside the Node implementation in tools.mjs, on the same
# generated document, as whole processes on the same machine: wall time and
# peak memory of each, and whether their tool keys agree.
#
#   bash benches/node/compare.sh [PROVIDERS] [TOOLS]      (default 100 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
providers=${1:-100}
tools=${2:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benches/node/document.py "$providers" "$tools" > "$work/doc.json"
cargo build -q --release -p switchboard-cli
bin=target/release/switchboard
echo "document: $providers providers x $tools tools, $(du -h "$work/doc.json" | cut -f1)"
for run in 1 2 3; do
  /usr/bin/time -f "switchboard %e s %M KiB" "$bin" tools "$work/doc.json" > "$work/rust.json"
  /usr/bin/time -f "node        %e s %M KiB" node benches/node/tools.mjs "$work/doc.json" > "$work/node.json"
done
python3 - "$work/rust.json" "$work/node.json" <<'PY'
import json, sys
a = [t["key"] for t in json.load(open(sys.argv[1]))["items"]]
b = [t["key"] for t in json.load(open(sys.argv[2]))["items"]]
print(f"tools: switchboard {len(a)}, node {len(b)}, same keys in the same order: {a == b}")
PY
