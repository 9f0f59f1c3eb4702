"""Rollback, canary and version pin: naming the old version in active-version (one attribute
and a reload) sends new sessions back to v1 while v2 sessions finish on v2; a canary of 10 %
takes 10 % +- 3 % of 1,000 new sessions; browsers given a canary session carry a signed
ZDU_PIN cookie and keep getting the canary version for their later new sessions; a forged pin
is ignored."""
import collections
import threading
import unittest

from harness.cookies import parse_set_cookie
from upgrade_common import PIN_KEY, SLACK, SWEEP, UpgradeTestCase

PIN = "ZDU_PIN"
PIN_CONF = f"ZduVersionPinKey {PIN_KEY}\n"
THIRTY_DAYS = 30 * 24 * 3600


def new_browser(client, keep=()):
    """The same connection as a new browser: cookies cleared but for those named in keep."""
    kept = {k: v for k, v in client.jar.items() if k in keep}
    client.jar.clear()
    client.jar.update(kept)


class Rollback(UpgradeTestCase):
    def test_active_version_back_to_v1_new_sessions_return_v2_sessions_finish_on_v2(self):
        a1, b1 = self.start_backend("a1", "1.0"), self.start_backend("b1", "2.0")
        both = [(a1, {}), (b1, {})]
        self.start_upgrade(both)
        self.assertEqual(set(self.new_homes(10)), {"b1"}, "the highest version is active")
        on_v2 = [self.client(self.httpd) for _ in range(5)]
        for browser in on_v2:
            self.assertEqual(self.login(browser), ("b1", "2.0"))

        self.rewrite(both, cluster_attrs={"active_version": "1.0"})
        self.assertEqual(set(self.new_homes(20)), {"a1"}, "rolled back: new sessions on v1")
        v1_browser = self.client(self.httpd)
        self.assertEqual(self.login(v1_browser), ("a1", "1.0"))
        for browser in on_v2:
            for _ in range(3):
                self.assertServedBy(browser.get("/app/page"), "b1", "v2 sessions finish on v2")
        self.wait_state("b1", "draining", SWEEP + 2 * SLACK)
        self.assertEqual(self.state_of("a1"), "active")
        self.assertEqual(self.cluster_status()["active_version"], "1.0")
        for browser in on_v2:
            browser.get("/app/logout")
        self.wait_state("b1", "drained", SWEEP + 2 * SLACK)

        self.rewrite(both)  # forward again: the highest version
        self.assertEqual(set(self.new_homes(10)), {"b1"})
        self.wait_state("b1", "active", SWEEP + 2 * SLACK)
        self.wait_state("a1", "draining", SWEEP + 2 * SLACK)  # v1_browser's session holds it
        self.assertServedBy(v1_browser.get("/app/page"), "a1")


class Canary(UpgradeTestCase):
    SESSIONS = 1000
    PERCENT = 10

    def start_canary(self, percent=PERCENT):
        self.v1 = self.start_backends(("1.0", "1.0"), prefix="a")
        self.b1 = self.start_backend("b1", "2.0")
        self.all = [(b, {}) for b in self.v1 + [self.b1]]
        self.canary_attrs = {"active_version": "1.0", "canary_version": "2.0",
                             "canary_percent": percent}
        self.start_upgrade(self.all, cluster_attrs=self.canary_attrs, conf=PIN_CONF)

    def logins_in_every_child(self, total):
        """`total` new sessions spread over connections held by every httpd child; returns
        [(version, Set-Cookie headers of the login)]."""
        per_child = list(self.manager.clients_per_child().values())
        for client in per_child:
            self.addCleanup(client.close)
        answers = []
        lock = threading.Lock()

        def run(client, count):
            for _ in range(count):
                new_browser(client)
                response = client.get("/app/login")
                with lock:
                    answers.append((response.status, response.json().get("version"),
                                    response.set_cookies))

        share, rest = divmod(total, len(per_child))
        threads = [threading.Thread(target=run, args=(c, share + (k < rest)))
                   for k, c in enumerate(per_child)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([a for a in answers if a[0] != 200], [])
        return [(version, cookies) for _, version, cookies in answers]

    def test_ten_percent_of_1000_new_sessions_within_three_points(self):
        self.start_canary()
        answers = self.logins_in_every_child(self.SESSIONS)
        versions = collections.Counter(v for v, _ in answers)
        self.assertEqual(sum(versions.values()), self.SESSIONS)
        expected = self.SESSIONS * self.PERCENT / 100
        self.assertLessEqual(abs(versions["2.0"] - expected), 0.03 * self.SESSIONS,
                             dict(versions))
        for version, cookies in answers:
            pins = [c for c in cookies if c.startswith(PIN + "=")]
            self.assertEqual(len(pins), 1 if version == "2.0" else 0,
                             "a pin with each canary session, none with the others")
        canary = self.cluster_status()["canary"]
        self.assertEqual((canary["version"], canary["percent"]), ("2.0", self.PERCENT))

    def pinned_browser(self):
        """A browser whose new session the canary took: its pin cookie value."""
        client = self.client(self.httpd)
        for _ in range(10 * 100 // self.PERCENT):
            new_browser(client)
            response = client.get("/app/login")
            if response.json()["version"] == "2.0":
                pins = [c for c in response.set_cookies if c.startswith(PIN + "=")]
                self.assertEqual(len(pins), 1, f"a canary session sets a pin: {pins}")
                _, value, attrs = parse_set_cookie(pins[0])
                self.assertEqual(attrs.get("path"), "/")
                self.assertIn("httponly", attrs)
                self.assertEqual(int(attrs["max-age"]), THIRTY_DAYS)
                return client, value
        self.fail("the canary took no session")

    def test_pinned_browsers_stay_on_the_canary_for_their_later_sessions(self):
        self.start_canary()
        browsers = [self.pinned_browser() for _ in range(5)]
        for client, pin in browsers:
            for _ in range(6):
                client.get("/app/logout")
                new_browser(client, keep=(PIN,))
                self.assertEqual(client.jar[PIN], pin)
                self.assertEqual(self.login(client)[1], "2.0", "pinned to the canary")
        # The canary's share of all other new sessions is unchanged by the pinned ones.
        versions = collections.Counter(v for v, _ in self.logins_in_every_child(200))
        self.assertLessEqual(versions["2.0"], 200 * (self.PERCENT + 3) / 100, dict(versions))

    def test_a_pin_is_honoured_only_while_its_canary_is_on(self):
        self.start_canary()
        client, pin = self.pinned_browser()
        self.rewrite(self.all, cluster_attrs={"active_version": "1.0"})  # canary off
        for _ in range(5):
            new_browser(client, keep=(PIN,))
            self.assertEqual(self.login(client)[1], "1.0")

    def test_a_forged_pin_is_ignored(self):
        self.start_canary()
        _, pin = self.pinned_browser()
        version, issued, signature = pin.rsplit(".", 2)
        flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
        forged = [f"{version}.{issued}.{flipped}",  # a wrong signature
                  f"{version}.{int(issued) + 1}.{signature}",  # another time, the same one
                  f"{version}.{issued}.",  # no signature
                  "2.0",  # a version alone
                  f"3.0.{issued}.{signature}"]  # another version
        for value in forged:
            with self.subTest(pin=value):
                client = self.client(self.httpd)
                versions = []
                for _ in range(20):
                    new_browser(client)
                    client.jar[PIN] = value
                    versions.append(self.login(client)[1])
                self.assertLessEqual(versions.count("2.0"), 20 * (self.PERCENT + 10) / 100,
                                     f"a forged pin gets the canary share only: {versions}")
        self.assertIn("ZDU0145", self.httpd.error_log(), "an ignored pin is logged")

    def test_zero_percent_sends_no_new_session_to_the_canary(self):
        self.start_canary(percent=0)
        versions = collections.Counter(v for v, _ in self.logins_in_every_child(100))
        self.assertEqual(dict(versions), {"1.0": 100})


if __name__ == "__main__":
    unittest.main()
