"""File › Import with options…: the choices `annotator import` takes on its command line."""

from __future__ import annotations

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from annotator.formats import registry

DETECT = "Detect from each file"
ENCODINGS = ("", "latin-1", "cp1252", "utf-16", "iso-8859-15", "cp1256", "gb18030", "shift_jis")


class ImportOptionsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import with options")
        self.setMinimumWidth(520)
        self.paths: list[str] = []
        self.chosen = QLabel("Nothing chosen yet")
        self.chosen.setWordWrap(True)
        pick_files = QPushButton("Choose files…")
        pick_folder = QPushButton("Choose a folder…")
        pick_files.clicked.connect(self._pick_files)
        pick_folder.clicked.connect(self._pick_folder)
        self.format = QComboBox()
        self.format.addItem(DETECT, None)
        for name in registry.READERS:
            self.format.addItem(name, name)
        self.encoding = QComboBox(editable=True)
        self.encoding.addItems(ENCODINGS)
        self.encoding.setItemText(0, "")
        self.encoding.lineEdit().setPlaceholderText("UTF-8, or UTF-16 with a byte order mark")
        self.unknown = QComboBox()
        for policy, text in (
            ("add", "Add them to the schema"),
            ("skip", "Leave those annotations out"),
            ("error", "Refuse the file"),
        ):
            self.unknown.addItem(text, policy)
        self.offsets = QComboBox()
        self.offsets.addItem("Characters (Python, Prodigy, spaCy)", "chars")
        self.offsets.addItem("UTF-16 units (doccano, browser tools: an emoji counts two)", "utf16")
        self.offsets.setToolTip("What span offsets in JSONL and doccano files count")
        self.text_column = QLineEdit("text")
        self.conll_column = QLineEdit()
        self.conll_column.setValidator(QIntValidator(-50, 50, self))
        self.conll_column.setPlaceholderText("detect; or a column from 1, -1 for the last")
        picks = QHBoxLayout()
        picks.addWidget(pick_files)
        picks.addWidget(pick_folder)
        picks.addStretch(1)
        form = QFormLayout()
        form.addRow("Import", picks)
        form.addRow("", self.chosen)
        form.addRow("&Format", self.format)
        form.addRow("&Encoding", self.encoding)
        form.addRow("&Unknown labels", self.unknown)
        form.addRow("&Offsets count", self.offsets)
        form.addRow("CSV/TSV &text column", self.text_column)
        form.addRow("CoNLL &tag column", self.conll_column)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _pick_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import articles")
        if paths:
            self._chose(paths)

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles")
        if folder:
            self._chose([folder])

    def _chose(self, paths: list[str]) -> None:
        self.paths = paths
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        self.chosen.setText(shown)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def options(self) -> dict:
        """Keyword arguments for import_paths, as `annotator import` would pass them."""
        column = int(self.conll_column.text()) if self.conll_column.hasAcceptableInput() else 0
        return {
            "fmt": self.format.currentData(),
            "encoding": self.encoding.currentText().strip() or None,
            "unknown_labels": self.unknown.currentData(),
            "offsets": self.offsets.currentData(),
            "text_column": self.text_column.text().strip() or "text",
            # Empty (or 0): the reader's own choice (the last column, or GermEval's).
            "conll_column": column or None,
        }
