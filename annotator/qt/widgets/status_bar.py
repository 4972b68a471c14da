"""The status bar: corpus progress, the article's position, and when the last edit was saved."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from annotator.core.model import DONE
from annotator.store.project import ProjectStore


class ProgressStatus(QStatusBar):
    def __init__(self, store: ProjectStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.position_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel()
        self.saved_label = QLabel("All changes saved")
        self._read_only = False
        self.addPermanentWidget(self.position_label)
        self.addPermanentWidget(self.progress_bar)
        self.addPermanentWidget(self.progress_label)
        self.addPermanentWidget(self.saved_label)
        self.total = 0
        self.done = 0
        self.article_id: int | None = None  # whose position is shown
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Recount statuses: on open, after an import and when a status changes, not per span."""
        counts = self.store.status_counts()
        before, self.total = self.total, sum(counts.values())
        self.done = counts[DONE]
        self.progress_bar.setMaximum(max(self.total, 1))
        self.progress_bar.setValue(self.done)
        percent = 100 * self.done / self.total if self.total else 0
        self.progress_label.setText(f"{self.done} of {self.total} done ({percent:.0f}%)")
        if self.article_id is not None and self.total != before:  # "Article 2 of 4" anew
            self.show_position(self.article_id)

    def show_position(self, article_id: int | None) -> None:
        self.article_id = article_id
        if article_id is None:
            self.position_label.setText("No articles yet: File › Import")
            return
        position = self.store.position(article_id)
        self.position_label.setText(f"Article {position} of {self.total}")

    def show_saved(self, when: float | None = None) -> None:
        stamp = time.strftime("%H:%M:%S", time.localtime(when or time.time()))
        self.saved_label.setText(f"Saved {stamp}")
        self.saved_label.setToolTip("Every edit is written to the project file as you make it")

    def show_failed(self) -> None:
        self.saved_label.setText("NOT SAVED")

    def show_read_only(self, reason: str | None) -> None:
        """While nothing can be saved the label says so (the banner says why); once the
        window can write again it goes back to the save state."""
        if reason is not None:
            self.saved_label.setText("Read-only: edits can't be saved")
            self.saved_label.setToolTip(f"{self.store.path}: {reason}")
            self._read_only = True
        elif self._read_only:
            self._read_only = False
            self.saved_label.setText("All changes saved")
            self.saved_label.setToolTip("")
