"""The manager's drain, web-module and version commands against a real httpd (event MPM, several
children) and real backends: a drain with a timeout answers whether every session ended in time;
disable-web-module refuses new sessions as the xml's enabled="false" does; set-active-version and
start/stop-canary steer new sessions in every child. Each is an override: listed in status,
kept across a stop/start, cleared by a push-commit with reset-overrides=1."""
import collections
import concurrent.futures
import threading
import time
import unittest
from urllib.parse import urlencode

from harness import Client, ZduTestCase

SECRET = "s3cret"
MANAGER_CONF = ("<Location /zdu-manager>\n    SetHandler zdu-manager\n</Location>\n"
                f"ZduManagerSecret {SECRET}\n")
SWEEP = 1  # session-sweep-interval-in-seconds
SLACK = 1.5  # seconds: scheduling on a shared machine
PROPS = {"session-sweep-interval-in-seconds": SWEEP, "reload-poll-interval-in-seconds": 1}
THREADS = 8


def parallel(fn, items, threads=THREADS):
    """Over several connections at once, so that requests reach every httpd child."""
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return list(pool.map(fn, items))


class ActionsTestCase(ZduTestCase):
    def start(self, versions=("1.0", "1.0"), conf=MANAGER_CONF, **opts):
        self.httpd, self.backends = self.start_cluster(versions=versions, properties=PROPS,
                                                       extra_conf=conf, **opts)
        return self.httpd

    def command(self, method="POST", **params):
        with Client(self.httpd.base_url) as client:
            return client.request(method, "/zdu-manager?" + urlencode(params),
                                  headers={"X-Zdu-Secret": SECRET})

    def ok(self, **params):
        response = self.command(**params)
        self.assertEqual(response.status, 200, response.text)
        return response.json()

    def status(self):
        return self.ok(method="GET", cmd="status")

    def overrides(self):
        return [{k: o.get(k) for k in ("kind", "cluster", "instance", "context_root", "version",
                                       "percent", "admin_state", "origin")}
                for o in self.status()["overrides"]]

    def login(self, _=None):
        """A new browser session: (its client, the instance that took it)."""
        client = Client(self.httpd.base_url)
        self.addCleanup(client.close)
        response = client.get("/app/login")
        self.assertEqual(response.status, 200, response.text)
        client.close()  # an idle keep-alive connection would pin a child
        return client, response.json()["instance"]

    def homes(self, count=40):
        return collections.Counter(home for _, home in parallel(self.login, range(count)))

    def sessions_on(self, instance, count):
        """`count` sessions whose home is `instance` (others are logged out)."""
        mine = []
        while len(mine) < count:
            for client, home in parallel(self.login, range(2 * count)):
                if home == instance and len(mine) < count:
                    mine.append(client)
                else:
                    client.get("/app/logout")
                    client.close()
        return mine

    def wait_counted(self, instance, live):
        """Until the sweep counted `live` sessions on `instance`."""
        deadline = time.monotonic() + SWEEP + 2 * SLACK
        while time.monotonic() < deadline:
            for i in self.status()["clusters"][0]["instances"]:
                if i["name"] == instance and i["live_sessions"] == live:
                    return
            time.sleep(0.2)
        self.fail(f"{instance} never counted {live} live sessions")


class Drain(ActionsTestCase):
    def drain_in_background(self, **params):
        result = {}

        def run():
            began = time.monotonic()
            response = self.command(cmd="drain-instance", **params)
            result.update(status=response.status, answer=response.json(),
                          seconds=time.monotonic() - began, ended=time.monotonic())

        thread = threading.Thread(target=run)
        thread.start()
        return thread, result

    def test_drained_when_its_sessions_log_out_before_the_timeout(self):
        self.start()
        users = self.sessions_on("i1", 3)
        self.wait_counted("i1", 3)
        thread, result = self.drain_in_background(instance="i1", timeout=30)
        time.sleep(SWEEP + SLACK)
        self.assertTrue(thread.is_alive(), "the drain waits while sessions are live")
        # Draining: new sessions go elsewhere, in every child; existing ones stay home.
        self.assertEqual(set(self.homes(30)), {"i2"})
        for client in users:
            self.assertServedBy(client.get("/app/page"), "i1")
        self.assertEqual(self.status()["clusters"][0]["instances"][0]["admin_state"],
                         "disabled")
        logged_out = time.monotonic()
        for client in users:
            client.get("/app/logout")
            client.close()
        thread.join(40)
        self.assertFalse(thread.is_alive())
        answer = result["answer"]
        self.assertEqual(result["status"], 200, answer)
        self.assertTrue(answer["drained"], answer)
        self.assertEqual(answer["remaining"], 0)
        self.assertEqual(answer["instances"][0]["instance"], "i1")
        # Bounded: answered within a sweep (plus the poll) of the last logout.
        self.assertLess(result["ended"] - logged_out, SWEEP + 2 * SLACK, answer)
        self.assertIn({"kind": "instance", "cluster": "c1", "instance": "i1",
                       "context_root": None, "version": None, "percent": None,
                       "admin_state": "disabled", "origin": "manager"}, self.overrides())

    def test_not_drained_at_a_short_timeout_names_what_remains(self):
        self.start()
        users = self.sessions_on("i1", 2)
        self.wait_counted("i1", 2)
        began = time.monotonic()
        answer = self.ok(cmd="drain-instance", instance="i1", timeout=2)
        took = time.monotonic() - began
        self.assertFalse(answer["drained"], answer)
        self.assertEqual(answer["remaining"], 2, answer)
        self.assertEqual(answer["instances"][0]["live_sessions"], 2)
        self.assertGreaterEqual(took, 2.0)
        self.assertLess(took, 2.0 + SLACK)
        for client in users:
            self.assertServedBy(client.get("/app/page"), "i1", "sessions keep their instance")

    def test_drain_domain_disables_the_domain_and_refuses_bad_arguments(self):
        self.start(versions=("1.0",) * 3,
                   instance_attrs=[{"domain": "d1"}, {"domain": "d1"}, {"domain": "d2"}])
        answer = self.ok(cmd="drain-domain", domain="d1", timeout=5)
        self.assertTrue(answer["drained"], answer)
        self.assertEqual({c["instance"] for c in answer["changes"]}, {"i1", "i2"})
        self.assertEqual(set(self.homes(20)), {"i3"})
        bad = self.command(cmd="drain-instance", instance="i3", timeout="soon")
        self.assertEqual(bad.status, 400)
        self.assertIn("timeout", bad.json()["error"])
        self.assertEqual(self.command(cmd="drain-instance", instance="i3").status, 400)
        self.assertEqual(self.command("GET", cmd="drain-instance", instance="i3",
                                      timeout=1).status, 405)
        self.assertEqual(self.command(cmd="drain-instance", instance="nope",
                                      timeout=1).status, 404)


class WebModule(ActionsTestCase):
    def test_disable_refuses_new_sessions_and_keeps_existing_ones(self):
        self.start()
        users = [self.login()[0] for _ in range(3)]
        answer = self.ok(cmd="disable-web-module", **{"context-root": "/app"})
        self.assertEqual(answer["changed"], 1, answer)
        refused = parallel(lambda _: Client(self.httpd.base_url).get("/app/login").status,
                           range(20))
        self.assertEqual(set(refused), {503}, "as with the xml's enabled=false")
        for client in users:
            self.assertEqual(client.get("/app/page").status, 200, "existing sessions continue")
        self.assertIn({"kind": "web-module", "cluster": "c1", "instance": None,
                       "context_root": "/app", "version": None, "percent": None,
                       "admin_state": "disabled", "origin": "manager"}, self.overrides())
        self.ok(cmd="enable-web-module", **{"context-root": "/app"})
        self.assertEqual(sum(self.homes(10).values()), 10)
        self.assertEqual(self.overrides(), [])
        self.assertEqual(self.command(cmd="disable-web-module",
                                      **{"context-root": "/nope"}).status, 404)


    def test_drain_web_module_waits_for_the_sessions_of_its_cluster(self):
        self.start()
        users = [self.login()[0] for _ in range(2)]
        self.wait_counted_total(2)
        answer = self.ok(cmd="drain-web-module", timeout=1, **{"context-root": "/app"})
        self.assertFalse(answer["drained"], answer)
        self.assertEqual(answer["remaining"], 2, answer)
        self.assertEqual(Client(self.httpd.base_url).get("/app/login").status, 503)
        for client in users:
            self.assertEqual(client.get("/app/page").status, 200)
            client.get("/app/logout")
        answer = self.ok(cmd="drain-web-module", timeout=10, **{"context-root": "/app"})
        self.assertTrue(answer["drained"], answer)
        self.assertEqual(answer["remaining"], 0)

    def wait_counted_total(self, live):
        deadline = time.monotonic() + SWEEP + 2 * SLACK
        while time.monotonic() < deadline:
            instances = self.status()["clusters"][0]["instances"]
            if sum(i["live_sessions"] for i in instances) == live:
                return
            time.sleep(0.2)
        self.fail(f"the sweep never counted {live} live sessions")


class Versions(ActionsTestCase):
    def test_set_active_version_steers_new_sessions_in_every_child(self):
        self.start(versions=("1.0", "2.0"))
        self.assertEqual(set(self.homes()), {"i2"}, "the highest version by default")
        self.ok(cmd="set-active-version", cluster="c1", version="1.0")
        pids = {self.ok(method="GET", cmd="ping")["pid"] for _ in range(12)}
        self.assertEqual(set(self.homes()), {"i1"}, f"in every child ({len(pids)} answered)")
        self.assertIn({"kind": "active-version", "cluster": "c1", "instance": None,
                       "context_root": None, "version": "1.0", "percent": None,
                       "admin_state": None, "origin": "manager"}, self.overrides())
        self.assertEqual(self.command(cmd="set-active-version", cluster="c1",
                                      version="9.9").status, 404)
        self.ok(cmd="set-active-version", cluster="c1", version="")
        self.assertEqual(set(self.homes()), {"i2"}, "the xml decides again")
        self.assertEqual(self.overrides(), [])

    def test_canary_takes_its_share_until_stopped(self):
        self.start(versions=("1.0", "2.0"), cluster_attrs={"active_version": "1.0"})
        self.assertEqual(set(self.homes()), {"i1"})
        self.ok(cmd="start-canary", cluster="c1", version="2.0", percent=50)
        homes = self.homes(100)
        self.assertGreater(homes["i2"], 20, homes)
        self.assertGreater(homes["i1"], 20, homes)
        self.ok(cmd="stop-canary", cluster="c1")
        self.assertEqual(set(self.homes()), {"i1"}, "stopped: no new session on 2.0")
        self.assertIn("canary", [o["kind"] for o in self.overrides()])


class Persistence(ActionsTestCase):
    def test_overrides_survive_a_restart_and_a_reset_clears_them(self):
        httpd = self.start(versions=("1.0", "2.0"), conf=MANAGER_CONF + "ZduConfigPush On\n")
        self.ok(cmd="set-active-version", cluster="c1", version="1.0")
        self.ok(cmd="start-canary", cluster="c1", version="2.0", percent=10)
        self.ok(cmd="disable-web-module", **{"context-root": "/app"})
        self.ok(cmd="drain-instance", instance="i2", timeout=0)
        before = self.overrides()
        self.assertEqual(len(before), 4, before)
        time.sleep(2.5)  # the parent writes the state file on its monitor turn
        httpd.stop()
        httpd.start()
        self.assertEqual(sorted(map(str, self.overrides())), sorted(map(str, before)))
        self.assertEqual(Client(httpd.base_url).get("/app/login").status, 503)
        # A push-commit with reset-overrides=1 of the same xml clears them all.
        xml = httpd.xml_path.read_bytes()
        with Client(httpd.base_url) as client:
            validate = client.request("POST", "/zdu-manager?cmd=push-validate", body=xml,
                                      headers={"X-Zdu-Secret": SECRET})
            self.assertEqual(validate.status, 200, validate.text)
            v = validate.json()
            commit = client.request(
                "POST", f"/zdu-manager?cmd=push-commit&hash={v['hash']}&reset-overrides=1",
                body=xml, headers={"X-Zdu-Secret": SECRET})
        self.assertEqual(commit.status, 200, commit.text)
        self.assertEqual(len(commit.json()["cleared"]), 4, commit.text)
        self.assertEqual(self.overrides(), [])
        self.assertEqual(set(self.homes()), {"i2"})


if __name__ == "__main__":
    unittest.main()
