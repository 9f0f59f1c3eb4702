"""The rows' servers: what each one is, where it listens, and how to start it for a cluster of
given instance ports."""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List

from . import httpds, nginx, procs
from .haproxy import COOKIE as HAPROXY_COOKIE, Haproxy

DIRECT = "direct"
# httpd proxying to one fixed backend (ProxyPass, no balancer): what a balancer inside httpd
# cannot beat, and what mod_zdu is measured against.
LIMIT = "limit"
BALANCER = "mod_proxy_balancer"
ZDU = "mod_zdu"
# The same httpd with a session table prefilled with a million tracked sessions.
ZDU_1M = "mod_zdu 1M tracked"
# mod_zdu with `ZduBackendHeaders all`: the same routing and session tracking, with the three
# header lines (Proxy-jroute, Proxy-ip, X-Forwarded-Proto) the default sends none of over plain
# HTTP: what they cost an operator who names them.
ZDU_ALL_HEADERS = "mod_zdu all backend headers"
HAPROXY = "haproxy"
STATIC = "static"
PROXIES = (BALANCER, ZDU, HAPROXY)


def _session_suffix(cookies):
    session = cookies.get(nginx.SESSION_COOKIE, "")
    return session.partition(".")[2] or None


# How each server says which instance a session is on: what a login's cookies must carry.
ROUTE_OF = {
    DIRECT: _session_suffix,
    LIMIT: _session_suffix,
    BALANCER: _session_suffix,
    ZDU: lambda cookies: cookies.get("JROUTE"),
    ZDU_1M: lambda cookies: cookies.get("JROUTE"),
    ZDU_ALL_HEADERS: lambda cookies: cookies.get("JROUTE"),
    HAPROXY: lambda cookies: cookies.get(HAPROXY_COOKIE),
}


@dataclass
class Target:
    name: str
    url: str
    route_of: Callable = None
    pids: Callable[[], List[int]] = field(default=lambda: [])
    ports: List[int] = field(default_factory=list)  # instance k on ports[k] (ZDU_1M)
    error_log: str = None


def _pids(server):
    """The server's processes, parent first: for CPU time and memory."""
    return lambda: procs.tree(server.proc.pid) if server.proc else []


def start(stack, workdir, ports, names, backend):
    """Starts the servers `names` need, for the instances on `ports`; everything started is
    stopped when `stack` closes. backend: the nginx already listening on those ports."""
    workdir = Path(workdir)
    targets = {}
    if DIRECT in names:
        targets[DIRECT] = Target(DIRECT, backend.url("", 0), ROUTE_OF[DIRECT], _pids(backend))
    if LIMIT in names:
        h = httpds.limit_httpd(workdir / "limit", ports)
        stack.callback(h.stop)
        h.start()
        targets[LIMIT] = Target(LIMIT, h.base_url, ROUTE_OF[LIMIT], _pids(h))
    if BALANCER in names:
        h = httpds.balancer_httpd(workdir / "balancer", ports)
        stack.callback(h.stop)
        h.start()
        targets[BALANCER] = Target(BALANCER, h.base_url, ROUTE_OF[BALANCER], _pids(h))
    if ZDU in names or STATIC in names:
        h = httpds.zdu_httpd(workdir / "zdu", ports)
        stack.callback(h.stop)
        h.start()
        targets[ZDU] = Target(ZDU, h.base_url, ROUTE_OF[ZDU], _pids(h))
        targets[STATIC] = Target(STATIC, h.base_url, pids=_pids(h))
    if ZDU_1M in names:
        h = httpds.prefilled_httpd(workdir / "zdu-1m", ports)
        stack.callback(h.stop)
        with httpds.prefill_environment():
            h.start()
        targets[ZDU_1M] = Target(ZDU_1M, h.base_url, ROUTE_OF[ZDU_1M], _pids(h), list(ports),
                                 str(h.root / "error.log"))
    if HAPROXY in names:
        ha = Haproxy(workdir / "haproxy", ports)
        stack.callback(ha.stop)
        ha.start()
        targets[HAPROXY] = Target(HAPROXY, ha.url(), ROUTE_OF[HAPROXY], _pids(ha))
    return {name: targets[name] for name in names}
