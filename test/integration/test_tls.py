"""TLS on both sides: a client on https gets a Secure JROUTE and its TLS facts reach the
backend as Proxy-keysize / Proxy-auth-cert; with https-routing the backend is reached on its
https:// listener (mod_ssl's SSLProxyEngine)."""
import http.client
import json
import ssl
import subprocess
import unittest

from harness import ZduTestCase
from harness.ports import free_port
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

SSL_MODULES = ("socache_shmcb", "ssl")


def make_cert(directory, name):
    cert, key = f"{directory}/{name}.crt", f"{directory}/{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={name}", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key


def cert_der(path):
    with open(path) as f:
        return ssl.PEM_cert_to_DER_cert(f.read())


def glassfish_cert_der(header):
    """The certificate as GlassFish's ProxyHandlerImpl reads Proxy-auth-cert: "% d% a" back to
    line breaks, its own BEGIN/END lines around it, then one X.509 certificate parsed (here by
    openssl, which fails on anything else)."""
    pem = ("-----BEGIN CERTIFICATE-----\n" + header.replace("% d% a", "\n")
           + "\n-----END CERTIFICATE-----\n")
    done = subprocess.run(["openssl", "x509", "-outform", "DER"], input=pem.encode(),
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise AssertionError(f"not a certificate by GlassFish's rule: {header!r}\n"
                             f"{done.stderr.decode(errors='replace')}")
    return done.stdout


def tls_vhost(port, cert, key):
    return f"""
Listen 127.0.0.1:{port}
<VirtualHost 127.0.0.1:{port}>
    SSLEngine on
    SSLCertificateFile {cert}
    SSLCertificateKeyFile {key}
    SSLVerifyClient optional_no_ca
</VirtualHost>
"""


def https_get(port, path, client_cert=None, headers=None):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if client_cert:
        context.load_cert_chain(*client_cert)
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    headers = response.getheaders()
    conn.close()
    return response.status, headers, body


class TlsClient(ZduTestCase):
    def test_tls_facts_reach_backend_and_route_cookie_is_secure(self):
        certs = self.make_tmpdir()
        server_cert = make_cert(certs, "localhost")
        client_cert = make_cert(certs, "client")
        backends = self.start_backends(("1.0",))
        port = free_port()
        httpd = self.start_httpd(loadbalancer_xml([cluster_of(backends)]),
                                 extra_conf=tls_vhost(port, *server_cert),
                                 extra_modules=SSL_MODULES)
        status, headers, body = https_get(port, "/app/login", client_cert)
        self.assertEqual(status, 200, body)
        seen = {k.lower(): v for k, v in json.loads(body)["headers"].items()}
        self.assertEqual(seen["x-forwarded-proto"], "https")
        self.assertRegex(seen["proxy-keysize"], r"^\d+$")
        self.assertEqual(glassfish_cert_der(seen["proxy-auth-cert"]), cert_der(client_cert[0]))
        # By default (auto) a TLS client's address goes too, the route header does not.
        self.assertEqual(seen.get("proxy-ip"), "127.0.0.1", seen)
        self.assertNotIn("proxy-jroute", seen)
        jroute = [v for k, v in headers if k.lower() == "set-cookie" and v.startswith("JROUTE=")]
        self.assertTrue(jroute and "Secure" in jroute[0], headers)
        plain = self.client(httpd).get("/app/login")
        plain_jroute = [c for c in plain.set_cookies if c.startswith("JROUTE=")]
        self.assertNotIn("Secure", plain_jroute[0])

    def test_connection_header_cannot_drop_tls_facts(self):
        certs = self.make_tmpdir()
        server_cert = make_cert(certs, "localhost")
        client_cert = make_cert(certs, "client")
        backends = self.start_backends(("1.0",))
        port = free_port()
        self.start_httpd(loadbalancer_xml([cluster_of(backends)]),
                         extra_conf=tls_vhost(port, *server_cert) + "ZduBackendHeaders all\n",
                         extra_modules=SSL_MODULES)
        connection = ("keep-alive, Proxy-ip, Proxy-jroute, X-Forwarded-Proto, Proxy-keysize, "
                      "Proxy-auth-cert")
        status, _, body = https_get(port, "/app/x", client_cert, {"Connection": connection})
        self.assertEqual(status, 200, body)
        seen = {k.lower(): v for k, v in json.loads(body)["headers"].items()}
        self.assertRegex(seen.get("proxy-keysize", ""), r"^\d+$", seen)
        self.assertEqual(seen.get("x-forwarded-proto"), "https", seen)
        self.assertEqual(seen.get("proxy-ip"), "127.0.0.1", seen)
        self.assertRegex(seen.get("proxy-jroute", ""), r"^[a-z2-7]{8}$", seen)
        self.assertEqual(glassfish_cert_der(seen["proxy-auth-cert"]), cert_der(client_cert[0]))

    def test_no_client_certificate_no_cert_header(self):
        certs = self.make_tmpdir()
        server_cert = make_cert(certs, "localhost")
        backends = self.start_backends(("1.0",))
        port = free_port()
        self.start_httpd(loadbalancer_xml([cluster_of(backends)]),
                         extra_conf=tls_vhost(port, *server_cert), extra_modules=SSL_MODULES)
        status, _, body = https_get(port, "/app/x")
        seen = {k.lower() for k in json.loads(body)["headers"]}
        self.assertEqual(status, 200)
        self.assertIn("proxy-keysize", seen)
        self.assertNotIn("proxy-auth-cert", seen)


class HttpsRouting(ZduTestCase):
    PROXY_TLS = "SSLProxyEngine On\nSSLProxyVerify none\nSSLProxyCheckPeerName off\n"

    def start(self, https_routing):
        certs = self.make_tmpdir()
        cert, key = make_cert(certs, "backend")
        plain = free_port()
        backend = self.start_backend("i1", tls_cert=cert, tls_key=key)
        listeners = f"http://127.0.0.1:{plain} https://127.0.0.1:{backend.port}"
        if not https_routing:
            listeners = f"https://127.0.0.1:{backend.port} http://127.0.0.1:{backend.port}"
        cluster = {"name": "c1", "instances": [{"name": "i1", "listeners": listeners}],
                   "web_modules": [{"context_root": "/app"}]}
        props = {"https-routing": "true" if https_routing else "false"}
        return self.start_httpd(loadbalancer_xml([cluster], props), extra_conf=self.PROXY_TLS,
                                extra_modules=SSL_MODULES)

    def test_https_listener_used_when_https_routing(self):
        httpd = self.start(https_routing=True)
        response = self.client(httpd).get("/app/x")
        self.assertEqual(response.status, 200, response.text)
        self.assertTrue(response.json()["tls"])
        # A plain client on an https instance: only the scheme is news to it (auto).
        seen = {k.lower(): v for k, v in response.json()["headers"].items()}
        self.assertEqual(seen.get("x-forwarded-proto"), "http", seen)
        self.assertNotIn("proxy-ip", seen)
        self.assertNotIn("proxy-jroute", seen)

    def test_http_listener_used_otherwise(self):
        httpd = self.start(https_routing=False)
        # The only http:// listener is the TLS port itself: a plain request to it fails, which
        # shows the http:// listener was chosen.
        self.assertNotEqual(self.client(httpd).get("/app/x").status, 200)


if __name__ == "__main__":
    unittest.main()
