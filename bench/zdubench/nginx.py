"""The backends: one Debian nginx from its own nginx.conf in a temp dir, one server block
listening on every instance port. Fast and constant, so the proxies' own cost shows."""
import os
from pathlib import Path

from . import harness_path  # noqa: F401
from . import procs
from harness import process

NGINX = "/usr/sbin/nginx"
BODY = "hello from nginx\n"  # as long as httpd's static hello.txt, so both rows move as many bytes
SESSION_COOKIE = "JSESSIONID"
LOGIN_PATH = "/app/login"
PAGE_PATH = "/app/page"


def route_of_port(port):
    """The Tomcat-style jvmRoute nginx appends to its session ids; mod_proxy_balancer's
    BalancerMember route= must be the same."""
    return f"p{port}"


def _locations():
    # $request_id is unique per request: every login makes a new session. The route suffix lets
    # mod_proxy_balancer stick (it reads what follows the '.'), as Tomcat's jvmRoute does.
    common = 'add_header X-Backend-Port $server_port always;\n        default_type text/plain;'
    return f"""
    location {LOGIN_PATH} {{
        {common}
        add_header Set-Cookie "{SESSION_COOKIE}=$request_id.p$server_port; Path=/app; HttpOnly";
        return 200 "{BODY.rstrip()}\\n";
    }}
    location / {{
        {common}
        return 200 "{BODY.rstrip()}\\n";
    }}"""


def render(root, ports, workers):
    listens = "\n".join(f"        listen 127.0.0.1:{p};" for p in ports)
    temp = "\n".join(f"    {kind}_temp_path {root}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Each proxy child keeps a pooled connection per worker: 1,000 instances need thousands.
    return f"""\
daemon off;
worker_processes {workers};
worker_rlimit_nofile 65536;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{
    worker_connections 16384;
}}
http {{
    access_log off;
{temp}
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    server {{
{listens}
{_locations()}
    }}
}}
"""


class Nginx:
    def __init__(self, root, ports, workers=1):
        self.root = Path(root)
        self.ports = list(ports)
        self.workers = workers
        self.proc = None

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        conf = self.root / "nginx.conf"
        conf.write_text(render(self.root, self.ports, self.workers))
        os.chmod(self.root, 0o755)
        cmd = [NGINX, "-p", str(self.root), "-c", str(conf), "-e", str(self.root / "error.log")]
        self.proc = procs.start(cmd, self.root / "stderr.log", self._ready, "nginx")
        return self

    def _ready(self):
        return process.port_open(self.ports[0]) and process.port_open(self.ports[-1])

    def url(self, path="/", index=0):
        return f"http://127.0.0.1:{self.ports[index]}{path}"

    def stop(self):
        procs.stop(self.proc)
