"""The request path's single passes, checked against what httpd hands over (real httpd, real
backends): request header names in any case, the canon step for the URLs mod_zdu builds (also
after an internal redirect, and when a later module points the request elsewhere), the log
notes after a retry, ZduBackendHeaders over several lines, a graceful restart and TLS, and
session deadlines for a request whose headers arrive slowly."""
import json
import re
import socket
import time
import unittest

from harness import ZduTestCase
from harness.paths import modules_dir

ROUTES = [{"route": "r1"}, {"route": "r2"}]


def raw_request(httpd, lines, pause_after_first=0.0):
    """Sends a GET with exactly these header lines (names as written, repeats kept) and
    returns (status, headers, body). pause_after_first: seconds between the request line and
    the rest, as a slow client sends it."""
    first, rest = lines[0], lines[1:]
    with socket.create_connection(("127.0.0.1", httpd.port), timeout=30) as s:
        s.sendall((first + "\r\n").encode("latin-1"))
        if pause_after_first:
            time.sleep(pause_after_first)
        head = "".join(f"{line}\r\n" for line in rest + ["Connection: close"]) + "\r\n"
        s.sendall(head.encode("latin-1"))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(h.split(": ", 1)) for h in header_lines]
    return int(status_line.split()[1]), headers, body


def backend_saw(body):
    """(the backend's echo, the request headers it saw by lower-case name)."""
    echo = json.loads(body)
    return echo, {k.lower(): v for k, v in echo["headers"].items()}


class HeaderNamesAsSent(ZduTestCase):
    """translate_name reads Cookie, the side door and the strip list in one pass over the
    headers: each name must be found in whatever case the client wrote it."""

    def test_cookie_in_any_case_routes_by_its_route(self):
        httpd, _ = self.start_cluster(instance_attrs=ROUTES)
        host = f"Host: 127.0.0.1:{httpd.port}"
        for name in ("Cookie", "cookie", "COOKIE", "cOOKIE"):
            for route, instance in (("r1", "i1"), ("r2", "i2")):
                with self.subTest(name=name, route=route):
                    status, _, body = raw_request(
                        httpd, ["GET /app/x HTTP/1.1", host, f"{name}: JROUTE={route}"])
                    self.assertEqual(status, 200, body)
                    self.assertEqual(backend_saw(body)[0]["instance"], instance)

    def test_listed_and_own_headers_in_any_case_are_stripped(self):
        httpd, _ = self.start_cluster(versions=("1.0",))
        status, _, body = raw_request(httpd, [
            "GET /app/x HTTP/1.1", f"Host: 127.0.0.1:{httpd.port}",
            "x-REAL-ip: 6.6.6.6", "FORWARDED: for=6.6.6.6", "proxy-JROUTE: forged00",
            "x-zdu-VERSION: 9.9", "X-Kept: 1"])
        self.assertEqual(status, 200, body)
        _, seen = backend_saw(body)
        self.assertNotIn("x-real-ip", seen)
        self.assertNotIn("forwarded", seen)
        self.assertNotEqual(seen.get("proxy-jroute"), "forged00")
        self.assertNotIn("x-zdu-version", seen, "the side door's header never reaches an app")
        self.assertEqual(seen.get("x-kept"), "1")

    def test_a_listed_header_after_many_others_is_stripped(self):
        # The strip pass runs only when the one scan saw a listed name: put it last.
        httpd, _ = self.start_cluster(versions=("1.0",))
        lines = ["GET /app/x HTTP/1.1", f"Host: 127.0.0.1:{httpd.port}"]
        lines += [f"X-Filler-{n}: {n}" for n in range(40)] + ["True-Client-IP: 6.6.6.6"]
        status, _, body = raw_request(httpd, lines)
        self.assertEqual(status, 200, body)
        _, seen = backend_saw(body)
        self.assertNotIn("true-client-ip", seen)
        self.assertEqual(seen.get("x-filler-39"), "39")


class CanonicalUrls(ZduTestCase):
    """mod_zdu answers mod_proxy's canon step for its own balancer URLs; any other URL still
    goes to mod_proxy's own canon handlers."""

    def test_error_document_redirected_to_a_routed_path(self):
        # httpd's own 404 for a file is replaced by a page the application serves: an internal
        # redirect, with a request context of its own, through the canon step again.
        httpd, _ = self.start_cluster(versions=("1.0",),
                                      extra_conf="ErrorDocument 404 /app/not-found\n")
        response = self.client(httpd).get("/static/missing.txt")
        # (The status is the page's: mod_proxy sets the redirected request's own.)
        self.assertEqual(response.json()["path"], "/app/not-found", response.text)
        self.assertEqual(response.json()["instance"], "i1")

    def test_encoded_path_and_query_after_canon(self):
        httpd, _ = self.start_cluster(versions=("1.0",))
        client = self.client(httpd)
        for path in ("/app/a%20b?x=%20&y", "/app/caf%C3%A9/%7Buser%7D?", "/app", "/app?q",
                     "/app/plain;jsessionid=abc.r1/x"):
            with self.subTest(path=path):
                response = client.get(path)
                self.assertEqual(response.status, 200, response.text)
                self.assertEqual(response.json()["path"], path)

    def test_a_url_a_later_module_points_elsewhere_is_not_ours(self):
        # mod_rewrite in a <Location> runs in fixups, after translate_name built our URL: its
        # [P] target must be canonicalised and served by mod_proxy as any other.
        other = self.start_backend("other")
        conf = (f'LoadModule rewrite_module "{modules_dir()}/mod_rewrite.so"\n'
                "<Location /app/moved>\n    RewriteEngine On\n"
                f"    RewriteRule .* {other.url}/elsewhere [P]\n</Location>\n")
        httpd, backends = self.start_cluster(versions=("1.0",), extra_conf=conf)
        response = self.client(httpd).get("/app/moved")
        self.assertEqual(response.status, 200, response.text)
        self.assertEqual(response.json()["instance"], "other")
        self.assertEqual(response.json()["path"], "/elsewhere")
        self.assertEqual(backends[0].stats()["requests"], 0)


NOTES_CONF = ('LogFormat "%U %{zdu-instance}n %{zdu-version}n" zdunotes\n'
              'CustomLog notes.log zdunotes\n')


class LogNotes(ZduTestCase):
    def notes(self, httpd):
        path = httpd.root / "notes.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return [line for line in lines if line.startswith("/app")]  # not httpd's own probes

    def wait_notes(self, httpd, count):
        deadline = time.monotonic() + 5
        while len(self.notes(httpd)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.notes(httpd)

    def test_a_retried_request_logs_the_instance_that_served_it(self):
        httpd, backends = self.start_cluster(instance_attrs=ROUTES, extra_conf=NOTES_CONF)
        client = self.client(httpd)
        self.assertServedBy(client.get("/app/first", headers={"Cookie": "JROUTE=r1"}), "i1")
        backends[0].kill9()
        self.assertServedBy(client.get("/app/second", headers={"Cookie": "JROUTE=r1"}), "i2")
        self.assertRegex(httpd.error_log(), r"retrying GET /app/second after i1 failed",
                         "the second request was retried: two attempts on one request")
        self.assertEqual(self.wait_notes(httpd, 2), ["/app/first i1 1.0", "/app/second i2 1.0"])


class BackendHeadersLines(ZduTestCase):
    """ZduBackendHeaders: the first argument replaces the default, later ones and later lines
    add; a graceful restart reads the directive afresh."""
    OURS = ("proxy-jroute", "proxy-ip", "x-forwarded-proto")

    def sent(self, httpd):
        response = self.client(httpd).fresh().get("/app/x", headers={"Proxy-ip": "6.6.6.6"})
        self.assertEqual(response.status, 200, response.text)
        seen = {k.lower(): v for k, v in response.json()["headers"].items()}
        self.assertNotEqual(seen.get("proxy-ip"), "6.6.6.6", "a client's copy never passes")
        return {name for name in self.OURS if name in seen}

    def sent_after_graceful(self, httpd, expected):
        """What the new generation sends: a child of the old one may still take a connection
        for a moment after graceful() returns."""
        deadline = time.monotonic() + 10
        while (sent := self.sent(httpd)) != expected and time.monotonic() < deadline:
            time.sleep(0.2)
        return sent

    def test_lines_add_up_and_a_graceful_restart_starts_afresh(self):
        httpd, _ = self.start_cluster(
            versions=("1.0",),
            extra_conf="ZduBackendHeaders Proxy-jroute\nZduBackendHeaders proxy-IP\n")
        self.assertEqual(self.sent(httpd), {"proxy-jroute", "proxy-ip"})
        httpd.write_conf(extra_conf="ZduBackendHeaders X-Forwarded-Proto\n")
        httpd.graceful()
        self.assertEqual(self.sent_after_graceful(httpd, {"x-forwarded-proto"}),
                         {"x-forwarded-proto"},
                         "the new config's names, not added to the old config's")
        httpd.write_conf(extra_conf="")
        httpd.graceful()
        self.assertEqual(self.sent_after_graceful(httpd, set()), set(),
                         "without the directive: auto, which over plain HTTP sends none")

    def test_tls_headers_follow_the_directive(self):
        import test_tls
        from harness.ports import free_port
        from harness.testcase import cluster_of
        from harness.xml import loadbalancer_xml
        certs = self.make_tmpdir()
        server_cert = test_tls.make_cert(certs, "localhost")
        client_cert = test_tls.make_cert(certs, "client")
        backends = self.start_backends(("1.0",))
        port = free_port()
        self.start_httpd(loadbalancer_xml([cluster_of(backends)]),
                         extra_conf=test_tls.tls_vhost(port, *server_cert)
                         + "ZduBackendHeaders Proxy-auth-cert X-Forwarded-Proto\n",
                         extra_modules=test_tls.SSL_MODULES)
        status, _, body = test_tls.https_get(port, "/app/x", client_cert,
                                             {"Proxy-keysize": "4096"})
        self.assertEqual(status, 200, body)
        seen = {k.lower(): v for k, v in json.loads(body)["headers"].items()}
        self.assertNotIn("proxy-keysize", seen, "not sent, and the client's copy removed")
        self.assertEqual(seen.get("x-forwarded-proto"), "https")
        self.assertEqual(test_tls.glassfish_cert_der(seen["proxy-auth-cert"]),
                         test_tls.cert_der(client_cert[0]))


class SlowRequestHeaders(ZduTestCase):
    """A session's deadline runs from when its request is routed. A client that sends the
    request line and then its headers seconds later has not used the session in between."""
    MINUTE = 2  # zdu-minute-in-seconds: a session idles out after 3 "minutes", 6 s

    def start(self):
        # No sweep during the test: the request path alone tells a live session from an
        # idled-out one.
        props = {"zdu-minute-in-seconds": self.MINUTE, "zdu-session-timeout-in-minutes": 3,
                 "session-sweep-interval-in-seconds": 600}
        return self.start_cluster(properties=props, instance_attrs=ROUTES)

    def routed_kinds(self, httpd):
        return re.findall(r"cluster c1: (\w+) request to instance", httpd.error_log())

    def login(self, httpd):
        status, headers, body = raw_request(
            httpd, ["GET /app/login HTTP/1.1", f"Host: 127.0.0.1:{httpd.port}"])
        self.assertEqual(status, 200, body)
        cookies = [v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"]
        return backend_saw(body)[0]["instance"], "; ".join(cookies)

    def test_a_session_used_by_a_slow_request_stays_live(self):
        httpd, _ = self.start()
        home, cookie = self.login(httpd)
        host = f"Host: 127.0.0.1:{httpd.port}"
        # Headers 4 s after the request line: the session is 4 s idle of its 6 when routed.
        status, _, body = raw_request(httpd, ["GET /app/slow-headers HTTP/1.1", host,
                                              f"Cookie: {cookie}"], pause_after_first=4.0)
        self.assertEqual(status, 200, body)
        self.assertEqual(backend_saw(body)[0]["instance"], home)
        used = time.monotonic()
        # 3.2 s after its last use, well inside its 6 s; more than 6 s after the slow request's
        # first line (deadlines are whole seconds: 7 s after the login, to be sure).
        time.sleep(3.2)
        status, _, body = raw_request(httpd, ["GET /app/next HTTP/1.1", host,
                                              f"Cookie: {cookie}"])
        self.assertLess(time.monotonic() - used, 5.5, "the machine was too slow to tell")
        self.assertEqual(status, 200, body)
        self.assertEqual(self.routed_kinds(httpd), ["new", "sticky", "sticky"],
                         "the session ended although its last request was 3.2 s ago")
        self.assertEqual(backend_saw(body)[0]["instance"], home)

    def test_a_session_idle_past_its_deadline_when_the_request_arrives_has_ended(self):
        httpd, _ = self.start()
        _, cookie = self.login(httpd)
        host = f"Host: 127.0.0.1:{httpd.port}"
        time.sleep(1.0)
        # The request line comes 1 s after the login, the request itself 8.5 s after: the
        # session idled out (6 s) before any request of it reached httpd whole.
        status, _, body = raw_request(httpd, ["GET /app/late HTTP/1.1", host,
                                              f"Cookie: {cookie}"], pause_after_first=7.5)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.routed_kinds(httpd), ["new", "new"],
                         "an idled-out session is not sticky any more")


if __name__ == "__main__":
    unittest.main()
