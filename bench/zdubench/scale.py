"""Scale curves: the proxies' sticky and new-session rows at growing instance counts, memory of
each httpd at each count, and at the largest count the sticky row with many distinct client
sessions. Every instance has its own nginx port, as mod_proxy keys workers by URL. The limit
row (httpd proxying to one fixed backend) runs at every count: it is always one backend, and
sends mod_zdu's cookies."""
import contextlib

from . import memory, nginx, rounds, sessions, targets
from .compare import prepare_sticky, session_rows
from .rounds import Row

NAMES = (targets.LIMIT,) + targets.PROXIES


def run(workdir, backend, ports, profile, log):
    results, mem = [], []
    largest = max(profile.scale_instances)
    for n in profile.scale_instances:
        log(f"scale: {n} instances")
        point = workdir / f"{n}-instances"
        point.mkdir(parents=True, exist_ok=True)
        with contextlib.ExitStack() as stack:
            started = targets.start(stack, point, ports[:n], NAMES, backend)
            cookies = {name: prepare_sticky(started[name], point, n, log)
                       for name in targets.PROXIES}
            cookies[targets.LIMIT] = cookies[targets.ZDU]
            rows = []
            for name in NAMES:
                rows += session_rows("scale", started[name], cookies[name], n)
            load = profile.load(profile.scale_duration)
            results += rounds.measure(rows, profile.scale_rounds, load, profile.warmup, log)
            mem += [dict(memory.measure(t.pids()), target=t.name, instances=n)
                    for t in started.values()]
            if n == largest:
                results += _many_sessions(started, point, n, profile, log)
    return results, mem


def _many_sessions(started, workdir, n, profile, log):
    rows = []
    found_by = {name: sessions.login_all_routes(started[name], n) for name in targets.PROXIES}
    found_by[targets.LIMIT] = found_by[targets.ZDU]
    for name in NAMES:
        target, found = started[name], found_by[name]
        for count in profile.session_counts:
            path = sessions.write_cookie_file(workdir / f"{name}-{count}.cookies", found, count)
            rows.append(Row("sessions", target, "sticky", nginx.PAGE_PATH, str(path), n, count))
    log(f"sessions: {', '.join(map(str, profile.session_counts))} distinct sessions "
        f"at {n} instances")
    load = profile.load(profile.scale_duration)
    return rounds.measure(rows, profile.scale_rounds, load, profile.warmup, log)
