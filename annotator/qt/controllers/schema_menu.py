"""Edit > Label schema: add a label, rename or merge one, merge a schema file in, export it.

The dialogs (qt.dialogs.schema) gather the choices; the store's schema methods apply them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.core.schema import load_schema
from annotator.core.schema_edit import schema_to_toml
from annotator.formats.export_common import file_target, written_atomically
from annotator.qt.controllers.read_only import refused
from annotator.qt.dialogs.schema import AddLabelDialog, RenameDialog
from annotator.qt.workbench import Workbench


class SchemaActions:
    def __init__(self, window: Workbench, menu: QMenu):
        self.window = window
        sub = menu.addMenu("Label &schema")
        self.add_label = self._add(sub, "&Add a label…", self.open_add_label)
        self.rename = self._add(sub, "&Rename or merge a label…", self.open_rename)
        sub.addSeparator()
        self.merge = self._add(sub, "&Merge a schema file…", self.merge_file)
        self.export = self._add(sub, "&Export the schema…", self.export_file)

    def _add(self, menu, text: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def open_add_label(self) -> AddLabelDialog | None:
        if refused(self.window):
            return None
        dialog = AddLabelDialog(self.window.store, self.window)
        dialog.accepted.connect(lambda: self._changed(f"Added label {dialog.name.text().strip()}"))
        dialog.open()
        return dialog

    def open_rename(self) -> RenameDialog | None:
        if refused(self.window):
            return None
        if self.window.writing_job_running():
            # The job writes under the old names; renaming under it would strand its results.
            self.window.status.showMessage(
                "Wait for the suggestion or training job to finish before renaming", 8000
            )
            return None
        dialog = RenameDialog(self.window.store, self.window)
        dialog.accepted.connect(lambda: self._renamed(dialog))
        dialog.open()
        return dialog

    def _renamed(self, dialog: RenameDialog) -> None:
        # Edits on the stack name the old label: undoing one now would bring it back.
        self.window.controller.undo_stack.clear()
        self.window.session.reload()
        self._changed(
            f"Renamed {dialog.old.currentText()} to {dialog.new.currentText().strip()} "
            f"({dialog.renamed} annotation(s))"
        )

    def merge_file(self) -> None:
        if refused(self.window):
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Merge a schema file", "", "Label schemas (*.toml *.json);;All files (*)"
        )
        if not path:
            return
        try:
            change = self.window.store.merge_schema(load_schema(path, partial=True), path)
        except AnnotatorError as error:
            QMessageBox.warning(self.window, "Schema not merged", str(error))
            return
        self._changed(f"Merged {Path(path).name}")
        QMessageBox.information(self.window, "Schema merged", change.summary())

    def export_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export the schema", "schema.toml", "TOML (*.toml)"
        )
        if not path:
            return
        try:  # whole or not at all: a full disk leaves no empty file, an older one stays
            with written_atomically(file_target(path, "schema file")) as handle:
                handle.write(schema_to_toml(self.window.store.schema))
        except AnnotatorError as error:
            QMessageBox.warning(self.window, "Schema not exported", str(error))
            return
        self.window.status.showMessage(f"Wrote {path}", 6000)

    def _changed(self, message: str) -> None:
        self.window.reload_schema()
        self.window.status.showMessage(message, 8000)
