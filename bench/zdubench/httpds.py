"""httpd with mod_zdu and httpd with mod_proxy_balancer, both rendered by the harness's
httpd_conf (same MPM, children, threads, modules, keep-alive), so only the balancing differs."""
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


def zdu_xml(ports):
    instances = [{"name": f"i{k}", "listeners": f"http://127.0.0.1:{port}"}
                 for k, port in enumerate(ports, start=1)]
    return loadbalancer_xml([{"name": CLUSTER, "instances": instances,
                              "web_modules": [{"context_root": CONTEXT_ROOT}]}])


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


def zdu_httpd(root, ports, servers=HTTPD_SERVERS, threads=HTTPD_THREADS, **opts):
    return Httpd(root, zdu_xml(ports), extra_conf=QUIET_LOGS, servers=servers, threads=threads,
                 access_log=False, **opts)


def balancer_httpd(root, ports, servers=HTTPD_SERVERS, threads=HTTPD_THREADS, **opts):
    return Httpd(root, None, extra_conf=balancer_conf(ports), servers=servers, threads=threads,
                 zdu=False, access_log=False, **opts)
