"""The cost of a hot reload at 1,000 instances: how long cmd=reload takes to make a new
generation live, what the first request of each child pays after it (a child switches at its
next request, or earlier), how requests in flight fare while reloads run, and each child's
resident memory over many reloads (it must not grow with their number).

Each reload changes one weight, so the content differs and every instance stays: the whole
config is parsed, validated and rebuilt, no worker is added."""
import contextlib
import re
import statistics
import threading
import time

from . import harness_path  # noqa: F401
from . import nginx
from .httpds import CONTEXT_ROOT
from .profile import HTTPD_SERVERS, HTTPD_THREADS
from harness import Client, Httpd, loadbalancer_xml
from harness.manager import MANAGER_CONF, Manager

CLUSTER = "bench"
BASELINE_REQUESTS = 50  # per child, for the latency a first request after a reload is held to
BACKGROUND_CLIENTS = 4  # requests in flight while reloads run


def reload_xml(ports, turn):
    """The 1,000-instance xml of reload number `turn`: i1's weight moves, nothing else."""
    instances = [{"name": f"i{k}", "listeners": f"http://127.0.0.1:{port}",
                  "weight": (100 + turn % 2) if k == 1 else 100}
                 for k, port in enumerate(ports, start=1)]
    cluster = {"name": CLUSTER, "policy": "weighted-round-robin", "instances": instances,
               "web_modules": [{"context_root": CONTEXT_ROOT}]}
    return loadbalancer_xml([cluster], {"reload-poll-interval-in-seconds": 0})


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _timed_get(client, path=nginx.PAGE_PATH):
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000.0
    return elapsed, response.status


def _percentile(values, q):
    values = sorted(values)
    if not values:
        return None
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


class Background:
    """A few clients sending sticky requests while reloads run, keeping every latency."""

    def __init__(self, url, clients):
        self.url = url
        self.latencies, self.errors = [], 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(clients)]

    def _run(self):
        with Client(self.url) as client:
            client.get(nginx.LOGIN_PATH)
            while not self._stop.is_set():
                try:
                    ms, status = _timed_get(client)
                except OSError:
                    ms, status = None, 0
                if status != 200:
                    self.errors += 1
                elif ms is not None:
                    self.latencies.append(ms)

    def __enter__(self):
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for t in self._threads:
            t.join(30)

    def summary(self):
        lat = self.latencies
        return {"requests": len(lat), "errors": self.errors,
                "p50_ms": _percentile(lat, 0.5), "p99_ms": _percentile(lat, 0.99),
                "max_ms": max(lat) if lat else None}


# zdu:debug for ZDU0103, each child's own "switched to generation N [in X ms]"; the requests
# of this section are few, so the routing lines it also writes cost little.
LOG_LEVEL = "LogLevel warn zdu:debug"
SWITCHED = re.compile(r"ZDU0103: child (\d+) switched to generation (\d+) in ([0-9.]+) ms"
                      r"(?: \(([0-9.]+) ms CPU\))?")
# ZDU0100 names the time the publishing process took to read, check and build the config.
PUBLISHED = re.compile(r"ZDU0100: generation (\d+) from .*? \((?:manager|poll), pid \d+, "
                       r"([0-9.]+) ms\)")


def _start(workdir, ports):
    conf = LOG_LEVEL + "\n" + MANAGER_CONF
    httpd = Httpd(workdir, reload_xml(ports, 0), extra_conf=conf, servers=HTTPD_SERVERS,
                  threads=HTTPD_THREADS, access_log=False)
    return httpd.start()


def _reload(httpd, manager, ports, turn):
    """One reload; (wall ms of cmd=reload, generation it made live)."""
    httpd.write_xml(reload_xml(ports, turn))
    start = time.perf_counter()
    status, answer = manager.reload()
    elapsed = (time.perf_counter() - start) * 1000.0
    if status != 200 or not answer.get("generation"):
        raise RuntimeError(f"reload {turn} refused: {status} {answer}")
    return elapsed, answer["generation"]


def _first_requests(per_child, baseline):
    """ms each child's first request takes after a reload, beyond its own median."""
    return [_timed_get(client)[0] - baseline[pid] for pid, client in per_child.items()]


def switch_times(error_log, generations):
    """(wall ms, CPU ms) of every child's switch to one of `generations`, from its ZDU0103
    lines (CPU None when the line does not give it)."""
    return [(float(ms), float(cpu) if cpu else None)
            for _, gen, ms, cpu in SWITCHED.findall(error_log) if int(gen) in generations]


def publish_times(error_log, generations):
    """ms the publishing process took for each of `generations`, from ZDU0100."""
    return [float(ms) for gen, ms in PUBLISHED.findall(error_log) if int(gen) in generations]


def run(workdir, ports, profile, log):
    workdir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        httpd = _start(workdir / "zdu", ports)
        stack.callback(httpd.stop)
        manager = Manager(httpd)
        per_child = manager.clients_per_child()
        for client in per_child.values():
            stack.callback(client.close)
            client.get(nginx.LOGIN_PATH)
        baseline = {pid: statistics.median(_timed_get(c)[0] for _ in range(BASELINE_REQUESTS))
                    for pid, c in per_child.items()}
        timed = profile.reload_timed
        log(f"reload: {len(ports)} instances, {timed} timed reloads, {timed} under load, then "
            f"RSS over {profile.reload_rss} reloads, {len(per_child)} children")
        # Alone first: each child's first request is the one that switches it.
        reload_ms, first_ms, generations = [], [], set()
        for turn in range(1, timed + 1):
            ms, gen = _reload(httpd, manager, ports, turn)
            reload_ms.append(ms)
            generations.add(gen)
            first_ms += _first_requests(per_child, baseline)
        switched = switch_times(httpd.error_log(), generations)
        published = publish_times(httpd.error_log(), generations)
        quiet, busy = _in_flight(httpd, manager, ports, timed, timed)
        rss = _rss_over_reloads(httpd, manager, ports, per_child, 2 * timed, profile.reload_rss,
                                log)
    return _summary(len(ports), len(per_child), reload_ms, first_ms, switched, published, quiet,
                    busy, baseline, rss)


def _in_flight(httpd, manager, ports, start_turn, count):
    """Background requests' latency for a stretch without reloads, then while `count` reloads
    run back to back: what a switch costs the requests around it."""
    with Background(httpd.base_url, BACKGROUND_CLIENTS) as quiet:
        time.sleep(2.0)
    with Background(httpd.base_url, BACKGROUND_CLIENTS) as busy:
        for turn in range(start_turn + 1, start_turn + count + 1):
            _reload(httpd, manager, ports, turn)
    return quiet.summary(), busy.summary()


def _rss_over_reloads(httpd, manager, ports, per_child, start_turn, count, log):
    """[(reloads done, {pid: RSS kB})], sampled ten times; every child takes a request after
    each reload, so each has switched (and dropped the old generation)."""
    every = max(1, count // 10)
    samples = [(0, {pid: rss_kb(pid) for pid in per_child})]
    for n in range(1, count + 1):
        _reload(httpd, manager, ports, start_turn + n)
        for client in per_child.values():
            client.get(nginx.PAGE_PATH)
        if n % every == 0 or n == count:
            samples.append((n, {pid: rss_kb(pid) for pid in per_child}))
            log(f"  {n} reloads: child RSS kB {sorted(samples[-1][1].values())}")
    return samples


def _p50_max(values, name):
    return {f"{name}_p50": statistics.median(values) if values else None,
            f"{name}_max": max(values) if values else None}


def _summary(instances, children, reload_ms, first_ms, switched, published, quiet, busy,
             baseline, rss):
    first_rss, last_rss = rss[0][1], rss[-1][1]
    # The growth over the second half of the reloads: the first ones fill malloc's arenas (a
    # child switches in whichever of its threads takes the next request, and each thread may
    # get an arena of its own), after which a child that keeps nothing per reload stays flat.
    half = min(rss, key=lambda sample: abs(sample[0] - rss[-1][0] / 2))[1]
    growth = [last_rss[p] - half[p] for p in last_rss if last_rss[p] and half.get(p)]
    return {
        "instances": instances, "children": children, "reloads_timed": len(reload_ms),
        "reload_ms_p50": statistics.median(reload_ms), "reload_ms_max": max(reload_ms),
        **_p50_max([wall for wall, _ in switched], "switch_ms"), "switches": len(switched),
        **_p50_max([cpu for _, cpu in switched if cpu is not None], "switch_cpu_ms"),
        **_p50_max(published, "publish_ms"),
        "first_request_extra_ms_p50": statistics.median(first_ms),
        "first_request_extra_ms_max": max(first_ms),
        "baseline_ms": statistics.median(baseline.values()),
        "without_reloads": quiet, "in_flight": busy,
        "rss_reloads": rss[-1][0], "rss_kb_start": sum(first_rss.values()),
        "rss_kb_end": sum(last_rss.values()),
        "rss_growth_kb_per_child_max": max(growth) if growth else None,
        "rss_samples": [{"reloads": n, "rss_kb": sorted(v.values())} for n, v in rss],
    }
