"""sessions_ended counts sessions, not logout requests: a browser that calls the logout URL
again with the cookie of its already ended session (Tomcat's invalidate() leaves the cookie)
ends nothing more, and no instance that never held that session counts it."""
import unittest

from upgrade_common import UpgradeTestCase


class EndedCounter(UpgradeTestCase):
    def ended(self):
        return {name: i["sessions_ended"] for name, i in self.instances().items()}

    def test_a_second_logout_of_an_ended_session_counts_nothing(self):
        a1 = self.start_backend("a1", "1.0")
        b1 = self.start_backend("b1", "2.0")
        self.start_upgrade([(a1, {})])
        browser = self.client(self.httpd)
        self.assertEqual(self.login(browser), ("a1", "1.0"))
        self.rewrite([(a1, {}), (b1, {})])
        self.assertServedBy(browser.get("/app/logout-silent"), "a1")
        self.assertEqual(self.ended(), {"a1": 1, "b1": 0})
        self.assertIn("JSESSIONID", browser.jar, "the app left the cookie")
        self.assertServedBy(browser.get("/app/logout-silent"), "b1",
                            "an ended session's next request is a new one, on v2")
        self.assertEqual(self.ended(), {"a1": 1, "b1": 0}, "one session ended, once")


if __name__ == "__main__":
    unittest.main()
