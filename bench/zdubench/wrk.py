"""One wrk run, its figures read from the JSON line lua/sessions.lua's done() hook prints."""
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

WRK = "wrk"
SCRIPT = Path(__file__).resolve().parents[1] / "lua" / "sessions.lua"
MARK = "WRK_RESULT "
GRACE = 30.0  # beyond the run's own duration, before a hung wrk is killed


@dataclass(frozen=True)
class Load:
    threads: int
    connections: int
    duration: int  # seconds: wrk takes whole seconds only


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors, timeouts and non-2xx/3xx answers
    requests: int
    error_kinds: dict = None
    cpu_us_per_request: float = None  # the server's own CPU time, filled in by the caller
    user_us_per_request: float = None  # the part of it in user space (the rest: kernel)


def run(url, path, cookie_file, load):
    """cookie_file None: requests without a Cookie."""
    cmd = [WRK, "-t", str(load.threads), "-c", str(load.connections),
           "-d", f"{max(1, round(load.duration))}s", "--timeout", "5s", "-s", str(SCRIPT), url,
           "--", str(cookie_file) if cookie_file else "-", path]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=load.duration + GRACE)
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return _result(json.loads(line[len(MARK):]))
    raise RuntimeError(f"wrk gave no result: {done.stdout[-2000:]} {done.stderr[-2000:]}")


def _result(raw):
    seconds = raw["duration_us"] / 1e6
    kinds = {k: raw[k] for k in ("connect_errors", "read_errors", "write_errors",
                                 "status_errors", "timeouts") if raw[k]}
    return Result(rps=raw["requests"] / seconds if seconds else 0.0,
                  p50_ms=raw["p50_us"] / 1000.0, p99_ms=raw["p99_us"] / 1000.0,
                  errors=sum(kinds.values()), requests=raw["requests"], error_kinds=kinds)
