"""System calls per request (--sections syscalls): `strace -c -f` attached to the one child of
an httpd (the limit, mod_zdu, mod_proxy_balancer), while one client sends a fixed number of
sticky requests one after another on a kept-alive connection. Counts only: strace slows every
call, so its times say nothing.

clock_gettime and gettimeofday normally run in the vDSO, without entering the kernel: strace
does not see them. The callgrind section counts those calls (time_calls)."""
import contextlib
import re
import signal
import subprocess
import time

from . import harness_path  # noqa: F401
from . import httpds, nginx, procs, sessions, targets
from .profile import HTTPD_THREADS
from harness import process
from harness.client import Client

STRACE = "strace"
NAMES = (targets.LIMIT, targets.ZDU, targets.BALANCER)
WARMUP = 50       # requests before strace attaches: the child's backend connections are open
ATTACH_TIMEOUT = 10.0
# Calls that read a clock: times() (CPU time, which httpd's scoreboard asks for each request)
# always enters the kernel; the others only where the vDSO does not serve them.
TIME_CALLS = ("clock_gettime", "clock_gettime64", "gettimeofday", "time", "times",
              "clock_getres")


def parse_summary(text):
    """{syscall: (calls, errors)} from `strace -c` output; the 'total' line is left out (the
    sum of the others is the total)."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 5 or not re.fullmatch(r"[0-9.]+", parts[0]) or parts[-1] == "total":
            continue
        numbers = parts[1:-1]
        # seconds, usecs/call, calls[, errors]
        if not all(re.fullmatch(r"[0-9.]+", n) for n in numbers) or len(numbers) < 3:
            continue
        calls = int(numbers[2])
        errors = int(numbers[3]) if len(numbers) > 3 else 0
        out[parts[-1]] = (calls, errors)
    return out


def per_request(summary, requests, top=12):
    """The figures of one server: total calls per request, the `top` syscalls by calls with
    their calls and errors per request, and the time calls (0 when none reached the kernel)."""
    total = sum(calls for calls, _ in summary.values())
    ranked = sorted(summary.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return {
        "requests": requests,
        "total_per_request": total / requests if requests else None,
        "syscalls": [{"name": name, "per_request": calls / requests,
                      "errors_per_request": errors / requests}
                     for name, (calls, errors) in ranked[:top]],
        "time_calls_per_request": sum(summary.get(n, (0, 0))[0] for n in TIME_CALLS) / requests
        if requests else None,
        "distinct": len(summary),
    }


def _httpd(name, root, ports):
    make = {targets.LIMIT: httpds.limit_httpd, targets.ZDU: httpds.zdu_httpd,
            targets.BALANCER: httpds.balancer_httpd}[name]
    return make(root, ports, servers=1, threads=HTTPD_THREADS)


def _only_child(httpd):
    if not process.wait_until(lambda: len(httpd.child_pids()) == 1, 10.0):
        raise procs.ServerError(f"expected one child, found {httpd.child_pids()}")
    return httpd.child_pids()[0]


def _cookie(name, httpd, ports, zdu_cookie):
    """The sticky request's Cookie: a login's through this server; the limit sends mod_zdu's."""
    if name == targets.LIMIT and zdu_cookie:
        return zdu_cookie
    target = targets.Target(name, httpd.base_url, targets.ROUTE_OF[name])
    found = sessions.login_all_routes(target, len(ports))
    if not found:
        raise procs.ServerError(f"{name}: no login succeeded")
    return found[0].header()


def _attach(child, out_file, log_file):
    """strace on every thread of the child (-f with -p attaches all of them); returns once it
    says they are attached."""
    log = open(log_file, "wb")
    proc = subprocess.Popen([STRACE, "-c", "-f", "-o", str(out_file), "-p", str(child)],
                            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    log.close()
    if not process.wait_until(lambda: proc.poll() is not None or
                              b"attached" in open(log_file, "rb").read(), ATTACH_TIMEOUT):
        proc.kill()
        raise procs.ServerError(f"strace did not attach: {procs.read_tail(log_file)}")
    if proc.poll() is not None:
        raise procs.ServerError(f"strace failed: {procs.read_tail(log_file)}")
    time.sleep(0.2)  # threads attached one by one: the last may follow the first line
    return proc


def _measure(name, root, ports, requests, zdu_cookie):
    with contextlib.ExitStack() as stack:
        httpd = _httpd(name, root, ports)
        stack.callback(httpd.stop)
        httpd.start()
        child = _only_child(httpd)
        cookie = _cookie(name, httpd, ports, zdu_cookie)
        headers = {"Cookie": cookie}
        with Client(httpd.base_url) as client:
            for _ in range(WARMUP):
                client.get(nginx.PAGE_PATH, headers=headers)
            out = root / "strace.txt"
            tracer = _attach(child, out, root / "strace.log")
            failed = 0
            try:
                for _ in range(requests):
                    failed += client.get(nginx.PAGE_PATH, headers=headers).status != 200
            finally:
                tracer.send_signal(signal.SIGINT)  # detaches and writes the summary
                tracer.wait(30)
        row = per_request(parse_summary(out.read_text()), requests)
        row.update(target=name, workload="sticky", failed=failed)
        return row, cookie


def run(workdir, ports, requests, log):
    rows, zdu_cookie = [], None
    for name in (targets.ZDU, targets.LIMIT, targets.BALANCER):
        log(f"syscalls: {name}, {requests} sequential sticky requests under strace -c -f")
        root = workdir / name.replace(" ", "-")
        try:
            row, cookie = _measure(name, root, ports, requests, zdu_cookie)
        except (procs.ServerError, OSError, subprocess.SubprocessError) as e:
            log(f"syscalls: {name} skipped: {e}")
            continue
        if name == targets.ZDU:
            zdu_cookie = cookie
        rows.append(row)
    return sorted(rows, key=lambda r: NAMES.index(r["target"]))
