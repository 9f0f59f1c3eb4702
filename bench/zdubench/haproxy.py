"""HAProxy from Debian with cookie-insert persistence, the usual way to make it sticky."""
import os
from pathlib import Path

from . import harness_path  # noqa: F401
from . import procs
from .profile import HAPROXY_THREADS
from harness import free_port, process

HAPROXY = "/usr/sbin/haproxy"
COOKIE = "SRV"


def render(port, ports, threads):
    servers = "\n".join(f"    server s{k} 127.0.0.1:{p} cookie s{k}"
                        for k, p in enumerate(ports, start=1))
    return f"""\
global
    nbthread {threads}
    maxconn 8000
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 300s
frontend bench
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
    cookie {COOKIE} insert indirect nocache
{servers}
"""


class Haproxy:
    def __init__(self, root, ports, threads=HAPROXY_THREADS):
        self.root = Path(root)
        self.ports = list(ports)
        self.threads = threads
        self.port = free_port()
        self.proc = None

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        cfg = self.root / "haproxy.cfg"
        cfg.write_text(render(self.port, self.ports, self.threads))
        os.chmod(self.root, 0o755)
        self.proc = procs.start([HAPROXY, "-db", "-f", str(cfg)], self.root / "output.log",
                                lambda: process.port_open(self.port), "haproxy")
        return self

    def url(self, path=""):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        procs.stop(self.proc)
