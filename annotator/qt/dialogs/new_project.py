"""File › New project…: where the project file goes, an optional name, and its label schema
(one the app ships, or a schema file of the person's own).

It only gathers and checks the choices; File › New project's controller creates the project
(a ProjectStore with that schema) and opens it. A problem (a file that exists, a schema that
does not read) is said in the dialog, naming the file, and OK waits for it to be fixed.
"""

from __future__ import annotations

from pathlib import Path

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
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.schema import Schema, load_schema
from annotator.demo import demo_schema_path
from annotator.paths import resources_dir

FROM_FILE = "file"  # the schema combo's last entry: a schema file chosen by the person


def shipped_schemas() -> list[tuple[str, Path]]:
    """The schemas the app ships, as (what the list says, file), the default news one first."""
    folder = resources_dir() / "schemas"
    files = sorted(folder.glob("*.toml"), key=lambda p: (p.name != "news.toml", p.name))
    demo = demo_schema_path()
    if demo not in files:
        files.append(demo)
    shipped = []
    for path in files:
        try:
            name = load_schema(path).name
        except AnnotatorError:  # a broken shipped file is left out, not fatal to the dialog
            continue
        shipped.append((f"{name} ({path.name})", path))
    return shipped


def _with_browse(edit: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


class NewProjectDialog(QDialog):
    def __init__(self, parent=None, folder: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.setMinimumWidth(560)
        self.folder = folder or Path.home()
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText("Where the project file goes (.db)")
        self.file_button = QPushButton("Browse…")
        self.file_button.clicked.connect(self._choose_file)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Optional: shown in the window's title")
        self.schema_box = QComboBox()
        for text, path in shipped_schemas():
            self.schema_box.addItem(text, str(path))
        self.schema_box.addItem("From a schema file…", FROM_FILE)
        self.schema_edit = QLineEdit()
        self.schema_edit.setPlaceholderText("A schema file (.toml or .json)")
        self.schema_button = QPushButton("Browse…")
        self.schema_button.clicked.connect(self._choose_schema)
        self.schema_row = _with_browse(self.schema_edit, self.schema_button)
        self.schema_box.currentIndexChanged.connect(self._schema_choice_changed)
        self.about_schema = QLabel()
        self.about_schema.setWordWrap(True)
        self.about_schema.setStyleSheet("color: palette(placeholder-text)")
        form = QFormLayout()
        form.addRow("Project &file:", _with_browse(self.file_edit, self.file_button))
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Labels from:", self.schema_box)
        form.addRow("", self.schema_row)
        form.addRow("", self.about_schema)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self._try)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.path: Path | None = None
        self.schema: Schema | None = None
        self.name = ""
        self._schema_choice_changed()

    # -- choosing ----------------------------------------------------------------------------

    def _choose_file(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self, "New project file", str(self.folder / "project.db"), "Annotator projects (*.db)"
        )
        if target:
            self.file_edit.setText(target if target.endswith(".db") else f"{target}.db")

    def _choose_schema(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Schema file", str(self.folder), "Schemas (*.toml *.json)"
        )
        if chosen:
            self.schema_edit.setText(chosen)
            self._describe(Path(chosen))

    def _schema_choice_changed(self) -> None:
        from_file = self.schema_box.currentData() == FROM_FILE
        self.schema_row.setVisible(from_file)
        self.about_schema.clear()
        if not from_file:
            self._describe(Path(self.schema_box.currentData()))

    def _describe(self, path: Path) -> None:
        """What the chosen schema holds, so the person sees what they pick."""
        try:
            schema = load_schema(path)
        except AnnotatorError as error:
            self.about_schema.setText(str(error))
            return
        labels = ", ".join(label.name for label in schema.entities[:8])
        more = "…" if len(schema.entities) > 8 else ""
        self.about_schema.setText(
            f"{len(schema.entities)} entity labels ({labels}{more}), "
            f"{len(schema.events)} event types; language {schema.language}"
        )

    # -- checking ----------------------------------------------------------------------------

    def _try(self) -> None:
        try:
            self.path = self._checked_path()
            self.schema = load_schema(self.schema_file())
        except AnnotatorError as error:
            self.problem.setText(str(error))
            return
        self.name = self.name_edit.text().strip()
        self.accept()

    def schema_file(self) -> Path:
        if self.schema_box.currentData() != FROM_FILE:
            return Path(self.schema_box.currentData())
        text = self.schema_edit.text().strip()
        if not text:
            raise AnnotatorError("Choose a schema file, or one of the schemas listed")
        return Path(text)

    def _checked_path(self) -> Path:
        text = self.file_edit.text().strip()
        if not text:
            raise AnnotatorError("Choose where the project file goes")
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        if path.suffix != ".db":
            path = path.with_name(path.name + ".db")
        if path.is_dir():
            raise AnnotatorError(f"{path}: is a folder; give the project file's name")
        if not path.parent.is_dir():
            raise AnnotatorError(f"{path}: the folder {path.parent} does not exist")
        if path.exists() and path.stat().st_size > 0:
            raise AnnotatorError(
                f"{path}: already exists; open it with File › Open, or choose another name"
            )
        return path
