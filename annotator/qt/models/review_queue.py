"""The review queue's rows: every open suggestion of the corpus, filtered by source, label and
score, in a lazy table that pages by key like the article list.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from annotator.core.model import SUGGESTED
from annotator.qt.qstring import as_qstring
from annotator.store.project import ProjectStore

PAGE = 200
HEADERS = ("Text", "Label", "Score", "Source")


class ReviewQueueModel(QAbstractTableModel):
    def __init__(self, store: ProjectStore, parent=None):
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

    def follow_changes(self) -> None:
        """Another program (a suggestion job) may have added suggestions: they come last (ids
        ascend), so a queue shown to its end looks one page past its last row, no further."""
        if self._exhausted:
            self._exhausted = False
            self.fetchMore()

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
            return (as_qstring(text), label, shown, source)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return as_qstring(f"{text} ({label}) in article {article_id}, from {source}")
        if role == Qt.ItemDataRole.UserRole:
            return span_id, article_id
        return None
