"""Bounded keep-alive load with sessions: many concurrent clients, each holding a session and
one kept-alive connection, plus clients that start a new session with every request. Every
failed request, every instance that served each session and every TCP connection a client
had to open are recorded, so a test can assert that nothing failed, no session moved and no
connection was dropped.

    with SessionLoad(httpd.base_url, clients=50) as load:
        ...  # change the config while it runs
    self.assertEqual(load.failures, [])
"""
import http.client
import threading
import time

from .client import Client

MAX_SECONDS = 300.0  # a load never outlives this, whatever the test does
PAGE, LOGIN = "/app/page", "/app/login"


class SessionClient:
    """One browser: logs in once (its home), then asks for pages on its session."""

    def __init__(self, base_url, index):
        self.index = index
        self.client = Client(base_url)
        self.home = None
        self.served = set()
        self.requests = 0
        self.local_ports = set()

    def login(self):
        response = self.client.get(LOGIN)
        if response.status != 200:
            raise AssertionError(f"client {self.index}: login answered {response.status}")
        self.home = response.json()["instance"]
        self._note_port()

    def page(self):
        response = self.client.get(PAGE)
        self.requests += 1
        self._note_port()
        if response.status != 200:
            return f"status {response.status}"
        self.served.add(response.json()["instance"])
        return None

    def _note_port(self):
        sock = self.client._conn.sock
        if sock is not None:
            self.local_ports.add(sock.getsockname()[1])

    @property
    def connections(self):
        return self.client.connections

    def close(self):
        self.client.close()


class SessionLoad:
    """`clients` session clients and `new_session_clients` clients that log in afresh (empty
    cookie jar, same connection) on every request. start() logs every session client in
    (concurrently, so the sessions spread over the httpd children) and starts the threads;
    stop() ends them. `phase` is a label the test moves ("before", "during", "after"); each
    request is counted under the phase it was sent in."""

    def __init__(self, base_url, clients=50, new_session_clients=0, max_seconds=MAX_SECONDS):
        self.base_url = base_url
        self.sessions = [SessionClient(base_url, k) for k in range(clients)]
        self.fresh = [Client(base_url) for _ in range(new_session_clients)]
        self.new_sessions = {}  # instance -> new sessions it took
        self.failures = []  # (client label, what)
        self.phase = "before"
        self.by_phase = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._deadline = time.monotonic() + max_seconds
        self._threads = []

    def start(self):
        logins = [threading.Thread(target=s.login) for s in self.sessions]
        for t in logins:
            t.start()
        for t in logins:
            t.join()
        missing = [s.index for s in self.sessions if s.home is None]
        if missing:
            raise AssertionError(f"clients {missing} could not log in")
        for s in self.sessions:
            self._spawn(self._run_session, s)
        for k, client in enumerate(self.fresh):
            self._spawn(self._run_fresh, k, client)
        return self

    def _spawn(self, target, *args):
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _running(self):
        return not self._stop.is_set() and time.monotonic() < self._deadline

    def _count(self):
        with self._lock:
            self.by_phase[self.phase] = self.by_phase.get(self.phase, 0) + 1

    def _fail(self, label, what):
        with self._lock:
            self.failures.append((label, self.phase, what))

    def _run_session(self, s):
        while self._running():
            try:
                problem = s.page()
            except (OSError, http.client.HTTPException, ValueError) as e:
                problem = repr(e)
            self._count()
            if problem:
                self._fail(f"session {s.index}", problem)

    def _run_fresh(self, k, client):
        while self._running():
            client.jar.clear()
            try:
                response = client.get(LOGIN)
                instance = response.json()["instance"] if response.status == 200 else None
                problem = None if instance else f"status {response.status}"
            except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
                instance, problem = None, repr(e)
            self._count()
            if problem:
                self._fail(f"new-session client {k}", problem)
            else:
                with self._lock:
                    self.new_sessions[instance] = self.new_sessions.get(instance, 0) + 1

    def wait_requests(self, count, timeout=10.0):
        """Blocks until `count` more requests were sent (so every phase really carries load)."""
        target = self.total_requests() + count
        deadline = time.monotonic() + timeout
        while self.total_requests() < target and time.monotonic() < deadline:
            time.sleep(0.01)

    def total_requests(self):
        with self._lock:
            return sum(self.by_phase.values())

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(30)
        for s in self.sessions:
            s.close()
        for client in self.fresh:
            client.close()

    def moved(self):
        """[(client, home, instances that served it)] for every session that left its home."""
        return [(s.index, s.home, sorted(s.served)) for s in self.sessions
                if s.served - {s.home}]

    def reconnected(self):
        """[(client, TCP connections it opened)] for every client that had to open more than
        one: its kept-alive connection was closed under it."""
        counts = [(f"session {s.index}", s.connections) for s in self.sessions]
        counts += [(f"new-session client {k}", c.connections) for k, c in enumerate(self.fresh)]
        return [(label, n) for label, n in counts if n != 1]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
