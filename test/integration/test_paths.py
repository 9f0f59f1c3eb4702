"""Paths and worker binding: instances on their scheme's default port get a worker (used and
health-checked), an instance that can get none stops start-up, "..;" dot segments are refused
before they reach a servlet container, and encoded slashes reach the backend as sent
(real httpd, real backends)."""
import collections
import errno
import socket
import unittest

import test_tls
from harness import ZduTestCase
from harness.httpd import Httpd, HttpdError
from harness.process import wait_until
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml


def require_bindable(host, port):
    """Skips the test unless host:port can be bound (a privileged port needs root)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            reason = "in use" if e.errno == errno.EADDRINUSE else e.strerror
            raise unittest.SkipTest(f"cannot bind {host}:{port} ({reason})")


class DefaultPortInstances(ZduTestCase):
    """mod_proxy names the worker of http://h:80 "http://h"; the instance must still get it.
    The backends listen on loopback addresses of their own, never on 127.0.0.1:80."""

    def test_instance_on_port_80_is_used_and_checked(self):
        require_bindable("127.0.0.2", 80)
        on_80 = self.start_backend("i1", host="127.0.0.2", port=80)
        other = self.start_backend("i2")
        cluster = cluster_of([on_80, other], cluster_attrs={"policy": "round-robin"})
        self.assertEqual(cluster["instances"][0]["listeners"], "http://127.0.0.2:80")
        cluster["health_checker"] = {"url": "/app/health", "interval": 1, "timeout": 2}
        httpd = self.start_httpd(loadbalancer_xml(
            [cluster], {"active-healthcheck-enabled": "true"}))
        client = self.client(httpd)
        served = collections.Counter(client.fresh().get("/app/login").json()["instance"]
                                     for _ in range(10))
        self.assertEqual(served, {"i1": 5, "i2": 5})
        self.assertTrue(wait_until(lambda: on_80.stats()["pings"] > 0, 10),
                        "the checker pings the instance on port 80")
        # Its redirects leave the port out ("http://127.0.0.2/…"); they are still its own.
        sticky = next(c for c in (client.fresh() for _ in range(4))
                      if c.get("/app/login").json()["instance"] == "i1")
        response = sticky.get("/app/redirect")
        self.assertEqual(response.status, 302)
        self.assertEqual(response.header("Location"), httpd.url("/app/landed"))

    def test_https_instance_on_port_443_is_used(self):
        require_bindable("127.0.0.3", 443)
        cert, key = test_tls.make_cert(self.make_tmpdir(), "backend")
        self.start_backend("i1", host="127.0.0.3", port=443, tls_cert=cert, tls_key=key)
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": "i1", "listeners": "https://127.0.0.3:443"}]}
        httpd = self.start_httpd(loadbalancer_xml([cluster], {"https-routing": "true"}),
                                 extra_conf=test_tls.HttpsRouting.PROXY_TLS,
                                 extra_modules=test_tls.SSL_MODULES)
        response = self.client(httpd).get("/app/x")
        self.assertEqual(response.status, 200, response.text)
        self.assertEqual(response.json()["instance"], "i1")
        self.assertTrue(response.json()["tls"], "forwarded to https://127.0.0.3:443")

    def test_instance_without_worker_stops_start_up(self):
        backend = self.start_backend("i1")
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": "i1", "listeners": backend.listener},
                                 {"name": "jk-only", "listeners": "ajp://127.0.0.1:8009"}]}
        message = (r"ZDU0061: cluster 'c1' instance 'jk-only' \(line \d+\) has no http:// or "
                   r"https:// listener \(listeners: ajp://127\.0\.0\.1:8009\)")
        httpd = Httpd(self.make_tmpdir(), loadbalancer_xml([cluster]))
        rc, output = httpd.configtest()
        self.assertNotEqual(rc, 0, output)
        self.assertRegex(output, message)
        self.addCleanup(httpd.stop)
        with self.assertRaises(HttpdError) as refused:
            httpd.start(timeout=5)
        self.assertRegex(str(refused.exception), message)


# Each is a way to write a segment Catalina reads as "..": httpd decodes %2e and %3B before
# translate_name, but does not resolve "..;" (nor ".;").
DOT_SEGMENT_PATHS = (
    "/app/..;/admin/secret",
    "/app/%2e%2e;/admin/secret",
    "/app/%2E%2E%3B/admin/secret",
    "/app/.;/admin/secret",
    "/app/x/.;/y",
    "/app/x/..;jsessionid=abc/admin",
    "/app;jsessionid=abc/..;/admin",
    "/..;/app/x",
)


class DotSegments(ZduTestCase):
    def start(self):
        backends = self.start_backends(("1.0", "1.0"))
        cluster = cluster_of(backends)
        # The catch-all "/" makes every path ours: "/..;/app/x" is refused rather than
        # left to httpd's own files.
        cluster["web_modules"].append({"context_root": "/"})
        httpd = self.start_httpd(loadbalancer_xml([cluster]))
        return httpd, backends

    def test_dot_segments_are_refused_before_any_backend(self):
        httpd, backends = self.start()
        client = self.client(httpd)
        for path in DOT_SEGMENT_PATHS:
            with self.subTest(path=path):
                self.assertEqual(client.get(path).status, 400)
        self.assertEqual([b.stats()["requests"] for b in backends], [0, 0],
                         "no backend saw a request")
        self.assertIn("ZDU0060", httpd.error_log())

    def test_outside_every_context_root_httpd_answers(self):
        # Without a "/" web-module, "/..;/app/x" is not under "/app": httpd serves it from its
        # own files (none there), and no backend sees it.
        httpd, backends = self.start_cluster()
        self.assertEqual(self.client(httpd).get("/..;/app/x").status, 404)
        self.assertEqual([b.stats()["requests"] for b in backends], [0, 0])

    def test_ordinary_paths_still_reach_the_backend(self):
        httpd, backends = self.start()
        client = self.client(httpd)
        for path in ("/app/x", "/app", "/app;jsessionid=abc.i1", "/app/x;jsessionid=abc/y",
                     "/app/a%20b", "/app/caf%C3%A9", "/app/..x/.hidden/a..b", "/other/x"):
            with self.subTest(path=path):
                response = client.get(path)
                self.assertEqual(response.status, 200, response.text)
                self.assertEqual(response.json()["path"], path)


class EncodedSlashes(ZduTestCase):
    def test_no_decode_forwards_encoded_slash_as_sent(self):
        httpd, backends = self.start_cluster(versions=("1.0",),
                                             extra_conf="AllowEncodedSlashes NoDecode")
        client = self.client(httpd)
        response = client.get("/app/a%2Fb/c%2fd?q=%2F")
        self.assertEqual(response.status, 200, response.text)
        self.assertEqual(response.json()["path"], "/app/a%2Fb/c%2fd?q=%2F")
        # Other encoded characters are still forwarded encoded once.
        self.assertEqual(client.get("/app/a%20b%2F").json()["path"], "/app/a%20b%2F")
        # An encoded slash still separates segments for the dot-segment check.
        self.assertEqual(client.get("/app/x%2F..;%2Fadmin").status, 400)
        self.assertEqual(backends[0].stats()["requests"], 2)


if __name__ == "__main__":
    unittest.main()
