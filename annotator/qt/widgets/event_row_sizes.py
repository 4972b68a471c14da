"""The event panel's row heights, measured once per row and kept on the row (SizeHintRole).

Role rows name every label they accept and wrap in a narrow panel, so rows differ in height
and QTreeView sums them to place a row: selecting an event far down a long article's list
measures every row above it. A delegate measuring in Python cost 17 µs a row (a thousand
events have 7,000 rows); a size kept on the row is read by Qt's own delegate in C++. The size
is what Qt's delegate measures for the width the row really has (QTreeView measures at the
column's width, indentation included, and then cuts the last line), so the rows look as they
did when a delegate measured them.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
)

# Most rows repeat ("1  Place · GPE, LOC · 0-n" under each Attack): measured once per look.
_MAX_KEPT = 5000


class RowSizes:
    def __init__(self, tree: QTreeWidget):
        self.tree = tree
        self._measure = QStyledItemDelegate(tree)  # Qt's own, never installed on the tree
        self._sizes: dict[tuple, QSize] = {}

    def _width(self, depth: int) -> int:
        return self.tree.viewport().width() - (depth + 1) * self.tree.indentation() - 8

    def _key(self, item: QTreeWidgetItem, depth: int, width: int | None = None) -> tuple:
        # Read as data, not as QFont and QIcon: a row made for a long article costs this
        # for each of its 7,000 rows. A font is set only on the waiting role's row.
        font = item.data(0, Qt.ItemDataRole.FontRole)
        return (
            item.text(0),
            depth,
            self._width(depth) if width is None else width,
            None if font is None else font.toString(),
            item.data(0, Qt.ItemDataRole.DecorationRole) is not None,
        )

    def measure(self, item: QTreeWidgetItem, depth: int) -> QSize:
        """Measure a row that is in the tree (the delegate reads it through its index)."""
        key = self._key(item, depth)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > _MAX_KEPT:
                self._sizes.clear()
            option = QStyleOptionViewItem()
            self.tree.initViewItemOption(option)
            option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
            option.rect = QRect(0, 0, max(self._width(depth), 80), 1000)  # its width counts
            item.setData(0, Qt.ItemDataRole.SizeHintRole, None)  # measured, not the kept one
            size = self._sizes[key] = self._measure.sizeHint(option, self.tree.indexFromItem(item))
        return size

    def size_new(self, item: QTreeWidgetItem, depth: int = 0) -> list[tuple[QTreeWidgetItem, int]]:
        """Give a row not yet in the tree, and the rows under it, the sizes already known (no
        signal: the row is in no model yet); returns the rows to measure once it is in.
        `depth`: where it goes (0 an event's row, 1 a role's, 2 an argument's)."""
        unknown = []
        widths = [self._width(level) for level in range(3)]  # event, role, argument rows
        stack = [(item, depth)]
        while stack:
            row, depth = stack.pop()
            width = widths[depth] if depth < len(widths) else None
            size = self._sizes.get(self._key(row, depth, width))
            if size is None:
                unknown.append((row, depth))
            else:
                row.setSizeHint(0, size)
            stack.extend((row.child(n), depth + 1) for n in range(row.childCount()))
        return unknown

    def size_in_tree(self, rows: list[tuple[QTreeWidgetItem, int]]) -> None:
        for row, depth in rows:
            row.setSizeHint(0, self.measure(row, depth))

    def resize_all(self) -> None:
        """Every row again (the panel's width changed, so its wrapping did)."""
        rows = []
        for index in range(self.tree.topLevelItemCount()):
            stack = [(self.tree.topLevelItem(index), 0)]
            while stack:
                row, depth = stack.pop()
                rows.append((row, depth))
                stack.extend((row.child(n), depth + 1) for n in range(row.childCount()))
        self.size_in_tree(rows)
