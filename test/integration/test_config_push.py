"""Config push through the manager (cmd=push-validate, cmd=push-commit): only with the secret
and ZduConfigPush On; an invalid, mismatched, oversized or unwritable push changes nothing;
a commit replaces ZduConfigFile (previous copy in .bak) and every child serves it when the
answer comes; manager admin states are reported as overrides and reset only when asked."""
import os
import pwd
import re
import time
from urllib.parse import urlencode

from harness import Client, ZduTestCase
from harness.httpd_conf import UNPRIVILEGED_USER
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

SECRET = "s3cret"
MANAGER = ("<Location /zdu-manager>\n    SetHandler zdu-manager\n</Location>\n"
           f"ZduManagerSecret {SECRET}\n")
PUSH_ON = MANAGER + "ZduConfigPush On\n"
# No poll: only the push (or cmd=reload) publishes, so what changes is the push's doing.
PROPS = {"reload-poll-interval-in-seconds": 0}


class ConfigPushTest(ZduTestCase):
    def xml(self, backends, weights=None):
        weights = weights or {}
        attrs = [{"weight": weights[b.instance]} if b.instance in weights else {}
                 for b in backends]
        return loadbalancer_xml([cluster_of(backends, instance_attrs=attrs)], PROPS)

    def manager(self, httpd, method, body=None, secret=SECRET, **params):
        headers = {"X-Zdu-Secret": secret} if secret else {}
        if body is not None:
            headers["Content-Type"] = "application/xml"
        with Client(httpd.base_url) as client:
            return client.request(method, "/zdu-manager?" + urlencode(params), body, headers)

    def status(self, httpd):
        response = self.manager(httpd, "GET", cmd="status")
        self.assertEqual(response.status, 200, response.text)
        return response.json()

    def weights(self, status):
        return {i["name"]: i["weight"] for i in status["clusters"][0]["instances"]}

    def writable_root(self, httpd):
        # The children run as the unprivileged user when the tests run as root: the temp file
        # of the atomic write goes in the directory of ZduConfigFile.
        if os.geteuid() == 0:
            pw = pwd.getpwnam(UNPRIVILEGED_USER)
            os.chown(httpd.root, pw.pw_uid, pw.pw_gid)

    def started(self, backends, conf=PUSH_ON, writable=True):
        httpd = self.start_httpd(self.xml(backends), extra_conf=conf)
        if writable:
            self.writable_root(httpd)
        return httpd

    def push(self, httpd, xml, **extra):
        validated = self.manager(httpd, "POST", xml, cmd="push-validate")
        self.assertEqual(validated.status, 200, validated.text)
        answer = validated.json()
        self.assertTrue(answer["ok"], answer)
        return self.manager(httpd, "POST", xml, cmd="push-commit", hash=answer["hash"], **extra)

    def test_a_commit_replaces_the_file_and_every_child_serves_it_when_answered(self):
        backends = self.start_backends(["1.0", "1.0"])
        httpd = self.started(backends)
        before = self.status(httpd)
        old = httpd.xml_path.read_text()
        new = self.xml(backends, {"i1": 7})
        committed = self.push(httpd, new)
        self.assertEqual(committed.status, 200, committed.text)
        answer = committed.json()
        self.assertTrue(answer["ok"])
        self.assertEqual(answer["generation"], before["generation"] + 1, answer)
        self.assertTrue(answer["changed"])
        self.assertEqual(answer["overrides"], [])
        self.assertFalse(answer["reset"])
        self.assertEqual(httpd.xml_path.read_text(), new)
        self.assertEqual(httpd.xml_path.with_name("loadbalancer.xml.bak").read_text(), old)
        leftovers = [p.name for p in httpd.root.iterdir() if p.name.startswith(".loadbalancer")]
        self.assertEqual(leftovers, [])
        # Any child (three of them, new connections) already runs it: no wait, no poll.
        for _ in range(9):
            status = self.status(httpd)
            self.assertEqual(status["generation"], answer["generation"], status)
            self.assertEqual(status["config_hash"], answer["hash"], status)
            self.assertEqual(self.weights(status), {"i1": 7, "i2": 100})
        self.assertRegex(httpd.error_log(), r"ZDU0152: manager: push-commit hash=")
        # The same content again: written, not published a second time.
        again = self.push(httpd, new)
        self.assertEqual(again.status, 200, again.text)
        self.assertFalse(again.json()["changed"])
        self.assertEqual(again.json()["generation"], answer["generation"])

    def test_push_is_refused_without_zdu_config_push_or_the_secret(self):
        backends = self.start_backends(["1.0", "1.0"])
        new = self.xml(backends, {"i1": 7})
        off = self.started(backends, conf=MANAGER)
        old = off.xml_path.read_text()
        refused = self.manager(off, "POST", new, cmd="push-validate")
        self.assertEqual(refused.status, 403, refused.text)
        self.assertIn("ZduConfigPush is Off", refused.json()["error"])
        self.assertRegex(off.error_log(), r"ZDU0150: manager: push-validate from \S+ refused")

        on = self.started(backends)
        hash_ = self.manager(on, "POST", new, cmd="push-validate").json()["hash"]
        for secret in ("wrong", None):
            bad = self.manager(on, "POST", new, secret=secret, cmd="push-commit", hash=hash_)
            self.assertEqual(bad.status, 403, bad.text)
        self.assertEqual(on.xml_path.read_text(), old)
        self.assertEqual(self.weights(self.status(on)), {"i1": 100, "i2": 100})
        self.assertFalse(on.xml_path.with_name("loadbalancer.xml.bak").exists())

    def test_an_invalid_xml_gets_400_with_line_errors_and_changes_nothing(self):
        backends = self.start_backends(["1.0", "1.0"])
        httpd = self.started(backends)
        before = self.status(httpd)
        old = httpd.xml_path.read_text()
        bad = self.xml(backends, {"i1": "heavy"})
        validated = self.manager(httpd, "POST", bad, cmd="push-validate")
        self.assertEqual(validated.status, 400, validated.text)
        errors = validated.json()["errors"]
        self.assertTrue(errors, validated.text)
        # "LINE: message", as lbxml-gen validate prints it without the file name.
        self.assertRegex(errors[0], r"^\d+: ")
        self.assertIn("weight", " ".join(errors))
        committed = self.manager(httpd, "POST", bad, cmd="push-commit",
                                 hash=validated.json()["hash"])
        self.assertEqual(committed.status, 400, committed.text)
        self.assertEqual(committed.json()["errors"], errors)
        self.assertEqual(httpd.xml_path.read_text(), old)
        after = self.status(httpd)
        self.assertEqual(after["generation"], before["generation"])
        self.assertEqual(after["config_hash"], before["config_hash"])
        # A refused push is not the file: the last reload still reads ok.
        self.assertTrue(after["last_reload"]["ok"], after)

    def test_a_body_other_than_the_validated_one_gets_409(self):
        backends = self.start_backends(["1.0", "1.0"])
        httpd = self.started(backends)
        old = httpd.xml_path.read_text()
        validated = self.manager(httpd, "POST", self.xml(backends, {"i1": 7}),
                                 cmd="push-validate").json()
        other = self.xml(backends, {"i1": 8})
        committed = self.manager(httpd, "POST", other, cmd="push-commit",
                                 hash=validated["hash"])
        self.assertEqual(committed.status, 409, committed.text)
        self.assertIn("push-validate this body first", committed.json()["error"])
        self.assertEqual(httpd.xml_path.read_text(), old)
        self.assertEqual(self.weights(self.status(httpd)), {"i1": 100, "i2": 100})

    def test_a_body_over_zdu_config_push_max_bytes_gets_413(self):
        backends = self.start_backends(["1.0", "1.0"])
        httpd = self.started(backends, conf=PUSH_ON + "ZduConfigPushMaxBytes 2k\n")
        old = httpd.xml_path.read_text()
        big = self.xml(backends, {"i1": 7}) + "<!-- " + "x" * 4096 + " -->\n"
        refused = self.manager(httpd, "POST", big, cmd="push-validate")
        self.assertEqual(refused.status, 413, refused.text)
        self.assertIn("ZduConfigPushMaxBytes (2048 bytes)", refused.json()["error"])
        self.assertEqual(httpd.xml_path.read_text(), old)
        # Under the limit it goes through.
        self.assertEqual(self.push(httpd, self.xml(backends, {"i1": 7})).status, 200)

    def test_a_file_that_cannot_be_written_gets_500_and_nothing_changes(self):
        if os.geteuid() != 0:
            self.skipTest("needs the children to run as another user than the directory's")
        backends = self.start_backends(["1.0", "1.0"])
        httpd = self.started(backends, writable=False)  # root's 0755 directory
        before = self.status(httpd)
        old = httpd.xml_path.read_text()
        committed = self.push(httpd, self.xml(backends, {"i1": 7}))
        self.assertEqual(committed.status, 500, committed.text)
        self.assertIn("the file is untouched", committed.json()["error"])
        self.assertIn("cannot create a temporary file", committed.json()["error"])
        self.assertEqual(httpd.xml_path.read_text(), old)
        after = self.status(httpd)
        self.assertEqual(after["generation"], before["generation"])
        self.assertEqual(self.weights(after), {"i1": 100, "i2": 100})
        self.assertRegex(httpd.error_log(), r"ZDU0154: ")

    def test_manager_admin_states_are_overrides_a_push_reports_and_resets_when_asked(self):
        backends = self.start_backends(["1.0", "1.0"])
        httpd = self.started(backends)
        disabled = self.manager(httpd, "POST", cmd="disable-instance", instance="i2")
        self.assertEqual(disabled.status, 200, disabled.text)
        overrides = self.status(httpd)["overrides"]
        self.assertEqual([(o["cluster"], o["instance"], o["admin_state"], o["origin"])
                          for o in overrides], [("c1", "i2", "disabled", "manager")])
        self.assertGreater(overrides[0]["since_ms"], 0)

        kept = self.push(httpd, self.xml(backends, {"i1": 7}))
        self.assertEqual(kept.status, 200, kept.text)
        self.assertEqual(kept.json()["overrides"], overrides)  # reported, not undone
        self.assertEqual(self.status(httpd)["overrides"], overrides)

        reset = self.push(httpd, self.xml(backends, {"i1": 8}), **{"reset-overrides": 1})
        self.assertEqual(reset.status, 200, reset.text)
        answer = reset.json()
        self.assertTrue(answer["reset"])
        self.assertEqual(answer["overrides"], [])
        self.assertEqual([o["instance"] for o in answer["cleared"]], ["i2"])
        status = self.status(httpd)
        self.assertEqual(status["overrides"], [])
        admin = {i["name"]: i["admin_state"] for i in status["clusters"][0]["instances"]}
        self.assertEqual(admin, {"i1": "active", "i2": "active"})
