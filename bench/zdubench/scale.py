"""Scale curves: the proxies' sticky and new-session rows at growing instance counts, memory of
each httpd at each count, and at the largest count the sticky row with many distinct client
sessions. Every instance has its own nginx port, as mod_proxy keys workers by URL."""
import contextlib

from . import memory, nginx, rounds, sessions, targets
from .compare import prepare_sticky, session_rows
from .rounds import Row


def run(workdir, backend, ports, profile, log):
    results, mem = [], []
    largest = max(profile.scale_instances)
    for n in profile.scale_instances:
        log(f"scale: {n} instances")
        point = workdir / f"{n}-instances"
        point.mkdir(parents=True, exist_ok=True)
        with contextlib.ExitStack() as stack:
            started = targets.start(stack, point, ports[:n], targets.PROXIES, backend)
            rows = []
            for name in targets.PROXIES:
                cookies = prepare_sticky(started[name], point, n, log)
                rows += session_rows("scale", started[name], cookies, n)
            load = profile.load(profile.scale_duration)
            results += rounds.measure(rows, profile.scale_rounds, load, profile.warmup, log)
            mem += [dict(memory.measure(t.pids()), target=t.name, instances=n)
                    for t in started.values()]
            if n == largest:
                results += _many_sessions(started, point, n, profile, log)
    return results, mem


def _many_sessions(started, workdir, n, profile, log):
    rows = []
    for name, target in started.items():
        found = sessions.login_all_routes(target, n)
        for count in profile.session_counts:
            path = sessions.write_cookie_file(workdir / f"{name}-{count}.cookies", found, count)
            rows.append(Row("sessions", target, "sticky", nginx.PAGE_PATH, str(path), n, count))
    log(f"sessions: {', '.join(map(str, profile.session_counts))} distinct sessions "
        f"at {n} instances")
    load = profile.load(profile.scale_duration)
    return rounds.measure(rows, profile.scale_rounds, load, profile.warmup, log)
