"""/metrics and /lbgetmonitordata against a real httpd (event MPM, several children) and real
backends: known traffic is sent (requests to i1 and to i2, backend errors, a failover after an
instance dies), then /metrics must parse with a strict reading of the Prometheus text format
0.0.4 and agree with the status JSON and the traffic; /lbgetmonitordata must be valid against
dtd/sun-loadbalancer-stats_1_0.dtd (xmllint --dtdvalid) and count the same traffic."""
import concurrent.futures
import math
import re
import shutil
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

from harness import ZduTestCase, paths
from upgrade_common import SWEEP, UpgradeTestCase

CONF = ("<Location /metrics>\n    SetHandler zdu-metrics\n    Require all granted\n"
        "</Location>\n<Location /zdu-status>\n    SetHandler zdu-status\n"
        "    Require all granted\n</Location>\n")
STATS_DTD = paths.REPO / "dtd" / "sun-loadbalancer-stats_1_0.dtd"
PROMETHEUS_TYPE = "text/plain; version=0.0.4"

METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
# Go's strconv.ParseFloat as the exposition format allows it, plus NaN and the infinities.
FLOAT = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Inf|NaN)")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


class ExpositionError(AssertionError):
    pass


def parse_labels(text, pos, line):
    """Labels from text[pos] == '{' to its '}': ({name: value}, position after '}')."""
    labels = {}
    pos += 1
    while True:
        if text.startswith("}", pos):
            return labels, pos + 1
        m = LABEL_NAME.match(text, pos)
        if not m:
            raise ExpositionError(f"bad label name at {pos}: {line!r}")
        name = m.group(0)
        if name.startswith("__"):
            raise ExpositionError(f"reserved label name {name}: {line!r}")
        if name in labels:
            raise ExpositionError(f"label {name} twice: {line!r}")
        pos = m.end()
        if not text.startswith('="', pos):
            raise ExpositionError(f"expected =\" at {pos}: {line!r}")
        pos += 2
        value = []
        while True:
            if pos >= len(text):
                raise ExpositionError(f"unterminated label value: {line!r}")
            c = text[pos]
            if c == "\\":
                nxt = text[pos + 1:pos + 2]
                if nxt not in ("\\", '"', "n"):
                    raise ExpositionError(f"bad escape \\{nxt}: {line!r}")
                value.append("\n" if nxt == "n" else nxt)
                pos += 2
            elif c == '"':
                pos += 1
                break
            elif c == "\n":
                raise ExpositionError(f"line feed in a label value: {line!r}")
            else:
                value.append(c)
                pos += 1
        labels[name] = "".join(value)
        if text.startswith(",", pos):
            pos += 1
        elif not text.startswith("}", pos):
            raise ExpositionError(f"expected , or }} at {pos}: {line!r}")


def parse_exposition(text):
    """A strict reader of the text format 0.0.4: {family: {"type", "help", "samples":
    {(name, labels tuple): float}}}. Raises ExpositionError on anything the format forbids
    and on what this project promises on top (HELP and TYPE for every family, counters
    ending in _total)."""
    if text and not text.endswith("\n"):
        raise ExpositionError("the last line must end with a line feed")
    families, current, seen_series = {}, None, set()
    closed = set()  # families whose samples are over: none may come back

    def family(name):
        nonlocal current
        if current is not None and current != name:
            closed.add(current)
        if name in closed:
            raise ExpositionError(f"family {name} is split")
        current = name
        return families.setdefault(name, {"type": None, "help": None, "samples": {}})

    for line in text.split("\n")[:-1]:
        if line == "":
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not METRIC_NAME.fullmatch(name):
                    raise ExpositionError(f"bad metric name in {line!r}")
                f = family(name)
                if parts[1] == "HELP":
                    if f["help"] is not None:
                        raise ExpositionError(f"second HELP for {name}")
                    doc = parts[3] if len(parts) == 4 else ""
                    if re.search(r"\\[^\\n]", doc.replace("\\\\", "")):
                        raise ExpositionError(f"bad escape in HELP: {line!r}")
                    f["help"] = doc
                else:
                    if f["type"] is not None:
                        raise ExpositionError(f"second TYPE for {name}")
                    if f["samples"]:
                        raise ExpositionError(f"TYPE after samples of {name}")
                    if len(parts) != 4 or parts[3] not in TYPES:
                        raise ExpositionError(f"bad TYPE line {line!r}")
                    f["type"] = parts[3]
            continue  # any other comment
        m = METRIC_NAME.match(line)
        if not m:
            raise ExpositionError(f"bad sample line {line!r}")
        name, pos = m.group(0), m.end()
        labels = {}
        if line.startswith("{", pos):
            labels, pos = parse_labels(line, pos, line)
        rest = line[pos:]
        if not rest.startswith(" "):
            raise ExpositionError(f"expected a blank before the value: {line!r}")
        fields = rest.split()
        if len(fields) not in (1, 2) or not FLOAT.fullmatch(fields[0]):
            raise ExpositionError(f"bad value in {line!r}")
        if len(fields) == 2 and not re.fullmatch(r"-?[0-9]+", fields[1]):
            raise ExpositionError(f"bad timestamp in {line!r}")
        # No histogram or summary is written, so a sample's name is its family's.
        f = family(name)
        if f["type"] is None or f["help"] is None:
            raise ExpositionError(f"sample of {name} before its HELP and TYPE")
        series = (name, tuple(sorted(labels.items())))
        if series in seen_series:
            raise ExpositionError(f"duplicate series {line!r}")
        seen_series.add(series)
        f["samples"][series] = float(fields[0])
    for name, f in families.items():
        if f["type"] is None or f["help"] is None:
            raise ExpositionError(f"family {name} lacks HELP or TYPE")
        if f["type"] == "counter" and not name.endswith("_total"):
            raise ExpositionError(f"counter {name} does not end in _total")
        if f["type"] != "counter" and name.endswith("_total"):
            raise ExpositionError(f"{name} ends in _total but is a {f['type']}")
        for value in f["samples"].values():
            if f["type"] == "counter" and (math.isnan(value) or value < 0):
                raise ExpositionError(f"counter {name} is {value}")
    return families


def value_of(families, name, **labels):
    samples = families[name]["samples"]
    key = (name, tuple(sorted(labels.items())))
    if key not in samples:
        raise KeyError(f"{name}{labels} not in {sorted(samples)}")
    return samples[key]


class GrammarSelfTest(unittest.TestCase):
    """The reader must refuse what the format forbids, or the checks below prove nothing."""

    GOOD = ('# HELP a_total A.\n# TYPE a_total counter\na_total{x="1",y="q\\"\\\\\\n"} 3\n'
            '# HELP g G.\n# TYPE g gauge\ng 1.5e3\ng{x=""} -Inf\n')

    def test_accepts_valid_text(self):
        families = parse_exposition(self.GOOD)
        self.assertEqual(value_of(families, "a_total", x="1", y='q"\\\n'), 3)
        self.assertEqual(value_of(families, "g"), 1500)

    def test_refuses_invalid_text(self):
        bad = [
            "a_total 1\n",  # no HELP/TYPE
            "# HELP a_total A.\n# TYPE a_total counter\na_total 1",  # no final line feed
            "# HELP a A.\n# TYPE a counter\na 1\n",  # counter without _total
            "# HELP a_total A.\n# TYPE a_total counter\n# TYPE a_total counter\na_total 1\n",
            "# HELP g G.\n# TYPE g gauge\ng 1\ng 2\n",  # duplicate series
            '# HELP g G.\n# TYPE g gauge\ng{x="1",x="2"} 1\n',
            '# HELP g G.\n# TYPE g gauge\ng{x="a\\tb"} 1\n',  # bad escape
            '# HELP g G.\n# TYPE g gauge\ng{1x="a"} 1\n',
            '# HELP g G.\n# TYPE g gauge\ng{x="a} 1\n',
            "# HELP g G.\n# TYPE g gauge\ng 1,5\n",
            "# HELP g G.\n# TYPE g gauge\ng\n",
            "# HELP g G.\n# TYPE g gauge\ng 1\n# HELP h H.\n# TYPE h gauge\nh 1\ng{a=\"b\"} 2\n",
            "# HELP g G.\n# TYPE g meter\ng 1\n",
            "# HELP 9g G.\n# TYPE 9g gauge\n9g 1\n",
        ]
        for text in bad:
            with self.subTest(text=text):
                with self.assertRaises(ExpositionError):
                    parse_exposition(text)


class MetricsAndMonitorData(ZduTestCase):
    N, M, E = 7, 5, 3  # GETs to i1, GETs to i2, backend errors on i1

    def setUp(self):
        self.httpd, self.backends = self.start_cluster(
            versions=("1.0", "1.0"), properties={"require-monitor-data": "true"},
            extra_conf=CONF, servers=3)
        self.sent = 0  # client requests to /app

    def get(self, client, path):
        self.sent += 1
        return client.get(path)

    def session_on(self, instance):
        for _ in range(30):
            client = self.client(self.httpd).fresh()
            if self.get(client, "/app/login").json()["instance"] == instance:
                return client
            client.close()
        self.fail(f"no session landed on {instance}")

    def scrape(self):
        response = self.client(self.httpd).fresh().get("/metrics")
        self.assertEqual(response.status, 200, response.text)
        self.assertEqual(response.header("Content-Type"), PROMETHEUS_TYPE)
        return parse_exposition(response.text)

    def status(self):
        response = self.client(self.httpd).fresh().get("/zdu-status?json")
        self.assertEqual(response.status, 200, response.text)
        return {i["name"]: i for i in response.json()["clusters"][0]["instances"]}

    def wait_counted(self):
        """The counts are written when a request's log hook ran, just after its response went
        out: wait until /metrics has every request sent."""
        deadline = time.monotonic() + 10
        while True:
            families = self.scrape()
            seen = value_of(families, "zdu_web_module_requests_total", cluster="c1",
                            context_root="/app")
            if seen >= self.sent or time.monotonic() > deadline:
                self.assertEqual(seen, self.sent, "every request sent is counted")
                return families
            time.sleep(0.05)

    def send_traffic(self):
        c1, c2 = self.session_on("i1"), self.session_on("i2")
        self.logins = self.sent
        for _ in range(self.N):
            self.assertEqual(self.get(c1, "/app/page").json()["instance"], "i1")
        for _ in range(self.M):
            self.assertEqual(self.get(c2, "/app/page").json()["instance"], "i2")
        for _ in range(self.E):
            self.assertEqual(self.get(c1, "/app/error?status=500").status, 500)
        # i2 dies: c2's next GET fails there, then is retried on i1 (a failover).
        self.backends[1].kill9()
        self.assertEqual(self.get(c2, "/app/page").json()["instance"], "i1")

    def test_metrics_parse_and_match_status_and_traffic(self):
        self.send_traffic()
        families = self.wait_counted()
        status = self.status()
        for name in ("i1", "i2"):
            labels = {"cluster": "c1", "instance": name, "version": "1.0"}
            counters = status[name]["counters"]
            for key in ("requests", "new_sessions", "failures", "failovers", "retries",
                        "responses_5xx"):
                with self.subTest(instance=name, counter=key):
                    self.assertEqual(value_of(families, f"zdu_instance_{key}_total", **labels),
                                     counters[key])
            self.assertEqual(value_of(families, "zdu_instance_live_sessions", **labels),
                             status[name]["live_sessions"])
            self.assertAlmostEqual(
                value_of(families, "zdu_instance_response_max_seconds", **labels) * 1000,
                status[name]["max_response_ms"], places=3)
            answered = value_of(families, "zdu_instance_answered_total", **labels)
            total_s = value_of(families, "zdu_instance_response_seconds_total", **labels)
            if answered:
                self.assertAlmostEqual(total_s / answered * 1000, status[name]["avg_response_ms"],
                                       delta=0.002)
            self.assertIsNone(status[name]["drain_estimate_s"], "neither is draining")
            self.assertEqual(value_of(families, "zdu_instance_healthy", **labels),
                             1 if status[name]["healthy"] else 0)
        logins_i1 = status["i1"]["counters"]["new_sessions"]
        logins_i2 = status["i2"]["counters"]["new_sessions"]
        self.assertEqual(logins_i1 + logins_i2, self.logins, "each login was a new session")
        # The traffic: i2's last attempt failed and was retried on i1.
        self.assertEqual(status["i1"]["counters"]["requests"],
                         logins_i1 + self.N + self.E + 1)
        self.assertEqual(status["i2"]["counters"]["requests"], logins_i2 + self.M + 1)
        self.assertEqual(status["i2"]["counters"]["failures"], 1)
        self.assertEqual(status["i2"]["counters"]["retries"], 1)
        self.assertEqual(status["i1"]["counters"]["failovers"], 1)
        # The backend errors are i1's own answers; i2's failed attempt is a failure, no 5xx.
        self.assertEqual(status["i1"]["counters"]["responses_5xx"], self.E)
        self.assertEqual(status["i2"]["counters"]["responses_5xx"], 0)
        labels1 = {"cluster": "c1", "instance": "i1", "version": "1.0"}
        labels2 = dict(labels1, instance="i2")
        self.assertEqual(value_of(families, "zdu_instance_answered_total", **labels1),
                         logins_i1 + self.N + self.E + 1)
        self.assertEqual(value_of(families, "zdu_instance_answered_total", **labels2),
                         logins_i2 + self.M)
        self.assertGreater(status["i1"]["max_response_ms"], 0)
        wm = {"cluster": "c1", "context_root": "/app"}
        self.assertEqual(value_of(families, "zdu_web_module_failures_total", **wm), self.E)
        self.assertEqual(value_of(families, "zdu_web_module_failovers_total", **wm), 1)
        self.assertEqual(value_of(families, "zdu_version_requests_total", cluster="c1",
                                  version="1.0"),
                         status["i1"]["counters"]["requests"] +
                         status["i2"]["counters"]["requests"])

    def test_monitor_data_validates_and_counts_the_traffic(self):
        self.send_traffic()
        self.wait_counted()
        response = self.client(self.httpd).fresh().get("/lbgetmonitordata")
        self.assertEqual(response.status, 200, response.text)
        self.assertTrue(response.header("Content-Type").startswith("text/xml"))
        if not shutil.which("xmllint"):
            self.fail("xmllint missing (libxml2-utils, scripts/deps.sh)")
        with tempfile.NamedTemporaryFile("wb", suffix=".xml") as f:
            f.write(response.body)
            f.flush()
            check = subprocess.run(["xmllint", "--noout", "--nonet", "--dtdvalid",
                                    str(STATS_DTD), f.name], capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stderr + response.text)
        status = self.status()
        root = ET.fromstring(response.body)
        self.assertEqual(root.tag, "load-balancer-stats")
        [cluster] = root.findall("cluster-stats")
        self.assertEqual(cluster.get("id"), "c1")
        instances = {i.get("id"): i for i in cluster.findall("instance-stats")}
        self.assertEqual(set(instances), {"i1", "i2"})
        for name, inst in instances.items():
            self.assertEqual(int(inst.get("num-total-requests")),
                             status[name]["counters"]["requests"])
            self.assertEqual(inst.get("health"), "healthy" if status[name]["healthy"]
                             else "unhealthy")
            [app] = inst.findall("application-stats")
            self.assertEqual(app.get("id"), "/app")
            self.assertEqual(int(app.get("num-total-requests")), self.sent)
            self.assertEqual(int(app.get("num-error-requests")), self.E)
            self.assertEqual(int(app.get("num-failover-requests")), 1)
            low, avg, high = (float(app.get(k)) for k in (
                "min-response-time", "average-response-time", "max-response-time"))
            self.assertTrue(0 < low <= avg <= high, (low, avg, high))

    def monitor_instances(self):
        response = self.client(self.httpd).fresh().get("/lbgetmonitordata")
        self.assertEqual(response.status, 200, response.text)
        [cluster] = ET.fromstring(response.body).findall("cluster-stats")
        return {i.get("id"): i for i in cluster.findall("instance-stats")}

    def test_monitor_data_counts_a_request_in_flight_as_active(self):
        """num-active-requests is the instance's busy count, as status reports it: a request
        held open by a slow backend is active until it is answered."""
        client = self.session_on("i1")
        slow = concurrent.futures.ThreadPoolExecutor(1)
        self.addCleanup(slow.shutdown)
        held = slow.submit(self.get, client, "/app/slow?ms=3000")
        deadline = time.monotonic() + 2.5
        while self.status()["i1"]["busy"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.status()["i1"]["busy"], 1, "the slow request is in flight")
        instances = self.monitor_instances()
        self.assertEqual(instances["i1"].get("num-active-requests"), "1")
        self.assertEqual(instances["i2"].get("num-active-requests"), "0")
        [app] = instances["i1"].findall("application-stats")
        self.assertEqual(app.get("num-active-requests"), "1")
        self.assertEqual(held.result(timeout=10).status, 200)
        self.wait_counted()
        instances = self.monitor_instances()
        self.assertEqual(instances["i1"].get("num-active-requests"), "0", "answered: not active")
        [app] = instances["i1"].findall("application-stats")
        self.assertEqual(app.get("num-active-requests"), "0")

    def test_monitor_data_is_not_served_when_off(self):
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf=CONF)
        response = self.client(httpd).get("/lbgetmonitordata")
        self.assertEqual(response.status, 404, response.text)
        families = parse_exposition(self.client(httpd).get("/metrics").text)
        self.assertEqual(value_of(families, "zdu_instance_requests_total", cluster="c1",
                                  instance="i1", version="1.0"), 0)

    def test_metrics_answers_get_only(self):
        response = self.client(self.httpd).post("/metrics", b"")
        self.assertEqual(response.status, 405)


class DrainEstimate(UpgradeTestCase):
    """A draining instance whose sessions end reports drain_estimate_s = its live sessions over
    the session-end rate the sweep measured, the same in the JSON and in /metrics."""

    def test_drain_estimate_follows_the_session_end_rate(self):
        backends = self.start_backends(("1.0", "1.0"))
        self.start_upgrade([(b, {}) for b in backends], conf=CONF)
        browsers = []
        while len(browsers) < 12:
            client = self.client(self.httpd).fresh()
            if self.login(client)[0] == "i1":
                browsers.append(client)
        self.wait_live({"i1": 12})
        self.assertIsNone(self.instances()["i1"]["drain_estimate_s"], "not draining")
        self.disable_instance("i1")
        # Sessions end over a few sweeps, so the rate has samples to go on.
        for client in browsers[:6]:
            self.assertEqual(client.get("/app/logout").status, 200)
            time.sleep(SWEEP / 2)
        deadline = time.monotonic() + 5 * SWEEP + 5
        while time.monotonic() < deadline:
            before = self.instances()["i1"]
            families = parse_exposition(self.client(self.httpd).fresh().get("/metrics").text)
            after = self.instances()["i1"]
            labels = {"cluster": "c1", "instance": "i1", "version": "1.0"}
            rate = value_of(families, "zdu_instance_session_end_rate", **labels)
            live = value_of(families, "zdu_instance_live_sessions", **labels)
            if (before == after and after["state"] == "draining" and live == 6 and
                    after["drain_estimate_s"] is not None):
                self.assertGreater(rate, 0)
                self.assertEqual(after["drain_estimate_s"], math.ceil(live / rate - 1e-6))
                self.assertEqual(value_of(families, "zdu_instance_drain_estimate_seconds",
                                          **labels), after["drain_estimate_s"])
                self.assertIsNone(self.instances()["i2"]["drain_estimate_s"])
                return
            time.sleep(0.2)
        self.fail(f"no drain estimate for i1: {self.instances()['i1']}")


if __name__ == "__main__":
    unittest.main()
