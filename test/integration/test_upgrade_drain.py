"""A route cookie alone starts nothing on an instance that is draining, while its live sessions
keep reaching it; a long-lived request (server-sent events) in flight holds a drain; an
instance disabled through the manager drains exactly like one disabled in the xml: the same
lifecycle, the same disable-timeout-in-minutes, the same drained report. A tracked session is
routed by the table even without its route cookie. A stale session (its instance retired, no
replica) is not handed to another instance: the web-module's stale-session action applies
(redirect to the entry page by default, error-url, failover)."""
import threading
import time
import unittest

from harness import process
from upgrade_common import MINUTE, SLACK, SWEEP, UpgradeTestCase, properties


class RouteCookieAlone(UpgradeTestCase):
    def test_ten_logins_with_only_the_jroute_of_a_disabled_instance_land_elsewhere(self):
        backends = self.start_backends(("1.0",) * 3)
        self.start_upgrade([(b, {}) for b in backends])
        live = self.sessions_on("i3", 3)
        route = live[0].jar["JROUTE"]
        self.rewrite([(b, {"enabled": "false"} if b.instance == "i3" else {})
                      for b in backends])
        self.wait_state("i3", "draining", SWEEP + 2 * SLACK)

        homes = []
        for _ in range(10):
            client = self.client(self.httpd, jar={"JROUTE": route})
            home, _ = self.login(client)
            homes.append(home)
            self.assertNotEqual(client.jar.get("JROUTE"), route, "the response names its route")
        self.assertEqual(set(homes) - {"i1", "i2"}, set(), homes)
        for client in live:
            self.assertServedBy(client.get("/app/page"), "i3", "live sessions keep reaching it")
        self.assertEqual(self.instances()["i3"]["sessions_created_while_draining"], 0)
        self.wait_live({"i3": 3})

    def test_a_route_cookie_alone_is_a_new_session_even_on_an_instance_that_takes_them(self):
        backends = self.start_backends(("1.0",) * 2)
        self.start_upgrade([(b, {}) for b in backends])
        route = self.sessions_on("i2", 1)[0].jar["JROUTE"]
        self.wait_live({"i2": 1})
        before = 1
        client = self.client(self.httpd, jar={"JROUTE": route})
        self.assertServedBy(client.get("/app/login"), "i2",
                            "an instance taking new sessions honours the route")
        self.wait_live({"i2": before + 1})

    def test_a_tracked_session_is_routed_without_its_route_cookie(self):
        backends = self.start_backends(("1.0",) * 3)
        self.start_upgrade([(b, {}) for b in backends])
        for client in self.sessions_on("i2", 3):
            del client.jar["JROUTE"]  # the session id has no route suffix either
            for _ in range(5):
                self.assertServedBy(client.get("/app/page"), "i2", "the table knows its home")


class UntrackedSession(UpgradeTestCase):
    TIMEOUT_MINUTES = 2

    def test_an_unknown_session_cookie_follows_its_route_and_holds_the_drain(self):
        backends = self.start_backends(("1.0",) * 2)
        self.start_upgrade([(b, {}) for b in backends],
                           props=properties(session_timeout=self.TIMEOUT_MINUTES))
        # A session the table never saw created: made on the backend itself.
        direct = self.client(backends[1])
        direct.get("/app/login")
        browser = self.client(self.httpd, jar={"JSESSIONID": direct.jar["JSESSIONID"],
                                               "JROUTE": self.instances()["i2"]["route"]})
        for _ in range(3):
            self.assertServedBy(browser.get("/app/page"), "i2", "honoured by its route")
        last_seen = time.monotonic()
        self.wait_live({"i2": 0})
        self.assertTrue(process.wait_until(
            lambda: self.instances()["i2"]["untracked_sessions"] == 1, SWEEP + 2 * SLACK,
            interval=0.1), self.instances()["i2"])
        self.disable_instance("i2")
        self.wait_state("i2", "draining", SWEEP + 2 * SLACK)
        drained = self.wait_state("i2", "drained",
                                  self.TIMEOUT_MINUTES * MINUTE + SWEEP + 2 * SLACK)
        self.assertGreaterEqual(drained - last_seen, self.TIMEOUT_MINUTES * MINUTE - SLACK,
                                "not drained while the untracked session may come back")


class ManagerDrain(UpgradeTestCase):
    TIMEOUT_MINUTES = 2

    def test_disabled_through_the_manager_drains_like_disabled_in_the_xml(self):
        backends = self.start_backends(("1.0",) * 3)
        timeout = {"disable_timeout": self.TIMEOUT_MINUTES}
        self.start_upgrade([(b, dict(timeout)) for b in backends])
        poller = self.poll_states()
        on_i2, on_i3 = self.sessions_on("i2", 2), self.sessions_on("i3", 2)

        # Both retired at the same moment, one by the xml, one by the manager.
        self.rewrite([(b, dict(timeout, enabled="false") if b.instance == "i2" else dict(timeout))
                      for b in backends])
        self.disable_instance("i3")
        retired = time.monotonic()
        for name in ("i2", "i3"):
            self.wait_state(name, "draining", SWEEP + 2 * SLACK)
        for client in on_i2[:1] + on_i3[:1]:
            client.get("/app/logout")
        self.wait_live({"i2": 1, "i3": 1})
        for name, clients in (("i2", on_i2[1:]), ("i3", on_i3[1:])):
            for client in clients:
                self.assertServedBy(client.get("/app/page"), name, "sticky while draining")
            self.assertEqual(self.state_of(name), "draining", "a live session holds it")

        # The sessions left never log out: the drain timeout ends draining by force.
        deadline = self.TIMEOUT_MINUTES * MINUTE
        for name in ("i2", "i3"):
            self.wait_state(name, "drained", deadline + SWEEP + 2 * SLACK)
        poller.stop()
        for name in ("i2", "i3"):
            drained = poller.first(name, "drained")
            self.assertGreaterEqual(drained - retired, deadline - SLACK, f"{name} not early")
            self.assertEqual(poller.states(name), ["active", "draining", "drained"], name)
        self.assertLessEqual(abs(poller.first("i2", "drained") - poller.first("i3", "drained")),
                             SWEEP + SLACK, "the same timeout")
        status = self.instances()
        for name in ("i2", "i3"):
            self.assertGreater(status[name]["drained_since_ms"], 0)
            self.assertGreater(status[name]["draining_since_ms"], 0)
        self.assertEqual(sorted(self.drained.calls()), [("c1", "i2", "1.0"), ("c1", "i3", "1.0")])
        self.assertEqual(status["i1"]["state"], "active")

    def test_enabled_again_while_draining_is_active_and_a_later_drain_runs_the_command_again(
            self):
        backends = self.start_backends(("1.0",) * 2)
        self.start_upgrade([(b, {}) for b in backends])
        client = self.sessions_on("i2", 1)[0]
        self.disable_instance("i2")
        self.wait_state("i2", "draining", SWEEP + 2 * SLACK)
        response = self.manager.command("POST", cmd="enable-instance", instance="i2")
        self.assertEqual(response.status, 200, response.text)
        self.wait_state("i2", "active", SWEEP + 2 * SLACK)
        self.assertEqual(self.drained.calls(), [])

        self.disable_instance("i2")
        client.get("/app/logout")
        self.wait_state("i2", "drained", SWEEP + 2 * SLACK)
        self.assertEqual(self.drained.calls(), [("c1", "i2", "1.0")])
        self.manager.command("POST", cmd="enable-instance", instance="i2")
        self.wait_state("i2", "active", SWEEP + 2 * SLACK)
        self.disable_instance("i2")
        self.wait_state("i2", "drained", SWEEP + 2 * SLACK)
        self.assertEqual(self.drained.calls(), [("c1", "i2", "1.0")] * 2)

    def test_weight_zero_and_removal_drain_too(self):
        backends = self.start_backends(("1.0",) * 3)
        self.start_upgrade([(b, {}) for b in backends])
        c2, c3 = self.sessions_on("i2", 1)[0], self.sessions_on("i3", 1)[0]
        self.rewrite([(backends[0], {}), (backends[1], {"weight": 0})])  # i3 removed
        for name in ("i2", "i3"):
            self.wait_state(name, "draining", SWEEP + 2 * SLACK)
        self.assertServedBy(c2.get("/app/page"), "i2")
        self.assertServedBy(c3.get("/app/page"), "i3", "a removed instance keeps its sessions")
        c2.get("/app/logout")
        c3.get("/app/logout")
        for name in ("i2", "i3"):
            self.wait_state(name, "drained", SWEEP + 2 * SLACK)


class LongLived(UpgradeTestCase):
    STREAM_MS = 4000

    def test_an_event_stream_in_flight_holds_the_drain_and_status_shows_it(self):
        backends = self.start_backends(("1.0",) * 2)
        self.start_upgrade([(b, {}) for b in backends])
        browser = self.sessions_on("i2", 1)[0]
        self.disable_instance("i2")
        self.wait_state("i2", "draining", SWEEP + 2 * SLACK)
        stream = self.client(self.httpd, jar=dict(browser.jar), timeout=30)
        answer = {}

        def listen():
            # As a browser's EventSource asks.
            answer["response"] = stream.get(f"/app/events?ms={self.STREAM_MS}",
                                            headers={"Accept": "text/event-stream"})
            answer["ended"] = time.monotonic()

        listener = threading.Thread(target=listen)
        listener.start()
        try:
            self.assertTrue(process.wait_until(
                lambda: self.instances()["i2"]["long_lived"] == 1, 2.0, interval=0.05),
                "status shows the stream")
            browser.get("/app/logout")
            self.wait_live({"i2": 0})
            time.sleep(SWEEP + SLACK)  # sweeps that must not drain it: waiting is the test
            self.assertEqual(self.state_of("i2"), "draining", "the stream is in flight")
        finally:
            listener.join(30)
        self.assertEqual(answer["response"].status, 200)
        self.assertEqual(answer["response"].header("X-Backend-Instance"), "i2")
        drained = self.wait_state("i2", "drained", SWEEP + 2 * SLACK)
        self.assertGreaterEqual(drained, answer["ended"] - SLACK)
        self.assertEqual(self.instances()["i2"]["long_lived"], 0)


class StaleSession(UpgradeTestCase):
    def stale_browser(self, **web_module):
        """A session on i2, then i2 disabled with a one-minute drain timeout that passes."""
        backends = self.start_backends(("1.0",) * 2)
        timeout = {"disable_timeout": 1}
        self.start_upgrade([(b, dict(timeout)) for b in backends], web_module=web_module)
        browser = self.sessions_on("i2", 1)[0]
        self.rewrite([(backends[0], dict(timeout)),
                      (backends[1], dict(timeout, enabled="false"))])
        self.wait_state("i2", "drained", MINUTE + SWEEP + 2 * SLACK)
        self.stale_before = self.cluster_status()["stale_sessions"]
        return browser

    def assertCookiesExpired(self, response):
        expired = {c.split("=", 1)[0] for c in response.set_cookies
                   if "max-age=0" in c.lower().replace(" ", "") or "expires=thu, 01" in c.lower()}
        self.assertLessEqual({"JSESSIONID", "JROUTE"}, expired, response.set_cookies)

    def test_redirected_to_the_entry_page_with_its_cookies_expired_and_counted(self):
        browser = self.stale_browser()
        response = browser.get("/app/page")
        self.assertEqual(response.status, 302, response.text)
        self.assertTrue(response.header("Location", "").endswith("/app/"),
                        response.header("Location"))
        self.assertCookiesExpired(response)
        self.assertEqual(self.cluster_status()["stale_sessions"], self.stale_before + 1)
        self.assertNotIn("JSESSIONID", browser.jar)
        self.assertServedBy(browser.get("/app/login"), "i1", "a new session starts normally")

    def test_error_url(self):
        browser = self.stale_browser(stale_session="error-url",
                                     error_url="http://errors.example/gone.html")
        response = browser.get("/app/page")
        self.assertEqual(response.status, 302)
        self.assertEqual(response.header("Location"), "http://errors.example/gone.html")
        self.assertCookiesExpired(response)

    def test_failover_passes_to_the_failover_pick(self):
        browser = self.stale_browser(stale_session="failover")
        self.assertServedBy(browser.get("/app/page"), "i1")
        self.assertEqual(self.cluster_status()["stale_sessions"], self.stale_before + 1)


if __name__ == "__main__":
    unittest.main()
