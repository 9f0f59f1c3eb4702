#!/usr/bin/env bash
# Long fuzz runs: builds the fuzz targets (build-asan/, clang, ASan+UBSan) and runs one target,
# or each in turn, for <seconds> on a copy of its checked-in corpus in build-asan/fuzz-long/.
# Extra arguments go to libFuzzer (e.g. -runs=10000000 stops after ten million executions,
# -jobs=2 -workers=2 uses both cores). Prints executions, speed and coverage per target; exits
# non-zero on the first crash, leak, sanitizer report or broken invariant, whose input is kept
# as build-asan/fuzz-long/<target>/crash-….
# Usage: scripts/fuzz.sh <target|all> <seconds> [libFuzzer flags…]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
    echo "usage: $0 <target|all> <seconds> [libFuzzer flags…]" >&2
    echo "targets: $(cd test/fuzz && ls fuzz_*.cpp | sed 's/^fuzz_//; s/\.cpp$//' | tr '\n' ' ')" >&2
    exit 2
fi
which=$1 seconds=$2
shift 2
if [ "$which" = all ]; then
    targets=$(cd test/fuzz && ls fuzz_*.cpp | sed 's/^fuzz_//; s/\.cpp$//')
else
    [ -f "test/fuzz/fuzz_$which.cpp" ] || { echo "no fuzz target $which" >&2; exit 2; }
    targets=$which
fi
build=()
for t in $targets; do build+=("fuzz_$t"); done
bash scripts/sanitize-build.sh asan "${build[@]}" >/dev/null
for t in $targets; do
    bash test/fuzz/run-target.sh "build-asan/test/fuzz/fuzz_$t" test/fuzz build-asan/fuzz-long \
        "$seconds" "$@"
done
