#!/usr/bin/env bash
# The server under load: builds `switchboard` (release), then runs the load
# generator (benches/load.rs), which starts the server as a child process.
#   LOAD_TEMPLATES=1000000 LOAD_SECONDS=5 LOAD_CONNECTIONS=16 bash benches/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p switchboard-cli
cargo bench -q --bench load
