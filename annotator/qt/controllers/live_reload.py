"""The window follows changes other programs make to the file (a CLI import, a suggestion
job, another window) within a second.

It asks SQLite's data_version on a timer: one pragma, no table read, and it changes only when
another connection has committed. Only then does the window read again what it shows (the
open article, the rows on screen, the counts, the schema if it changed).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from annotator.store.project import ProjectStore

INTERVAL_MS = 300


class LiveReload(QObject):
    def __init__(
        self,
        store: ProjectStore,
        follow: Callable[[], None],
        paused: Callable[[], bool],
        failed: Callable[[str], None],
        parent=None,
    ):
        super().__init__(parent)
        self.store = store
        self.follow = follow
        self.paused = paused  # a write of the window's own is waiting or under way
        self.failed = failed  # a status message
        self.version = store.data_version()
        self.timer = QTimer(self, interval=INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> bool:
        """Follow the changes if there are any; True if there were."""
        if self.store.is_closed:
            # The window's project was closed under a timer tick still queued (a switch of
            # project, a window torn down by a failure): there is nothing left to follow.
            self.timer.stop()
            return False
        if self.paused() or self.store.writing:
            return False
        try:
            version = self.store.data_version()
            if version == self.version:
                return False
            self.follow()
        except Exception as error:  # a timer's slot: say it, try again next tick
            self.failed(f"Could not show the latest changes to the project ({error}); retrying")
            return False
        self.version = version
        return True

    def reset(self) -> None:
        """After the store reopened its connection (whose counter starts anew)."""
        self.version = self.store.data_version()
