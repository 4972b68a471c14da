"""Edit › Attributes and notes › Attributes of the schema…: the schema's attributes in a table
a person edits (name, values, what they apply to, default, key, description), saved as the
project's schema when OK is pressed.

The table only gathers; the schema's own checks (core.attributes, Schema.from_dict) decide
what is valid, and their message stays in the dialog until it is fixed. Taking an attribute
away leaves the values annotations hold where they are (shown and exported, never dropped).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.core.errors import AnnotatorError, SchemaError
from annotator.core.keymap import KeyMap
from annotator.core.schema import Schema
from annotator.store.project import ProjectStore

COLUMNS = ("Name", "Values (a|b; none: on/off)", "Applies to", "Default", "Key", "Description")
HINT = (
    "Values and what an attribute applies to are separated by |. Applies to: labels, event "
    "or relation types, or <ENTITY>, <EVENT>, <RELATION>; empty: any annotation. A key needs "
    "Alt or Ctrl (Alt+P). Removing an attribute keeps the values annotations hold."
)


class AttributesDialog(QDialog):
    def __init__(
        self, store: ProjectStore, keymap: KeyMap, menus: dict[str, str] | None = None, parent=None
    ):
        super().__init__(parent)
        # menus: the menu bar's Alt+letters (qt.actions.menu_keys); an attribute key on one
        # would never reach the attribute.
        self.store, self.keymap, self.menus = store, keymap, menus or {}
        self.setWindowTitle("Attributes of the schema")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for attribute in store.schema.attributes:
            self.add_row(
                [
                    attribute.name,
                    "|".join(attribute.values),
                    "|".join(attribute.targets),
                    attribute.default,
                    attribute.key,
                    attribute.description,
                ]
            )
        add = QPushButton("&Add")
        add.clicked.connect(lambda: self.add_row(["", "", "<EVENT>", "", "", ""]))
        remove = QPushButton("&Remove")
        remove.clicked.connect(self.remove_row)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(880, 360)

    def add_row(self, cells: list[str]) -> None:
        at = self.table.rowCount()
        self.table.insertRow(at)
        for column, text in enumerate(cells):
            self.table.setItem(at, column, QTableWidgetItem(text))

    def remove_row(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for at in rows:
            self.table.removeRow(at)

    def attributes(self) -> list[dict]:
        """The table's rows as a schema file's [[attributes]] tables."""
        found = []
        for at in range(self.table.rowCount()):
            cells = [
                (self.table.item(at, c).text() if self.table.item(at, c) else "").strip()
                for c in range(len(COLUMNS))
            ]
            if not any(cells):
                continue
            name, values, targets, default, key, description = cells
            entry: dict = {"name": name, "description": description}
            entry["values"] = [v.strip() for v in values.split("|") if v.strip()]
            entry["targets"] = [t.strip() for t in targets.split("|") if t.strip()]
            entry.update({k: v for k, v in (("default", default), ("key", key)) if v})
            found.append(entry)
        return found

    def schema(self) -> Schema:
        """The project's schema with the table's attributes; SchemaError says what is wrong."""
        data = self.store.reload_schema().to_dict()
        data["attributes"] = self.attributes()
        schema = Schema.from_dict(data, source="the attributes")
        conflicts = [p for p in self.keymap.conflicts(schema, self.menus) if "attribute" in p]
        if conflicts:
            raise SchemaError("; ".join(conflicts))
        return schema

    def save(self) -> None:
        try:
            self.store.replace_schema(self.schema())
        except AnnotatorError as error:
            self.problem.setText(str(error))
            return
        self.accept()
