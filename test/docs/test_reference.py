"""The reference docs name everything the code defines: log ids, directives and properties."""
import re
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def read(rel):
    return (ROOT / rel).read_text()


def defined_log_ids():
    return set(re.findall(r'^#define ZDU_LOG_\w+ "(ZDU\d{4}): "', read("mod_zdu/log_ids.hpp"), re.M))


def documented_log_ids():
    return set(re.findall(r"^\| (ZDU\d{4}) \| (?!—)", read("docs/log-ids.md"), re.M))


def defined_directives():
    sources = [p for p in (ROOT / "mod_zdu").rglob("*") if p.suffix in (".cpp", ".hpp")]
    text = "\n".join(p.read_text() for p in sources)
    return set(re.findall(r'AP_INIT_\w+\(\s*"(Zdu\w+)"', text))


def defined_properties():
    return set(re.findall(r'^\s*\{"([a-z-]+)",\s*\w+Property\{', read("core/config/property_table.cpp"),
                          re.M))


class Reference(unittest.TestCase):
    def test_log_ids_documented(self):
        defined, documented = defined_log_ids(), documented_log_ids()
        self.assertTrue(defined, "no log id found in mod_zdu/log_ids.hpp")
        self.assertEqual(sorted(defined - documented), [], "defined but not in docs/log-ids.md")
        self.assertEqual(sorted(documented - defined), [], "in docs/log-ids.md but not defined")

    def test_directives_documented(self):
        directives = defined_directives()
        self.assertIn("ZduConfigFile", directives)
        text = read("docs/directives.md")
        missing = [d for d in sorted(directives) if f"`{d} " not in text and f"`{d}`" not in text]
        self.assertEqual(missing, [], "directives missing from docs/directives.md")

    def test_properties_documented(self):
        properties = defined_properties()
        self.assertIn("response-timeout-in-seconds", properties)
        text = read("docs/directives.md")
        missing = [p for p in sorted(properties) if f"| `{p}` |" not in text]
        self.assertEqual(missing, [], "properties missing from docs/directives.md")


if __name__ == "__main__":
    unittest.main()
