"""One idle scheduler per window (annotator/qt/idle_work.py): the jobs share one budget per
turn of the event loop, in a fixed order, so that one turn never runs two jobs' full slices
(10-19 ms after an open, over a frame, when each job had its own timer). The clock is the
test's: every step says how long it took, and nothing here depends on the machine's speed."""

import pytest
from PySide6.QtWidgets import QWidget

from annotator.qt import idle_work
from annotator.qt.idle_work import BUDGET, CAP, LEAST, IdleWork
from benchmarks.bench_long import add_bench_article
from tests.qt.conftest import open_window


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(idle_work.time, "perf_counter", clock)
    return clock


def job(clock, log, name, cost, steps):
    """A job of `steps` steps, each taking `cost` seconds of the test's clock or what is left
    of its deadline, whichever is less (as a slice stops at its deadline)."""
    left = [steps]

    def step(deadline):
        log.append((name, round(deadline - clock.now, 6)))
        clock.now += min(cost, max(deadline - clock.now, 0.0)) if cost else 0.0
        left[0] -= 1
        return left[0] > 0

    return step


def names(log):
    return [name for name, _ in log]


def left(log):
    return [seconds for _, seconds in log]


def test_a_turn_runs_the_jobs_in_their_order_within_one_budget(qtbot, clock):
    owner = QWidget()
    qtbot.addWidget(owner)
    work = IdleWork(owner)
    log = []
    # Registered out of order: the order is PRIORITY's.
    work.add("event rows", job(clock, log, "event rows", 1.0, 3))
    work.add("layout", job(clock, log, "layout", 0.002, 3))
    work.add("arc settling", job(clock, log, "arc settling", 0.001, 1))
    for name in ("event rows", "layout", "arc settling"):
        work.schedule(name)
    work.turns = []
    work.run_turn()
    # Settling took 1 ms, the layout 2: the rows got what was left of the turn's budget, at
    # most their cap (Qt lays out and paints the rows they made in the same turn).
    rows = CAP["event rows"]
    assert names(log) == ["arc settling", "layout", "event rows"]
    assert left(log) == pytest.approx([BUDGET, BUDGET - 0.001, min(rows, BUDGET - 0.003)])
    assert clock.now == pytest.approx(100.0 + BUDGET)
    log.clear()
    work.run_turn()  # the rows' step is never started with less than LEAST left
    assert names(log) == ["layout", "event rows"]
    assert left(log) == pytest.approx([BUDGET, min(rows, BUDGET - 0.002)])
    assert work.turns == [["arc settling", "layout", "event rows"], ["layout", "event rows"]]
    log.clear()
    clock.now += 1
    work.add("layout", job(clock, log, "layout", 0.005, 1))
    work.schedule("layout")
    work.run_turn()
    assert BUDGET - 0.005 < LEAST and log == [("layout", BUDGET)]  # the rows wait a turn
    assert work.busy and work.pending("event rows") and not work.pending("layout")
    log.clear()
    work.run_turn()
    assert log == [("event rows", pytest.approx(rows))] and rows < BUDGET
    assert not work.busy


def test_a_pause_holds_a_job_back_and_a_job_scheduled_again_keeps_it(qtbot, clock):
    owner = QWidget()
    qtbot.addWidget(owner)
    work = IdleWork(owner)
    log = []
    work.add("layout", job(clock, log, "layout", 0.001, 1))
    work.add("event rows", job(clock, log, "event rows", 0.001, 1))
    work.schedule("layout", pause_ms=30)  # an article just opened: painted first
    work.schedule("layout")  # a scroll meanwhile does not cut the pause short
    work.schedule("event rows")
    work.run_turn()
    assert log == [("event rows", pytest.approx(CAP["event rows"]))]
    clock.now += 0.031
    work.run_turn()
    assert log[-1] == ("layout", BUDGET) and not work.busy


def test_the_windows_widgets_share_one_scheduler_and_a_bare_widget_has_its_own(qtbot, store):
    window = open_window(qtbot, store)
    shared = idle_work.idle_work(window.view.viewport())
    assert idle_work.idle_work(window.event_panel) is shared
    assert idle_work.idle_work(window.view) is shared and shared.parent() is window
    bare = QWidget()
    qtbot.addWidget(bare)
    assert idle_work.idle_work(bare) is not shared


def test_after_a_long_article_opens_each_turn_runs_its_jobs_in_order(qtbot, store):
    """The benchmark's article: 1,000 events (their rows made in slices) on one paragraph
    of 1,200 lines (made in slices, their arcs settled in slices). Every kind of job runs,
    each turn in the scheduler's order, until all is done."""
    article = add_bench_article(store)
    window = open_window(qtbot, store)
    work = idle_work.idle_work(window.view)
    work.turns = []
    window.session.open_article(article)
    assert work.busy
    qtbot.waitUntil(lambda: not work.busy, timeout=20_000)
    order = ["arc settling", "layout", "event rows", "collect"]
    ran = {name for turn in work.turns for name in turn}
    assert {"layout", "event rows"} <= ran
    assert all(turn == sorted(turn, key=order.index) for turn in work.turns)
    assert window.view.text_layout.complete
    assert window.event_panel.tree.topLevelItemCount() == len(window.session.events)


def test_a_job_that_fails_is_dropped_and_the_others_go_on(qtbot):
    """A step that raises (e.g. a widget already deleted) is reported as any error in a Qt
    callback is, and dropped; the window's other idle work still runs to its end."""
    owner = QWidget()
    qtbot.addWidget(owner)
    slices = []

    def layout(deadline):
        slices.append(1)
        return len(slices) < 20

    def settling(deadline):
        raise RuntimeError("Internal C++ object already deleted.")

    with qtbot.captureExceptions() as raised:
        idle_work.schedule(owner, "layout", layout)
        idle_work.schedule(owner, "arc settling", settling)
        qtbot.waitUntil(lambda: not idle_work.idle_work(owner).busy, timeout=5000)
    assert len(slices) == 20
    assert [str(error[1]) for error in raised] == ["Internal C++ object already deleted."]
