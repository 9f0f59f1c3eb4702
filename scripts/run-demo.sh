#!/usr/bin/env bash
# The demo command: installs dependencies, builds, then starts httpd + mod_zdu in front of the
# demo app on loopback and prints what to open.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec bash scripts/demo.sh --build-dir build "$@"
