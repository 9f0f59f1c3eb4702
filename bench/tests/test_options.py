"""run.py's options that change the profile: --scale-instances and --scale-rounds replace the
profile's scale sizes and rounds, and nothing else."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import run  # noqa: E402
from zdubench.profile import FULL, QUICK  # noqa: E402


class ScaleOptions(unittest.TestCase):
    def test_defaults_are_the_profiles(self):
        self.assertEqual(run.chosen_profile(run.parse_args([])), FULL)
        self.assertEqual(run.chosen_profile(run.parse_args(["--quick"])), QUICK)

    def test_sizes_and_rounds_replace_the_profiles(self):
        p = run.chosen_profile(run.parse_args(["--scale-instances", "100,1000",
                                               "--scale-rounds", "6"]))
        self.assertEqual(p.scale_instances, (100, 1000))
        self.assertEqual(p.scale_rounds, 6)
        self.assertEqual(p.rounds, FULL.rounds)
        quick = run.chosen_profile(run.parse_args(["--quick", "--scale-rounds", "4"]))
        self.assertEqual(quick.scale_rounds, 4)
        self.assertEqual(quick.scale_instances, QUICK.scale_instances)


if __name__ == "__main__":
    unittest.main()
