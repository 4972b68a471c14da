import gc
import sys

# Guarded: processes spawned by an export (annotator.formats.parallel) import this module
# again as "__mp_main__", and must not run the command a second time. The command line is
# imported inside the guard too: a spawned process needs none of it (it cost each process
# of an export a third of a second).
if __name__ == "__main__":
    from annotator.cli import main

    code = main()
    if sys.argv[1:2] == ["export"]:
        # At exit Python's collector walks every object still there: after an export that
        # loaded spaCy, 0.3 s of CPU, a tenth of a JSONL export's wall time on two cores.
        # Frozen, they are freed without the walk. Only after an export: its files are closed
        # and its project is only read, so no object waits for that last collection to flush
        # or close anything.
        gc.freeze()
    sys.exit(code)
