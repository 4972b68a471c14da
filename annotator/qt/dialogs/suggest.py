"""Review › Suggest…: pick or add a source (a spaCy pipeline or a pattern file), map its
labels onto the project's, choose what to run it on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QVBoxLayout,
)

from annotator.core.errors import AnnotatorError
from annotator.qt.user_settings import user_settings
from annotator.store.project import ProjectStore
from annotator.store.suggestions import Source
from annotator.suggest.pipelines import (
    as_they_act,
    load_pipeline,
    pattern_labels,
    pipeline_labels,
    read_patterns,
)

IGNORE = "(ignore)"
SETTINGS = "suggest"  # the user settings' group of the dialog's last choices
SCOPES = (
    ("article", "This article"),
    ("selection", "The articles selected in the list"),
    ("list", "The articles the list shows"),
    ("corpus", "The whole corpus"),
)


class SuggestDialog(QDialog):
    def __init__(self, store: ProjectStore, parent=None, selected: int = 0):
        """selected: how many articles are selected in the list (Ctrl/Shift+click)."""
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Suggest labels")
        self.sources = QComboBox()
        add_model = QPushButton("Add spaCy pipeline…")
        add_package = QPushButton("Add installed package…")
        add_patterns = QPushButton("Add patterns…")
        add_model.clicked.connect(self._add_model_folder)
        add_package.clicked.connect(self._add_package)
        add_patterns.clicked.connect(self._add_patterns)
        self.mapping = QTableWidget(0, 2)
        self.mapping.setHorizontalHeaderLabels(["The source's label", "This project's label"])
        # Both columns share the width: a fixed first one clipped its own header.
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.scope = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Source"))
        row = QHBoxLayout()
        row.addWidget(self.sources, 1)
        for button in (add_model, add_package, add_patterns):
            row.addWidget(button)
        layout.addLayout(row)
        layout.addWidget(QLabel("Label mapping: what the source's labels become here"))
        layout.addWidget(self.mapping)
        layout.addWidget(QLabel("Run on"))
        for index, (key, text) in enumerate(SCOPES):
            button = QRadioButton(text)
            button.setProperty("scope", key)
            if key == "selection":
                button.setText(
                    f"{text} ({selected})"
                    if selected > 1
                    else f"{text} (Ctrl+click or Shift+click rows to select several)"
                )
                button.setEnabled(selected > 1)
            self.scope.addButton(button, index)
            layout.addWidget(button)
        self.scope.button(0).setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Suggest")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._edited: dict[str, dict] = {}  # mappings changed here, saved when the person runs
        self._shown: str | None = None  # whose mapping the table holds
        self._as_filled: dict = {}  # the table as filled, to tell an edit from a look
        self.sources.currentIndexChanged.connect(self._show_mapping)
        self._refresh_sources()
        self._restore_choices()

    # -- the last choices, remembered (user settings; the mappings live in the project) ----

    def _restore_choices(self) -> None:
        """The source and scope chosen last time, where this project has that source and the
        scope can be chosen now (a selection of one article can't)."""
        settings = user_settings()
        index = self.sources.findData(settings.value(f"{SETTINGS}/source", ""))
        if index >= 0:
            self.sources.setCurrentIndex(index)
        for button in self.scope.buttons():
            if (
                button.property("scope") == settings.value(f"{SETTINGS}/scope")
                and button.isEnabled()
            ):
                button.setChecked(True)

    def _remember_choices(self) -> None:
        settings = user_settings()
        settings.setValue(f"{SETTINGS}/source", self.chosen_source() or "")
        settings.setValue(f"{SETTINGS}/scope", self.chosen_scope())

    @staticmethod
    def _last_folder(kind: str) -> str:
        return str(user_settings().value(f"{SETTINGS}/{kind}_folder", ""))

    @staticmethod
    def _keep_folder(kind: str, path: Path) -> None:
        user_settings().setValue(f"{SETTINGS}/{kind}_folder", str(path))

    def _keep_edits(self) -> None:
        if self._shown is not None and self.current_mapping() != self._as_filled:
            self._edited[self._shown] = self.current_mapping()

    def _refresh_sources(self, select: str | None = None) -> None:
        self._keep_edits()
        self.sources.blockSignals(True)
        self.sources.clear()
        for source in self.store.sources():
            self.sources.addItem(
                f"{source.name} ({source.kind}: {Path(source.location).name})", source.name
            )
        if select:
            self.sources.setCurrentIndex(self.sources.findData(select))
        self.sources.blockSignals(False)
        self._shown = None
        self._show_mapping()

    def _show_mapping(self) -> None:
        """The chosen source's mapping, as stored (or as edited in this dialog): the labels it
        was added with, for a pipeline; those the file names, for patterns."""
        self._keep_edits()
        name = self.chosen_source()
        self._shown = name
        if name is None:
            self.mapping.setRowCount(0)
            return
        source = self.store.source(name)
        mapping = self._edited.get(name, source.mapping)
        labels = list(mapping)
        labels += sorted(pattern_labels(source) - set(labels))
        self._fill_mapping(labels, mapping)
        self._as_filled = self.current_mapping()

    def chosen_source(self) -> str | None:
        return self.sources.currentData()

    def chosen_scope(self) -> str:
        return self.scope.checkedButton().property("scope")

    # -- adding sources ----------------------------------------------------------------------

    def _add_model_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "A spaCy pipeline folder (with config.cfg)", self._last_folder("pipeline")
        )
        if folder:
            path = Path(folder)
            self._keep_folder("pipeline", path.parent)  # where the next one likely is too
            # Every training run ends in model-best: name it after its run folder too.
            generic = path.name in ("model-best", "model-last") and path.parent.name
            self._add_model(folder, f"{path.parent.name}-{path.name}" if generic else path.name)

    def _add_package(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Installed pipeline", "Package name (e.g. en_core_web_sm):"
        )
        if ok and name.strip():
            self._add_model(name.strip(), name.strip())

    def _add_model(self, location: str, name: str) -> None:
        try:
            nlp = load_pipeline(Source(0, name, "model", location, {}), self.store.schema.language)
        except AnnotatorError as error:
            QMessageBox.warning(self, "Cannot load the pipeline", str(error))
            return
        name = self._free_name(name)
        self.store.add_source(
            name,
            "model",
            location,
            as_they_act(pipeline_labels(nlp), set(self.store.schema.label_names)),
        )
        self._refresh_sources(name)

    def _free_name(self, name: str) -> str:
        """A source name not taken yet: adding never replaces a source already there."""
        taken = {source.name for source in self.store.sources()}
        number, found = 2, name
        while found in taken:
            found, number = f"{name}-{number}", number + 1
        return found

    def _add_patterns(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Patterns (EntityRuler JSONL, or LABEL<TAB>term lines)",
            self._last_folder("patterns"),
        )
        if path:
            self._keep_folder("patterns", Path(path).parent)
            try:
                read_patterns(Path(path))
            except AnnotatorError as error:
                QMessageBox.warning(self, "Cannot read the patterns", str(error))
                return
            name = self._free_name(Path(path).stem)
            self.store.add_source(name, "patterns", path, {})
            self._refresh_sources(name)

    def _fill_mapping(self, labels: list[str], mapping: dict) -> None:
        names = self.store.schema.label_names
        self.mapping.setRowCount(len(labels))
        for row, label in enumerate(labels):
            self.mapping.setCellWidget(row, 0, QLabel(label))
            choice = QComboBox()
            choice.addItems([IGNORE, *names])
            # Not in the mapping: the label passes through as itself, if the project has it.
            target = mapping.get(label, label)
            choice.setCurrentText(target if target in names else IGNORE)
            self.mapping.setCellWidget(row, 1, choice)

    def current_mapping(self) -> dict:
        mapping = {}
        for row in range(self.mapping.rowCount()):
            model_label = self.mapping.cellWidget(row, 0).text()
            target = self.mapping.cellWidget(row, 1).currentText()
            mapping[model_label] = None if target == IGNORE else target
        return mapping

    def _accept(self) -> None:
        name = self.chosen_source()
        if name is None:
            QMessageBox.information(
                self, "No source", "Add a spaCy pipeline or a pattern file first."
            )
            return
        self._keep_edits()
        for edited, mapping in self._edited.items():
            source = self.store.source(edited)
            self.store.add_source(edited, source.kind, source.location, mapping)
        self._remember_choices()
        self.accept()
