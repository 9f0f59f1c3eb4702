"""Failover: passive detection, retries of idempotent requests, where a failed instance's
sessions go (replica, else the consistent-hash pick), and what non-idempotent requests get."""
import concurrent.futures
import http.client
import os
import threading
import time
import unittest

from consistent_hash import consistent_pick
from harness import ZduTestCase
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

NAMES = ["i1", "i2", "i3"]
SORRY = "<html>we are upgrading, back soon</html>\n"


class FailoverTestCase(ZduTestCase):
    def start_three(self, replicas=(None, None, None), properties=None, web_module=None,
                    health_interval=None):
        backends = [self.start_backend(name, "1.0", **({"replica": rep} if rep else {}))
                    for name, rep in zip(NAMES, replicas)]
        cluster = cluster_of(backends, web_module=web_module,
                             instance_attrs=[{"route": f"r{n}"} for n in (1, 2, 3)])
        if health_interval is not None:
            cluster["health_checker"] = {"url": "/health", "interval": health_interval,
                                         "timeout": 2}
        httpd = self.start_httpd(loadbalancer_xml([cluster], properties))
        return httpd, backends

    def session_on(self, httpd, instance, extra_cookie=""):
        """A client whose session lives on `instance` (logins until one lands there)."""
        for _ in range(50):
            client = self.client(httpd).fresh()
            if client.get("/app/login").json()["instance"] == instance:
                if extra_cookie:
                    name, value = extra_cookie.split("=", 1)
                    client.jar[name] = value
                return client
            client.close()
        self.fail(f"no session landed on {instance}")

    @staticmethod
    def expected_pick(session_id, failed, down=()):
        return consistent_pick(NAMES, session_id, lambda n: n != failed and n not in down)


class KillUnderLoad(FailoverTestCase):
    CLIENTS = 50

    def test_kill9_loses_no_request_and_sessions_move_as_expected(self):
        httpd, backends = self.start_three(replicas=("i3", None, None), health_interval=1)
        clients = [self.client(httpd).fresh() for _ in range(self.CLIENTS)]
        homes = [c.get("/app/login").json()["instance"] for c in clients]
        stop = threading.Event()
        failures, served_after = [], {}

        def run(k):
            client = clients[k]
            while not stop.is_set():
                try:
                    response = client.get("/app/page")
                    if response.status != 200:
                        failures.append((k, response.status))
                    elif killed.is_set():
                        served_after.setdefault(k, set()).add(response.json()["instance"])
                except (OSError, http.client.HTTPException) as e:
                    failures.append((k, repr(e)))

        killed = threading.Event()
        with concurrent.futures.ThreadPoolExecutor(self.CLIENTS) as pool:
            futures = [pool.submit(run, k) for k in range(self.CLIENTS)]
            time.sleep(1.5)
            backends[0].kill9()
            time.sleep(0.3)
            killed.set()
            time.sleep(2.5)
            stop.set()
            for f in futures:
                f.result()

        self.assertEqual(failures, [], "no client request may fail")
        for k, home in enumerate(homes):
            if home != "i1":
                self.assertEqual(served_after.get(k), {home}, "other sessions stay put")
                continue
            session_id = clients[k].jar["JSESSIONID"]
            # i1's app names i3 as every session's replica.
            self.assertEqual(served_after.get(k), {"i3"}, f"session {session_id}")
        fresh = [self.client(httpd).fresh().get("/app/login").json()["instance"]
                 for _ in range(30)]
        self.assertNotIn("i1", fresh, "out of rotation")

    def test_sessions_without_replica_go_to_the_consistent_hash_pick(self):
        httpd, backends = self.start_three()
        clients = [self.session_on(httpd, "i1") for _ in range(12)]
        backends[0].kill9()
        for client in clients:
            session_id = client.jar["JSESSIONID"]
            response = client.get("/app/page")
            self.assertServedBy(response, self.expected_pick(session_id, "i1"), session_id)
            self.assertNotEqual(client.jar["JROUTE"], "r1", "the response names the new route")
            self.assertServedBy(client.get("/app/page"),
                                self.expected_pick(session_id, "i1"), "and it sticks")

    def test_instance_comes_back_within_one_health_interval(self):
        httpd, backends = self.start_three(health_interval=1)
        backends[1].kill9()
        for _ in range(6):  # traffic finds it dead
            self.client(httpd).fresh().get("/app/login")
        backends[1].restart()
        deadline = time.monotonic() + 1 + 3
        seen = set()
        while time.monotonic() < deadline and "i2" not in seen:
            seen.add(self.client(httpd).fresh().get("/app/login").json()["instance"])
            time.sleep(0.05)
        self.assertIn("i2", seen, "back in rotation within the interval (+ slack)")


class SlammingBackend:
    """Accepts connections, reads the request and closes without answering: what a backend
    that crashes mid-request looks like to the proxy."""

    def __init__(self):
        import socket
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.recv(65536)
            conn.close()

    def close(self):
        self.sock.close()


class ResetMidRequest(FailoverTestCase):
    def test_reset_is_retried_elsewhere_and_instance_held_out(self):
        good = self.start_backend("good")
        bad = SlammingBackend()
        self.addCleanup(bad.close)
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": "bad", "listeners": f"http://127.0.0.1:{bad.port}"},
                                 {"name": "good", "listeners": good.listener}]}
        httpd = self.start_httpd(loadbalancer_xml([cluster]))
        served = [self.client(httpd).fresh().get("/app/login") for _ in range(10)]
        self.assertEqual([r.status for r in served], [200] * 10, "idempotent GETs retried")
        self.assertEqual({r.json()["instance"] for r in served}, {"good"})
        self.assertGreaterEqual(bad.accepted, 1, "the bad instance was tried")
        self.assertLessEqual(bad.accepted, 3,
                             "and held out after zdu-passive-failures-in-a-row (3) resets")
        self.assertIn("ZDU0014", httpd.error_log())


class Replica(FailoverTestCase):
    def test_jreplica_cookie_names_the_failover_instance(self):
        httpd, backends = self.start_three()
        client = self.session_on(httpd, "i1")
        session_id = client.jar["JSESSIONID"]
        replica = "i2" if self.expected_pick(session_id, "i1") == "i3" else "i3"
        client.jar["JREPLICA"] = replica
        backends[0].kill9()
        self.assertServedBy(client.get("/app/page"), replica)

    def test_jreplica_path_parameter(self):
        httpd, backends = self.start_three()
        client = self.session_on(httpd, "i1")
        session_id = client.jar["JSESSIONID"]
        replica = "i2" if self.expected_pick(session_id, "i1") == "i3" else "i3"
        backends[0].kill9()
        self.assertServedBy(client.get(f"/app/page;jreplica={replica}"), replica)

    def test_forged_jreplica_of_another_cluster_is_ignored(self):
        app = [self.start_backend(n) for n in NAMES]
        other = [self.start_backend("o1")]
        xml = loadbalancer_xml([
            cluster_of(app, "c1", "/app", instance_attrs=[{"route": f"r{n}"} for n in (1, 2, 3)]),
            cluster_of(other, "c2", "/other")])
        httpd = self.start_httpd(xml)
        client = self.session_on(httpd, "i1")
        session_id = client.jar["JSESSIONID"]
        client.jar["JREPLICA"] = "o1"
        app[0].kill9()
        self.assertServedBy(client.get("/app/page"), self.expected_pick(session_id, "i1"))


class Retries(FailoverTestCase):
    def test_post_to_dead_instance_is_not_retried(self):
        httpd, backends = self.start_three()
        client = self.session_on(httpd, "i1")
        backends[0].kill9()
        response = client.post("/app/form", b"a=1")
        self.assertEqual(response.status, 503)
        counts = [b.stats()["requests"] for b in backends[1:]]
        self.assertServedBy(client.get("/app/page"), self.expected_pick(
            client.jar["JSESSIONID"], "i1"), "the GET after it fails over")
        after = [b.stats()["requests"] for b in backends[1:]]
        self.assertEqual(sum(after) - sum(counts), 1, "the POST reached no other instance")

    def test_post_gets_the_error_url(self):
        httpd, backends = self.start_three(
            web_module={"error_url": "http://errors.example/down.html"})
        client = self.session_on(httpd, "i1")
        backends[0].kill9()
        response = client.post("/app/form", b"a=1")
        self.assertEqual(response.status, 302)
        self.assertEqual(response.header("Location"), "http://errors.example/down.html")

    def error_page_cluster(self, error_url, page_text=None):
        """Two instances whose web-module's error-url is `error_url`, with ZduErrorPageDir
        holding sorry.html (when page_text is given). Returns (httpd, backends, page path)."""
        backends = [self.start_backend(name) for name in NAMES[:2]]
        pages = self.make_tmpdir()
        page = os.path.join(pages, "sorry.html")
        if page_text is not None:
            with open(page, "w") as f:
                f.write(page_text)
            os.chmod(page, 0o644)
        os.chmod(pages, 0o755)  # httpd's children could read it as www-data
        cluster = cluster_of(backends, web_module={"error_url": error_url},
                             instance_attrs=[{"route": "r1"}, {"route": "r2"}])
        httpd = self.start_httpd(loadbalancer_xml([cluster]),
                                 extra_conf=f"ZduErrorPageDir {pages}\n")
        return httpd, backends, page

    def test_post_gets_the_error_page_from_the_error_page_dir(self):
        httpd, backends, _ = self.error_page_cluster("sorry.html", SORRY)
        client = self.session_on(httpd, "i1")
        backends[0].kill9()
        response = client.post("/app/form", b"a=1")
        self.assertEqual(response.status, 503)
        self.assertEqual(response.text, SORRY, "the page, as it is in the file")

    def test_error_page_is_read_with_the_config(self):
        httpd, backends, page = self.error_page_cluster("sorry.html", SORRY)
        os.remove(page)  # the page was read at start: a failed request never reads the disk
        client = self.session_on(httpd, "i1")
        backends[0].kill9()
        response = client.post("/app/form", b"a=1")
        self.assertEqual(response.status, 503)
        self.assertEqual(response.text, SORRY)

    def test_missing_error_page_is_reported_at_start(self):
        httpd, _, _ = self.error_page_cluster("sorry.html")
        self.assertRegex(httpd.error_log(),
                         r"ZDU0018: web-module '/app': error-url 'sorry.html': .*sorry.html "
                         r"cannot be read: No such file")

    def session_whose_failover_is(self, httpd, home, first_pick):
        for _ in range(200):
            client = self.session_on(httpd, home)
            if self.expected_pick(client.jar["JSESSIONID"], home) == first_pick:
                return client
        self.fail("no such session")

    def test_idempotent_pattern_with_one_retry_is_retried_once(self):
        httpd, backends = self.start_three(
            web_module={"idempotent": [("/search/*", 1)]})
        client = self.session_whose_failover_is(httpd, "i1", "i2")
        before = backends[2].stats()["requests"]
        backends[0].kill9()
        backends[1].kill9()
        # i1 fails, the one retry goes to i2 (the hash pick), which fails too: no third try.
        self.assertEqual(client.get("/app/search/books").status, 503)
        self.assertEqual(backends[2].stats()["requests"], before, "i3 was never tried")

    def test_get_without_pattern_is_retried_until_instances_run_out(self):
        httpd, backends = self.start_three()
        client = self.session_whose_failover_is(httpd, "i1", "i2")
        backends[0].kill9()
        backends[1].kill9()
        self.assertServedBy(client.get("/app/search/books"), "i3")


if __name__ == "__main__":
    unittest.main()
