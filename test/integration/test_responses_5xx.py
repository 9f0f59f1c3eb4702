"""An instance's responses_5xx counts the final responses of 500 or more the instance itself
answered, and nothing else: not a 503 mod_zdu answers because no instance could take the
request (all stopped), nor the 504 of a response timeout, nor a 503 after connect failures on
every instance (timeouts and connect failures are the instances' failures). The web-module's
failures count every 5xx the client got, so they tell that those were sent."""
import re
import time

from harness import ZduTestCase
from harness.manager import MANAGER_CONF, Manager

CONF = MANAGER_CONF + ("<Location /metrics>\n    SetHandler zdu-metrics\n"
                       "    Require all granted\n</Location>\n")


class Responses5xx(ZduTestCase):
    def setUp(self):
        self.httpd, self.backends = self.start_cluster(
            versions=("1.0", "1.0"), properties={"response-timeout-in-seconds": 1},
            extra_conf=CONF, servers=3)
        self.manager = Manager(self.httpd)
        self.sent = 0  # client requests to /app

    def get(self, client, path):
        self.sent += 1
        return client.get(path)

    def session_on(self, instance):
        for _ in range(30):
            client = self.client(self.httpd).fresh()
            if self.get(client, "/app/login").json()["instance"] == instance:
                return client
            client.close()
        self.fail(f"no session landed on {instance}")

    def web_module_counter(self, name):
        text = self.client(self.httpd).fresh().get("/metrics").text
        m = re.search(rf'^zdu_web_module_{name}_total\{{cluster="c1",context_root="/app"\}} '
                      r'([0-9]+)$', text, re.M)
        self.assertIsNotNone(m, text)
        return int(m.group(1))

    def counters_when_all_counted(self):
        """The instances' counters once every request sent has ended (its log hook ran, just
        after its response went out)."""
        deadline = time.monotonic() + 10
        while self.web_module_counter("requests") < self.sent and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.web_module_counter("requests"), self.sent)
        [cluster] = self.manager.status()["clusters"]
        return {i["name"]: i["counters"] for i in cluster["instances"]}

    def test_an_instance_counts_the_5xx_it_answered(self):
        client = self.session_on("i1")
        for status in (500, 500, 502, 503, 404):
            self.assertEqual(self.get(client, f"/app/error?status={status}").status, status)
        self.assertEqual(self.get(client, "/app/page").status, 200)
        counters = self.counters_when_all_counted()
        self.assertEqual(counters["i1"]["responses_5xx"], 4)
        self.assertEqual(counters["i1"]["failures"], 0, "the application's 5xx are no failure")
        self.assertEqual(counters["i2"]["responses_5xx"], 0)

    def test_a_5xx_mod_zdu_made_is_no_instance_5xx(self):
        client = self.session_on("i1")
        for name in ("i1", "i2"):
            answer = self.manager.command("POST", cmd="stop-instance", cluster="c1",
                                          instance=name)
            self.assertEqual(answer.status, 200, answer.text)
        # Stopped: no instance takes any request, mod_zdu answers 503 itself.
        self.assertEqual(self.get(client, "/app/page").status, 503)
        self.assertEqual(self.get(self.client(self.httpd), "/app/login").status, 503)
        for name in ("i1", "i2"):
            answer = self.manager.command("POST", cmd="enable-instance", cluster="c1",
                                          instance=name)
            self.assertEqual(answer.status, 200, answer.text)
        # No answer within the response timeout: mod_zdu answers 504 (a GET is not retried).
        self.assertEqual(self.get(client, "/app/slow?ms=3000").status, 504)
        # Both die: the request reaches each in turn, fails to connect on both and gets 503.
        for backend in self.backends:
            backend.kill9()
        self.assertEqual(self.get(client, "/app/page").status, 503)
        counters = self.counters_when_all_counted()
        self.assertEqual(self.web_module_counter("failures"), 4, "the client got four 5xx")
        for name in ("i1", "i2"):
            self.assertEqual(counters[name]["responses_5xx"], 0, name)
        self.assertEqual(counters["i1"]["failures"] + counters["i2"]["failures"], 3,
                         "the timeout, and one connect failure on each")
