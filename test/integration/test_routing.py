"""mod_zdu serving traffic: weighted split of new sessions, stickiness in each route form,
foreign routes, static files and pooled backend connections (real httpd, real backends)."""
import collections
import concurrent.futures
import unittest

from harness import ZduTestCase
from harness.xml import loadbalancer_xml
from harness.testcase import cluster_of

SESSIONS = 100
REQUESTS_PER_SESSION = 20
THREADS = 8


def parallel(fn, items, threads=THREADS):
    """Runs fn over items on several client threads, so requests reach several httpd children."""
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return list(pool.map(fn, items))


class WeightedSplit(ZduTestCase):
    def test_new_sessions_follow_weights(self):
        httpd, backends = self.start_cluster(
            versions=("1.0",) * 4, cluster_attrs={"policy": "weighted-round-robin"},
            instance_attrs=[{"weight": 100}, {"weight": 400}, {"weight": 0},
                            {"weight": 100, "enabled": "false"}])

        def logins(_):
            client = self.client(httpd)
            return [client.fresh().get("/app/login").json()["instance"] for _ in range(125)]

        counts = collections.Counter(i for batch in parallel(logins, range(THREADS)) for i in batch)
        self.assertEqual(sum(counts.values()), 1000)
        self.assertAlmostEqual(counts["i1"], 200, delta=50)
        self.assertAlmostEqual(counts["i2"], 800, delta=50)
        self.assertEqual(counts["i3"], 0, "weight 0 takes no new sessions")
        self.assertEqual(counts["i4"], 0, "a disabled instance takes no new sessions")

    def test_round_robin_spreads_evenly(self):
        httpd, _ = self.start_cluster(versions=("1.0",) * 3)
        client = self.client(httpd)
        counts = collections.Counter(client.fresh().get("/app/login").json()["instance"]
                                     for _ in range(300))
        for name in ("i1", "i2", "i3"):
            self.assertAlmostEqual(counts[name], 100, delta=15, msg=counts)


class Stickiness(ZduTestCase):
    """100 sessions x 20 requests: every request reaches the instance that created the session."""

    def run_sessions(self, httpd, request_session):
        def one_session(n):
            client = self.client(httpd).fresh()
            login = client.get("/app/login")
            self.assertEqual(login.status, 200, login.text)
            home = login.json()["instance"]
            served = {request_session(client, login, k)["instance"]
                      for k in range(REQUESTS_PER_SESSION)}
            client.close()
            return home, served

        results = parallel(one_session, range(SESSIONS))
        for home, served in results:
            self.assertEqual(served, {home})
        self.assertGreater(len({home for home, _ in results}), 1, "sessions spread out")

    def test_jroute_cookie(self):
        httpd, _ = self.start_cluster(versions=("1.0",) * 3)

        def request(client, login, k):
            self.assertIn("JROUTE", client.jar)
            return client.get(f"/app/page{k}").json()

        self.run_sessions(httpd, request)

    def test_jsessionid_path_parameter(self):
        httpd, _ = self.start_cluster(versions=("1.0",) * 3)

        def request(client, login, k):
            # As a GlassFish instance rewrites URLs: the session id, ':' and its route (the
            # JROUTE mod_zdu set, the value Proxy-jroute would carry).
            route = client.jar["JROUTE"]
            session = login.json()["session"]
            return client.get(f"/app/page{k};jsessionid={session}:{route}",
                              headers={"Cookie": "other=1"}).json()

        self.run_sessions(httpd, request)

    def suffix_sessions(self, route_style):
        httpd, backends = self.start_cluster(
            versions=("1.0",) * 3, backend_opts={"route_style": route_style},
            instance_attrs=[{"route": f"i{n}"} for n in (1, 2, 3)])

        def request(client, login, k):
            session = client.jar["JSESSIONID"]
            return client.get(f"/app/page{k}", headers={"Cookie": f"JSESSIONID={session}"}).json()

        self.run_sessions(httpd, request)

    def test_tomcat_jvmroute_suffix(self):
        self.suffix_sessions("tomcat")

    def test_websphere_cloneid_suffix(self):
        self.suffix_sessions("websphere")

    def test_route_cookie_set_once_per_session(self):
        httpd, _ = self.start_cluster(versions=("1.0",) * 2)
        client = self.client(httpd)
        login = client.get("/app/login")
        jroute = [c for c in login.set_cookies if c.startswith("JROUTE=")]
        self.assertEqual(len(jroute), 1, login.set_cookies)
        self.assertIn("Path=/app", jroute[0])
        self.assertIn("HttpOnly", jroute[0])
        self.assertNotIn("127.0.0.1", jroute[0], "the route does not show the listener")
        again = client.get("/app/page")
        self.assertFalse([c for c in again.set_cookies if c.startswith("JROUTE=")])
        logout = client.get("/app/logout")
        self.assertTrue([c for c in logout.set_cookies
                         if c.startswith("JROUTE=") and "Max-Age=0" in c], logout.set_cookies)

    def test_backend_set_jroute_is_left_alone(self):
        httpd, _ = self.start_cluster(versions=("1.0",), backend_opts={"set_jroute": True},
                                      instance_attrs=[{"route": "i1"}])
        login = self.client(httpd).get("/app/login")
        jroute = [c for c in login.set_cookies if c.startswith("JROUTE=")]
        self.assertEqual(jroute, ["JROUTE=i1; Path=/"])


class ForeignRoutes(ZduTestCase):
    def test_route_of_another_cluster_is_ignored(self):
        app = self.start_backends(("1.0", "1.0"), prefix="a")
        other = self.start_backends(("1.0",), prefix="o")
        xml = loadbalancer_xml([cluster_of(app, "c1", "/app"), cluster_of(other, "c2", "/other")])
        httpd = self.start_httpd(xml)
        client = self.client(httpd)
        client.get("/other/login")
        forged = client.jar["JROUTE"]
        served = collections.Counter()
        for _ in range(20):
            response = client.get("/app/page", headers={"Cookie": f"JROUTE={forged}"})
            served[response.json()["instance"]] += 1
            new_route = [c for c in response.set_cookies if c.startswith("JROUTE=")]
            self.assertTrue(new_route and forged not in new_route[0], response.set_cookies)
        self.assertEqual(set(served), {"a1", "a2"}, "treated as new sessions, round-robin")

    def test_unknown_route_is_a_new_session(self):
        httpd, _ = self.start_cluster(versions=("1.0", "1.0"))
        client = self.client(httpd)
        response = client.get("/app/x", headers={"Cookie": "JROUTE=nosuchroute; JSESSIONID=a.b"})
        self.assertEqual(response.status, 200)


class ContextRoots(ZduTestCase):
    def test_only_paths_under_the_context_root_are_proxied(self):
        httpd, _ = self.start_cluster(versions=("1.0",))
        client = self.client(httpd)
        for path in ("/app", "/app/", "/app/x/y?q=1", "/app;jsessionid=abc"):
            response = client.get(path)
            self.assertServedBy(response, "i1", path)
        static = client.get("/static/hello.txt")
        self.assertEqual(static.status, 200)
        self.assertEqual(static.text, "hello from httpd\n")
        self.assertEqual(client.get("/apple").status, 404, "/apple is not under /app")

    def test_backend_gets_the_full_path_and_query(self):
        httpd, _ = self.start_cluster(versions=("1.0",))
        echo = self.client(httpd).get("/app/a%20b/c;p=1?x=1&y=2").json()
        self.assertEqual(echo["path"], "/app/a%20b/c;p=1?x=1&y=2")

    def test_longest_context_root_wins(self):
        outer = self.start_backends(("1.0",), prefix="outer")
        inner = self.start_backends(("1.0",), prefix="inner")
        xml = loadbalancer_xml([cluster_of(outer, "c1", "/shop"),
                                cluster_of(inner, "c2", "/shop/admin")])
        httpd = self.start_httpd(xml)
        client = self.client(httpd)
        self.assertServedBy(client.get("/shop/cart"), "outer1")
        self.assertServedBy(client.get("/shop/admin/users"), "inner1")
        self.assertServedBy(client.get("/shop/administrator"), "outer1")


class ProxyHeaders(ZduTestCase):
    def test_backend_sees_proxy_headers_and_never_client_forged_ones(self):
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf="ZduBackendHeaders all\n")
        forged = {"Proxy-jroute": "x", "Proxy-ip": "6.6.6.6", "X-Forwarded-For": "6.6.6.6",
                  "X-Forwarded-Proto": "gopher", "Proxy-auth-cert": "forged"}
        response = self.client(httpd).get("/app/h", headers=forged)
        headers = {k.lower(): v for k, v in response.json()["headers"].items()}
        self.assertNotEqual(headers.get("proxy-jroute"), "x")
        self.assertRegex(headers.get("proxy-jroute", ""), r"^[a-z2-7]{8}$")
        self.assertEqual(headers.get("proxy-ip"), "127.0.0.1")
        self.assertEqual(headers.get("x-forwarded-for"), "127.0.0.1")
        self.assertEqual(headers.get("x-forwarded-proto"), "http")
        self.assertEqual(headers.get("x-forwarded-host"), f"127.0.0.1:{httpd.port}")
        self.assertNotIn("proxy-auth-cert", headers)

    def test_redirect_to_instance_is_rewritten_to_front_end(self):
        httpd, backends = self.start_cluster(versions=("1.0",))
        response = self.client(httpd).get("/app/redirect")
        self.assertEqual(response.status, 302)
        self.assertEqual(response.header("Location"), f"http://127.0.0.1:{httpd.port}/app/landed")

    def test_rewrite_location_false_keeps_backend_location(self):
        httpd, backends = self.start_cluster(versions=("1.0",),
                                             properties={"rewrite-location": "false"})
        response = self.client(httpd).get("/app/redirect")
        self.assertEqual(response.header("Location"), f"{backends[0].url}/app/landed")


class RewriteCookies(ZduTestCase):
    """rewrite-cookies: a backend cookie whose Domain names an instance host is scoped to the
    front-end's host instead; other cookies and the default (false) leave it alone."""
    FRONT_END = {"Host": "lb.example"}

    def pref_cookie(self, httpd, query=""):
        response = self.client(httpd).get(f"/app/cookiedomain{query}", headers=self.FRONT_END)
        self.assertEqual(response.status, 200, response.text)
        return [c for c in response.set_cookies if c.startswith("pref=")]

    def test_instance_domain_rewritten_to_the_front_end(self):
        httpd, _ = self.start_cluster(versions=("1.0",), properties={"rewrite-cookies": "true"})
        self.assertEqual(self.pref_cookie(httpd), ["pref=1; Domain=lb.example; Path=/"])
        self.assertIn("ZDU0090", httpd.error_log())

    def test_other_domains_kept(self):
        httpd, _ = self.start_cluster(versions=("1.0",), properties={"rewrite-cookies": "true"})
        self.assertEqual(self.pref_cookie(httpd, "?domain=example.com"),
                         ["pref=1; Domain=example.com; Path=/"])

    def test_off_by_default(self):
        httpd, _ = self.start_cluster(versions=("1.0",))
        self.assertEqual(self.pref_cookie(httpd), ["pref=1; Domain=127.0.0.1; Path=/"])


class Logging(ZduTestCase):
    def test_routing_decisions_logged_with_ids_at_zdu_debug(self):
        httpd, _ = self.start_cluster(versions=("1.0",))
        self.client(httpd).get("/app/login")
        log = httpd.error_log()
        self.assertRegex(log, r"\[zdu:debug\].*ZDU0006: cluster c1: new request to instance i1")
        zdu_lines = [line for line in log.splitlines() if "[zdu:" in line]
        self.assertTrue(zdu_lines)
        for line in zdu_lines:
            self.assertRegex(line, r"ZDU\d{4}: ", line)


class ConnectionReuse(ZduTestCase):
    def test_backend_connections_are_pooled(self):
        httpd, backends = self.start_cluster(versions=("1.0", "1.0"))

        def burst(_):
            client = self.client(httpd).fresh()
            for k in range(100):
                self.assertEqual(client.get(f"/app/p{k}").status, 200)
            client.close()

        parallel(burst, range(THREADS))
        stats = [b.stats() for b in backends]
        requests = sum(s["requests"] for s in stats)
        connections = sum(s["connections"] for s in stats)
        self.assertEqual(requests, THREADS * 100)
        # Bounded by httpd's threads (3 children x 8), not by the 800 requests.
        self.assertLessEqual(connections, 2 * 3 * 8, stats)


if __name__ == "__main__":
    unittest.main()
