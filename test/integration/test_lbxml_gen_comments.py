"""lbxml-gen's admin commands keep the XML comments of a hand-edited cluster description: the
commented sample in conf-samples/ goes through an edit with every comment, each before the same
element as before, and a second identical edit leaves the file byte for byte as the first left it."""
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import paths

SAMPLE = paths.REPO / "conf-samples" / "cluster-description.xml"

# Each comment with the tag that follows it (its element, or the close of its container).
COMMENT_AND_NEXT = re.compile(r"<!--(.*?)-->\s*<(/?[A-Za-z-]+)", re.S)
COMMENT = re.compile(r"<!--(.*?)-->", re.S)


def run(*args):
    return subprocess.run([str(paths.lbxml_gen()), *map(str, args)], capture_output=True,
                          text=True, timeout=30)


class CommentsSurviveCommands(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="zdu-lbcomments-"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.path = self.dir / "cluster-description.xml"
        shutil.copyfile(SAMPLE, self.path)
        self.sample = SAMPLE.read_text()

    def edit(self, *args):
        result = run(args[0], "--description", self.path, *args[1:])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return self.path.read_text()

    def assert_comments_kept(self, text):
        self.assertGreaterEqual(len(COMMENT.findall(self.sample)), 5)
        self.assertEqual(COMMENT.findall(text), COMMENT.findall(self.sample))
        self.assertEqual(COMMENT_AND_NEXT.findall(text), COMMENT_AND_NEXT.findall(self.sample))

    def test_commands_keep_every_comment_in_place(self):
        for command in (["disable-http-lb-server", "--timeout", "12", "shop-cluster"],
                        ["configure-lb-weight", "--cluster", "shop-cluster", "shop-i1=50"]):
            with self.subTest(command=command[0]):
                shutil.copyfile(SAMPLE, self.path)
                text = self.edit(*command)
                self.assertNotEqual(text, self.sample)  # the edit did happen
                self.assert_comments_kept(text)
                # The previous copy is the sample itself, comments and all.
                self.assertEqual(Path(str(self.path) + ".bak").read_text(), self.sample)

    def test_edits_in_a_row_keep_the_comments(self):
        self.edit("configure-lb-weight", "--cluster", "shop-cluster", "shop-i1=50")
        text = self.edit("disable-http-lb-server", "--timeout", "12", "shop-cluster")
        self.assertIn('weight="50"', text)
        self.assert_comments_kept(text)

    def test_a_second_identical_command_changes_no_byte(self):
        for command in (["disable-http-lb-server", "--timeout", "12", "shop-cluster"],
                        ["configure-lb-weight", "--cluster", "shop-cluster", "shop-i1=50"]):
            with self.subTest(command=command[0]):
                shutil.copyfile(SAMPLE, self.path)
                first = self.edit(*command)
                self.assertEqual(self.edit(*command), first)
                self.assert_comments_kept(first)

    def test_what_an_edit_cannot_keep_is_refused_not_dropped(self):
        # A processing instruction, or a DOCTYPE internal subset, has no place in the canonical
        # text: the command refuses, naming it, and the file stays byte for byte.
        root = self.sample.index("<cluster-description")
        with_pi = self.sample[:root] + "<?editor keep-me?>\n" + self.sample[root:]
        doctype_end = self.sample.index(".dtd\">") + len('.dtd"')
        with_subset = (self.sample[:doctype_end] + " [ <!-- internal note --> ]"
                       + self.sample[doctype_end:])
        for name, text, expected in (("pi", with_pi, "processing instruction <?editor"),
                                     ("subset", with_subset, "internal subset")):
            with self.subTest(case=name):
                self.path.write_text(text)
                result = run("disable-http-lb-server", "--description", self.path,
                             "shop-cluster")
                self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
                self.assertIn(expected, result.stderr)
                self.assertIn("nothing written", result.stderr)
                self.assertEqual(self.path.read_text(), text)


if __name__ == "__main__":
    unittest.main()
