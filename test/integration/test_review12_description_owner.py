"""An admin command run as root (sudo) on a description another account owns leaves it that
account's: the edit renames a new file over the old one, and a root-owned result would lock the
file's owner out of the next edit."""
import os
import tempfile
import unittest
import subprocess
from pathlib import Path

from harness import paths
from test_lbxml_gen_commands import DESCRIPTION

OWNER = (4321, 4321)  # any account but root: chown needs no such user to exist


@unittest.skipUnless(os.geteuid() == 0, "only root can give a file to another account")
class DescriptionOwnerTest(unittest.TestCase):
    def test_an_edit_as_root_keeps_the_owner_and_mode(self):
        with tempfile.TemporaryDirectory() as tmp:
            description = Path(tmp) / "cluster.xml"
            description.write_text(DESCRIPTION)
            os.chown(description, *OWNER)
            os.chmod(description, 0o640)
            done = subprocess.run(
                [str(paths.lbxml_gen()), "disable-http-lb-server", "--description",
                 str(description), "i1"], capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn('<server-ref ref="i1" lb-enabled="false"', description.read_text())
            st = description.stat()
            self.assertEqual((st.st_uid, st.st_gid), OWNER)
            self.assertEqual(st.st_mode & 0o777, 0o640)


if __name__ == "__main__":
    unittest.main()
