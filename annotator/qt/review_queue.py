"""The review queue: every open suggestion of the corpus, filtered by source, label and score.

A lazy table that pages by key like the article list; choosing a row opens its article with
the suggestion selected, and Space then walks the queue's filter across articles.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel, QTableView,
    QVBoxLayout, QWidget,
)

from annotator.core.model import SUGGESTED

PAGE = 200
HEADERS = ("Text", "Label", "Score", "Source")


class ReviewQueueModel(QAbstractTableModel):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.filter: dict = {}
        self._rows: list[tuple] = []
        self._exhausted = False
        self._load()

    def set_filter(self, **flt) -> None:
        self.beginResetModel()
        self.filter = {k: v for k, v in flt.items() if v not in (None, "")}
        self._rows, self._exhausted = [], False
        self._load()
        self.endResetModel()

    def _page(self) -> list[tuple]:
        after = self._rows[-1][0] if self._rows else 0
        page = self.store.queue_rows(after_id=after, limit=PAGE, **self.filter)
        self._exhausted = len(page) < PAGE
        return page

    def _load(self) -> None:
        self._rows += self._page()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        page = self._page()
        if page:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows += page
            self.endInsertRows()

    def drop_decided(self, article_id: int) -> None:
        """Take out the rows of an article whose suggestions were just decided."""
        if not any(row[1] == article_id for row in self._rows):
            return
        still_open = {span.id for span in self.store.spans(article_id, states=(SUGGESTED,))}
        for index in reversed(range(len(self._rows))):
            row = self._rows[index]
            if row[1] == article_id and row[0] not in still_open:
                self.beginRemoveRows(QModelIndex(), index, index)
                del self._rows[index]
                self.endRemoveRows()

    def row_data(self, row: int) -> tuple:
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        span_id, article_id, text, label, score, source = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            shown = "" if score is None else f"{score:.2f}"
            return (text, label, shown, source)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{text} ({label}) in article {article_id}, from {source}"
        if role == Qt.ItemDataRole.UserRole:
            return span_id, article_id
        return None


class ReviewQueuePanel(QWidget):
    suggestionChosen = Signal(int, int)  # span id, article id
    filterChanged = Signal(dict)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.model = ReviewQueueModel(store, self)
        self.source_box = QComboBox()
        self.label_box = QComboBox()
        self.score_box = QDoubleSpinBox(minimum=0.0, maximum=1.0, singleStep=0.05, decimals=2)
        self.score_box.setSpecialValueText("any score")
        self.score_box.setPrefix("≥ ")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 70), (2, 48), (3, 80)):  # fixed: no per-row measuring
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        filters = QHBoxLayout()
        for widget in (self.source_box, self.label_box, self.score_box):
            filters.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        hint = QLabel("Open suggestions in the corpus. Space walks them; A accepts, X rejects.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        self.refresh_choices()
        for box in (self.source_box, self.label_box):
            box.currentIndexChanged.connect(self._apply)
        self.score_box.valueChanged.connect(self._apply)
        self.table.clicked.connect(self._choose)
        self.table.activated.connect(self._choose)

    def refresh_choices(self) -> None:
        """Sources and labels to filter by; called when sources change."""
        for box, items, everything in (
                (self.source_box, [s.name for s in self.store.sources()], "All sources"),
                (self.label_box, self.store.schema.label_names, "All labels")):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for item in items:
                box.addItem(item, item)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)
        self._apply()

    def current_filter(self) -> dict:
        score = self.score_box.value()
        return {"source": self.source_box.currentData(), "label": self.label_box.currentData(),
                "min_score": score if score > 0 else None}

    def _apply(self) -> None:
        flt = self.current_filter()
        self.model.set_filter(**flt)
        self.filterChanged.emit(flt)

    def _choose(self, index) -> None:
        span_id, article_id = index.data(Qt.ItemDataRole.UserRole)
        self.suggestionChosen.emit(span_id, article_id)
