"""installer/install.sh's other ways in: --help, the interactive questions recorded with
--write-answers and replayed silently, the commented sample answers file, and an apxs-style
httpd (one httpd.conf, no mods-available) whose httpd.conf gets one Include line and gets it back."""
import re
import unittest
from pathlib import Path

from harness import installer, paths
from harness.installer import INSTALLER, Tree, run_script, tree_diff
from test_installer_install import InstallerCase

SAMPLE = paths.REPO / "conf-samples" / "install-answers.conf"


def keys_of_script():
    text = INSTALLER.read_text()
    block = text[text.index("KEYS=(") : text.index("\n)\n")]
    return re.findall(r'^  "([a-z_]+)\|', block, re.M)


class Help(unittest.TestCase):
    def test_help_documents_every_option_and_answers_key(self):
        done = run_script(INSTALLER, "--help")
        self.assertEqual(done.returncode, 0, done.stderr)
        keys = keys_of_script()
        self.assertGreater(len(keys), 20)
        for key in keys:
            self.assertRegex(done.stdout, rf"\n  {key} +\(", key)
        # Every option the parser takes is in --help.
        parsed = set(re.findall(r"(--[a-z-]+)", INSTALLER.read_text().split("parse_args() {")[1]
                                .split("\n}\n")[0]))
        for option in parsed:
            self.assertIn(option, done.stdout, option)
        unknown = run_script(INSTALLER, "--no-such-option")
        self.assertEqual(unknown.returncode, 1)
        self.assertIn("unknown option '--no-such-option'", unknown.stderr)

    def test_sample_answers_file_names_every_key(self):
        sample = SAMPLE.read_text()
        named = set(re.findall(r"^#? ?([a-z_]+)=", sample, re.M))
        self.assertEqual(named, set(keys_of_script()))

class Interactive(InstallerCase):
    def test_answers_recorded_then_replayed_silently(self):
        tree = self.make_tree()
        backend = self.start_backend("i1")
        base = tree.write_answers(tree.base / "work" / "base.conf")
        recorded = tree.base / "work" / "recorded.conf"
        # A link planted at the name is replaced, never written through.
        victim = tree.base / "work" / "victim"
        victim.write_text("untouched\n")
        recorded.symlink_to(victim)
        # Questions in order: httpd_root, httpd_bin, state_dir, httpd_user, xml_file, cluster,
        # instances, context_root, status, manager. An empty line takes the default.
        replies = "\n".join(["", "", "", "", "", "shop", f"i1={backend.listener}", "/shop",
                             "", ""]) + "\n"
        before = tree.checksums()
        done = installer.run_script(INSTALLER, "--set", f"httpd_root={tree.conf}",
                                    "--write-answers", recorded, "--dry-run",
                                    *self.sets_from(base), input=replies)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("instances", done.stderr)  # the question was asked
        self.assertEqual(tree_diff(before, tree.checksums()), "")
        self.assertEqual(victim.read_text(), "untouched\n")
        self.assertFalse(recorded.is_symlink())
        self.assertEqual(recorded.stat().st_mode & 0o777, 0o600)
        answers = dict(line.split("=", 1) for line in recorded.read_text().splitlines()
                       if line and not line.startswith("#"))
        self.assertEqual(answers["cluster"], "shop")
        self.assertEqual(answers["context_root"], "/shop")
        self.assertEqual(answers["state_dir"], str(tree.base / "var" / "lib" / "zdu"))
        self.assertInstalled(tree.install(answers_file=recorded))
        tree.start()
        self.assertProxies(tree, backend, "/shop/x")

    def sets_from(self, answers_file):
        """The test tree's paths as --set options (what an operator would type at a prompt)."""
        args = []
        for line in Path(answers_file).read_text().splitlines():
            if "=" in line and not line.startswith("#") and not line.startswith("httpd_root="):
                args += ["--set", line]
        return args


APXS_CONF = """\
ServerRoot "{base}"
Listen 127.0.0.1:{port}
PidFile "{base}/run/httpd.pid"
DefaultRuntimeDir "{base}/run"
ErrorLog "{base}/log/error.log"
{user}
LoadModule mpm_event_module {mods}/mod_mpm_event.so
LoadModule authz_core_module {mods}/mod_authz_core.so
LoadModule authz_host_module {mods}/mod_authz_host.so
"""


class ApxsLayout(InstallerCase):
    def make_apxs_tree(self):
        tree = Tree(self.make_tmpdir())
        self.addCleanup(tree.stop)
        conf = tree.base / "conf"
        conf.mkdir()
        user = (f"User {installer.run_user()}\nGroup {installer.run_user()}"
                if installer.os.geteuid() == 0 else "")
        (conf / "httpd.conf").write_text(APXS_CONF.format(base=tree.base, port=tree.port,
                                                          user=user, mods=paths.modules_dir()))
        tree.conf = conf
        return tree

    def test_include_line_added_and_taken_back(self):
        tree = self.make_apxs_tree()
        backend = self.start_backend("i1")
        before = tree.checksums()
        answers = tree.write_answers(tree.base / "work" / "a.conf", layout="apxs",
                                     instances=f"i1={backend.listener}", server_root="",
                                     httpd_conf=tree.conf / "httpd.conf")
        self.assertInstalled(tree.install(answers_file=answers))
        httpd_conf = (tree.conf / "httpd.conf").read_text()
        self.assertTrue(httpd_conf.endswith(f'Include "{tree.conf}/zdu/zdu.conf"\n'), httpd_conf)
        self.start_plain(tree)
        self.assertProxies(tree, backend)
        done = self.uninstall(tree, "--purge")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")

    def test_found_through_apxs(self):
        """Only --apxs (and what to install, where the state goes) is given: the config dir,
        httpd binary and module dir all come from `apxs -q`."""
        tree = self.make_apxs_tree()
        backend = self.start_backend("i1")
        sbin = tree.base / "sbin"
        sbin.mkdir()
        (sbin / "apache2").symlink_to(paths.apache2())
        libexec = tree.base / "libexec"
        libexec.mkdir()
        for so in paths.modules_dir().glob("mod_*.so"):
            (libexec / so.name).symlink_to(so)
        apxs = tree.base / "work" / "apxs"
        values = {"TARGET": "apache2", "LIBEXECDIR": libexec, "SYSCONFDIR": tree.conf,
                  "SBINDIR": sbin}
        cases = "".join(f"    {k}) out=\"$out${{sep}}{v}\" ;;\n" for k, v in values.items())
        apxs.write_text(f"#!/bin/sh\n# answers -q like apxs 2.4\n[ \"$1\" = -q ] && shift\n"
                        f"out= sep=\nfor q; do\n  case $q in\n{cases}    *) exit 1 ;;\n  esac\n"
                        f"  sep=';;'\ndone\necho \"$out\"\n")
        apxs.chmod(0o755)
        empty = tree.base / "work" / "empty.conf"
        empty.write_text("# every answer from apxs, options or defaults\n")
        before = tree.checksums()
        state = tree.base / "var" / "lib" / "zdu"
        done = tree.install("--apxs", apxs, "--module", paths.module_path(),
                            "--lbxml-gen", paths.lbxml_gen(), "--set", f"state_dir={state}",
                            "--set", f"bin_dir={tree.base / 'bin'}",
                            "--set", f"httpd_user={installer.run_user()}",
                            "--set", f"instances=i1={backend.listener}", "--silent", empty)
        self.assertInstalled(done)
        self.assertTrue((libexec / "mod_zdu.so").is_file() and
                        not (libexec / "mod_zdu.so").is_symlink())
        self.assertIn(f'Include "{tree.conf}/zdu/zdu.conf"', (tree.conf / "httpd.conf").read_text())
        self.start_plain(tree)
        self.assertProxies(tree, backend)
        done = self.uninstall(tree, "--purge")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")

    def test_operator_edits_to_httpd_conf_survive_uninstall(self):
        tree = self.make_apxs_tree()
        answers = tree.write_answers(tree.base / "work" / "a.conf", layout="apxs",
                                     server_root="", httpd_conf=tree.conf / "httpd.conf")
        self.assertInstalled(tree.install(answers_file=answers))
        conf = tree.conf / "httpd.conf"
        conf.write_text(conf.read_text() + "# added by the operator later\n")
        done = self.uninstall(tree, "--purge")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        text = conf.read_text()
        self.assertIn("# added by the operator later", text)
        self.assertNotIn("zdu.conf", text)

    def start_plain(self, tree):
        """Runs the apxs-style tree's httpd (no envvars)."""
        import subprocess
        from harness import process
        with open(tree.base / "log" / "stderr.log", "wb") as out:
            tree.proc = subprocess.Popen(
                [str(paths.apache2()), "-f", str(tree.conf / "httpd.conf"), "-DFOREGROUND"],
                stdout=out, stderr=out, stdin=subprocess.DEVNULL, start_new_session=True)
        self.assertTrue(process.wait_until(lambda: tree.proc.poll() is not None
                                           or process.port_open(tree.port), 15))
        self.assertTrue(tree.running(), tree.logs())


if __name__ == "__main__":
    unittest.main()
