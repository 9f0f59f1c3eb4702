"""installer/install.sh in the corners an operator's real httpd meets: relative paths, values
httpd itself would rewrite, a state dir deep in a new tree, uninstalling through install.sh, an
apachectl that would start a stopped httpd, and paths with spaces and dollars."""
import os
import stat
import unittest

from harness import installer, paths
from harness.installer import INSTALLER, run_script, tree_diff
from test_installer_install import InstallerCase
import test_installer_modes


class ClearFailures(InstallerCase):
    def assertRefused(self, tree, message, **answers):
        before = tree.checksums()
        done = self.install(tree, **answers)  # a hang raises TimeoutExpired
        self.assertNotEqual(done.returncode, 0, done.stdout)
        self.assertIn(message, done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")

    def test_relative_path_is_refused_not_looped_on(self):
        tree = self.make_tree()
        answers = tree.write_answers(tree.base / "work" / "answers.conf",
                                     bin_dir="not-there/bin")
        before = tree.checksums()
        done = run_script(INSTALLER, "--silent", answers, timeout=20)
        self.assertNotEqual(done.returncode, 0, done.stdout)
        self.assertIn("bin_dir must be an absolute path", done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")

    def test_values_httpd_would_expand_are_refused(self):
        # httpd replaces ${NAME} in any config argument by the environment's NAME, so the
        # secret the manager checked would silently not be the one the operator chose.
        tree = self.make_tree()
        self.assertRefused(tree, "manager_secret may not hold", manager="on",
                           manager_secret="abc${HOME}def")
        self.assertRefused(tree, "state_dir may not hold",
                           state_dir=f"{tree.base}/var/lib/${{HOME}}")


class StateDirAncestors(InstallerCase):
    @unittest.skipUnless(os.geteuid() == 0, "the httpd user is the installer's own otherwise")
    def test_only_the_state_dir_goes_to_the_httpd_user(self):
        tree = self.make_tree()
        state = tree.base / "var" / "lib" / "new" / "zdu"
        self.assertInstalled(self.install(tree, state_dir=state))
        parent = state.parent.stat()
        # A parent the httpd user owned would let it swap the state dir for a link anywhere.
        self.assertEqual((parent.st_uid, stat.S_IMODE(parent.st_mode)), (0, 0o755))
        self.assertNotEqual(state.stat().st_uid, 0)


class UninstallThroughInstallSh(InstallerCase):
    make_apxs_tree = test_installer_modes.ApxsLayout.make_apxs_tree

    def test_install_sh_uninstall_uses_the_recorded_answers(self):
        tree = self.make_apxs_tree()
        main = tree.conf / "main.conf"
        (tree.conf / "httpd.conf").rename(main)  # not a name the defaults would guess
        before = tree.checksums()
        answers = tree.write_answers(tree.base / "work" / "a.conf", layout="apxs",
                                     server_root="", httpd_conf=main)
        self.assertInstalled(tree.install(answers_file=answers))
        done = run_script(INSTALLER, "--uninstall", "--purge", "--httpd-root", tree.conf)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")


class ApachectlReload(InstallerCase):
    def test_auto_reload_never_starts_a_stopped_httpd(self):
        # `apachectl graceful` starts httpd when it is not running (httpd -k graceful does).
        tree = self.make_tree()
        log = tree.base / "work" / "apachectl.log"
        ctl = tree.base / "work" / "apachectl"
        ctl.write_text(f'#!/bin/sh\necho "$1" >>"{log}"\n'
                       f'[ "$1" = configtest ] && exec "{paths.apache2()}" -d "{tree.conf}" '
                       f'-f "{tree.conf}/apache2.conf" -t\nexit 0\n')
        ctl.chmod(0o755)
        env_ctl = tree.base / "work" / "apachectl-env"
        env_ctl.write_text(f'#!/bin/sh\n. "{tree.conf}/envvars"\nexec "{ctl}" "$@"\n')
        env_ctl.chmod(0o755)
        done = self.install(tree, apachectl=env_ctl)
        self.assertInstalled(done)
        self.assertEqual(log.read_text().split(), ["configtest"])
        self.assertIn("httpd is not running", done.stdout)
        tree.start()
        module, _ = self.new_module(tree)
        done = self.install(tree, apachectl=env_ctl, module=module)
        self.assertInstalled(done)
        self.assertEqual(log.read_text().split()[-1], "graceful")

    def new_module(self, tree):
        module = tree.base / "work" / "mod_zdu.so"
        module.write_bytes(paths.module_path().read_bytes() + b"\0release 2")
        return module, None


class AwkwardPaths(InstallerCase):
    def test_spaces_and_dollars_in_paths(self):
        tree = self.make_tree()
        backend = self.start_backend("i1")
        odd = tree.base / "var" / "lib" / "my zdu $x"
        before = tree.checksums()
        self.assertInstalled(self.install(tree, state_dir=odd, instances=f"i1={backend.listener}",
                                          cluster='a"b$(touch pwned)'))
        self.assertTrue((odd / "loadbalancer.xml").is_file())
        self.assertFalse(os.path.exists("pwned"))
        tree.start()
        self.assertProxies(tree, backend)
        tree.stop()
        done = self.uninstall(tree, "--purge")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")


if __name__ == "__main__":
    unittest.main()
