"""A test certificate authority and server certificates it signs, made with the openssl CLI.
Names go in subjectAltName because that is what TLS clients check (an IP address in a URL is
matched only against IP entries there, never against the CN)."""
import subprocess
from pathlib import Path

# EC keys: generated in milliseconds, where RSA keys would slow every test's setUp.
KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"]


def _openssl(*args):
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True, timeout=30)


class CertificateAuthority:
    def __init__(self, directory, name):
        self.directory = Path(directory)
        self.cert = self.directory / f"{name}.crt"
        self.key = self.directory / f"{name}.key"
        _openssl("req", "-x509", *KEY, "-subj", f"/CN={name}", "-keyout", self.key,
                 "-out", self.cert, "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def server_cert(self, name, alt_names):
        """(cert, key) paths of a server certificate for alt_names such as "IP:127.0.0.1" or
        "DNS:example.test", signed by this CA."""
        cert = self.directory / f"{name}.crt"
        key = self.directory / f"{name}.key"
        _openssl("req", "-x509", *KEY, "-subj", f"/CN={name}", "-keyout", key, "-out", cert,
                 "-CA", self.cert, "-CAkey", self.key,
                 "-addext", "subjectAltName=" + ",".join(alt_names),
                 "-addext", "basicConstraints=critical,CA:FALSE",
                 "-addext", "extendedKeyUsage=serverAuth")
        return cert, key
