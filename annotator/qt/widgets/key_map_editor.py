"""The key map editor (Settings › Keys): every command of the key map with its keys; pick one
and press its new key. A key that would mean two things (core.keymap's conflicts: twice in one
scope, a menu shortcut taking a key from the text, a label's or event type's key) is refused
with the reason, before anything is saved; the dialog saves the map to the project.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.keymap import GROUPS, TEXT, WINDOW, KeyMap, normal
from annotator.core.schema import Schema
from annotator.qt.actions import key_text
from annotator.qt.widgets.article_view import NAMED_KEYS

_MODIFIERS = (
    (Qt.KeyboardModifier.ControlModifier, "Ctrl"),
    (Qt.KeyboardModifier.AltModifier, "Alt"),
    (Qt.KeyboardModifier.ShiftModifier, "Shift"),
    (Qt.KeyboardModifier.MetaModifier, "Meta"),
)
_FUNCTION_KEYS = range(Qt.Key.Key_F1.value, Qt.Key.Key_F35.value + 1)


def key_name(combo: QKeyCombination, scope: str) -> tuple[str | None, str]:
    """The key map's name for a pressed key in a scope, or None and why it can't be used
    there. The article view reads named keys (arrows, Tab, Enter...) with any modifiers and
    printable keys alone or with Shift (ArticleView.key_name); a menu shortcut needs Ctrl, Alt
    or Meta (or is an F key), else typing a label's key would trigger it."""
    key, modifiers = combo.key(), combo.keyboardModifiers()
    held = [name for flag, name in _MODIFIERS if modifiers & flag]
    if scope == WINDOW:
        if not set(held) - {"Shift"} and key.value not in _FUNCTION_KEYS:
            return None, "a menu shortcut needs Ctrl, Alt or Meta (or an F key)"
        return normal(QKeySequence(combo).toString(QKeySequence.SequenceFormat.PortableText)), ""
    if key in NAMED_KEYS:
        return "+".join([*held, NAMED_KEYS[key]]), ""
    char = chr(key.value).lower() if key.value < 0x110000 else ""
    if len(char) == 1 and char.isprintable() and char != " " and set(held) <= {"Shift"}:
        if held and not char.isalpha():
            return None, "the text takes Shift only with a letter (Shift+letter)"
        return (char.upper() if held else char), ""
    return None, "the article view reads a key alone, with Shift, or a named key with modifiers"


class KeyCatcher(QKeySequenceEdit):
    """A QKeySequenceEdit that also takes Tab and Shift+Tab as keys (Tab moves between spans
    in the article view), which Qt keeps for moving the focus."""

    caught = Signal(object)  # QKeyCombination: Tab or Shift+Tab pressed here

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Tab,
            Qt.Key.Key_Backtab,
        ):
            self.caught.emit(event.keyCombination())
            return True
        return super().event(event)


class KeyMapEditor(QWidget):
    changed = Signal()  # the map as edited changed (not saved yet)

    def __init__(self, keymap: KeyMap, defaults: KeyMap, schema: Schema | None, parent=None):
        super().__init__(parent)
        self.keymap = keymap  # as edited: saved by the dialog
        self.defaults = defaults
        self.schema = schema
        self.menus: dict[str, str] = {}  # the menu bar's Alt+letters (qt.actions.menu_keys)
        order = {group: n for n, group in enumerate(GROUPS)}
        self.actions = [
            b.action for b in sorted(keymap.bindings, key=lambda b: order.get(b.group, 99))
        ]
        self.table = QTableWidget(len(self.actions), 3)
        self.table.setHorizontalHeaderLabels(["Command", "Where", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)  # the longer commands' words read whole
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.key_edit = KeyCatcher()
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.setAccessibleName("New key")
        self.key_edit.setToolTip("Click here and press the new key for the selected command")
        self.reset_one = QPushButton("Default for this command")
        self.reset_all = QPushButton("All keys to their defaults")
        self.message = QLabel("Pick a command, then press its new key in the box.")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("New key:"))
        row.addWidget(self.key_edit, 1)
        row.addWidget(self.reset_one)
        row.addWidget(self.reset_all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self._fill()
        self.table.selectRow(0)
        self.key_edit.keySequenceChanged.connect(self._pressed)
        self.key_edit.caught.connect(self._take)
        self.reset_one.clicked.connect(self._reset_selected)
        self.reset_all.clicked.connect(self._reset_everything)

    def _fill(self) -> None:
        for number, action in enumerate(self.actions):
            binding = self.keymap.binding(action)
            where = "in the text" if binding.scope == TEXT else "anywhere (menu)"
            keys = " / ".join(key_text(k) for k in binding.keys) or "—"
            for column, text in enumerate((binding.help, where, keys)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, action)
                if column == 2 and binding.keys != self.defaults.keys(action):
                    font = item.font()
                    font.setBold(True)  # changed from the default
                    item.setFont(font)
                self.table.setItem(number, column, item)
        self.table.resizeRowsToContents()

    def selected_action(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.actions[rows[0].row()] if rows else None

    def select(self, action: str) -> None:
        self.table.selectRow(self.actions.index(action))

    def _pressed(self, sequence: QKeySequence) -> None:
        if not sequence.isEmpty():
            self._take(sequence[0])

    def _take(self, combo: QKeyCombination) -> None:
        action = self.selected_action()
        if action is None:
            return
        name, why = key_name(combo, self.keymap.binding(action).scope)
        if name is None:
            shown = QKeySequence(combo).toString(QKeySequence.SequenceFormat.NativeText)
            self._say(f"{shown}: {why}.", True)
        else:
            self.assign(action, [name])
        self.key_edit.blockSignals(True)
        self.key_edit.clear()  # ready for the next key
        self.key_edit.blockSignals(False)

    def assign(self, action: str, keys: list[str]) -> bool:
        """Give `action` these keys unless that makes a key mean two things; says which."""
        candidate = self.keymap.rebound(action, keys)
        before = set(self.keymap.conflicts(self.schema, self.menus))
        problems = [p for p in candidate.conflicts(self.schema, self.menus) if p not in before]
        shown = " / ".join(key_text(k) for k in keys)
        help_text = self.keymap.binding(action).help
        if problems:
            self._say(f"{shown} was not given to “{help_text}”: " + "; ".join(problems), True)
            return False
        self.keymap = candidate
        self._fill()
        self.select(action)
        self._say(f"“{help_text}”: {shown} (saved when you press OK)", False)
        self.changed.emit()
        return True

    def _reset_selected(self) -> None:
        action = self.selected_action()
        if action is not None:
            self.assign(action, list(self.defaults.keys(action)))

    def _reset_everything(self) -> None:
        self.keymap = self.keymap.with_overrides(
            {b.action: b.keys for b in self.defaults.bindings if b.action in self.actions}
        )
        self._fill()
        self._say("Every command has its default keys again (saved when you press OK)", False)
        self.changed.emit()

    def _say(self, text: str, refused: bool) -> None:
        # Bold and marked, in the text colour: readable on a light or a dark theme alike.
        self.message.setText(f"⚠ {text}" if refused else text)
        self.message.setProperty("refused", refused)
        font = self.message.font()
        font.setBold(refused)
        self.message.setFont(font)
