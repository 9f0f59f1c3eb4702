"""httpd with mod_zdu, httpd with mod_proxy_balancer and the limit (httpd proxying to one fixed
backend with no balancer at all), all rendered by the harness's httpd_conf (same MPM, children,
threads, modules, keep-alive), so only the balancing differs."""
import contextlib
import os
import re

from . import harness_path  # noqa: F401
from . import nginx
from .profile import HTTPD_SERVERS, HTTPD_THREADS
from harness import Httpd, loadbalancer_xml

CLUSTER = "bench"
CONTEXT_ROOT = "/app"
BALANCER = "balancer://bench"
STATIC_PATH = "/static/hello.txt"  # written by the harness into htdocs
# The harness logs mod_zdu at debug for its tests; a benchmark must not write a line a request.
QUIET_LOGS = "LogLevel warn zdu:warn"
# The prefilled httpd also logs its ZDU0086 line (notice), which says how many were stored.
PREFILL_LOGS = "LogLevel warn zdu:notice"
# mod_zdu's bench-only start-up path (mod_zdu/state/bench_prefill.hpp): the parent reads it in
# post_config and inserts sessions BENCH0, BENCH1, ... bound round-robin to the instances.
PREFILL_VARIABLE = "ZDU_BENCH_PREFILL_SESSIONS"
PREFILLED_SESSIONS = 1_000_000


def prefilled_id(n):
    """mod_zdu's bench_session_id(n): as long as a Tomcat id, so a request hashes as much."""
    return f"BENCH{n:027d}"
# A sweep of a million sessions at the default 5 s would land in some callgrind runs and not
# in others; under callgrind the prefilled httpd sweeps once an hour.
SLOW_SWEEP = {"session-sweep-interval-in-seconds": "3600"}


def zdu_xml(ports, properties=None):
    """Instance k (from 0) listens on ports[k]: prefilled session BENCH<n> is on ports[n % N]."""
    instances = [{"name": f"i{k}", "listeners": f"http://127.0.0.1:{port}"}
                 for k, port in enumerate(ports, start=1)]
    return loadbalancer_xml([{"name": CLUSTER, "instances": instances,
                              "web_modules": [{"context_root": CONTEXT_ROOT}]}], properties)


def balancer_conf(ports):
    members = "\n".join(f'    BalancerMember "http://127.0.0.1:{port}" '
                        f"route={nginx.route_of_port(port)}" for port in ports)
    return f"""\
<Proxy "{BALANCER}">
{members}
    ProxySet stickysession={nginx.SESSION_COOKIE} lbmethod=byrequests
</Proxy>
ProxyPass "{CONTEXT_ROOT}" "{BALANCER}{CONTEXT_ROOT}"
"""


def zdu_httpd(root, ports, servers=HTTPD_SERVERS, threads=HTTPD_THREADS, properties=None,
              logs=QUIET_LOGS, **opts):
    return Httpd(root, zdu_xml(ports, properties), extra_conf=logs, servers=servers,
                 threads=threads, access_log=False, **opts)


def prefilled_httpd(root, ports, **opts):
    """mod_zdu whose session table starts with PREFILLED_SESSIONS tracked sessions; start it
    inside prefill_environment()."""
    return zdu_httpd(root, ports, logs=PREFILL_LOGS, **opts)


@contextlib.contextmanager
def prefill_environment(count=PREFILLED_SESSIONS):
    """The variable set for the servers started inside (they inherit the environment), and only
    for them: every other httpd of the run starts with an empty table."""
    os.environ[PREFILL_VARIABLE] = str(count)
    try:
        yield
    finally:
        del os.environ[PREFILL_VARIABLE]


PREFILL_LINE = re.compile(r"ZDU0086: .*?(\d+) inserted, (\d+) not stored.*?(\d+) evicted")


def prefill_report(error_log):
    """(inserted, not stored, evicted) from the server's ZDU0086 line, or None without one."""
    try:
        text = open(error_log, encoding="utf-8", errors="replace").read()
    except OSError:
        return None
    found = PREFILL_LINE.findall(text)
    return tuple(int(x) for x in found[-1]) if found else None


def balancer_httpd(root, ports, servers=HTTPD_SERVERS, threads=HTTPD_THREADS, **opts):
    return Httpd(root, None, extra_conf=balancer_conf(ports), servers=servers, threads=threads,
                 zdu=False, access_log=False, **opts)


def limit_conf(port):
    """What no balancer inside httpd can beat: mod_proxy_http to one fixed backend, chosen by
    nothing. The backend of the cluster's first instance."""
    backend = f"http://127.0.0.1:{port}{CONTEXT_ROOT}"
    return f"""\
ProxyPass "{CONTEXT_ROOT}" "{backend}"
ProxyPassReverse "{CONTEXT_ROOT}" "{backend}"
"""


def all_headers_zdu_httpd(root, ports, **opts):
    """mod_zdu sending every backend header of its own (ZduBackendHeaders all; auto, the
    default, sends none over plain HTTP)."""
    return zdu_httpd(root, ports, logs=QUIET_LOGS + "\nZduBackendHeaders all", **opts)


def limit_httpd(root, ports, servers=HTTPD_SERVERS, threads=HTTPD_THREADS, **opts):
    """The same httpd as the others (modules, MPM, keep-alive, LogLevel warn), proxying every
    request to ports[0] whatever the cluster's size."""
    return Httpd(root, None, extra_conf=limit_conf(ports[0]), servers=servers, threads=threads,
                 zdu=False, access_log=False, **opts)
