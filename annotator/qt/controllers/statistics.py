"""View › Statistics…: the Statistics panel over the project the window shows.

The figures are counted by the store's GROUP BYs (core.statistics.gather, as `annotator stats`
does) in a background job on a connection of its own: on 100,000 articles with 1.4 million
spans they take seconds (benchmarks/bench_stats.py), which the window must not freeze for.
The dialog, and pyqtgraph with it, is imported on first use: opening the window doesn't pay
for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from annotator.core.statistics import gather
from annotator.qt.actions import bind
from annotator.qt.controllers.jobs import Job
from annotator.qt.workbench import Workbench
from annotator.store.project import ProjectStore

if TYPE_CHECKING:
    from annotator.qt.dialogs.statistics import StatisticsDialog


def menu_named(window: Workbench, title: str) -> QMenu | None:
    """A menu of the bar by its title, the & of its mnemonic aside."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
            return menu
    return None


class StatisticsActions(QObject):
    shown = Signal(object)  # the panel, once it shows the figures just counted

    def __init__(self, window: Workbench):
        super().__init__(window)  # type: ignore[arg-type]
        self.window = window
        self.dialog: StatisticsDialog | None = None
        self.action = QAction("&Statistics…", window)
        bind(self.action, window.keymap, "view.statistics")
        self.action.setStatusTip(window.keymap.binding("view.statistics").help)
        self.action.triggered.connect(self.open)
        menu = menu_named(window, "View")
        if menu is not None:
            menu.addAction(self.action)

    def open(self) -> None:
        """Count in the background, then show the panel (one already open is brought up to
        date, on the tab it showed)."""
        path = self.window.store.path
        article = self.window.session.article
        article_id, title = (article.id, article.title) if article else (None, "")

        def work(progress):
            store = ProjectStore(path, read_only=True)  # workers never share the GUI's
            try:
                return gather(store, article_id)
            finally:
                store.close()

        job = Job(self.window, "Counting the statistics…", work, path)  # type: ignore[arg-type]
        job.done.connect(lambda stats: self._show(stats, title))
        job.failed.connect(lambda message: self.window.status.showMessage(message, 10000))
        self.window.keep_job(job)
        job.start()

    def _show(self, stats: dict, title: str) -> None:
        from annotator.qt.dialogs.statistics import StatisticsDialog

        schema = self.window.store.schema
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.show_stats(stats, schema, title)
        else:
            self.dialog = StatisticsDialog(stats, schema, title, self.open, self.window)
            self.dialog.setModal(False)
        self.dialog.show()
        self.dialog.raise_()
        self.shown.emit(self.dialog)
