"""Simulated users: concurrent browsers that log in, read pages and log out, again and again,
each with its own cookie jar and one kept-alive connection. Every request is recorded with the
instance that answered it and the session it belonged to, so a test can assert that nothing
failed, that every request of a session reached the instance that created it, and when each
instance saw its last user leave.

    users = Users(httpd.base_url, count=200, pages=5, logout="cookie").start()
    ...  # add v2, wait for the switch
    result = users.stop()
    self.assertEqual(result.failures, [])
    self.assertEqual(result.violations(), [])

Logout kinds (what ends a session, as the app or the browser does it):
  cookie  - the app expires the session cookie (Max-Age=0)
  url     - a request to the app's logout URL; the app sets no cookie (Tomcat's invalidate())
  header  - the app answers with X-Zdu-Session-End and sets no cookie
  relogin - the app hands the browser a new session id while it still sends the old one
  idle    - the user just stops; the session ends when it idles out
"""
import http.client
import threading
import time
from dataclasses import dataclass, field

from .client import Client

LOGOUT_KINDS = ("cookie", "url", "header", "relogin", "idle")
MAX_SECONDS = 300.0  # users never outlive this, whatever the test does


@dataclass(frozen=True)
class App:
    """The paths of an app, relative to the server root."""
    login: str
    page: str
    logouts: dict  # kind -> path (idle has none)
    session_cookie: str = "JSESSIONID"


# The Python test backend (test/backend/handler.py) under /app.
BACKEND_APP = App(login="/app/login", page="/app/page",
                  logouts={"cookie": "/app/logout", "url": "/app/logout-silent",
                           "header": "/app/logout-header", "relogin": "/app/relogin"})
# The JSP app on Tomcat (test/tomcat/zdu-app) under /app: its one logout is invalidate().
TOMCAT_APP = App(login="/app/login.jsp", page="/app/page.jsp",
                 logouts={"url": "/app/logout.jsp"})
# What a web-module's logout-url-pattern must name for the "url" kind of each app.
BACKEND_LOGOUT_PATTERN = "/logout-silent"
TOMCAT_LOGOUT_PATTERN = "/logout.jsp"


@dataclass
class Request:
    what: str  # "login", "page", "logout"
    sent: float  # time.monotonic() when sent
    status: int = 0  # 0: no answer (error holds why)
    instance: str = None  # the instance that answered, from the app's JSON
    version: str = None
    error: str = None


@dataclass
class Session:
    """One session of one user, from login to its end."""
    user: int
    number: int  # the user's n-th session, from 0
    logout: str  # the kind that ends it
    started: float = 0.0  # monotonic time the login was sent
    ended: float = None  # monotonic time the logout answered (idle: the last answer)
    home: str = None  # the instance that answered the login
    version: str = None
    session_id: str = None  # the session cookie after the login
    requests: list = field(default_factory=list)

    def instances(self):
        return {r.instance for r in self.requests if r.instance is not None}

    def failed(self):
        return [r for r in self.requests if r.error or r.status != 200]


class Result:
    """What the users saw. Times are time.monotonic() values of this process."""

    def __init__(self, sessions):
        self.sessions = sorted(sessions, key=lambda s: (s.started, s.user))

    @property
    def requests(self):
        return [r for s in self.sessions for r in s.requests]

    @property
    def failures(self):
        """[(user, session number, what, status, error)] of every request that failed."""
        return [(s.user, s.number, r.what, r.status, r.error)
                for s in self.sessions for r in s.failed()]

    def violations(self):
        """[(user, session number, home, instances that answered)] of every session with a
        request answered elsewhere than the instance that created it."""
        return [(s.user, s.number, s.home, sorted(s.instances()))
                for s in self.sessions if s.home is not None and s.instances() != {s.home}]

    def started_after(self, moment):
        return [s for s in self.sessions if s.started > moment]

    def homes(self, sessions=None):
        """{instance: sessions it created}."""
        counts = {}
        for s in self.sessions if sessions is None else sessions:
            if s.home is not None:
                counts[s.home] = counts.get(s.home, 0) + 1
        return counts

    def last_end(self, instance):
        """When the last session of `instance` ended (monotonic), None if it had none or one
        has not ended."""
        mine = [s for s in self.sessions if s.home == instance]
        if not mine or any(s.ended is None for s in mine):
            return None
        return max(s.ended for s in mine)

    def summary(self):
        return (f"{len(self.sessions)} sessions, {len(self.requests)} requests, "
                f"{len(self.failures)} failed, {len(self.violations())} moved, "
                f"homes {self.homes()}")


class User:
    """One browser: its own cookie jar and kept-alive connection."""

    def __init__(self, base_url, index, app, pages, logout, think, headers=None):
        self.index = index
        self.app = app
        self.pages = pages
        self.logout = logout
        self.think = think
        self.headers = dict(headers or {})
        self.client = Client(base_url)
        self.sessions = []
        self.logged_in = threading.Event()  # set once the first login has answered

    def one_session(self, running=lambda: True):
        """Logs in, reads `pages` pages (stopping early only if `running()` turns false
        after the first), logs out; returns the Session."""
        s = Session(self.index, len(self.sessions), self.logout)
        self.sessions.append(s)
        s.started = time.monotonic()
        login = self._request(s, "login", self.app.login)
        s.home, s.version = login.instance, login.version
        s.session_id = self.client.jar.get(self.app.session_cookie)
        self.logged_in.set()
        if login.status != 200:
            s.ended = time.monotonic()
            return s
        for n in range(self.pages):
            if n and not running():
                break
            self._pause()
            self._request(s, "page", self.app.page)
        self._pause()
        if self.logout == "idle":
            s.ended = time.monotonic()
        else:
            self._request(s, "logout", self.app.logouts[self.logout])
            s.ended = time.monotonic()
        return s

    def _pause(self):
        if self.think:
            time.sleep(self.think)

    def _request(self, s, what, path):
        r = Request(what, time.monotonic())
        s.requests.append(r)
        try:
            response = self.client.get(path, headers=self._headers())
            r.status = response.status
            body = response.json()
            r.instance, r.version = body.get("instance"), body.get("version")
        except (OSError, http.client.HTTPException, ValueError, AttributeError) as e:
            r.error = repr(e)
        return r

    def _headers(self):
        if not self.headers:
            return None
        headers = dict(self.headers)
        if self.client.jar:
            headers["Cookie"] = self.client.jar.header_value()
        return headers

    def close(self):
        self.client.close()


class Users:
    """`count` users, each in its own thread, running sessions back to back (`sessions` each,
    or until stop() when None). logout: a kind of LOGOUT_KINDS or a list, one per user in
    turn. think: seconds between a user's requests. start() returns once every user has sent
    its first login, so sessions spread over the httpd children from the start."""

    def __init__(self, base_url, count=200, pages=5, logout="cookie", app=BACKEND_APP,
                 think=0.02, sessions=None, headers=None, max_seconds=MAX_SECONDS):
        kinds = [logout] if isinstance(logout, str) else list(logout)
        for kind in kinds:
            if kind not in LOGOUT_KINDS:
                raise ValueError(f"logout kind {kind!r} not in {LOGOUT_KINDS}")
            if kind != "idle" and kind not in app.logouts:
                raise ValueError(f"the app has no {kind!r} logout")
        self.users = [User(base_url, k, app, pages, kinds[k % len(kinds)], think, headers)
                      for k in range(count)]
        self.sessions_per_user = sessions
        self._stop = threading.Event()
        self._deadline = time.monotonic() + max_seconds
        self._threads = []

    def _running(self):
        return not self._stop.is_set() and time.monotonic() < self._deadline

    def _run(self, user):
        while self._running() or not user.sessions:
            if self.sessions_per_user is not None and len(user.sessions) >= self.sessions_per_user:
                break
            user.one_session(self._running)

    def start(self):
        for user in self.users:
            thread = threading.Thread(target=self._run, args=(user,), daemon=True)
            thread.start()
            self._threads.append(thread)
        deadline = time.monotonic() + 30
        for user in self.users:
            user.logged_in.wait(max(0.0, deadline - time.monotonic()))
        return self

    def wait(self, timeout=MAX_SECONDS):
        """Waits for users with a fixed number of sessions to finish them; the Result."""
        for thread in self._threads:
            thread.join(timeout)
        return self.result()

    def stop(self, timeout=60.0):
        """Each user finishes the session it is in (its logout included) and stops; the
        Result."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        for user in self.users:
            user.close()
        return self.result()

    def result(self):
        return Result([s for u in self.users for s in list(u.sessions)])

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def run_sessions(base_url, count, pages=3, logout="cookie", app=BACKEND_APP, think=0.0,
                 headers=None):
    """`count` users, one session each, concurrently; the Result."""
    return Users(base_url, count, pages, logout, app, think, sessions=1,
                 headers=headers).start().wait()
