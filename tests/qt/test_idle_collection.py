"""The garbage collector's full passes wait for the window's idle turns
(annotator/qt/controllers/idle_collection.py): none starts inside an open, a switch of article,
an edit or an undo, even when Python would have made one there; the window makes it once the
person pauses, and cyclic garbage is freed then. Python's raised threshold still makes the pass
if the window is never idle, and the thresholds are put back when the window goes.

The heap is settled first, as run_gui does once the window is up (app.settle_heap: what exists
is frozen), so that a full pass is owed as soon in the test as in the app; it is unfrozen
after the test."""

import gc
import weakref

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from annotator.core import collector
from annotator.qt import idle_work
from annotator.qt.app import settle_heap
from annotator.qt.controllers import idle_collection
from benchmarks.bench_long import add_bench_article
from tests.qt.conftest import open_window, rows


class Passes:
    """Each collector pass that starts, by generation, and whether an action was under way."""

    def __init__(self):
        self.acting = False
        self.started: list[tuple[int, bool]] = []
        gc.callbacks.append(self._seen)

    def _seen(self, phase, info):
        if phase == "start":
            self.started.append((info["generation"], self.acting))

    def close(self):
        gc.callbacks.remove(self._seen)

    def full(self, acting: bool) -> int:
        return sum(1 for generation, during in self.started if generation == 2 and during is acting)

    def forget(self):
        self.started.clear()


@pytest.fixture
def passes():
    seen = Passes()
    yield seen
    seen.close()


def holding() -> bool:
    return gc.get_threshold()[2] == collector.DEFERRED_THRESHOLD


@pytest.fixture
def settled(qtbot, passes):
    def settle():
        settle_heap()
        passes.forget()  # its own full pass
        qtbot.waitUntil(holding, timeout=2000)  # the window's next tick

    yield settle
    collector.unfreeze()


class Cycle:
    def __init__(self):
        self.me = self


def garbage_in_the_oldest_generation() -> weakref.ref:
    """A cycle that only a full pass frees: alive through a young pass (which moves it to
    generation 2), then dropped."""
    cycle = Cycle()
    gc.collect(1)
    ref = weakref.ref(cycle)
    del cycle
    return ref


def owe_a_full_pass():
    """Enough young passes that Python would make a full one (its threshold: 10 passes of
    generation 1, each after 10 of generation 0): containers kept a moment, then dropped."""
    while not collector.full_collection_owed():
        kept = [[] for _ in range(2000)]
        del kept


def test_no_full_pass_starts_inside_an_open_a_switch_an_edit_or_an_undo(qtbot, store, passes,
                                                                        settled):
    with store.write():
        store.insert_article_row("A short article about Baghdad.", title="A short one", ext_id="short",
                                 digest="short", meta={}, source="test")
    long_id = add_bench_article(store)  # after the short one: Next opens it
    window = open_window(qtbot, store)
    settled()
    # A long session's heap, one pass of generation 1 short of a full one (Python's threshold:
    # 10): the first action that makes one would have started a full pass.
    for _ in range(9):
        gc.collect(1)
    assert not collector.full_collection_owed()
    owed_inside = []

    def act(press):
        passes.acting = True
        press()
        QCoreApplication.processEvents()  # what the action posted and the repaint it asked
        owed_inside.append(collector.full_collection_owed())
        passes.acting = False

    for _ in range(5):
        act(window.actions.next_article.trigger)  # the toolbar's Next ▶
        assert window.session.article.id == long_id
        text = window.session.article.text
        start = text.index("Kataib") + 62 * len(owed_inside)  # a new word each round

        def add_span(start=start):
            window.view.set_text_selection(start, start + len("Kataib"))
            QTest.keyClick(window.view, Qt.Key.Key_G)

        act(add_span)
        assert rows(store, "SELECT label FROM spans WHERE article_id = ? AND start = ?",
                    long_id, start) == [("GPE",)]
        act(lambda: QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
        assert rows(store, "SELECT label FROM spans WHERE article_id = ? AND start = ?",
                    long_id, start) == []
        act(window.actions.previous_article.trigger)
        assert window.session.article.id != long_id
    # Python would have made a full pass in there (a long article's open makes 2 to 8 passes
    # of generation 1) ...
    assert any(owed_inside)
    # ... and none started inside an action.
    assert passes.full(acting=True) == 0
    # The person pauses: the window makes the pass it owes, in an idle turn of its own.
    work = idle_work.idle_work(window.view)
    work.turns = []
    qtbot.waitUntil(lambda: not collector.full_collection_owed(), timeout=5000)
    assert passes.full(acting=False) >= 1
    assert window.idle_collection.walks
    assert ["collect"] in work.turns


def test_cyclic_garbage_is_freed_in_the_windows_idle_turns(qtbot, store, passes, settled):
    window = open_window(qtbot, store)
    settled()
    ref = garbage_in_the_oldest_generation()
    owe_a_full_pass()
    # Python would have made its full pass by now; the window's threshold holds it back.
    assert ref() is not None and passes.full(acting=False) == 0
    qtbot.waitUntil(lambda: ref() is None, timeout=5000)
    assert len(window.idle_collection.walks) == 1
    assert not collector.full_collection_owed()


def test_the_pass_waits_while_the_window_is_busy(qtbot, store, passes, settled):
    """Work under way is not a pause: neither objects made steadily (an import's reading) nor
    a person's small actions one after the other."""
    window = open_window(qtbot, store)
    settled()
    ref = garbage_in_the_oldest_generation()
    owe_a_full_pass()
    for _ in range(3 * idle_collection.TICK_MS // 10):  # three ticks of steady work
        kept = [[] for _ in range(3000)]  # four young passes' worth every 10 ms
        del kept
        QTest.qWait(10)
    assert ref() is not None and not window.idle_collection.walks
    # Small actions (a word selected every 50 ms, as the arrow keys do) make fewer objects than
    # a young pass: the window's own signals say a person is at work.
    for i in range(3 * idle_collection.TICK_MS // 50):
        window.view.set_text_selection(i % 20, i % 20 + 3)
        QTest.qWait(50)
    assert window.view.selection() is not None
    assert ref() is not None and not window.idle_collection.walks
    qtbot.waitUntil(lambda: ref() is None, timeout=5000)


def test_a_window_never_idle_still_frees_its_garbage(qtbot, store, passes, settled):
    """The bound on memory: with no turn of the event loop at all, while articles' worth of
    cycles are made and dropped, Python's raised threshold makes the full pass."""
    open_window(qtbot, store)
    settled()
    assert gc.get_threshold()[2] == collector.DEFERRED_THRESHOLD and gc.isenabled()
    ref = garbage_in_the_oldest_generation()
    churns = 0
    while ref() is not None and churns < 20 * collector.DEFERRED_THRESHOLD:
        kept = [Cycle() for _ in range(3000)]  # an article's lines, open a while ...
        filler = [[] for _ in range(7000)]  # ... through a pass of generation 1: kept goes old
        del kept, filler  # ... then closed: garbage only a full pass frees
        churns += 1
    assert ref() is None and passes.full(acting=False) == 1
    # About 1.4 passes of generation 1 per churn: the full pass came after the threshold's
    # number of them (Python's rule on the objects new to generation 2 may ask for more).
    assert collector.DEFERRED_THRESHOLD / 2 < churns < 10 * collector.DEFERRED_THRESHOLD


def test_the_thresholds_are_held_on_a_settled_heap_and_put_back_when_the_last_window_goes(
        qtbot, store):
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # earlier tests' windows
    before = gc.get_threshold()
    from annotator.qt.main_window import MainWindow

    window = MainWindow(store)  # not qtbot's: deleted here
    # Nothing frozen (a test run's heap, walked whole): Python's own full passes, as before.
    QTest.qWait(2 * idle_collection.TICK_MS)
    assert gc.get_threshold() == before
    settle_heap()  # as run_gui does once the window is up
    try:
        qtbot.waitUntil(holding, timeout=2000)
        assert gc.get_threshold() == (before[0], before[1], collector.DEFERRED_THRESHOLD)
        other = collector.defer_full_collections()  # another window (File › Open's next one)
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert holding()  # the other still holds
        other()
        other()  # a second call changes nothing
        assert gc.get_threshold() == before
    finally:
        collector.unfreeze()


def test_a_job_that_runs_alone_waits_for_the_others_and_has_a_turn_of_its_own(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    work = idle_work.IdleWork(owner)
    ran = []
    left = {"layout": 2}

    def layout(deadline):
        ran.append("layout")
        left["layout"] -= 1
        return left["layout"] > 0

    def collect(deadline):
        ran.append("collect")
        return False

    work.add("collect", collect)
    work.add("layout", layout)
    work.schedule("collect")
    work.schedule("layout")
    work.run_turn()
    work.run_turn()  # layout's last slice: the collection is not added to its turn
    assert ran == ["layout", "layout"]
    work.run_turn()
    assert ran[-1] == "collect" and not work.busy
    # While another job waits out a pause, the timer is armed for it, not for the collection.
    work.schedule("layout", pause_ms=200)
    work.schedule("collect")
    assert work._timer.remainingTime() > 100  # not 0: the collection is not due alone yet
