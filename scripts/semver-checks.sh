#!/usr/bin/env bash
# Compares every library crate's public API with the 0.1.0 baseline (the
# commit the crates first became publishable), with cargo-semver-checks.
#   bash scripts/semver-checks.sh            (installs the tool if missing)
#   SEMVER_NO_INSTALL=1 bash scripts/semver-checks.sh   (skip when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=$(cat scripts/semver-baseline)
if ! command -v cargo-semver-checks >/dev/null 2>&1; then
  if [ -n "${SEMVER_NO_INSTALL:-}" ]; then
    echo "== semver checks skipped: cargo-semver-checks is not installed (bash scripts/semver-checks.sh installs it)"
    exit 0
  fi
  echo "== installing cargo-semver-checks from crates.io (a few minutes)"
  cargo install --locked --quiet cargo-semver-checks
fi
if ! git cat-file -e "$baseline^{commit}" 2>/dev/null; then
  echo "== semver checks skipped: the baseline commit $baseline is not in this clone (a shallow clone?)"
  exit 0
fi
echo "== semver checks against $baseline (0.1.0)"
cargo semver-checks --workspace --exclude switchboard-cli --baseline-rev "$baseline"
