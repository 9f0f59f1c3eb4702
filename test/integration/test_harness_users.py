"""Checks the simulated users (harness/users.py), the backend's logout paths, the xml of the
upgrade attributes and the upgrade tests' drained-command program, without mod_zdu: users talk
to backends directly."""
import os
import subprocess
import time
import unittest

from harness import HarnessTestCase, loadbalancer_xml
from harness.xml import ZDU_DOCTYPE
from upgrade_common import DrainedCommand, StatePoller, _squeeze
from harness.users import (LOGOUT_KINDS, App, Request, Result, Session, Users,
                           run_sessions)


class BackendLogoutPaths(HarnessTestCase):
    def logged_in(self, **opts):
        backend = self.start_backend("i1", route_style="tomcat", route="r1", **opts)
        client = self.client(backend)
        self.assertEqual(client.get("/app/login").status, 200)
        return client, client.jar["JSESSIONID"]

    def test_logout_expires_the_cookie(self):
        client, _ = self.logged_in()
        response = client.get("/app/logout")
        self.assertIn("Max-Age=0", response.set_cookies[0])
        self.assertNotIn("JSESSIONID", client.jar)

    def test_logout_silent_sets_no_cookie(self):
        client, sid = self.logged_in()
        response = client.get("/app/logout-silent")
        self.assertEqual(response.status, 200)
        self.assertEqual(response.set_cookies, [])
        self.assertEqual(response.json()["ended"], sid)
        self.assertEqual(client.jar["JSESSIONID"], sid, "the browser keeps the dead id")
        self.assertIsNone(response.header("X-Zdu-Session-End"))

    def test_logout_header_answers_the_end_header_and_no_cookie(self):
        client, sid = self.logged_in()
        response = client.get("/app/logout-header")
        self.assertEqual(response.header("X-Zdu-Session-End"), "1")
        self.assertEqual(response.set_cookies, [])
        self.assertEqual(response.json()["ended"], sid)

    def test_relogin_sets_a_new_id_without_expiring_the_old(self):
        client, sid = self.logged_in()
        response = client.get("/app/relogin")
        cookies = response.set_cookies
        self.assertEqual(len(cookies), 1, cookies)
        self.assertNotIn("Max-Age", cookies[0])
        self.assertNotIn("Expires", cookies[0])
        self.assertNotEqual(client.jar["JSESSIONID"], sid)
        self.assertTrue(client.jar["JSESSIONID"].endswith(".r1"))
        self.assertEqual(response.json()["replaced"], sid)
        self.assertEqual(response.json()["session"], client.jar["JSESSIONID"])

    def test_events_stream_for_the_asked_time_on_a_kept_alive_connection(self):
        backend = self.start_backend("i1")
        client = self.client(backend)
        began = time.monotonic()
        response = client.get("/app/events?ms=600")
        took = time.monotonic() - began
        self.assertEqual(response.status, 200)
        self.assertEqual(response.header("Content-Type"), "text/event-stream")
        self.assertGreaterEqual(took, 0.6)
        self.assertLess(took, 3.0)
        self.assertGreaterEqual(response.text.count("data: i1 "), 6)
        self.assertEqual(client.get("/app/x").status, 200)
        self.assertEqual(client.connections, 1, "the stream ended cleanly (chunked)")

    def test_dashes_in_other_paths_are_plain_echoes(self):
        backend = self.start_backend("i1")
        response = self.client(backend).get("/app/not-a-behaviour")
        self.assertEqual(response.status, 200)
        self.assertEqual(response.set_cookies, [])


class SimulatedUsers(HarnessTestCase):
    def test_every_logout_kind_runs_on_a_backend(self):
        backend = self.start_backend("i1")
        for kind in LOGOUT_KINDS:
            with self.subTest(kind=kind):
                backend.reset_stats()
                result = run_sessions(backend.base_url, 10, pages=3, logout=kind)
                self.assertEqual(result.failures, [])
                self.assertEqual(result.violations(), [])
                self.assertEqual(result.homes(), {"i1": 10})
                per_session = 5 if kind != "idle" else 4  # login, 3 pages, logout
                self.assertEqual(len(result.requests), 10 * per_session)
                self.assertEqual(backend.stats()["requests"], 10 * per_session)
                self.assertTrue(all(s.ended is not None for s in result.sessions))
                self.assertIsNotNone(result.last_end("i1"))

    def test_users_keep_one_connection_each_and_run_until_stopped(self):
        backend = self.start_backend("i1")
        users = Users(backend.base_url, count=20, pages=4, think=0.01).start()
        time.sleep(1.0)
        result = users.stop()
        self.assertEqual(result.failures, [])
        per_user = {}
        for s in result.sessions:
            per_user[s.user] = per_user.get(s.user, 0) + 1
        self.assertEqual(len(per_user), 20)
        self.assertGreater(min(per_user.values()), 1, "back-to-back sessions")
        self.assertTrue(all(s.ended is not None for s in result.sessions),
                        "stop() lets every user finish its session")
        self.assertEqual(backend.stats()["connections"], 20, "keep-alive per user")

    def test_users_spread_over_instances_report_homes_and_moves(self):
        """Without a proxy every request reaches the one backend; the result must still
        report a session answered elsewhere than its home, and every failed request."""
        b1, b2 = self.start_backend("i1"), self.start_backend("i2")
        result = run_sessions(b1.base_url, 5, pages=2)
        self.assertEqual(result.violations(), [])
        moved = Session(0, 0, "cookie", home="i1")
        moved.requests = [Request("login", 0.0, 200, "i1"), Request("page", 0.1, 200, "i2")]
        failed = Session(1, 0, "cookie", home="i2")
        failed.requests = [Request("login", 0.0, 200, "i2"), Request("page", 0.1, 503),
                           Request("page", 0.2, error="ConnectionResetError()")]
        both = Result(result.sessions + [moved, failed])
        self.assertEqual(both.violations(), [(0, 0, "i1", ["i1", "i2"])])
        self.assertEqual(both.failures, [(1, 0, "page", 503, None),
                                         (1, 0, "page", 0, "ConnectionResetError()")])
        self.assertIsNone(Result([moved, Session(2, 0, "idle", home="i1")]).last_end("i1"),
                          "a session not ended yet: no last end")
        self.assertEqual(b2.stats()["requests"], 0)

    def test_failed_requests_are_recorded(self):
        backend = self.start_backend("i1")
        app = App(login="/app/login", page="/app/error", logouts={"cookie": "/app/logout"})
        result = run_sessions(backend.base_url, 3, pages=2, app=app)
        self.assertEqual(len(result.failures), 6, result.failures)
        self.assertEqual({f[3] for f in result.failures}, {500})

    def test_connection_errors_are_recorded_not_raised(self):
        backend = self.start_backend("i1")
        users = Users(backend.base_url, count=5, pages=1000, think=0.01).start()
        backend.kill9()
        result = users.stop()
        self.assertTrue(any(f[4] for f in result.failures), result.failures[:5])

    def test_start_returns_once_every_user_holds_a_session(self):
        backend = self.start_backend("i1")
        users = Users(backend.base_url, count=30, pages=1000, think=0.05).start()
        try:
            self.assertEqual(sum(1 for u in users.users if u.logged_in.is_set()), 30)
        finally:
            users.stop()

    def test_unknown_logout_kind_is_refused(self):
        with self.assertRaises(ValueError):
            Users("http://127.0.0.1:1", count=1, logout="vanish")
        with self.assertRaises(ValueError):
            Users("http://127.0.0.1:1", count=1, logout="cookie",
                  app=App("/l", "/p", {"url": "/o"}))


class UpgradeXml(unittest.TestCase):
    def test_version_canary_and_logout_attributes_use_the_zdu_dtd(self):
        text = loadbalancer_xml({
            "name": "c1", "active_version": "1.0", "canary_version": "2.0",
            "canary_percent": 10,
            "instances": [{"name": "i1", "listeners": "http://127.0.0.1:1"}],
            "web_modules": [{"context_root": "/app", "logout_url_pattern": "/logout /bye/*",
                             "session_timeout": 2, "stale_session": "failover"}]})
        self.assertIn(ZDU_DOCTYPE, text)
        self.assertIn('active-version="1.0" canary-version="2.0" canary-percent="10"', text)
        self.assertIn('logout-url-pattern="/logout /bye/*" session-timeout-in-minutes="2" '
                      'stale-session="failover"', text)

    def test_a_web_module_extension_alone_selects_the_zdu_dtd(self):
        text = loadbalancer_xml({"name": "c1", "web_modules": [
            {"context_root": "/app", "logout_url_pattern": "/logout"}]})
        self.assertIn(ZDU_DOCTYPE, text)


class DrainedCommandProgram(HarnessTestCase):
    def test_records_each_call_also_when_run_as_the_httpd_user(self):
        command = DrainedCommand(self.make_tmpdir())
        self.assertEqual(command.calls(), [])
        self.assertIn(f'ZduDrainedCommand "{command.program} %c %i %v"', command.directive)
        # httpd's children run it as www-data when the tests run as root.
        runner = ["setpriv", "--reuid=www-data", "--regid=www-data", "--clear-groups"] \
            if os.geteuid() == 0 else []
        for args in (["c1", "i1", "1.0"], ["c1", "i2", ""]):
            subprocess.run(runner + [str(command.program)] + args, check=True, timeout=10)
        self.assertEqual(command.calls(), [("c1", "i1", "1.0"), ("c1", "i2", "")])


class FakeManager:
    """Answers cmd=status with the states of a script, one document per call, the last one
    again once the script is used up."""

    def __init__(self, script):
        self.script = list(script)

    def status(self):
        states = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if states is None:
            raise OSError("connection refused")
        return {"clusters": [{"instances": [{"name": n, "state": s}
                                            for n, s in states.items()]}]}


class StatePolling(unittest.TestCase):
    def test_records_each_change_once_with_when_it_was_first_seen(self):
        script = [{"i1": "active", "i2": "active"}, {"i1": "active", "i2": "draining"},
                  None, {"i1": "active", "i2": "draining"}, {"i1": "active", "i2": "drained"}]
        poller = StatePoller(FakeManager(script), interval=0.01).start()
        time.sleep(0.3)
        poller.stop()
        self.assertEqual(poller.states("i1"), ["active"])
        self.assertEqual(poller.states("i2"), ["active", "draining", "drained"])
        self.assertLess(poller.first("i2", "draining"), poller.first("i2", "drained"))
        self.assertIsNone(poller.first("i1", "drained"))
        self.assertEqual(poller.errors, ["OSError('connection refused')"])

    def test_squeeze_keeps_each_run_once(self):
        self.assertEqual(_squeeze(["a", "a", "b", "b", "a"]), ["a", "b", "a"])


if __name__ == "__main__":
    unittest.main()
