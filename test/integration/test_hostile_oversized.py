"""Request lines and cookies around and over httpd's limits (LimitRequestLine and
LimitRequestFieldSize, 8190; LimitRequestFields, 100) get from mod_zdu the status a plain httpd
proxying the same path gives, never a 5xx, and the next ordinary request is routed as before
(real httpd, raw requests)."""
import unittest

from harness import cluster_of, loadbalancer_xml
from hostile_common import HostileTestCase, echo_of, get_bytes, raw_request

LIMIT = 8190
ROUTES = [{"route": "r1"}, {"route": "r2"}]


def path_of(length, start=b"/app/"):
    return start + b"p" * (length - len(start))


def cookie_line(length):
    return b"Cookie: JROUTE=r2; a=" + b"y" * (length - len(b"Cookie: JROUTE=r2; a="))


CASES = {
    "path under the limit": (path_of(LIMIT - 200), []),
    "path over the limit": (path_of(LIMIT + 100), []),
    "path of 100 KiB": (path_of(100 * 1024), []),
    "query over the limit": (b"/app/x?q=" + b"q" * (LIMIT + 100), []),
    "jsessionid over the limit": (b"/app/x;jsessionid=" + b"s" * (LIMIT + 100) + b":r2", []),
    "cookie at the limit": (b"/app/x", [cookie_line(LIMIT)]),
    "cookie over the limit": (b"/app/x", [cookie_line(LIMIT + 100)]),
    "cookie of 100 KiB": (b"/app/x", [cookie_line(100 * 1024)]),
    "cookie lines joined over the limit": (b"/app/x", [cookie_line(4000)] * 3),
    "1,600 cookies in a line": (b"/app/x", [b"Cookie: " + b"a=1; " * 1600 + b"JROUTE=r2"]),
    "100 header lines": (b"/app/x", [f"X-H{n}: 1".encode() for n in range(100)]),
    "101 header lines": (b"/app/x", [f"X-H{n}: 1".encode() for n in range(101)]),
}


class Oversized(HostileTestCase):
    def test_answers_as_plain_httpd_does_and_routing_goes_on(self):
        backends = self.start_backends(("1.0", "1.0"))
        zdu = self.start_httpd(loadbalancer_xml([cluster_of(backends, instance_attrs=ROUTES)]))
        pids = set(zdu.child_pids())
        plain = self.start_httpd(zdu=False, extra_conf=f"ProxyPass /app {backends[1].url}/app\n")
        statuses = set()
        for name, (path, headers) in CASES.items():
            with self.subTest(name):
                expected, _, _ = raw_request(plain.port, get_bytes(path, headers))
                status, _, body = raw_request(zdu.port, get_bytes(path, headers))
                self.assertEqual(status, expected, body[:300])
                self.assertLess(status, 500)
                statuses.add(status)
                for _ in range(2):
                    status, _, body = raw_request(zdu.port, get_bytes(
                        "/app/next", [b"Cookie: JROUTE=r2"]))
                    self.assertEqual(status, 200, body[:300])
                    self.assertEqual(echo_of(body)["instance"], "i2", "routed as before")
        self.assertEqual(statuses, {200, 400, 414}, "the cases reach each of httpd's answers")
        self.assertNoChildCrashed(zdu, pids)


if __name__ == "__main__":
    unittest.main()
