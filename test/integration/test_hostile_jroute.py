"""Forged JROUTE cookies (real httpd, raw requests): empty, huge, encoded, with path-like or
control bytes, unicode, repeated, naming a disabled or quiesced instance or one of another
cluster. None is routed outside the request's cluster or to an instance that may not take it,
none gets a 5xx, none is echoed back in a Set-Cookie, and no child crashes."""
import unittest

from hostile_common import C1_TAKING_NEW, HostileTestCase

FIELD_LIMIT = 8190  # httpd's LimitRequestFieldSize: a header line up to this is read
OVER_LIMIT = FIELD_LIMIT + 10  # (httpd's own count is off by one or two: well clear of it)
PREFIX = b"Cookie: JROUTE="


def cookie_line_of_length(length, route=b""):
    """A Cookie line of exactly `length` bytes whose JROUTE is `route` followed by filler."""
    filler = length - len(PREFIX) - len(route)
    return PREFIX + route + b"x" * filler


class ForgedJroute(HostileTestCase):
    def test_forged_jroute_values_stay_in_the_cluster(self):
        httpd, pids = self.start_two_clusters()
        derived = self.route_of(httpd, "/other", "o2").encode()
        new = C1_TAKING_NEW  # a route that names nothing of c1 is a new session
        cases = [
            (b"JROUTE=", new),
            (b"JROUTE=ro1", new),  # c2's explicit route
            (b"JROUTE=" + derived, new),  # c2's derived route
            (b"JROUTE=o1", new),  # an instance name of c2
            (b"JROUTE=ra3", new),  # disabled: a route alone starts no session there
            (b"JROUTE=ra4", new),  # quiesced
            (b"JROUTE=ra1", "a1"),  # the control: a route of c1 is honoured
            (b"JROUTE=%00ra1", new), (b"JROUTE=ra1%00", new), (b"JROUTE=%72a1", new),
            (b"JROUTE=../ro1", new), (b"JROUTE=ro1/..", new), (b"JROUTE=/ro1", new),
            (b"JROUTE=..", new), (b"JROUTE=../../../etc/passwd", new), (b"JROUTE=ra1/", new),
            (b'JROUTE="ro1"', new), (b'JROUTE=""', new), (b'JROUTE="', new),
            (b'JROUTE="ra2"', "a2"),
            (b"JROUTE=r\xc3\xb61", new), (b"JROUTE=\xe2\x82\xac", new), (b"JROUTE=\xff\xfe", new),
            (b"JROUTE=ro1; " * 300, new),  # many of the same name: the first counts
            (b"JROUTE=ra2; " + b"JROUTE=ro1; " * 300, "a2"),
            (b"JROUTE=ro1; JROUTE=ra1", new),
            (b"JROUTE==ra1", new), (b"JROUTE; JROUTE ; =ra1", new),
            (b"JROUTE=ra1\x00", 400), (b"JROUTE=r\x01a1", 400), (b"JROUTE=\x7f", 400),
            (b"JROUTE=ra1\rSet-Cookie: JROUTE=ro1", 400),  # a bare CR is not a line end
        ]
        self.check_cases(httpd, cases, lambda cookie: ("/app/page", [b"Cookie: " + cookie]))
        self.assertNoChildCrashed(httpd, pids)

    def test_line_breaks_after_a_jroute_end_it_or_are_refused(self):
        httpd, pids = self.start_two_clusters()
        new = C1_TAKING_NEW
        for lines, expected in (
                ([b"Cookie: JROUTE=ra1", b"X-Injected: 1"], "a1"),  # CRLF: a header of its own
                ([b"Cookie: JROUTE=ra1\nX-Injected: 1"], 400),  # a bare LF inside: refused
                ([b"Cookie: JROUTE=ra1", b" JROUTE=ro1"], new),  # obs-fold: "ra1 JROUTE=ro1"
                ([b"Cookie: JROUTE=ro1", b"\tJROUTE=ra1"], new)):
            for _ in range(3 if expected == "a1" else 1):
                with self.subTest(lines=lines):
                    self.assertOutcome(httpd, "/app/page", lines, expected)
        self.assertNoChildCrashed(httpd, pids)

    def test_huge_jroute_just_under_and_over_the_field_limit(self):
        httpd, pids = self.start_two_clusters()
        cases = []
        for route, expected in ((b"", C1_TAKING_NEW), (b"ro1", C1_TAKING_NEW), (b"ra2;", "a2")):
            cases += [(cookie_line_of_length(FIELD_LIMIT, route), expected),
                      (cookie_line_of_length(OVER_LIMIT, route), 400)]
        self.check_cases(httpd, cases, lambda line: ("/app/page", [line]))
        # Long lines that httpd joins (to less than the limit): the route on the last counts.
        lines = [b"Cookie: a=" + b"y" * 2500] * 3 + [b"Cookie: JROUTE=ra2"]
        for _ in range(3):
            self.assertOutcome(httpd, "/app/page", lines, "a2")
        self.assertNoChildCrashed(httpd, pids)


if __name__ == "__main__":
    unittest.main()
