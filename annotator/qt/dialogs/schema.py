"""The label schema's dialogs: add a label, rename (or merge) one.

They only gather choices; the changes themselves are the core's rules applied by the store's
schema methods (core.schema_edit, store.schema_changes), the same ones `annotator schema`
makes.
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from annotator.core.errors import AnnotatorError
from annotator.core.schema_rules import new_colour
from annotator.store.project import ProjectStore


class _FormDialog(QDialog):
    """A form with OK/Cancel and a line that says why OK did nothing."""

    def __init__(self, title: str, parent):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _try(self) -> None:
        try:
            self.apply()
        except AnnotatorError as error:
            self.problem.setText(str(error))
            return
        self.accept()

    def apply(self) -> None:
        raise NotImplementedError


class AddLabelDialog(_FormDialog):
    def __init__(self, store: ProjectStore, parent):
        super().__init__("Add a label", parent)
        self.store = store
        self.name = QLineEdit(placeholderText="e.g. CASUALTY")
        self.key = QLineEdit(maxLength=1, placeholderText="one character; empty: a free one")
        self.colour = new_colour(store.schema, "entity")
        self.colour_button = QPushButton(self.colour)
        self.colour_button.clicked.connect(self._pick_colour)
        self.description = QLineEdit(placeholderText="what it covers, shown as the tooltip")
        self.form.addRow("&Name", self.name)
        self.form.addRow("&Key", self.key)
        self.form.addRow("&Colour", self.colour_button)
        self.form.addRow("&Description", self.description)
        self._show_colour()

    def _pick_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour), self, "Label colour")
        if chosen.isValid():
            self.colour = chosen.name()
            self._show_colour()

    def _show_colour(self) -> None:
        self.colour_button.setText(self.colour)
        self.colour_button.setStyleSheet(f"background: {self.colour}; color: black")

    def apply(self) -> None:
        # No key typed: the label gets the free key an import would give it.
        self.store.add_label(
            self.name.text(),
            self.key.text().strip() or None,
            self.colour,
            self.description.text().strip(),
        )


class RenameDialog(_FormDialog):
    def __init__(self, store: ProjectStore, parent):
        super().__init__("Rename or merge a label or type", parent)
        self.store = store
        names = store.schema.names
        self.used = store.label_usage()
        self.old = QComboBox()
        self.old.addItems(names)
        self.new = QComboBox(editable=True)
        self.new.addItems(names)
        self.new.setCurrentText("")
        self.explain = QLabel(wordWrap=True)
        self.form.addRow("&Rename", self.old)
        self.form.addRow("&To", self.new)
        self.layout().insertWidget(1, self.explain)  # under the form, across the dialog
        self.old.currentTextChanged.connect(self._explain)
        self.new.currentTextChanged.connect(self._explain)
        self.renamed = 0
        self._explain()

    def _explain(self) -> None:
        old, new = self.old.currentText(), self.new.currentText().strip()
        count = self.used.get(old, 0)
        merging = new != old and self.store.schema.kind_of(new) is not None
        self.explain.setText(
            f"{count} annotation(s) use {old}. "
            + (f"{new} exists: the two merge into {new}. " if merging else "")
            + "This can't be undone, and the undo history is cleared."
        )

    def apply(self) -> None:
        self.renamed = self.store.rename_schema_name(
            self.old.currentText(), self.new.currentText().strip()
        )
