"""Runs the end2end/aws suite (all of it, or the tests named as arguments, such as
`test_users.UsersTest.test_delete_user`) and closes with `<backend>: N passed, N failed, N skipped`,
which scripts/aws-clients.sh also appends to $PORTCULLIS_SUMMARY. Exits 1 when a test failed."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    if argv:
        suite = loader.loadTestsFromNames(argv)
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    backend = os.environ.get("PORTCULLIS_BACKEND", "aws")
    line = f"{backend}: {passed} passed, {failed} failed, {skipped} skipped"
    print(line, flush=True)
    summary = os.environ.get("PORTCULLIS_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(line + "\n")
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
