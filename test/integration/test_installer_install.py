"""installer/install.sh into Debian-shaped trees: a throwaway one and a copy of the machine's
/etc/apache2, each run by Debian's apache2 on a loopback port; the installed httpd proxies to a
real backend through mod_zdu, a second install changes nothing, uninstall restores the tree."""
import os
import pwd
import unittest

from harness import installer, paths, process
from harness.installer import Tree, tree_diff
from harness.testcase import ZduTestCase


class InstallerCase(ZduTestCase):
    def make_tree(self, kind="throwaway"):
        tree = getattr(Tree, kind)(self.make_tmpdir())
        self.addCleanup(tree.stop)
        self.addCleanup(self._report_tree, tree)
        return tree

    def _report_tree(self, tree):
        if self._has_failed():
            print(f"\n[{self.id()}] {tree.base}\n{tree.logs()[-8000:]}")

    def install(self, tree, *args, **answers):
        answers_file = tree.write_answers(tree.base / "work" / "answers.conf", **answers)
        return tree.install(*args, answers_file=answers_file)

    def assertInstalled(self, done):
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)

    def assertProxies(self, tree, backend, path="/app/hello"):
        response = self.client(tree.url("")).get(path)
        self.assertEqual(response.status, 200, response.text)
        self.assertEqual(response.json()["instance"], backend.instance)
        self.assertEqual(response.json()["path"], path)

    def uninstall(self, tree, *args):
        return installer.run_script(tree.conf / "zdu" / "uninstall.sh", *args)


class ThrowawayDebianTree(InstallerCase):
    def test_installed_httpd_proxies_through_mod_zdu(self):
        tree = self.make_tree()
        backend = self.start_backend("i1")
        self.assertInstalled(self.install(tree, instances=f"i1={backend.listener}"))
        # The module really is the one the tree's httpd loads, from the tree's module dir.
        load = (tree.conf / "mods-enabled" / "zdu.load").read_text()
        self.assertIn(f'LoadModule zdu_module "{tree.base}/modules/mod_zdu.so"', load)
        self.assertIn("<IfModule !proxy_balancer_module>", load)
        self.assertEqual((tree.base / "modules" / "mod_zdu.so").read_bytes(),
                         paths.module_path().read_bytes())
        self.assertTrue(os.access(tree.base / "bin" / "lbxml-gen", os.X_OK))
        self.assertTrue((tree.conf / "zdu" / "dtd" / "zdu-loadbalancer_1_4.dtd").is_file())
        tree.start()
        self.assertProxies(tree, backend)
        self.assertEqual(self.client(tree.url("")).get("/zdu-status?json").status, 200)

    def test_state_dir_owned_by_the_httpd_user_and_locations_closed(self):
        tree = self.make_tree()
        self.assertInstalled(self.install(tree))
        state = tree.base / "var" / "lib" / "zdu"
        expected = installer.run_user()  # www-data when the tests run as root
        for path in (state, state / "loadbalancer.xml"):
            self.assertEqual(pwd.getpwuid(path.stat().st_uid).pw_name, expected, path)
        self.assertEqual(state.stat().st_mode & 0o777, 0o750)
        conf = (tree.conf / "mods-available" / "zdu.conf").read_text()
        self.assertIn(f'ZduConfigFile "{state}/loadbalancer.xml"', conf)
        self.assertIn(f'ZduStateFile "{state}/loadbalancer.xml.state"', conf)
        self.assertEqual(os.readlink(tree.conf / "zdu" / "loadbalancer.xml"),
                         str(state / "loadbalancer.xml"))
        self.assertIn("SetHandler zdu-status\n        Require ip 127.0.0.1 ::1", conf)
        self.assertNotIn("zdu-manager", conf)
        self.assertIn("ZduConfigPush Off", conf)
        # Installing a second time changes nothing.
        first = tree.checksums()
        done = self.install(tree)
        self.assertInstalled(done)
        self.assertIn("nothing to change", done.stdout)
        self.assertEqual(tree_diff(first, tree.checksums()), "")

    def test_manager_on_gets_a_secret_and_a_private_conf(self):
        tree = self.make_tree()
        self.assertInstalled(self.install(tree, manager="on", config_push="on"))
        conf_path = tree.conf / "mods-available" / "zdu.conf"
        conf = conf_path.read_text()
        secret = [line.split('"')[1] for line in conf.splitlines() if "ZduManagerSecret" in line]
        self.assertEqual(len(secret), 1, conf)
        self.assertGreaterEqual(len(secret[0]), 20)
        self.assertEqual(conf_path.stat().st_mode & 0o777, 0o640)
        self.assertIn("ZduConfigPush On", conf)
        # The recorded answers (next to the manifest, readable) never hold the secret.
        self.assertNotIn(secret[0], (tree.conf / "zdu" / "answers").read_text())

    def test_uninstall_purge_restores_the_exact_tree(self):
        tree = self.make_tree()
        backend = self.start_backend("i1")
        before = tree.checksums()
        self.assertInstalled(self.install(tree, instances=f"i1={backend.listener}"))
        self.assertNotEqual(tree_diff(before, tree.checksums()), "")
        tree.start()
        self.assertProxies(tree, backend)
        done = self.uninstall(tree, "--purge")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("reloaded gracefully", done.stdout)
        self.assertEqual(tree_diff(before, tree.checksums()), "")

    def test_uninstall_keeps_the_operators_xml_without_purge(self):
        tree = self.make_tree()
        before = tree.checksums()
        self.assertInstalled(self.install(tree))
        xml = tree.base / "var" / "lib" / "zdu" / "loadbalancer.xml"
        xml.write_text(xml.read_text().replace("instance1", "edited1"))
        done = self.uninstall(tree)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("edited1", xml.read_text())
        left = tree_diff(before, tree.checksums()).splitlines()
        self.assertEqual(left, ["added var/lib/zdu", "added var/lib/zdu/loadbalancer.xml"])

    def test_uninstall_restores_a_file_install_replaced(self):
        tree = self.make_tree()
        old = tree.base / "modules" / "mod_zdu.so"
        old.write_bytes(b"an older mod_zdu.so put there by hand")
        os.chmod(old, 0o600)
        before = tree.checksums()
        self.assertInstalled(self.install(tree))
        self.assertEqual(old.read_bytes(), paths.module_path().read_bytes())
        done = self.uninstall(tree, "--purge")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")


@unittest.skipUnless((installer.DEBIAN_CONF / "apache2.conf").exists(), "no /etc/apache2")
class CopyOfTheMachinesApache2(InstallerCase):
    def test_install_proxies_and_uninstall_restores(self):
        real_before = installer.tree_checksums(installer.DEBIAN_CONF)
        tree = self.make_tree("debian_copy")
        backend = self.start_backend("i1")
        before = tree.checksums()
        self.assertInstalled(self.install(tree, instances=f"i1={backend.listener}"))
        tree.start()
        self.assertProxies(tree, backend)
        done = self.uninstall(tree, "--purge")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")
        # The new generation serves without mod_zdu: its context root is no longer proxied.
        self.assertTrue(process.wait_until(
            lambda: self.client(tree.url("")).get("/app/hello").status == 404, 10),
            "httpd still routes /app after uninstall")
        self.assertEqual(tree_diff(real_before, installer.tree_checksums(installer.DEBIAN_CONF)),
                         "", "the machine's /etc/apache2 changed")


if __name__ == "__main__":
    unittest.main()
