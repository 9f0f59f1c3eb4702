"""What a result was measured on and with: kept in results.json next to the figures."""
import datetime
import os
import platform
import shutil
import subprocess

from . import harness_path  # noqa: F401
from harness import paths

TOOLS = {"nginx": ["/usr/sbin/nginx", "-v"], "haproxy": ["/usr/sbin/haproxy", "-v"],
         "wrk": ["wrk", "-v"], "strace": ["strace", "-V"], "apache2": None}


def _first_line(cmd):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    text = (done.stdout + done.stderr).strip()
    return text.splitlines()[0] if text else None


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def load_average():
    """The 1-minute load average: above the core count, other work shared the machine and
    req/s figures are low and noisy (CPU per request much less so)."""
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


# What each section needs beyond nginx and apache2 (and the built module).
SECTION_TOOLS = {
    "compare": ("/usr/sbin/haproxy", "wrk"),
    "scale": ("/usr/sbin/haproxy", "wrk"),
    "reload": ("wrk",),  # the reload-every-second row runs under wrk's load
    "syscalls": ("strace",),
    "callgrind": ("valgrind", "callgrind_annotate"),
}


def missing_tools(sections=None):
    """Executables the load sections cannot run without; sections None: all of them."""
    wanted = ["/usr/sbin/nginx", str(paths.apache2())]
    for section in SECTION_TOOLS if sections is None else sections:
        wanted += [t for t in SECTION_TOOLS.get(section, ()) if t not in wanted]
    missing = [t for t in wanted if not shutil.which(t)]
    if not paths.module_path().exists():
        missing.append(str(paths.module_path()))
    return missing


def describe(argv, profile):
    versions = {name: _first_line(cmd or [str(paths.apache2()), "-v"])
                for name, cmd in TOOLS.items()}
    return {"command": " ".join(argv), "profile": profile.name, "cores": os.cpu_count(),
            "cpu": _cpu_model(), "kernel": platform.release(), "versions": versions,
            "module": str(paths.module_path()), "load_average_start": load_average(),
            "module_built": _mtime(paths.module_path()),
            # HEAD when the run started; the module may have been built from another tree.
            "head": _first_line(["git", "-C", str(paths.REPO), "rev-parse", "--short", "HEAD"])}


def _mtime(path):
    try:
        stamp = os.stat(path).st_mtime
    except OSError:
        return None
    return datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).isoformat(
        timespec="seconds")
