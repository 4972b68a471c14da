"""File › Import with options…: the choices `annotator import` takes on its command line."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from annotator.formats import registry
from annotator.qt.dialogs.option_fields import Field, option_field, option_value

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
        self.encoding.setToolTip(
            "For the files that are not valid UTF-8; UTF-8 files are read as UTF-8 whatever "
            "is chosen here"
        )
        self.unknown = QComboBox()
        for policy, text in (
            ("add", "Add them to the schema"),
            ("skip", "Leave those annotations out"),
            ("error", "Refuse the file"),
        ):
            self.unknown.addItem(text, policy)
        # The readers' own options, as the registry declares them: a list where the option
        # has choices, else a field whose text the option's type reads.
        self.fields: dict[str, Field] = {}
        for option in registry.import_options():
            widget = option_field(option)
            self.fields[option.dest] = widget
            setattr(self, option.dest, widget)  # dialog.offsets, dialog.conll_column, ...
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
        for option in registry.import_options():
            form.addRow(option.label or option.flag, self.fields[option.dest])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.problem = QLabel()  # why Import did nothing
        self.problem.setStyleSheet("color: palette(link);")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
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
        """Keyword arguments for import_paths, as `annotator import` would pass them;
        ValueError names an option whose text its type refuses."""
        chosen = {
            "fmt": self.format.currentData(),
            "encoding": self.encoding.currentText().strip() or None,
            "unknown_labels": self.unknown.currentData(),
        }
        for option in registry.import_options():
            chosen[option.dest] = option_value(option, self.fields[option.dest])
        return chosen

    def _accept(self) -> None:
        try:
            self.options()
        except ValueError as error:  # e.g. "CoNLL tag column: not a column number: 'abc'"
            self.problem.setText(str(error))
            return
        self.accept()
