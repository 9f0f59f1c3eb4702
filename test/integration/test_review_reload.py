"""Review guards of the hot reload: what a child of an older config pass, still finishing its
requests after a graceful restart, may publish."""
import concurrent.futures
import time
import unittest
from urllib.parse import urlencode

from harness import Client, ZduTestCase
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

SECRET = "s3cret"
MANAGER_CONF = ("<Location /zdu-manager>\n    SetHandler zdu-manager\n</Location>\n"
                f"ZduManagerSecret {SECRET}\n")
POLL = {"reload-poll-interval-in-seconds": 1}


class ReviewReloadTest(ZduTestCase):
    def xml(self, backends, **instance_attrs):
        attrs = [instance_attrs.get(b.instance, {}) for b in backends]
        return loadbalancer_xml([cluster_of(backends, instance_attrs=attrs)], POLL)

    def status(self, httpd):
        with Client(httpd.base_url) as client:
            response = client.request("GET", "/zdu-manager?" + urlencode({"cmd": "status"}),
                                      headers={"X-Zdu-Secret": SECRET})
        self.assertEqual(response.status, 200, response.text)
        return response.json()

    def test_a_child_of_the_old_pass_does_not_publish_its_file(self):
        backends = self.start_backends(["1.0", "1.0"])
        # One child, so the one that finishes a slow request after the graceful restart is the
        # one whose watchdog polled before it.
        httpd = self.start_httpd(self.xml(backends), extra_conf=MANAGER_CONF, servers=1)
        old_children = set(httpd.child_pids())
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            slow = pool.submit(lambda: Client(httpd.base_url).get("/app/slow?ms=7000"))
            time.sleep(0.5)
            # The new pass reads another file: the old pass's file is no longer the config.
            other = httpd.root / "other.xml"
            other.write_text(self.xml(backends, i1={"weight": 7}))
            other.chmod(0o644)
            httpd.write_conf(config_file=str(other))
            httpd.graceful()
            self.assertTrue(old_children & set(httpd.child_pids()), "the old child still runs")
            generation = self.status(httpd)["generation"]
            httpd.write_xml(self.xml(backends, i2={"weight": 9}))  # the old pass's file
            time.sleep(3.0)  # three of the old child's polls
            self.assertTrue(old_children & set(httpd.child_pids()), "the old child still runs")
            status = self.status(httpd)
            self.assertEqual(status["generation"], generation, status)
            weights = {i["name"]: i["weight"] for i in status["clusters"][0]["instances"]}
            self.assertEqual(weights, {"i1": 7, "i2": 100}, status)
            self.assertEqual(slow.result(15).status, 200)


class ReviewHugeFileTest(ZduTestCase):
    def manager(self, httpd, method, **params):
        with Client(httpd.base_url) as client:
            return client.request(method, "/zdu-manager?" + urlencode(params),
                                  headers={"X-Zdu-Secret": SECRET})

    def test_a_file_past_zdu_config_max_bytes_is_refused_with_what_loads_it(self):
        backends = self.start_backends(["1.0", "1.0"])
        xml = loadbalancer_xml([cluster_of(backends)], {"reload-poll-interval-in-seconds": 0})
        small = MANAGER_CONF + "ZduConfigMaxBytes 8k\n"
        httpd = self.start_httpd(xml, extra_conf=small)
        first = self.manager(httpd, "GET", cmd="status").json()["generation"]
        weighted = [{"weight": 7}, {}]
        huge = loadbalancer_xml([cluster_of(backends, instance_attrs=weighted)],
                                {"reload-poll-interval-in-seconds": 0})
        huge += "<!-- " + "x" * 10000 + " -->\n"
        httpd.write_xml(huge)
        response = self.manager(httpd, "POST", cmd="reload")
        self.assertEqual(response.status, 400, response.text)
        errors = " ".join(response.json()["errors"])
        self.assertIn("ZduConfigMaxBytes", errors)
        self.assertEqual(self.manager(httpd, "GET", cmd="status").json()["generation"], first)
        self.assertIn("raise ZduConfigMaxBytes", errors)
        # What the refusal says to do loads it, and the server stays up.
        httpd.write_conf(extra_conf=MANAGER_CONF + "ZduConfigMaxBytes 64k\n")
        httpd.graceful()
        self.assertTrue(httpd.running())
        status = self.manager(httpd, "GET", cmd="status").json()
        weights = {i["name"]: i["weight"] for i in status["clusters"][0]["instances"]}
        self.assertEqual(weights, {"i1": 7, "i2": 100}, status)


if __name__ == "__main__":
    unittest.main()
