"""push-validate refuses what push-commit would have to refuse for want of room in the
balancers (ZduGrowth worker slots, ZduSpareClusters spare balancers): otherwise apply would see
every front-end validate, commit on those with room, and leave this one on the old config."""
import os
import pwd
from urllib.parse import urlencode

from harness import Client, ZduTestCase
from harness.httpd_conf import UNPRIVILEGED_USER
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

SECRET = "s3cret"
PUSH_ON = ("<Location /zdu-manager>\n    SetHandler zdu-manager\n</Location>\n"
           f"ZduManagerSecret {SECRET}\nZduConfigPush On\n")
PROPS = {"reload-poll-interval-in-seconds": 0}


class PushRoom(ZduTestCase):
    def manager(self, httpd, body=None, **params):
        headers = {"X-Zdu-Secret": SECRET}
        if body is not None:
            headers["Content-Type"] = "application/xml"
        method = "GET" if body is None else "POST"
        with Client(httpd.base_url) as client:
            return client.request(method, "/zdu-manager?" + urlencode(params), body, headers)

    def generation(self, httpd):
        status = self.manager(httpd, cmd="status")
        self.assertEqual(status.status, 200, status.text)
        return status.json()["generation"]

    def started(self, clusters, conf):
        httpd = self.start_httpd(loadbalancer_xml(clusters, PROPS), extra_conf=PUSH_ON + conf)
        if os.geteuid() == 0:  # children write the pushed file beside ZduConfigFile
            pw = pwd.getpwnam(UNPRIVILEGED_USER)
            os.chown(httpd.root, pw.pw_uid, pw.pw_gid)
        return httpd, httpd.xml_path.read_text(), self.generation(httpd)

    def assert_refused_unchanged(self, httpd, xml, before_text, before_generation, expected):
        validated = self.manager(httpd, xml, cmd="push-validate")
        self.assertEqual(validated.status, 400, validated.text)
        self.assertIn(expected, validated.text)
        self.assertEqual(httpd.xml_path.read_text(), before_text)
        self.assertEqual(self.generation(httpd), before_generation)

    def test_new_workers_past_the_growth_reserve_are_refused_at_validate(self):
        backends = self.start_backends(["1.0", "1.0", "1.0"])
        httpd, text, generation = self.started([cluster_of(backends[:1])], "ZduGrowth 1\n")
        grown = loadbalancer_xml([cluster_of(backends)], PROPS)
        self.assert_refused_unchanged(httpd, grown, text, generation, "growth reserve")

    def test_new_clusters_past_the_spare_balancers_are_refused_at_validate(self):
        backends = self.start_backends(["1.0", "1.0", "1.0"])
        httpd, text, generation = self.started([cluster_of(backends[:1])],
                                               "ZduGrowth 2\nZduSpareClusters 1\n")
        more = loadbalancer_xml(
            [cluster_of(backends[:1]),
             cluster_of(backends[1:2], name="c2", context_root="/two"),
             cluster_of(backends[2:], name="c3", context_root="/three")], PROPS)
        self.assert_refused_unchanged(httpd, more, text, generation, "spare balancers")

    def test_what_fits_validates_and_commits(self):
        backends = self.start_backends(["1.0", "1.0", "1.0"])
        httpd, _, generation = self.started([cluster_of(backends[:1])],
                                            "ZduGrowth 2\nZduSpareClusters 1\n")
        grown = loadbalancer_xml([cluster_of(backends[:2]),
                                  cluster_of(backends[2:], name="c2", context_root="/two")],
                                 PROPS)
        validated = self.manager(httpd, grown, cmd="push-validate")
        self.assertEqual(validated.status, 200, validated.text)
        # Validating twice claims nothing: the commit still finds its spare.
        again = self.manager(httpd, grown, cmd="push-validate")
        self.assertEqual(again.status, 200, again.text)
        committed = self.manager(httpd, grown, cmd="push-commit", hash=validated.json()["hash"])
        self.assertEqual(committed.status, 200, committed.text)
        self.assertEqual(self.generation(httpd), generation + 1)
