"""A real httpd (Debian's apache2 binary) running from a temp dir, with or without mod_zdu."""
import http.client
import os
import signal
import subprocess
from pathlib import Path

from . import httpd_conf, paths, process, sanitizer
from .ports import free_port

START_TIMEOUT = 15.0
STATIC_FILES = {
    "index.html": "<html><body>mod_zdu test server</body></html>\n",
    "static/hello.txt": "hello from httpd\n",
}


class HttpdError(RuntimeError):
    pass


class Httpd:
    """conf_opts go to httpd_conf.render: module (path of mod_zdu.so), proxy_modules,
    extra_modules (names such as "proxy_hcheck"), access_log, log_level."""

    def __init__(self, tmpdir, xml_text_or_path=None, extra_conf="", mpm="event", servers=3,
                 threads=8, zdu=True, **conf_opts):
        self.root = Path(tmpdir).resolve()
        self.conf_path = self.root / "httpd.conf"
        self.xml_path = self.root / "loadbalancer.xml"
        self._conf_opts = dict(conf_opts, extra_conf=extra_conf, mpm=mpm, servers=servers,
                               threads=threads, zdu=zdu)
        self.port = free_port()
        self.proc = None
        self._prepare_root()
        if xml_text_or_path is not None:
            self.write_xml(_xml_text(xml_text_or_path))
        self.write_conf()

    def _prepare_root(self):
        # httpd's children run as www-data when started by root: they must reach htdocs and
        # re-read loadbalancer.xml on reload.
        for d in (self.root, self.root / "htdocs" / "static", self.root / "run"):
            d.mkdir(parents=True, exist_ok=True)
        for name, text in STATIC_FILES.items():
            (self.root / "htdocs" / name).write_text(text)
        for dirpath, dirnames, filenames in os.walk(self.root):
            os.chmod(dirpath, 0o755)
            for f in filenames:
                os.chmod(os.path.join(dirpath, f), 0o644)
        sanitizer.prepare(self.root)

    def write_conf(self, **changes):
        """(Re)writes httpd.conf; changes override the constructor's settings, e.g. extra_conf.
        Takes effect at the next start() or graceful()."""
        self._conf_opts.update(changes)
        self.conf_path.write_text(httpd_conf.render(self.root, self.port, **self._conf_opts))
        os.chmod(self.conf_path, 0o644)

    def write_xml(self, text):
        """Replaces loadbalancer.xml in one rename, so a reload never sees half a file."""
        partial = self.xml_path.with_suffix(".xml.part")
        partial.write_text(text)
        os.chmod(partial, 0o644)
        os.replace(partial, self.xml_path)

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def base_url(self):
        return self.url("")

    def _command(self, *args):
        return [str(paths.apache2()), "-d", str(self.root), "-f", str(self.conf_path), *args]

    def configtest(self):
        """(returncode, output) of `apache2 -t`."""
        done = subprocess.run(self._command("-t"), capture_output=True, text=True, timeout=30,
                              env=sanitizer.environment(self.root))
        return done.returncode, done.stdout + done.stderr

    def start(self, timeout=START_TIMEOUT):
        """Starts in the foreground of its own process group; returns once it answers HTTP.
        Raises HttpdError with the logs when it does not. A port lost to a race is replaced."""
        for attempt in range(3):
            if attempt:
                self.port = free_port()
                self.write_conf()
            if self._try_start(timeout):
                return self
            if "Address already in use" not in self.startup_output():
                break
        raise HttpdError(f"httpd did not start on port {self.port}\n{self.startup_output()}")

    def _try_start(self, timeout):
        with open(self.root / "stderr.log", "wb") as out:
            self.proc = subprocess.Popen(self._command("-DFOREGROUND"), stdout=out, stderr=out,
                                         stdin=subprocess.DEVNULL, start_new_session=True,
                                         env=sanitizer.environment(self.root))
        if process.wait_until(lambda: self.proc.poll() is not None or self.answers(), timeout):
            if self.proc.poll() is None:
                return True
        self.stop()
        return False

    def answers(self):
        """True when a child answers `OPTIONS *`: httpd's core handles it, so no request ever
        reaches a backend, whatever context roots mod_zdu serves."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("OPTIONS", "*")
            return conn.getresponse().status > 0
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=10.0):
        """Stops httpd and every child; idempotent."""
        if self.proc is not None:
            process.stop_group(self.proc, signal.SIGTERM, timeout)

    def graceful(self, timeout=START_TIMEOUT):
        """Graceful restart (SIGUSR1, as `apachectl graceful`); returns once a child of the new
        generation serves. Raises HttpdError if httpd dies, e.g. on a bad config."""
        if not self.running():
            raise HttpdError("httpd is not running")
        old = set(self.child_pids())
        self.proc.send_signal(signal.SIGUSR1)

        def new_generation_serving():
            return self.proc.poll() is not None or (
                set(self.child_pids()) - old and self.answers())

        if not process.wait_until(new_generation_serving, timeout) or not self.running():
            raise HttpdError(f"httpd did not come back from a graceful restart\n"
                             f"{self.startup_output()}")
        return self

    def child_pids(self):
        """Pids of httpd's children, from /proc."""
        if not self.running():
            return []
        return process.children(self.proc.pid)

    def error_log(self):
        return _read(self.root / "error.log")

    def access_log(self):
        return _read(self.root / "access.log")

    def sanitizer_reports(self):
        """[(file name, text)] of the ASan/UBSan reports of this server (sanitizer build)."""
        return sanitizer.reports(self.root)

    def startup_output(self):
        """What httpd said before and after opening its error log, and any sanitizer report."""
        return (f"--- stderr ---\n{_read(self.root / 'stderr.log')}"
                f"--- error.log ---\n{self.error_log()}"
                f"{sanitizer.describe(self.sanitizer_reports())}")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def __repr__(self):
        return f"Httpd(port={self.port}, root={str(self.root)!r})"


def _xml_text(text_or_path):
    """Text is what starts with '<'; anything else names a file to copy."""
    if isinstance(text_or_path, str) and text_or_path.lstrip().startswith("<"):
        return text_or_path
    return Path(text_or_path).read_text()


def _read(path):
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""
