"""Quiescing: a disabled instance keeps its sessions until disable-timeout-in-minutes has passed
since mod_zdu first saw it disabled, then they move; a disabled web-module refuses new requests.
Minutes are scaled down with the zdu-minute-in-seconds property."""
import time
import unittest

from harness import ZduTestCase
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

MINUTE_SECONDS = 4


def routes_of(client):
    return client.jar.get("JROUTE")


class InstanceQuiesce(ZduTestCase):
    def test_sessions_stay_until_timeout_then_move(self):
        backends = self.start_backends(("1.0", "1.0"))
        props = {"zdu-minute-in-seconds": MINUTE_SECONDS}

        def xml(i2_enabled):
            attrs = [{"disable_timeout": 1},
                     {"disable_timeout": 1, "enabled": "true" if i2_enabled else "false"}]
            # stale-session="failover": past the timeout the sessions move, as GlassFish does;
            # the default (a redirect to the entry page) is test_upgrade_drain's.
            cluster = cluster_of(backends, instance_attrs=attrs,
                                 web_module={"stale_session": "failover"})
            return loadbalancer_xml([cluster], props)

        httpd = self.start_httpd(xml(True))
        on_i2 = []
        while len(on_i2) < 5:
            client = self.client(httpd).fresh()
            if client.get("/app/login").json()["instance"] == "i2":
                on_i2.append(client)
        httpd.write_xml(xml(False))
        httpd.graceful()
        disabled_at = time.monotonic()

        for client in on_i2:
            self.assertServedBy(client.get("/app/page"), "i2", "sticky before the timeout")
        for _ in range(20):
            self.assertServedBy(self.client(httpd).fresh().get("/app/login"), "i1",
                                "no new sessions on a disabled instance")

        time.sleep(max(0.0, MINUTE_SECONDS + 0.5 - (time.monotonic() - disabled_at)))
        for client in on_i2:
            old_route = client.jar["JROUTE"]
            response = client.get("/app/page")
            self.assertServedBy(response, "i1", "moved after the timeout")
            self.assertNotEqual(client.jar["JROUTE"], old_route, "the response names the new route")
            self.assertServedBy(client.get("/app/page"), "i1", "and stays there")


class WebModuleDisabled(ZduTestCase):
    def test_new_requests_get_503(self):
        httpd, _ = self.start_cluster(versions=("1.0",), web_module={"enabled": "false"})
        response = self.client(httpd).get("/app/login")
        self.assertEqual(response.status, 503)

    def test_new_requests_go_to_error_url(self):
        httpd, _ = self.start_cluster(
            versions=("1.0",),
            web_module={"enabled": "false", "error_url": "http://errors.example/sorry.html"})
        response = self.client(httpd).get("/app/login")
        self.assertEqual(response.status, 302)
        self.assertEqual(response.header("Location"), "http://errors.example/sorry.html")

    def test_existing_sessions_served_until_timeout(self):
        backends = self.start_backends(("1.0",))
        props = {"zdu-minute-in-seconds": MINUTE_SECONDS}

        def xml(enabled):
            module = {"enabled": "true" if enabled else "false", "disable_timeout": 1}
            return loadbalancer_xml([cluster_of(backends, web_module=module)], props)

        httpd = self.start_httpd(xml(True))
        client = self.client(httpd)
        self.assertServedBy(client.get("/app/login"), "i1")
        httpd.write_xml(xml(False))
        httpd.graceful()
        disabled_at = time.monotonic()
        self.assertServedBy(client.get("/app/page"), "i1")
        self.assertEqual(self.client(httpd).fresh().get("/app/login").status, 503)
        time.sleep(max(0.0, MINUTE_SECONDS + 0.5 - (time.monotonic() - disabled_at)))
        self.assertEqual(client.get("/app/page").status, 503)


if __name__ == "__main__":
    unittest.main()
