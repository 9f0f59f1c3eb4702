"""The head-to-head rows at 2 instances: the backend direct, the limit (httpd proxying to one
fixed backend, no balancer), mod_proxy_balancer, mod_zdu, HAProxy (sticky and new sessions
each), and a static file from mod_zdu's own httpd. Next to mod_zdu's sticky row (the sessions
of its logins, in a table that holds little else), the same requests on a second mod_zdu whose
table holds a million tracked sessions."""
import contextlib

from . import httpds, nginx, rounds, sessions, targets
from .rounds import Row

NAMES = (targets.DIRECT, targets.LIMIT, targets.BALANCER, targets.ZDU, targets.ZDU_1M,
         targets.HAPROXY, targets.STATIC)
# Sessions of the 1M-tracked row wrk cycles through: as many as the largest distinct-sessions
# row, so the table's lookups miss the CPU caches as a real million users' would.
TRACKED_SENT = 100_000


def session_rows(section, target, cookie_file, instances=None):
    return [Row(section, target, "sticky", nginx.PAGE_PATH, str(cookie_file), instances),
            Row(section, target, "new", nginx.LOGIN_PATH, None, instances)]


def prepare_sticky(target, workdir, routes_wanted, log):
    """Logs in through the target and writes its sessions' cookies; returns the cookie file."""
    found = sessions.login_all_routes(target, routes_wanted)
    if target.name != targets.DIRECT:
        share = sessions.sticky_share(target, found)
        log(f"  {target.name}: {len(found)} sessions on distinct routes, "
            f"{share:.0%} of probes stuck to their instance")
    return sessions.write_cookie_file(workdir / f"{target.name}.cookies", found)


def prepare_prefilled(target, workdir, instances, log, count=TRACKED_SENT):
    """The cookie file of `count` of the prefilled sessions. Probes without the route cookie
    show the table routes them (a session id it does not know, with no route, is a new one)."""
    found = sessions.login_all_routes(target, instances)
    chosen = sessions.prefilled(target, found, count, httpds.PREFILLED_SESSIONS)
    share = sessions.sticky_share(target, sessions.without_route(chosen))
    stored = httpds.prefill_report(target.error_log)
    said = ("no ZDU0086 line" if stored is None else
            f"{stored[0]} stored, {stored[1]} not stored, {stored[2]} evicted")
    log(f"  {target.name}: {httpds.PREFILLED_SESSIONS} sessions prefilled ({said}); "
        f"{count} of them sent; {share:.0%} of probes without JROUTE stuck to their instance")
    return sessions.write_cookie_file(workdir / f"{target.name.replace(' ', '-')}.cookies",
                                      chosen)


def sticky_cookies(started, workdir, instances, log):
    """{target name: cookie file} for every proxy row's sticky workload. The limit sends
    mod_zdu's cookies (its backend ignores them): the same request bytes as mod_zdu's row."""
    files = {}
    for name, target in started.items():
        if name in (targets.LIMIT, targets.STATIC):
            continue
        if name == targets.ZDU_1M:
            files[name] = prepare_prefilled(target, workdir, instances, log)
        else:
            wanted = 1 if name == targets.DIRECT else instances
            files[name] = prepare_sticky(target, workdir, wanted, log)
    if targets.LIMIT in started:
        files[targets.LIMIT] = files[targets.ZDU]
    return files


def run(workdir, backend, ports, profile, log):
    workdir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        started = targets.start(stack, workdir, ports, NAMES, backend)
        cookies = sticky_cookies(started, workdir, len(ports), log)
        rows = []
        for name in NAMES[:-1]:
            if name == targets.ZDU_1M:
                rows.append(Row("compare", started[name], "sticky", nginx.PAGE_PATH,
                                str(cookies[name])))
            else:
                rows += session_rows("compare", started[name], cookies[name])
        rows.append(Row("compare", started[targets.STATIC], "static", httpds.STATIC_PATH))
        return rounds.measure(rows, profile.rounds, profile.load(), profile.warmup, log)
