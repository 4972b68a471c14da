"""Edits on Qt's undo stack: each QUndoCommand wraps one planned core edit and the session.

As Qt's undo framework intends, the push's own first redo() applies the edit (the session
planned it, so refusals came before the push), and undo()/redo() write the edit back and forth.
A command never reports a failure from inside the stack's call (a message box there would
run an event loop inside QUndoStack): it keeps the error, and the caller
(AnnotationController.push/undo/redo) reads it once the stack has returned:
- a first write that fails has made its command obsolete, and QUndoStack has dropped it;
- an undo (or redo) that fails is followed at once by the opposite move with `move_only`
  set, which puts the stack's index back without writing: the stack agrees with the file and
  the step is still there to try again (a lock held too long by another program, a full disk
  freed since).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core.edits import Edit
from annotator.core.session import Session


class EditCommand(QUndoCommand):
    def __init__(self, session: Session, edit: Edit):
        super().__init__(edit.description)
        self.session = session
        self.edit = edit
        self.error: Exception | None = None  # of the last write this command tried
        self.move_only = False  # the stack's next call only moves its index
        self._done_once = False

    @property
    def failed(self) -> bool:
        return self.error is not None

    def redo(self) -> None:
        if self.move_only:
            self.move_only = False
            return
        first = not self._done_once
        self._done_once = True
        self._run(self.session.apply)
        if first and self.failed:
            self.setObsolete(True)

    def undo(self) -> None:
        if self.move_only:
            self.move_only = False
            return
        self._run(self.session.revert)

    def _run(self, action: Callable[[Edit], object]) -> None:
        self.error = None
        try:
            action(self.edit)
        except Exception as error:  # a failed write must reach the person, not kill the app
            self.error = error
