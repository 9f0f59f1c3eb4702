"""Failure rules found in review (real httpd, real backends): a backend that resets the
connection while mod_proxy sends it the request body is a failed attempt of that instance, not a
success; an application's 5xx is a response; retries keep the request as sent and stop before
httpd's LimitInternalRecursion."""
import socket
import struct
import threading

from harness import ZduTestCase
from harness.xml import loadbalancer_xml


class ResetsOnBody:
    """A backend that reads a request's headers and then resets the connection (a crashed or
    overloaded server refusing an upload), so mod_proxy fails while sending the body."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.listener = f"http://127.0.0.1:{self.port}"
        self.accepted = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            with conn:
                conn.settimeout(5)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    pass
                # Linger 0: close() sends a reset, with the body still unread.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def close(self):
        self.sock.close()


class ResetWhileSendingBody(ZduTestCase):
    def test_reset_during_the_request_body_counts_as_a_failure(self):
        backend = ResetsOnBody()
        self.addCleanup(backend.close)
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": "i1", "listeners": backend.listener}]}
        httpd = self.start_httpd(loadbalancer_xml([cluster], {"zdu-passive-failures-in-a-row": 3}))
        response = self.client(httpd).fresh().post("/app/upload", body=b"x" * (8 << 20))
        self.assertGreaterEqual(response.status, 500, response.text)
        self.assertGreaterEqual(backend.accepted, 1)
        counted = [line for line in httpd.error_log().splitlines() if "ZDU0050: " in line]
        self.assertTrue(counted, "the reset is counted toward i1's failures in a row:\n"
                        + httpd.error_log()[-4000:])


class ApplicationErrors(ZduTestCase):
    """A 5xx the application answered (GET, HEAD, POST) is passed on as it is: not counted,
    not retried, no instance taken out, even with one failure in a row taking one out."""

    def test_application_5xx_is_a_response(self):
        httpd, backends = self.start_cluster(
            versions=("1.0", "1.0"), properties={"zdu-passive-failures-in-a-row": 1})
        client = self.client(httpd)
        for status in (500, 502, 503, 504):
            for method in ("GET", "HEAD", "POST"):
                response = client.fresh().request(method, f"/app/error?status={status}",
                                                  body=b"b" if method == "POST" else None)
                self.assertEqual(response.status, status, (method, response.text))
        log = httpd.error_log()
        for log_id in ("ZDU0014", "ZDU0016", "ZDU0050", "ZDU0051"):
            self.assertNotIn(f"{log_id}: ", log, "an application's 5xx is no failure")
        self.assertEqual(sum(b.stats()["requests"] for b in backends), 12, "each sent once")
        after = [self.served_by(client.fresh().get("/app/page")) for _ in range(4)]
        self.assertEqual(sorted(after), ["i1", "i1", "i2", "i2"])


class ManyInstancesReset(ZduTestCase):
    """A GET is retried on every instance that resets it, each retry an internal redirect:
    with more instances than LimitInternalRecursion (10) allows redirects, the retries stop
    short of it and the client hears the gateway's 502, not httpd's 500."""

    def test_retries_over_a_dozen_instances_end_in_502(self):
        backends = [ResetsOnBody() for _ in range(12)]
        for b in backends:
            self.addCleanup(b.close)
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": f"i{n}", "listeners": b.listener}
                                 for n, b in enumerate(backends, start=1)]}
        httpd = self.start_httpd(loadbalancer_xml([cluster]))
        response = self.client(httpd).fresh().get("/app/page")
        self.assertEqual(response.status, 502, response.text)
        log = httpd.error_log()
        self.assertNotIn("AH00124", log, "no internal redirect past the limit")
        self.assertIn("reach LimitInternalRecursion 10", log)
        # The first try and 9 internal redirects, each on another instance.
        self.assertEqual(sum(b.accepted for b in backends), 10)
        self.assertEqual(sum(1 for b in backends if b.accepted), 10)


def resetting_then_good(test):
    """A cluster of an instance that resets every request and a good test backend: the
    resetting server (closed on cleanup) and the cluster's description."""
    resetting = ResetsOnBody()
    test.addCleanup(resetting.close)
    good = test.start_backend("good")
    cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
               "instances": [{"name": "bad", "listeners": resetting.listener},
                             {"name": "good", "listeners": good.listener}]}
    return resetting, cluster


class RetryKeepsTheRequest(ZduTestCase):
    """A retry after a reset is an internal redirect of r->unparsed_uri: the next instance
    gets the same method, path, path parameters and query string as the first."""

    def test_retry_after_reset_keeps_method_path_and_query(self):
        resetting, cluster = resetting_then_good(self)
        httpd = self.start_httpd(loadbalancer_xml([cluster]))
        target = "/app/a%20b;jsessionid=xyz/page?x=1&y=%2F&z=a+b"
        seen = set()
        for _ in range(4):  # round-robin: at least one starts on the resetting instance
            response = self.client(httpd).fresh().get(target)
            self.assertEqual(response.status, 200, response.text)
            self.assertEqual(response.json()["path"], target)
            self.assertEqual(response.json()["method"], "GET")
            seen.add(response.json()["instance"])
            head = self.client(httpd).fresh().request("HEAD", target)
            self.assertEqual(head.status, 200)
        self.assertEqual(seen, {"good"})
        self.assertGreaterEqual(resetting.accepted, 2, "some tries started on the bad one")
        self.assertIn("ZDU0016: ", httpd.error_log())


class RetryAfterRewrite(ZduTestCase):
    """A request mod_rewrite mapped into a context root ([PT]) is retried from the URL the
    client sent, so the rule runs again and the retry lands on the same path."""

    def test_rewritten_request_is_retried_on_the_rewritten_path(self):
        resetting, cluster = resetting_then_good(self)
        rules = "RewriteEngine On\nRewriteRule ^/old/(.*)$ /app/$1 [PT]\n"
        httpd = self.start_httpd(loadbalancer_xml([cluster]), extra_modules=("rewrite",),
                                 extra_conf=rules)
        for _ in range(4):
            response = self.client(httpd).fresh().get("/old/page?x=1")
            self.assertEqual(response.status, 200, response.text)
            self.assertEqual(response.json()["path"], "/app/page?x=1")
        self.assertGreaterEqual(resetting.accepted, 1, "some tries started on the bad one")
