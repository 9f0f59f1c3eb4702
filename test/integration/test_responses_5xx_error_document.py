"""With ProxyErrorOverride, an ErrorDocument that is itself served by the cluster is an internal
redirect that keeps the error's status (mod_proxy_http restores it): the client gets the 500 of
the instance that answered the request, with the page of whichever instance served the
ErrorDocument. The 500 is counted on the instance that answered it, not on the one that served
the page (which answered 200)."""
import time

from harness import ZduTestCase
from harness.manager import MANAGER_CONF, Manager

CONF = MANAGER_CONF + ("<Location /metrics>\n    SetHandler zdu-metrics\n"
                       "    Require all granted\n</Location>\n"
                       "ProxyErrorOverride On\nErrorDocument 500 /app/page\n")


class ErrorDocumentThroughTheCluster(ZduTestCase):
    def setUp(self):
        self.httpd, self.backends = self.start_cluster(versions=("1.0", "1.0"), extra_conf=CONF,
                                                       servers=3)
        self.manager = Manager(self.httpd)

    def served(self):
        """Requests (not health pings) each backend got since the last call, by instance."""
        counts = {}
        for backend in self.backends:
            s = backend.stats(reset=True)
            counts[s["instance"]] = s["requests"] - s["pings"]
        return counts

    def test_the_500_is_counted_on_the_instance_that_answered_it(self):
        expected = {"i1": 0, "i2": 0}
        self.served()
        for _ in range(8):
            client = self.client(self.httpd).fresh()
            response = client.get("/app/error?status=500")
            client.close()
            self.assertEqual(response.status, 500, response.text)
            page_from = response.json()["instance"]
            self.assertEqual(response.json()["path"], "/app/page", response.text)
            served = self.served()
            self.assertEqual(sum(served.values()), 2, served)
            # The request and its ErrorDocument: the instance with both, or the other one.
            answered = page_from if served[page_from] == 2 else \
                next(name for name in served if name != page_from)
            expected[answered] += 1
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            [cluster] = self.manager.status()["clusters"]
            counted = {i["name"]: i["counters"]["responses_5xx"] for i in cluster["instances"]}
            if sum(counted.values()) >= 8:
                break
            time.sleep(0.05)
        self.assertEqual(counted, expected)
