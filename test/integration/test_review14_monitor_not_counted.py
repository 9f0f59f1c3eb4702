"""/lbgetmonitordata is answered by mod_zdu itself, never proxied, even where a web-module with
the context root "/" matched it first: whatever its method, it must not count as a request of
that web-module."""
import time

from harness import ZduTestCase
from test_metrics import CONF, parse_exposition, value_of


class MonitorNotCountedTest(ZduTestCase):
    def web_module_requests(self, httpd):
        text = self.client(httpd).fresh().get("/metrics").text
        return value_of(parse_exposition(text), "zdu_web_module_requests_total", cluster="c1",
                        context_root="/")

    def test_monitor_requests_are_not_web_module_requests(self):
        httpd, _ = self.start_cluster(versions=("1.0",), context_root="/",
                                      properties={"require-monitor-data": "true"},
                                      extra_conf=CONF)
        client = self.client(httpd)
        self.assertEqual(client.fresh().get("/lbgetmonitordata").status, 200)
        for _ in range(3):
            self.assertEqual(client.fresh().post("/lbgetmonitordata", b"").status, 405)
        # One request of the web-module, so the count is seen to move at all.
        self.assertEqual(client.fresh().get("/page").status, 200)
        deadline = time.monotonic() + 5
        while self.web_module_requests(httpd) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # any late count of the monitor requests lands too
        self.assertEqual(self.web_module_requests(httpd), 1)
