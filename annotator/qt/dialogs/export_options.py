"""File › Export with the options an exporter declares in the registry (spaCy's split and
seed), and whether only articles marked done go out: asked before the target."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
)

from annotator.formats import registry


class ExportOptionsDialog(QDialog):
    def __init__(self, entry: registry.Exporter, parent=None):
        super().__init__(parent)
        self.entry = entry
        self.setWindowTitle(entry.menu.replace("&", "").rstrip("…"))
        self.fields: dict[str, QComboBox | QLineEdit] = {}
        form = QFormLayout(self)
        for option in entry.options:
            if option.choices:
                widget: QComboBox | QLineEdit = QComboBox()
                labels = option.choice_labels or tuple(map(str, option.choices))
                for value, text in zip(option.choices, labels, strict=True):
                    widget.addItem(text, value)
                widget.setCurrentIndex(widget.findData(option.default))
            else:
                widget = QLineEdit("" if option.default is None else str(option.default))
                widget.setPlaceholderText(option.placeholder)
            widget.setToolTip(option.help)
            self.fields[option.dest] = widget
            form.addRow(option.label or option.flag, widget)
        self.done_only = QCheckBox("Only articles marked done")
        form.addRow(self.done_only)
        self.problem = QLabel()  # why OK did nothing
        self.problem.setStyleSheet("color: palette(link);")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self) -> dict[str, Any]:
        """The exporter's keyword arguments; ValueError names the option that is wrong."""
        chosen: dict[str, Any] = {"done_only": self.done_only.isChecked()}
        for option in self.entry.options:
            widget = self.fields[option.dest]
            if isinstance(widget, QComboBox):
                chosen[option.dest] = widget.currentData()
                continue
            text = widget.text().strip()
            try:
                chosen[option.dest] = (
                    option.default if not text else option.type(text) if option.type else text
                )
            except ValueError as error:
                raise ValueError(
                    f"{option.label.replace('&', '') or option.flag}: {error}"
                ) from None
        return chosen

    def _accept(self) -> None:
        try:
            self.options()
        except ValueError as error:
            self.problem.setText(str(error))
            return
        self.accept()
