"""Hook order and request-path edges found in review (real httpd, real backends): server-level
mod_rewrite rules run before mod_zdu routes a path, whatever the LoadModule order; a retried
request keeps its query string; HEAD and requests with a body follow the failure rules."""
import re
import time

from harness import ZduTestCase
from harness.paths import modules_dir

REWRITE_RULES = """\
RewriteEngine On
RewriteRule ^/app/blocked - [F]
RewriteRule ^/old/(.*)$ /app/$1 [PT]
"""


def load_rewrite():
    return f'LoadModule rewrite_module "{modules_dir()}/mod_rewrite.so"\n'


class RewriteBeforeRouting(ZduTestCase):
    """mod_rewrite orders itself only before mod_proxy; mod_zdu must let it run first too, or a
    RewriteRule that forbids or maps a path under a context root silently never applies."""

    def check_rules_apply(self, httpd):
        client = self.client(httpd)
        self.assertEqual(client.fresh().get("/app/blocked").status, 403,
                         "a RewriteRule [F] under a context root is enforced")
        mapped = client.fresh().get("/old/page?x=1")
        self.assertEqual(mapped.status, 200, mapped.text)
        self.assertEqual(mapped.json()["path"], "/app/page?x=1", "the [PT] result is routed")
        self.assertEqual(client.fresh().get("/app/page").status, 200)

    def test_rewrite_loaded_before_mod_zdu(self):
        httpd, _ = self.start_cluster(extra_modules=("rewrite",), extra_conf=REWRITE_RULES)
        self.check_rules_apply(httpd)

    def test_rewrite_loaded_after_mod_zdu(self):
        httpd, _ = self.start_cluster(extra_conf=load_rewrite() + REWRITE_RULES)
        self.check_rules_apply(httpd)


MANAGER = ("<Location /zdu-manager>\n    SetHandler zdu-manager\n</Location>\n"
           "ZduManagerSecret s3cret\n")


class CatchAllContextRoot(ZduTestCase):
    """With the "/" catch-all every path is routed, but a <Location> with its own SetHandler
    (the manager, server-status) is still served by httpd, also while "/" is disabled."""

    def check_local_handlers(self, httpd):
        client = self.client(httpd)
        ping = client.fresh().get("/zdu-manager?cmd=ping", headers={"X-Zdu-Secret": "s3cret"})
        self.assertEqual(ping.status, 200, ping.text)
        self.assertEqual(client.fresh().get("/server-status?auto").status, 200)

    def test_manager_and_server_status_under_catch_all(self):
        httpd, _ = self.start_cluster(context_root="/", extra_conf=MANAGER)
        self.check_local_handlers(httpd)
        routed = self.client(httpd).fresh().get("/anything")
        self.assertEqual(routed.status, 200)
        self.assertEqual(routed.json()["path"], "/anything")

    def test_manager_while_the_catch_all_is_disabled(self):
        httpd, _ = self.start_cluster(context_root="/", extra_conf=MANAGER,
                                      web_module={"enabled": "false"})
        self.assertEqual(self.client(httpd).fresh().get("/anything").status, 503)
        self.check_local_handlers(httpd)

    def test_set_handler_none_is_still_routed(self):
        conf = MANAGER + "<Location /app/plain>\n    SetHandler None\n</Location>\n"
        httpd, _ = self.start_cluster(extra_conf=conf)
        response = self.client(httpd).fresh().get("/app/plain/x")
        self.assertEqual(response.status, 200, response.text)
        self.assertEqual(response.json()["path"], "/app/plain/x")
