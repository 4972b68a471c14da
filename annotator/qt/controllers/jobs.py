"""Long work (import, export) off the GUI thread, with a progress dialog and a cancel button.

The job gets its own SQLite connection (workers never share the GUI's); it reports progress
through a callback that returns False once the person has pressed Cancel.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.formats.records import Cancelled
from annotator.store import disk


class _Worker(QThread):
    progressed = Signal(int, int)
    finished_ok = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable, parent=None, project: Path | None = None):
        super().__init__(parent)
        self.work = work
        self.project = project
        self.cancel_event = threading.Event()

    def _progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self.cancel_event.is_set()

    def run(self) -> None:
        try:
            result = self.work(self._progress)
        except (AnnotatorError, Cancelled) as error:  # written for the person: the message says it
            self.failed.emit(str(error))
            return
        except Exception as error:
            # A disk failing under a read (writes are explained by the store): say so.
            where = getattr(error, "filename", None) or self.project
            explained = disk.explain(error, where) if where else None
            if explained is not None:
                self.failed.emit(explained)
                return
            # A bug: shown as a message, its trace kept for a report.
            traceback.print_exc()
            self.failed.emit(f"{error.__class__.__name__}: {error}")
            return
        self.finished_ok.emit(result)


class Job(QObject):
    """One background job; `done(result)` or `failed(message)` fires on the GUI thread.

    running(), cancel() and wait(timeout) are what the window asks of every job, this one or
    a ProcessJob, before its project is left (`done` here is a signal, not a state)."""

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
        self.worker.finished_ok.connect(self._finish)
        self.worker.failed.connect(self._fail)
        self.dialog.canceled.connect(self.worker.cancel_event.set)
        self.worker.finished.connect(self.ended)

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

    def _finish(self, result) -> None:
        close_returning_keys(self.dialog)
        self.done.emit(result)

    def _fail(self, message: str) -> None:
        close_returning_keys(self.dialog)
        self.failed.emit(message)


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
