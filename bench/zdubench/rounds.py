"""Alternating measurement: every row runs once per round (A B C D, D C B A, …), so drift of
the machine (thermal, other load) spreads over all rows instead of biasing the last; the median
of the rounds is reported."""
import statistics
from dataclasses import dataclass, field
from typing import List, Optional

from . import procs, wrk


@dataclass
class Row:
    section: str
    target: object          # targets.Target
    workload: str           # "sticky", "new" or "static"
    path: str
    cookie_file: Optional[str] = None
    instances: Optional[int] = None
    sessions: Optional[int] = None
    results: List[wrk.Result] = field(default_factory=list)

    def summary(self):
        rs = self.results
        return {
            "section": self.section, "target": self.target.name, "workload": self.workload,
            "instances": self.instances, "sessions": self.sessions,
            "rps": _median(r.rps for r in rs), "p50_ms": _median(r.p50_ms for r in rs),
            "p99_ms": _median(r.p99_ms for r in rs),
            "cpu_us_per_request": _median(r.cpu_us_per_request for r in rs
                                          if r.cpu_us_per_request is not None),
            "user_us_per_request": _median(r.user_us_per_request for r in rs
                                           if r.user_us_per_request is not None),
            "errors": sum(r.errors for r in rs), "requests": sum(r.requests for r in rs),
            "runs_rps": [round(r.rps) for r in rs],
            "runs_cpu_us": [None if r.cpu_us_per_request is None else round(r.cpu_us_per_request, 1)
                            for r in rs],
            "error_kinds": _sum_kinds(r.error_kinds for r in rs),
        }


def _sum_kinds(dicts):
    total = {}
    for d in dicts:
        for k, v in (d or {}).items():
            total[k] = total.get(k, 0) + v
    return total


def _median(values):
    values = list(values)
    return statistics.median(values) if values else 0.0


def measure(rows, rounds, load, warmup, log):
    """Fills each row's results; a short unrecorded run first fills connection pools."""
    warm = wrk.Load(load.threads, load.connections, warmup)
    for row in rows:
        wrk.run(row.target.url, row.path, row.cookie_file, warm)
    for n in range(1, rounds + 1):
        for row in _schedule(rows, n):
            result = _run(row, load)
            row.results.append(result)
            cpu = result.cpu_us_per_request or 0.0
            log(f"  round {n}/{rounds} {_label(row):44} {result.rps:9.0f} req/s"
                f"  p99 {result.p99_ms:6.2f} ms  cpu {cpu:5.1f} us/req"
                + (f"  errors {result.errors}" if result.errors else ""))
    return [row.summary() for row in rows]


def _schedule(rows, n):
    """The order of round n: rows of one workload next to each other, so the runs a ratio
    compares are seconds apart, and every other round backwards (A B C, C B A), so a steady
    drift of the machine favours no row."""
    kinds = {w: i for i, w in enumerate(dict.fromkeys(r.workload for r in rows))}
    grouped = sorted(rows, key=lambda r: kinds[r.workload])
    return grouped if n % 2 else grouped[::-1]


def _run(row, load):
    """One wrk run, with the CPU time the server spent on it: unlike req/s, CPU per request
    hardly moves when other work shares the machine."""
    pids = row.target.pids()
    user0, system0 = procs.cpu_seconds(pids)
    result = wrk.run(row.target.url, row.path, row.cookie_file, load)
    user1, system1 = procs.cpu_seconds(pids)
    if pids and result.requests:
        per_request = 1e6 / result.requests
        result.cpu_us_per_request = (user1 - user0 + system1 - system0) * per_request
        result.user_us_per_request = (user1 - user0) * per_request
    return result


def _label(row):
    extra = []
    if row.instances is not None:
        extra.append(f"{row.instances} inst")
    if row.sessions is not None:
        extra.append(f"{row.sessions} sessions")
    suffix = f" ({', '.join(extra)})" if extra else ""
    return f"{row.target.name} {row.workload}{suffix}"
