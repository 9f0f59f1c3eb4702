"""The drain lifecycle without the request path's session learning: the session and upgrade
directives are accepted or refused with errors that name the value; SetHandler zdu-status
answers the status document of cmd=status with the versions, drain states and session counts;
an instance disabled in the xml with nothing left becomes drained within one sweep and runs
ZduDrainedCommand exactly once (not again after a graceful restart), goes back to active when
enabled again, and a drain with a request still in flight ends by its disable timeout."""
import os
import stat
import threading
import time

from harness import ZduTestCase
from harness.client import Client
from harness.httpd import Httpd
from harness.manager import MANAGER_CONF, Manager
from harness.process import wait_until
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

SWEEP = 1  # session-sweep-interval-in-seconds
STATUS_CONF = "<Location /zdu-status>\n    SetHandler zdu-status\n</Location>\n"
# Writes its arguments, one run a line, and the signals it was started with blocked.
DRAINED_SCRIPT = """#!/usr/bin/python3
import sys
out = sys.argv[1]
with open(out, "a") as f:
    f.write(" ".join(sys.argv[2:]) + "\\n")
with open("/proc/self/status") as status, open(out + ".sigblk", "a") as f:
    f.write("".join(line for line in status if line.startswith("SigBlk:")))
"""

def instance_status(document, name):
    for cluster in document["clusters"]:
        for inst in cluster["instances"]:
            if inst["name"] == name:
                return inst
    raise AssertionError(f"no instance {name} in {document}")


def key_paths(value, prefix=""):
    """The set of key paths of a JSON value (array items share the path "[]")."""
    paths = set()
    if isinstance(value, dict):
        for k, v in value.items():
            paths.add(prefix + "." + k)
            paths |= key_paths(v, prefix + "." + k)
    elif isinstance(value, list):
        for item in value:
            paths |= key_paths(item, prefix + "[]")
    return paths


class Directives(ZduTestCase):
    def configtest(self, lines):
        httpd = Httpd(self.make_tmpdir(), loadbalancer_xml([{
            "name": "c1", "web_modules": [{"context_root": "/app"}],
            "instances": [{"name": "i1", "listeners": "http://127.0.0.1:1"}]}]),
            extra_conf=lines)
        self.addCleanup(httpd.stop)
        return httpd.configtest()

    def assertRefused(self, lines, *expected):
        rc, output = self.configtest(lines)
        self.assertGreater(rc, 0, output)
        for text in expected:
            self.assertIn(text, output)

    def test_valid_values_are_accepted(self):
        rc, output = self.configtest(
            "ZduSessionSlots 4096\n"
            "ZduVersionPinKey 0123456789abcdef0123 fedcba9876543210fedc\n"
            "ZduSideDoorClients 127.0.0.1 10.0.0.0/8\n"
            "ZduSideDoorClients ::1/128\n"
            'ZduDrainedCommand "/usr/local/bin/stop-instance %c %i %v"\n')
        self.assertEqual(rc, 0, output)

    def test_session_slots_out_of_range(self):
        self.assertRefused("ZduSessionSlots 12\n", "ZduSessionSlots", "'12'", "1024")
        self.assertRefused("ZduSessionSlots lots\n", "ZduSessionSlots", "'lots'")

    def test_pin_key_too_short_is_refused_without_echoing_it(self):
        rc, output = self.configtest("ZduVersionPinKey hunter2\n")
        self.assertGreater(rc, 0, output)
        self.assertIn("ZduVersionPinKey", output)
        self.assertIn("at least 16", output)
        self.assertNotIn("hunter2", output, "a key never goes into a message")
        self.assertRefused("ZduVersionPinKey 0123456789abcdef0123 short\n", "previous key")

    def test_pin_key_only_once(self):
        self.assertRefused("ZduVersionPinKey 0123456789abcdef0123\n"
                           "ZduVersionPinKey fedcba9876543210fedc\n", "only once")

    def test_side_door_range_named(self):
        self.assertRefused("ZduSideDoorClients 127.0.0.1 10.0.0.0/33\n",
                           "ZduSideDoorClients", "10.0.0.0/33")
        self.assertRefused("ZduSideDoorClients not-an-address\n", "not-an-address")

    def test_drained_command_errors_name_the_text(self):
        self.assertRefused('ZduDrainedCommand "stop-instance %c"\n',
                           "ZduDrainedCommand", "stop-instance", "absolute")
        self.assertRefused('ZduDrainedCommand "/bin/stop %q"\n', "ZduDrainedCommand", "%q")
        self.assertRefused('ZduDrainedCommand "/bin/a"\nZduDrainedCommand "/bin/b"\n',
                           "only once")

    def test_directives_are_server_wide(self):
        self.assertRefused("<Location /x>\nZduSessionSlots 4096\n</Location>\n",
                           "ZduSessionSlots")


class StatusHandler(ZduTestCase):
    def test_json_is_the_status_document_with_the_lifecycle_keys(self):
        httpd, _ = self.start_cluster(versions=("1.0", "1.0"),
                                      extra_conf=STATUS_CONF + MANAGER_CONF)
        client = self.client(httpd)
        response = client.get("/zdu-status?json")
        self.assertEqual(response.status, 200, response.text)
        self.assertEqual(response.header("Content-Type"), "application/json")
        self.assertEqual(response.header("Cache-Control"), "no-store")
        document = response.json()
        self.assertEqual(document["command"], "status")
        self.assertIn("session_table", document)
        self.assertGreaterEqual(document["session_table"]["capacity"], 1 << 20)
        self.assertGreater(document["session_table"]["bytes"], 0)
        self.assertLessEqual(document["session_table"]["bytes"], 64 << 20)
        cluster = document["clusters"][0]
        self.assertEqual(cluster["active_version"], "1.0")
        self.assertIsNone(cluster["canary"])
        self.assertEqual(cluster["generation"], document["generation"])
        for key in ("stale_sessions", "session_overflow"):
            self.assertEqual(cluster[key], 0, key)
        for inst in cluster["instances"]:
            self.assertEqual(inst["version"], "1.0")
            self.assertEqual(inst["state"], "active")
            for key in ("live_sessions", "untracked_sessions", "sessions_created_while_draining",
                        "sessions_ended", "sessions_expired", "long_lived"):
                self.assertEqual(inst[key], 0, key)
            self.assertIsNone(inst["draining_since_ms"])
            self.assertIsNone(inst["drained_since_ms"])
            # Today's keys stay.
            for key in ("admin_state", "healthy", "counters", "busy", "route"):
                self.assertIn(key, inst)

        # The same document as cmd=status: the same keys everywhere.
        managed = Manager(httpd).status()
        self.assertEqual(key_paths(document), key_paths(managed))
        # Without ?json, a client whose Accept prefers JSON gets the same document.
        asked = client.get("/zdu-status", {"Accept": "application/json"}).json()
        self.assertEqual(key_paths(asked), key_paths(document))

    def test_read_only(self):
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf=STATUS_CONF)
        client = self.client(httpd)
        head = client.request("HEAD", "/zdu-status?json")
        self.assertEqual(head.status, 200)
        self.assertEqual(head.body, b"")
        post = client.post("/zdu-status?json", b"cmd=disable")
        self.assertEqual(post.status, 405)
        self.assertIn("GET", post.header("Allow", ""))
        self.assertEqual(client.get("/zdu-status?json").json()["clusters"][0]["instances"][0]
                         ["admin_state"], "active")

    def test_no_secret_needed_access_left_to_require(self):
        conf = "<Location /zdu-status>\n    SetHandler zdu-status\n    Require all denied\n" \
               "</Location>\n"
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf=conf)
        self.assertEqual(self.client(httpd).get("/zdu-status?json").status, 403)


class DrainLifecycle(ZduTestCase):
    def setUp(self):
        super().setUp()
        self.work = self.make_tmpdir()
        # httpd's children run as www-data: the script must be theirs to run, the dir to write.
        os.chmod(self.work, 0o777)
        self.script = os.path.join(self.work, "drained.sh")
        with open(self.script, "w") as f:
            f.write(DRAINED_SCRIPT)
        os.chmod(self.script, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH
                 | stat.S_IXOTH)
        self.out = os.path.join(self.work, "drained.out")

    def runs(self):
        try:
            with open(self.out) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def start(self, backends, xml, minute_seconds=60):
        self.backends = backends
        conf = (STATUS_CONF + MANAGER_CONF +
                f'ZduDrainedCommand "{self.script} {self.out} %c %i %v"\n')
        return self.start_httpd(xml, extra_conf=conf)

    def xml(self, i2_enabled=True, minute_seconds=60, disable_timeout=31):
        attrs = [{}, {"enabled": "true" if i2_enabled else "false",
                      "disable_timeout": disable_timeout}]
        return loadbalancer_xml(
            [cluster_of(self.backends, instance_attrs=attrs)],
            {"session-sweep-interval-in-seconds": SWEEP, "zdu-minute-in-seconds": minute_seconds})

    def state_of(self, httpd, name):
        return instance_status(self.client(httpd).get("/zdu-status?json").json(), name)

    def wait_state(self, httpd, name, state, timeout):
        deadline = time.monotonic() + timeout
        while True:
            inst = self.state_of(httpd, name)
            if inst["state"] == state:
                return inst
            if time.monotonic() >= deadline:
                self.fail(f"{name} is {inst['state']}, not {state}, after {timeout} s: {inst}")
            time.sleep(0.1)

    def reload(self, httpd, xml):
        httpd.write_xml(xml)
        status, answer = Manager(httpd).reload()
        self.assertEqual(status, 200, answer)
        self.assertTrue(answer["changed"], answer)

    def test_disabled_instance_is_drained_once_and_active_again_when_enabled(self):
        self.backends = self.start_backends(("1.0", "1.0"))
        httpd = self.start(self.backends, self.xml())
        # The sweep runs: i2 stays active while enabled (and its watchdog has started).
        self.wait_state(httpd, "i2", "active", 15)
        time.sleep(12)  # mod_watchdog's singleton may wait 10 s before its first run
        self.assertEqual(self.runs(), [])

        self.reload(httpd, self.xml(i2_enabled=False))
        disabled_at = time.monotonic()
        inst = self.wait_state(httpd, "i2", "drained", SWEEP + 2)
        self.assertLessEqual(time.monotonic() - disabled_at, SWEEP + 1.5, "within one sweep")
        self.assertIsNotNone(inst["drained_since_ms"])
        self.assertIsNotNone(inst["draining_since_ms"])
        self.assertEqual(self.state_of(httpd, "i1")["state"], "active")
        self.assertTrue(wait_until(lambda: self.runs(), 5), "the drained command ran")
        time.sleep(3 * SWEEP)
        self.assertEqual(self.runs(), ["c1 i2 1.0"], "exactly once, with its arguments")
        self.assertEqual(len(log_lines(httpd, "ZDU0130")), 1, httpd.error_log())
        self.assertTrue(wait_until(lambda: log_lines(httpd, "ZDU0132"), 5),
                        "its exit is logged")
        self.assertIn("exited with 0", log_lines(httpd, "ZDU0132")[0])
        # Started with no signal blocked, so an orchestrator can stop it.
        with open(self.out + ".sigblk") as f:
            self.assertEqual(f.read().split(), ["SigBlk:", "0000000000000000"])

        # A graceful restart keeps the drain state (the block is reused): not run again.
        httpd.graceful()
        time.sleep(12 + 3 * SWEEP)
        self.assertEqual(self.state_of(httpd, "i2")["state"], "drained")
        self.assertEqual(self.runs(), ["c1 i2 1.0"], "not run again after a graceful restart")

        # Enabled again: active; a later drain is a new one and runs the command again.
        self.reload(httpd, self.xml(i2_enabled=True))
        inst = self.wait_state(httpd, "i2", "active", SWEEP + 2)
        self.assertIsNone(inst["drained_since_ms"])
        self.assertTrue(log_lines(httpd, "ZDU0135"), "logged")
        self.assertEqual(self.runs(), ["c1 i2 1.0"])
        self.reload(httpd, self.xml(i2_enabled=False))
        self.wait_state(httpd, "i2", "drained", SWEEP + 2)
        self.assertTrue(wait_until(lambda: len(self.runs()) == 2, 5), self.runs())

    def test_an_instance_never_in_service_is_not_drained_nor_given_to_the_command(self):
        """Added disabled (step 1 of a rolling upgrade): nothing to drain, and the command that
        stops drained instances must not stop it. Once enabled and given sessions, it is."""
        self.backends = self.start_backends(("1.0", "1.0"))
        httpd = self.start(self.backends, self.xml(i2_enabled=False))
        self.wait_state(httpd, "i2", "drained", 15)  # reported: it holds nothing
        time.sleep(12 + 3 * SWEEP)  # the sweep's watchdog may wait 10 s before its first run
        self.assertEqual(self.runs(), [], "the drained command never ran for it")
        self.assertEqual(log_lines(httpd, "ZDU0130"), [], "no drained line")
        self.assertIsNone(self.state_of(httpd, "i2")["drained_since_ms"])

        self.reload(httpd, self.xml(i2_enabled=True))
        self.wait_state(httpd, "i2", "active", SWEEP + 2)
        time.sleep(2 * SWEEP)  # a sweep sees it take new sessions: in service from now on
        self.reload(httpd, self.xml(i2_enabled=False))
        self.wait_state(httpd, "i2", "drained", SWEEP + 2)
        self.assertTrue(wait_until(lambda: self.runs() == ["c1 i2 1.0"], 5), self.runs())

    def test_drain_deadline_forces_drained_with_a_request_in_flight(self):
        minute = 3
        self.backends = self.start_backends(("1.0", "1.0"))
        httpd = self.start(self.backends, self.xml(minute_seconds=minute, disable_timeout=1))
        route = self.state_of(httpd, "i2")["route"]
        self.wait_state(httpd, "i2", "active", 15)
        time.sleep(12)  # the sweep's first run

        # A slow request on i2, in flight through the whole drain timeout.
        slow = Client(httpd.base_url, timeout=60)
        self.addCleanup(slow.close)
        slow.jar["JROUTE"] = route
        result = {}
        thread = threading.Thread(
            target=lambda: result.setdefault("r", slow.get(f"/app/slow?ms={(minute + 6) * 1000}")))
        thread.start()
        self.addCleanup(thread.join)
        self.assertTrue(wait_until(lambda: self.state_of(httpd, "i2")["busy"] >= 1, 5),
                        "the slow request is in flight on i2")

        self.reload(httpd, self.xml(i2_enabled=False, minute_seconds=minute, disable_timeout=1))
        disabled_at = time.monotonic()
        self.wait_state(httpd, "i2", "draining", SWEEP + 2)
        self.assertEqual(self.runs(), [], "not drained while a request is in flight")
        self.wait_state(httpd, "i2", "drained", minute + SWEEP + 2)
        self.assertGreaterEqual(time.monotonic() - disabled_at, minute - 0.5,
                                "not before the timeout")
        forced = log_lines(httpd, "ZDU0130")
        self.assertEqual(len(forced), 1, forced)
        self.assertIn("disable timeout", forced[0])
        self.assertIn("1 requests in flight", forced[0])
        self.assertTrue(wait_until(lambda: self.runs() == ["c1 i2 1.0"], 5), self.runs())
        thread.join(timeout=30)


def log_lines(httpd, log_id):
    return [line for line in httpd.error_log().splitlines() if log_id in line]


if __name__ == "__main__":
    import unittest
    unittest.main()
