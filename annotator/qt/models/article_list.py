"""The article list: a lazy table model that pages through the store by key.

Rows arrive a page at a time as the view scrolls (canFetchMore/fetchMore), so 100,000 articles
open as fast as 100; a filter or search resets the model to its first page.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.model import DONE, IN_PROGRESS, NEW, SKIPPED, ArticleFilter, ArticleRow
from annotator.qt.qstring import as_qstring
from annotator.store.project import ProjectStore

PAGE_SIZE = 200
STATUS_NAMES = {NEW: "New", IN_PROGRESS: "In progress", DONE: "Done", SKIPPED: "Skipped"}
STATUS_COLOURS = {NEW: "#8a8f98", IN_PROGRESS: "#d08c00", DONE: "#2e9d4e", SKIPPED: "#9b59b6"}
HEADERS = ("Title", "Status", "Spans", "Events")
ID_ROLE = Qt.ItemDataRole.UserRole


class ArticleListModel(QAbstractTableModel):
    def __init__(self, store: ProjectStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.filter = ArticleFilter()
        self._rows: list[ArticleRow] = []
        self._index: dict[int, int] = {}
        self._exhausted = False
        # Adjudication progress of the loaded rows that have any: (conflicts, open), by id,
        # read with each page (store/adjudication.py), shown beside the status.
        self._adjudication: dict[int, tuple[int, int]] = {}
        self._fetch_page()

    # -- paging ------------------------------------------------------------------------------

    def set_filter(self, flt: ArticleFilter) -> None:
        self.beginResetModel()
        self.filter = flt
        self._rows, self._index, self._exhausted = [], {}, False
        self._fetch_page()
        self.endResetModel()

    def _fetch_page(self) -> list[ArticleRow]:
        after = self._rows[-1].id if self._rows else 0
        page = self.store.article_rows(self.filter, after_id=after, limit=PAGE_SIZE)
        if len(page) < PAGE_SIZE:
            self._exhausted = True
        for row in page:
            self._index[row.id] = len(self._rows)
            self._rows.append(row)
        self._adjudication.update(self.store.adjudication_progress(row.id for row in page))
        return page

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        after = self._rows[-1].id if self._rows else 0
        page = self.store.article_rows(self.filter, after_id=after, limit=PAGE_SIZE)
        if len(page) < PAGE_SIZE:
            self._exhausted = True
        if not page:
            return
        first = len(self._rows)
        self._adjudication.update(self.store.adjudication_progress(row.id for row in page))
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        for row in page:
            self._index[row.id] = len(self._rows)
            self._rows.append(row)
        self.endInsertRows()

    def row_of(self, article_id: int, max_pages: int = 2) -> int | None:
        """The row showing an article, fetching a page or two towards it (ids ascend).

        Moving to the next article needs at most one more page; a jump far down a big corpus
        is not worth loading thousands of rows for, so the row is then left unselected.
        """
        for _ in range(max_pages):
            if article_id in self._index or not self.canFetchMore():
                break
            if self._rows and self._rows[-1].id >= article_id:
                break
            self.fetchMore()
        return self._index.get(article_id)

    def refresh_article(self, article_id: int) -> None:
        row = self._index.get(article_id)
        fresh = self.store.article_row(article_id)
        if row is None or fresh is None:
            return
        self._rows[row] = fresh
        self._adjudication.update(self.store.adjudication_progress([article_id]))
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def follow_changes(self, first_row: int, last_row: int) -> None:
        """Another program changed the file: read again the rows on screen (by key, a
        screenful, never the table), and look past the last loaded row for new articles when
        the list had reached its end (ids ascend, so new ones come last)."""
        ids = [row.id for row in self._rows[max(first_row, 0) : last_row + 1]]
        marks = self.store.adjudication_progress(ids)
        if any(self._adjudication.get(i) != marks[i] for i in marks):
            self._adjudication.update(marks)
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 1))
        for fresh in self.store.article_rows_by_id(ids):
            row = self._index[fresh.id]
            if self._rows[row] != fresh:
                self._rows[row] = fresh
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        if self._exhausted:
            self._exhausted = False
            self.fetchMore()

    def adjudication_mark(self, article_id: int) -> str:
        """What the status column adds: " · 3 conflicts" while some are open, " · gold"
        once all are decided; nothing for an article never adjudicated."""
        found = self._adjudication.get(article_id)
        if found is None:
            return ""
        _, still = found
        if still:
            return f" · {still} conflict{'s' if still != 1 else ''}"
        return " · gold"

    # -- the model interface -----------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(HEADERS):
                return HEADERS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                as_qstring(row.title) or f"Article {row.id}",
                STATUS_NAMES.get(row.status, row.status) + self.adjudication_mark(row.id),
                row.n_spans,
                row.n_events,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return as_qstring(row.title)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(STATUS_COLOURS.get(row.status, "#888888"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return row.id
        return None
