"""What a reload every second costs the requests around it (in the reload section): mod_zdu at
2 instances, the compare section's sticky wrk load, alternately N s without reloads and N s
with a `cmd=reload` every second, a few rounds; p50 and p99 both ways and their ratio (the
goal: p99 with reloads <= 1.2x p99 without).

Each reload changes one weight, so the whole file is read, checked and rebuilt and every child
switches to the new generation at its next request; no worker is added."""
import contextlib
import threading
import time

from . import harness_path  # noqa: F401
from . import httpds, nginx, rounds, sessions, targets, wrk
from .profile import HTTPD_SERVERS, HTTPD_THREADS
from harness import Httpd, loadbalancer_xml
from harness.manager import MANAGER_CONF, Manager

RELOAD_EVERY = 1.0  # seconds


def reload_xml(ports, turn):
    """The compare section's cluster (default policy), i1's weight moving with each turn: the
    content differs, nothing else does. The file is reloaded only when asked."""
    instances = [{"name": f"i{k}", "listeners": f"http://127.0.0.1:{port}",
                  "weight": (100 + turn % 2) if k == 1 else 100}
                 for k, port in enumerate(ports, start=1)]
    return loadbalancer_xml([{"name": httpds.CLUSTER, "instances": instances,
                              "web_modules": [{"context_root": httpds.CONTEXT_ROOT}]}],
                            {"reload-poll-interval-in-seconds": 0})


class Reloader:
    """A thread that reloads every RELOAD_EVERY seconds while a wrk run lasts."""

    def __init__(self, httpd, manager, ports, first_turn):
        self.httpd, self.manager, self.ports = httpd, manager, ports
        self.turn = first_turn
        self.done, self.refused, self.generations = 0, 0, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        next_at = time.monotonic() + RELOAD_EVERY / 2  # the first lands inside the run
        while not self._stop.wait(max(0.0, next_at - time.monotonic())):
            next_at += RELOAD_EVERY
            self.turn += 1
            self.httpd.write_xml(reload_xml(self.ports, self.turn))
            try:
                status, answer = self.manager.reload()
            except (OSError, ValueError):
                status, answer = 0, {}
            if status == 200 and answer.get("generation"):
                self.done += 1
                self.generations.append(answer["generation"])
            else:
                self.refused += 1

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(30)


def _start(workdir, ports):
    # Same settings as the compare section's mod_zdu, plus the manager for cmd=reload.
    conf = httpds.QUIET_LOGS + "\n" + MANAGER_CONF
    httpd = Httpd(workdir, reload_xml(ports, 0), extra_conf=conf, servers=HTTPD_SERVERS,
                  threads=HTTPD_THREADS, access_log=False)
    return httpd.start()


def _figures(result):
    return {"rps": result.rps, "p50_ms": result.p50_ms, "p99_ms": result.p99_ms,
            "errors": result.errors, "requests": result.requests}


def run(workdir, ports, profile, log):
    workdir.mkdir(parents=True, exist_ok=True)
    seconds, count = profile.reload_load_seconds, profile.reload_load_rounds
    with contextlib.ExitStack() as stack:
        httpd = _start(workdir / "zdu", ports[:2])
        stack.callback(httpd.stop)
        manager = Manager(httpd)
        target = targets.Target(targets.ZDU, httpd.base_url, targets.ROUTE_OF[targets.ZDU])
        found = sessions.login_all_routes(target, 2)
        cookies = str(sessions.write_cookie_file(workdir / "zdu.cookies", found))
        load = profile.load(seconds)
        log(f"reload under load: 2 instances, {count} rounds of {seconds} s without and "
            f"{seconds} s with a reload every {RELOAD_EVERY:g} s")
        wrk.run(httpd.base_url, nginx.PAGE_PATH, cookies, profile.load(profile.warmup))
        quiet, busy, reloaders = [], [], []
        for n in range(1, count + 1):
            # Alternating, as the other sections: without reloads first in odd rounds.
            for with_reloads in ((False, True) if n % 2 else (True, False)):
                turn = reloaders[-1].turn if reloaders else 0
                with (Reloader(httpd, manager, ports[:2], turn) if with_reloads
                      else contextlib.nullcontext()) as reloader:
                    result = wrk.run(httpd.base_url, nginx.PAGE_PATH, cookies, load)
                if reloader:
                    reloaders.append(reloader)
                (busy if with_reloads else quiet).append(_figures(result))
                log(f"  round {n}/{count} "
                    f"{'reload every 1 s' if with_reloads else 'no reload':17}"
                    f" {result.rps:9.0f} req/s  p50 {result.p50_ms:5.2f} ms  "
                    f"p99 {result.p99_ms:6.2f} ms" +
                    (f"  errors {result.errors}" if result.errors else ""))
    return summary(quiet, busy, seconds, sum(r.done for r in reloaders),
                   sum(r.refused for r in reloaders))


def summary(quiet, busy, seconds, reloads, refused):
    """Medians both ways and the p99 ratio as the median of the per-round ratios (the two runs
    of a round are seconds apart), with the lowest and highest round."""
    ratios = sorted(b["p99_ms"] / q["p99_ms"] for q, b in zip(quiet, busy)
                    if q["p99_ms"] and b["p99_ms"])
    med = rounds._median
    return {
        "instances": 2, "seconds": seconds, "rounds": len(quiet), "reloads": reloads,
        "reloads_refused": refused,
        "without": quiet, "with": busy,
        "p50_without_ms": med(q["p50_ms"] for q in quiet),
        "p99_without_ms": med(q["p99_ms"] for q in quiet),
        "p50_with_ms": med(b["p50_ms"] for b in busy),
        "p99_with_ms": med(b["p99_ms"] for b in busy),
        "rps_without": med(q["rps"] for q in quiet), "rps_with": med(b["rps"] for b in busy),
        "errors": sum(r["errors"] for r in quiet + busy),
        "p99_ratio": med(ratios) if ratios else None,
        "p99_ratio_range": [ratios[0], ratios[-1]] if ratios else None,
    }
