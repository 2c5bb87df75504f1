#!/usr/bin/env bash
# What the browser tests need: Debian's Chromium and chromedriver (apt), and
# axe-core (npm, into tests/browser/node_modules). Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "== installing chromium and chromium-driver (Debian)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "install Debian's chromium and chromium-driver (as root), or set SWITCHBOARD_SKIP_BROWSER=1"
    exit 1
  fi
fi
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  echo "== installing axe-core (npm, tests/browser)"
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
