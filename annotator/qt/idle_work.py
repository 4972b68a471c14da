"""One idle scheduler per window: the work done in slices between a person's actions.

After a long article opens, several kinds of work go on in the turns of the event loop that
follow: the lines not laid out yet (layout_realize.realize_step), the arcs' room closed up
(arc_settling), the event panel's rows (event_panel). Each used to have its own zero-timer
and its own few milliseconds, so one turn could run a slice of each: 10-19 ms, over a frame
(16.7 ms), for about a second after every open. Here the window's jobs share one timer and
one budget per turn (BUDGET), run in a fixed order of priority (PRIORITY), so that a turn
never holds two jobs' full slices; what one job leaves of the budget the next may use.

A job is a function given the turn's deadline (time.perf_counter()) that does some work and
returns whether work is left. A job may ask to wait (an article just opened is painted
first). Widgets find their window's scheduler with `idle_work(widget)`; a widget not in a
window (a test's bare view) gets its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

# Seconds of idle work per turn of the event loop: the rest of a frame is left to what Qt
# does in the same turn with what the jobs made (painting, the event tree's relayout).
BUDGET = 0.006
# A job is not started with less than this left of the turn's budget: the next turn gives
# it a whole one (a slice's first step can take a millisecond or two).
LEAST = 0.0015
# Lower runs first. Closing up arc room and laying out lines keep the scroll bar's length
# and the text's place right; the event panel's rows below the ones on show can wait.
PRIORITY = {"arc settling": 0, "layout": 1, "event rows": 2, "collect": 3}
# At most this much of a turn for a job whose work Qt carries on after it returns, in the
# same turn: the event panel's rows are laid out and painted by the tree (about as long again
# as they took to make).
CAP = {"event rows": 0.003}
# Jobs whose step cannot stop at a deadline (the garbage collector's full walk,
# controllers/idle_collection.py) run in a turn of their own, once no other job has work left:
# never after another's slice in the same turn.
ALONE = {"collect"}


@dataclass
class Job:
    name: str
    step: Callable[[float], bool]  # given the turn's deadline: whether work is left
    priority: int
    cap: float | None = None  # seconds at most per turn (CAP)
    alone: bool = False  # only in a turn of its own, when no other job has work (ALONE)
    due: float | None = None  # when it may run next (perf_counter); None: nothing to do


class IdleWork(QObject):
    """A window's idle jobs (see the module's docstring)."""

    def __init__(self, parent: QObject | None = None, budget: float = BUDGET):
        super().__init__(parent)
        self.setObjectName(_NAME)
        self.budget = budget
        self._jobs: dict[str, Job] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.run_turn)
        # Each turn's jobs, by name, as they ran (tests read it; cleared when asked).
        self.turns: list[list[str]] | None = None

    def add(self, name: str, step: Callable[[float], bool]) -> None:
        """Register a job (once: a widget's). Its priority is PRIORITY's, else last."""
        self._jobs[name] = Job(
            name, step, PRIORITY.get(name, len(PRIORITY)), CAP.get(name), name in ALONE
        )

    def has(self, name: str) -> bool:
        return name in self._jobs

    def step_of(self, name: str) -> Callable[[float], bool]:
        return self._jobs[name].step

    def schedule(self, name: str, pause_ms: int = 0) -> None:
        """The job has work: it runs in the next turn, or after `pause_ms` (a pause already
        asked for is kept if it ends later: the article is painted first)."""
        job = self._jobs[name]
        due = time.perf_counter() + pause_ms / 1000
        if job.due is None:
            job.due = due
        elif pause_ms:
            job.due = max(job.due, due)
        self._arm()

    def pending(self, name: str) -> bool:
        return self._jobs[name].due is not None

    @property
    def busy(self) -> bool:
        return any(job.due is not None for job in self._jobs.values())

    def run_turn(self) -> None:
        """One turn's idle work: the due jobs in order of priority until the budget is spent."""
        began = time.perf_counter()
        deadline = began + self.budget
        ran: list[str] = []
        # A step that raises is dropped (its `due` is cleared first) and the error goes on
        # to Qt's handler, but the timer is armed again for the other jobs: one failing job
        # must not stop the window's layout, arcs and rows.
        try:
            for job in sorted(self._jobs.values(), key=lambda job: job.priority):
                now = time.perf_counter()
                if job.due is None or job.due > now or (job.alone and (ran or self._others(job))):
                    continue
                if ran and deadline - now < LEAST:
                    break
                ran.append(job.name)
                job.due = None  # a job scheduling itself while it runs is kept due
                if job.step(deadline if job.cap is None else min(deadline, now + job.cap)):
                    job.due = now if job.due is None else job.due
        finally:
            if self.turns is not None and ran:
                self.turns.append(ran)
            self._arm()

    def run_job(self, name: str, deadline: float | None = None) -> bool:
        """One step of one job now, whatever its priority (tests drive orders this way);
        whether it has work left."""
        job = self._jobs[name]
        if job.due is None:
            return False
        job.due = None
        try:
            if job.step(time.perf_counter() + self.budget if deadline is None else deadline):
                job.due = time.perf_counter() if job.due is None else job.due
        finally:
            self._arm()
        return job.due is not None

    def finish(self) -> None:
        """Every job run to its end now (tests, and measures of the whole article)."""
        while self.busy:
            for job in sorted(self._jobs.values(), key=lambda job: job.priority):
                if job.due is not None:
                    self.run_job(job.name, float("inf"))

    def _others(self, job: Job) -> bool:
        """Whether a job other than `job` has work (due now or later)."""
        return any(other.due is not None for other in self._jobs.values() if other is not job)

    def _arm(self) -> None:
        # A job that runs alone waits for the others' work (it is not run before, so the timer
        # is not armed for it: it would fire in every turn until they are done).
        dues = [
            job.due
            for job in self._jobs.values()
            if job.due is not None and not (job.alone and self._others(job))
        ]
        if not dues:
            self._timer.stop()
            return
        wait = max(0, int((min(dues) - time.perf_counter()) * 1000 + 0.999))
        if not self._timer.isActive() or self._timer.remainingTime() > wait:
            self._timer.start(wait)


_NAME = "idle-work"


def idle_work(widget: QWidget) -> IdleWork:
    """The scheduler of the widget's window (made on first use, a child of the window)."""
    window = widget.window()
    found = window.findChild(IdleWork, _NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    if found is None:
        found = IdleWork(window)
    return found


def schedule(widget: QWidget, name: str, step: Callable[[float], bool], pause_ms: int = 0) -> None:
    """Schedule a widget's job in its window's scheduler (registered there on first use)."""
    work = idle_work(widget)
    # One job of a name per window (one article view, one event panel): a widget made anew
    # in its place takes the job over.
    if not work.has(name) or work.step_of(name) != step:
        work.add(name, step)
    work.schedule(name, pause_ms)
