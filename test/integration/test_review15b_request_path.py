"""The response filter's one pass over the backend's headers, checked against what httpd and
mod_proxy do to those tables afterwards (real httpd, backends that answer exactly the header
lines a test scripts): the Location it found must still be the one it rewrites after the
filter removed X-Zdu-Session-End and added cookies; a repeated Location; the route cookie in
headers_out on the responses that do not come from the backend as sent (an overridden error,
a 304, HEAD); ZduBackendHeaders auto per attempt when a retry changes the scheme; round-robin
of new sessions while the highest version takes none; and the route cookie built once per
web-module."""
import collections
import json
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import test_tls
from harness import ZduTestCase
from harness.ports import free_port
from harness.xml import loadbalancer_xml

STALE_ROUTE = "zzzzzzzz"  # a well-formed route no instance has: the response names the real one


class _ScriptedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def dispatch(self):
        status, headers = self.server.answer(self.path, self.headers)
        body = json.dumps({"instance": self.server.name, "path": self.path}).encode()
        # No Server or Date of its own: the header lines are exactly the script's.
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        bodyless = status in (204, 304)
        if not bodyless:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not bodyless and self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = dispatch


class ScriptedBackend:
    """An instance whose responses are answer(path, request_headers) -> (status, [(name,
    value)]), header lines in that order; a JSON body naming it."""

    def __init__(self, name, answer):
        self.instance = name
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedHandler)
        self.server.daemon_threads = True
        self.server.answer = answer
        self.server.name = name
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.listener = self.url
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def route_cookies(response):
    return [c for c in response.set_cookies if c.startswith("JROUTE=")]


class ScriptedTestCase(ZduTestCase):
    def start_scripted(self, answer, properties=None, **httpd_opts):
        backend = ScriptedBackend("s1", answer)
        self.addCleanup(backend.close)
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": "s1", "route": "rs1", "listeners": backend.url}]}
        httpd = self.start_httpd(loadbalancer_xml([cluster], properties), **httpd_opts)
        return httpd, backend


class LocationAfterTheScan(ScriptedTestCase):
    """The filter keeps a pointer to the Location entry it found, then removes
    X-Zdu-Session-End and adds Set-Cookie lines to the same table before it rewrites Location.
    apr_table_unset moves every later entry down one place; apr_table_addn into a full table
    moves the whole array. The rewrite must land on Location all the same."""

    def test_location_after_the_session_end_header_is_rewritten(self):
        def answer(path, _):
            url = backend_url[0]
            if path.endswith("/plain"):
                return 302, [("Location", f"{url}/app/login"), ("X-After", f"{url}/app/after")]
            # A logout that tells mod_zdu the session ended and sends the user to the login.
            return 302, [("X-Zdu-Session-End", "1"), ("Location", f"{url}/app/login"),
                         ("X-After", f"{url}/app/after")]

        backend_url = [None]
        httpd, backend = self.start_scripted(answer)
        backend_url[0] = backend.url
        client = self.client(httpd)
        control = client.get("/app/plain")
        self.assertEqual(control.status, 302)
        self.assertEqual(control.header("Location"), httpd.url("/app/login"), "rewritten at all")
        response = client.get("/app/logout")
        self.assertEqual(response.status, 302)
        self.assertIsNone(response.header("X-Zdu-Session-End"), "never reaches the client")
        self.assertEqual(response.header("Location"), httpd.url("/app/login"),
                         "the backend's redirect is pointed back at the front-end")
        self.assertEqual(response.header("X-After"), f"{backend.url}/app/after",
                         "a header that is not Location is left as the backend sent it")

    def test_location_is_rewritten_whatever_the_number_of_headers(self):
        # The route cookie goes into headers_out after the scan; at some count of backend
        # headers the table is full and grows. Each count is tried, with and without a session
        # cookie from the backend (mod_proxy_http rebuilds the table when there is one).
        def answer(path, _):
            count = int(path.rsplit("/", 1)[-1])
            headers = [("Location", f"{backend_url[0]}/app/landed")]
            headers += [(f"X-Fill-{k}", str(k)) for k in range(count)]
            if "/session/" in path:
                headers.append(("Set-Cookie", f"JSESSIONID=S{count}; Path=/app"))
            return 302, headers

        backend_url = [None]
        httpd, backend = self.start_scripted(answer)
        backend_url[0] = backend.url
        wrong = []
        for kind in ("stale-route", "session"):
            for count in range(0, 48):
                client = self.client(httpd, jar={"JROUTE": STALE_ROUTE})
                response = client.get(f"/app/{kind}/{count}")
                self.assertEqual(response.status, 302, response.text)
                self.assertEqual([c.split(";")[0] for c in route_cookies(response)],
                                 ["JROUTE=rs1"], f"{kind} {count}: the route cookie is set")
                location = response.header("Location")
                if location != httpd.url("/app/landed"):
                    wrong.append((kind, count, location))
        self.assertEqual(wrong, [], "Location left pointing at the instance")

    def test_every_location_line_is_pointed_at_the_front_end(self):
        # Before the one-pass scan a rewrite replaced every Location of the response
        # (apr_table_setn); a second line naming the instance must not reach the client.
        def answer(path, _):
            url = backend_url[0]
            return 302, [("Location", f"{url}/app/first"), ("Location", f"{url}/app/second")]

        backend_url = [None]
        httpd, backend = self.start_scripted(answer)
        backend_url[0] = backend.url
        response = self.client(httpd).get("/app/twice")
        self.assertEqual(response.status, 302)
        locations = response.header_all("Location")
        self.assertTrue(locations, response.headers)
        leaked = [loc for loc in locations if loc.startswith(backend.url)]
        self.assertEqual(leaked, [], f"the instance's address reaches the client: {locations}")


class RouteCookieOnOtherResponses(ScriptedTestCase):
    """The route cookie now goes into headers_out: it must still go out on the responses whose
    headers httpd sends from other than the backend's table as read (a 304, HEAD)."""

    @staticmethod
    def answer(path, headers):
        if path.endswith("/fail"):
            return 500, []
        if path.endswith("/cached"):
            return 304, [("ETag", '"v1"')]
        return 200, [("Set-Cookie", "JSESSIONID=H1; Path=/app")]

    def overridden_error_then_page(self, conf, expected_text):
        # httpd builds an overridden error with its protocol filters only: the filter does not
        # run, so the response names no route; the next answer of the instance does.
        httpd, _ = self.start_scripted(self.answer, extra_conf=conf)
        client = self.client(httpd, jar={"JROUTE": STALE_ROUTE})
        response = client.get("/app/fail")
        self.assertEqual(response.status, 500, response.text)
        expected_text(response.text)
        self.assertEqual(route_cookies(response), [], "no route from an error page")
        self.assertEqual(client.jar.get("JROUTE"), STALE_ROUTE)
        response = client.get("/app/page")
        self.assertEqual(response.status, 200, response.text)
        self.assertEqual([c.split(";")[0] for c in route_cookies(response)], ["JROUTE=rs1"],
                         response.headers)

    def test_an_overridden_backend_error_then_the_next_answer_names_the_route(self):
        self.overridden_error_then_page(
            "ProxyErrorOverride On\n",
            lambda text: self.assertNotIn('"instance"', text, "httpd's own error page"))

    def test_an_error_document_string_then_the_next_answer_names_the_route(self):
        self.overridden_error_then_page(
            'ProxyErrorOverride On\nErrorDocument 500 "sorry"\n',
            lambda text: self.assertEqual(text.strip(), "sorry"))

    def test_a_304_carries_the_route_cookie(self):
        httpd, _ = self.start_scripted(self.answer)
        response = self.client(httpd, jar={"JROUTE": STALE_ROUTE}).get(
            "/app/cached", headers={"If-None-Match": '"v1"'})
        self.assertEqual(response.status, 304)
        self.assertEqual([c.split(";")[0] for c in route_cookies(response)], ["JROUTE=rs1"],
                         response.headers)

    def test_head_of_a_new_session_carries_both_cookies_once(self):
        httpd, _ = self.start_scripted(self.answer)
        client = self.client(httpd)
        response = client.request("HEAD", "/app/login")
        self.assertEqual(response.status, 200)
        names = [c.split("=", 1)[0] for c in response.set_cookies]
        self.assertEqual(sorted(names), ["JROUTE", "JSESSIONID"], response.set_cookies)


class HeadersPerAttempt(ZduTestCase):
    """ZduBackendHeaders auto decides per attempt from the instance that attempt goes to: a
    retry from an https instance to a plain one (or back) carries what the second needs."""

    def start_mixed(self, dead_scheme):
        certs = self.make_tmpdir()
        cert, key = test_tls.make_cert(certs, "backend")
        if dead_scheme == "https":
            alive = self.start_backend("i2")
            alive_listener = alive.listener
        else:
            alive = self.start_backend("i2", tls_cert=cert, tls_key=key)
            alive_listener = f"https://127.0.0.1:{alive.port}"
        dead = f"{dead_scheme}://127.0.0.1:{free_port()}"  # nothing listens there
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": "i1", "route": "r1", "listeners": dead},
                                 {"name": "i2", "route": "r2", "listeners": alive_listener}]}
        return self.start_httpd(loadbalancer_xml([cluster]),
                                extra_conf=test_tls.HttpsRouting.PROXY_TLS,
                                extra_modules=test_tls.SSL_MODULES)

    def seen_after_retry(self, httpd):
        response = self.client(httpd, jar={"JROUTE": "r1"}).get(
            "/app/x", headers={"X-Forwarded-Proto": "gopher"})
        self.assertEqual(response.status, 200, response.text)
        self.assertEqual(response.json()["instance"], "i2", "retried on the live instance")
        return {k.lower(): v for k, v in response.json()["headers"].items()}

    def test_retry_from_https_to_plain_sends_no_scheme(self):
        seen = self.seen_after_retry(self.start_mixed("https"))
        self.assertNotIn("x-forwarded-proto", seen, "plain client, plain instance")
        self.assertNotIn("proxy-ip", seen)

    def test_retry_from_plain_to_https_sends_the_client_scheme(self):
        seen = self.seen_after_retry(self.start_mixed("http"))
        self.assertEqual(seen.get("x-forwarded-proto"), "http", seen)
        self.assertNotIn("proxy-ip", seen)


class NewSessionsWhileTheHighestVersionTakesNone(ZduTestCase):
    """A new session tries the highest version first; when none of its instances takes
    sessions (a failed health check) it goes to the next version. The next version's instances
    must still take turns, not one of them all sessions."""

    def test_the_next_version_shares_new_sessions_evenly(self):
        old = [self.start_backend(f"i{n}", "1.0") for n in (1, 2)]
        new = self.start_backend("i3", "2.0", health_status=503)
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": b.instance, "listeners": b.listener,
                                  "version": b.version} for b in old + [new]],
                   "health_checker": {"url": "/app/health", "interval": 1, "timeout": 2}}
        httpd = self.start_httpd(loadbalancer_xml([cluster],
                                                  {"active-healthcheck-enabled": "true"}))
        browser = self.client(httpd)

        def fresh_home():
            response = browser.fresh().get("/app/login")
            self.assertEqual(response.status, 200, response.text)
            return response.json()["instance"]

        # Until the checker took i3 out: three new sessions in a row elsewhere.
        deadline = time.monotonic() + 15
        streak = 0
        while streak < 3 and time.monotonic() < deadline:
            streak = streak + 1 if fresh_home() != "i3" else 0
        self.assertEqual(streak, 3, "the failing instance was taken out")
        homes = collections.Counter(fresh_home() for _ in range(20))
        self.assertNotIn("i3", homes)
        self.assertEqual(set(homes), {"i1", "i2"}, f"new sessions piled on one instance: {homes}")
        self.assertGreaterEqual(min(homes.values()), 8, homes)


class RouteCookiePerWebModule(ZduTestCase):
    """Each web-module's route cookie is built once, with its own context root, for each
    instance of its cluster."""

    def test_each_context_root_and_instance_has_its_own_cookie(self):
        backends = self.start_backends(("1.0", "1.0"))
        cluster = {"name": "c1",
                   "web_modules": [{"context_root": "/app"}, {"context_root": "/shop"}],
                   "instances": [{"name": b.instance, "listeners": b.listener,
                                  "route": f"r{n}"} for n, b in enumerate(backends, 1)]}
        httpd = self.start_httpd(loadbalancer_xml([cluster]))
        seen = {}
        browser = self.client(httpd)
        for root in ("/app", "/shop"):
            for _ in range(4):
                response = browser.fresh().get(f"{root}/login")
                self.assertEqual(response.status, 200, response.text)
                instance = response.json()["instance"]
                cookies = route_cookies(response)
                self.assertEqual(len(cookies), 1, response.set_cookies)
                seen[(root, instance)] = cookies[0]
        route = {"i1": "r1", "i2": "r2"}
        self.assertEqual(len(seen), 4, seen)
        for (root, instance), cookie in seen.items():
            self.assertEqual(cookie, f"JROUTE={route[instance]}; Path={root}; HttpOnly")


if __name__ == "__main__":
    unittest.main()
