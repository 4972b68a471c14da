"""The desktop bundle's program: the `annotator` command, frozen by PyInstaller.

A frozen program is its own interpreter, so two things a normal install gets from Python
are done here: the suggestion worker's spawned processes re-enter this program
(multiprocessing.freeze_support), and `annotator train` runs `sys.executable -m spacy train`,
which this program answers by running spaCy's command line in place of the app's.
"""

import multiprocessing
import runpy
import sys


def main() -> int:
    multiprocessing.freeze_support()
    if sys.argv[1:3] == ["-m", "spacy"]:
        sys.argv = ["spacy", *sys.argv[3:]]
        runpy.run_module("spacy", run_name="__main__", alter_sys=True)
        return 0
    from annotator.cli import main as annotator_main

    return annotator_main()


if __name__ == "__main__":
    sys.exit(main())
