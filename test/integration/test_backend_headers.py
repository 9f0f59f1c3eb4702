"""The headers a backend sees: mod_zdu's own (Proxy-jroute, Proxy-ip, X-Forwarded-Proto) survive
a client's Connection header; the forwarding headers a client forges (Forwarded, X-Real-IP,
X-Forwarded-Port, ...) never reach the backend; ZduStripClientHeaders edits that list; with
mod_remoteip the client address it established is the one forwarded."""
import unittest

from harness import ZduTestCase

# Every header a client could use to pose as the proxy, as an application server or framework
# behind it would trust them. mod_proxy re-adds X-Forwarded-For/-Host/-Server with its own
# values, mod_zdu sets X-Forwarded-Proto: those are compared, the rest must be gone.
FORWARDING_FAMILY = (
    "Forwarded", "X-Forwarded", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Forwarded-Ssl",
    "X-Forwarded-Scheme", "X-Forwarded-Protocol", "X-Forwarded-By", "X-Url-Scheme",
    "Front-End-Https", "X-Proxied-Https", "X-Real-IP", "X-Client-IP", "Client-IP",
    "X-Cluster-Client-IP", "True-Client-IP", "CF-Connecting-IP", "Fastly-Client-IP",
    "X-Original-Forwarded-For", "X-Originating-IP", "X-Remote-IP", "X-Remote-Addr",
    "Proxy-Client-IP", "WL-Proxy-Client-IP", "WL-Proxy-SSL", "WL-Proxy-Client-Cert",
    "WL-Proxy-Client-Keysize", "Proxy-ssl-id", "SSL_CLIENT_CERT", "SSL_CIPHER",
    "SSL_SESSION_ID", "SSL_CIPHER_USEKEYSIZE", "HTTP_CLIENT_IP", "HTTP_X_FORWARDED_FOR",
    "Proxy-keysize", "Proxy-auth-cert", "Proxy-ping",
)
FORGED = "6.6.6.6"
# The default (auto) sends none of ours over plain HTTP: these tests name them all.
ALL = "ZduBackendHeaders all\n"
OURS_IN_CONNECTION = "keep-alive, Proxy-ip, Proxy-jroute, X-Forwarded-Proto, Proxy-keysize"


def seen_headers(response):
    """The request headers the backend received, by lower-case name."""
    return {k.lower(): v for k, v in response.json()["headers"].items()}


class ConnectionHeader(ZduTestCase):
    def test_client_cannot_drop_our_headers_through_connection(self):
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf=ALL)
        response = self.client(httpd).get("/app/x", headers={"Connection": OURS_IN_CONNECTION})
        self.assertEqual(response.status, 200, response.text)
        seen = seen_headers(response)
        self.assertRegex(seen.get("proxy-jroute", ""), r"^[a-z2-7]{8}$", seen)
        self.assertEqual(seen.get("proxy-ip"), "127.0.0.1", seen)
        self.assertEqual(seen.get("x-forwarded-proto"), "http", seen)

    def test_connection_still_drops_the_headers_it_names_otherwise(self):
        httpd, _ = self.start_cluster(versions=("1.0",))
        response = self.client(httpd).get(
            "/app/x", headers={"Connection": "keep-alive, X-Hop", "X-Hop": "1", "X-End": "2"})
        seen = seen_headers(response)
        self.assertNotIn("x-hop", seen)
        self.assertEqual(seen.get("x-end"), "2")


class ForwardingHeaders(ZduTestCase):
    def forge_all(self, httpd, extra=None):
        forged = {name: FORGED for name in FORWARDING_FAMILY}
        forged.update({"X-Forwarded-For": FORGED, "X-Forwarded-Host": "evil.example",
                       "X-Forwarded-Server": "evil.example", "X-Forwarded-Proto": "https",
                       "Proxy-ip": FORGED, "Proxy-jroute": "forged00"})
        forged.update(extra or {})
        response = self.client(httpd).get("/app/x", headers=forged)
        self.assertEqual(response.status, 200, response.text)
        return seen_headers(response)

    def test_forwarding_family_from_client_never_reaches_backend(self):
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf=ALL)
        seen = self.forge_all(httpd)
        for name in FORWARDING_FAMILY:
            self.assertNotIn(name.lower(), seen, f"{name} reached the backend")
        # Replaced by the front-end's own values.
        self.assertEqual(seen.get("x-forwarded-for"), "127.0.0.1")
        self.assertEqual(seen.get("x-forwarded-host"), f"127.0.0.1:{httpd.port}")
        self.assertEqual(seen.get("x-forwarded-server"), "127.0.0.1")
        self.assertEqual(seen.get("x-forwarded-proto"), "http")
        self.assertEqual(seen.get("proxy-ip"), "127.0.0.1")
        self.assertNotEqual(seen.get("proxy-jroute"), "forged00")
        self.assertRegex(httpd.error_log(), r"ZDU0070: removed client header X-Real-IP from GET")

    def test_directive_adds_and_removes_names(self):
        httpd, _ = self.start_cluster(
            versions=("1.0",),
            extra_conf="ZduStripClientHeaders X-Edge-Client -X-Real-IP\n"
                       "ZduStripClientHeaders X-Second-Line\n")
        seen = self.forge_all(httpd, {"X-Edge-Client": FORGED, "X-Second-Line": FORGED,
                                      "X-Unlisted": "kept"})
        self.assertNotIn("x-edge-client", seen)
        self.assertNotIn("x-second-line", seen)
        self.assertEqual(seen.get("x-real-ip"), FORGED)  # removed from the list: passes
        self.assertEqual(seen.get("x-unlisted"), "kept")
        self.assertNotIn("forwarded", seen)  # the rest of the default list still applies

    def test_none_replaces_the_list_but_never_our_own_headers(self):
        httpd, _ = self.start_cluster(versions=("1.0",),
                                      extra_conf=ALL + "ZduStripClientHeaders none X-Only\n")
        seen = self.forge_all(httpd, {"X-Only": FORGED})
        self.assertNotIn("x-only", seen)
        self.assertEqual(seen.get("forwarded"), FORGED)  # no longer listed
        self.assertEqual(seen.get("x-forwarded-for"), f"{FORGED}, 127.0.0.1")  # mod_proxy appends
        self.assertEqual(seen.get("proxy-ip"), "127.0.0.1")
        self.assertEqual(seen.get("x-forwarded-proto"), "http")
        self.assertNotIn("proxy-keysize", seen)
        self.assertNotIn("proxy-auth-cert", seen)
        self.assertNotIn("proxy-ping", seen)

    def test_own_header_cannot_be_let_through(self):
        from harness.httpd import Httpd
        from harness.testcase import cluster_of
        from harness.xml import loadbalancer_xml
        backends = self.start_backends(("1.0",))
        httpd = Httpd(self.make_tmpdir(), loadbalancer_xml([cluster_of(backends)]),
                      extra_conf="ZduStripClientHeaders -Proxy-ip\n")
        rc, output = httpd.configtest()
        self.assertNotEqual(rc, 0, output)
        self.assertIn("ZDU0071", output)
        self.assertIn("Proxy-ip", output)

    def test_requests_mod_zdu_does_not_route_keep_their_headers(self):
        backend = self.start_backend("plain")
        httpd, _ = self.start_cluster(versions=("1.0",),
                                      extra_conf=ALL + f"ProxyPass /other {backend.url}/other\n")
        response = self.client(httpd).get("/other/x", headers={"X-Real-IP": FORGED})
        seen = seen_headers(response)
        self.assertEqual(seen.get("x-real-ip"), FORGED)
        self.assertNotIn("proxy-jroute", seen)
        self.assertNotIn("proxy-ip", seen)


class BackendHeadersDirective(ZduTestCase):
    """ZduBackendHeaders picks which of mod_zdu's headers go to the instances; a client's
    copies are stripped whatever it picks."""
    FORGED_OURS = {"Proxy-ip": FORGED, "Proxy-jroute": "forged00", "X-Forwarded-Proto": "https"}

    def test_only_the_named_header_is_sent(self):
        httpd, _ = self.start_cluster(versions=("1.0",),
                                      extra_conf="ZduBackendHeaders Proxy-jroute\n")
        response = self.client(httpd).get("/app/x", headers=self.FORGED_OURS)
        self.assertEqual(response.status, 200, response.text)
        seen = seen_headers(response)
        self.assertRegex(seen.get("proxy-jroute", ""), r"^[a-z2-7]{8}$", seen)
        self.assertNotIn("proxy-ip", seen)
        self.assertNotIn("x-forwarded-proto", seen)

    def test_none_sends_none_and_routing_still_sticks(self):
        httpd, _ = self.start_cluster(extra_conf="ZduBackendHeaders none\n")
        client = self.client(httpd)
        login = client.get("/app/login", headers=self.FORGED_OURS)
        self.assertEqual(login.status, 200, login.text)
        seen = seen_headers(login)
        for name in ("proxy-jroute", "proxy-ip", "x-forwarded-proto"):
            self.assertNotIn(name, seen)
        self.assertIn("JROUTE", client.jar)  # mod_zdu still sets the route cookie itself
        home = self.served_by(login)
        for _ in range(4):
            self.assertServedBy(client.get("/app/x"), home)

    def test_unknown_name_is_refused_with_the_value(self):
        from harness.httpd import Httpd
        from harness.testcase import cluster_of
        from harness.xml import loadbalancer_xml
        backends = self.start_backends(("1.0",))
        httpd = Httpd(self.make_tmpdir(), loadbalancer_xml([cluster_of(backends)]),
                      extra_conf="ZduBackendHeaders Proxy-jroute X-Bogus\n")
        rc, output = httpd.configtest()
        self.assertNotEqual(rc, 0, output)
        self.assertIn("ZDU0073", output)
        self.assertIn("'X-Bogus'", output)


class DefaultHeaders(ZduTestCase):
    """auto, the default: over plain HTTP to a plain instance no header of ours goes; a name
    given next to auto adds that one."""

    def test_plain_to_plain_carries_none_of_ours(self):
        httpd, _ = self.start_cluster(versions=("1.0",))
        client = self.client(httpd)
        for path in ("/app/login", "/app/x"):  # a new session, then a sticky request
            response = client.get(path, headers=BackendHeadersDirective.FORGED_OURS)
            self.assertEqual(response.status, 200, response.text)
            seen = seen_headers(response)
            for name in ("proxy-jroute", "proxy-ip", "x-forwarded-proto", "proxy-keysize"):
                self.assertNotIn(name, seen, path)
            self.assertEqual(seen.get("x-forwarded-for"), "127.0.0.1")  # mod_proxy's own
        self.assertIn("JROUTE", client.jar)

    def test_auto_with_a_name_adds_it(self):
        httpd, _ = self.start_cluster(versions=("1.0",),
                                      extra_conf="ZduBackendHeaders auto Proxy-jroute\n")
        seen = seen_headers(self.client(httpd).get("/app/x"))
        self.assertRegex(seen.get("proxy-jroute", ""), r"^[a-z2-7]{8}$", seen)
        self.assertNotIn("proxy-ip", seen)
        self.assertNotIn("x-forwarded-proto", seen)


class RetriedRequest(ZduTestCase):
    def test_retry_carries_the_route_of_the_instance_that_serves_it(self):
        httpd, backends = self.start_cluster(instance_attrs=[{"route": "r1"}, {"route": "r2"}],
                                             extra_conf="ZduBackendHeaders Proxy-jroute\n")
        backends[0].kill9()
        response = self.client(httpd).get("/app/x", headers={"Cookie": "JROUTE=r1"})
        self.assertServedBy(response, "i2")
        self.assertEqual(seen_headers(response).get("proxy-jroute"), "r2")


class RemoteIp(ZduTestCase):
    REMOTEIP = "RemoteIPHeader X-Forwarded-For\nRemoteIPInternalProxy 127.0.0.1\n"

    def test_client_address_from_trusted_proxy_is_forwarded(self):
        httpd, _ = self.start_cluster(versions=("1.0",), extra_modules=("remoteip",),
                                      extra_conf=ALL + self.REMOTEIP)
        response = self.client(httpd).get("/app/x", headers={
            "X-Forwarded-For": "203.0.113.7", "X-Real-IP": FORGED, "Forwarded": f"for={FORGED}"})
        seen = seen_headers(response)
        self.assertEqual(seen.get("proxy-ip"), "203.0.113.7", seen)
        self.assertTrue(seen.get("x-forwarded-for", "").endswith("203.0.113.7"), seen)
        self.assertNotIn(FORGED, seen.get("x-forwarded-for", ""))
        self.assertNotIn("x-real-ip", seen)
        self.assertNotIn("forwarded", seen)

    def test_without_remoteip_forged_address_is_not_trusted(self):
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf=ALL)
        response = self.client(httpd).get("/app/x", headers={
            "X-Forwarded-For": "203.0.113.7", "X-Real-IP": "203.0.113.7"})
        seen = seen_headers(response)
        self.assertEqual(seen.get("proxy-ip"), "127.0.0.1", seen)
        self.assertEqual(seen.get("x-forwarded-for"), "127.0.0.1", seen)
        self.assertNotIn("x-real-ip", seen)


if __name__ == "__main__":
    unittest.main()
