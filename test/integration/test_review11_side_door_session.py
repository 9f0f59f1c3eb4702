"""A side-door request made with a running session (an operator who is also logged in on v1)
reaches the instance it names for that one request; the session stays bound to its own
instance, so the next request without the header goes back there."""
import unittest

from upgrade_common import SIDE_DOOR_INSTANCE, UpgradeTestCase

SIDE_DOOR_CONF = "ZduSideDoorClients 127.0.0.1/32\n"


class SideDoorWithSession(UpgradeTestCase):
    def test_a_side_door_request_does_not_move_the_session(self):
        a1 = self.start_backend("a1", "1.0")
        b1 = self.start_backend("b1", "2.0")
        self.start_upgrade([(a1, {}), (b1, {"enabled": "false"})], conf=SIDE_DOOR_CONF)
        browser = self.client(self.httpd)
        self.assertEqual(self.login(browser), ("a1", "1.0"))
        self.assertServedBy(browser.get("/app/page", headers={SIDE_DOOR_INSTANCE: "b1"}), "b1",
                            "the side door reaches b1")
        for _ in range(3):
            self.assertServedBy(browser.get("/app/page"), "a1", "the session still lives on a1")
        self.wait_live({"a1": 1, "b1": 0})


if __name__ == "__main__":
    unittest.main()
