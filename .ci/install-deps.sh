#!/usr/bin/env bash
# Installs the real conda peers the end-to-end tests drive: conda-package-handling (cph) to build
# packages, chromium + chromium-driver for the UI tests, python3-zstandard and python3-requests (the
# decoders conda reads repodata with), python3-cryptography (a client checking signatures by
# conda-content-trust's rules), fonts-dejavu-core (the font the badge width table was measured from),
# and the rattler solver from e2e/package-lock.json.
# Runs as root, non-interactively; safe to run again.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends conda-package-handling chromium chromium-driver \
  python3-zstandard python3-requests python3-cryptography fonts-dejavu-core

# Debian's cph is a /usr/bin/python3 script; the tests run it as `/usr/bin/python3 -m conda_package_handling.cli`.
/usr/bin/python3 -m conda_package_handling.cli --version

cd "$repo_root/e2e"
npm ci --no-audit --no-fund
node -e 'import("@conda-org/rattler").then(m => { if (typeof m.simpleSolve !== "function") process.exit(1); })'
