"""What the window does while one of its writes waits for another writer's lock.

The store calls `WriteWait(holder, seconds)` between short waits (ProjectStore.waiting). The
window says what it waits for in the status bar and keeps painting and running its timers, but
holds back the person's keys and clicks (ExcludeUserInputEvents leaves them queued, in order),
so nothing typed meanwhile is lost or applied out of turn. Timers that would read the file or
write themselves ask `active` and sit the wait out.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer

from annotator.qt.widgets.status_bar import ProgressStatus

EVENTS_MS = 20  # events handled between two tries for the lock
QUIET_AFTER = 0.2  # seconds without a call: the write got its lock


class WriteWait(QObject):
    def __init__(self, status: ProgressStatus, parent=None):
        super().__init__(parent)
        self.status = status
        self.active = False
        self.holder = ""
        self._last = 0.0
        self._clear = QTimer(self, interval=100)
        self._clear.timeout.connect(self._maybe_done)

    def __call__(self, holder: str, seconds: float) -> None:
        if not self.active or holder != self.holder:
            self.active, self.holder = True, holder
            # Not "saved" while the edit waits: the controller says Saved (or NOT SAVED) once
            # the write is done.
            self.status.saved_label.setText("Saving…")
            self.status.showMessage(f"Waiting for {holder} to finish… (your edit is kept)")
            self._clear.start()
        self._last = time.monotonic()
        QCoreApplication.processEvents(
            QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, EVENTS_MS
        )
        self._last = time.monotonic()

    def _maybe_done(self) -> None:
        if time.monotonic() - self._last > QUIET_AFTER:
            self.active = False
            self._clear.stop()
            if self.status.currentMessage().startswith("Waiting for "):
                self.status.clearMessage()
