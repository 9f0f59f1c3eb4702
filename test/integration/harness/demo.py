"""The demo behind scripts/demo.sh: three test backends (two of version 1.0, one of 2.0) behind
httpd with mod_zdu, cluster "demo" at context root /demo, in the middle of an upgrade: 1.0 is
the active version, 2.0 is reachable through the side door until the xml makes it active.

    python3 -m harness.demo [--build-dir DIR] [--once] [--keep]
"""
import argparse
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading

from . import paths
from .backend import Backend, BackendError
from .client import Client
from .httpd import Httpd, HttpdError
from .xml import loadbalancer_xml

INSTANCES = (("instance1", "1.0"), ("instance2", "1.0"), ("instance3", "2.0"))
CONTEXT_ROOT = "/demo"
# The status document, and the side door for the loopback client that runs the demo (httpd
# listens on loopback only; a real site closes /zdu-status with Require, as server-status).
DEMO_CONF = """ZduSideDoorClients 127.0.0.1 ::1
<Location /zdu-status>
    SetHandler zdu-status
</Location>
"""


def parse_args(argv):
    p = argparse.ArgumentParser(description="mod_zdu demo")
    p.add_argument("--build-dir", help="default: $ZDU_BUILD_DIR or <repo>/build")
    p.add_argument("--once", action="store_true",
                   help="send the sample requests, print what happened, stop everything")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (conf and logs)")
    return p.parse_args(argv)


def demo_xml(backends):
    instances = [{"name": b.instance, "listeners": b.listener, "version": b.version}
                 for b in backends]
    cluster = {"name": "demo", "instances": instances, "active_version": "1.0",
               "web_modules": [{"context_root": CONTEXT_ROOT}],
               "health_checker": {"url": f"{CONTEXT_ROOT}/health", "interval": 5,
                                  "timeout": 2}}
    return loadbalancer_xml([cluster])


def print_banner(httpd, backends):
    base = httpd.url("")
    print(f"\nmod_zdu demo: httpd at {base}, ServerRoot {httpd.root}")
    for b in backends:
        print(f"  backend {b.instance} (version {b.version}) at {b.url}")
    tries = [
        (f"curl -i {base}{CONTEXT_ROOT}/login", "starts a session on a 1.0 instance"),
        (f"curl -i -b 'JSESSIONID=<id>; JROUTE=<route>' {base}{CONTEXT_ROOT}/page",
         "sticks to that instance"),
        (f"curl -i -H 'X-Zdu-Version: 2.0' {base}{CONTEXT_ROOT}/login",
         "the side door: 2.0 before it takes user traffic"),
        (f"curl -s {base}/zdu-status?json", "versions, instance states, live sessions"),
        (f"curl -i {base}/static/hello.txt", "a static file, served by httpd itself"),
    ]
    print("\nTry:")
    for command, why in tries:
        print(f"  {command}\n      # {why}")
    print(f"\nUpgrade: in {httpd.xml_path} set active-version=\"2.0\" (or remove it); within a\n"
          f"minute new sessions go to 2.0, the 1.0 instances drain as their sessions end.\n"
          f"Or reload at once:\n"
          f"  {paths.apache2()} -d {httpd.root} -f {httpd.conf_path} -k graceful\n"
          f"Error log: {httpd.root / 'error.log'}\n", flush=True)


def tour(httpd):
    """The banner's requests, sent for real; True when all were answered with 2xx."""
    steps = [("login", f"{CONTEXT_ROOT}/login"), ("same session", f"{CONTEXT_ROOT}/page"),
             ("status", "/zdu-status?json"), ("static file", "/static/hello.txt")]
    ok = True
    with Client(httpd.url("")) as client:
        for label, path in steps:
            try:
                response = client.get(path)
            except OSError as e:
                print(f"  {label:13} GET {path} -> {e}")
                ok = False
                continue
            served = response.header("X-Backend-Instance", "httpd")
            print(f"  {label:13} GET {path} -> {response.status}, served by {served}")
            ok = ok and 200 <= response.status < 300
        print(f"  cookies now: {dict(client.jar)}")
    return ok


def wait_for_signal():
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print("Ctrl-C stops the demo.", flush=True)
    while not stop.wait(0.5):
        pass


def run(opts, stack):
    root = tempfile.mkdtemp(prefix="zdu-demo-")
    if opts.keep:
        stack.callback(print, f"kept {root}")
    else:
        stack.callback(shutil.rmtree, root, True)
    backends = [stack.enter_context(Backend(name, version)) for name, version in INSTANCES]
    httpd = Httpd(root, demo_xml(backends), extra_conf=DEMO_CONF)
    stack.callback(httpd.stop)
    httpd.start()
    print_banner(httpd, backends)
    if opts.once:
        return 0 if tour(httpd) else 1
    wait_for_signal()
    return 0


def main(argv=None):
    opts = parse_args(argv)
    if opts.build_dir:
        os.environ["ZDU_BUILD_DIR"] = os.path.abspath(opts.build_dir)
    if not paths.module_path().exists():
        print(f"demo: {paths.module_path()} not found; build first "
              "(cmake -S . -B build && cmake --build build)", file=sys.stderr)
        return 2
    try:
        with contextlib.ExitStack() as stack:
            return run(opts, stack)
    except (BackendError, HttpdError) as e:
        print(f"demo: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
