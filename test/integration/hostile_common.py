"""What the test_hostile_* files share: two clusters whose route ids a client may forge, raw
requests for what http.client refuses to send, and the check that no child crashed.

These tests also run against a sanitizer build of mod_zdu (httpd started with the ASan runtime
preloaded): no assertion depends on timing or on an exact memory figure (the xml tests' bounds
on seconds and RSS are generous ones)."""
import http.client
import itertools
import json
import socket

from harness import ZduTestCase, cluster_of, loadbalancer_xml

# c1 at /app: a1, a2 take new sessions; a3 is disabled (it keeps its sessions until its
# quiesce timeout); a4 is disabled with a timeout of 0, so its sessions have to move at once.
# c2 at /other: o1 with an explicit route, o2 with a derived one.
C1_ROUTES = {"a1": "ra1", "a2": "ra2", "a3": "ra3", "a4": "ra4"}
C1_ATTRS = [{"route": "ra1"}, {"route": "ra2"}, {"route": "ra3", "enabled": "false"},
            {"route": "ra4", "enabled": "false", "disable_timeout": 0}]
C1 = frozenset(C1_ROUTES)
C1_TAKING_NEW = frozenset({"a1", "a2"})
# The header name requests try to smuggle into a response.
INJECTED = "X-Injected"
# Whatever a sanitizer or the kernel says when a child dies, as httpd's error log shows it.
CRASH_MARKERS = ("exit signal", "Segmentation fault", "AddressSanitizer",
                 "UndefinedBehaviorSanitizer", "runtime error:", "stack smashing")


def raw_request(port, data, timeout=30):
    """Sends bytes exactly as given and returns (status, [(name, value)], body); status 0 when
    httpd closed the connection without an answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except ConnectionError:
            pass  # httpd answered (and closed) before reading all of an oversized request
        response = http.client.HTTPResponse(s)
        try:
            response.begin()
            return response.status, response.getheaders(), response.read()
        except (http.client.HTTPException, ConnectionError):
            return 0, [], b""
        finally:
            response.close()


def get_bytes(path, headers=()):
    """A GET request line and header lines (bytes, sent as they are), closing the connection."""
    return request_bytes("GET", path, headers)


def request_bytes(method, path, headers=(), body=None):
    """A request with these header lines as given, a Content-Length for a body, closing the
    connection."""
    lines = [_bytes(method) + b" " + _bytes(path) + b" HTTP/1.1", b"Host: 127.0.0.1"]
    lines += [_bytes(line) for line in headers]
    if body is not None:
        lines.append(b"Content-Length: " + str(len(_bytes(body))).encode())
    head = b"\r\n".join(lines + [b"Connection: close", b"", b""])
    return head + (_bytes(body) if body is not None else b"")


def _bytes(value):
    return value if isinstance(value, bytes) else value.encode("utf-8")


def echo_of(body):
    """The backend's JSON echo, or None when the body is not one (an httpd error page)."""
    try:
        echo = json.loads(body)
    except ValueError:
        return None
    return echo if isinstance(echo, dict) and "instance" in echo else None


class HostileTestCase(ZduTestCase):
    _ids = itertools.count()  # session ids of check_cases

    def start_two_clusters(self, **httpd_opts):
        """httpd with c1 and c2 (see above); returns it with the child pids it started with.
        self.backends: {instance name: Backend}."""
        app = self.start_backends(("1.0",) * 4, prefix="a")
        other = self.start_backends(("1.0",) * 2, prefix="o")
        clusters = [cluster_of(app, "c1", "/app", C1_ATTRS, web_module={"stale_session":
                                                                        "failover"}),
                    cluster_of(other, "c2", "/other", [{"route": "ro1"}, {}])]
        httpd = self.start_httpd(loadbalancer_xml(clusters), **httpd_opts)
        self.backends = {b.instance: b for b in app + other}
        return httpd, set(httpd.child_pids())

    def route_of(self, httpd, context_root, instance, attempts=8):
        """The JROUTE value mod_zdu gives sessions of `instance` (new sessions round-robin)."""
        for _ in range(attempts):
            status, headers, body = raw_request(httpd.port, get_bytes(context_root + "/login"))
            self.assertEqual(status, 200, body)
            if echo_of(body)["instance"] == instance:
                routes = [v.split(";", 1)[0][len("JROUTE="):] for k, v in headers
                          if k.lower() == "set-cookie" and v.startswith("JROUTE=")]
                self.assertEqual(len(routes), 1, headers)
                return routes[0]
        self.fail(f"no new session of {context_root} went to {instance}")

    def assertServedWithin(self, status, body, allowed, what):
        """A 200 from an instance in `allowed`; returns the backend's echo."""
        self.assertEqual(status, 200, f"{what}: {status} {body[:300]!r}")
        echo = echo_of(body)
        self.assertIsNotNone(echo, f"{what}: {body[:300]!r}")
        self.assertIn(echo["instance"], allowed, what)
        return echo

    def check_cases(self, httpd, cases, request):
        """cases: (value, expected outcome, see assertOutcome); request(value) gives the path and
        the header lines to send. Each "{id}" in a value becomes a session id of its own, so no
        case finds a binding an earlier one left in the session table. A case expecting one
        instance runs three times: new sessions alternate over a1 and a2, so a route that is not
        honoured cannot reach the expected instance every time by chance."""
        for value, expected in cases:
            for _ in range(3 if isinstance(expected, str) else 1):
                sent = value.replace(b"{id}", f"S{next(self._ids)}".encode())
                with self.subTest(value=sent[:60]):
                    path, headers = request(sent)
                    self.assertOutcome(httpd, path, headers, expected)

    def assertOutcome(self, httpd, path, headers, expected):
        """One raw GET. expected: an instance name or a set of the instances that may serve it
        (with a 200), or the status httpd itself answers with (a 4xx). Whatever it is, the
        response never sets a JROUTE other than one of c1's routes, nor has an INJECTED header.
        Returns the echo (None for httpd's own answer)."""
        what = repr(b" ".join([_bytes(path)[:60]] + [_bytes(h)[:60] for h in headers]))
        status, response_headers, body = raw_request(httpd.port, get_bytes(path, headers))
        if isinstance(expected, int):
            self.assertEqual(status, expected, f"{what}: {body[:300]!r}")
            echo = None
        else:
            allowed = {expected} if isinstance(expected, str) else expected
            echo = self.assertServedWithin(status, body, allowed, what)
        for name, value in response_headers:
            self.assertNotEqual(name.lower(), INJECTED.lower(), f"{what}: injected")
            if name.lower() == "set-cookie" and value.startswith("JROUTE="):
                route = value[len("JROUTE="):].split(";", 1)[0]
                self.assertIn(route, set(C1_ROUTES.values()) | {""}, f"{what}: {value}")
        return echo

    def assertNoChildCrashed(self, httpd, pids_before):
        """No child died (the first children are all still there, none was replaced) and httpd
        still answers."""
        log = httpd.error_log()
        for marker in CRASH_MARKERS:
            self.assertNotIn(marker, log, f"the error log says {marker!r}")
        self.assertTrue(httpd.running(), "httpd is gone")
        self.assertLessEqual(pids_before, set(httpd.child_pids()), "a child was replaced")
        self.assertTrue(httpd.answers(), "httpd does not answer")
