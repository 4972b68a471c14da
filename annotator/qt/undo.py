"""Edits on Qt's undo stack: each QUndoCommand wraps one core edit and the session that applies it."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from annotator.core.edits import Edit


class EditCommand(QUndoCommand):
    def __init__(self, session, edit: Edit, on_error):
        super().__init__(edit.description)
        self.session = session
        self.edit = edit
        self.on_error = on_error
        # The controller applies the edit before pushing it (so a refused edit never reaches
        # the stack); the push's own first redo() must not apply it twice.
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._run(self.session.apply)

    def undo(self) -> None:
        self._run(self.session.revert)

    def _run(self, action) -> None:
        try:
            action(self.edit)
        except Exception as error:  # a failed write must reach the user, not kill the app
            self.on_error(error)
