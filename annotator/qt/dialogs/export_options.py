"""File › Export with the options an exporter declares in the registry (spaCy's split and
seed), and whether only articles marked done go out: asked before the target."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
)

from annotator.formats import registry
from annotator.formats.export_scope import export_scope
from annotator.qt.dialogs.layer_choice import layer_box, read_layer
from annotator.qt.dialogs.option_fields import Field, option_field, option_value
from annotator.store.project import ProjectStore


class ExportOptionsDialog(QDialog):
    def __init__(
        self,
        entry: registry.Exporter,
        parent=None,
        store: ProjectStore | None = None,
        layers: list[tuple[str | None, str]] | None = None,
    ):
        """`store`: the project, whose articles the dialog counts (done, in progress, new) and
        says how many the export takes with the choices made. `layers`: the layers one may
        export, (name or None for every layer, words), the default first
        (qt/dialogs/layer_choice.py); none: no choice shown."""
        super().__init__(parent)
        self.store = store
        self.entry = entry
        self.setWindowTitle(entry.menu.replace("&", "").rstrip("…"))
        self.fields: dict[str, Field] = {}
        form = QFormLayout(self)
        self.layer = layer_box(layers) if layers else None
        if self.layer is not None:
            form.addRow("Layer", self.layer)
        for option in entry.options:
            self.fields[option.dest] = option_field(option)
            form.addRow(option.label or option.flag, self.fields[option.dest])
        self.done_only = QCheckBox("Only articles marked done")
        form.addRow(self.done_only)
        self.scope = QLabel()  # what the export takes, for the choices made now
        self.scope.setWordWrap(True)
        form.addRow(self.scope)
        self.setMinimumWidth(440)  # the counts' two sentences, and the options' labels whole
        self.done_only.toggled.connect(self._count)
        if self.layer is not None:  # another layer, other articles: count again
            self.layer.currentIndexChanged.connect(self._count)
        self._count()
        self.problem = QLabel()  # why OK did nothing
        self.problem.setStyleSheet("color: palette(link);")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _count(self) -> None:
        if self.store is None:
            self.scope.hide()
            return
        if self.layer is None:  # no choice: the export's default layer
            layer = self.store.export_layer(None, False, str(self.store.path))
            words = ""
        else:
            layer, words = read_layer(self.layer.currentData()), self.layer.currentText()
        scope = export_scope(
            self.store, self.done_only.isChecked(), self.entry.unlabelled, layer, words
        )
        self.scope.setText(scope.text())

    def options(self) -> dict[str, Any]:
        """The exporter's keyword arguments; ValueError names the option that is wrong."""
        chosen: dict[str, Any] = {"done_only": self.done_only.isChecked()}
        if self.layer is not None:
            chosen["layer"] = self.layer.currentData()
        for option in self.entry.options:
            chosen[option.dest] = option_value(option, self.fields[option.dest])
        return chosen

    def _accept(self) -> None:
        try:
            self.options()
        except ValueError as error:
            self.problem.setText(str(error))
            return
        self.accept()
