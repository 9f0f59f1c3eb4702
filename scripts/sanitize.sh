#!/usr/bin/env bash
# The sanitizer pass, run by run-tests.sh after the main suite (about 15 minutes from scratch on
# a 2-core machine):
#   1. build-asan/ (clang, ASan+UBSan, ZDU_FUZZ=ON): the unit tests, the concurrency stress test
#      and a short run of every fuzz target on its corpus (ctest "unit:", "stress:", "fuzz:");
#   2. build-tsan/ (clang, TSan): the concurrency stress test, longer (ZDU_STRESS_SCALE, 10).
# Any sanitizer report, leak, crash or failed test fails it. Needs clang and libclang-rt
# (scripts/deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
# Reports are fatal and name the failing line; leaks are reports too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1:strict_init_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

echo "sanitize: building build-asan (ASan+UBSan, fuzz targets)"
bash scripts/sanitize-build.sh asan >/dev/null
(cd build-asan && ctest --output-on-failure --timeout 900 -j2 -R '^(unit|stress|fuzz):')

echo "sanitize: building build-tsan (TSan, stress test)"
bash scripts/sanitize-build.sh tsan zdu_stress_tests >/dev/null
(cd build-tsan && ZDU_STRESS_SCALE=${ZDU_STRESS_SCALE:-10} \
    ctest --output-on-failure --timeout 900 -j1 -R '^stress:')
echo "sanitize: passed in $((SECONDS - start)) s"
