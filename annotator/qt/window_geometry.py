"""The main window's size and place: fitted to the screen it opens on (qt/screen_fit.py has the
rules), panes squeezed alike on a small screen, and last time's geometry restored when it still
fits. A mixin of MainWindow, kept apart from its wiring; the geometry goes only to the user's
settings, while all data lives in the project file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from annotator.qt import screen_fit
from annotator.qt.user_settings import user_settings

if TYPE_CHECKING:  # the window's parts this mixin sizes (declared here only for the checker)
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QSplitter, QWidget

    from annotator.qt.widgets.label_palette import LabelPalette


class WindowGeometry(QMainWindow):
    if TYPE_CHECKING:
        panes: QSplitter
        palette_widget: LabelPalette
        panel: QWidget
        view: QWidget
        side_tabs: QWidget
        span_details: QWidget
        _restored_size: QSize | None

    def _fit_to_screen(self) -> None:
        """1400x860 where there is room, else what the screen it opens on has room for (a
        1366x768 laptop would lose the status bar and the right-hand panels), and the panes'
        widths for that size."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen else QRect(QPoint(0, 0), screen_fit.USUAL)
        size = screen_fit.window_size(room)
        self._set_pane_minimums(size.width())
        self.resize(size)
        self.panes.setSizes(screen_fit.pane_widths(self.width(), self.palette_widget.natural_width))

    def _set_pane_minimums(self, width: int) -> None:
        """The panes' least widths for a window `width` wide: the usual ones, or squeezed
        alike on a screen too narrow for them (screen_fit.pane_minimums)."""
        natural = self.palette_widget.natural_width
        list_min, text_min, side_min = screen_fit.pane_minimums(width, natural)
        self.panel.setMinimumWidth(list_min)
        self.view.setMinimumWidth(text_min)
        squeezed = side_min < natural
        self.palette_widget.cap_width(side_min if squeezed else None)
        # The tabs below the palette (their tables' columns) would hold the side wider.
        for widget in (self.side_tabs, self.span_details):
            widget.setMinimumWidth(side_min if squeezed else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Made wider (moved to a bigger screen, maximized): the squeezed minimums relax. A
        # person can't drag it narrower than the minimums, so this never squeezes by itself.
        if self.palette_widget.width_cap is not None:
            self._set_pane_minimums(event.size().width())

    def _restore_geometry(self) -> bool:
        """The size and place it had last time, if that still fits the screens there are now;
        whether it was restored."""
        settings = user_settings()
        geometry = settings.value("geometry")
        if geometry is None:
            return False
        before = self.saveGeometry()
        # Qt (6.11) refuses a geometry saved on a screen of another size (False) and squeezes
        # one that sticks out of this screen; what it squeezed may still stick out by the frame.
        if not self.restoreGeometry(geometry):
            return False
        frame = self.frameGeometry()
        screen = QGuiApplication.screenAt(frame.center())
        if not screen_fit.fits(frame, screen.availableGeometry() if screen else None):
            self.restoreGeometry(before)
            return False
        return True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._restored_size is not None:
            if self._restored_size == self.size():
                QTimer.singleShot(0, self._keep_on_screen)
            self._restored_size = None

    def _keep_on_screen(self) -> None:
        """Once shown, the frame is known: a restored geometry that Qt squeezed onto the
        screen can still stick out by its border, and the status bar with it. Fit it anew."""
        screen = self.screen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        room = screen.availableGeometry()
        if not screen_fit.fits(self.frameGeometry(), room, slack=0):
            self._fit_to_screen()
            self.move(room.topLeft())
