"""Long work (import, export) off the GUI thread, with a progress dialog and a cancel button.

The job gets its own SQLite connection (workers never share the GUI's); it reports progress
through a callback that returns False once the person has pressed Cancel.

Every signal a job offers is emitted on the GUI thread. PySide calls a plain Python method
connected to a signal emitted on another thread through a queued event that holds only a
borrowed pointer to the method's object, and a disconnect does not withdraw the events
already queued: a slot that disconnects itself at the first progress report (pytest-qt's
waitSignal does) and is then freed was still called by the next report, on the freed
object, and the whole app died of a segmentation fault (the spaCy export's chunked read
sent two reports back to back). So the worker thread's one signal reaches only the
QThread object's own slot, which lives on the GUI thread, outlives the thread and is
never disconnected; that slot emits `progressed` anew on the GUI thread, where a
disconnect takes effect at once. The outcome (a result or a message) is kept on the
worker and handed out only once the thread has ended, so `done` and `failed` never come
while the thread still runs.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.formats.records import Cancelled
from annotator.store import disk


class _Worker(QThread):
    """The thread of a Job. `progressed` is emitted on the GUI thread (see the module's doc);
    `outcome` is ("done", result) or ("failed", message) once run() has returned."""

    progressed = Signal(int, int)
    _reported = Signal(int, int)  # emitted on the worker thread: connected to _relay only

    def __init__(self, work: Callable, parent=None, project: Path | None = None):
        super().__init__(parent)
        self.work = work
        self.project = project
        self.cancel_event = threading.Event()
        self.outcome: tuple[str, object] | None = None
        self._reported.connect(self._relay)  # queued: this object lives on the GUI thread

    @Slot(int, int)
    def _relay(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    def _progress(self, done: int, total: int) -> bool:
        self._reported.emit(done, total)
        return not self.cancel_event.is_set()

    def run(self) -> None:
        self.outcome = self._outcome()

    def _outcome(self) -> tuple[str, object]:
        try:
            return "done", self.work(self._progress)
        except (AnnotatorError, Cancelled) as error:  # written for the person: the message says it
            return "failed", str(error)
        except Exception as error:
            # A disk failing under a read (writes are explained by the store): say so.
            where = getattr(error, "filename", None) or self.project
            explained = disk.explain(error, where) if where else None
            if explained is not None:
                return "failed", explained
            # A bug: shown as a message, its trace kept for a report.
            traceback.print_exc()
            return "failed", f"{error.__class__.__name__}: {error}"


class Job(QObject):
    """One background job; `done(result)` or `failed(message)` fires on the GUI thread.

    running(), cancel() and wait(timeout) are what the window asks of every job, this one or
    a ProcessJob, before its project is left (`done` here is a signal, not a state)."""

    progressed = Signal(int, int)  # done, total: as the dialog shows them
    done = Signal(object)
    failed = Signal(str)
    ended = Signal()  # the thread has stopped, whatever the outcome: the window lets go

    def __init__(
        self,
        parent: QWidget,
        title: str,
        work: Callable[[Callable[[int, int], bool]], object],
        project: Path | None = None,  # named in the message if a disk fails under the job
    ):
        super().__init__(parent)
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.worker = _Worker(work, self, project)
        self.worker.progressed.connect(self._progress)
        self.dialog.canceled.connect(self.worker.cancel_event.set)
        # QThread.finished is emitted on the worker thread as it ends: queued to this
        # object's slot, which hands out the outcome on the GUI thread.
        self.worker.finished.connect(self._thread_ended)

    def start(self) -> Job:
        self.worker.start()
        return self

    def running(self) -> bool:
        return self.worker.isRunning()

    def cancel(self) -> None:
        """Stop at the next progress report (the work sees its callback return False)."""
        self.worker.cancel_event.set()

    def wait(self, timeout: float) -> bool:
        """Whether the thread stopped within `timeout` seconds (its thread must not be
        destroyed running: that aborts the app)."""
        return wait_until(lambda: not self.running(), timeout)

    def _progress(self, done: int, total: int) -> None:
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))
        self.progressed.emit(done, total)

    @Slot()
    def _thread_ended(self) -> None:
        kind, value = self.worker.outcome or ("failed", "the job stopped without a result")
        self.worker.outcome = None  # a report can be large: held by the slots only
        close_returning_keys(self.dialog)
        self.ended.emit()  # first, as a ProcessJob does: whoever keeps the job lets go
        if kind == "done":
            self.done.emit(value)
        else:
            self.failed.emit(str(value))


def wait_until(stopped: Callable[[], bool], timeout: float) -> bool:
    """Wait for `stopped()` with the event loop turning (jobs report their end through it),
    the person's clicks and keys held back meanwhile."""
    deadline = time.monotonic() + timeout
    while not stopped() and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 50)
        time.sleep(0.01)
    return stopped()


def close_returning_keys(dialog: QWidget) -> None:
    """Close a job's dialog and give the window the keyboard back at once: someone who starts
    reviewing by key the moment a run ends must not lose keys (Ctrl+Z, shortcuts) to a window
    the window system has not yet made active again."""
    dialog.close()
    window = dialog.parentWidget()
    if window is not None:
        window.window().activateWindow()
