"""Checks the Tomcat harness and the JSP app of the tests, without mod_zdu: real Debian tomcat10
instances, each with its own CATALINA_BASE and jvmRoute."""
import re
import unittest

from harness import HarnessTestCase
from harness.tomcat import TomcatTestCaseMixin
from harness.users import TOMCAT_APP, run_sessions


class TomcatHarness(TomcatTestCaseMixin, HarnessTestCase):
    def test_two_instances_suffix_sessions_with_their_jvm_route_and_logout_sets_no_cookie(self):
        tomcats = self.start_tomcats(("1.0", "2.0"))
        for tomcat, route in zip(tomcats, ("t1", "t2")):
            with self.subTest(tomcat=tomcat.instance):
                client = self.client(tomcat)
                login = client.get("/app/login.jsp")
                self.assertEqual(login.status, 200, login.text)
                cookie = client.jar["JSESSIONID"]
                self.assertRegex(cookie, rf"^[0-9A-F]{{32}}\.{re.escape(route)}$")
                body = login.json()
                self.assertEqual((body["instance"], body["version"], body["session"]),
                                 (tomcat.instance, tomcat.version, cookie))
                self.assertTrue(body["created"])
                page = client.get("/app/page.jsp")
                self.assertEqual(page.status, 200, page.text)
                self.assertEqual(page.json()["session"], cookie)
                self.assertFalse(page.json()["created"])

                logout = client.get("/app/logout.jsp")
                self.assertEqual(logout.status, 200, logout.text)
                self.assertEqual(logout.json()["ended"], cookie)
                self.assertEqual(logout.set_cookies, [], "invalidate() sets no cookie")
                self.assertEqual(client.jar["JSESSIONID"], cookie, "the browser keeps it")
                self.assertEqual(client.get("/app/page.jsp").status, 403,
                                 "the page fails without a live session")
                again = client.get("/app/login.jsp")
                self.assertNotEqual(client.jar["JSESSIONID"], cookie,
                                    "a new login after invalidate() is a new id")
                self.assertTrue(again.json()["created"])

    def test_a_session_of_one_instance_is_unknown_to_the_other(self):
        t1, t2 = self.start_tomcats(("1.0", "1.0"))
        client = self.client(t1)
        client.get("/app/login.jsp")
        other = self.client(t2, jar=dict(client.jar))
        self.assertEqual(other.get("/app/page.jsp").status, 403,
                         "a request on the wrong instance fails: stickiness is visible")

    def test_users_run_sessions_on_tomcat_with_invalidate_logout(self):
        tomcat = self.start_tomcat("t1")
        result = run_sessions(tomcat.base_url, 20, pages=3, logout="url", app=TOMCAT_APP)
        self.assertEqual(result.failures, [])
        self.assertEqual(result.violations(), [])
        self.assertEqual(len(result.sessions), 20)
        self.assertEqual(result.homes(), {"t1": 20})
        self.assertEqual(len({s.session_id for s in result.sessions}), 20)

    def test_stop_ends_the_jvm_and_start_again_serves(self):
        tomcat = self.start_tomcat("t1")
        self.assertLess(tomcat.started_in, 30.0, "a fast start (seconds)")
        tomcat.stop()
        self.assertFalse(tomcat.running())
        self.assertFalse(tomcat.answers())
        tomcat.start()
        self.assertTrue(tomcat.answers())
        self.assertIn("Server startup", tomcat.logs(), "the logs are kept")


if __name__ == "__main__":
    unittest.main()
