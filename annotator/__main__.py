import sys

# Guarded: processes spawned by an export (annotator.formats.parallel) import this module
# again as "__mp_main__", and must not run the command a second time. The command line is
# imported inside the guard too: a spawned process needs none of it (it cost each process
# of an export a third of a second).
if __name__ == "__main__":
    from annotator.cli import main

    sys.exit(main())
