"""Forged ;jsessionid= path parameters, with a GlassFish :route or a Tomcat .jvmRoute suffix or
none (real httpd, raw request lines): none is routed outside the request's cluster or to a
quiesced instance, none gets a 5xx, and no child crashes. A route of the cluster itself is
honoured in either form, so the refusals are of the forged part alone."""
import unittest

from hostile_common import C1, C1_TAKING_NEW, HostileTestCase

NEW = C1_TAKING_NEW
MOVED = C1 - {"a4"}


class ForgedPathParameters(HostileTestCase):
    def check(self, httpd, cases):
        self.check_cases(httpd, cases, lambda path: (path, [b"Cookie: other=1"]))

    def test_forged_jsessionid_parameters_stay_in_the_cluster(self):
        httpd, pids = self.start_two_clusters()
        derived = self.route_of(httpd, "/other", "o2").encode()
        self.check(httpd, [
            (b"/app/x;jsessionid=", NEW), (b"/app/x;jsessionid={id}", NEW),
            (b"/app/x;jsessionid={id}:ro1", NEW), (b"/app/x;jsessionid={id}:" + derived, NEW),
            (b"/app/x;jsessionid={id}.ro1", NEW), (b"/app/x;jsessionid={id}." + derived, NEW),
            (b"/app/x;jsessionid={id}:o1", NEW), (b"/app/x;jsessionid=:ro1", NEW),
            (b"/app/x;jsessionid=:", NEW), (b"/app/x;jsessionid=::::", NEW),
            (b"/app/x;jsessionid=.", NEW), (b"/app/x;jsessionid={id}:ra1:", NEW),
            (b"/app/x;jsessionid={id}:ra4", MOVED), (b"/app/x;jsessionid={id}.ra4", MOVED),
            (b"/app/x;jsessionid={id}:ra3", "a3"),  # disabled, not yet quiesced
            (b"/app/x;jsessionid={id}:ra1", "a1"), (b"/app/x;JSESSIONID={id}:ra2", "a2"),
            (b"/app/x;jsessionid={id}.ra2", "a2"), (b"/app/x;jsessionid={id}.ra1/y", "a1"),
            (b"/app/x;jsessionid={id}%3Aro1", NEW), (b"/app/x;jsessionid={id}:r%C3%B61", NEW),
            (b"/app/x;jsessionid={id}:ro1;jsessionid={id}:ra1", NEW),  # the first counts
            (b"/app/x" + b";jsessionid={id}:ro1" * 300, NEW),
            (b"/app/x;jsessionid={id}:ra1?q=;jsessionid=s:ro1", "a1"),
            (b"/app/x?;jsessionid={id}:ra1", NEW),  # the query is not the path
            (b"/app/\xc3\xa9;jsessionid={id}:r\xc3\xb61", NEW),
            (b"/app/\xc3\xa9;jsessionid={id}:ra2", "a2"),
            (b"/app/x;jsessionid={id}:ro1/../y", NEW),  # httpd merges the dot segment
            (b"/app/x;jsessionid={id}%00:ra1", 404),  # httpd: %00 and %2F never decode
            (b"/app/x;jsessionid={id}%2F:ra1", 404),
            (b"/app/..;jsessionid={id}:ra1/y", 400),  # a segment that is .. without its params
            (b"/app/x;jsessionid={id} :ra1", 400),
        ])
        self.assertNoChildCrashed(httpd, pids)


if __name__ == "__main__":
    unittest.main()
