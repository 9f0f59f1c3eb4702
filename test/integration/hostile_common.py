"""What the test_hostile_* files share: two clusters whose route ids a client may forge, raw
requests for what http.client refuses to send, and the check that no child crashed.

These tests also run against a sanitizer build of mod_zdu (httpd started with the ASan runtime
preloaded): nothing here depends on timing or on exact memory figures."""
import http.client
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
C2 = frozenset({"o1", "o2"})
# Whatever a sanitizer or the kernel says when a child dies, as httpd's error log shows it.
CRASH_MARKERS = ("exit signal", "Segmentation fault", "AddressSanitizer",
                 "UndefinedBehaviorSanitizer", "runtime error:", "stack smashing")


def raw_request(port, data, timeout=30):
    """Sends bytes exactly as given and returns (status, [(name, value)], body); status 0 when
    httpd closed the connection without an answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        response = http.client.HTTPResponse(s)
        try:
            response.begin()
            return response.status, response.getheaders(), response.read()
        except (http.client.HTTPException, ConnectionError):
            return 0, [], b""
        finally:
            response.close()


def get_bytes(path, headers=(), host=b"127.0.0.1"):
    """A GET request line and header lines (bytes, sent as they are), closing the connection."""
    lines = [b"GET " + _bytes(path) + b" HTTP/1.1", b"Host: " + host]
    lines += [_bytes(line) for line in headers]
    return b"\r\n".join(lines + [b"Connection: close", b"", b""])


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
    def start_two_clusters(self, **httpd_opts):
        """httpd with c1 and c2 (see above); returns it with the child pids it started with."""
        app = self.start_backends(("1.0",) * 4, prefix="a")
        other = self.start_backends(("1.0",) * 2, prefix="o")
        clusters = [cluster_of(app, "c1", "/app", C1_ATTRS, web_module={"stale_session":
                                                                        "failover"}),
                    cluster_of(other, "c2", "/other", [{"route": "ro1"}, {}])]
        httpd = self.start_httpd(loadbalancer_xml(clusters), **httpd_opts)
        return httpd, set(httpd.child_pids())

    def assertServedWithin(self, status, body, allowed, what):
        """A routed answer from an instance in `allowed`, or httpd's own 4xx: never a 5xx, never
        an instance outside `allowed`."""
        self.assertLess(status, 500, f"{what}: {status} {body[:300]!r}")
        self.assertNotEqual(status, 0, f"{what}: no answer")
        echo = echo_of(body)
        if status == 200 or echo is not None:
            self.assertIsNotNone(echo, f"{what}: {status} {body[:300]!r}")
            self.assertIn(echo["instance"], allowed, what)
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
