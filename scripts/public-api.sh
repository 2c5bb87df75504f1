#!/usr/bin/env bash
# Writes each library crate's public API to api/<crate>.txt (one sorted line
# per item, from rustdoc's JSON output reduced by scripts/public-api.py).
# CI runs it and fails if a file changed: every API change shows in review.
#   bash scripts/public-api.sh
# rustdoc's JSON output is unstable; RUSTC_BOOTSTRAP lets this toolchain's
# own rustdoc write it (the format version is the toolchain's).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p api
for crate in switchboard switchboard-jsregex switchboard-model switchboard-query switchboard-toolset switchboard-setup \
  switchboard-schema switchboard-store switchboard-server; do
  RUSTC_BOOTSTRAP=1 RUSTDOCFLAGS="-Z unstable-options --output-format json" \
    cargo doc -q -p "$crate" --no-deps --all-features
  python3 scripts/public-api.py "target/doc/${crate//-/_}.json" > "api/$crate.txt"
done
wc -l api/*.txt | tail -n 1
