"""The soak's virtual users: browsers that log in, read pages (idempotent GETs of the app and
of httpd's own static files), now and then post a form (the one request that is not
idempotent), and end the session in one of three ways: the app expires the cookie, the
web-module's logout-url-pattern, or the user just leaves (abandons the session: it idles out).
Holders are users that keep one session open to the end: the live sessions the session table
must come back to.

Each user has its own seeded random generator, cookie jar and kept-alive connection, and
records every request with the instance that answered it, so the verdict can classify each
failure and each change of instance against the faults the soak injected."""
import http.client
import random
import threading
import time
from dataclasses import dataclass, field

from harness import Client

END_KINDS = ("logout", "logout-url", "abandon")
END_WEIGHTS = (45, 25, 30)
END_PATHS = {"logout": "/logout", "logout-url": "/logout-silent"}
STATIC_PATH = "/static/hello.txt"
THINK_S = (0.05, 0.2)  # seconds between a user's requests
HOLDER_EVERY_S = 1.0  # a holder's request interval: well within the session timeout


@dataclass
class Request:
    kind: str  # login, page, static, post, logout
    idempotent: bool
    sent: float  # monotonic
    answered: float = None
    status: int = 0  # 0: no answer (error says why)
    instance: str = None
    version: str = None
    error: str = None

    @property
    def failed(self):
        return self.error is not None or self.status != 200


@dataclass
class Session:
    user: int
    cluster: str
    end: str  # an END_KINDS entry, or "hold"
    started: float = 0.0
    home: str = None
    version: str = None
    requests: list = field(default_factory=list)


class VirtualUser:
    def __init__(self, base_url, index, cluster, context_root, seed, end=None):
        self.base_url = base_url
        self.index = index
        self.cluster = cluster
        self.root = context_root
        self.rng = random.Random(seed)
        self.fixed_end = end
        self.client = Client(base_url)
        self.sessions = []
        self.connections = 0  # TCP connections opened, over every browser it used

    def run(self, running):
        while running():
            self.one_session(running)
            time.sleep(self.rng.uniform(0.0, 0.3))
        self._close()

    def one_session(self, running):
        end = self.fixed_end or self.rng.choices(END_KINDS, END_WEIGHTS)[0]
        s = Session(self.index, self.cluster, end, time.monotonic())
        self.sessions.append(s)
        login = self._request(s, "login", "GET", f"{self.root}/login")
        s.home, s.version = login.instance, login.version
        if login.failed:
            return s
        for n in range(self.rng.randint(3, 8)):
            if not running():
                break
            self._think()
            self._browse(s, n)
        if end == "hold":
            while running():
                time.sleep(HOLDER_EVERY_S)
                self._request(s, "page", "GET", f"{self.root}/page?hold=1")
            return s
        self._think()
        if end == "abandon":
            self._close()  # the browser is gone; its session idles out in the table
            self.client = Client(self.base_url)
        else:
            self._request(s, "logout", "GET", self.root + END_PATHS[end])
        return s

    def _browse(self, s, n):
        pick = self.rng.random()
        if pick < 0.75:
            self._request(s, "page", "GET", f"{self.root}/page?item={n}")
        elif pick < 0.85:
            self._request(s, "static", "GET", STATIC_PATH)
        else:
            self._request(s, "post", "POST", f"{self.root}/form", body=f"item={n}&user={s.user}")

    def _think(self):
        time.sleep(self.rng.uniform(*THINK_S))

    def _request(self, s, kind, method, path, body=None):
        r = Request(kind, method != "POST", time.monotonic())
        s.requests.append(r)
        try:
            response = self.client.request(method, path, body=body)
            r.status = response.status
            if kind != "static" and response.status == 200:
                answer = response.json()
                r.instance, r.version = answer.get("instance"), answer.get("version")
        except (OSError, http.client.HTTPException, ValueError, AttributeError) as e:
            r.error = repr(e)
        r.answered = time.monotonic()
        return r

    def _close(self):
        self.connections += self.client.connections
        self.client.close()


class Crowd:
    """`count` users in threads, two thirds on c1 and a third on c2; stop() has each finish
    the session it is in (skipping its remaining pages) and end it its way."""

    def __init__(self, base_url, roots, count, seed, end=None):
        names = list(roots)
        self.users = []
        for k in range(count):
            cluster = names[0] if k % 3 != 2 else names[1]
            self.users.append(VirtualUser(base_url, k, cluster, roots[cluster],
                                          seed * 1000 + k, end))
        self._stop = threading.Event()
        self._threads = []

    def _running(self):
        return not self._stop.is_set()

    def start(self):
        for user in self.users:
            thread = threading.Thread(target=user.run, args=(self._running,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self, timeout=60.0):
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return [t for t in self._threads if t.is_alive()]

    def sessions(self):
        return [s for u in self.users for s in list(u.sessions)]

    def connections(self):
        return sum(u.connections for u in self.users)
