import os

# Without a platform Qt aborts the whole test process on a machine with no display; set it
# before pytest-qt creates the QApplication. A real display (xvfb-run) can still be chosen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
