#!/usr/bin/env bash
# Runs mod_zdu in front of three test backends (two of version 1.0, one of 2.0) until Ctrl-C.
# The build must exist: cmake -S . -B build && cmake --build build
#   scripts/demo.sh [--build-dir DIR] [--once] [--keep] [--upgrade]
# --once sends the sample requests, prints what happened and stops everything (exit 0 when all
# were answered with 2xx); --keep leaves the temp dir with httpd.conf and the logs; --upgrade
# starts 1.0 only and on Enter rolls out 2.0 with lbxml-gen rollout (see harness/demo.py).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$repo/build"
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --build-dir) build_dir="${2:?--build-dir needs a directory}"; shift 2 ;;
        --build-dir=*) build_dir="${1#*=}"; shift ;;
        --once|--keep|--upgrade) extra+=("$1"); shift ;;
        -h|--help) sed -n '2,7s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "demo.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
# A relative build dir means relative to where the script was called from.
case "$build_dir" in /*) ;; *) build_dir="$PWD/$build_dir" ;; esac

cd "$repo/test/integration"
exec python3 -B -m harness.demo --build-dir "$build_dir" ${extra[@]+"${extra[@]}"}
