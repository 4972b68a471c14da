"""One writer window per project: the first window claims the project (a row in the store's
registry of writers); a second one, in this process or another, opens read-only with a banner
and takes over when the first closes (it asks every second; a crashed window's row, pid dead on
this host or no heartbeat from another, does not count).

A project the file system won't let us write (the store opened it read-only) stays read-only:
there is no window to wait for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.errors import AnnotatorError, ProjectBusy
from annotator.store.activity import Activity
from annotator.store.project import ProjectStore

BUSY_REASON = "another program has kept the project busy since this window opened"
TAKEOVER_MS = 1000
HEARTBEAT_MS = 30_000  # well inside activity.STALE_AFTER
QUICK_WRITE = 0.05  # seconds a timer's write waits for the lock before trying next time


def reason_for(holder: Activity) -> str:
    return f"another annotator window (pid {holder.pid} on {holder.host}) is editing this project"


@contextmanager
def without_waiting(store: ProjectStore) -> Iterator[None]:
    """A timer's write (a heartbeat, a try at taking over) that finds the lock taken gives up
    at once (ProjectBusy) and is tried again next time: waiting would hold the person's keys
    back for a write they didn't ask for."""
    waiting, limit = store.waiting, store.wait_limit
    # A moment, not none: an import leaves the lock free between its batches (every ~20 ms),
    # and a heartbeat that never found such a gap would let the claim go stale.
    store.waiting, store.wait_limit = None, QUICK_WRITE
    try:
        yield
    finally:
        store.waiting, store.wait_limit = waiting, limit


class WriterWindow(QObject):
    changed = Signal()  # the window became read-only or writable

    def __init__(self, store: ProjectStore, paused: Callable[[], bool], parent=None):
        super().__init__(parent)
        self.store = store
        self.paused = paused  # a write of the window's own is waiting: don't write now
        self.file_reason = store.read_only  # read-only because of the file: for good
        self.takeover = QTimer(self, interval=TAKEOVER_MS)
        self.takeover.timeout.connect(self._try_claim)
        self.heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self.heartbeat.timeout.connect(self._beat)

    @property
    def waiting_for_window(self) -> bool:
        """Read-only only because another window edits the project."""
        return self.file_reason is None and self.store.read_only is not None

    def start(self) -> None:
        if self.file_reason is None:
            self._claim()  # may wait for a writer: the window isn't shown yet

    def _try_claim(self) -> None:
        if self.paused():
            return
        with without_waiting(self.store):
            self._claim()

    def _claim(self) -> None:
        was = self.store.read_only
        holder = self.store.window_holder()  # a read: cheap enough each second
        if holder is None:
            try:
                self.store.set_read_only(None)  # reopens read-write if it must
                holder = self.store.claim_window()
            except ProjectBusy:  # another writer has the lock just now: next second
                self.store.set_read_only(was or BUSY_REASON)
                if was is None:
                    self.changed.emit()
                self.takeover.start()
                return
            except AnnotatorError as error:  # the file can't be written after all
                self.file_reason = str(error)
                self.store.set_read_only(self.file_reason)
                self.takeover.stop()
                self.changed.emit()
                return
        if holder is None:
            self.takeover.stop()
            self.heartbeat.start()
        else:
            self.store.set_read_only(reason_for(holder))
            self.takeover.start()
        if self.store.read_only != was:
            self.changed.emit()

    def _beat(self) -> None:
        own = self.store.own_window
        if own is None or self.paused():
            return
        try:
            with without_waiting(self.store):
                kept = self.store.heartbeat(own)
        except AnnotatorError:
            return  # a busy file: the next beat comes well before the row goes stale
        if not kept:  # too long without a beat (a suspended laptop): another may have taken it
            self.store.forget_window()
            self.heartbeat.stop()
            self._try_claim()

    def release(self) -> None:
        """The window closes: let a read-only one take over."""
        self.takeover.stop()
        self.heartbeat.stop()
        try:
            with without_waiting(self.store):  # closing never waits for another writer
                self.store.release_window()
        except AnnotatorError:
            pass  # the row dies with this process anyway (and a dead pid's row is ignored)
