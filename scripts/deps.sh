#!/usr/bin/env bash
# Installs the Debian packages mod_zdu needs to build, test and demo (chromium, its driver and
# selenium for the status page tests in a headless browser, clang and its sanitizer and libFuzzer
# runtimes for scripts/sanitize.sh); a no-op when all are present.
set -euo pipefail
packages=(cmake g++ make pkg-config apache2 apache2-dev libxml2-dev libxml2-utils libcli11-dev libcurl4-openssl-dev catch2 libssl-dev python3 curl tomcat10
          chromium chromium-driver python3-selenium clang libclang-rt-dev)
if [ "${1:-}" = "--bench" ]; then
    packages+=(nginx-light haproxy wrk gnuplot-nox libbenchmark-dev valgrind strace)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian packages start a system apache2 on port 80 and tomcat10 on 8080; mod_zdu's tests
# and demo run their own.
if command -v systemctl >/dev/null 2>&1; then systemctl stop apache2 tomcat10 >/dev/null 2>&1 || true; fi
