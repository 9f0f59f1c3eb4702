"""The head-to-head rows at 2 instances: the backend direct, mod_proxy_balancer, mod_zdu,
HAProxy (sticky and new sessions each), and a static file from mod_zdu's own httpd."""
import contextlib

from . import httpds, nginx, rounds, sessions, targets
from .rounds import Row

NAMES = (targets.DIRECT, targets.BALANCER, targets.ZDU, targets.HAPROXY, targets.STATIC)


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


def run(workdir, backend, ports, profile, log):
    workdir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        started = targets.start(stack, workdir, ports, NAMES, backend)
        rows = []
        for name in NAMES[:-1]:
            target = started[name]
            wanted = 1 if name == targets.DIRECT else len(ports)
            rows += session_rows("compare", target, prepare_sticky(target, workdir, wanted, log))
        rows.append(Row("compare", started[targets.STATIC], "static", httpds.STATIC_PATH))
        return rounds.measure(rows, profile.rounds, profile.load(), profile.warmup, log)
