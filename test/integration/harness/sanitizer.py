"""httpd under ASan+UBSan, in the sanitizer build (build-asan/): how apache2 is started and
where its reports go.

mod_zdu.so is built there against clang's shared ASan runtime (which holds the UBSan handlers
too). Debian's apache2 is not instrumented, so the runtime must be preloaded: ctest sets
ZDU_HTTPD_PRELOAD to its path, and every apache2 the harness runs (start, `apache2 -t`) gets
LD_PRELOAD and the options below. Without ZDU_HTTPD_PRELOAD nothing changes.

Reports of httpd and of its children (www-data when root starts httpd) are written into the
server root's REPORT_DIR, one file per process (report.<pid>: with ASan's runtime hosting UBSan
both write where the last log_path given says); the test cases fail on any (testcase.py). ZDU_HTTPD_ASAN_OPTIONS and ZDU_HTTPD_UBSAN_OPTIONS add options for a
look by hand (later options win), e.g. ZDU_HTTPD_ASAN_OPTIONS=detect_leaks=1.
"""
import os
from pathlib import Path

PRELOAD_ENV = "ZDU_HTTPD_PRELOAD"
REPORT_DIR = "sanitizer-reports"
# The harness's own options, not the caller's ASAN_OPTIONS: scripts/sanitize.sh sets those for
# the unit tests, with leak detection.
# - abort_on_error: a child with a report dies of SIGABRT, which httpd logs ("exit signal
#   Aborted") next to the report; an exit code of 1 it would not mention.
# - detect_odr_violation=1: httpd loads every module twice at start (the config is read twice,
#   with a dlclose between) and again at each graceful restart; this ASan keeps the unloaded
#   module's globals registered and takes the same global, reloaded at the same address with
#   the same size, for a second definition. 1 still reports two definitions of different sizes.
# - detect_leaks=0: httpd frees by exiting. Its parent and children end with APR pools, module
#   records and the config tree still allocated, so LeakSanitizer reports httpd, mod_proxy and
#   APR (apr_allocator_create, pcre2 from ap_add_loaded_module, ...) in every process, and what
#   a module keeps in pool memory at exit. The core's allocations are checked for leaks by the
#   unit and fuzz tests, which keep detect_leaks=1; ZDU_HTTPD_ASAN_OPTIONS=detect_leaks=1 turns
#   it on here for a look by hand (test_config_pass_leaks does).
# Reports are fatal already: the code is built with -fno-sanitize-recover=all.
ASAN_OPTIONS = ("abort_on_error=1", "detect_odr_violation=1", "detect_leaks=0",
                "disable_coredump=1",
                "check_initialization_order=1", "strict_init_order=1")
UBSAN_OPTIONS = ("print_stacktrace=1", "halt_on_error=1")


def enabled():
    return bool(os.environ.get(PRELOAD_ENV))


def report_dir(root):
    return Path(root) / REPORT_DIR


def prepare(root):
    """Creates the report dir of a server root, writable by httpd's unprivileged children."""
    if enabled():
        directory = report_dir(root)
        directory.mkdir(parents=True, exist_ok=True)
        os.chmod(directory, 0o1777)


def environment(root):
    """The environment for an apache2 process serving from root: None (inherit) without the
    sanitizer build, else this process's environment with the runtime preloaded."""
    if not enabled():
        return None
    log_path = report_dir(root) / "report"
    env = dict(os.environ)
    env["LD_PRELOAD"] = os.environ[PRELOAD_ENV]
    env["ASAN_OPTIONS"] = _options(ASAN_OPTIONS, "ZDU_HTTPD_ASAN_OPTIONS", log_path)
    env["UBSAN_OPTIONS"] = _options(UBSAN_OPTIONS, "ZDU_HTTPD_UBSAN_OPTIONS", log_path)
    return env


def _options(defaults, extra_env, log_path):
    extra = [o for o in os.environ.get(extra_env, "").split(":") if o]
    return ":".join([*defaults, *extra, f"log_path={log_path}"])


def reports(root):
    """[(file name, text)] of the reports under root: any REPORT_DIR below it, so servers
    started in subdirectories of a test's temp dir count too."""
    found = []
    for directory in sorted(Path(root).glob(f"**/{REPORT_DIR}")):
        for path in sorted(p for p in directory.iterdir() if p.is_file()):
            found.append((str(path.relative_to(root)), path.read_text(errors="replace")))
    return found


def describe(found, limit=20000):
    """The reports as one text for a failure message, each cut to its last `limit` chars."""
    return "\n".join(f"--- {name} ---\n{text[-limit:]}" for name, text in found)
