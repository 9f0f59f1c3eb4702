"""installer/install.sh over an existing install: an upgrade swaps the module binary, the DTDs
and lbxml-gen, keeps the operator's config and xml byte-for-byte, reloads the running httpd, and
rolls back to the old binary when the new one fails the config test."""
import unittest

from harness import paths, process
from harness.installer import tree_diff
from test_installer_install import InstallerCase

KEPT = ("etc/apache2/mods-available/zdu.conf", "etc/apache2/mods-available/zdu.load",
        "var/lib/zdu/loadbalancer.xml", "etc/apache2/zdu/manifest")
SWAPPED = ("modules/mod_zdu.so", "bin/lbxml-gen")


class Upgrade(InstallerCase):
    def installed_and_customised(self, backend):
        tree = self.make_tree()
        self.assertInstalled(self.install(tree, instances=f"i1={backend.listener}"))
        conf = tree.conf / "mods-available" / "zdu.conf"
        conf.write_text(conf.read_text() + "# the operator's line\nZduGrowth 32\n")
        xml = tree.base / "var" / "lib" / "zdu" / "loadbalancer.xml"
        xml.write_text(xml.read_text().replace("<cluster ", "<!-- edited --><cluster "))
        return tree

    def new_release(self, tree):
        """A modified copy of the module and of lbxml-gen: bytes appended after the ELF image
        leave both loadable and runnable, so the upgrade's config test passes."""
        module = tree.base / "work" / "mod_zdu.so"
        module.write_bytes(paths.module_path().read_bytes() + b"\0release 2")
        cli = tree.base / "work" / "lbxml-gen"
        cli.write_bytes(paths.lbxml_gen().read_bytes() + b"\0release 2")
        cli.chmod(0o755)
        return module, cli

    def test_upgrade_swaps_binaries_and_keeps_conf_and_xml(self):
        backend = self.start_backend("i1")
        tree = self.installed_and_customised(backend)
        tree.start()
        self.assertProxies(tree, backend)
        before = tree.checksums()
        old_children = set(tree.child_pids())
        module, cli = self.new_release(tree)
        done = self.install(tree, module=module, lbxml_gen=cli)
        self.assertInstalled(done)
        self.assertIn("upgrading", done.stdout)
        self.assertIn("reloaded gracefully", done.stdout)
        after = tree.checksums()
        for path in KEPT:
            self.assertEqual(before[path], after[path], path)
        self.assertEqual((tree.base / "modules" / "mod_zdu.so").read_bytes(), module.read_bytes())
        self.assertEqual((tree.base / "bin" / "lbxml-gen").read_bytes(), cli.read_bytes())
        changed = {line.split(":")[0].split(" ", 1)[1]
                   for line in tree_diff(before, after).splitlines()}
        # httpd's own state file may come with the reload; nothing else of the install moves.
        self.assertEqual(changed - {"var/lib/zdu/loadbalancer.xml.state"}, set(SWAPPED))
        # A new generation of children serves, through the new binary.
        self.assertTrue(process.wait_until(
            lambda: set(tree.child_pids()) - old_children and
            self.client(tree.url("")).get("/app/hello").status == 200, 15), tree.logs())
        self.assertProxies(tree, backend)
        # And the upgraded install is still idempotent.
        again = self.install(tree, module=module, lbxml_gen=cli)
        self.assertInstalled(again)
        self.assertIn("nothing to change", again.stdout)

    def test_upgrade_whose_binary_fails_the_config_test_keeps_the_old_one(self):
        backend = self.start_backend("i1")
        tree = self.installed_and_customised(backend)
        before = tree.checksums()
        broken = tree.base / "work" / "mod_zdu.so"
        broken.write_bytes(b"not a shared object")
        done = self.install(tree, module=broken)
        self.assertNotEqual(done.returncode, 0, done.stdout)
        self.assertIn("the httpd config test failed", done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")

    def test_uninstall_after_upgrade_restores_the_tree(self):
        tree = self.make_tree()
        before = tree.checksums()
        self.assertInstalled(self.install(tree))
        module, cli = self.new_release(tree)
        self.assertInstalled(self.install(tree, module=module, lbxml_gen=cli))
        done = self.uninstall(tree, "--purge")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")


if __name__ == "__main__":
    unittest.main()
