"""What the zero-downtime upgrade tests (test_upgrade_*.py) share: a cluster of two versions
whose xml the test rewrites, the status document per instance, a poller that records when
each instance changed state, and a ZduDrainedCommand that writes down each call.

Timeouts are scaled down with the documented properties: a "minute" is MINUTE seconds
(zdu-minute-in-seconds), the session sweep runs every SWEEP seconds
(session-sweep-interval-in-seconds) and the xml is polled every POLL seconds."""
import http.client
import json
import os
import threading
import time
from pathlib import Path

from harness import ZduTestCase, process
from harness.manager import MANAGER_CONF, Manager
from harness.testcase import cluster_of
from harness.users import BACKEND_LOGOUT_PATTERN
from harness.xml import loadbalancer_xml

MINUTE = 2  # zdu-minute-in-seconds
SWEEP = 1  # session-sweep-interval-in-seconds
POLL = 1  # reload-poll-interval-in-seconds
# Bounded slack for a state the sweep decides: the status poller's own interval and the time
# a loaded machine takes to run a tick.
SLACK = 1.0
# Threads per httpd child: more than the connections a child may hold, so the event MPM never
# closes idle keep-alive connections of simulated users (see test_reload_acceptance.THREADS).
THREADS = 100
PIN_KEY = "k-current-0123456789abcdef"
SIDE_DOOR_VERSION = "X-Zdu-Version"
SIDE_DOOR_INSTANCE = "X-Zdu-Instance"
END_HEADER = "X-Zdu-Session-End"
TIMEOUT_MINUTES = 30  # zdu-session-timeout-in-minutes unless a test wants idling out


def properties(session_timeout=TIMEOUT_MINUTES, poll=POLL, minute=MINUTE, sweep=SWEEP,
               **more):
    props = {"zdu-minute-in-seconds": minute, "session-sweep-interval-in-seconds": sweep,
             "reload-poll-interval-in-seconds": poll,
             "zdu-session-timeout-in-minutes": session_timeout}
    props.update({k.replace("_", "-"): v for k, v in more.items()})
    return props


class DrainedCommand:
    """A ZduDrainedCommand program that appends "<cluster> <instance> <version>" per call to
    a file. httpd's children run it as www-data when the tests run as root, so the directory is
    world-writable."""

    def __init__(self, tmpdir):
        os.chmod(tmpdir, 0o755)  # mkdtemp's 0700 would keep www-data out
        self.dir = Path(tmpdir) / "drained"
        self.dir.mkdir()
        os.chmod(self.dir, 0o777)
        self.log = self.dir / "calls.log"
        self.program = self.dir / "on-drained.sh"
        self.program.write_text(f'#!/bin/sh\necho "$1 $2 $3" >> "{self.log}"\n')
        os.chmod(self.program, 0o755)

    @property
    def directive(self):
        return f'ZduDrainedCommand "{self.program} %c %i %v"\n'

    def calls(self):
        """[(cluster, instance, version)] in the order they ran."""
        try:
            lines = self.log.read_text().splitlines()
        except OSError:
            return []
        return [tuple((line.split(" ") + ["", "", ""])[:3]) for line in lines if line]


class StatePoller:
    """Polls cmd=status every `interval` seconds in a thread and records, per instance, when
    each state was first and last reported (time.monotonic()), and every change."""

    def __init__(self, manager, interval=0.1):
        self.manager = manager
        self.interval = interval
        self.changes = {}  # name -> [(time, state)]
        self.errors = []
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            try:
                status = self.manager.status()
            except Exception as e:  # the poller reports, the test decides
                self.errors.append(repr(e))
                status = None
            now = time.monotonic()
            if status:
                for cluster in status["clusters"]:
                    for instance in cluster["instances"]:
                        seen = self.changes.setdefault(instance["name"], [])
                        if not seen or seen[-1][1] != instance.get("state"):
                            seen.append((now, instance.get("state")))
                self.samples += 1
            self._stop.wait(self.interval)

    def first(self, name, state):
        """When `name` was first reported in `state`, None if never."""
        return next((t for t, s in self.changes.get(name, []) if s == state), None)

    def states(self, name):
        return [s for _, s in self.changes.get(name, [])]

    def stop(self):
        # A whole sample more first: a state the test saw just before stopping is then recorded
        # here too, however late a loaded machine ran this thread.
        wanted = self.samples + 2  # the one under way may have read status before the test did
        deadline = time.monotonic() + 10
        while self.samples < wanted and time.monotonic() < deadline and self._thread.is_alive():
            time.sleep(0.02)
        self._stop.set()
        self._thread.join(10)


class UpgradeTestCase(ZduTestCase):
    """A one-cluster httpd with the manager, the session sweep scaled down and the xml
    rewritten by the test: write(instances, cluster_attrs) then reload() or a poll."""

    def start_upgrade(self, instances, cluster_attrs=None, web_module=None, props=None,
                      conf="", drained_command=True, **httpd_opts):
        """instances: [(backend, extra instance attributes)]. Returns httpd; self.manager,
        self.drained (a DrainedCommand or None) are set."""
        self.props = props or properties()
        self.web_module = dict({"logout_url_pattern": BACKEND_LOGOUT_PATTERN},
                               **(web_module or {}))
        tmp = self.make_tmpdir()
        self.drained = DrainedCommand(tmp) if drained_command else None
        extra = MANAGER_CONF + conf + (self.drained.directive if self.drained else "")
        httpd_opts.setdefault("threads", THREADS)
        self.httpd = self.start_httpd(self.xml(instances, cluster_attrs), extra_conf=extra,
                                      **httpd_opts)
        self.manager = Manager(self.httpd)
        return self.httpd

    def xml(self, instances, cluster_attrs=None):
        backends = [b for b, _ in instances]
        attrs = [extra for _, extra in instances]
        description = cluster_of(backends, instance_attrs=attrs, cluster_attrs=cluster_attrs,
                                 web_module=self.web_module)
        return loadbalancer_xml([description], self.props)

    def rewrite(self, instances, cluster_attrs=None, reload=True):
        """Writes the new xml; reload=True makes it live with cmd=reload (else: the next
        poll). Returns the time it was written (monotonic)."""
        gen = self.generation()
        self.httpd.write_xml(self.xml(instances, cluster_attrs))
        written = time.monotonic()
        if reload:
            status, answer = self.manager.reload()
            self.assertEqual(status, 200, answer)
            self.assertFalse(answer.get("errors"), answer)
            self.assertEqual(answer["generation"], gen + 1, answer)
        return written

    def generation(self):
        return self.manager.status()["generation"]

    def wait_generation(self, expected, timeout=POLL + 2 * SLACK):
        """Waits until the status reports generation `expected`; returns when it did."""
        self.assertTrue(process.wait_until(lambda: self.generation() >= expected, timeout,
                                           interval=0.05),
                        f"generation {expected} live within {timeout} s")
        return time.monotonic()

    def cluster_status(self, status=None):
        return (status or self.manager.status())["clusters"][0]

    def instances(self, status=None):
        """{name: status entry}."""
        return {i["name"]: i for i in self.cluster_status(status)["instances"]}

    def state_of(self, name):
        return self.instances()[name]["state"]

    def wait_state(self, name, state, timeout):
        """Waits until `name` is reported in `state`; fails with its states otherwise."""
        seen = []

        def reached():
            seen.append(self.state_of(name))
            return seen[-1] == state

        self.assertTrue(process.wait_until(reached, timeout, interval=0.1),
                        f"{name} {state} within {timeout} s; reported {_squeeze(seen)}")
        return time.monotonic()

    def wait_live(self, expected, timeout=SWEEP + 2 * SLACK):
        """Waits until the live session count of every instance named in `expected`
        ({name: count}) is the expected one; returns the counts seen last."""
        seen = {}

        def equal():
            seen.clear()
            seen.update({n: i.get("live_sessions") for n, i in self.instances().items()
                         if n in expected})
            return seen == expected

        self.assertTrue(process.wait_until(equal, timeout, interval=0.1),
                        f"live sessions {seen}, expected {expected}")
        return seen

    def poll_states(self):
        poller = StatePoller(self.manager).start()
        self.addCleanup(poller.stop)
        return poller

    def disable_instance(self, name):
        response = self.manager.command("POST", cmd="disable-instance", instance=name)
        self.assertEqual(response.status, 200, response.text)

    def login(self, client, path="/app/login", headers=None):
        """A login that must answer 200; returns (instance, version)."""
        response = client.get(path, headers=headers)
        self.assertEqual(response.status, 200, response.text)
        body = response.json()
        return body["instance"], body["version"]

    def new_homes(self, count, path="/app/login"):
        """The instances `count` new browsers' sessions went to; each logs out at once (the
        backend expires its cookie), so none is left to hold an instance draining."""
        homes = []
        for _ in range(count):
            with self.client(self.httpd) as client:
                homes.append(self.login(client, path)[0])
                self.assertEqual(client.get("/app/logout").status, 200)
        return homes

    def sessions_on(self, instance, count, path="/app/login"):
        """`count` new browsers whose sessions the named instance took (others are thrown
        away, logged out)."""
        kept = []
        for _ in range(200 * count):
            client = self.client(self.httpd)
            home, _ = self.login(client, path)
            if home == instance:
                kept.append(client)
                if len(kept) == count:
                    return kept
            else:
                client.get("/app/logout")
                client.close()
        self.fail(f"{instance} took fewer than {count} new sessions")


def raw_get(port, path, headers=None, source="127.0.0.1"):
    """One GET on a connection of its own from the loopback address `source` (any 127.x.y.z
    reaches a server listening on 127.0.0.1): (status, headers, JSON or None)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                      source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        return response.status, response.getheaders(), parsed
    finally:
        conn.close()


def _squeeze(states):
    """[a, a, b, b, a] -> [a, b, a]: what a wait saw, for a failure message."""
    out = []
    for s in states:
        if not out or out[-1] != s:
            out.append(s)
    return out
