#!/usr/bin/env python3
"""mod_zdu benchmarks on loopback: mod_zdu against the limit (httpd proxying to one fixed
backend), mod_proxy_balancer, HAProxy, the backend direct and a static file; scale curves;
memory; reloads and failover; system calls; core micro-benchmarks. Prints the tables and
writes results.json and chart.png into --out. Figures only: no number fails the run.

    python3 bench/run.py [--quick] [--callgrind] [--out bench/results] [--build-dir DIR]
"""
import argparse
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from zdubench import (chart, compare, environment, failover, micro, nginx,  # noqa: E402
                      per_request, ports, reload, reload_latency, report, scale, syscalls)
from zdubench.profile import FULL, NGINX_WORKERS, QUICK  # noqa: E402

SECTIONS = ("compare", "scale", "reload", "syscalls", "failover", "micro")
SERVER_SECTIONS = {"compare", "scale", "reload", "syscalls", "failover"}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer, shorter runs (under 3 minutes)")
    p.add_argument("--callgrind", action="store_true",
                   help="also count instructions per request under callgrind (slow)")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent / "results"),
                   help="where results.json and chart.png go (default: bench/results)")
    p.add_argument("--build-dir", help="default: $ZDU_BUILD_DIR or <repo>/build")
    p.add_argument("--sections", default=",".join(SECTIONS),
                   help=f"comma-separated subset of {','.join(SECTIONS)}")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (confs, logs)")
    p.add_argument("--scale-instances", help="comma-separated cluster sizes of the scale "
                   "section (default: the profile's, 2,10,100,1000 or 2,1000 with --quick)")
    p.add_argument("--scale-rounds", type=int, help="rounds per cluster size in the scale "
                   "section (default 3, 2 with --quick); more rounds narrow a noisy machine's spread")
    return p.parse_args(argv)


def chosen_profile(opts):
    """The profile, with the scale section's sizes and rounds as the options ask."""
    profile = QUICK if opts.quick else FULL
    changes = {}
    if opts.scale_instances:
        changes["scale_instances"] = tuple(int(n) for n in opts.scale_instances.split(","))
    if opts.scale_rounds:
        changes["scale_rounds"] = opts.scale_rounds
    return dataclasses.replace(profile, **changes)


def log(message):
    print(message, flush=True)


def build_dir(opts):
    if opts.build_dir:
        os.environ["ZDU_BUILD_DIR"] = os.path.abspath(opts.build_dir)
    from harness import paths
    return paths.build_dir()


def load_sections(results, workdir, profile, wanted, with_callgrind):
    """Everything that needs servers: one nginx on as many ports as the largest cluster."""
    count = max(profile.scale_instances)
    instance_ports = ports.allocate(count)
    backend = nginx.Nginx(workdir / "nginx", instance_ports, NGINX_WORKERS).start()
    try:
        if "compare" in wanted:
            log("compare: 2 instances")
            results["compare"] = compare.run(workdir / "compare", backend, instance_ports[:2],
                                             profile, log)
        if "scale" in wanted:
            results["scale"], results["memory"] = scale.run(workdir / "scale", backend,
                                                            instance_ports, profile, log)
            results["sessions"] = [r for r in results["scale"] if r["section"] == "sessions"]
            results["scale"] = [r for r in results["scale"] if r["section"] == "scale"]
        if "reload" in wanted:
            results["reload"] = reload.run(workdir / "reload", instance_ports, profile, log)
            results["reload_latency"] = reload_latency.run(workdir / "reload-latency",
                                                           instance_ports[:2], profile, log)
        if "syscalls" in wanted:
            results["syscalls"] = syscalls.run(workdir / "syscalls", instance_ports[:2],
                                               profile.syscall_requests, log)
        if "failover" in wanted:
            results["failover"] = failover.run(workdir / "failover", instance_ports[:2],
                                               profile.failover_requests, log)
        if with_callgrind:
            counts = (2,) if profile is QUICK else (2, count)
            results["per_request"], results["per_request_differences"] = per_request.run(
                workdir / "callgrind", instance_ports, profile.callgrind_requests, counts, log)
    finally:
        backend.stop()


def micro_section(results, build, profile):
    log("micro: core benchmarks and callgrind instruction counts")
    bench_bin, driver = micro.binaries(build)
    results["micro"] = micro.run_benchmarks(bench_bin, profile.micro_min_time)
    results["decision_instructions"] = micro.count_decisions(driver)


def print_tables(results):
    sections = [
        ("mod_zdu against its peers", "compare", report.compare_table),
        ("Scale: instances in the cluster", "scale",
         lambda r: report.curve_table(r, "instances", "instances")),
        ("Sticky requests by distinct client sessions (largest cluster)", "sessions",
         lambda r: report.curve_table(r, "sessions", "sessions")),
        ("Memory after load", "memory", report.memory_table),
        ("Hot reload at 1,000 instances", "reload", report.reload_table),
        ("Requests during reloads: a reload every second against none", "reload_latency",
         report.reload_latency_table),
        ("Failover: a request retried after a reset", "failover", report.failover_table),
        ("System calls per request (strace -c -f)", "syscalls", report.syscalls_table),
        ("Instructions per request (callgrind, httpd -X)", "per_request",
         report.per_request_table),
        ("Instructions per request above the limit (callgrind)", "per_request",
         report.above_limit_table),
        ("Where mod_zdu's instructions go, hook by hook (callgrind, per request)",
         "per_request", report.zdu_breakdown_table),
        ("Clock reads per request (callgrind)", "per_request", report.time_calls_table),
        ("Where mod_zdu's instructions differ from mod_proxy_balancer's",
         "per_request_differences", report.differences_table),
    ]
    for title, key, render in sections:
        if results.get(key):
            text = render(results[key])
            if text:
                log(f"\n== {title}\n{text}")
    if results.get("micro") is not None or results.get("decision_instructions"):
        log(f"\n== Core micro-benchmarks\n"
            f"{report.micro_table(results.get('micro'), results.get('decision_instructions'))}")
    if results.get("routing_ceilings"):
        log(f"\n== What routing can win at most\n"
            f"{report.ceilings_table(results['routing_ceilings'])}")
    log(f"\n== Targets (reported, never enforced)\n"
        f"{report.targets_table(report.target_checks(results))}")
    if results.get("compare") or results.get("per_request"):
        log(f"\n== Comparison as JSON\n{json.dumps(report.json_summary(results))}")


def write_outputs(results, out):
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    problem = None
    if results.get("compare") and results.get("scale") and results.get("sessions"):
        problem = chart.draw(results, out / "chart.png")
    else:
        problem = "chart needs the compare and scale sections"
    log(f"\nwrote {out / 'results.json'}" +
        (f"; chart skipped: {problem}" if problem else f" and {out / 'chart.png'}"))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    opts = parse_args(argv)
    profile = chosen_profile(opts)
    build = build_dir(opts)
    wanted = {s.strip() for s in opts.sections.split(",") if s.strip()}
    load_wanted = wanted & SERVER_SECTIONS or opts.callgrind
    servers = wanted & SERVER_SECTIONS | ({"callgrind"} if opts.callgrind else set())
    missing = environment.missing_tools(servers) if load_wanted else []
    if missing:
        log(f"bench: missing {', '.join(missing)} (scripts/deps.sh --bench; build first)")
        return 2
    results = {"meta": environment.describe(["bench/run.py"] + argv, profile)}
    started = time.monotonic()
    busy = results["meta"]["load_average_start"]
    if busy and busy > (os.cpu_count() or 1):
        log(f"bench: load average {busy:.1f} on {os.cpu_count()} cores: other work shares the "
            f"machine; req/s will be noisy, CPU us/req less so")
    workdir = Path(tempfile.mkdtemp(prefix="zdu-bench-"))
    os.chmod(workdir, 0o755)  # httpd's children (www-data) must reach their ServerRoot
    try:
        if load_wanted:
            load_sections(results, workdir, profile, wanted, opts.callgrind)
        if "micro" in wanted:
            micro_section(results, build, profile)
    finally:
        if opts.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    results["meta"]["seconds"] = round(time.monotonic() - started)
    results["meta"]["load_average_end"] = environment.load_average()
    results["routing_ceilings"] = report.routing_ceilings(results)
    print_tables(results)
    write_outputs(results, Path(opts.out))
    log(f"total {results['meta']['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
