#!/usr/bin/env bash
# Runs one fuzz target for a while on a copy of its checked-in corpus (libFuzzer adds what it
# finds to the copy, never to the source tree), then prints its figures.
# Usage: run-target.sh <fuzz_NAME binary> <test/fuzz dir> <work dir> <seconds> [libFuzzer flags…]
# Exit status: 0 when the run ended with no crash, leak, sanitizer report or broken invariant;
# a failing input is kept as <work dir>/NAME/crash-… (libFuzzer's artifact).
set -euo pipefail
binary=$1 src=$2 work=$3 seconds=$4
shift 4
name=$(basename "$binary")
name=${name#fuzz_}
corpus=$work/$name/corpus
mkdir -p "$corpus"
cp -r "$src/corpus/$name/." "$corpus/"
flags=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$work/$name/"
       -timeout=10 -rss_limit_mb=2048 -close_fd_mask=1)
[ -f "$src/dict/$name.dict" ] && flags+=(-dict="$src/dict/$name.dict")
log=$work/$name/last-run.log
status=0
"$binary" "${flags[@]}" "$@" "$corpus" >"$log" 2>&1 || status=$?
# The last status line carries the coverage; the final stats the executions.
cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
runs=$(grep -Eo 'stat::number_of_executed_units: +[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
rate=$(grep -Eo 'stat::average_exec_per_sec: +[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
echo "fuzz $name: ${seconds}s, $runs executions ($rate/s), ${cov:-no coverage line}, exit $status"
if [ "$status" -ne 0 ]; then
    tail -n 60 "$log"
    exit "$status"
fi
