"""The status page: SetHandler zdu-status answers HTML (JSON with ?json or an Accept preferring
it), readable without sign-in; the manager location serves the same page with action forms
after a sign-in with the manager secret (a signed HttpOnly SameSite=Strict cookie plus a per-page
token). An action without the secret or the cookie, with a wrong token, or from another origin
is refused with 403 and changes nothing. Values from the config are escaped."""
import json
import os
import pathlib
import re
import sys
import unittest
import urllib.request
from urllib.parse import urlencode

from harness import Client, ZduTestCase
from harness.manager import MANAGER_CONF, SECRET, Manager

STATUS_CONF = "<Location /zdu-status>\n    SetHandler zdu-status\n</Location>\n"
CONF = STATUS_CONF + MANAGER_CONF
# A domain name carrying every markup character, to see it escaped on the page.
MARKUP = 'd<b>&"x'
ATTRS = [{"domain": "d1"}, {"domain": MARKUP}]


def token_of(page):
    match = re.search(r'name="token" value="([0-9a-f]{64})"', page)
    return match.group(1) if match else None


class PageTestCase(ZduTestCase):
    def start_page(self):
        self.httpd, self.backends = self.start_cluster(
            versions=("1.0", "1.0"), instance_attrs=ATTRS, extra_conf=CONF)
        self.manager = Manager(self.httpd)
        self.origin = self.httpd.base_url.rstrip("/")

    def admin_states(self):
        """{instance: admin_state} as every child sees it (cmd=status on fresh connections)."""
        seen = {}
        for _ in range(4):
            for cluster in self.manager.status()["clusters"]:
                for i in cluster["instances"]:
                    seen.setdefault(i["name"], set()).add(i["admin_state"])
        return {name: "/".join(sorted(states)) for name, states in seen.items()}

    def sign_in(self, client, secret=SECRET, headers=None):
        return client.post("/zdu-manager?sign-in", urlencode({"secret": secret}),
                           dict({"Content-Type": "application/x-www-form-urlencoded",
                                 "Origin": self.origin}, **(headers or {})))

    def action(self, client, token, headers=None, **params):
        body = dict(params, **({"token": token} if token is not None else {}))
        headers = dict({"Content-Type": "application/x-www-form-urlencoded",
                        "Origin": self.origin}, **(headers or {}))
        # None: the header left out (a Referer only, as some browsers send).
        headers = {k: v for k, v in headers.items() if v is not None}
        return client.post("/zdu-manager", urlencode(body), headers)


class ReadOnlyPage(PageTestCase):
    def test_the_page_needs_no_sign_in_and_json_stays_for_scripts(self):
        self.start_page()
        client = self.client(self.httpd)
        page = client.get("/zdu-status")
        self.assertEqual(page.status, 200, page.text)
        self.assertTrue(page.header("Content-Type").startswith("text/html"))
        self.assertIn("Accept", page.header("Vary", ""))
        for name in ("i1", "i2"):
            self.assertIn(f'data-instance="{name}"', page.text)
        self.assertNotIn("<form", page.text)
        self.assertIn('http-equiv="refresh"', page.text)
        self.assertEqual(client.get("/zdu-status?json").json()["clusters"][0]["name"], "c1")
        by_accept = client.get("/zdu-status", {"Accept": "application/json"})
        self.assertEqual(by_accept.header("Content-Type"), "application/json")
        self.assertEqual(by_accept.json()["clusters"][0]["name"], "c1")
        browser = client.get("/zdu-status", {"Accept": "text/html,*/*;q=0.8"})
        self.assertTrue(browser.header("Content-Type").startswith("text/html"))

    def test_values_are_escaped(self):
        self.start_page()
        page = self.client(self.httpd).get("/zdu-status").text
        self.assertIn("d&lt;b&gt;&amp;&quot;x", page)
        self.assertNotIn(MARKUP, page)
        self.assertNotIn("<b>&", page)


class PageActions(PageTestCase):
    def test_sign_in_sets_a_strict_http_only_cookie_and_a_wrong_secret_none(self):
        self.start_page()
        wrong = self.sign_in(Client(self.httpd.base_url), secret="guess")
        self.assertEqual(wrong.status, 403)
        self.assertEqual(wrong.set_cookies, [])
        client = self.client(self.httpd)
        self.assertNotIn("data-instance", client.get("/zdu-manager").text)  # sign-in form only
        right = self.sign_in(client)
        self.assertEqual(right.status, 303, right.text)
        self.assertEqual(right.header("Location"), "/zdu-manager")
        cookie = right.set_cookies[0]
        for attribute in ("HttpOnly", "SameSite=Strict", "Path=/zdu-manager"):
            self.assertIn(attribute, cookie)
        self.assertNotIn("Secure", cookie)  # plain http here
        page = client.get("/zdu-manager")
        self.assertIn('value="disable-instance"', page.text)
        self.assertIsNotNone(token_of(page.text))
        self.assertIn("X-Frame-Options", {k for k, _ in page.headers})
        out = client.post("/zdu-manager?sign-out", "", {"Origin": self.origin})
        self.assertEqual(out.status, 303)
        self.assertIn("Max-Age=0", out.set_cookies[0])
        self.assertNotIn('value="disable-instance"', client.get("/zdu-manager").text)

    def test_actions_without_credentials_a_good_token_or_the_own_origin_are_refused(self):
        self.start_page()
        client = self.client(self.httpd)
        self.assertEqual(self.sign_in(client).status, 303)
        token = token_of(client.get("/zdu-manager").text)
        refused = {
            "no secret nor cookie": (Client(self.httpd.base_url), token, {}),
            "forged cookie": (Client(self.httpd.base_url), token,
                              {"Cookie": "zdu_manager=99999999999." + "0" * 64}),
            "no token": (client, None, {}),
            "wrong token": (client, "0" * 64, {}),
            "foreign origin": (client, token, {"Origin": "http://evil.example"}),
            "foreign referer": (client, token, {"Origin": None,
                                                "Referer": "http://evil.example/x"}),
        }
        for why, (who, tok, headers) in refused.items():
            with self.subTest(why):
                response = self.action(who, tok, headers, cmd="disable-instance",
                                       instance="i1", cluster="c1")
                self.assertEqual(response.status, 403, response.text)
                self.assertEqual(self.admin_states(), {"i1": "active", "i2": "active"})
        # The same request with the cookie, the token and the own origin acts: the refusals
        # above were for what they lacked.
        done = self.action(client, token, cmd="disable-instance", instance="i1", cluster="c1")
        self.assertEqual(done.status, 200, done.text)
        self.assertEqual(self.admin_states(), {"i1": "disabled", "i2": "active"})
        # Scripts go on with the header.
        self.assertEqual(self.manager.command("POST", cmd="enable-instance",
                                              instance="i1").status, 200)
        self.assertEqual(self.admin_states(), {"i1": "active", "i2": "active"})


PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
LAPTOP = (1366, 900)
DISABLE_I1 = 'tr[data-instance="i1"] button[value="disable-instance"]'


def artifacts_dir():
    """ZDU_TEST_ARTIFACTS, or test-artifacts/ in the build directory."""
    given = os.environ.get("ZDU_TEST_ARTIFACTS")
    build = os.environ.get("ZDU_BUILD_DIR") or pathlib.Path(__file__).resolve().parents[2] / "build"
    path = pathlib.Path(given) if given else pathlib.Path(build) / "test-artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


class BrowserPage(PageTestCase):
    """Debian's chromium, headless, driven through chromium-driver by python3-selenium (all
    three from scripts/deps.sh): missing, the test fails rather than skips."""

    def browser(self):
        try:
            import selenium  # noqa: F401
        except ImportError:
            # python3-selenium installs for Debian's python3; a python3 of its own (pyenv, a
            # venv) first on PATH does not see it.
            sys.path.append("/usr/lib/python3/dist-packages")
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        # --no-sandbox: the tests may run as root, where chromium's sandbox refuses to start.
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    f"--window-size={LAPTOP[0]},{LAPTOP[1]}", f"--user-data-dir={self.make_tmpdir()}"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.addCleanup(driver.quit)
        return driver

    def wait_for(self, driver, css):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
        return driver.find_element(By.CSS_SELECTOR, css)

    def overflow(self, driver):
        """How many CSS pixels the page is wider than the viewport (0: no horizontal scroll)."""
        return driver.execute_script(
            "return Math.max(document.documentElement.scrollWidth,"
            " document.body.scrollWidth) - window.innerWidth")

    def test_sign_in_and_disable_an_instance_through_the_page(self):
        self.start_page()
        driver = self.browser()
        driver.get(self.origin + "/zdu-manager")
        self.wait_for(driver, 'input[name="secret"]').send_keys(SECRET)
        self.wait_for(driver, "#sign-in button").click()
        self.wait_for(driver, DISABLE_I1).click()
        notice = self.wait_for(driver, "#notice")
        self.assertIn("disable-instance", notice.text)
        row = self.wait_for(driver, 'tr[data-instance="i1"]')
        self.assertEqual(row.get_attribute("data-admin"), "disabled")
        self.assertIn("disabled", row.text)
        self.assertEqual(self.wait_for(driver, 'tr[data-instance="i2"]')
                         .get_attribute("data-admin"), "active")
        # The JSON says the same, in every child.
        with urllib.request.urlopen(self.origin + "/zdu-status?json") as answer:
            document = json.load(answer)
        states = {i["name"]: i["admin_state"] for i in document["clusters"][0]["instances"]}
        self.assertEqual(states, {"i1": "disabled", "i2": "active"})
        self.assertEqual(self.admin_states(), {"i1": "disabled", "i2": "active"})
        # The cookie is out of the page's scripts' reach.
        self.assertNotIn("zdu_manager", driver.execute_script("return document.cookie"))
        out = artifacts_dir()
        driver.get(self.origin + "/zdu-manager")
        self.wait_for(driver, DISABLE_I1)
        self.assertTrue(driver.save_screenshot(str(out / "status-page-laptop.png")))
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
        for path in ("/zdu-manager", "/zdu-status"):
            with self.subTest(path):
                driver.get(self.origin + path)
                self.wait_for(driver, 'tr[data-instance="i1"]')
                self.assertEqual(driver.execute_script("return window.innerWidth"), PHONE["width"])
                self.assertLessEqual(self.overflow(driver), 0)
                name = "manager" if path == "/zdu-manager" else "status"
                self.assertTrue(driver.save_screenshot(str(out / f"{name}-page-phone.png")))
        # On a phone the table is cards: its header row is hidden.
        self.assertFalse(self.wait_for(driver, "thead").is_displayed())


if __name__ == "__main__":
    unittest.main()
