"""A job in a worker process, watched from the GUI: progress, results, cancel.

The window polls the worker's queue on a timer and never waits on it, so it stays responsive
while spaCy runs; Cancel sets the worker's event and the worker stops after its batch.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog

from annotator.qt.controllers.jobs import close_returning_keys, wait_until
from annotator.suggest import worker


class ProcessJob(QObject):
    """running(), cancel() and wait(timeout) as a Job has them: the window treats both alike."""

    progressed = Signal(object)  # the worker's progress message
    finished = Signal(str, bool)  # summary, cancelled
    failed = Signal(str)
    ended = Signal()  # the worker has ended (just before finished or failed): the window lets go

    def __init__(self, parent, title: str, kind: str, *args):
        super().__init__(parent)
        self.worker = worker.start(kind, *args)
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.NonModal)  # keep annotating meanwhile
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(0)
        self.dialog.canceled.connect(self.cancel)
        self.timer = QTimer(self, interval=100)
        self.timer.timeout.connect(self._poll)
        self.timer.start()
        self.done = False

    def running(self) -> bool:
        return not self.done

    def cancel(self) -> None:
        self.worker.stop()
        self.dialog.setLabelText("Cancelling after the current batch…")

    def wait(self, timeout: float) -> bool:
        """Whether the worker ended within `timeout` seconds (the timer reads its queue)."""
        return wait_until(lambda: not self.running(), timeout)

    def _poll(self) -> None:
        for message in self.worker.poll():
            kind = message[0]
            if kind == "progress":
                self.progressed.emit(message[1:])
            elif kind == "done":
                self._end()
                self.finished.emit(message[1], message[2])
                return
            elif kind == "error":
                self._end()
                self.failed.emit(message[1])
                return
        if not self.worker.process.is_alive() and not self.done:
            for message in self.worker.poll():  # whatever arrived as it exited
                if message[0] in ("done", "error"):
                    self._end()
                    (
                        self.finished.emit(message[1], message[2])
                        if message[0] == "done"
                        else self.failed.emit(message[1])
                    )
                    return
            self._end()
            self.failed.emit(
                f"the worker stopped unexpectedly (exit code {self.worker.process.exitcode})"
            )

    def _end(self) -> None:
        self.done = True
        self.timer.stop()
        close_returning_keys(self.dialog)
        self.worker.process.join(timeout=5)
        self.ended.emit()
