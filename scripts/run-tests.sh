#!/usr/bin/env bash
# The test command: installs dependencies, builds, and runs every unit and integration test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest --output-on-failure --timeout 600 -j1 "$@"
