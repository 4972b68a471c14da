import sys

from annotator.cli import main

# Guarded: processes spawned by an export (annotator.formats.parallel) import this module
# again as "__mp_main__", and must not run the command a second time.
if __name__ == "__main__":
    sys.exit(main())
