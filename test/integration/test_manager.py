"""The zdu-manager handler: refused without ZduManagerSecret, pings of the proxy, instances and
URLs, domain and instance commands that every httpd child obeys, and the status document."""
import collections
import concurrent.futures
import time
import unittest
from urllib.parse import urlencode

from harness import Client, ZduTestCase
from harness import process

SECRET = "s3cret"
HANDLER_CONF = "<Location /zdu-manager>\n    SetHandler zdu-manager\n</Location>\n"
MANAGER_CONF = HANDLER_CONF + f"ZduManagerSecret {SECRET}\n"
# Two domains of two instances each: i1, i2 in d1; i3, i4 in d2.
DOMAINS = [{"domain": "d1"}, {"domain": "d1"}, {"domain": "d2"}, {"domain": "d2"}]
D1, D2 = {"i1", "i2"}, {"i3", "i4"}
THREADS = 8
PING_CAP = 4  # manager::kMaxConcurrentPings
MAX_PING_SECONDS = 5  # manager::kMaxPingTimeout


def parallel(fn, items, threads=THREADS):
    """Runs fn over items on several client threads, so requests reach every httpd child."""
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return list(pool.map(fn, items))


class ManagerTestCase(ZduTestCase):
    def start_managed(self, versions=("1.0",) * 4, instance_attrs=DOMAINS, conf=MANAGER_CONF,
                      **opts):
        httpd, backends = self.start_cluster(versions=versions, instance_attrs=instance_attrs,
                                             extra_conf=conf, **opts)
        return httpd, backends

    def command(self, httpd, method="GET", secret=SECRET, **params):
        headers = {"X-Zdu-Secret": secret} if secret is not None else {}
        path = "/zdu-manager?" + urlencode(params)
        # A connection per command, as curl would: commands reach every child.
        with Client(httpd.base_url) as client:
            return client.request(method, path, headers=headers)

    def settles(self, httpd, secret, status):
        """Whether the ping status becomes `status` and stays so: right after a graceful
        restart a child of the old generation may still take a connection or two."""
        def status_is():
            return self.command(httpd, secret=secret, cmd="ping").status == status

        return (process.wait_until(status_is, 10.0) and
                all(status_is() for _ in range(3 * THREADS)))

    def ok(self, httpd, method="GET", **params):
        """Runs a command that must succeed; returns its JSON."""
        response = self.command(httpd, method, **params)
        self.assertEqual(response.status, 200, response.text)
        self.assertEqual(response.header("Content-Type"), "application/json")
        answer = response.json()
        self.assertIsInstance(answer["ms"], float)
        return answer

    def login(self, httpd):
        """A new browser session; returns (its client, the instance that took it)."""
        client = self.client(httpd)
        response = client.get("/app/login")
        self.assertEqual(response.status, 200, response.text)
        # Idle keep-alive connections would hold prefork children until KeepAliveTimeout.
        client.close()
        return client, response.json()["instance"]

    def sessions(self, httpd, count):
        return parallel(lambda _: self.login(httpd), range(count))

    def new_session_homes(self, httpd, count=60):
        return collections.Counter(home for _, home in self.sessions(httpd, count))

    def served(self, sessions, requests=5):
        """{session's first home: set of instances that served its next requests}."""
        def run(session):
            client, home = session
            instances = {client.get("/app/page").json()["instance"] for _ in range(requests)}
            client.close()
            return home, instances

        moved = collections.defaultdict(set)
        for home, instances in parallel(run, sessions):
            moved[home] |= instances
        return moved


class Access(ManagerTestCase):
    def test_refused_without_the_secret(self):
        httpd, _ = self.start_managed(versions=("1.0",), instance_attrs=None)
        for secret in (None, "wrong", SECRET + "x", ""):
            response = self.command(httpd, secret=secret, cmd="ping")
            self.assertEqual(response.status, 403, secret)
            self.assertEqual(response.header("Content-Type"), "application/json")
            self.assertFalse(response.json()["ok"])
            self.assertNotIn(SECRET, response.text)
        self.assertEqual(self.command(httpd, method="POST", secret=None, cmd="stop-domain",
                                      domain="d1").status, 403)
        self.assertIn("ZDU0030", httpd.error_log())
        self.assertEqual(self.command(httpd, cmd="ping").status, 200)

    def test_refused_when_no_secret_is_configured(self):
        httpd, _ = self.start_managed(versions=("1.0",), instance_attrs=None, conf=HANDLER_CONF)
        response = self.command(httpd, cmd="ping")
        self.assertEqual(response.status, 403)
        self.assertIn("not configured", response.json()["error"])
        self.assertIn("not configured", httpd.error_log())

    def test_secret_follows_the_config_across_graceful_restarts(self):
        httpd, _ = self.start_managed(versions=("1.0",), instance_attrs=None)
        self.assertEqual(self.command(httpd, cmd="ping").status, 200)
        httpd.write_conf(extra_conf=HANDLER_CONF + "ZduManagerSecret other\n")
        httpd.graceful()
        self.assertTrue(self.settles(httpd, SECRET, 403), "the old secret is gone")
        self.assertTrue(self.settles(httpd, "other", 200), "the new one works")
        httpd.write_conf(extra_conf=HANDLER_CONF)
        httpd.graceful()
        self.assertTrue(self.settles(httpd, "other", 403), "a removed secret is gone")
        self.assertIn("not configured", self.command(httpd, secret="other", cmd="ping").text)

    def test_secret_is_server_wide_only_and_given_once(self):
        httpd, _ = self.start_managed(versions=("1.0",), instance_attrs=None)
        httpd.write_conf(extra_conf=MANAGER_CONF + "ZduManagerSecret again\n")
        code, output = httpd.configtest()
        self.assertNotEqual(code, 0)
        self.assertIn("only once", output)
        httpd.write_conf(extra_conf="<VirtualHost *:80>\nZduManagerSecret x\n</VirtualHost>\n")
        code, output = httpd.configtest()
        self.assertNotEqual(code, 0, output)
        self.assertIn("VirtualHost", output)


class Commands(ManagerTestCase):
    def test_unknown_command_lists_the_commands(self):
        httpd, _ = self.start_managed(versions=("1.0",), instance_attrs=None)
        response = self.command(httpd, cmd="reboot")
        self.assertEqual(response.status, 400)
        error = response.json()["error"]
        for name in ("ping", "status", "disable-domain", "enable-domain", "stop-domain",
                     "disable-instance", "enable-instance", "stop-instance"):
            self.assertIn(name, error)
        self.assertEqual(self.command(httpd, cmd="status", clustr="c1").status, 400)

    def test_answers_stay_valid_json_whatever_the_client_sends(self):
        httpd, _ = self.start_managed(versions=("1.0",), instance_attrs=None)
        for name in ('a"b\\c\n\t\x01</x>\u2028', b"\xff\xfe"):
            response = self.command(httpd, cmd="ping", instance=name)
            self.assertEqual(response.status, 404)
            error = response.json()["error"]  # json.loads refuses raw control characters
            if isinstance(name, str):
                self.assertIn(name, error)
            else:
                self.assertIn("\ufffd", error)
        self.assertEqual(self.command(httpd, cmd="ping", instance="%zz").status, 404)
        self.assertEqual(self.client(httpd).get("/zdu-manager?cmd=ping&instance=%zz",
                                                headers={"X-Zdu-Secret": SECRET}).status, 400)

    def test_client_values_reach_the_log_escaped(self):
        httpd, _ = self.start_managed(versions=("1.0",), instance_attrs=None)
        response = self.command(httpd, "POST", cmd="stop-instance", instance="i\n1\x1b[31m")
        self.assertEqual(response.status, 404, response.text)
        # httpd's error log escapes control bytes: the value cannot forge or colour a line.
        self.assertRegex(httpd.error_log(),
                         r"ZDU0031: manager: stop-instance instance=i\\n1\\x1b\[31m from ")

    def test_changes_need_post(self):
        httpd, _ = self.start_managed()
        response = self.command(httpd, cmd="stop-domain", domain="d1")
        self.assertEqual(response.status, 405)
        self.assertEqual(response.header("Allow"), "POST")
        self.assertEqual(self.ok(httpd, cmd="status")["clusters"][0]["instances"][0]
                         ["admin_state"], "active", "a GET changed nothing")
        missing = self.command(httpd, "POST", cmd="stop-domain", domain="nope")
        self.assertEqual(missing.status, 404)
        self.assertIn("nope", missing.json()["error"])


class Ping(ManagerTestCase):
    def test_ping_proxy(self):
        httpd, _ = self.start_managed(versions=("1.0",), instance_attrs=None)
        answer = self.ok(httpd, cmd="ping")
        self.assertTrue(answer["ok"])
        self.assertEqual(answer["target"], "proxy")
        self.assertIn(answer["pid"], httpd.child_pids())
        self.assertTrue(self.ok(httpd, "POST", cmd="ping")["ok"], "POST may read too")
        head = self.command(httpd, "HEAD", cmd="status")
        self.assertEqual((head.status, head.body), (200, b""))
        self.assertEqual(self.command(httpd, "PUT", cmd="ping").status, 405)

    def test_ping_instance_by_name_and_by_route(self):
        httpd, backends = self.start_managed(versions=("1.0", "1.0"), instance_attrs=None)
        client = self.client(httpd)
        login = client.get("/app/login").json()
        home = login["instance"]
        route = client.jar["JROUTE"]
        backends[0].reset_stats()

        by_name = self.ok(httpd, cmd="ping", instance="i1")
        self.assertTrue(by_name["ok"], by_name)
        self.assertEqual((by_name["cluster"], by_name["instance"], by_name["status"]),
                         ("c1", "i1", 200))
        self.assertIsNone(by_name["error"])
        self.assertEqual(by_name["url"], backends[0].url + "/")
        self.assertEqual(backends[0].stats()["pings"], 1, "a real HTTP ping reached i1")

        by_route = self.ok(httpd, cmd="ping", instance=route, cluster="c1")
        self.assertTrue(by_route["ok"], by_route)
        self.assertEqual(by_route["instance"], home)
        self.assertEqual(by_route["route"], route)

        unknown = self.command(httpd, cmd="ping", instance="nope")
        self.assertEqual(unknown.status, 404)
        self.assertFalse(unknown.json()["ok"])
        self.assertEqual(self.command(httpd, cmd="ping", instance="i1", cluster="c9").status,
                         404)

    def test_ping_uses_the_health_checker_url(self):
        httpd, backends = self.start_managed(
            versions=("1.0",), instance_attrs=None, backend_opts={"health_status": 503},
            cluster_attrs={"health_checker": {"url": "/probe/health", "interval": 0,
                                              "timeout": 2}})
        answer = self.ok(httpd, cmd="ping", instance="i1")
        self.assertEqual(answer["url"], backends[0].url + "/probe/health")
        self.assertEqual(answer["status"], 503)
        self.assertFalse(answer["ok"], "a 503 is not healthy")

    def test_ping_killed_backend(self):
        httpd, backends = self.start_managed(versions=("1.0", "1.0"), instance_attrs=None)
        backends[1].kill9()
        answer = self.ok(httpd, cmd="ping", instance="i2")
        self.assertFalse(answer["ok"])
        self.assertEqual(answer["status"], 0)
        self.assertRegex(answer["error"], "connect")
        self.assertTrue(self.ok(httpd, cmd="ping", instance="i1")["ok"])

    def test_ping_url(self):
        httpd, backends = self.start_managed(versions=("1.0",), instance_attrs=None)
        answer = self.ok(httpd, cmd="ping", url=backends[0].url + "/health")
        self.assertTrue(answer["ok"], answer)
        self.assertEqual((answer["target"], answer["status"]), ("url", 200))
        backends[0].kill9()
        self.assertFalse(self.ok(httpd, cmd="ping", url=backends[0].url)["ok"])
        for url in ("https://127.0.0.1:443/", "ftp://127.0.0.1:21", "127.0.0.1:80"):
            response = self.command(httpd, cmd="ping", url=url)
            self.assertEqual(response.status, 400, url)
            self.assertIn("http://", response.json()["error"])


class PingLimits(ManagerTestCase):
    """cmd=ping reaches only instance listeners unless ZduManagerPingAnyUrl is on, and pings
    hold request threads for a bounded time, a bounded number at once."""

    def test_url_ping_only_to_instance_listeners(self):
        httpd, backends = self.start_managed(versions=("1.0",), instance_attrs=None)
        outsider = self.start_backend("outsider")  # listening, but not in the config
        response = self.command(httpd, cmd="ping", url=outsider.url + "/")
        self.assertEqual(response.status, 403, response.text)
        self.assertIn("ZduManagerPingAnyUrl", response.json()["error"])
        self.assertEqual(outsider.stats()["requests"], 0, "nothing reached the outsider")
        self.assertTrue(self.ok(httpd, cmd="ping", url=backends[0].url + "/")["ok"])

    def test_any_url_when_the_directive_allows_it(self):
        httpd, _ = self.start_managed(versions=("1.0",), instance_attrs=None,
                                      conf=MANAGER_CONF + "ZduManagerPingAnyUrl On\n")
        outsider = self.start_backend("outsider")
        self.assertTrue(self.ok(httpd, cmd="ping", url=outsider.url + "/")["ok"])

    def slow_checked(self, ms, timeout=30, **opts):
        checker = {"url": f"/app/slow?ms={ms}", "interval": 0, "timeout": timeout}
        return self.start_managed(versions=("1.0",), instance_attrs=None,
                                  cluster_attrs={"health_checker": checker}, **opts)

    def test_pings_at_once_are_capped_per_process(self):
        httpd, _ = self.slow_checked(1500, servers=1)
        statuses = parallel(lambda _: self.command(httpd, cmd="ping", instance="i1").status,
                            range(PING_CAP + 2), threads=PING_CAP + 2)
        self.assertEqual(collections.Counter(statuses), {200: PING_CAP, 503: 2}, statuses)
        self.assertEqual(self.command(httpd, cmd="ping", instance="i1").status, 200,
                         "slots come back")

    def test_ping_timeout_is_bounded(self):
        httpd, _ = self.slow_checked(15000, timeout=60)
        started = time.monotonic()
        answer = self.ok(httpd, cmd="ping", instance="i1")
        self.assertFalse(answer["ok"], answer)
        self.assertRegex(answer["error"], "timed out")
        self.assertLess(time.monotonic() - started, MAX_PING_SECONDS + 2)


class Domains(ManagerTestCase):
    def test_stop_domain_moves_its_sessions_and_takes_no_new_ones(self):
        httpd, _ = self.start_managed()
        sessions = self.sessions(httpd, 40)
        self.assertTrue({home for _, home in sessions} >= D1, "sessions on both domains")

        answer = self.ok(httpd, "POST", cmd="stop-domain", domain="d1")
        self.assertEqual(answer["changed"], 2)
        self.assertEqual({i["instance"] for i in answer["instances"]}, D1)
        self.assertTrue(all(i["admin_state"] == "stopped" for i in answer["instances"]))
        self.assertIn("ZDU0031", httpd.error_log())

        served = self.served(sessions)
        for home, instances in served.items():
            self.assertTrue(instances <= D2, f"sessions of {home} served by {instances}")
        self.assertEqual(set(self.new_session_homes(httpd)), D2)

        self.ok(httpd, "POST", cmd="enable-domain", domain="d1")
        self.assertEqual(set(self.new_session_homes(httpd)), D1 | D2, "enable restores")

    def test_disable_domain_keeps_sessions_and_takes_no_new_ones(self):
        httpd, _ = self.start_managed()
        sessions = self.sessions(httpd, 40)
        answer = self.ok(httpd, "POST", cmd="disable-domain", domain="d1", cluster="c1")
        self.assertEqual(answer["admin_state"], "disabled")
        self.assertEqual(answer["changed"], 2)

        for home, instances in self.served(sessions).items():
            self.assertEqual(instances, {home}, "existing sessions stay")
        self.assertEqual(set(self.new_session_homes(httpd)), D2)

        again = self.ok(httpd, "POST", cmd="disable-domain", domain="d1")
        self.assertEqual(again["changed"], 0, "already disabled")
        self.ok(httpd, "POST", cmd="enable-domain", domain="d1")
        self.assertEqual(set(self.new_session_homes(httpd)), D1 | D2)

    def test_instance_commands_by_name_or_route(self):
        httpd, _ = self.start_managed()
        client = self.client(httpd)
        client.get("/app/login")
        route = client.jar["JROUTE"]
        target = [i for i in self.ok(httpd, cmd="status")["clusters"][0]["instances"]
                  if i["route"] == route][0]["name"]
        answer = self.ok(httpd, "POST", cmd="stop-instance", instance=route)
        self.assertEqual([i["instance"] for i in answer["instances"]], [target])
        self.assertNotIn(target, self.new_session_homes(httpd))
        self.ok(httpd, "POST", cmd="enable-instance", instance=target)
        self.assertIn(target, self.new_session_homes(httpd))

    def test_every_prefork_child_obeys(self):
        httpd, _ = self.start_managed(mpm="prefork", servers=4, threads=2)
        self.ok(httpd, "POST", cmd="stop-domain", domain="d1")
        self.assertEqual(set(self.new_session_homes(httpd, 80)), D2)

    def test_admin_state_survives_a_graceful_restart(self):
        httpd, _ = self.start_managed()
        self.ok(httpd, "POST", cmd="stop-domain", domain="d2")
        httpd.graceful()
        self.assertEqual(set(self.new_session_homes(httpd, 30)), D1)


class Status(ManagerTestCase):
    def instances(self, httpd):
        clusters = self.ok(httpd, cmd="status")["clusters"]
        self.assertEqual([c["name"] for c in clusters], ["c1"])
        return {i["name"]: i for i in clusters[0]["instances"]}

    def test_status_lists_instances_and_counters_grow(self):
        httpd, _ = self.start_managed()
        before = self.instances(httpd)
        self.assertEqual(set(before), D1 | D2)
        i1 = before["i1"]
        self.assertEqual((i1["domain"], i1["enabled"], i1["admin_state"], i1["healthy"]),
                         ("d1", True, "active", True))
        self.assertRegex(i1["route"], r"^[a-z2-7]{8}$")
        self.assertIsNone(i1["unhealthy_since_ms"])
        self.assertEqual(i1["busy"], 0)
        for name in ("requests", "new_sessions", "failures", "failovers", "retries"):
            self.assertEqual(i1["counters"][name], 0, name)

        sessions = self.sessions(httpd, 40)
        self.served(sessions, requests=2)
        after = self.instances(httpd)
        total = sum(i["counters"]["requests"] for i in after.values())
        self.assertEqual(total, 40 * 3, "every request, whichever child served it")
        self.assertEqual(sum(i["counters"]["new_sessions"] for i in after.values()), 40)

        self.ok(httpd, "POST", cmd="stop-instance", instance="i1")
        self.served(sessions, requests=1)
        after_stop = self.instances(httpd)
        self.assertEqual(after_stop["i1"]["admin_state"], "stopped")
        moved = sum(1 for _, home in sessions if home == "i1")
        self.assertEqual(sum(i["counters"]["failovers"] for i in after_stop.values()), moved)

    def test_status_of_one_cluster(self):
        httpd, _ = self.start_managed(versions=("1.0",), instance_attrs=None)
        answer = self.ok(httpd, cmd="status", cluster="c1")
        self.assertEqual(len(answer["clusters"]), 1)
        self.assertEqual(self.command(httpd, cmd="status", cluster="c9").status, 404)


if __name__ == "__main__":
    unittest.main()
