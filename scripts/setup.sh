#!/usr/bin/env bash
# Install what the project needs on a fresh Debian machine with Python 3.11 (idempotent).
#   scripts/setup.sh site   Python packages only (build and serve the site)
#   scripts/setup.sh test   also Debian chromium, hunspell-fr, nginx and the npm tools
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-site}"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=".venv/.requirements.sha256"
if [ "$(cat "$stamp" 2>/dev/null)" != "$(sha256sum requirements.txt)" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  sha256sum requirements.txt > "$stamp"
fi

if [ "$mode" = "test" ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v hunspell >/dev/null || missing+=(hunspell)
  [ -f /usr/share/hunspell/fr_FR.dic ] || [ -f /usr/share/hunspell/fr.dic ] || missing+=(hunspell-fr)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v java >/dev/null || missing+=(default-jre-headless)
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if [ ! -d node_modules/axe-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
