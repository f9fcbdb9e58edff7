#!/usr/bin/env bash
# Install what the project needs on a fresh Debian machine with Python 3.11 (idempotent, quick when done).
#   scripts/setup.sh site   Python packages only (build and serve the site, bundles, exports, lint, fast tests)
#   scripts/setup.sh test   also Ralph (LRS, in .venv-ralph), Debian chromium, hunspell-fr, nginx, Java, grammalecte, Node.js/npm and the npm tools
#   scripts/setup.sh bench  as test, and valgrind (the benchmark counts the instructions of larger builds)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-site}"
NODE_MIN=18  # npm ci and the npm tools (vnu-jar's installer) need Node.js 18 or newer

apt_install() {  # apt_install PACKAGE… (as root, or through sudo)
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: $*" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -d ../shared/seeds ]; then
  echo "setup: warning: ../shared/seeds/ (the five seed documents) is missing; it must sit beside this folder." >&2
fi

# python3 -m venv needs Debian's python3-venv (ensurepip); a fresh Debian does not have it.
if [ ! -x .venv/bin/python ]; then
  python3 -c "import ensurepip, venv" 2>/dev/null || apt_install python3-venv
  python3 -m venv .venv
fi
stamp=".venv/.requirements.sha256"
if [ "$(cat "$stamp" 2>/dev/null)" != "$(sha256sum requirements.txt)" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  sha256sum requirements.txt > "$stamp"
fi
# The project's own modules byte-compiled, as pip leaves installed packages: a build never compiles them again, even
# where PYTHONDONTWRITEBYTECODE is set (compileall skips what is up to date)
.venv/bin/python -m compileall -q scripts

if [ "$mode" = "test" ] || [ "$mode" = "bench" ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v hunspell >/dev/null || missing+=(hunspell)
  [ -f /usr/share/hunspell/fr_FR.dic ] || [ -f /usr/share/hunspell/fr.dic ] || missing+=(hunspell-fr)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v java >/dev/null || missing+=(default-jre-headless)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  # extras (issue 15): Grammalecte, the offline French grammar checker of tests/test_grammar.py
  [ -f /usr/lib/python3/dist-packages/grammalecte/__init__.py ] || missing+=(python3-grammalecte)
  # ux (issue 14): pdftotext, to read the print edition's PDF in tests/test_ux.py
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  [ "$mode" = "bench" ] && ! command -v valgrind >/dev/null && missing+=(valgrind)
  # Playwright's own Node.js driver links libatomic, which a fresh Debian lacks (gcc brings it on others)
  /sbin/ldconfig -p | grep 'libatomic\.so\.1 ' >/dev/null || missing+=(libatomic1)
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
  node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$node_major" -lt "$NODE_MIN" ]; then
    echo "setup: Node.js $NODE_MIN or newer is needed (found: $(node --version 2>/dev/null || echo none))." >&2
    echo "setup: install a newer nodejs (e.g. from Debian backports or nodejs.org), then run the command again." >&2
    exit 1
  fi
  # xAPI (issue 31): Ralph, the LRS of tests/test_xapi.py and scripts/bench_lrs.py, in a virtualenv of its own
  # (its pinned dependencies would clash with ours)
  [ -x .venv-ralph/bin/python ] || python3 -m venv .venv-ralph
  ralph_stamp=".venv-ralph/.requirements.sha256"
  if [ "$(cat "$ralph_stamp" 2>/dev/null)" != "$(sha256sum requirements-ralph.txt)" ]; then
    .venv-ralph/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-ralph.txt
    sha256sum requirements-ralph.txt > "$ralph_stamp"
  fi
  if [ ! -d node_modules/axe-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
