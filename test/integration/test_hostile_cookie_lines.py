"""A client may send its cookies on several Cookie lines; httpd merges them into one header
joined by ", " (RFC 6265 cookie values hold no comma). The route in a later line is honoured as
if it had come in the first (real httpd, raw requests: http.client would send one line)."""
import unittest

from hostile_common import C1, HostileTestCase, get_bytes, raw_request

REQUESTS = 6  # per case: round-robin over a1, a2 would put half of them elsewhere


class TwoCookieLines(HostileTestCase):
    def served(self, httpd, cookie_lines):
        homes = []
        for _ in range(REQUESTS):
            status, _, body = raw_request(
                httpd.port, get_bytes("/app/page", [f"Cookie: {c}" for c in cookie_lines]))
            echo = self.assertServedWithin(status, body, C1, repr(cookie_lines))
            homes.append(echo["instance"])
        return homes

    def test_a_route_on_a_later_cookie_line_is_honoured(self):
        httpd, pids = self.start_two_clusters()
        cases = {
            ("a=1", "JROUTE=ra2"): "a2",
            ("a=1; b=2", "c=3", "JROUTE=ra1"): "a1",
            ("a=1", "JSESSIONID=s1.ra2"): "a2",  # the Tomcat suffix of a later session cookie
            ("JSESSIONID=s2", "JROUTE=ra1"): "a1",
            ("a=1, JROUTE=ra2",): "a2",  # as an upstream proxy that merged the lines sends it
            ("JROUTE=ra2", "JROUTE=ra1"): "a2",  # the first JROUTE still wins
        }
        for lines, home in cases.items():
            with self.subTest(lines=lines):
                self.assertEqual(self.served(httpd, lines), [home] * REQUESTS)
        self.assertNoChildCrashed(httpd, pids)


if __name__ == "__main__":
    unittest.main()
