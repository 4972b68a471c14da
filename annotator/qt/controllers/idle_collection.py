"""The garbage collector's full passes made in the window's idle turns, not inside its actions.

Python's cyclic collector makes a full pass (generation 2) every ten passes of its middle
generation, about every 70,000 new container objects. Opening a long article makes that many,
so a pass landed inside an open now and then, and now and then inside an edit: it walks every
object the open article holds (33,000 on bench_long's long articles: 3-13 ms on a quiet
machine, a frame on its own under load). What start-up made is out of its sight already
(app.settle_heap freezes it); an article's objects cannot be frozen the same way, because a
closed article leaves cycles (its lines and their arcs: 21,000 objects on doccano's long one)
that a frozen heap would keep for good.

So while a window is open on a settled heap (collector.settled()), full passes are put off
(core.collector.defer_full_collections) and made here instead: when one is owed, the person
has paused (no action for QUIET seconds: an article opened, spans or a status changed, the
selection or the event chosen, the text scrolled), the program was quiet through the last tick
(at most QUIET_PASSES young passes in TICK_MS: no other work is making objects either), and no
other idle work is left, the window's idle scheduler runs one, in a turn of its own. Young
passes alone cannot tell a pause: a relabel or an undo makes fewer new objects than one young
pass. Cyclic garbage is therefore freed within a tick or two of the person's pause; if the
window is never quiet, Python's own pass still comes at the raised threshold (the bound on
memory). Two passes are at least GAP times the last one's length apart, so that a heap grown
large never spends more than 1/GAP of the time walking.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QWidget

from annotator.core import collector
from annotator.core.collector import defer_full_collections, full_collection_owed, young_passes
from annotator.qt.controllers.annotation import AnnotationController
from annotator.qt.idle_work import schedule
from annotator.qt.widgets.article_view import ArticleView

TICK_MS = 250
QUIET = 0.3  # seconds since the last action: a person reading, not typing
# Young passes in a tick that still count as quiet: the window's timers (the file's version,
# the status bar) make a few hundred objects; an action makes thousands.
QUIET_PASSES = 1
GAP = 50
NAME = "collect"  # its job in the idle scheduler (idle_work.ALONE: a turn of its own)


class IdleCollection(QObject):
    def __init__(self, window: QWidget, controller: AnnotationController, view: ArticleView):
        super().__init__(window)
        self._window = window
        self._acted = time.perf_counter()
        for signal in actions(controller, view):
            signal.connect(self._action)
        hold = self._hold = _Hold()
        # Only on a settled heap (start-up frozen by app.settle_heap, which run_gui calls once
        # the window is up): a full pass then walks what the open article made, 3-13 ms. One
        # that froze nothing (a test run) walks everything (100 ms in the test suite, beyond a
        # frame even in an idle turn): its full passes are left to Python, as they were.
        hold.set(collector.settled())
        # Let go when the window goes (its deleteLater, or the program's end): a window
        # closed but kept (a test's) holds on until then; the raised threshold still collects.
        window.destroyed.connect(lambda *_: hold.set(False))
        self._passes = young_passes()
        self._ticked = time.perf_counter()
        self._not_before = 0.0  # perf_counter: GAP times the last pass after it
        self.walks: list[float] = []  # seconds each pass made here took (tests, benchmarks)
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _action(self, *_args: object) -> None:
        self._acted = time.perf_counter()

    def _tick(self) -> None:
        if not self._hold.set(collector.settled()):
            return
        passes, now = young_passes(), time.perf_counter()
        quiet = passes - self._passes <= QUIET_PASSES and now - self._acted >= QUIET
        self._passes, self._ticked = passes, now
        if quiet and now >= self._not_before and full_collection_owed():
            schedule(self._window, NAME, self._collect)

    def _collect(self, _deadline: float) -> bool:
        # Run in the turn after the tick unless other idle work was waited for: an action may
        # have begun since, or Python's raised threshold made the pass. The next quiet tick
        # asks again.
        busy = young_passes() - self._passes > QUIET_PASSES or self._acted > self._ticked
        if busy or not full_collection_owed():
            return False
        began = time.perf_counter()
        gc.collect(2)
        spent = time.perf_counter() - began
        self.walks.append(spent)
        self._not_before = began + spent * GAP
        self._passes = young_passes()  # the objects its own clean-up freed are not an action
        return False


class _Hold:
    """The window's hold on full collections (core.collector.defer_full_collections)."""

    def __init__(self) -> None:
        self._release: Callable[[], None] | None = None

    def set(self, on: bool) -> bool:
        if on and self._release is None:
            self._release = defer_full_collections()
        elif not on and self._release is not None:
            self._release()
            self._release = None
        return on


def actions(controller: AnnotationController, view: ArticleView) -> list[SignalInstance]:
    """The signals by which a window says a person acted (what QUIET waits out)."""
    signals = controller.signals
    return [
        signals.articleOpened,
        signals.spansChanged,
        signals.statusChanged,
        controller.events.eventSelected,
        view.selectionChanged,
        view.verticalScrollBar().valueChanged,
    ]
