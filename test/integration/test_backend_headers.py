"""The headers a backend sees: mod_zdu's own (Proxy-jroute, Proxy-ip, X-Forwarded-Proto) survive
a client's Connection header, and name the instance each attempt went to."""
import unittest

from harness import ZduTestCase

OURS_IN_CONNECTION = "keep-alive, Proxy-ip, Proxy-jroute, X-Forwarded-Proto, Proxy-keysize"


def seen_headers(response):
    """The request headers the backend received, by lower-case name."""
    return {k.lower(): v for k, v in response.json()["headers"].items()}


class ConnectionHeader(ZduTestCase):
    def test_client_cannot_drop_our_headers_through_connection(self):
        httpd, _ = self.start_cluster(versions=("1.0",))
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


class RetriedRequest(ZduTestCase):
    def test_retry_carries_the_route_of_the_instance_that_serves_it(self):
        httpd, backends = self.start_cluster(instance_attrs=[{"route": "r1"}, {"route": "r2"}])
        backends[0].kill9()
        response = self.client(httpd).get("/app/x", headers={"Cookie": "JROUTE=r1"})
        self.assertServedBy(response, "i2")
        self.assertEqual(seen_headers(response).get("proxy-jroute"), "r2")


if __name__ == "__main__":
    unittest.main()
