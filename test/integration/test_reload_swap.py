"""The per-child swap of a hot reload: cmd=reload publishes the file, every child switches at
its next request without being replaced, keep-alive connections stay open, an invalid file
leaves the old config serving, and a removed instance is kept disabled."""
import concurrent.futures
import shutil
import time
import unittest
from pathlib import Path
from urllib.parse import urlencode

from harness import Client, ZduTestCase
from harness import paths, process
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

SECRET = "s3cret"
MANAGER_CONF = ("<Location /zdu-manager>\n    SetHandler zdu-manager\n</Location>\n"
                f"ZduManagerSecret {SECRET}\n")
NO_POLL = {"reload-poll-interval-in-seconds": 0}
FRESH = 24  # fresh connections: enough to reach each of the 3 children


class ReloadSwapTest(ZduTestCase):
    def start(self, n=2, properties=NO_POLL):
        backends = self.start_backends(["1.0"] * n)
        httpd = self.start_httpd(self.xml(backends, properties), extra_conf=MANAGER_CONF)
        return httpd, backends

    def xml(self, backends, properties=NO_POLL, **instance_attrs):
        attrs = [instance_attrs.get(b.instance, {}) for b in backends]
        return loadbalancer_xml([cluster_of(backends, instance_attrs=attrs)], properties)

    def manager(self, httpd, method, secret=SECRET, **params):
        headers = {"X-Zdu-Secret": secret} if secret else {}
        with Client(httpd.base_url) as client:
            return client.request(method, "/zdu-manager?" + urlencode(params), headers=headers)

    def reload(self, httpd, status=200):
        response = self.manager(httpd, "POST", cmd="reload")
        self.assertEqual(response.status, status, response.text)
        return response.json()

    def statuses(self, httpd):
        return [self.manager(httpd, "GET", cmd="status").json() for _ in range(FRESH)]

    def test_every_child_switches_without_being_replaced(self):
        httpd, backends = self.start()
        before = self.statuses(httpd)
        first = before[0]["generation"]
        pids = set(httpd.child_pids())
        keep_alive = self.client(httpd)
        self.assertEqual(keep_alive.get("/app/").status, 200)
        port = keep_alive._conn.sock.getsockname()[1]

        httpd.write_xml(self.xml(backends, i1={"weight": 300}))
        answer = self.reload(httpd)
        self.assertTrue(answer["ok"], answer)
        self.assertTrue(answer["changed"])
        self.assertEqual(answer["generation"], first + 1)

        after = self.statuses(httpd)
        self.assertEqual({s["generation"] for s in after}, {first + 1},
                         "every child serves the new generation at its next request")
        self.assertGreater(len({s["pid"] for s in after}), 1, "several children answered")
        weights = {i["name"]: i["weight"] for i in after[0]["clusters"][0]["instances"]}
        self.assertEqual(weights, {"i1": 300, "i2": 100})
        self.assertEqual(set(httpd.child_pids()), pids, "no child process was replaced")
        self.assertEqual(keep_alive.get("/app/").status, 200)
        self.assertEqual(keep_alive._conn.sock.getsockname()[1], port, "same TCP connection")
        self.assertEqual(keep_alive.connections, 1)
        self.assertIn("ZDU0100", httpd.error_log())
        self.assertIn("weights c1/i1 100->300", httpd.error_log())

    def test_unchanged_file_publishes_nothing(self):
        httpd, _ = self.start()
        first = self.statuses(httpd)[0]["generation"]
        answer = self.reload(httpd)
        self.assertEqual((answer["ok"], answer["changed"], answer["generation"]),
                         (True, False, first))

    def test_invalid_file_keeps_the_old_config_and_says_why(self):
        httpd, backends = self.start()
        first = self.statuses(httpd)[0]["generation"]
        good = self.xml(backends)
        httpd.write_xml(good.replace('weight="100"', 'weight="heavy"', 1)
                        if 'weight="100"' in good else
                        good.replace("<instance ", '<instance weight="heavy" ', 1))
        for _ in range(3):
            answer = self.reload(httpd, status=400)
            self.assertFalse(answer["ok"])
            self.assertRegex(answer["errors"][0], r"loadbalancer\.xml:\d+: ")
        status = self.statuses(httpd)
        self.assertEqual({s["generation"] for s in status}, {first})
        self.assertFalse(status[0]["last_reload"]["ok"])
        self.assertRegex(status[0]["last_reload"]["errors"][0], r"loadbalancer\.xml:\d+: ")
        self.assertEqual(self.client(httpd).get("/app/").status, 200, "the old config serves")
        self.assertEqual(httpd.error_log().count("ZDU0101"), 1, "logged once per content")

        httpd.write_xml(good)  # the published content again: nothing to publish, ok again
        answer = self.reload(httpd)
        self.assertTrue(answer["ok"])
        self.assertTrue(self.statuses(httpd)[0]["last_reload"]["ok"])

    def test_removed_instance_is_kept_disabled_and_comes_back(self):
        httpd, backends = self.start(3)
        httpd.write_xml(self.xml(backends[:2]))
        self.reload(httpd)
        status = self.statuses(httpd)[0]
        i3 = [i for i in status["clusters"][0]["instances"] if i["name"] == "i3"]
        self.assertEqual(len(i3), 1, "a removed instance stays visible")
        self.assertTrue(i3[0]["removed"])
        self.assertFalse(i3[0]["enabled"])
        for _ in range(12):
            self.assertNotEqual(self.served_by(self.client(httpd).get("/app/")), "i3")

        httpd.write_xml(self.xml(backends))
        self.reload(httpd)
        status = self.statuses(httpd)[0]
        i3 = [i for i in status["clusters"][0]["instances"] if i["name"] == "i3"]
        self.assertEqual((i3[0]["removed"], i3[0]["enabled"]), (False, True))

    def route_of(self, httpd, name):
        instances = self.statuses(httpd)[0]["clusters"][0]["instances"]
        return next(i["route"] for i in instances if i["name"] == name)

    def test_request_in_flight_finishes_on_its_snapshot_and_sessions_stay(self):
        httpd, backends = self.start()
        # A session cookie with its route: a route cookie alone would start a new session.
        cookie = {"Cookie": f"JSESSIONID=S1; JROUTE={self.route_of(httpd, 'i1')}"}
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            slow = pool.submit(lambda: Client(httpd.base_url).get("/app/slow?ms=1500",
                                                                   headers=cookie))
            time.sleep(0.3)
            httpd.write_xml(self.xml(backends[1:]))  # i1 removed while it serves the request
            self.reload(httpd)
            response = slow.result(10)
        self.assertEqual(response.status, 200)
        self.assertEqual(self.served_by(response), "i1")
        # Removed means disabled: its sessions keep reaching it, new sessions go elsewhere.
        self.assertEqual(self.served_by(self.client(httpd).get("/app/", headers=cookie)), "i1")
        for _ in range(10):
            self.assertEqual(self.served_by(self.client(httpd).fresh().get("/app/login")), "i2")

    def test_health_checker_added_by_a_reload_runs(self):
        httpd, backends = self.start()
        backends[1].stop()
        checker = {"url": "/health", "interval": 1, "timeout": 1}
        description = cluster_of(backends, cluster_attrs={"health_checker": checker})
        # Healthy instances are pinged only with active-healthcheck-enabled (GlassFish's rule).
        properties = dict(NO_POLL, **{"active-healthcheck-enabled": "true"})
        httpd.write_xml(loadbalancer_xml([description], properties))
        self.reload(httpd)

        def i2_unhealthy():
            instances = self.statuses(httpd)[0]["clusters"][0]["instances"]
            return not next(i["healthy"] for i in instances if i["name"] == "i2")

        self.assertTrue(process.wait_until(i2_unhealthy, 6.0), "the new checker found i2 down")
        self.assertIn("health checker follows generation", httpd.error_log())

    def test_reload_without_the_secret_changes_nothing(self):
        httpd, backends = self.start()
        first = self.statuses(httpd)[0]["generation"]
        httpd.write_xml(self.xml(backends, i1={"weight": 5}))
        response = self.manager(httpd, "POST", secret="wrong", cmd="reload")
        self.assertEqual(response.status, 403)
        self.assertEqual({s["generation"] for s in self.statuses(httpd)}, {first})

    def test_policy_module_outside_the_allowed_dirs_is_refused(self):
        sample = paths.build_dir() / "test" / "policy-sample" / "zdu_sample_policy.so"
        if not sample.exists():
            self.skipTest(f"{sample} not built")
        outside = Path(self.make_tmpdir())
        outside.chmod(0o755)  # readable by the children's user: refused for where it is
        elsewhere = outside / "sample.so"
        shutil.copy(sample, elsewhere)
        httpd, backends = self.start()
        first = self.statuses(httpd)[0]["generation"]
        attrs = {"policy": "user-defined", "policy_module": str(elsewhere)}
        httpd.write_xml(loadbalancer_xml([cluster_of(backends, cluster_attrs=attrs)], NO_POLL))
        answer = self.reload(httpd, status=400)
        self.assertIn("ZduPolicyModuleDir", answer["errors"][0])
        self.assertEqual(self.statuses(httpd)[0]["generation"], first)

    def test_polling_picks_up_a_change(self):
        poll = {"reload-poll-interval-in-seconds": 1}
        httpd, backends = self.start(properties=poll)
        first = self.statuses(httpd)[0]["generation"]
        httpd.write_xml(self.xml(backends, poll, i2={"weight": 7}))
        self.assertTrue(process.wait_until(
            lambda: all(s["generation"] == first + 1 for s in self.statuses(httpd)), 2.5))


if __name__ == "__main__":
    unittest.main()
