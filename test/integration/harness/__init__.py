"""Integration test harness for mod_zdu: real httpd, real backend processes, real HTTP.

    from harness import ZduTestCase

    class StickyTest(ZduTestCase):
        def test_login_sticks(self):
            httpd, backends = self.start_cluster(versions=("1.0", "1.0"))
            client = self.client(httpd)
            first = client.get("/app/login").json()["instance"]
            self.assertServedBy(client.get("/app/page"), first)
"""
from .backend import Backend, BackendError
from .client import Client, Response
from .cookies import CookieJar
from .httpd import Httpd, HttpdError
from .ports import free_port
from .testcase import HarnessTestCase, ZduTestCase, cluster_of
from .xml import loadbalancer_xml

__all__ = ["Backend", "BackendError", "Client", "CookieJar", "Httpd", "HttpdError",
           "HarnessTestCase", "Response", "ZduTestCase", "cluster_of", "free_port",
           "loadbalancer_xml"]
