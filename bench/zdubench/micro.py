"""The core's micro-benchmarks (bench/micro/zdu_micro, Google Benchmark) in ns/op, and the
instructions of one route decision counted by callgrind over bench/micro/zdu_decide_driver."""
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import callgrind

TIMEOUT = 300.0
DECISIONS = 20000
INSTANCES = 1000
DRIVER_MODES = ("sticky", "new", "parse-sticky", "parse-new")


def binaries(build_dir):
    micro = Path(build_dir) / "bench" / "micro"
    return micro / "zdu_micro", micro / "zdu_decide_driver"


# The session table's own counters (bm_session_table.cpp), kept beside ns/op.
COUNTERS = ("probes_per_op", "max_probes", "MiB", "overflow", "evicted")


def run_benchmarks(binary, min_time):
    """[{"name", "ns_per_op", counters...}] or None when the binary was not built. Names lose
    their C++ namespace: "zdu::sessions::BM_SessionFind/10000" is "BM_SessionFind/10000"."""
    if not binary.exists():
        return None
    done = subprocess.run([str(binary), f"--benchmark_min_time={min_time}",
                           "--benchmark_format=json"], capture_output=True, text=True,
                          timeout=TIMEOUT, check=True)
    factor = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    return [dict({"name": b["name"].rpartition("::")[2],
                  "ns_per_op": b["real_time"] * factor[b["time_unit"]]},
                 **{c: b[c] for c in COUNTERS if c in b})
            for b in json.loads(done.stdout)["benchmarks"] if b.get("run_type") != "aggregate"]


def count_decisions(driver):
    """{mode: instructions per decision at 1,000 instances, plus the top functions of the
    parsing mode}; None without valgrind or the driver."""
    if not driver.exists() or not shutil.which("valgrind"):
        return None
    out = {}
    with tempfile.TemporaryDirectory(prefix="zdu-bench-cg-") as tmp:
        for mode in DRIVER_MODES:
            runs = [callgrind.run_program([str(driver), mode, str(INSTANCES), str(n)],
                                          Path(tmp) / f"{mode}.{n}.out")
                    for n in (0, DECISIONS)]
            out[mode] = {"instructions": (runs[1].total - runs[0].total) / DECISIONS,
                         "top": _per_decision(runs, DECISIONS)}
    return out


def _core_or_libc(name):
    """The core's functions and the string routines they call; not the driver or start-up."""
    return "zdu::routing::" in name or name.startswith(("__mem", "__str"))


def _per_decision(runs, n, limit=8):
    """The core's largest functions in one decision, start-up (the n = 0 run) subtracted."""
    before = runs[0].inclusive_by_name
    rows = [(name, (count - before.get(name, 0)) / n)
            for name, count in runs[1].inclusive_top(limit * 2, _core_or_libc)]
    rows = sorted((r for r in rows if r[1] >= 1), key=lambda r: -r[1])[:limit]
    return [{"function": name, "instructions": round(count)} for name, count in rows]
