"""Edit › Attributes and notes: one entry per attribute of the schema that has a key (Alt+P
cycles the selected event's Polarity), Ctrl+Alt+N for the selected annotation's note, and the
schema's attributes in a table to edit (dialogs.attributes).

The keys are window shortcuts, so they work wherever focus is (the text, the event panel);
what a key does is the core's (meta_intents.cycle_attribute), pushed on the undo stack like
every edit. The entries follow the schema: set_schema makes them anew after a change.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from annotator.core.keymap import attribute_action
from annotator.core.meta_intents import cycle_attribute
from annotator.core.schema import Schema
from annotator.qt.actions import bind, menu_keys
from annotator.qt.controllers.read_only import refused
from annotator.qt.dialogs.attributes import AttributesDialog
from annotator.qt.workbench import Workbench


class AttributeKeys:
    def __init__(self, window: Workbench, menu: QMenu, details):
        self.window, self.details = window, details
        self.menu = menu.addMenu("A&ttributes and notes")
        self.note = QAction("Write a &note", window)
        bind(self.note, window.keymap, "edit.note")
        self.note.triggered.connect(self.write_note)
        self.menu.addAction(self.note)
        self.edit_schema = QAction("&Attributes of the schema…", window)
        self.edit_schema.triggered.connect(self.open_dialog)
        self.menu.addAction(self.edit_schema)
        self.menu.addSeparator()
        self.cycles: list[QAction] = []
        self.set_schema(window.store.schema)

    def set_schema(self, schema: Schema) -> None:
        """An entry per attribute with a key, made anew for this schema."""
        for action in self.cycles:
            self.menu.removeAction(action)
            action.deleteLater()
        self.cycles = []
        for attribute in schema.attributes:
            if not attribute.key:
                continue
            what = "on / off" if attribute.is_flag else "next value"
            action = QAction(f"{attribute.name}: {what}", self.window)
            action.setObjectName(attribute_action(attribute.name))
            action.setShortcut(QKeySequence(attribute.key))
            action.setStatusTip(attribute.description or f"Change {attribute.name}")
            action.triggered.connect(lambda _=False, name=attribute.name: self.cycle(name))
            self.menu.addAction(action)
            self.cycles.append(action)

    def cycle(self, name: str) -> None:
        controller = self.window.controller
        controller.act(cycle_attribute, controller.interaction, name)
        self.details.refresh()

    def open_dialog(self) -> AttributesDialog | None:
        if refused(self.window):
            return None
        window = self.window
        dialog = AttributesDialog(
            window.store, window.keymap, menu_keys(window.menuBar()), parent=window
        )
        dialog.accepted.connect(self._saved)
        dialog.open()
        return dialog

    def _saved(self) -> None:
        self.window.reload_schema()  # the panel, the keys and the tags follow the new schema
        self.details.refresh()
        self.window.status.showMessage("Saved the schema's attributes", 8000)

    def write_note(self) -> None:
        if not self.details.focus_note():
            self.window.controller.message.emit(
                "Select a span or an event first: the note goes on it"
            )
