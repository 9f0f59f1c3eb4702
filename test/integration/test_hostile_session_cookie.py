"""Forged session cookies (JSESSIONID with and without a Tomcat .route or WebSphere :clone
suffix) and JREPLICA cookies (real httpd, raw requests): none is routed outside the request's
cluster or to a quiesced instance, none gets a 5xx, and no child crashes."""
import unittest

from hostile_common import C1, C1_TAKING_NEW, HostileTestCase

NEW = C1_TAKING_NEW  # a session id naming nothing of c1 starts a new session
MOVED = C1 - {"a4"}  # a4 is quiesced: its sessions move, to any instance of c1 that serves


class ForgedSessionCookies(HostileTestCase):
    def check(self, httpd, cases):
        self.check_cases(httpd, cases, lambda cookie: ("/app/page", [b"Cookie: " + cookie]))

    def test_forged_session_ids_stay_in_the_cluster(self):
        httpd, pids = self.start_two_clusters()
        derived = self.route_of(httpd, "/other", "o2").encode()
        self.check(httpd, [
            (b"JSESSIONID=", NEW), (b"JSESSIONID={id}.ro1", NEW),
            (b"JSESSIONID={id}." + derived, NEW), (b"JSESSIONID=0000{id}:ro1:ro2", NEW),
            (b"JSESSIONID={id}.o1", NEW),
            (b"JSESSIONID={id}.ra4", MOVED), (b"JSESSIONID=0000{id}:ra4", MOVED),
            (b"JSESSIONID={id}.ra3", "a3"),  # disabled, not yet quiesced: keeps its sessions
            (b"JSESSIONID={id}.ra1", "a1"), (b"JSESSIONID=0000{id}:ro1:ra2", "a2"),
            (b"JSESSIONID=.", NEW), (b"JSESSIONID=..", NEW), (b"JSESSIONID=:", NEW),
            (b"JSESSIONID=:::", NEW), (b"JSESSIONID={id}.", NEW), (b"JSESSIONID={id}:", NEW),
            (b"JSESSIONID={id}.ra1.", NEW), (b"JSESSIONID={id}.%72a1", NEW),
            (b"JSESSIONID={id}/../ro1", NEW), (b"JSESSIONID={id}.ra1/../ro1", NEW),
            (b"JSESSIONID={id}%00.ra1", "a1"), (b"JSESSIONID={id}\xc3\xa9.ra2", "a2"),
            (b"JSESSIONID={id}.r\xc3\xa92", NEW), (b'JSESSIONID="{id}.ra2"', "a2"),
            (b"JSESSIONID={id}.ro1; " * 300 + b"JSESSIONID={id}.ra1", NEW),  # the first counts
            (b"JROUTE=ro1; JSESSIONID={id}.ra2", "a2"), (b"JROUTE=ra4; JSESSIONID={id}", MOVED),
            (b"JSESSIONID={id}\x00.ra1", 400), (b"JSESSIONID={id}\x1b.ra1", 400),
        ])
        self.assertNoChildCrashed(httpd, pids)

    def test_huge_session_ids_and_suffix_lists(self):
        httpd, pids = self.start_two_clusters()
        self.check(httpd, [
            (b"JSESSIONID={id}" + b"x" * 8140 + b".ra2", "a2"),  # a line just under the limit
            (b"JSESSIONID={id}" + b"x" * 8200 + b".ra2", 400),  # and over it
            (b"JSESSIONID=" + b"." * 8150, NEW), (b"JSESSIONID=" + b":" * 8150, NEW),
            (b"JSESSIONID={id}" + b":ro1" * 1500, NEW),  # 1,500 clone ids, none of c1
            (b"JSESSIONID={id}" + b":ro1" * 1500 + b":ra1", "a1"),
            (b"JSESSIONID={id}" + b":" * 4000 + b"ra2", "a2"),
        ])
        self.assertNoChildCrashed(httpd, pids)

    def test_forged_replicas_stay_in_the_cluster(self):
        # The replica counts only for a session whose home cannot serve it: a4's.
        httpd, pids = self.start_two_clusters()
        home = b"JSESSIONID={id}.ra4; "
        self.check(httpd, [
            (home + b"JREPLICA=o1", MOVED), (home + b"JREPLICA=ro1", MOVED),
            (home + b"JREPLICA=a4", MOVED), (home + b"JREPLICA=ra4", MOVED),
            (home + b"JREPLICA=", MOVED), (home + b"JREPLICA=../o1", MOVED),
            (home + b"JREPLICA=a2/..", MOVED), (home + b"JREPLICA=%61%32", MOVED),
            (home + b"JREPLICA=" + b"a2" * 4000, MOVED), (home + b"JREPLICA=\xc3\xa92", MOVED),
            (home + b"JREPLICA=a2", "a2"), (home + b"JREPLICA=ra1", "a1"),  # the controls
            (home + b"JREPLICA=a2; JREPLICA=o1", "a2"), (home + b"JREPLICA=o1; JREPLICA=a2", MOVED),
            (b"JREPLICA=o1", NEW), (b"JREPLICA=a2", NEW),  # no session: nothing to replicate
        ])
        self.assertNoChildCrashed(httpd, pids)


if __name__ == "__main__":
    unittest.main()
