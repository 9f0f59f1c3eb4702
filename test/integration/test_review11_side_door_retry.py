"""A side-door request whose first attempt is reset is sent again (an internal redirect of the
same request): the retry keeps the version the trusted client asked for, though the side-door
headers were removed from the request before the first attempt."""
import unittest

from harness import ZduTestCase
from harness.xml import loadbalancer_xml
from test_review_failures import ResetsOnBody

SIDE_DOOR_CONF = "ZduSideDoorClients 127.0.0.1 ::1\n"


class SideDoorRetry(ZduTestCase):
    def test_a_retried_side_door_request_stays_on_the_version_asked_for(self):
        resetting = ResetsOnBody()
        self.addCleanup(resetting.close)
        a1 = self.start_backend("a1", "1.0")
        b2 = self.start_backend("b2", "2.0")
        cluster = {"name": "c1", "active_version": "1.0",
                   "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": "a1", "listeners": a1.listener, "version": "1.0"},
                                 {"name": "b1", "listeners": resetting.listener,
                                  "version": "2.0"},
                                 {"name": "b2", "listeners": b2.listener, "version": "2.0"}]}
        httpd = self.start_httpd(loadbalancer_xml([cluster]), extra_conf=SIDE_DOOR_CONF)
        for _ in range(6):  # round-robin within 2.0: some start on the resetting b1
            response = self.client(httpd).fresh().get("/app/page",
                                                      headers={"X-Zdu-Version": "2.0"})
            self.assertEqual(response.status, 200, response.text)
            self.assertEqual(response.json()["instance"], "b2", "retried within 2.0")
        self.assertGreater(resetting.accepted, 0, "some first attempts were reset")


if __name__ == "__main__":
    unittest.main()
