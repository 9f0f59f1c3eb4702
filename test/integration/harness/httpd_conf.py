"""The httpd.conf the harness runs httpd with: everything in one temp dir, no /etc/apache2."""
import os
from pathlib import Path

from . import paths

BASE_MODULES = ("authz_core", "mime", "dir", "slotmem_shm", "headers", "status")
# mod_zdu runs on top of these; proxy_modules=False leaves them out to test that it says so.
PROXY_MODULES = ("proxy", "proxy_http", "proxy_balancer", "lbmethod_byrequests")
MPMS = ("event", "worker", "prefork")
UNPRIVILEGED_USER = "www-data"


def load_module(name, modules_dir):
    return f'LoadModule {name}_module "{Path(modules_dir) / f"mod_{name}.so"}"'


def mpm_settings(mpm, servers, threads):
    """Keeps `servers` children up from the start, so tests see cross-process behaviour
    (shared state, per-child caches) rather than one child doing all the work."""
    if mpm == "prefork":
        limit = servers * threads
        return (f"StartServers {servers}\nMinSpareServers {servers}\n"
                f"MaxSpareServers {limit}\nServerLimit {limit}\nMaxRequestWorkers {limit}")
    # MinSpareThreads counts every thread of `servers` children as spare, and MaxSpareThreads
    # leaves room for one more child, so none of the first `servers` is ever reaped as idle.
    return (f"StartServers {servers}\nServerLimit {servers + 1}\n"
            f"ThreadLimit {threads}\nThreadsPerChild {threads}\n"
            f"MinSpareThreads {servers * threads}\nMaxSpareThreads {(servers + 1) * threads}\n"
            f"MaxRequestWorkers {(servers + 1) * threads}")


def run_as_lines():
    """httpd refuses to serve as root; its children drop to www-data when started by root."""
    if os.geteuid() != 0:
        return ""
    return f"User {UNPRIVILEGED_USER}\nGroup {UNPRIVILEGED_USER}"


def render(root, port, *, mpm="event", servers=3, threads=8, zdu=True, module=None,
           proxy_modules=True, extra_modules=(), extra_conf="", access_log=True,
           log_level="warn", config_file=None):
    if mpm not in MPMS:
        raise ValueError(f"mpm must be one of {MPMS}, not {mpm!r}")
    mods = paths.modules_dir()
    loads = [load_module(f"mpm_{mpm}", mods)]
    names = BASE_MODULES + (PROXY_MODULES if proxy_modules else ()) + tuple(extra_modules)
    loads += [load_module(name, mods) for name in names]
    if zdu:
        loads.append(f'LoadModule zdu_module "{module or paths.module_path()}"')
    levels = f"{log_level} zdu:debug" if zdu else log_level
    access = f'CustomLog "{root}/access.log" harness' if access_log else ""
    # Policy modules of the tests live in the build dir or the server root.
    zdu_conf = (f'ZduPolicyModuleDir "{paths.build_dir()}" "{root}"\n'
                f'ZduConfigFile "{config_file or f"{root}/loadbalancer.xml"}"') if zdu else ""
    return f"""\
ServerRoot "{root}"
ServerName 127.0.0.1:{port}
Listen 127.0.0.1:{port}
PidFile "{root}/httpd.pid"
DefaultRuntimeDir "{root}/run"
ErrorLog "{root}/error.log"
LogLevel {levels}
LogFormat "%h %t \\"%r\\" %>s %b %D pid=%P" harness
{access}
{run_as_lines()}

{chr(10).join(loads)}

{mpm_settings(mpm, servers, threads)}
MaxConnectionsPerChild 0
GracefulShutdownTimeout 5
Timeout 30
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 5

TypesConfig "{paths.MIME_TYPES}"
DocumentRoot "{root}/htdocs"
DirectoryIndex index.html
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "{root}/htdocs">
    Require all granted
</Directory>
<Location "/server-status">
    SetHandler server-status
    Require all granted
</Location>

{zdu_conf}

{extra_conf}
"""
