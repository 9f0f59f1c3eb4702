"""What a request retried after a reset pays (--sections failover): mod_zdu with 2 instances,
the first a listener that accepts, reads the request and resets the connection (SO_LINGER 0),
the second the nginx backend, against the same mod_zdu with both instances on nginx. New-session
requests (GET /app/login, no cookie), one after another, alternately to the two httpds, each on
a new connection: on a kept-alive one, mod_proxy answers a reset on a later request by closing
the client's connection (for the client to retry), and mod_zdu retries only the first request
of a connection. Round-robin hands a new session to i1 first, and the retry to i2 moves it on
once more, so every request of the failing httpd meets the reset. The extra latency of a
retried request: its median and p99 minus those of the other httpd's.

Which request was retried: the listener, a process of its own (so it shares no interpreter
lock with the client), writes a byte to a pipe as it accepts, before it resets; the client
reads the pipe after each answer. mod_zdu's own count (`retries` of the instance in
cmd=status) must say as many."""
import contextlib
import os
import subprocess
import sys
import time

from . import harness_path  # noqa: F401
from . import httpds, nginx
from .profile import HTTPD_SERVERS, HTTPD_THREADS
from harness.client import Client
from harness.manager import MANAGER_CONF, Manager

WARMUP = 20
# The resetting instance is never taken out: fewer resets than this reach it in a run (a
# success on the same instance would reset the count, but it never has one).
PROPERTIES = {"zdu-passive-failures-in-a-row": "1000"}
RESETTER = r"""
import os, socket, struct, sys
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen(64)
os.write(1, b"%d\n" % sock.getsockname()[1])
while True:
    conn, _ = sock.accept()
    os.write(1, b".")
    conn.recv(65536)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
"""


class Resetter:
    """The resetting listener; accepted() says how many connections it took since last asked."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", RESETTER], stdout=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        self.port = int(self.proc.stdout.readline())
        self.fd = self.proc.stdout.fileno()
        os.set_blocking(self.fd, False)

    def accepted(self):
        try:
            return len(os.read(self.fd, 65536))
        except BlockingIOError:
            return 0

    def stop(self):
        self.proc.kill()
        self.proc.wait(10)


def _retries(manager):
    """{instance name: mod_zdu's retries counter} from cmd=status."""
    clusters = manager.status()["clusters"]
    return {i["name"]: i["counters"]["retries"] for c in clusters for i in c["instances"]}


def _timed_login(httpd):
    """ms of one new-session request on a connection of its own, and its status."""
    with Client(httpd.base_url) as client:
        start = time.perf_counter()
        response = client.get(nginx.LOGIN_PATH)
        return (time.perf_counter() - start) * 1000.0, response.status


def _httpd(root, ports):
    return httpds.zdu_httpd(root, ports, HTTPD_SERVERS, HTTPD_THREADS, properties=PROPERTIES,
                            logs=httpds.QUIET_LOGS + "\n" + MANAGER_CONF)


def run(workdir, backend_ports, requests, log):
    workdir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        bad = Resetter()
        stack.callback(bad.stop)
        failing = _httpd(workdir / "failing", [bad.port, backend_ports[1]])  # i1 resets
        healthy = _httpd(workdir / "healthy", backend_ports[:2])
        for httpd in (failing, healthy):
            stack.callback(httpd.stop)
            httpd.start()
        manager = Manager(failing)
        log(f"failover: {requests} sequential new-session requests to each of two mod_zdu, "
            "one whose i1 resets every connection")
        for _ in range(WARMUP):
            _timed_login(failing), _timed_login(healthy)
        bad.accepted()
        before = _retries(manager)
        retried, not_retried, clean, failed = [], [], [], 0
        for n in range(requests):
            for httpd in ((failing, healthy) if n % 2 else (healthy, failing)):
                ms, status = _timed_login(httpd)
                resets = bad.accepted() if httpd is failing else 0
                if status != 200:
                    failed += 1
                elif httpd is healthy:
                    clean.append(ms)
                else:
                    (retried if resets else not_retried).append(ms)
        counted = sum(_retries(manager).values()) - sum(before.values())
    return summary(retried, clean, failed, counted, len(not_retried))


def _percentile(values, q):
    values = sorted(values)
    if not values:
        return None
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def summary(retried, clean, failed, counted, not_retried=0):
    """Latencies of the healthy httpd's requests and of the failing one's retried after a
    reset, and the difference (median and p99). not_retried: the failing httpd's requests
    that met no reset (left out)."""
    figures = {}
    for name, values in (("clean", clean), ("retried", retried)):
        figures[name] = {"requests": len(values), "p50_ms": _percentile(values, 0.5),
                         "p99_ms": _percentile(values, 0.99)}
    extra = {}
    for q in ("p50_ms", "p99_ms"):
        a, b = figures["retried"][q], figures["clean"][q]
        extra[q] = None if a is None or b is None else a - b
    return {"instances": 2, **figures, "extra": extra, "failed": failed,
            "not_retried": not_retried, "retries_counted_by_mod_zdu": counted}
