"""A push the front-end could never publish must be refused by push-validate already: apply
commits only where every front-end validated, so a commit refused after a good validate leaves
the front-ends on different configs."""
from harness import ZduTestCase

import test_config_push as push


class PushCapacityTest(ZduTestCase):
    # The helpers of the push tests, without running those tests a second time here.
    xml = push.ConfigPushTest.xml
    manager = push.ConfigPushTest.manager
    status = push.ConfigPushTest.status
    weights = push.ConfigPushTest.weights
    writable_root = push.ConfigPushTest.writable_root
    started = push.ConfigPushTest.started

    def test_a_body_over_zdu_config_max_bytes_is_refused_at_validate(self):
        backends = self.start_backends(["1.0", "1.0"])
        # A push limit above the shared config region: the region is what a publish needs.
        conf = push.PUSH_ON + "ZduConfigMaxBytes 4k\nZduConfigPushMaxBytes 64k\n"
        httpd = self.started(backends, conf=conf)
        old = httpd.xml_path.read_text()
        new = self.xml(backends, {"i1": 7})
        # Valid xml, 8k: under ZduConfigPushMaxBytes, over ZduConfigMaxBytes.
        big = new.replace("<loadbalancer>", "<!-- " + "x" * 8192 + " -->\n<loadbalancer>", 1)
        validated = self.manager(httpd, "POST", big, cmd="push-validate")
        self.assertEqual(validated.status, 413, validated.text)
        self.assertIn("ZduConfigMaxBytes", validated.json()["error"])
        self.assertEqual(httpd.xml_path.read_text(), old)
        self.assertEqual(self.weights(self.status(httpd)), {"i1": 100, "i2": 100})
