"""Cookie values in quotes with a ',' inside (RFC 6265 allows none, but app servers set such
session ids), on one Cookie line or two that httpd joins with ", " (real httpd, raw requests):
the quotes hold the value together, so its Tomcat .route is honoured, a JROUTE inside another
cookie's quoted value is no cookie, and nothing is routed outside the request's cluster."""
import unittest

from hostile_common import C1, C1_TAKING_NEW, HostileTestCase

NEW = C1_TAKING_NEW


class QuotedCookieValues(HostileTestCase):
    def check(self, httpd, cases):
        self.check_cases(httpd, cases,
                         lambda lines: ("/app/page", [b"Cookie: " + c for c in lines.split(b"\n")]))

    def test_a_comma_in_a_quoted_value_stays_in_it(self):
        httpd, pids = self.start_two_clusters()
        self.check(httpd, [
            (b'JSESSIONID="{id},x.ra2"', "a2"),
            (b'JSESSIONID="{id}, x.ra1"; other=1', "a1"),
            (b'other=1\nJSESSIONID="{id},x.ra2"', "a2"),  # two lines, joined by httpd
            (b'x="1,JROUTE=ro1,"; JROUTE=ra2', "a2"),  # the quoted JROUTE is no cookie
            (b'x="1,JROUTE=ro1,"\nJROUTE=ra1', "a1"),
            (b'x="1,JROUTE=ra1,"; JSESSIONID={id}', NEW),
            (b'JSESSIONID="{id},x.ro1"; JROUTE=ra4', C1 - {"a4"}),
            (b'JSESSIONID="{id},x.ro1"', NEW),  # c2's route, quoted or not, names nothing here
            (b'JSESSIONID="{id}, JROUTE=ro1', NEW),  # a quote left open
            (b'JSESSIONID={id}.ra1; Expires=Thu, 01 Jan 2026 00:00:00 GMT; Path=/', "a1"),
        ])
        self.assertNoChildCrashed(httpd, pids)


if __name__ == "__main__":
    unittest.main()
