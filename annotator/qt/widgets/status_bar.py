"""The status bar: corpus progress, the article's position, and when the last edit was saved."""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from annotator.core.model import DONE
from annotator.store.project import ProjectStore


class ProgressTrack(QProgressBar):
    """Done / total as a thin rounded track, filled in the highlight colour. The style's own
    bar, empty and without its text, is a sunken white box: people took it for a search
    field. A track in the window's mid tone reads as a gauge from the first article on."""

    HEIGHT = 8

    def __init__(self, parent=None):
        super().__init__(parent)
        # Its height stays the style's (the status bar, and the text above it, keep theirs).
        self.setTextVisible(False)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        palette = self.palette()
        track = QRectF(0, (self.height() - self.HEIGHT) / 2, self.width(), self.HEIGHT)
        radius = self.HEIGHT / 2
        # A quarter of the way from the window's colour to its text's: visible on a light
        # or a dark theme, and never the white of a field.
        back, ink = (
            palette.color(QPalette.ColorRole.Window),
            palette.color(QPalette.ColorRole.WindowText),
        )
        painter.setBrush(
            QColor.fromRgbF(
                *(
                    0.75 * b + 0.25 * i
                    for b, i in zip(back.getRgbF()[:3], ink.getRgbF()[:3], strict=True)
                )
            )
        )
        painter.drawRoundedRect(track, radius, radius)
        span = self.maximum() - self.minimum()
        done = (self.value() - self.minimum()) / span if span > 0 else 0.0
        if done > 0:
            filled = QRectF(
                track.left(), track.top(), max(track.width() * done, track.height()), track.height()
            )
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(filled, radius, radius)
        painter.end()


class ProgressStatus(QStatusBar):
    def __init__(self, store: ProjectStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.position_label = QLabel()
        self.progress_bar = ProgressTrack()
        self.progress_bar.setMaximumWidth(160)
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
