"""The demo behind scripts/demo.sh: three test backends (two of version 1.0, one of 2.0) behind
httpd with mod_zdu, cluster "demo" at context root /demo, in the middle of an upgrade: 1.0 is
the active version, 2.0 is reachable through the side door until the xml makes it active.

    python3 -m harness.demo [--build-dir DIR] [--once] [--keep] [--upgrade]

With --upgrade it starts 1.0 alone, prints the URLs and, on Enter, runs `lbxml-gen rollout` to
2.0 (the instance3 backend added, 1.0 drained as its sessions end, then removed) while it shows
the merged status; --upgrade --once does the same with a scripted browser.
"""
import argparse
import contextlib
import os
import shutil
import subprocess
import signal
import sys
import tempfile
import threading
import time

from . import paths
from .backend import Backend, BackendError
from .client import Client
from .description import description_xml, let_children_write, servers
from .description import lbxml_gen as run_lbxml_gen
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
    p.add_argument("--upgrade", action="store_true",
                   help="start 1.0 only; on Enter roll out 2.0 with lbxml-gen rollout")
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


SECRET = "demo-secret"
UPGRADE_CONF = DEMO_CONF + f"""<Location /zdu-manager>
    SetHandler zdu-manager
</Location>
ZduManagerSecret {SECRET}
ZduConfigPush On
"""
def lbxml_gen(*args):
    """lbxml-gen with its output shown to the person running the demo."""
    return run_lbxml_gen(*args, timeout=None, capture_output=False)


def demo_description(v1, httpd):
    """The description the rollout edits: the demo cluster on v1, httpd its one front-end."""
    return description_xml(
        servers(v1, version="1.0"), [httpd.url("/zdu-manager")], "secret", policy=None,
        properties={"reload-poll-interval-in-seconds": 0,
                    "session-sweep-interval-in-seconds": 1},
        app="demo", context_root="/demo", cluster="demo", lb="demo-lb", lb_config="demo-config",
        cluster_attrs=' active-version="1.0"')


def upgrade(opts, stack, root):
    """1.0 behind httpd, the description beside it; on Enter (or scripted with --once) the
    rollout to 2.0. True when it completed."""
    v1 = [stack.enter_context(Backend(n, v)) for n, v in INSTANCES if v == "1.0"]
    v2 = stack.enter_context(Backend("instance3", "2.0"))
    httpd = Httpd(root, demo_xml(v1), extra_conf=UPGRADE_CONF)
    stack.callback(httpd.stop)
    httpd.start()
    let_children_write(httpd)  # they write the pushed xml (and its temp file) there
    (httpd.root / "secret").write_text(SECRET + "\n")
    description = httpd.root / "cluster.xml"
    description.write_text(demo_description(v1, httpd))
    if lbxml_gen("apply-http-lb-changes", "--description", description, "demo-lb").returncode:
        return False
    base = httpd.url("")
    rollout = ["rollout", "--description", description, "demo-lb", "--cluster", "demo",
               "--from-version", "1.0", "--to-version", "2.0",
               "--add", f"instance3={v2.listener}", "--remove-old"]
    print(f"\nmod_zdu upgrade demo: httpd at {base}, 1.0 on {', '.join(b.instance for b in v1)}\n"
          f"  1. open {base}{CONTEXT_ROOT}/login in a browser (a 1.0 session), then\n"
          f"     {base}{CONTEXT_ROOT}/page: it stays on its instance\n"
          f"  2. press Enter here: lbxml-gen {' '.join(map(str, rollout))}\n"
          f"  3. a new browser (private window) on {base}{CONTEXT_ROOT}/login lands on 2.0;\n"
          f"     the first one stays on 1.0 until {base}{CONTEXT_ROOT}/logout, then 1.0 drains\n"
          f"     and is removed. Status: {base}/zdu-status?json or\n"
          f"     lbxml-gen status --description {description} demo-lb\n", flush=True)
    if not opts.once:
        input("Enter rolls out 2.0 > ")
        return lbxml_gen(*rollout).returncode == 0
    with Client(base) as browser:
        first = browser.get(f"{CONTEXT_ROOT}/login").json()
        proc = subprocess.Popen([str(paths.lbxml_gen()), *map(str, rollout)], text=True)
        stack.callback(proc.kill)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with Client(base) as fresh:
                if fresh.get(f"{CONTEXT_ROOT}/login").json()["version"] == "2.0":
                    break
                fresh.get(f"{CONTEXT_ROOT}/logout")  # a 1.0 session of its own would hold 1.0
            time.sleep(0.5)
        else:
            return False
        lbxml_gen("status", "--description", description, "demo-lb")
        still = browser.get(f"{CONTEXT_ROOT}/page").json()
        print(f"  open session: {first['instance']} -> {still['instance']}; new session on 2.0")
        browser.get(f"{CONTEXT_ROOT}/logout")
        done = proc.wait(timeout=60) == 0
    return done and still["instance"] == first["instance"]


def run(opts, stack):
    root = tempfile.mkdtemp(prefix="zdu-demo-")
    if opts.keep:
        stack.callback(print, f"kept {root}")
    else:
        stack.callback(shutil.rmtree, root, True)
    if opts.upgrade:
        return 0 if upgrade(opts, stack, root) else 1
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
