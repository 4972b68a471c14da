"""The garbage collector's full passes made in the window's idle turns, not inside its actions.

Python's cyclic collector makes a full pass (generation 2) every ten passes of its middle
generation, about every 70,000 new container objects. Opening a long article makes that many,
so a pass landed inside an open now and then, and now and then inside an edit: it walks every
object the open article holds (33,000 on bench_long's long articles: 3-13 ms on a quiet
machine, a frame on its own under load). What start-up made is out of its sight already
(app.settle_heap freezes it); an article's objects cannot be frozen the same way, because a
closed article leaves cycles (its lines and their arcs: 21,000 objects on doccano's long one)
that a frozen heap would keep for good.

So while a window is open, full passes are put off (core.collector.defer_full_collections) and
made here instead: when one is owed, the program has been quiet for a tick (TICK_MS with at
most QUIET_PASSES young passes: no action is under way), and no other idle work is left, the
window's idle scheduler runs one, in a turn of its own. Cyclic garbage is therefore freed
within a tick or two of the person's pause, as it would have been at the next full pass;
if the window is never quiet, Python's own raised threshold still makes the pass (the bound on
memory). Two passes are at least GAP times the last one's length apart, so that a heap larger
than a window's (a test run's, where nothing is frozen) never spends more than 1/GAP of the
time walking.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from annotator.core.collector import defer_full_collections, full_collection_owed, young_passes
from annotator.qt.idle_work import schedule

TICK_MS = 250
# Young passes in a tick that still count as quiet: the window's timers (the file's version,
# the status bar) make a few hundred objects; an action makes thousands.
QUIET_PASSES = 1
GAP = 50
NAME = "collect"  # its job in the idle scheduler (idle_work.ALONE: a turn of its own)


class IdleCollection(QObject):
    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        release = defer_full_collections()
        # Put back when the window goes (its deleteLater, or the program's end): a window
        # closed but kept (a test's) holds them until then; the raised threshold still collects.
        window.destroyed.connect(lambda *_: release())
        self._passes = young_passes()
        self._not_before = 0.0  # perf_counter: GAP times the last pass after it
        self.walks: list[float] = []  # seconds each pass made here took (tests, benchmarks)
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        passes = young_passes()
        quiet = passes - self._passes <= QUIET_PASSES
        self._passes = passes
        if quiet and time.perf_counter() >= self._not_before and full_collection_owed():
            schedule(self._window, NAME, self._collect)

    def _collect(self, _deadline: float) -> bool:
        # Run in the turn after the tick unless other idle work was waited for: an action may
        # have begun since, or Python's raised threshold made the pass. The next quiet tick
        # asks again.
        if young_passes() - self._passes > QUIET_PASSES or not full_collection_owed():
            return False
        began = time.perf_counter()
        gc.collect(2)
        spent = time.perf_counter() - began
        self.walks.append(spent)
        self._not_before = began + spent * GAP
        self._passes = young_passes()  # the objects its own clean-up freed are not an action
        return False
