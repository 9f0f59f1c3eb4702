"""Status and session counts: the live-session count of each instance equals the test's own
count, in every httpd child; the session bindings and the counts survive `apachectl graceful`
and reloads under load; `SetHandler zdu-status` answers the same JSON document as the
manager's cmd=status (read-only, access left to Require); each request's instance and version
are request notes for LogFormat; a full table still routes and keeps returning sessions."""
import collections
import threading
import time
import unittest

from harness import Client, process
from harness.users import Users
from upgrade_common import SLACK, SWEEP, UpgradeTestCase

STATUS_CONF = "<Location /zdu-status>\n    SetHandler zdu-status\n    Require all granted\n" \
              "</Location>\n"
# Relative to ServerRoot: the test's temp dir.
NOTES_CONF = ('LogFormat "%U %{zdu-instance}n %{zdu-version}n" zdunotes\n'
              'CustomLog notes.log zdunotes\n')
CLUSTER_KEYS = {"active_version", "canary", "generation", "stale_sessions", "session_overflow"}
INSTANCE_KEYS = {"version", "state", "live_sessions", "untracked_sessions",
                 "sessions_created_while_draining", "sessions_ended", "sessions_expired",
                 "long_lived", "drained_since_ms", "draining_since_ms",
                 # today's keys stay
                 "admin_state", "healthy", "counters", "busy"}
TABLE_KEYS = {"capacity", "used", "bytes", "overflow", "evicted"}


def logins(httpd, count, threads=6):
    """`count` browsers with a session each, logged in concurrently (so over every child):
    [(client, home)]."""
    out, lock = [], threading.Lock()

    def run(n):
        for _ in range(n):
            client = Client(httpd.base_url)
            response = client.get("/app/login")
            assert response.status == 200, response.text
            with lock:
                out.append((client, response.json()["instance"]))

    workers = [threading.Thread(target=run, args=(count // threads + (k < count % threads),))
               for k in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return out


class LiveCounts(UpgradeTestCase):
    def start_counted(self, conf=""):
        self.backends = self.start_backends(("1.0",) * 3)
        self.start_upgrade([(b, {}) for b in self.backends], conf=conf)
        self.addCleanup(lambda: [c.close() for c, _ in getattr(self, "held", [])])

    def expected(self, held):
        counts = collections.Counter(home for _, home in held)
        return {b.instance: counts.get(b.instance, 0) for b in self.backends}

    def assertEveryChildCounts(self, expected):
        self.wait_live(expected)
        for pid, status in self.manager.status_of_every_child().items():
            counts = {i["name"]: i["live_sessions"] for i in self.cluster_status(status)
                      ["instances"]}
            self.assertEqual(counts, expected, f"child {pid}")
            untracked = {i["name"]: i["untracked_sessions"]
                         for i in self.cluster_status(status)["instances"]}
            self.assertEqual(set(untracked.values()), {0}, f"child {pid}")

    def assertBound(self, held):
        """Every held session reaches its home from the table alone: no route cookie, and
        the backend's ids carry no route suffix."""
        for client, home in held:
            client.jar.pop("JROUTE", None)
            self.assertServedBy(client.get("/app/page"), home)

    def test_live_sessions_equal_the_tests_count_in_every_child(self):
        self.start_counted()
        self.held = logins(self.httpd, 30)
        self.assertEveryChildCounts(self.expected(self.held))
        for client, _ in self.held[:10]:
            client.get("/app/logout")
        self.assertEveryChildCounts(self.expected(self.held[10:]))
        table = self.manager.status()["session_table"]
        self.assertGreaterEqual(table["used"], 20)
        self.assertEqual(table["overflow"], 0)

    def test_bindings_and_counts_survive_graceful_and_reloads_under_load(self):
        self.start_counted()
        self.held = logins(self.httpd, 30)
        expected = self.expected(self.held)
        self.assertEveryChildCounts(expected)
        users = Users(self.httpd.base_url, 60, pages=4, think=0.05).start()
        try:
            for k in range(5):
                self.rewrite([(b, {"weight": 1 + (k + n) % 3})
                              for n, b in enumerate(self.backends)])
                time.sleep(0.3)
            self.httpd.graceful()
            time.sleep(1.0)
            self.rewrite([(b, {}) for b in self.backends])
            time.sleep(0.5)
        finally:
            result = users.stop()
        self.assertEqual(result.failures, [], result.summary())
        self.assertEqual(result.violations(), [])
        self.assertBound(self.held)
        self.assertEveryChildCounts(expected)

    def test_table_routing_and_counts_survive_a_graceful_restart_without_load(self):
        self.start_counted()
        self.held = logins(self.httpd, 12)
        self.httpd.graceful()
        self.assertBound(self.held)
        self.assertEveryChildCounts(self.expected(self.held))


class StatusDocument(UpgradeTestCase):
    def start_status(self, location=STATUS_CONF):
        self.backends = self.start_backends(("1.0", "2.0"))
        # authz_host: for the Require ip of the access test.
        self.start_upgrade([(b, {}) for b in self.backends],
                           conf=location + "ZduSessionSlots 4096\n",
                           extra_modules=("authz_host",))

    def test_zdu_status_json_is_the_cmd_status_document_with_the_upgrade_keys(self):
        self.start_status()
        self.login(self.client(self.httpd))
        self.wait_state("i1", "drained", SWEEP + 2 * SLACK)  # v1 without a session
        self.wait_live({"i2": 1})  # a sweep has counted the session
        response = self.client(self.httpd).get("/zdu-status?json")
        self.assertEqual(response.status, 200, response.text)
        self.assertIn("json", response.header("Content-Type", ""))
        document = response.json()
        managed = self.manager.status()
        self.assertEqual(set(document) - {"command", "ok", "pid", "ms"},
                         set(managed) - {"command", "ok", "pid", "ms"}, "one document")
        cluster = self.cluster_status(document)
        self.assertLessEqual(CLUSTER_KEYS, set(cluster), set(cluster))
        self.assertEqual(cluster["canary"], None)
        self.assertEqual(cluster["active_version"], "2.0")
        for instance in cluster["instances"]:
            self.assertLessEqual(INSTANCE_KEYS, set(instance), set(instance))
        states = {i["name"]: (i["version"], i["state"]) for i in cluster["instances"]}
        self.assertEqual(states, {"i1": ("1.0", "drained"), "i2": ("2.0", "active")})
        self.assertEqual(self.instances(document)["i2"]["live_sessions"], 1)
        self.assertLessEqual(TABLE_KEYS, set(document["session_table"]))
        self.assertGreaterEqual(document["session_table"]["capacity"], 4096)
        self.assertGreater(document["session_table"]["bytes"], 0)

    def test_zdu_status_is_read_only(self):
        self.start_status()
        for query in ("json&cmd=disable-instance&instance=i2", "cmd=reload"):
            for method in ("GET", "POST"):
                self.client(self.httpd).request(method, f"/zdu-status?{query}")
        self.assertEqual({i["admin_state"] for i in self.instances().values()}, {"active"})
        self.assertEqual(self.generation(), 1)

    def test_access_is_left_to_require(self):
        self.start_status(location="<Location /zdu-status>\n    SetHandler zdu-status\n"
                                   "    Require ip 10.255.255.1\n</Location>\n")
        self.assertEqual(self.client(self.httpd).get("/zdu-status?json").status, 403)

    def test_request_notes_name_the_instance_and_version_for_logformat(self):
        self.backends = self.start_backends(("1.0", "2.0"))
        self.start_upgrade([(b, {"enabled": "false"} if b.version == "2.0" else {})
                            for b in self.backends], conf=NOTES_CONF)
        root = self.httpd.root
        client = self.client(self.httpd)
        self.login(client)
        client.get("/app/page")
        client.get("/static/hello.txt")  # not proxied: no notes
        self.httpd.stop()  # flushes the log
        lines = (root / "notes.log").read_text().splitlines()
        self.assertIn("/app/login i1 1.0", lines)
        self.assertIn("/app/page i1 1.0", lines)
        self.assertIn("/static/hello.txt - -", lines)


class FullTable(UpgradeTestCase):
    SLOTS = 1024  # the smallest ZduSessionSlots

    def start_small(self):
        backends = self.start_backends(("1.0",) * 2)
        self.start_upgrade([(b, {}) for b in backends], conf=f"ZduSessionSlots {self.SLOTS}\n")
        return self.manager.status()["session_table"]["capacity"]

    def returning(self, count):
        """`count` sessions seen twice: [(client, home)]."""
        held = logins(self.httpd, count)
        self.addCleanup(lambda: [c.close() for c, _ in held])
        # A session is touched at most once a second: the next request makes it returning. Two
        # rounds, since a session an insert pushed out comes back untracked, seen once.
        for _ in range(2):
            time.sleep(1.1)
            for client, home in held:
                self.assertServedBy(client.get("/app/page"), home)
        return held

    def test_one_shot_sessions_push_out_seen_once_ones_not_returning_ones(self):
        capacity = self.start_small()
        returning = self.returning(40)
        one_shot = self.client(self.httpd)
        for _ in range(2 * capacity + 100):
            one_shot.jar.clear()
            self.assertEqual(one_shot.get("/app/login").status, 200)
        table = self.manager.status()["session_table"]
        self.assertGreater(table["evicted"], 0, table)
        for client, home in returning:
            client.jar.pop("JROUTE", None)
            self.assertServedBy(client.get("/app/page"), home,
                                "returning sessions were not pushed out by one-shot ones")

    def test_a_table_full_of_returning_sessions_still_routes_counts_and_logs_once(self):
        capacity = self.start_small()
        held = self.returning(capacity + 50)
        extra = logins(self.httpd, 20)  # no room left without evicting a returning session
        self.addCleanup(lambda: [c.close() for c, _ in extra])
        status = self.manager.status()
        self.assertGreater(status["session_table"]["overflow"], 0, status["session_table"])
        self.assertEqual(self.cluster_status(status)["session_overflow"],
                         status["session_table"]["overflow"])
        for client, home in held[-20:] + extra:
            self.assertServedBy(client.get("/app/page"), home, "routed by the route cookie")
        self.assertEqual(self.httpd.error_log().count("ZDU0140"), 1, "the overflow logged once")
        self.assertTrue(process.wait_until(
            lambda: sum(i["untracked_sessions"] for i in self.instances().values()) > 0,
            SWEEP + 2 * SLACK, interval=0.1),
            "sessions not stored count as untracked on their instance")

if __name__ == "__main__":
    unittest.main()
