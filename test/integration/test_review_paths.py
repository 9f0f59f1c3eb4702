"""Path encodings found in review (real httpd, real backends): with AllowEncodedSlashes
NoDecode r->uri keeps "%2F" as text but has every other escape decoded, so a "%25" (a literal
percent sign) must still reach the backend as "%25"."""
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
