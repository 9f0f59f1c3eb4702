"""Real sessions for the sticky rows: logins through each server give the cookies a browser
would then send (JROUTE for mod_zdu, the .route suffix for mod_proxy_balancer, SRV for HAProxy);
N distinct sessions are those cookies with N distinct session ids."""
import time
from pathlib import Path

from . import harness_path  # noqa: F401
from . import httpds, nginx
from harness.client import Client

LOGIN_TIMEOUT = 60.0  # bounds the logins of one server, whatever their number


class Session:
    def __init__(self, cookies, port):
        self.cookies = dict(cookies)
        self.port = port  # the nginx port that created it

    def header(self, session_id=None):
        """The Cookie header; session_id replaces the id before the route suffix."""
        cookies = dict(self.cookies)
        if session_id is not None:
            _, dot, route = cookies[nginx.SESSION_COOKIE].partition(".")
            cookies[nginx.SESSION_COOKIE] = session_id + dot + route
        return "; ".join(f"{k}={v}" for k, v in cookies.items())


def login_all_routes(target, routes_wanted):
    """One session per route the server hands out, logging in until `routes_wanted` distinct
    routes are seen (round-robin reaches them all) or twice that many logins are done."""
    found = {}
    deadline = time.monotonic() + LOGIN_TIMEOUT
    with Client(target.url) as client:
        for _ in range(2 * routes_wanted):
            if len(found) >= routes_wanted or time.monotonic() > deadline:
                break
            client.jar.clear()
            response = client.get(nginx.LOGIN_PATH)
            route = target.route_of(client.jar)
            if response.status == 200 and route and route not in found:
                found[route] = Session(client.jar, int(response.header("X-Backend-Port", 0)))
    return list(found.values())


def sticky_share(target, sessions, probes=20):
    """The share of probe requests served by the instance that made the session: 1.0 when the
    server really sticks."""
    if not sessions:
        return 0.0
    hits = 0
    picked = [sessions[k % len(sessions)] for k in range(probes)]
    with Client(target.url) as client:
        for session in picked:
            response = client.get(nginx.PAGE_PATH, headers={"Cookie": session.header()})
            hits += int(response.header("X-Backend-Port", -1)) == session.port
    return hits / probes


def write_cookie_file(path, sessions, count=None):
    """count None: each session once; else `count` distinct session ids over the routes."""
    path = Path(path)
    if count is None:
        lines = [s.header() for s in sessions]
    else:
        lines = [sessions[k % len(sessions)].header(f"{k:032x}") for k in range(count)]
    path.write_text("\n".join(lines) + "\n")
    return path


def prefilled(target, found, count, total):
    """`count` of the `total` sessions mod_zdu's bench-only start-up path made (BENCH<n> on the
    instance listening on target.ports[n % N]), spread over all of them, each with the route
    cookie of its instance as a browser would send it. `found`: logins through the target,
    which say each instance's route."""
    route_of_port = {s.port: s.cookies["JROUTE"] for s in found}
    ports = target.ports
    out = []
    for j in range(count):
        n = j * PREFILL_STRIDE % total  # the stride is coprime to 10^k: distinct ids
        port = ports[n % len(ports)]
        out.append(Session({nginx.SESSION_COOKIE: httpds.prefilled_id(n),
                            "JROUTE": route_of_port[port]}, port))
    return out


# Odd and not a multiple of 5, so j -> j * stride mod 10^k is one to one, and consecutive
# sessions alternate between instances.
PREFILL_STRIDE = 9973


def without_route(sessions_):
    """The same sessions with the session cookie only: they stick only if the table knows
    them (a session id the table does not know and no route is a new session)."""
    return [Session({nginx.SESSION_COOKIE: s.cookies[nginx.SESSION_COOKIE]}, s.port)
            for s in sessions_]
