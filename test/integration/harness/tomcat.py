"""A real Tomcat 10 instance (Debian's tomcat10 package) serving the JSP app of the tests.

Each instance gets a fresh CATALINA_BASE in the test's temp dir with its own server.xml: one
HTTP connector on a free loopback port, no shutdown port, Engine jvmRoute=<route> (so session
ids end in .<route>, as mod_zdu's Tomcat route style expects), and test/tomcat/zdu-app
deployed at the context path. It runs `catalina.sh run` in its own process group, so stop()
ends the JVM whatever it is doing.

    tomcat = Tomcat(tmpdir, "t1", version="1.0", route="r1").start()
    tomcat.listener  # "http://127.0.0.1:<port>" for <instance listeners=...>
"""
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from xml.sax.saxutils import quoteattr

from . import paths, process
from .ports import free_port

CATALINA_HOME = Path(os.environ.get("ZDU_CATALINA_HOME") or "/usr/share/tomcat10")
APP_DIR = paths.REPO / "test" / "tomcat" / "zdu-app"
JVM_DIR = Path("/usr/lib/jvm")
# Debian's tomcat-locate-java.sh order: default-java, then the newest OpenJDK or Oracle JDK.
JAVA_VERSIONS = (25, 24, 23, 22, 21, 17, 11)
JAVA_PATTERNS = ("java-{v}-openjdk-*", "jdk-{v}-oracle-*", "jre-{v}-oracle-*",
                 "java-{v}-oracle", "oracle-java{v}-jdk-*", "oracle-java{v}-jre-*")
START_TIMEOUT = 60.0  # a cold JVM and the first JSP compile take seconds on a loaded machine
READY_PATH = "page.jsp"  # answers 403 without a session: deployed and its JSP compiled


class TomcatError(RuntimeError):
    pass


def available():
    """Why Tomcat cannot run here (a string), or None when it can."""
    if not (CATALINA_HOME / "bin" / "catalina.sh").exists():
        return f"{CATALINA_HOME}/bin/catalina.sh not found (apt-get install tomcat10)"
    if java_home() is None:
        return "no JDK found (as Debian's tomcat-locate-java.sh looks for one)"
    return None


def java_home():
    """JAVA_HOME as Debian's tomcat10 finds it: $JAVA_HOME, else the first of default-java and
    the known JDK directory names, newest first, that has bin/java."""
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"])
    candidates = [JVM_DIR / "default-java"]
    for v in JAVA_VERSIONS:
        for pattern in JAVA_PATTERNS:
            candidates += sorted(JVM_DIR.glob(pattern.format(v=v)))
    for candidate in candidates:
        if os.access(candidate / "bin" / "java", os.R_OK):
            return candidate
    return None


class Tomcat:
    """One Tomcat instance. instance and version are what the app reports (the JSON fields
    "instance" and "version", like the Python backend); route is the Engine's jvmRoute."""

    def __init__(self, tmpdir, instance, version="1.0", route=None, context_path="/app",
                 port=None, session_timeout_minutes=30):
        self.instance = instance
        self.version = version
        self.route = route or instance
        self.context_path = context_path
        self.session_timeout_minutes = session_timeout_minutes
        self.base = Path(tmpdir).resolve() / f"tomcat-{instance}"
        self.port = port
        self.proc = None
        self.started_in = None  # seconds the last start() took, for reports

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    base_url = url

    @property
    def listener(self):
        return self.url

    def start(self, timeout=START_TIMEOUT):
        """Starts and returns once the app answers; raises TomcatError with the logs if not.
        A port lost to a race is replaced, unless it was given."""
        fixed = self.port is not None
        for _ in range(1 if fixed else 3):
            if not fixed:
                self.port = free_port()
            self._write_base()
            began = time.monotonic()
            if self._try_start(timeout):
                self.started_in = time.monotonic() - began
                return self
            if "Address already in use" not in self.logs():
                break
        raise TomcatError(f"tomcat {self.instance} did not start on port {self.port}\n"
                          f"{self.logs()[-6000:]}")

    def _write_base(self):
        """CATALINA_BASE: conf/ with server.xml, web.xml, logging and catalina properties;
        logs/, temp/, work/, webapps/ (empty: no other webapp deploys). A restart keeps the
        logs (appended to) and the compiled JSPs."""
        for d in ("conf", "logs", "temp", "work", "webapps"):
            (self.base / d).mkdir(parents=True, exist_ok=True)
        conf = self.base / "conf"
        (conf / "server.xml").write_text(self._server_xml())
        (conf / "web.xml").write_text(DEFAULT_WEB_XML.format(
            timeout=self.session_timeout_minutes))
        (conf / "catalina.properties").write_text(CATALINA_PROPERTIES)
        (conf / "logging.properties").write_text(LOGGING_PROPERTIES)

    def _server_xml(self):
        return SERVER_XML.format(
            port=self.port, route=quoteattr(self.route),
            path=quoteattr("" if self.context_path == "/" else self.context_path),
            docbase=quoteattr(str(APP_DIR)), instance=quoteattr(self.instance),
            version=quoteattr(self.version))

    def _environment(self):
        env = dict(os.environ, CATALINA_HOME=str(CATALINA_HOME), CATALINA_BASE=str(self.base),
                   CATALINA_TMPDIR=str(self.base / "temp"))
        home = java_home()
        if home is not None:
            env["JAVA_HOME"] = str(home)
        # Small heap and quick JIT: a test starts several JVMs on a shared machine. urandom
        # so the first session id never waits for entropy.
        env["JAVA_OPTS"] = ("-Djava.awt.headless=true -Xms32m -Xmx256m -XX:+UseSerialGC "
                            "-XX:TieredStopAtLevel=1 -Xshare:auto "
                            "-Djava.security.egd=file:/dev/./urandom")
        env.pop("CATALINA_PID", None)  # `run` then execs java: the pid is the JVM's
        return env

    def _try_start(self, timeout):
        with open(self.base / "logs" / "stdout.log", "ab") as out:
            self.proc = subprocess.Popen(
                [str(CATALINA_HOME / "bin" / "catalina.sh"), "run"], cwd=self.base,
                env=self._environment(), stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                start_new_session=True)
        if process.wait_until(lambda: self.proc.poll() is not None or self.answers(), timeout,
                              interval=0.2):
            if self.proc.poll() is None:
                return True
        self.stop()
        return False

    def answers(self):
        """True once the app's page answers 403 (no session): the connector listens, the
        context is deployed and its JSP compiles."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", f"{self.context_path.rstrip('/')}/{READY_PATH}")
            response = conn.getresponse()
            response.read()
            return response.status == 403
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=15.0):
        """SIGTERM (Tomcat's shutdown hook stops the connector and the app), then SIGKILL;
        idempotent. The logs stay for a failure report."""
        if self.proc is not None:
            process.stop_group(self.proc, signal.SIGTERM, timeout)

    def logs(self):
        """catalina.sh's output and Tomcat's own log files, for a failure message."""
        parts = []
        for path in sorted((self.base / "logs").glob("*")):
            try:
                parts.append(f"--- {path.name} ---\n{path.read_text(errors='replace')}")
            except OSError:
                pass
        return "\n".join(parts)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def __repr__(self):
        return f"Tomcat({self.instance!r}, {self.version!r}, route={self.route!r}, " \
               f"port={self.port})"


SERVER_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by the test harness: one connector, no shutdown port (stopped by signal). -->
<Server port="-1" shutdown="SHUTDOWN">
  <Service name="Catalina">
    <Connector port="{port}" address="127.0.0.1" protocol="HTTP/1.1"
               connectionTimeout="20000" maxThreads="300" maxKeepAliveRequests="-1"
               keepAliveTimeout="30000"/>
    <Engine name="Catalina" defaultHost="localhost" jvmRoute={route}>
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false"
            deployOnStartup="false">
        <Context path={path} docBase={docbase} reloadable="false">
          <Parameter name="zdu.instance" value={instance} override="false"/>
          <Parameter name="zdu.version" value={version} override="false"/>
          <!-- No persisted sessions: every start begins with none, like a new instance. -->
          <Manager pathname=""/>
          <JarScanner scanClassPath="false" scanManifest="false"
                      scanAllDirectories="false" scanAllFiles="false"/>
        </Context>
      </Host>
    </Engine>
  </Service>
</Server>
"""

# The container defaults the app relies on: the JSP servlet for *.jsp, and the session timeout.
DEFAULT_WEB_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
  <servlet>
    <servlet-name>default</servlet-name>
    <servlet-class>org.apache.catalina.servlets.DefaultServlet</servlet-class>
    <load-on-startup>1</load-on-startup>
  </servlet>
  <servlet>
    <servlet-name>jsp</servlet-name>
    <servlet-class>org.apache.jasper.servlet.JspServlet</servlet-class>
    <init-param><param-name>development</param-name><param-value>false</param-value></init-param>
    <load-on-startup>3</load-on-startup>
  </servlet>
  <servlet-mapping>
    <servlet-name>default</servlet-name><url-pattern>/</url-pattern>
  </servlet-mapping>
  <servlet-mapping>
    <servlet-name>jsp</servlet-name><url-pattern>*.jsp</url-pattern>
  </servlet-mapping>
  <session-config><session-timeout>{timeout}</session-timeout></session-config>
</web-app>
"""

# Skipping every jar in the TLD and pluggability scans is most of a fast start; the app has
# no tag library.
CATALINA_PROPERTIES = """\
common.loader="${catalina.base}/lib","${catalina.base}/lib/*.jar",\
  "${catalina.home}/lib","${catalina.home}/lib/*.jar"
tomcat.util.scan.StandardJarScanFilter.jarsToSkip=*
tomcat.util.scan.StandardJarScanFilter.jarsToScan=
"""

LOGGING_PROPERTIES = """\
handlers = java.util.logging.ConsoleHandler
.handlers = java.util.logging.ConsoleHandler
.level = INFO
java.util.logging.ConsoleHandler.level = INFO
java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
"""


class TomcatTestCaseMixin:
    """For a HarnessTestCase: start_tomcat() starts an instance in the test's temp dir, stops
    it on teardown and prints its logs when the test failed. Skips when tomcat10 or a JDK is
    missing (scripts/deps.sh installs both)."""

    def start_tomcat(self, instance, version="1.0", route=None, **opts):
        missing = available()
        if missing:
            self.skipTest(missing)
        tomcat = Tomcat(self.make_tmpdir(), instance, version, route, **opts)
        self.addCleanup(self._report_tomcat_logs, tomcat)
        self.addCleanup(tomcat.stop)
        return tomcat.start()

    def start_tomcats(self, versions, prefix="t", **opts):
        """One instance per version, named and routed <prefix>1, <prefix>2, ..., started
        concurrently (each JVM takes about a second of CPU)."""
        tomcats = [None] * len(versions)
        errors = []

        def start(k, version):
            try:
                tomcats[k] = self.start_tomcat(f"{prefix}{k + 1}", version, **opts)
            except BaseException as e:  # reported below, in the test's thread
                errors.append(e)

        threads = [threading.Thread(target=start, args=item) for item in enumerate(versions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        return tomcats

    def _report_tomcat_logs(self, tomcat):
        if self._has_failed():
            print(f"\n[{self.id()}] {tomcat!r} logs:\n{tomcat.logs()[-8000:]}", file=sys.stderr)
