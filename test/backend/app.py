#!/usr/bin/env python3
"""A fake app-server instance for mod_zdu's integration tests and demo.

Answers every request with a JSON echo (instance, version, method, path, headers, session,
connection id); see handler.py for the special paths and counters.py for GET /__stats.
"""
import argparse
import os
import signal
import ssl
import sys
import threading
from http.server import ThreadingHTTPServer

from counters import Counters
from handler import Handler


class BackendServer(ThreadingHTTPServer):
    daemon_threads = True  # a slow request in flight must not hold up SIGTERM
    allow_reuse_address = True  # restart() binds the same port again right away
    request_queue_size = 256  # load tests open many connections at once

    def __init__(self, opts):
        super().__init__((opts.host, opts.port), Handler)
        self.opts = opts
        self.counters = Counters()
        self.answering = threading.Event()  # cleared while the instance hangs (handler.py)
        self.answering.set()
        if opts.tls_cert:
            # An https:// listener, for mod_zdu's https-routing.
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(opts.tls_cert, opts.tls_key)
            self.socket = context.wrap_socket(self.socket, server_side=True)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True, help="0 picks a free port")
    p.add_argument("--instance", required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--session-cookie", default="JSESSIONID")
    p.add_argument("--route-style", choices=("none", "tomcat", "websphere"), default="none")
    p.add_argument("--route", help="route suffix and JROUTE value; default: the instance name")
    p.add_argument("--set-jroute", action="store_true", help="set JROUTE at login, as GlassFish")
    p.add_argument("--replica", help="JREPLICA cookie value set at login")
    p.add_argument("--health-status", type=int, default=200, help="status of paths ending /health")
    p.add_argument("--fail-every", type=int, default=0,
                   help="answer 500 to every Nth request (health pings aside); 0: never")
    p.add_argument("--tls-cert", help="serve https with this certificate (PEM)")
    p.add_argument("--tls-key", help="the certificate's private key (PEM)")
    p.add_argument("--ready-file", help="written with the port once listening; else stdout")
    opts = p.parse_args(argv)
    opts.route = opts.route or opts.instance
    return opts


def announce_ready(opts, port):
    if not opts.ready_file:
        print(f"READY {port}", flush=True)
        return
    # Written aside and renamed, so a poller never reads a half-written file.
    partial = opts.ready_file + ".part"
    with open(partial, "w") as f:
        f.write(f"{port}\n")
    os.replace(partial, opts.ready_file)


def main(argv=None):
    opts = parse_args(argv)
    server = BackendServer(opts)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, args=(0.2,), daemon=True).start()
    announce_ready(opts, server.server_address[1])
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
