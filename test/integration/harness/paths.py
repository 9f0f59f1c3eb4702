"""Where the build, the module, httpd and the test backend are.

Environment overrides: ZDU_BUILD_DIR (default <repo>/build), ZDU_MODULE, ZDU_LBXML_GEN,
ZDU_APACHE2 (default /usr/sbin/apache2). The sanitizer build's ZDU_HTTPD_PRELOAD (the runtime
apache2 is started with) is read by sanitizer.py.
"""
import functools
import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
BACKEND_APP = REPO / "test" / "backend" / "app.py"
APACHE2 = Path("/usr/sbin/apache2")
MIME_TYPES = Path("/etc/mime.types")
FALLBACK_MODULES_DIR = Path("/usr/lib/apache2/modules")


def build_dir():
    return Path(os.environ.get("ZDU_BUILD_DIR") or REPO / "build").resolve()


def module_path():
    default = build_dir() / "mod_zdu" / "mod_zdu.so"
    return Path(os.environ.get("ZDU_MODULE") or default).resolve()


def lbxml_gen():
    default = build_dir() / "lbxml-gen" / "lbxml-gen"
    return Path(os.environ.get("ZDU_LBXML_GEN") or default).resolve()


def apache2():
    return Path(os.environ.get("ZDU_APACHE2") or APACHE2)


@functools.lru_cache(maxsize=None)
def modules_dir():
    """httpd's module directory as apxs reports it; Debian's usual place when apxs is missing."""
    apxs = shutil.which("apxs") or shutil.which("apxs2")
    if apxs:
        try:
            out = subprocess.run([apxs, "-q", "LIBEXECDIR"], capture_output=True, text=True,
                                 timeout=10, check=True).stdout.strip()
            if out and Path(out).is_dir():
                return Path(out)
        except (OSError, subprocess.SubprocessError):
            pass
    return FALLBACK_MODULES_DIR
