#!/usr/bin/env bash
# Configures and builds a sanitizer build with clang (used by sanitize.sh and fuzz.sh), through
# ccache when there is one. Usage: sanitize-build.sh asan|tsan [targets…]
#   asan: build-asan/, ASan+UBSan: the unit tests, the stress test, the fuzz targets, and
#         mod_zdu.so, lbxml-gen and the integration tests (httpd preloads the ASan runtime)
#   tsan: build-tsan/, TSan, the concurrency stress test only
set -euo pipefail
cd "$(dirname "$0")/.."
kind=$1
shift
case "$kind" in
    asan) dir=build-asan flags=(-DZDU_FUZZ=ON) ;;
    tsan) dir=build-tsan flags=(-DZDU_SANITIZE=thread) ;;
    *) echo "usage: $0 asan|tsan [targets…]" >&2; exit 2 ;;
esac
if command -v ccache >/dev/null; then
    flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_C_COMPILER=clang "${flags[@]}" >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
# Two jobs: clang with sanitizers needs about 1 GiB per job, and the machine has two cores.
cmake --build "$dir" -j2 "${targets[@]}"
