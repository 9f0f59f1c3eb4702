"""State that outlives one block of shared memory: a graceful restart onto a mod_zdu.so with
another shared-memory layout (a package upgrade), a stop and start, a larger ZduStateSlots. The
manager's admin states, their clocks and the quiesce clocks carry over; the new module never
reads a block of another layout; a corrupt state file is reported and ignored."""
import os
import shutil
import signal
import time
import unittest
from pathlib import Path
from urllib.parse import urlencode

from harness import Client, Httpd, ZduTestCase
from harness import paths, process
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

SECRET = "s3cret"
MANAGER_CONF = (f"<Location /zdu-manager>\n    SetHandler zdu-manager\n</Location>\n"
                f"ZduManagerSecret {SECRET}\n")
VARIANT_ENV = "ZDU_MODULE_LAYOUT_VARIANT"
LAYOUT = 6  # kLayoutVersion of the normal build (core/state/shared_block.hpp)
VARIANT_LAYOUT = 1003  # kLayoutVersion of the variant build
MINUTE_SECONDS = 3


def variant_module():
    path = os.environ.get(VARIANT_ENV) or paths.build_dir() / "mod_zdu/layout-variant/mod_zdu.so"
    return Path(path)


def replaced_mappings(pid):
    """Mappings of a mod_zdu.so whose file was replaced: code a graceful restart kept."""
    maps = Path(f"/proc/{pid}/maps").read_text().splitlines()
    return sorted({line.split(None, 5)[-1] for line in maps
                   if "mod_zdu.so" in line and line.endswith("(deleted)")})


class StateCarry(ZduTestCase):
    def command(self, httpd, **params):
        # A connection per command, so commands and reads reach every child; changes are POSTs.
        method = "GET" if params.get("cmd") == "status" else "POST"
        with Client(httpd.base_url) as client:
            response = client.request(method, "/zdu-manager?" + urlencode(params),
                                      headers={"X-Zdu-Secret": SECRET})
        self.assertEqual(response.status, 200, response.text)
        return response.json()

    def instances(self, httpd):
        """{name: status entry} from cmd=status."""
        answer = self.command(httpd, cmd="status")
        return {i["name"]: i for i in answer["clusters"][0]["instances"]}

    def admin_states(self, httpd, reads=12):
        """{name: admin state}, the same in every read (reads spread over the children)."""
        seen = [{n: i["admin_state"] for n, i in self.instances(httpd).items()}
                for _ in range(reads)]
        for other in seen[1:]:
            self.assertEqual(other, seen[0], "every child agrees")
        return seen[0]

    def new_session_homes(self, httpd, count=24):
        return {self.client(httpd).fresh().get("/app/login").json()["instance"]
                for _ in range(count)}

    def state_file(self, httpd):
        return httpd.root / "loadbalancer.xml.state"

    def state_fields(self, httpd, kind, name):
        """The key=value fields of one line of the state file."""
        for line in self.state_file(httpd).read_text().splitlines():
            words = line.split()
            if len(words) >= 3 and words[0] == kind and words[2] == name:
                return dict(w.split("=", 1) for w in words[3:])
        self.fail(f"no {kind} {name} in {self.state_file(httpd).read_text()}")

    def start_managed(self, count=3, instance_attrs=None, properties=None, conf="", **opts):
        backends = self.start_backends(("1.0",) * count)
        xml = loadbalancer_xml([cluster_of(backends, instance_attrs=instance_attrs)],
                               properties)
        return self.start_httpd(xml, extra_conf=MANAGER_CONF + conf, **opts), backends


class UpgradeOntoAnotherLayout(StateCarry):
    def test_graceful_onto_another_layout_keeps_manager_disabled(self):
        """The package-upgrade case: mod_zdu.so is replaced in place (new inode, same path) by a
        build with another layout, then a graceful restart."""
        variant = variant_module()
        if not variant.exists():
            self.fail(f"{variant} not built (target mod_zdu_layout_variant)")
        root = Path(self.make_tmpdir())
        installed = root / "mod_zdu.so"
        shutil.copy(paths.module_path(), installed)
        httpd, _ = self.start_managed(module=installed)
        self.command(httpd, cmd="disable-instance", instance="i2")
        self.command(httpd, cmd="stop-instance", instance="i3")
        self.assertEqual(self.admin_states(httpd),
                         {"i1": "active", "i2": "disabled", "i3": "stopped"})

        upgrade = root / "mod_zdu.so.new"
        shutil.copy(variant, upgrade)
        os.replace(upgrade, installed)
        httpd.graceful()

        self.assertEqual(self.admin_states(httpd),
                         {"i1": "active", "i2": "disabled", "i3": "stopped"},
                         "the admin states carried over, and read in the new layout")
        self.assertEqual(self.new_session_homes(httpd), {"i1"})
        self.assertEqual(replaced_mappings(httpd.proc.pid), [],
                         "the parent unloaded the replaced mod_zdu.so (glibc keeps a library "
                         "with STB_GNU_UNIQUE symbols loaded, and dlopen returns the old code)")
        self.assertTrue(process.wait_until(
            lambda: f"ZDU0080: new shared-memory block: layout {VARIANT_LAYOUT}" in
            httpd.error_log(), 5.0), "the new build made its own block")
        log = httpd.error_log()
        self.assertIn(f"(previous block: layout {LAYOUT} (this build: {VARIANT_LAYOUT}))", log,
                      "the old block was refused, not read")
        self.assertIn("ZDU0082: carried the state of 3 instances and 1 web-modules", log)


    def test_graceful_onto_another_layout_at_another_path(self):
        """LoadModule pointed at the other build, as a side-by-side install would."""
        variant = variant_module()
        if not variant.exists():
            self.fail(f"{variant} not built (target mod_zdu_layout_variant)")
        httpd, _ = self.start_managed()
        self.command(httpd, cmd="disable-instance", instance="i1")
        httpd.write_conf(module=variant)
        httpd.graceful()
        self.assertEqual(self.admin_states(httpd),
                         {"i1": "disabled", "i2": "active", "i3": "active"})
        self.assertEqual(self.new_session_homes(httpd), {"i2", "i3"})
        self.assertTrue(process.wait_until(
            lambda: f"(previous block: layout {LAYOUT} (this build: {VARIANT_LAYOUT}))" in
            httpd.error_log(), 5.0))


class StopStart(StateCarry):
    def test_stop_start_keeps_manager_disabled_and_quiesce_clocks(self):
        # i3 is disabled in the xml: its sessions stay for one (scaled) minute from when mod_zdu
        # first saw it disabled, at the first start.
        attrs = [{}, {}, {"enabled": "false", "disable_timeout": 1}]
        httpd, _ = self.start_managed(instance_attrs=attrs,
                                      properties={"zdu-minute-in-seconds": MINUTE_SECONDS})
        quiesce_ends = time.time() + MINUTE_SECONDS
        i3_route = self.instances(httpd)["i3"]["route"]
        # A session of i3 (a route cookie alone would be a new session).
        sticky = {"Cookie": f"JSESSIONID=S1; JROUTE={i3_route}"}
        self.assertEqual(self.client(httpd).get("/app/page", headers=sticky).json()["instance"],
                         "i3", "within its quiesce time i3 keeps its sessions")
        self.command(httpd, cmd="disable-instance", instance="i2")
        httpd.stop()

        # i3's quiesce time ends while httpd is down: a clock restarted at the next start
        # would give it another minute.
        time.sleep(max(0.0, quiesce_ends + 0.3 - time.time()))
        httpd.start()
        self.assertEqual(self.admin_states(httpd)["i2"], "disabled")
        self.assertEqual(self.new_session_homes(httpd), {"i1"})
        # Past its drain deadline i3's session is stale: sent to the entry page, not served by
        # i3 as a clock restarted at this start would have it; the same cookie again (a client
        # that ignored the expiry) then starts a new session elsewhere.
        response = self.client(httpd).get("/app/page", headers=sticky)
        self.assertEqual(response.status, 302, "i3's quiesce clock carried over")
        self.assertTrue(response.header("Location").endswith("/app/"))
        for _ in range(6):
            self.assertEqual(
                self.client(httpd).get("/app/page", headers=sticky).json()["instance"], "i1")
        first = self.state_fields(httpd, "instance", "i2")
        quiesce_from = self.state_fields(httpd, "instance", "i3")["disabled-since-ms"]
        self.assertLess(int(quiesce_from) / 1000, quiesce_ends - MINUTE_SECONDS + 0.01)
        httpd.stop()
        again = self.state_fields(httpd, "instance", "i2")
        self.assertEqual(again["admin"], "disabled")
        self.assertEqual(again["admin-since-ms"], first["admin-since-ms"],
                         "the admin clock carried over")
        self.assertEqual(self.state_fields(httpd, "instance", "i3")["disabled-since-ms"],
                         quiesce_from)

    def test_admin_change_reaches_the_state_file_without_a_restart(self):
        """The parent writes the file from its monitor hook (every ~10 s), so a kill -9 of the
        parent keeps what was changed before that write."""
        httpd, _ = self.start_managed(conf="ZduStateFile run/zdu.state\n")
        state = httpd.root / "run" / "zdu.state"
        self.command(httpd, cmd="stop-instance", instance="i1")

        def written():
            try:
                return "instance c1 i1 admin=stopped " in state.read_text()
            except OSError:
                return False

        self.assertTrue(process.wait_until(written, 25.0, interval=0.5))
        process.stop_group(httpd.proc, signal.SIGKILL)
        httpd.start()
        self.assertEqual(self.admin_states(httpd)["i1"], "stopped")

    def test_corrupt_state_file_is_reported_and_ignored(self):
        backends = self.start_backends(("1.0",) * 2)
        httpd = Httpd(self.make_tmpdir(), loadbalancer_xml([cluster_of(backends)]),
                      extra_conf=MANAGER_CONF)
        self.addCleanup(httpd.stop)
        state = self.state_file(httpd)
        state.write_text("zdu-state 1\ninstance c1 i1 admin=maybe\n")
        httpd.start()
        self.assertEqual(self.admin_states(httpd), {"i1": "active", "i2": "active"})
        self.assertIn(f"ZDU0083: state file ignored, state starts empty: "
                      f"{state}:2: bad value 'maybe' for admin", httpd.error_log())


class LargerStateSlots(StateCarry):
    def test_larger_state_slots_on_graceful_keeps_state(self):
        httpd, _ = self.start_managed(conf="ZduStateSlots 16\n")
        self.command(httpd, cmd="disable-instance", instance="i2")
        for _ in range(5):
            self.client(httpd).fresh().get("/app/login")
        before = self.instances(httpd)
        httpd.write_conf(extra_conf=MANAGER_CONF + "ZduStateSlots 64\n")
        httpd.graceful()

        self.assertEqual(self.admin_states(httpd)["i2"], "disabled")
        after = self.instances(httpd)
        # Counters are not in the state file: only a copy of the records keeps them.
        self.assertGreater(before["i1"]["counters"]["requests"], 0)
        self.assertGreaterEqual(after["i1"]["counters"]["requests"],
                                before["i1"]["counters"]["requests"])
        self.assertTrue(process.wait_until(
            lambda: "ZDU0081: shared state table grown from 16 to 64 slots" in
            httpd.error_log(), 5.0), httpd.error_log())


if __name__ == "__main__":
    unittest.main()
