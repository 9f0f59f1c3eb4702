"""Path handling found in review (real httpd, real backends): with AllowEncodedSlashes
NoDecode r->uri keeps "%2F" as text but has every other escape decoded, so a "%25" (a literal
percent sign) must still reach the backend as "%25"; dot segments written with backslashes,
encoded separators, at the end or before a query never reach a backend, whatever
AllowEncodedSlashes says."""
from harness import ZduTestCase


class PercentSign(ZduTestCase):
    def check_percent(self, extra_conf):
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf=extra_conf)
        client = self.client(httpd)
        for path in ("/app/100%25", "/app/100%25done", "/app/%25%2F%25", "/app/%2541?q=%25"):
            response = client.get(path)
            self.assertEqual(response.status, 200, (path, response.text))
            self.assertEqual(response.json()["path"], path)
        # Still refused: dot segments, with encoded slashes as separators.
        self.assertEqual(client.get("/app/x%2F..;%2Fadmin").status, 400)

    def test_percent_sign_with_no_decode(self):
        self.check_percent("AllowEncodedSlashes NoDecode")

    def test_percent_sign_with_encoded_slashes_off(self):
        httpd, _ = self.start_cluster(versions=("1.0",))
        for path in ("/app/100%25", "/app/%2541?q=%25"):
            response = self.client(httpd).get(path)
            self.assertEqual(response.status, 200, (path, response.text))
            self.assertEqual(response.json()["path"], path)


# More ways to write a ".." segment: a backslash or an encoded one as separator, at the end
# of the path, before a query, a slash encoded under AllowEncodedSlashes On (decoded after
# httpd resolved dot segments).
MORE_DOT_SEGMENTS = (
    "/app/..;\\admin",
    "/app/..;%5Cadmin",
    "/app/x\\..\\admin",
    "/app/x/..;",
    "/app/x/..;?q=1",
    "/app/x/.;x=1/y",
)


class MoreDotSegments(ZduTestCase):
    def check_refused(self, paths, extra_conf=""):
        httpd, backends = self.start_cluster(extra_conf=extra_conf)
        client = self.client(httpd)
        for path in paths:
            with self.subTest(path=path):
                response = client.get(path)
                self.assertIn(response.status, (400, 404), (path, response.text))
        self.assertEqual([b.stats()["requests"] for b in backends], [0, 0],
                         "no backend saw a request")

    def test_dot_segment_variants_are_refused(self):
        self.check_refused(MORE_DOT_SEGMENTS)

    def test_decoded_encoded_slashes_are_checked(self):
        self.check_refused(("/app/x%2F..%2F..%2Fadmin", "/app/x%2F..;%2Fadmin")
                           + MORE_DOT_SEGMENTS, "AllowEncodedSlashes On")

    def test_kept_encoded_slashes_are_checked(self):
        self.check_refused(("/app/x%2F..%2F..%2Fadmin", "/app/x%2f..;%2fadmin")
                           + MORE_DOT_SEGMENTS, "AllowEncodedSlashes NoDecode")
