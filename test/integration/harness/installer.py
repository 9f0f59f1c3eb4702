"""For the installer's tests: throwaway httpd trees in the Debian layout, running them, and
checksums of whole file trees.

A tree is <tmp>/etc/apache2 (config), <tmp>/modules (where mod_zdu.so goes), <tmp>/bin,
<tmp>/var/lib/zdu (state dir) and <tmp>/run, <tmp>/log (httpd's, left out of checksums).
"""
import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

from . import paths, process
from .httpd_conf import UNPRIVILEGED_USER
from .ports import free_port

INSTALLER = paths.REPO / "installer" / "install.sh"
DEBIAN_CONF = Path("/etc/apache2")
# Debian's own modules a minimal apache2.conf loads, as a2enmod would enable them.
BASE_MODULES = ("mpm_event", "authz_core", "authz_host", "mime", "dir")
SKIPPED = ("run", "log", "work")  # httpd's, and the tests' answers files

APACHE2_CONF = """\
# A minimal apache2.conf in Debian's shape.
DefaultRuntimeDir ${APACHE_RUN_DIR}
PidFile ${APACHE_PID_FILE}
Mutex file:${APACHE_LOCK_DIR} default
Timeout 30
KeepAlive On
%(user)s
ErrorLog ${APACHE_LOG_DIR}/error.log
LogLevel warn
TypesConfig /etc/mime.types
IncludeOptional mods-enabled/*.load
IncludeOptional mods-enabled/*.conf
Include ports.conf
ServerName 127.0.0.1
<Directory />
    AllowOverride None
    Require all denied
</Directory>
IncludeOptional conf-enabled/*.conf
IncludeOptional sites-enabled/*.conf
"""


def run_user():
    """The user httpd's children run as: www-data under root, else whoever runs the tests."""
    import pwd
    return UNPRIVILEGED_USER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name


def _envvars(base):
    return (f"export APACHE_RUN_USER={run_user()}\nexport APACHE_RUN_GROUP={run_user()}\n"
            f"export APACHE_PID_FILE={base}/run/apache2.pid\nexport APACHE_RUN_DIR={base}/run\n"
            f"export APACHE_LOCK_DIR={base}/run\nexport APACHE_LOG_DIR={base}/log\n"
            "export LANG=C\n")


class Tree:
    """A throwaway httpd tree; `conf` is its /etc/apache2."""

    def __init__(self, base):
        self.base = Path(base).resolve()
        self.conf = self.base / "etc" / "apache2"
        self.port = free_port()
        self.proc = None
        # httpd's children (www-data) must be able to reach the state dir below the temp dir.
        os.chmod(self.base, 0o755)
        for d in ("run", "log", "work", "modules", "bin", "var/lib"):
            (self.base / d).mkdir(parents=True, exist_ok=True)
            os.chmod(self.base / d, 0o755)
        os.chmod(self.base / "var", 0o755)

    @classmethod
    def throwaway(cls, base):
        """A Debian layout from scratch: apache2.conf, envvars, ports.conf, mods-available
        with the base modules enabled as symlinks, empty conf-/sites-enabled."""
        tree = cls(base)
        conf = tree.conf
        for d in ("mods-available", "mods-enabled", "conf-enabled", "sites-enabled"):
            (conf / d).mkdir(parents=True, exist_ok=True)
        user = (f"User ${{APACHE_RUN_USER}}\nGroup ${{APACHE_RUN_GROUP}}"
                if os.geteuid() == 0 else "")
        (conf / "apache2.conf").write_text(APACHE2_CONF % {"user": user})
        (conf / "envvars").write_text(_envvars(tree.base))
        for name in BASE_MODULES:
            so = paths.modules_dir() / f"mod_{name}.so"
            (conf / "mods-available" / f"{name}.load").write_text(
                f"LoadModule {name}_module {so}\n")
            os.symlink(f"../mods-available/{name}.load", conf / "mods-enabled" / f"{name}.load")
        tree.set_port(tree.port)
        return tree

    @classmethod
    def debian_copy(cls, base):
        """A copy of the machine's /etc/apache2, listening on a loopback port, with its run,
        lock, pid and log paths in the tree (never the machine's)."""
        tree = cls(base)
        tree.conf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(DEBIAN_CONF, tree.conf, symlinks=True)
        with open(tree.conf / "envvars", "a") as f:
            f.write("\n# Test overrides: everything in the throwaway tree.\n" + _envvars(tree.base))
        tree.set_port(tree.port)
        return tree

    def set_port(self, port):
        self.port = port
        (self.conf / "ports.conf").write_text(f"Listen 127.0.0.1:{port}\n")

    def answers(self, **overrides):
        """Answers for a silent install into this tree."""
        answers = {
            "httpd_root": self.conf, "httpd_bin": paths.apache2(),
            "httpd_modules_dir": paths.modules_dir(), "module_dir": self.base / "modules",
            "bin_dir": self.base / "bin", "state_dir": self.base / "var" / "lib" / "zdu",
            "httpd_user": run_user(), "module": paths.module_path(),
            "lbxml_gen": paths.lbxml_gen(), "dtd_dir": paths.REPO / "dtd",
        }
        answers.update(overrides)
        return answers

    def write_answers(self, path, **overrides):
        lines = [f"{k}={v}" for k, v in self.answers(**overrides).items()]
        Path(path).write_text("# answers for a test\n" + "\n".join(lines) + "\n")
        return path

    def install(self, *args, answers_file=None, timeout=60):
        """Runs install.sh (or another script such as uninstall.sh via script=)."""
        return run_script(INSTALLER, *(["--silent", answers_file] if answers_file else []),
                          *args, timeout=timeout)

    def checksums(self):
        return tree_checksums(self.base, skip=SKIPPED)

    # --- running the tree's httpd ---------------------------------------------------------

    def _env(self):
        return dict(os.environ, APACHE_CONFDIR=str(self.conf))

    def start(self, timeout=15.0):
        command = (f'. "{self.conf}/envvars" && exec "{paths.apache2()}" -d "{self.conf}" '
                   f'-f "{self.conf}/apache2.conf" -DFOREGROUND')
        with open(self.base / "log" / "stderr.log", "wb") as out:
            self.proc = subprocess.Popen(["bash", "-c", command], stdout=out, stderr=out,
                                         stdin=subprocess.DEVNULL, start_new_session=True,
                                         env=self._env())
        if not process.wait_until(lambda: self.proc.poll() is not None
                                  or process.port_open(self.port), timeout) or not self.running():
            output = self.logs()
            self.stop()
            raise RuntimeError(f"httpd of {self.conf} did not start\n{output}")
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is not None:
            process.stop_group(self.proc)

    def child_pids(self):
        return process.children(self.proc.pid) if self.running() else []

    def logs(self):
        out = []
        for name in ("stderr.log", "error.log"):
            p = self.base / "log" / name
            out.append(f"--- {name} ---\n{p.read_text(errors='replace') if p.exists() else ''}")
        return "\n".join(out)

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"


def run_script(script, *args, timeout=60, input=None, env=None):
    return subprocess.run(["bash", str(script), *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, input=input if input is not None else "",
                          env=dict(os.environ, **(env or {})))


def tree_checksums(root, skip=()):
    """{relative path: (kind, mode, owner, content digest or link target)} for everything under
    root, directories included, except the top-level names in skip."""
    root = Path(root)
    result = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        if rel_dir == Path("."):
            dirnames[:] = [d for d in dirnames if d not in skip]
            filenames = [f for f in filenames if f not in skip]
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            rel = str(rel_dir / name)
            owner = (st.st_uid, st.st_gid)
            if stat.S_ISLNK(st.st_mode):
                result[rel] = ("link", 0, owner, os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                result[rel] = ("dir", stat.S_IMODE(st.st_mode), owner, "")
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                result[rel] = ("file", stat.S_IMODE(st.st_mode), owner, digest)
    return result


def tree_diff(before, after):
    """Human-readable differences between two tree_checksums results ("" when equal)."""
    lines = [f"added {p}" for p in sorted(after.keys() - before.keys())]
    lines += [f"removed {p}" for p in sorted(before.keys() - after.keys())]
    lines += [f"changed {p}: {before[p]} -> {after[p]}" for p in sorted(before.keys() & after.keys())
              if before[p] != after[p]]
    return "\n".join(lines)
