#!/usr/bin/env bash
# The test command: installs dependencies, builds, and runs every unit and integration test,
# then (scripts/sanitize.sh) the core's unit tests under ASan+UBSan, a short run of each fuzz
# target and the concurrency stress test under TSan. ZDU_SKIP_SANITIZE=1 leaves that pass out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
(cd build && ctest --output-on-failure --timeout 600 -j1 "$@")
if [ "${ZDU_SKIP_SANITIZE:-0}" != 1 ]; then
    bash scripts/sanitize.sh
fi
