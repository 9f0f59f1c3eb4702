"""mod_proxy workers and balancers while httpd runs (event MPM, three children): the room
start-up reserves (ZduGrowth worker slots per balancer, ZduSpareClusters spare balancers),
instances and clusters a reload adds in it, and what happens past it. mod_proxy_balancer's own
balancer-manager page is the oracle for the balancers' slots: it is httpd's view, not ours."""
import re
import threading
import unittest

from harness import ZduTestCase, process
from harness.manager import MANAGER_CONF, Manager
from harness.xml import loadbalancer_xml

BALANCER_MANAGER_CONF = "<Location /balancer-manager>\n    SetHandler balancer-manager\n</Location>\n"
GRACEFUL = "graceful restart"
THREADS = 16
# One balancer section of balancer-manager's page: name, slots reserved, slots used, max attempts.
SECTION = re.compile(r"LoadBalancer Status for <a [^>]*>(balancer://[^<]+)</a>.*?"
                     r"<td>(\d+) \[(\d+) Used\]</td>.*?<td>(\d+)</td><td>(\d+)</td>\n",
                     re.S)


def cluster(name, backends, context_root, **attrs):
    instances = [{"name": b.instance, "listeners": b.listener} for b in backends]
    return dict({"name": name, "policy": "round-robin", "instances": instances,
                 "web_modules": [{"context_root": context_root}]}, **attrs)


def lb_xml(clusters, **properties):
    return loadbalancer_xml(clusters, dict({"reload-poll-interval-in-seconds": 0}, **properties))


def balancers(client):
    """{balancer name: (slots reserved, slots used, max attempts)} as mod_proxy_balancer's
    balancer-manager shows them to the child holding client's connection."""
    response = client.get("/balancer-manager")
    if response.status != 200:
        raise AssertionError(f"balancer-manager answered {response.status}")
    return {m[0]: (int(m[1]), int(m[2]), int(m[4])) for m in SECTION.findall(response.text)}


def balancer_xml(client):
    """balancer-manager's XML, which it only gives to a Referer of its own (against XSRF)."""
    referer = client.base_url + "/balancer-manager"
    return client.get("/balancer-manager?xml=1", headers={"Referer": referer}).text


def workers_of(client, balancer):
    """Worker names of one balancer, from balancer-manager's XML."""
    text = balancer_xml(client)
    section = text.split(f"<httpd:name>{balancer}</httpd:name>", 1)[1]
    section = section.split("</httpd:workers>", 1)[0]
    return re.findall(r"<httpd:worker>\s*<httpd:name>([^<]+)</httpd:name>", section)


class WorkersTestCase(ZduTestCase):
    def start_with(self, clusters, conf="", **properties):
        httpd = self.start_httpd(lb_xml(clusters, **properties), threads=THREADS,
                                 extra_conf=MANAGER_CONF + BALANCER_MANAGER_CONF + conf)
        return httpd, Manager(httpd)

    def reload(self, httpd, manager, clusters, **properties):
        httpd.write_xml(lb_xml(clusters, **properties))
        return manager.reload()

    def reload_ok(self, httpd, manager, clusters, **properties):
        status, answer = self.reload(httpd, manager, clusters, **properties)
        self.assertEqual(status, 200, answer)
        return answer

    def our_balancer(self, client, spare=False):
        names = [n for n in balancers(client) if n.startswith("balancer://zdu-")]
        if spare:
            return sorted(n for n in names if "spare" in n)
        (own,) = [n for n in names if "spare" not in n]
        return own

    def homes(self, client, path, count):
        return self.new_session_homes(client, path, count)


class StartUpReserve(WorkersTestCase):
    def test_growth_and_spare_balancers_reserved_in_every_balancer_of_ours(self):
        backends = self.start_backends(("1.0", "1.0"))
        # After ZduConfigFile (the harness writes it first): they apply all the same.
        httpd, _ = self.start_with([cluster("c1", backends, "/app")],
                                   conf="ZduGrowth 5\nZduSpareClusters 3\n")
        client = self.client(httpd)
        shown = balancers(client)
        own = self.our_balancer(client)
        self.assertEqual(shown[own], (2 + 5, 2, 2), "members + ZduGrowth slots, 2 used")
        spares = self.our_balancer(client, spare=True)
        self.assertEqual(spares, [f"balancer://zdu-spare-{i}" for i in range(3)])
        for name in spares:
            self.assertEqual(shown[name][:2], (5, 0), f"{name}: ZduGrowth free slots")
        self.assertEqual(set(self.homes(client, "/app/login", 4)), {"i1", "i2"})

    def test_defaults(self):
        backends = self.start_backends(("1.0",))
        httpd, _ = self.start_with([cluster("c1", backends, "/app")])
        client = self.client(httpd)
        shown = balancers(client)
        self.assertEqual(shown[self.our_balancer(client)][:2], (1 + 16, 1))
        self.assertEqual(len(self.our_balancer(client, spare=True)), 4)

    def test_no_spares_with_zero(self):
        backends = self.start_backends(("1.0",))
        httpd, _ = self.start_with([cluster("c1", backends, "/app")], conf="ZduSpareClusters 0\n")
        self.assertEqual(self.our_balancer(self.client(httpd), spare=True), [])

    def test_zero_growth_starts_and_refuses_every_new_worker(self):
        stable = self.start_backends(("1.0",))
        added = self.start_backend("a1")
        httpd, manager = self.start_with([cluster("c1", stable, "/app")], conf="ZduGrowth 0\n")
        client = self.client(httpd)
        self.assertEqual(balancers(client)[self.our_balancer(client)][:2], (1, 1))
        self.assertEqual(self.our_balancer(client, spare=True), [], "a spare without slots")
        status, answer = self.reload(httpd, manager, [cluster("c1", stable + [added], "/app")])
        self.assertNotEqual(status, 200, answer)
        self.assertIn("ZduGrowth=0", str(answer), answer)
        self.assertEqual(set(self.homes(client, "/app/login", 3)), {"i1"})
        two = self.start_backends(("1.0",), prefix="t")
        status, answer = self.reload(httpd, manager, [cluster("c1", stable, "/app"),
                                                      cluster("c2", two, "/two")])
        self.assertNotEqual(status, 200, answer)
        self.assertIn("ZduGrowth=0 reserves no spare balancers", str(answer), answer)

    def test_values_out_of_range_are_refused(self):
        backends = self.start_backends(("1.0",))
        xml = lb_xml([cluster("c1", backends, "/app")])
        from harness.httpd import Httpd
        for directive in ("ZduGrowth -1", "ZduGrowth 1001", "ZduGrowth many",
                          "ZduSpareClusters 65", "ZduSpareClusters 2x"):
            httpd = Httpd(self.make_tmpdir(), xml, extra_conf=directive + "\n")
            rc, output = httpd.configtest()
            self.assertNotEqual(rc, 0, directive)
            self.assertIn(directive.split()[0] + ": '" + directive.split()[1] + "'", output)


class AddedWorkers(WorkersTestCase):
    def test_instance_back_on_its_listener_reuses_its_slot(self):
        stable = self.start_backends(("1.0", "1.0"))
        comer = self.start_backend("x")
        httpd, manager = self.start_with([cluster("c1", stable, "/app")], conf="ZduGrowth 1\n")
        client = self.client(httpd)
        own = self.our_balancer(client)
        for _ in range(3):  # add, remove, add...: one growth slot is enough for all of it
            self.reload_ok(httpd, manager, [cluster("c1", stable + [comer], "/app")])
            self.assertEqual(balancers(client)[own], (3, 3, 3))
            self.assertIn("x", self.homes(client, "/app/login", 6))
            self.reload_ok(httpd, manager, [cluster("c1", stable, "/app")])
            # The slot stays (the removed instance is kept, disabled, and so is its worker).
            self.assertEqual(balancers(client)[own][:2], (3, 3))
            self.assertNotIn("x", self.homes(client, "/app/login", 6))
        self.assertEqual(len(workers_of(client, own)), 3)
        self.assertEqual(httpd.error_log().count("ZDU0110"), 1, "one worker added, once")

    def test_every_child_picks_the_new_worker_up(self):
        stable = self.start_backends(("1.0",))
        added = self.start_backend("a1")
        httpd, manager = self.start_with([cluster("c1", stable, "/app")])
        per_child = manager.clients_per_child()
        for c in per_child.values():
            self.addCleanup(c.close)
        own = self.our_balancer(next(iter(per_child.values())))
        self.reload_ok(httpd, manager, [cluster("c1", stable + [added], "/app")])
        for pid, c in per_child.items():
            self.assertIn(added.listener, workers_of(c, own), pid)
            self.assertIn("a1", self.homes(c, "/app/login", 4), pid)
            for _ in range(10):  # a new session, and a page on it when it went to a1
                if self.homes(c, "/app/login", 1) == ["a1"]:
                    self.assertEqual(c.get("/app/page").json()["instance"], "a1", pid)
        stats = added.stats()
        self.assertGreaterEqual(stats["requests"], 10 * len(per_child), stats)
        # Each child sends one request at a time: its pooled connection is reused, so a1 sees
        # at most one connection per child, not one per request.
        self.assertLessEqual(stats["connections"], len(per_child), stats)

    def test_changed_timeouts_reach_existing_workers(self):
        stable = self.start_backends(("1.0",))
        httpd, manager = self.start_with([cluster("c1", stable, "/app")])
        client = self.client(httpd)
        self.assertIn("<httpd:timeout>60</httpd:timeout>", balancer_xml(client))
        self.reload_ok(httpd, manager, [cluster("c1", stable, "/app")],
                       **{"response-timeout-in-seconds": 7})
        self.assertIn("<httpd:timeout>7</httpd:timeout>", balancer_xml(client))

    def test_growth_past_the_reserve_is_refused_old_config_serves_graceful_loads_it(self):
        stable = self.start_backends(("1.0",))
        news = self.start_backends(("1.0", "1.0"), prefix="n")
        httpd, manager = self.start_with([cluster("c1", stable, "/app")], conf="ZduGrowth 1\n")
        status, answer = self.reload(httpd, manager, [cluster("c1", stable + news, "/app")])
        self.assertNotEqual(status, 200, answer)
        self.assertIn(GRACEFUL, str(answer), answer)
        self.assertIn("ZduGrowth=1", str(answer), answer)
        client = self.client(httpd)
        self.assertEqual(set(self.homes(client, "/app/login", 4)), {"i1"}, "old config serves")
        self.assertEqual(news[0].stats()["requests"] + news[1].stats()["requests"], 0)
        own = self.our_balancer(client)
        self.assertEqual(balancers(client)[own][:2], (2, 1), "refused before taking a slot")

        httpd.graceful()
        client = self.client(httpd)
        self.assertTrue(process.wait_until(
            lambda: set(self.homes(client.fresh(), "/app/login", 6)) == {"i1", "n1", "n2"},
            10.0))
        self.assertEqual(balancers(client)[own][:2], (3 + 1, 3), "room reserved again")


class SpareBalancers(WorkersTestCase):
    def test_added_cluster_runs_on_a_spare_in_every_child_over_pooled_connections(self):
        one = self.start_backends(("1.0",))
        two = self.start_backends(("1.0", "1.0"), prefix="t")
        httpd, manager = self.start_with([cluster("c1", one, "/app")], conf="ZduSpareClusters 2\n")
        per_child = manager.clients_per_child()
        for c in per_child.values():
            self.addCleanup(c.close)
        self.assertEqual(next(iter(per_child.values())).get("/two/login").status, 404)
        self.reload_ok(httpd, manager,
                       [cluster("c1", one, "/app"), cluster("c2", two, "/two")])
        served = {}

        def serve(pid, c):
            served[pid] = self.homes(c, "/two/login", 20)

        threads = [threading.Thread(target=serve, args=item) for item in per_child.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for pid, homes in served.items():
            self.assertEqual(set(homes), {"t1", "t2"}, pid)
        for pid, c in per_child.items():
            shown = balancers(c)
            self.assertEqual(shown["balancer://zdu-spare-0"][1], 2, f"{pid}: c2 on spare 0")
            self.assertEqual(shown["balancer://zdu-spare-1"][1], 0, pid)
        for b in two:  # pooled: a connection per child at most, not one per request
            stats = b.stats()
            self.assertGreaterEqual(stats["requests"], 10 * len(per_child) - 5, stats)
            self.assertLessEqual(stats["connections"], len(per_child), stats)
        self.assertEqual(httpd.error_log().count("ZDU0112"), 1, "claimed once, by one child")

    def test_cluster_that_comes_back_keeps_its_spare_and_grows_in_it(self):
        one = self.start_backends(("1.0",))
        two = self.start_backends(("1.0", "1.0"), prefix="t")
        httpd, manager = self.start_with([cluster("c1", one, "/app")], conf="ZduSpareClusters 2\n")
        client = self.client(httpd)
        base = [cluster("c1", one, "/app")]
        self.reload_ok(httpd, manager, base + [cluster("c2", two[:1], "/two")])
        self.assertEqual(self.homes(client, "/two/login", 2), ["t1", "t1"])
        self.reload_ok(httpd, manager, base)
        self.assertEqual(client.get("/two/login").status, 404, "c2 removed")
        self.reload_ok(httpd, manager, base + [cluster("c2", two, "/two")])
        self.assertEqual(set(self.homes(client, "/two/login", 4)), {"t1", "t2"})
        shown = balancers(client)
        self.assertEqual(shown["balancer://zdu-spare-0"][1], 2, "back on spare 0, one more slot")
        self.assertEqual(shown["balancer://zdu-spare-1"][1], 0, shown)

    def test_past_the_spares_refused_old_config_serves_and_graceful_loads_it(self):
        one = self.start_backends(("1.0",))
        two = self.start_backends(("1.0",), prefix="t")
        three = self.start_backends(("1.0",), prefix="u")
        httpd, manager = self.start_with([cluster("c1", one, "/app")], conf="ZduSpareClusters 1\n")
        with_two = [cluster("c1", one, "/app"), cluster("c2", two, "/two")]
        self.reload_ok(httpd, manager, with_two)
        status, answer = self.reload(httpd, manager,
                                     with_two + [cluster("c3", three, "/three")])
        self.assertNotEqual(status, 200, answer)
        self.assertIn(GRACEFUL, str(answer), answer)
        self.assertIn("ZduSpareClusters=1", str(answer), answer)
        client = self.client(httpd)
        self.assertEqual(self.homes(client, "/two/login", 2), ["t1", "t1"], "old config serves")
        self.assertEqual(client.get("/three/login").status, 404)

        httpd.graceful()
        client = self.client(httpd)
        self.assertTrue(process.wait_until(
            lambda: client.fresh().get("/three/login").status == 200, 10.0))
        self.assertEqual(self.homes(client, "/three/login", 2), ["u1", "u1"])
        self.assertEqual(self.homes(client, "/two/login", 2), ["t1", "t1"])
        # After the restart every cluster has a balancer of its own; the spare is free again.
        shown = balancers(client)
        self.assertEqual(shown["balancer://zdu-spare-0"][1], 0, shown)


if __name__ == "__main__":
    unittest.main()
