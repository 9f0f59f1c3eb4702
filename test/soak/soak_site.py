"""The site a soak runs against: httpd (event MPM, several children) with mod_zdu in front of
two clusters of test backends, the loadbalancer.xml it serves, and the faults and changes the
soak makes to it. Every change of the xml goes through one lock, so the periodic weight
reloads and the rolling upgrade never write over each other, and each must be accepted.

Faults are recorded on a timeline (wall clock for the error log, monotonic for the users'
requests), which is what lets the verdict tell an injected fault's effects from a bug's."""
import threading
import time
from dataclasses import dataclass, field

from harness import Backend, BackendError, Client, Httpd, process
from harness.manager import MANAGER_CONF, Manager
from harness.xml import loadbalancer_xml

import soak_plan as plan

CLUSTERS = {"c1": "/app", "c2": "/shop"}
V1 = {"c1": ("a1", "a2", "a3"), "c2": ("s1", "s2")}
V2 = {"c1": ("b1", "b2"), "c2": ("t1", "t2")}
LOGOUT_PATTERN = "/logout-silent"
SESSION_SLOTS = 65536  # ZduSessionSlots: small, so its pages are all touched within warm-up
# The event MPM with four children of 25 threads from the start to the end: StartServers is
# ServerLimit, and MaxSpareThreads (all threads) never lets one go, so the memory of the same
# processes is compared. 25 threads are enough for the users' concurrency (a kept-alive
# connection holds no thread) and few enough that every thread has served, grown its stack and
# its pool allocator to their working size, within warm-up; with 100 that takes minutes and
# looks like a leak.
SERVERS, THREADS = 3, 25
MPM_CONF = f"StartServers {SERVERS + 1}\nMinSpareThreads {THREADS}\n"
STATUS_CONF = "<Location /zdu-status>\n    SetHandler zdu-status\n</Location>\n"
# Routing decisions at debug would write a line per request for ten minutes.
SITE_CONF = (MANAGER_CONF + STATUS_CONF + MPM_CONF + f"ZduSessionSlots {SESSION_SLOTS}\n"
             "LogLevel warn zdu:info\n")
# A killed instance is usable again once restarted and checked; the grace covers a loaded
# machine running the check late and the requests sent before it.
BACK_GRACE_S = plan.HEALTH_INTERVAL_S + 3.0


@dataclass
class Fault:
    cluster: str
    instance: str
    listener: str  # host:port
    killed: float  # monotonic
    killed_wall: float
    back: float = None  # monotonic time it was started again
    back_wall: float = None

    def covers(self, moment, wall=False):
        """Whether `moment` falls between the kill and the instance being usable again."""
        start, end = (self.killed_wall, self.back_wall) if wall else (self.killed, self.back)
        end = (time.time() if wall else time.monotonic()) if end is None else end
        return start - 0.5 <= moment <= end + BACK_GRACE_S


@dataclass
class Member:
    backend: Backend
    weight: int = 2
    running: bool = True  # False once stopped for good after its drain


@dataclass
class ClusterState:
    name: str
    context_root: str
    members: list = field(default_factory=list)  # [Member] in the xml
    active_version: str = "1.0"
    listeners_ever: set = field(default_factory=set)  # every listener the xml has named


class Site:
    def __init__(self, root):
        self.root = root
        self.lock = threading.Lock()
        self.faults = []
        self.reloads = {"manager": 0, "poll": 0}
        self.refused = []  # reloads not accepted: (trigger, answer)
        self.upgrades = []  # dicts the verdict reads
        self.retired = []  # v1 backends stopped after their drain
        self.clusters = {}
        for name, root_path in CLUSTERS.items():
            state = ClusterState(name, root_path)
            state.members = [Member(Backend(i, "1.0")) for i in V1[name]]
            self.clusters[name] = state
        self.initial_workers = {n: len(c.members) for n, c in self.clusters.items()}
        self.httpd = Httpd(root, self._xml(), extra_conf=SITE_CONF, mpm="event",
                           servers=SERVERS, threads=THREADS)
        self.manager = Manager(self.httpd)
        self._weight_turn = 0

    # --- the xml ---------------------------------------------------------------------------

    def _xml(self):
        clusters = []
        for c in self.clusters.values():
            c.listeners_ever |= {m.backend.listener for m in c.members}
            instances = [{"name": m.backend.instance, "listeners": m.backend.listener,
                          "version": m.backend.version, "weight": m.weight}
                         for m in c.members]
            clusters.append({
                "name": c.name, "policy": "weighted-round-robin",
                "active_version": c.active_version, "instances": instances,
                "web_modules": [{"context_root": c.context_root,
                                 "logout_url_pattern": LOGOUT_PATTERN}],
                "health_checker": {"url": f"{c.context_root}/health",
                                   "interval": plan.HEALTH_INTERVAL_S, "timeout": 2}})
        return loadbalancer_xml(clusters, {
            "zdu-minute-in-seconds": 1,
            "zdu-session-timeout-in-minutes": plan.SESSION_TIMEOUT_S,
            "session-sweep-interval-in-seconds": plan.SWEEP_S,
            "reload-poll-interval-in-seconds": plan.POLL_S})

    def _publish(self, trigger):
        """Writes the xml and makes it live, by cmd=reload or by waiting for the poll; caller
        holds the lock. A reload that is not accepted is recorded, never raised: the soak
        reports every one."""
        gen = self.status()["generation"]
        self.httpd.write_xml(self._xml())
        if trigger == "manager":
            response = self.manager.command("POST", cmd="reload")
            answer = response.json() if response.status == 200 else {"status": response.status,
                                                                    "text": response.text}
            ok = response.status == 200 and not answer.get("errors") and \
                answer.get("generation") == gen + 1
        else:
            ok = bool(process.wait_until(lambda: self.status()["generation"] >= gen + 1,
                                         plan.POLL_S + 5.0, interval=0.1))
            answer = {"generation": self.status()["generation"], "expected": gen + 1}
        self.reloads[trigger] += 1
        if not ok:
            self.refused.append((trigger, answer))

    def change_weights(self, trigger=None):
        """One of the periodic reloads: another weight for one instance of each cluster,
        published by `trigger` ("manager": cmd=reload, "poll"), else by each in turn."""
        with self.lock:
            self._weight_turn += 1
            for c in self.clusters.values():
                member = c.members[self._weight_turn % len(c.members)]
                member.weight = 1 + (member.weight % 3)  # 1, 2, 3, 1, ...: never 0
            self._publish(trigger or ("manager" if self._weight_turn % 2 else "poll"))

    # --- status ----------------------------------------------------------------------------

    def status(self):
        """The status document (zdu-status, read-only: no manager line per poll)."""
        with Client(self.httpd.base_url) as client:
            response = client.get("/zdu-status?json")
            if response.status != 200:
                raise RuntimeError(f"zdu-status answered {response.status}")
            return response.json()

    def instance_states(self, cluster):
        status = self.status()
        for c in status["clusters"]:
            if c["name"] == cluster:
                return {i["name"]: i for i in c["instances"]}
        return {}

    # --- faults ----------------------------------------------------------------------------

    def kill_and_restart(self, cluster, turn):
        """kill -9 of one running instance of the cluster (never its last), restarted on the
        same port KILL_DOWN_S later. Returns the Fault, or None when none can be killed."""
        with self.lock:
            running = [m for m in self.clusters[cluster].members if m.running]
            if len(running) < 2:
                return None
            victim = running[turn % len(running)].backend
            fault = Fault(cluster, victim.instance, f"{victim.host}:{victim.port}",
                          time.monotonic(), time.time())
            self.faults.append(fault)
            victim.kill9()
        time.sleep(plan.KILL_DOWN_S)
        restart(victim)
        fault.back, fault.back_wall = time.monotonic(), time.time()
        return fault

    def down_at(self, instance, moment):
        """Whether `instance` was killed and not yet usable again at `moment` (monotonic)."""
        return any(f.instance == instance and f.covers(moment) for f in self.faults)

    # --- the rolling upgrade ---------------------------------------------------------------

    def upgrade(self, cluster, drain_timeout):
        """v1 -> v2: v2 instances started and added with active-version 2.0 (one reload), v1
        waited for until drained, then stopped and removed (another reload). Returns the record
        the verdict reads."""
        c = self.clusters[cluster]
        added = [Backend(name, "2.0") for name in V2[cluster]]
        old = [m for m in c.members if m.backend.version == "1.0"]
        with self.lock:
            c.members += [Member(b) for b in added]
            c.active_version = "2.0"
            self._publish("manager")
        record = {"cluster": cluster, "switched": time.monotonic(), "v1": [m.backend.instance
                  for m in old], "v2": [b.instance for b in added], "drained": {}}
        self.upgrades.append(record)
        deadline = time.monotonic() + drain_timeout
        pending = {m.backend.instance for m in old}
        while pending and time.monotonic() < deadline:
            states = self.instance_states(cluster)
            for name in list(pending):
                if states.get(name, {}).get("state") == "drained":
                    record["drained"][name] = time.monotonic() - record["switched"]
                    pending.discard(name)
            time.sleep(0.2)
        record["not_drained"] = sorted(pending)
        with self.lock:
            for m in old:
                if m.backend.instance not in pending:
                    m.backend.stop()  # the orchestrator's answer to "drained"
                    m.running = False
                    self.retired.append(m.backend)
            c.members = [m for m in c.members if m.running]
            self._publish("manager")
        record["removed"] = time.monotonic()
        return record

    # --- the whole site --------------------------------------------------------------------

    def backends(self):
        seen = []
        for c in self.clusters.values():
            seen += [m.backend for m in c.members]
        return seen

    def expected_workers(self):
        """Worker slots each balancer should use: one per listener its xml ever named (slots
        are never given back; a restarted instance keeps its port, so its worker)."""
        return {n: len(c.listeners_ever) for n, c in self.clusters.items()}

    def start(self):
        self.httpd.start()
        return self

    def stop(self):
        self.httpd.stop()
        for backend in self.backends() + self.retired:
            backend.close()



def restart(backend, attempts=5):
    """Starts a killed backend again on its port; the port is its listener in the xml."""
    for attempt in range(attempts):
        try:
            return backend.start()
        except BackendError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
