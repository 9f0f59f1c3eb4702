"""Checks the harness itself (backend app, httpd runner, client, xml builder) without mod_zdu."""
import os
import socket
import time
import unittest
import xml.etree.ElementTree as ET

from harness import CookieJar, HarnessTestCase, Httpd, HttpdError, cluster_of, loadbalancer_xml
from harness.xml import GLASSFISH_DOCTYPE, ZDU_DOCTYPE


class BackendTest(HarnessTestCase):
    def test_echoes_request(self):
        backend = self.start_backend("i1", "1.0")
        response = self.client(backend).get("/app/page;jsessionid=S1:r1?q=1", {"X-Test": "yes"})
        self.assertEqual(response.status, 200)
        echo = response.json()
        self.assertEqual((echo["instance"], echo["version"]), ("i1", "1.0"))
        self.assertEqual(echo["method"], "GET")
        self.assertEqual(echo["path"], "/app/page;jsessionid=S1:r1?q=1")
        self.assertEqual(echo["headers"]["X-Test"], "yes")
        self.assertEqual(echo["session"], "S1:r1")
        self.assertEqual(response.header("X-Backend-Instance"), "i1")

    def test_session_cookie_wins_over_path_parameter(self):
        backend = self.start_backend("i1", session_cookie="SID")
        client = self.client(backend, jar={"SID": "FROMCOOKIE"})
        self.assertEqual(client.get("/a;sid=FROMPATH").json()["session"], "FROMCOOKIE")
        with client.fresh() as fresh:
            self.assertEqual(fresh.get("/a;sid=FROMPATH").json()["session"], "FROMPATH")

    def test_keep_alive_client_uses_one_connection(self):
        backend = self.start_backend("i1")
        client = self.client(backend)
        ids = {client.get(f"/app/{n}").json()["connection"] for n in range(20)}
        self.assertEqual(len(ids), 1)
        self.assertEqual(client.connections, 1)
        stats = backend.stats()
        self.assertEqual((stats["connections"], stats["requests"]), (1, 20))
        self.client(backend).get("/app/other")
        self.assertEqual(backend.stats()["connections"], 2)

    def test_stats_reset_and_pings(self):
        backend = self.start_backend("i1")
        client = self.client(backend)
        client.get("/x")
        client.get("/health", {"Proxy-ping": "true"})
        self.assertEqual(backend.stats(reset=True)["pings"], 1)
        self.assertEqual(backend.stats(), {"connections": 0, "requests": 0, "pings": 0,
                                           "instance": "i1", "version": "1.0"})

    def test_login_session_suffixes(self):
        cases = {"none": r"[0-9A-F]{32}", "tomcat": r"[0-9A-F]{32}\.r7",
                 "websphere": r"0000[0-9A-F]{32}:r7"}
        for style, pattern in cases.items():
            with self.subTest(style=style):
                backend = self.start_backend(f"i-{style}", route_style=style, route="r7")
                client = self.client(backend)
                response = client.get("/app/login")
                self.assertRegex(client.jar["JSESSIONID"], f"^{pattern}$")
                self.assertEqual(response.json()["session"], client.jar["JSESSIONID"])
                self.assertIn("Path=/", response.set_cookies[0])
                self.assertEqual(client.get("/app/x").json()["session"], client.jar["JSESSIONID"])

    def test_route_defaults_to_instance_name(self):
        backend = self.start_backend("node-a", route_style="tomcat")
        client = self.client(backend)
        client.get("/login")
        self.assertTrue(client.jar["JSESSIONID"].endswith(".node-a"))

    def test_login_sets_jroute_and_jreplica(self):
        backend = self.start_backend("i1", set_jroute=True, replica="i2", route="R1")
        client = self.client(backend)
        self.assertEqual(len(client.get("/app/login").set_cookies), 3)
        self.assertEqual(client.jar["JROUTE"], "R1")
        self.assertEqual(client.jar["JREPLICA"], "i2")

    def test_logout_deletes_session_cookie(self):
        backend = self.start_backend("i1")
        client = self.client(backend)
        client.get("/app/login")
        self.assertIn("JSESSIONID", client.jar)
        client.get("/app/logout")
        self.assertNotIn("JSESSIONID", client.jar)
        self.assertIsNone(client.get("/app/x").json()["session"])

    def test_special_paths(self):
        backend = self.start_backend("i1", health_status=503)
        client = self.client(backend)
        self.assertEqual(client.get("/app/error").status, 500)
        self.assertEqual(client.get("/app/error?status=404").status, 404)
        self.assertEqual(client.get("/app/health").status, 503)
        self.assertEqual(client.get("/").status, 200)
        redirect = client.get("/ctx/sub/redirect")
        self.assertEqual(redirect.status, 302)
        self.assertEqual(redirect.header("Location"),
                         f"http://127.0.0.1:{backend.port}/ctx/sub/landed")

    def test_slow(self):
        backend = self.start_backend("i1")
        started = time.monotonic()
        self.assertEqual(self.client(backend).get("/app/slow?ms=300").status, 200)
        self.assertGreaterEqual(time.monotonic() - started, 0.3)

    def test_post_and_chunked_bodies(self):
        backend = self.start_backend("i1")
        client = self.client(backend)
        self.assertEqual(client.post("/app/form", b"x" * 1000).json()["body_length"], 1000)
        # http.client sends an iterable body chunked.
        chunked = client.request("PUT", "/app/up", iter([b"abc", b"defg"])).json()
        self.assertEqual((chunked["method"], chunked["body_length"]), ("PUT", 7))
        self.assertEqual(client.connections, 1)

    def test_restart_keeps_port_and_kill9_refuses(self):
        backend = self.start_backend("i1")
        port = backend.port
        self.client(backend).get("/x")
        backend.restart()
        self.assertEqual(backend.port, port)
        self.assertEqual(backend.stats()["requests"], 0)
        self.assertEqual(self.client(backend).get("/x").json()["instance"], "i1")
        backend.kill9()
        self.assertFalse(backend.running())
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()

    def test_client_reconnects_after_server_restart(self):
        backend = self.start_backend("i1")
        client = self.client(backend)
        first = client.get("/x").json()["connection"]
        backend.restart()
        self.assertEqual(client.get("/x").status, 200)
        self.assertEqual(client.connections, 2)
        self.assertEqual(first, 1)


class HttpdTest(HarnessTestCase):
    def test_event_mpm_serves_static_files(self):
        httpd = self.start_httpd(zdu=False)
        client = self.client(httpd)
        hello = client.get("/static/hello.txt")
        self.assertEqual((hello.status, hello.body), (200, b"hello from httpd\n"))
        self.assertEqual(hello.header("Content-Type"), "text/plain")
        self.assertIn(b"mod_zdu test server", client.get("/").body)
        self.assertEqual(client.get("/missing").status, 404)
        self.assertIn("ServerMPM: event", client.get("/server-status?auto").text)
        self.assertGreaterEqual(len(httpd.child_pids()), 3)
        self.assertEqual(client.connections, 1)

    def test_other_mpms_start(self):
        for mpm in ("prefork", "worker"):
            with self.subTest(mpm=mpm):
                httpd = self.start_httpd(zdu=False, mpm=mpm)
                status = self.client(httpd).get("/server-status?auto").text
                self.assertIn(f"ServerMPM: {mpm}", status)
                httpd.stop()

    def test_configtest(self):
        httpd = self.start_httpd(zdu=False)
        self.assertEqual(httpd.configtest(), (0, "Syntax OK\n"))
        httpd.write_conf(extra_conf="NoSuchDirective on")
        code, output = httpd.configtest()
        self.assertNotEqual(code, 0)
        self.assertIn("NoSuchDirective", output)

    def test_start_failure_reports_why(self):
        httpd = Httpd(self.make_tmpdir(), zdu=False, extra_conf="NoSuchDirective on")
        self.addCleanup(httpd.stop)
        with self.assertRaises(HttpdError) as raised:
            httpd.start(timeout=5)
        self.assertIn("NoSuchDirective", str(raised.exception))
        self.assertFalse(httpd.running())

    def test_graceful_restart_brings_new_children(self):
        httpd = self.start_httpd(zdu=False)
        before = set(httpd.child_pids())
        httpd.graceful()
        self.assertTrue(set(httpd.child_pids()) - before)
        self.assertEqual(self.client(httpd).get("/static/hello.txt").status, 200)

    def test_stop_leaves_no_process(self):
        httpd = self.start_httpd(zdu=False)
        pids = [httpd.proc.pid] + httpd.child_pids()
        httpd.stop()
        for pid in pids:
            with self.assertRaises(ProcessLookupError):
                os.kill(pid, 0)

    def test_plain_mod_proxy_reaches_backend(self):
        backend = self.start_backend("i1")
        httpd = self.start_httpd(zdu=False, extra_conf=f"ProxyPass /app {backend.url}/app")
        client = self.client(httpd)
        for _ in range(5):
            self.assertEqual(client.get("/app/x").json()["instance"], "i1")
        self.assertEqual(backend.stats()["requests"], 5)

    def test_ports_are_unique(self):
        first = self.start_httpd(zdu=False)
        second = self.start_httpd(zdu=False)
        self.assertNotEqual(first.port, second.port)


class CookieJarTest(unittest.TestCase):
    def test_set_and_delete(self):
        jar = CookieJar()
        jar.update_from(["A=1; Path=/; HttpOnly", "B=2", "C=3"])
        self.assertEqual(jar, {"A": "1", "B": "2", "C": "3"})
        jar.update_from(["A=; Max-Age=0; Path=/",
                         "B=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
                         "C=4; Max-Age=60"])
        self.assertEqual(jar, {"C": "4"})
        self.assertEqual(jar.header_value(), "C=4")

    def test_explicit_cookie_header_replaces_jar(self):
        jar = CookieJar()
        jar.update_from(["JSESSIONID=abc"])
        self.assertIsNone(CookieJar().header_value())
        self.assertEqual(jar.header_value(), "JSESSIONID=abc")


class ClientHeaderTest(HarnessTestCase):
    def test_jar_and_explicit_cookie_header(self):
        backend = self.start_backend("i1")
        client = self.client(backend, jar={"JSESSIONID": "J1"})
        self.assertEqual(client.get("/x").json()["headers"]["Cookie"], "JSESSIONID=J1")
        explicit = client.get("/x", {"Cookie": "JSESSIONID=OTHER"}).json()
        self.assertEqual(explicit["session"], "OTHER")
        with client.fresh() as fresh:
            self.assertNotIn("Cookie", fresh.get("/x").json()["headers"])


class XmlTest(unittest.TestCase):
    def test_glassfish_document(self):
        text = loadbalancer_xml(
            [{"name": "c1", "policy": "weighted-round-robin",
              "instances": [{"name": "i1", "listeners": ["http://h:1", "http://h:2"],
                             "weight": 300, "enabled": False, "disable_timeout": 5}],
              "web_modules": [{"context_root": "/app", "error_url": "/e.html",
                               "idempotent": ["/*.jsp", ("/get/*", 3)]}],
              "health_checker": {"url": "/health", "interval": 1, "timeout": 2}}],
            properties={"reload-poll-interval-in-seconds": 1, "https-routing": False})
        self.assertIn(GLASSFISH_DOCTYPE, text)
        root = ET.fromstring(text.encode())
        instance = root.find("cluster/instance")
        self.assertEqual(instance.attrib, {"name": "i1", "enabled": "false",
                                           "disable-timeout-in-minutes": "5",
                                           "listeners": "http://h:1 http://h:2",
                                           "weight": "300"})
        patterns = root.findall("cluster/web-module/idempotent-url-pattern")
        self.assertEqual([p.attrib.get("no-of-retries") for p in patterns], [None, "3"])
        self.assertEqual(root.find("cluster/health-checker").get("interval-in-seconds"), "1")
        props = {p.get("name"): p.get("value") for p in root.findall("property")}
        self.assertEqual(props, {"reload-poll-interval-in-seconds": "1",
                                 "https-routing": "false"})
        # GlassFish's element order: instances, web modules, health checker; then properties.
        self.assertEqual([e.tag for e in root.find("cluster")],
                         ["instance", "web-module", "health-checker"])

    def test_extensions_switch_doctype(self):
        for key, attrs in (("version", {"version": "2.0"}), ("route", {"route": "r"})):
            with self.subTest(key=key):
                text = loadbalancer_xml({"name": "c", "instances": [
                    dict({"name": "i", "listeners": "http://h:1"}, **attrs)]})
                self.assertIn(ZDU_DOCTYPE, text)
        cookie = loadbalancer_xml({"name": "c", "session_cookie": "SID"})
        self.assertIn(ZDU_DOCTYPE, cookie)
        self.assertIn('session-cookie="SID"', cookie)

    def test_unknown_key_is_an_error(self):
        with self.assertRaises(ValueError):
            loadbalancer_xml({"name": "c", "instances": [{"name": "i", "listner": "x"}]})

    def test_cluster_of_backends(self):
        class FakeBackend:
            def __init__(self, name, version, port):
                self.instance, self.version = name, version
                self.listener = f"http://127.0.0.1:{port}"

        cluster = cluster_of([FakeBackend("i1", "1.0", 1), FakeBackend("i2", "2.0", 2)],
                             context_root="/demo", instance_attrs=[{}, {"enabled": False}])
        root = ET.fromstring(loadbalancer_xml(cluster).encode())
        self.assertEqual([i.get("version") for i in root.iter("instance")], ["1.0", "2.0"])
        self.assertEqual(root.findall("cluster/instance")[1].get("enabled"), "false")
        self.assertEqual(root.find("cluster/web-module").get("context-root"), "/demo")


if __name__ == "__main__":
    unittest.main()
