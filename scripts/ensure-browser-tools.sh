#!/usr/bin/env bash
# What the browser tests need, installed if missing: Debian's Chromium
# (driven by Playwright) and axe-core from npm (package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[browser] %s\n' "$*" >&2; }

if [ ! -x /usr/bin/chromium ]; then
  say "installing Chromium (Debian package)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/axe-core/axe.min.js ]; then
  command -v npm >/dev/null 2>&1 || { say "ERROR: npm is needed to install axe-core"; exit 1; }
  say "installing axe-core (npm ci)"
  npm ci --no-audit --no-fund --silent >&2
  touch node_modules/axe-core/axe.min.js
fi
