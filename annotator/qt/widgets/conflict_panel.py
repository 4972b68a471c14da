"""The adjudication panel (Review › Adjudicate): the article's conflicts, one row each with
every annotator's version numbered (1 alice, 2 bob, …), decided ones ticked and greyed. Its
list takes the adjudication keys of the key map (scope ADJUDICATE: digits take a version,
b both, n neither, e edit, ↓/↑ step) and says which was pressed; the controller decides."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from annotator.core.adjudication import words
from annotator.core.adjudication.classify import Adjudication
from annotator.core.keymap import ADJUDICATE, KeyMap
from annotator.qt.widgets.article_view import key_name

KEY_ROLE = Qt.ItemDataRole.UserRole


class ConflictList(QListWidget):
    keyAction = Signal(str, str)  # the key map's action, the key's name

    def __init__(self, keymap: KeyMap, parent=None):
        super().__init__(parent)
        self.keymap = keymap
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)

    def keyPressEvent(self, event) -> None:
        name = key_name(event)
        action = self.keymap.action_for(name, ADJUDICATE) if name else None
        if action is None:
            super().keyPressEvent(event)
            return
        event.accept()
        self.keyAction.emit(action, name or "")


class ConflictPanel(QWidget):
    def __init__(self, keymap: KeyMap, parent=None):
        super().__init__(parent)
        # Two short lines, never wrapped: a wrapped label in the narrow side panel is given
        # too little height by the layout and its first line is cut off.
        self.summary = QLabel()
        self.list = ConflictList(keymap)
        self.hint = QLabel("1, 2… take · b both · n neither · e edit · ↓↑ · Ctrl+Z")
        self.hint.setToolTip(
            "Keys of this list: 1, 2, … take that annotator's version into gold, b both, "
            "n neither, e edit gold yourself in the text, ↓ / ↑ the next / previous conflict; "
            "Ctrl+Z undoes a decision (F1 lists every key)"
        )
        self.list.setMinimumHeight(48)
        self.hint.setStyleSheet("color: palette(mid);")
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.summary)
        column.addWidget(self.list, 1)
        column.addWidget(self.hint)

    def show_conflicts(
        self, text: str, found: Adjudication | None, decided: dict[str, str], keep: str | None
    ) -> None:
        """Fill the list; the row of `keep` (a conflict's key) stays current if it is there."""
        # Heights from the font the labels have now: the side panel's font is set after they
        # are made, and a size hint taken before it cut the first line off.
        spacing = self.summary.fontMetrics().lineSpacing()
        self.summary.setMinimumHeight(2 * spacing + 4)
        self.hint.setMinimumHeight(spacing + 4)
        self.list.clear()
        if found is None or len(found.annotators) < 2:
            self.summary.setText(
                "Fewer than two annotators here:\nnothing to adjudicate; edits go to gold."
            )
            return
        people = " · ".join(f"{n} {name}" for n, name in enumerate(found.annotators, start=1))
        agreed = len(found.agreed.spans) + len(found.agreed.events)
        still = found.open(decided)
        self.summary.setText(
            f"{people} · {found.policy}\n{agreed} agreed, in gold · "
            f"{len(found.conflicts)} conflicts, {len(still)} open"
        )
        current = None
        for conflict in found.conflicts:
            parts = "  ".join(
                f"{n} {name}: {words.part(units, text, conflict)}"
                for n, (name, units) in enumerate(conflict.options, start=1)
            )
            choice = decided.get(conflict.key)
            mark = f"✓ {words.decision(choice)}" if choice else "●"
            item = QListWidgetItem(f"{mark}  {words.title(conflict, text)}\n{parts}")
            item.setData(KEY_ROLE, conflict.key)
            if choice:
                item.setForeground(QBrush(QColor("#808080")))
            self.list.addItem(item)
            if conflict.key == keep:
                current = item
        if current is None and self.list.count():
            first_open = next(
                (
                    self.list.item(row)
                    for row in range(self.list.count())
                    if self.list.item(row).data(KEY_ROLE) not in decided
                ),
                self.list.item(0),
            )
            current = first_open
        if current is not None:
            self.list.setCurrentItem(current)

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(KEY_ROLE)

    def step(self, by: int) -> None:
        row = self.list.currentRow() + by
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)
