"""The logout promise on real Tomcat 10 instances (Debian tomcat10, each started by the test with
its own CATALINA_BASE and jvmRoute) serving the JSP app of the tests: logout.jsp calls
invalidate() and sets no cookie, so only the web-module's logout-url-pattern tells mod_zdu the
session is over. A user of v1 who logs out and in again lands on v2 although the browser still
sends its old JSESSIONID=<id>.<v1 jvmRoute>; page.jsp fails without a live session, so any
request that reaches another instance than its session's shows up as a failure."""
import time
import unittest

from harness.tomcat import TomcatTestCaseMixin
from harness.users import TOMCAT_APP, TOMCAT_LOGOUT_PATTERN, Users
from upgrade_common import POLL, SLACK, SWEEP, UpgradeTestCase

LOGIN, PAGE, LOGOUT = TOMCAT_APP.login, TOMCAT_APP.page, TOMCAT_APP.logouts["url"]


class TomcatUpgrade(TomcatTestCaseMixin, UpgradeTestCase):
    def start_tomcat_cluster(self):
        """t1, t2 on v1 in the xml; t3, t4 on v2 started but not in it yet."""
        self.tomcats = self.start_tomcats(("1.0", "1.0", "2.0", "2.0"))
        self.v1, self.v2 = self.tomcats[:2], self.tomcats[2:]
        self.start_upgrade(self.described(self.v1),
                           web_module={"logout_url_pattern": TOMCAT_LOGOUT_PATTERN})

    @staticmethod
    def described(tomcats):
        # mod_zdu's route for each instance is the jvmRoute Tomcat suffixes its ids with.
        return [(t, {"route": t.route}) for t in tomcats]

    def add_v2(self):
        return self.rewrite(self.described(self.v1 + self.v2))

    def test_logout_and_login_again_moves_each_user_to_v2_with_the_old_cookie_sent(self):
        self.start_tomcat_cluster()
        browsers = []
        for _ in range(12):
            browser = self.client(self.httpd)
            home, version = self.login(browser, LOGIN)
            self.assertEqual(version, "1.0")
            browsers.append((browser, home, browser.jar["JSESSIONID"]))
        self.assertEqual({home for _, home, _ in browsers}, {"t1", "t2"})
        for _, home, cookie in browsers:
            self.assertTrue(cookie.endswith(f".{home}"), cookie)
        self.add_v2()
        for b in self.v1:
            self.wait_state(b.instance, "draining", SWEEP + 2 * SLACK)

        for browser, home, cookie in browsers:
            self.assertServedBy(browser.get(PAGE), home, "the v1 session still on its home")
            logout = browser.get(LOGOUT)
            self.assertServedBy(logout, home)
            self.assertEqual(logout.set_cookies, [], "invalidate() sets no cookie")
            self.assertEqual(browser.jar["JSESSIONID"], cookie, "the browser still sends it")
            new_home, version = self.login(browser, LOGIN)
            self.assertEqual(version, "2.0", f"{cookie} logged in again on {new_home}")
            self.assertTrue(browser.jar["JSESSIONID"].endswith(f".{new_home}"))
            self.assertServedBy(browser.get(PAGE), new_home, "the new session works on v2")

        for t in self.v1:
            self.wait_state(t.instance, "drained", SWEEP + 2 * SLACK)
        self.assertEqual(sorted(self.drained.calls()), [("c1", "t1", "1.0"), ("c1", "t2", "1.0")])
        for t in self.v1:
            t.stop()
        for browser, _, _ in browsers:
            response = browser.get(PAGE)
            self.assertEqual(response.status, 200, "stopping drained v1 breaks no user")
            self.assertEqual(response.json()["version"], "2.0")

    def test_rolling_upgrade_of_tomcat_under_load(self):
        self.start_tomcat_cluster()
        poller = self.poll_states()
        users = Users(self.httpd.base_url, 40, pages=4, logout="url", app=TOMCAT_APP,
                      think=0.05).start()
        try:
            time.sleep(1.5)
            written = self.add_v2()
            for t in self.v1:
                self.wait_state(t.instance, "drained", 20.0)
            time.sleep(1.0)
        finally:
            result = users.stop()
        poller.stop()
        self.assertEqual(result.failures, [], result.summary())
        self.assertEqual(result.violations(), [])
        later = result.started_after(written + POLL)
        self.assertTrue(later)
        self.assertEqual({s.version for s in later}, {"2.0"})
        for t in self.v1:
            last, drained = result.last_end(t.instance), poller.first(t.instance, "drained")
            self.assertIsNotNone(last, f"every session of {t.instance} ended")
            self.assertLessEqual(drained - last, SWEEP + SLACK, t.instance)


if __name__ == "__main__":
    unittest.main()
