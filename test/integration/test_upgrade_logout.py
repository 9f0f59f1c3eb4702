"""Logout detection, one test per kind: the backend expires the cookie, a request matches the
web-module's logout-url-pattern (the app sets no cookie, as Tomcat's invalidate()), the app
sends X-Zdu-Session-End, the app hands the browser a new session id while it still sends the
old one, the session idles out. After a logout seen through the expired cookie, the logout URL
or the end header, the same browser's next login lands on the active version even though it
still sends the old session cookie with the old instance's .jvmRoute suffix."""
import time
import unittest

from harness.users import BACKEND_LOGOUT_PATTERN
from upgrade_common import END_HEADER, MINUTE, SLACK, SWEEP, UpgradeTestCase, properties

V1_ROUTE, V2_ROUTE = "r1", "r2"


class LogoutKinds(UpgradeTestCase):
    def start_v1_then_v2(self, web_module=None, props=None):
        """a1 (v1, route r1) alone, a browser logged in on it, then b1 (v2, route r2) added:
        v2 is the active version. Returns (the browser, its v1 session cookie)."""
        self.a1 = self.start_backend("a1", "1.0", route_style="tomcat", route=V1_ROUTE)
        self.b1 = self.start_backend("b1", "2.0", route_style="tomcat", route=V2_ROUTE)
        v1_only = [(self.a1, {"route": V1_ROUTE})]
        self.start_upgrade(v1_only, web_module=web_module, props=props)
        browser = self.client(self.httpd)
        self.assertEqual(self.login(browser), ("a1", "1.0"))
        cookie = browser.jar["JSESSIONID"]
        self.assertTrue(cookie.endswith(f".{V1_ROUTE}"), cookie)
        self.v1_jroute = browser.jar["JROUTE"]
        self.rewrite(v1_only + [(self.b1, {"route": V2_ROUTE})])
        self.assertEqual(self.login(self.client(self.httpd)), ("b1", "2.0"),
                         "new sessions go to v2")
        self.assertServedBy(browser.get("/app/page"), "a1", "the v1 session stays on v1")
        self.last_request = time.monotonic()
        self.wait_state("a1", "draining", SWEEP + 2 * SLACK)
        return browser, cookie

    def v1_status(self):
        return self.instances()["a1"]

    def assertNextLoginOnV2(self, browser, old_cookie):
        """The browser, still sending its old v1 session cookie (and JROUTE), logs in on v2."""
        browser.jar["JSESSIONID"] = old_cookie
        # mod_zdu expires JROUTE on a logout it sees; a browser that kept it anyway (or a
        # logout mod_zdu only learns from the URL) still sends it: the worst case.
        browser.jar["JROUTE"] = self.v1_jroute
        self.assertEqual(self.login(browser), ("b1", "2.0"))
        self.assertTrue(browser.jar["JSESSIONID"].endswith(f".{V2_ROUTE}"))
        self.assertServedBy(browser.get("/app/page"), "b1", "and the new session stays there")

    def assertEnded(self, ended_before):
        self.assertEqual(self.v1_status()["sessions_ended"], ended_before + 1)
        self.wait_live({"a1": 0})
        self.wait_state("a1", "drained", SWEEP + 2 * SLACK)

    def test_expired_cookie(self):
        browser, cookie = self.start_v1_then_v2()
        ended = self.v1_status()["sessions_ended"]
        logout = browser.get("/app/logout")
        self.assertEqual(logout.status, 200)
        self.assertNotIn("JSESSIONID", browser.jar, "the backend expired it")
        self.assertEnded(ended)
        self.assertNextLoginOnV2(browser, cookie)

    def test_logout_url_pattern(self):
        browser, cookie = self.start_v1_then_v2()
        ended = self.v1_status()["sessions_ended"]
        logout = browser.get("/app/logout-silent")
        self.assertServedBy(logout, "a1", "the logout itself reaches the session's home")
        self.assertEqual(logout.set_cookies, [], "the app set no cookie")
        self.assertEqual(browser.jar["JSESSIONID"], cookie)
        self.assertEnded(ended)
        self.assertNextLoginOnV2(browser, cookie)

    def test_logout_url_pattern_matches_only_its_paths(self):
        browser, cookie = self.start_v1_then_v2(
            web_module={"logout_url_pattern": f"{BACKEND_LOGOUT_PATTERN} /bye/*"})
        ended = self.v1_status()["sessions_ended"]
        for path in ("/app/logout-silently", "/app/x/logout-silent", "/app/byebye"):
            self.assertServedBy(browser.get(path), "a1")
        time.sleep(SWEEP + SLACK)  # a sweep that would count a wrong end: waiting is the test
        self.assertEqual(self.v1_status()["sessions_ended"], ended, "no pattern matched")
        self.assertEqual(self.v1_status()["live_sessions"], 1)
        self.assertServedBy(browser.get("/app/bye/now"), "a1")
        self.assertEnded(ended)
        self.assertNextLoginOnV2(browser, cookie)

    def test_end_header_ends_the_session_and_is_stripped(self):
        browser, cookie = self.start_v1_then_v2()
        ended = self.v1_status()["sessions_ended"]
        logout = browser.get("/app/logout-header")
        self.assertServedBy(logout, "a1")
        self.assertIsNone(logout.header(END_HEADER), "stripped before the client")
        self.assertEqual(logout.set_cookies, [])
        self.assertEnded(ended)
        self.assertNextLoginOnV2(browser, cookie)

    def test_new_session_id_for_the_same_browser_ends_the_old_one_but_cannot_move_it(self):
        """The new id already exists on the old instance when mod_zdu sees it: the old session
        ends, the browser stays on v1 with its new session, counted as created while
        draining; logging out of that one moves it."""
        browser, cookie = self.start_v1_then_v2()
        before = self.v1_status()
        relogin = browser.get("/app/relogin")
        self.assertServedBy(relogin, "a1")
        renewed = browser.jar["JSESSIONID"]
        self.assertNotEqual(renewed, cookie)
        self.assertTrue(renewed.endswith(f".{V1_ROUTE}"))
        after = self.v1_status()
        self.assertEqual(after["sessions_ended"], before["sessions_ended"] + 1)
        self.assertEqual(after["sessions_created_while_draining"],
                         before["sessions_created_while_draining"] + 1)
        self.wait_live({"a1": 1})
        self.assertEqual(self.state_of("a1"), "draining", "the new session keeps it draining")
        self.assertServedBy(browser.get("/app/page"), "a1", "the new session lives on v1")
        browser.get("/app/logout")
        self.assertEnded(after["sessions_ended"])
        self.assertNextLoginOnV2(browser, renewed)

    def test_idle_timeout(self):
        timeout_minutes = 2  # long enough for the set-up to see the session live
        browser, cookie = self.start_v1_then_v2(
            web_module={"session_timeout": timeout_minutes})
        last_request = self.last_request
        expired = self.v1_status()["sessions_expired"]
        self.assertEqual(self.v1_status()["live_sessions"], 1)
        drained = self.wait_state("a1", "drained", timeout_minutes * MINUTE + SWEEP + 2 * SLACK)
        self.assertGreaterEqual(drained - last_request, timeout_minutes * MINUTE - SLACK,
                                "not before the session timeout")
        self.assertEqual(self.v1_status()["sessions_expired"], expired + 1)
        self.assertEqual(self.v1_status()["live_sessions"], 0)
        self.assertNextLoginOnV2(browser, cookie)

    def test_property_sets_the_idle_timeout_of_web_modules_without_their_own(self):
        browser, cookie = self.start_v1_then_v2(props=properties(session_timeout=2))
        self.wait_state("a1", "drained", 2 * MINUTE + SWEEP + 2 * SLACK)
        self.assertEqual(self.v1_status()["sessions_expired"], 1)
        self.assertNextLoginOnV2(browser, cookie)

    def test_requests_keep_a_session_alive_past_the_idle_timeout(self):
        browser, _ = self.start_v1_then_v2(web_module={"session_timeout": 2})
        until = time.monotonic() + 2 * MINUTE + 2 * SWEEP
        while time.monotonic() < until:
            self.assertServedBy(browser.get("/app/page"), "a1")
            time.sleep(0.3)
        self.assertEqual(self.v1_status()["sessions_expired"], 0)
        self.assertEqual(self.state_of("a1"), "draining")
        self.assertServedBy(self.client(self.httpd).get("/app/login"), "b1")


if __name__ == "__main__":
    unittest.main()
