"""The article list with its status filter and full-text search box."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import ArticleFilter
from annotator.qt.models.article_list import ID_ROLE, STATUS_NAMES, ArticleListModel
from annotator.store.project import ProjectStore

COUNT_COLUMNS = (2, 3)  # Spans, Events
NARROW = 300  # pixels: below this the list shows titles and statuses only
TITLE_CHARS = 36  # a title's characters (average ones) the counts never take from it


class ArticlePanel(QWidget):
    articleActivated = Signal(int)
    filterChanged = Signal(object)  # the ArticleFilter now shown

    def __init__(self, store: ProjectStore, parent=None):
        super().__init__(parent)
        self.model = ArticleListModel(store, self)
        self.status_box = QComboBox()
        self.status_box.addItem("All articles", None)
        for status, name in STATUS_NAMES.items():
            self.status_box.addItem(name, status)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search, or folder:NAME")
        self.search_box.setToolTip(
            "Every word must be in the article (the last may be the start of one).\n"
            "folder:sport/football shows the articles imported from that sub-folder\n"
            "(and the folders inside it) of a folder you imported."
        )
        self.search_box.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows can be selected (Ctrl/Shift+click) to suggest on just those.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: ResizeToContents would measure every loaded row on each change. Each
        # is its widest word and a little air, no more: the title gets the rest, and on a
        # 1280x720 laptop the list is only about 300 pixels wide.
        metrics = self.table.fontMetrics()
        padding = 2 * self.style().pixelMetric(self.style().PixelMetric.PM_HeaderMargin) + 6
        # The status column as wide as its longest name (sized to its contents, which are
        # known: the status names), the counts as their headers.
        longest_status = max(["Status", *STATUS_NAMES.values()], key=metrics.horizontalAdvance)
        self._widths: dict[int, int] = {}  # kept: a hidden column's section size reads 0
        for column, sample in ((1, longest_status), (2, "Spans"), (3, "Events")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self._widths[column] = metrics.horizontalAdvance(sample) + padding
            header.resizeSection(column, self._widths[column])
        filters = QHBoxLayout()
        filters.addWidget(self.status_box)
        filters.addWidget(self.search_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        # Search as the person types, but only once they pause.
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search_box.textChanged.connect(self._search_timer.start)
        self.search_box.returnPressed.connect(self._apply_filter)
        self.status_box.currentIndexChanged.connect(self._apply_filter)
        self.table.clicked.connect(self._activate)
        # A reset list (a suggestion run, an import, a schema change) highlights the open
        # article again rather than nothing.
        self.shown: int | None = None
        self.model.modelReset.connect(
            lambda: self.shown is not None and self.show_article(self.shown)
        )
        self.table.activated.connect(self._activate)

    def resizeEvent(self, event) -> None:
        """A narrow list drops the span and event counts before it cuts the titles short:
        titles are how a person finds an article (the palette counts the open one's spans).
        The counts show once the title keeps TITLE_CHARS characters beside them."""
        super().resizeEvent(event)
        counts = sum(self._widths[column] for column in COUNT_COLUMNS)
        # From the panel's own width: the table is laid out to it only after this event.
        margins = self.layout().contentsMargins()
        inside = self.width() - margins.left() - margins.right() - 2 * self.table.frameWidth()
        title = inside - self._widths[1] - counts
        wanted = TITLE_CHARS * self.table.fontMetrics().averageCharWidth()
        narrow = self.width() < NARROW or title < wanted
        for column in COUNT_COLUMNS:
            self.table.setColumnHidden(column, narrow)

    def current_filter(self) -> ArticleFilter:
        return ArticleFilter.from_search(self.status_box.currentData(), self.search_box.text())

    def _apply_filter(self) -> None:
        flt = self.current_filter()
        if flt == self.model.filter:
            return
        self.model.set_filter(flt)
        self.filterChanged.emit(flt)

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return sorted(i for i in (index.data(ID_ROLE) for index in rows) if i is not None)

    def _activate(self, index) -> None:
        modifiers = QApplication.keyboardModifiers()
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            return  # a click that adds to the selection, not one that opens the article
        article_id = index.data(ID_ROLE)
        if article_id is not None:
            self.articleActivated.emit(article_id)

    def show_article(self, article_id: int) -> None:
        """Select the article's row (when the filter shows it) without re-opening it."""
        self.shown = article_id
        row = self.model.row_of(article_id)
        selection = self.table.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.model.index(row, 0)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
