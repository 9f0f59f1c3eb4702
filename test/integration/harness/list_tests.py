"""Prints the unittest ids (module.Class.method) of the given test files, one a line, for
CMake to register each as its own ctest test. A file that fails to import is printed as its
module name alone, so it still runs, and fails, as one test.

    python3 -m harness.list_tests test_a.py test_b.py
"""
import sys
import unittest
from pathlib import Path


def test_ids(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from test_ids(item)
        else:
            yield item.id()


def ids_of(module):
    suite = unittest.defaultTestLoader.loadTestsFromName(module)
    ids = list(test_ids(suite))
    if not ids or any(i.startswith("unittest.loader._FailedTest") for i in ids):
        return [module]
    return ids


def main(argv):
    for path in argv:
        module = Path(path).stem
        try:
            ids = ids_of(module)
        except Exception:
            ids = [module]
        print("\n".join(ids))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
