"""The side door: X-Zdu-Version / X-Zdu-Instance reach a version or an instance on purpose,
disabled ones too (so v2 can be added disabled, tested, then enabled), but only from the
addresses of ZduSideDoorClients; from any other address they are ignored. Either way the
header never reaches the backend. The client addresses are two loopback addresses: 127.0.0.1
is trusted, 127.0.0.2 is not."""
import unittest

from upgrade_common import (SIDE_DOOR_INSTANCE, SIDE_DOOR_VERSION, UpgradeTestCase, raw_get)

TRUSTED, UNTRUSTED = "127.0.0.1", "127.0.0.2"
SIDE_DOOR_CONF = f"ZduSideDoorClients {TRUSTED}/32 10.9.0.0/16\n"


class SideDoor(UpgradeTestCase):
    def start_with_v2_disabled(self):
        self.a1 = self.start_backend("a1", "1.0")
        self.b1 = self.start_backend("b1", "2.0")
        self.start_upgrade([(self.a1, {}), (self.b1, {"enabled": "false"})],
                           conf=SIDE_DOOR_CONF)

    def get(self, path, headers, source):
        status, _, body = raw_get(self.httpd.port, path, headers, source)
        self.assertEqual(status, 200, body)
        return body

    def assertNoSideDoorHeader(self, body):
        sent = {k.lower() for k in body["headers"]}
        self.assertNotIn(SIDE_DOOR_VERSION.lower(), sent, "stripped before the backend")
        self.assertNotIn(SIDE_DOOR_INSTANCE.lower(), sent, "stripped before the backend")

    def test_a_trusted_client_reaches_disabled_v2_by_version_and_by_instance(self):
        self.start_with_v2_disabled()
        for header in ({SIDE_DOOR_VERSION: "2.0"}, {SIDE_DOOR_INSTANCE: "b1"}):
            with self.subTest(header=header):
                for path in ("/app/login", "/app/page"):
                    body = self.get(path, header, TRUSTED)
                    self.assertEqual((body["instance"], body["version"]), ("b1", "2.0"))
                    self.assertNoSideDoorHeader(body)

    def test_a_trusted_client_keeps_its_side_door_session_on_v2(self):
        self.start_with_v2_disabled()
        client = self.client(self.httpd)
        self.assertServedBy(client.get("/app/login", headers={SIDE_DOOR_VERSION: "2.0"}), "b1")
        for _ in range(5):
            self.assertServedBy(client.get("/app/page"), "b1", "its session sticks to b1")
        self.assertServedBy(self.client(self.httpd).get("/app/login"), "a1",
                            "users without the header stay on v1")

    def test_ignored_and_stripped_from_any_other_address(self):
        self.start_with_v2_disabled()
        for header in ({SIDE_DOOR_VERSION: "2.0"}, {SIDE_DOOR_INSTANCE: "b1"},
                       {SIDE_DOOR_VERSION: "2.0", SIDE_DOOR_INSTANCE: "b1"}):
            with self.subTest(header=header):
                for _ in range(5):
                    body = self.get("/app/login", header, UNTRUSTED)
                    self.assertEqual(body["instance"], "a1", "no side door from 127.0.0.2")
                    self.assertNoSideDoorHeader(body)
        self.assertEqual(self.b1.stats()["requests"], 0)
        self.assertIn("ZDU0142", self.httpd.error_log(), "an ignored side door is logged")

    def test_without_side_door_clients_nobody_is_trusted(self):
        self.a1 = self.start_backend("a1", "1.0")
        self.b1 = self.start_backend("b1", "2.0")
        self.start_upgrade([(self.a1, {}), (self.b1, {"enabled": "false"})])
        body = self.get("/app/login", {SIDE_DOOR_VERSION: "2.0"}, TRUSTED)
        self.assertEqual(body["instance"], "a1")
        self.assertNoSideDoorHeader(body)

    def test_enabling_v2_after_testing_it_makes_it_take_user_traffic(self):
        self.start_with_v2_disabled()
        self.assertEqual(self.get("/app/login", {SIDE_DOOR_VERSION: "2.0"}, TRUSTED)["version"],
                         "2.0")
        self.rewrite([(self.a1, {}), (self.b1, {})])
        self.assertEqual(self.get("/app/login", {}, UNTRUSTED)["instance"], "b1",
                         "enabled v2 is the active version")

    def test_an_unknown_version_or_instance_is_routed_as_usual_and_logged(self):
        self.start_with_v2_disabled()
        for header in ({SIDE_DOOR_VERSION: "9.9"}, {SIDE_DOOR_INSTANCE: "nope"}):
            with self.subTest(header=header):
                body = self.get("/app/login", header, TRUSTED)
                self.assertEqual(body["instance"], "a1")
                self.assertNoSideDoorHeader(body)
        warned = [line for line in self.httpd.error_log().splitlines()
                  if "ZDU0143" in line and "warn" in line]
        self.assertEqual(len(warned), 2, warned)


if __name__ == "__main__":
    unittest.main()
