"""Edits on Qt's undo stack: each QUndoCommand wraps one planned core edit and the session.

As Qt's undo framework intends, the push's own first redo() applies the edit (the session
planned it, so refusals came before the push). A command whose write fails is made obsolete:
QUndoStack then drops it, so the stack never claims an edit the file doesn't hold, or offers
to undo one it can't.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core.edits import Edit
from annotator.core.session import Session


class EditCommand(QUndoCommand):
    def __init__(self, session: Session, edit: Edit, on_error: Callable[[Exception, bool], None]):
        super().__init__(edit.description)
        self.session = session
        self.edit = edit
        self.on_error = on_error  # (the error, whether it was the first apply)
        self.failed = False
        self._done_once = False

    def redo(self) -> None:
        first = not self._done_once
        self._done_once = True
        self._run(self.session.apply, first)

    def undo(self) -> None:
        self._run(self.session.revert, False)

    def _run(self, action, first: bool) -> None:
        try:
            action(self.edit)
        except Exception as error:  # a failed write must reach the person, not kill the app
            self.failed = True
            self.setObsolete(True)
            self.on_error(error, first)
