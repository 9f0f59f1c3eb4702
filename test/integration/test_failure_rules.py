"""Proportional failure handling (real httpd, event MPM, 3 children, real backends): a slow
request is not a dead instance. Timeouts and proxy-made 5xx count toward
zdu-passive-failures-in-a-row; only idempotent-url-patterns are retried after a timeout; passive
detection never takes out the last healthy instances (fail open); connect timeout and
connection ttl on the workers."""
import concurrent.futures
import http.client
import re
import socket
import threading
import time
import unittest

from harness import ZduTestCase
from harness.xml import loadbalancer_xml

TIMEOUT_1S = {"response-timeout-in-seconds": 1}


class FailureRulesTestCase(ZduTestCase):
    def start_three(self, properties=None, web_module=None, backend_opts=None):
        props = dict(TIMEOUT_1S, **(properties or {}))
        return self.start_cluster(versions=("1.0", "1.0", "1.0"), properties=props,
                                  web_module=web_module, backend_opts=backend_opts)

    @staticmethod
    def log_lines(httpd, log_id):
        return [line for line in httpd.error_log().splitlines() if f"{log_id}: " in line]

    def unhealthy_instances(self, httpd):
        """Instances the log says were taken out (ZDU0014)."""
        return [re.search(r"instance (\S+) ", line).group(1)
                for line in self.log_lines(httpd, "ZDU0014")]

    def fresh_gets(self, httpd, path, count):
        """`count` requests, each from a new browser (no session: round-robin)."""
        return [self.client(httpd).fresh().get(path) for _ in range(count)]

    def concurrent_gets(self, httpd, path, count):
        with concurrent.futures.ThreadPoolExecutor(count) as pool:
            return list(pool.map(lambda _: self.client(httpd).fresh().get(path), range(count)))


class SlowRequest(FailureRulesTestCase):
    def test_one_slow_get_gets_504_and_takes_no_instance_out(self):
        httpd, backends = self.start_three()
        started = time.monotonic()
        response = self.client(httpd).fresh().get("/app/slow?ms=4000")
        self.assertEqual(response.status, 504, response.text)
        self.assertLess(time.monotonic() - started, 3.5, "one response timeout, no retries")
        after = self.fresh_gets(httpd, "/app/page", 9)
        self.assertEqual([r.status for r in after], [200] * 9)
        self.assertEqual({self.served_by(r) for r in after}, {"i1", "i2", "i3"})
        self.assertEqual(self.unhealthy_instances(httpd), [], "a slow request is no dead instance")
        self.assertTrue(self.log_lines(httpd, "ZDU0053"), "the log says why it was not retried")
        self.assertEqual(sum(b.stats()["requests"] for b in backends), 10, "sent only once")


class IdempotentTimeout(FailureRulesTestCase):
    def test_pattern_that_times_out_is_retried_exactly_once(self):
        httpd, backends = self.start_three(web_module={"idempotent": [("/report/*", 1)]})
        for b in backends:
            b.reset_stats()
        response = self.client(httpd).fresh().get("/app/report/slow?ms=3000")
        self.assertEqual(response.status, 504, response.text)
        counts = [b.stats()["requests"] for b in backends]
        self.assertEqual(sum(counts), 2, f"the first try and one retry: {counts}")
        self.assertEqual(max(counts), 1, "the retry went to another instance")
        self.assertEqual(len(self.log_lines(httpd, "ZDU0016")), 1, "one retry logged")
        self.assertEqual(self.unhealthy_instances(httpd), [])


class SlowUrlUnderLoad(FailureRulesTestCase):
    CLIENTS = 50
    MAX_REQUESTS_EACH = 400  # a bound; the fast clients stop when the slow ones are done
    SLOW_CLIENTS = 3
    SLOW_REQUESTS_EACH = 3

    def test_slow_url_on_every_instance_takes_none_out_under_load(self):
        httpd, backends = self.start_three()
        clients = [self.client(httpd).fresh() for _ in range(self.CLIENTS)]
        slow_done = threading.Event()

        def fast(client):
            statuses = []
            while not slow_done.is_set() and len(statuses) < self.MAX_REQUESTS_EACH:
                try:
                    statuses.append(client.get("/app/page").status)
                except (OSError, http.client.HTTPException) as e:
                    statuses.append(repr(e))
            return statuses

        def slow(client):
            return [client.get("/app/slow?ms=1500").status
                    for _ in range(self.SLOW_REQUESTS_EACH)]

        with concurrent.futures.ThreadPoolExecutor(self.CLIENTS + self.SLOW_CLIENTS) as pool:
            fast_runs = [pool.submit(fast, c) for c in clients]
            slow_runs = [pool.submit(slow, self.client(httpd).fresh())
                         for _ in range(self.SLOW_CLIENTS)]
            slow_statuses = [s for f in slow_runs for s in f.result()]
            slow_done.set()
            fast_statuses = [s for f in fast_runs for s in f.result()]

        failed = [s for s in fast_statuses if s != 200]
        self.assertEqual(failed, [], f"{len(failed)} of {len(fast_statuses)} other requests failed")
        self.assertGreaterEqual(len(fast_statuses), self.CLIENTS * 10, "it was under load")
        self.assertEqual(slow_statuses, [504] * self.SLOW_CLIENTS * self.SLOW_REQUESTS_EACH)
        self.assertEqual(self.unhealthy_instances(httpd), [], "no instance taken out")
        after = self.fresh_gets(httpd, "/app/page", 6)
        self.assertEqual({self.served_by(r) for r in after}, {"i1", "i2", "i3"})


class HungInstance(FailureRulesTestCase):
    def test_hung_instance_is_taken_out_after_failures_in_a_row(self):
        httpd, backends = self.start_three({"zdu-passive-failures-in-a-row": 2})
        backends[0].hang()
        responses = self.fresh_gets(httpd, "/app/page", 9)
        statuses = [r.status for r in responses]
        self.assertEqual(statuses.count(504), 2, f"two timeouts on i1, then it is out: {statuses}")
        self.assertEqual(statuses.count(200), 7, statuses)
        self.assertEqual(self.unhealthy_instances(httpd), ["i1"])
        self.assertIn("response timeout (2 in a row)", self.log_lines(httpd, "ZDU0014")[0])
        self.assertEqual(len(self.log_lines(httpd, "ZDU0050")), 1, "the first one was counted")
        later = self.fresh_gets(httpd, "/app/page", 6)
        self.assertEqual([r.status for r in later], [200] * 6)
        self.assertNotIn("i1", {self.served_by(r) for r in later})


class FailOpen(FailureRulesTestCase):
    def hang_all_and_fail(self, properties):
        httpd, backends = self.start_three(dict({"zdu-passive-failures-in-a-row": 2},
                                                **properties))
        for b in backends:
            b.hang()
        first = self.concurrent_gets(httpd, "/app/page", 6)  # two per instance
        second = self.concurrent_gets(httpd, "/app/page", 3)
        self.assertEqual({r.status for r in first + second}, {504},
                         "always an instance to try: 504 (timeout), never 503 (none left)")
        return httpd

    def test_all_instances_hung_keeps_the_last_one_and_logs_once(self):
        httpd = self.hang_all_and_fail({})
        self.assertEqual(len(set(self.unhealthy_instances(httpd))), 2, "one kept in")
        fail_open = self.log_lines(httpd, "ZDU0051")
        self.assertEqual(len(fail_open), 1, "logged once per episode")
        self.assertIn("keeps at least 1 of 3 instances healthy", fail_open[0])

    def test_min_healthy_percent_keeps_that_share(self):
        httpd = self.hang_all_and_fail({"zdu-passive-min-healthy-percent": 50})
        self.assertEqual(len(set(self.unhealthy_instances(httpd))), 1, "two of three kept in")
        fail_open = self.log_lines(httpd, "ZDU0051")
        self.assertEqual(len(fail_open), 1, "logged once per episode")
        self.assertIn("keeps at least 2 of 3 instances healthy", fail_open[0])


class BlackHole:
    """A listening socket with backlog 0 whose one accept-queue place is taken by a connection
    nobody accepts: the kernel drops every further SYN, as for a host that is gone."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0)
        self.port = self.sock.getsockname()[1]
        self.filler = socket.create_connection(("127.0.0.1", self.port), timeout=2)

    def dropping_syns(self):
        probe = socket.socket()
        probe.settimeout(0.3)
        try:
            probe.connect(("127.0.0.1", self.port))
            return False
        except socket.timeout:
            return True
        finally:
            probe.close()

    def close(self):
        self.filler.close()
        self.sock.close()


class KeepAliveRacer:
    """Keeps connections alive, but a request that arrives on a connection idle for more than
    IDLE_LIMIT seconds is met by a close, not an answer: a backend whose keep-alive timeout
    fires just as the proxy reuses the connection."""

    IDLE_LIMIT = 1.0
    BODY = b'{"instance": "racer"}'

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.races = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            answered = None
            while self._read_request(conn):
                if answered is not None and time.monotonic() - answered > self.IDLE_LIMIT:
                    self.races += 1
                    return  # closed without an answer
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"X-Backend-Instance: racer\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(self.BODY), self.BODY))
                answered = time.monotonic()

    @staticmethod
    def _read_request(conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            data += chunk
        return True

    def close(self):
        self.sock.close()


class KeepAliveRace(FailureRulesTestCase):
    """One httpd child, so the second browser's request reuses the backend connection the
    first one left idle."""

    def start_racer_and_good(self, properties=None):
        racer = KeepAliveRacer()
        self.addCleanup(racer.close)
        good = self.start_backend("good")
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": "racer", "route": "rracer",
                                  "listeners": f"http://127.0.0.1:{racer.port}"},
                                 {"name": "good", "route": "rgood", "listeners": good.listener}]}
        httpd = self.start_httpd(loadbalancer_xml([cluster], properties), servers=1)
        return httpd, racer

    def browser_on_racer(self, httpd):
        browser = self.client(httpd).fresh()
        browser.jar["JROUTE"] = "rracer"
        return browser

    def test_reused_connection_closed_by_the_backend_is_retried_not_blamed(self):
        httpd, racer = self.start_racer_and_good({"zdu-connection-ttl-in-seconds": 0})
        raced = None
        for _ in range(4):  # should httpd have started a second child, the next cycle races
            self.assertEqual(self.served_by(self.browser_on_racer(httpd).get("/app/page")),
                             "racer")
            time.sleep(KeepAliveRacer.IDLE_LIMIT + 0.3)
            raced = self.browser_on_racer(httpd).get("/app/page")
            if racer.races:
                break
        self.assertEqual(racer.races, 1, "the idle connection was reused and closed")
        self.assertServedBy(raced, "good", "retried on another instance")
        self.assertEqual(self.unhealthy_instances(httpd), [], "one race is no sick instance")
        self.assertEqual(len(self.log_lines(httpd, "ZDU0050")), 1, "but it is counted")
        self.assertServedBy(self.browser_on_racer(httpd).get("/app/page"), "racer")

    def test_connection_ttl_keeps_idle_connections_from_racing(self):
        httpd, racer = self.start_racer_and_good({"zdu-connection-ttl-in-seconds": 1})
        self.assertEqual(self.served_by(self.browser_on_racer(httpd).get("/app/page")), "racer")
        time.sleep(KeepAliveRacer.IDLE_LIMIT + 0.3)
        self.assertEqual(self.served_by(self.browser_on_racer(httpd).get("/app/page")), "racer")
        self.assertEqual(racer.races, 0, "the idle connection was past its ttl: not reused")


class ConnectTimeout(FailureRulesTestCase):
    def test_black_holed_instance_costs_the_connect_timeout_and_fails_over(self):
        hole = BlackHole()
        self.addCleanup(hole.close)
        self.assertTrue(hole.dropping_syns(), "the black hole drops connection attempts")
        good = self.start_backend("good")
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": "hole", "route": "rhole",
                                  "listeners": f"http://127.0.0.1:{hole.port}"},
                                 {"name": "good", "route": "rgood", "listeners": good.listener}]}
        props = {"response-timeout-in-seconds": 10, "zdu-connect-timeout-in-seconds": 1}
        httpd = self.start_httpd(loadbalancer_xml([cluster], props))
        client = self.client(httpd, timeout=30)
        client.jar["JROUTE"] = "rhole"  # a session on the black-holed instance
        started = time.monotonic()
        response = client.get("/app/page")
        elapsed = time.monotonic() - started
        self.assertServedBy(response, "good", "failed over")
        self.assertGreater(elapsed, 0.8, "the connect attempt waited")
        self.assertLess(elapsed, 3.5, f"{elapsed:.1f} s: the connect timeout, not the 10 s "
                                      "response timeout")
        self.assertEqual(self.unhealthy_instances(httpd), ["hole"])
        self.assertIn("connect failed", self.log_lines(httpd, "ZDU0014")[0])


class ConnectionTtl(FailureRulesTestCase):
    def test_idle_backend_connection_older_than_ttl_is_not_reused(self):
        httpd, (backend,) = self.start_cluster(versions=("1.0",),
                                               properties={"zdu-connection-ttl-in-seconds": 1})
        client = self.client(httpd)  # one client connection: one httpd child, one pool
        backend.reset_stats()
        self.assertEqual([client.get("/app/page").status for _ in range(2)], [200, 200])
        self.assertEqual(backend.stats()["connections"], 1, "reused while fresh")
        time.sleep(2.2)
        self.assertEqual(client.get("/app/page").status, 200)
        self.assertEqual(backend.stats()["connections"], 2, "idle past the ttl: a new one")


if __name__ == "__main__":
    unittest.main()
