#!/usr/bin/env bash
# The sanitizer pass, run by run-tests.sh after the main suite (about 25 minutes from scratch on
# a 2-core machine, 6 to 7 with the builds in ccache):
#   1. build-asan/ (clang, ASan+UBSan, ZDU_FUZZ=ON): the unit tests, the concurrency stress test
#      and a short run of every fuzz target on its corpus (ctest "unit:", "stress:", "fuzz:");
#   2. build-asan/ under the integration tests: mod_zdu.so in Debian's apache2, started with the
#      ASan runtime preloaded (test/integration/harness/sanitizer.py), on the subset below
#      (under 4 minutes): any ASan or UBSan report of httpd or of a child fails its test;
#   3. build-tsan/ (clang, TSan): the concurrency stress test, longer (ZDU_STRESS_SCALE, 10).
# Any sanitizer report, leak, crash or failed test fails it. Needs clang and libclang-rt
# (scripts/deps.sh installs them).
#
# Usage: sanitize.sh [all|integration]
#   integration: step 1's build and step 2 only: the integration subset alone.
# ZDU_ASAN_INTEGRATION=<ctest regex> runs other integration tests in step 2, e.g. every one:
#   ZDU_ASAN_INTEGRATION='^integration:' bash scripts/sanitize.sh integration
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
case "$what" in
    all | integration) ;;
    *) echo "usage: $0 [all|integration]" >&2; exit 2 ;;
esac
start=$SECONDS
# Reports are fatal and name the failing line; leaks are reports too. (httpd gets its own
# options from the harness, without leak detection: harness/sanitizer.py says why.)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1:strict_init_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

# The integration subset: the hostile-input tests (all of them), then one of each kind of
# traffic the module handles (routing, failover, reloads under load, drains, logouts, the
# manager, backend headers, the status page and metrics), and the sanitizer checks' own tests.
# About 110 tests, under 4 minutes at -j1 on two cores; -j1 as in the main suite, since many
# of these tests wait on sweeps and health intervals.
integration_tests=(
    'test_hostile_'
    'test_routing\.'
    'test_failover\.(KillUnderLoad|Replica|ResetMidRequest)\.'
    'test_failover\.Retries\.test_(get_without_pattern|post_gets_the_error_page)'
    'test_reload_swap\.'
    'test_reload_acceptance\.(HundredReloadsUnderLoad|StateCarriesOver)\.'
    'test_upgrade_drain\.RouteCookieAlone\.'
    'test_upgrade_drain\.StaleSession\.test_redirected_'
    'test_upgrade_logout\.LogoutKinds\.test_(end_header_|expired_cookie$|logout_url_pattern$)'
    'test_manager\.(Access|Commands|Status|Ping)\.'
    'test_backend_headers\.'
    'test_status_page\.'
    'test_metrics\.MetricsAndMonitorData\.'
    'test_harness_sanitizer\.'
    'test_config_pass_leaks\.'
)
integration_regex=${ZDU_ASAN_INTEGRATION:-^integration:($(IFS='|'; echo "${integration_tests[*]}"))}
# Left out: its 2.5 s window for a slow request to show as in flight is too short for httpd
# under ASan on a busy 2-core machine (it passes alone).
integration_skipped='^integration:test_metrics\.MetricsAndMonitorData\.test_monitor_data_counts_a_request_in_flight_as_active$'

echo "sanitize: building build-asan (ASan+UBSan: fuzz targets, mod_zdu.so, integration tests)"
bash scripts/sanitize-build.sh asan >/dev/null
if [ "$what" = all ]; then
    (cd build-asan && ctest --output-on-failure --timeout 900 -j2 -R '^(unit|stress|fuzz):')
fi

echo "sanitize: integration tests against build-asan (httpd with the ASan runtime preloaded)"
integration_start=$SECONDS
(cd build-asan && ctest --output-on-failure --timeout 300 -j1 -R "$integration_regex" \
    -E "$integration_skipped")
echo "sanitize: integration tests under ASan+UBSan passed in $((SECONDS - integration_start)) s"

if [ "$what" = all ]; then
    echo "sanitize: building build-tsan (TSan, stress test)"
    bash scripts/sanitize-build.sh tsan zdu_stress_tests >/dev/null
    (cd build-tsan && ZDU_STRESS_SCALE=${ZDU_STRESS_SCALE:-10} \
        ctest --output-on-failure --timeout 900 -j1 -R '^stress:')
fi
echo "sanitize: passed in $((SECONDS - start)) s"
