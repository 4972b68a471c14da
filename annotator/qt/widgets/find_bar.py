"""The find bar over the article: a text box, "3 of 17", match options, next and previous,
and "Label all…". Not a dialog: the article stays in view and its hits are painted there.

It only reports what the person did; the find controller looks the text up and moves the
selection. Keys in the box: Enter the next hit, Shift+Enter the previous, Esc closes the bar
(the keyboard goes back to the article, the current hit stays selected).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from annotator.core.occurrences import MatchOptions


class FindBar(QWidget):
    searchChanged = Signal()  # the text or an option changed
    nextRequested = Signal()
    previousRequested = Signal()
    closeRequested = Signal()
    labelAllRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Find in this article")
        self.box = QLineEdit()
        self.box.setPlaceholderText("Find in this article")
        self.box.setClearButtonEnabled(True)
        self.box.setAccessibleName("Text to find")
        self.box.setMinimumWidth(160)
        self.count = QLabel("")
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("888 of 8888"))
        # Toggles as editors draw them ("Aa", "ab" between bars): the bar must fit over the
        # text column of a 1280-pixel window and still leave room to type.
        self.match_case = self._toggle("Aa", "Match case: only hits written in the same case")
        self.whole_word = self._toggle(
            "|ab|", "Whole word: not inside a longer word (“Iraq” does not hit “Iraqi”)"
        )
        self.previous_button = self._button("▲", "Previous hit (Shift+Enter, Shift+F3)")
        self.next_button = self._button("▼", "Next hit (Enter, F3)")
        self.label_all = QToolButton()
        self.label_all.setText("Label all…")
        self.label_all.setToolTip(
            "Suggest a label for every occurrence, in this article or the corpus, to review"
        )
        self.close_button = self._button("✕", "Close the find bar (Esc)")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 3, 6, 3)
        row.addWidget(self.box, 1)
        row.addWidget(self.count)
        for widget in (
            self.previous_button,
            self.next_button,
            self.match_case,
            self.whole_word,
            self.label_all,
            self.close_button,
        ):
            row.addWidget(widget)
        self.box.textChanged.connect(self.searchChanged)
        self.match_case.toggled.connect(self.searchChanged)
        self.whole_word.toggled.connect(self.searchChanged)
        self.previous_button.clicked.connect(self.previousRequested)
        self.next_button.clicked.connect(self.nextRequested)
        self.label_all.clicked.connect(self.labelAllRequested)
        self.close_button.clicked.connect(self.closeRequested)
        self.box.installEventFilter(self)
        self.hide()

    def _toggle(self, text: str, tip: str) -> QToolButton:
        button = self._button(text, tip)
        button.setCheckable(True)
        button.setAccessibleName(tip.split(":")[0])
        return button

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    @property
    def text(self) -> str:
        return self.box.text()

    @property
    def options(self) -> MatchOptions:
        return MatchOptions(self.match_case.isChecked(), self.whole_word.isChecked())

    def show_count(self, current: int | None, total: int) -> None:
        """The count: "3 of 17", "17 found" before a hit is chosen, "Not found" in red."""
        if not self.text:
            self.count.setText("")
        elif total == 0:
            self.count.setText("Not found")
        elif current is None:
            self.count.setText(f"{total} found")
        else:
            self.count.setText(f"{current + 1} of {total}")
        self.count.setStyleSheet("color: #c62828" if self.text and total == 0 else "")

    def eventFilter(self, watched, event) -> bool:
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shifted = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                (self.previousRequested if shifted else self.nextRequested).emit()
                return True
            if key == Qt.Key.Key_Escape:
                self.closeRequested.emit()
                return True
        return super().eventFilter(watched, event)
