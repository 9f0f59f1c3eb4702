"""Admin commands run at the same time on one description (two operators, a script that runs
one per instance in parallel): each edit is a read-modify-write of the whole file, so without
serialising them the last rename wins and the others' edits vanish while they report success."""
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import paths
from test_lbxml_gen_commands import DESCRIPTION

COUNT = 16


class ConcurrentEditsTest(unittest.TestCase):
    def test_parallel_edits_are_all_kept(self):
        with tempfile.TemporaryDirectory() as tmp:
            description = Path(tmp) / "cluster.xml"
            description.write_text(DESCRIPTION)
            procs = [
                subprocess.Popen(
                    [str(paths.lbxml_gen()), "create-http-lb-instance", "--description",
                     str(description), "--cluster", "c2", "--listeners",
                     f"http://127.0.0.1:{9100 + n}", f"k{n}"],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for n in range(COUNT)
            ]
            results = [(p.wait(), p.stderr.read()) for p in procs]
            for p in procs:
                p.stdout.close()
                p.stderr.close()
            self.assertEqual([rc for rc, _ in results], [0] * COUNT, results)
            text = description.read_text()
            missing = [n for n in range(COUNT) if f'<server name="k{n}" ' not in text]
            self.assertEqual(missing, [], "edits reported done but lost")
            leftovers = sorted(p.name for p in Path(tmp).iterdir())
            self.assertEqual(leftovers, ["cluster.xml", "cluster.xml.bak"])


if __name__ == "__main__":
    unittest.main()
