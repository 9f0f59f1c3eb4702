"""An app that sends its session cookie again on every response (a sliding lifetime) starts no
new session: on a draining instance nothing is counted as created while draining, and no
version pin is handed out again for the same session."""
import unittest

from upgrade_common import PIN_KEY, SLACK, SWEEP, UpgradeTestCase


class CookieRefresh(UpgradeTestCase):
    def test_a_refreshed_cookie_is_not_a_session_created_while_draining(self):
        a1 = self.start_backend("a1", "1.0")
        b1 = self.start_backend("b1", "2.0")
        self.start_upgrade([(a1, {})])
        browser = self.client(self.httpd)
        self.assertEqual(self.login(browser), ("a1", "1.0"))
        self.rewrite([(a1, {}), (b1, {})])
        self.wait_state("a1", "draining", SWEEP + 2 * SLACK)
        for _ in range(5):
            response = browser.get("/app/refresh")
            self.assertServedBy(response, "a1", "the session stays on its instance")
            self.assertTrue(any(c.startswith("JSESSIONID=") for c in response.set_cookies),
                            "the backend did send the cookie again")
        self.assertEqual(self.instances()["a1"]["sessions_created_while_draining"], 0)
        self.wait_live({"a1": 1})

    def test_a_refreshed_cookie_on_the_canary_gets_no_new_pin(self):
        a1 = self.start_backend("a1", "1.0")
        b1 = self.start_backend("b1", "2.0")
        self.start_upgrade([(a1, {}), (b1, {})],
                           cluster_attrs={"active_version": "1.0", "canary_version": "2.0",
                                          "canary_percent": 100},
                           conf=f"ZduVersionPinKey {PIN_KEY}\n")
        browser = self.client(self.httpd)
        self.assertEqual(self.login(browser), ("b1", "2.0"))
        self.assertIn("ZDU_PIN", browser.jar, "the canary session is pinned")
        response = browser.get("/app/refresh")
        self.assertServedBy(response, "b1")
        self.assertTrue(any(c.startswith("JSESSIONID=") for c in response.set_cookies))
        self.assertFalse(any(c.startswith("ZDU_PIN=") for c in response.set_cookies),
                         "the same session is not pinned again")


if __name__ == "__main__":
    unittest.main()
