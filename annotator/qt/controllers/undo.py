"""Edits on Qt's undo stack: each QUndoCommand wraps one planned core edit and the session.

As Qt's undo framework intends, the push's own first redo() applies the edit (the session
planned it, so refusals came before the push), and undo()/redo() write the edit back and forth.
A command never reports a failure from inside the stack's call (a message box there would
run an event loop inside QUndoStack): it keeps the error, and the caller
(AnnotationController.push/undo/redo) reads it once the stack has returned:
- a first write that fails has made its command obsolete, and QUndoStack has dropped it;
- an undo (or redo) that fails, or that the session refuses because the rows it would write
  changed since (an import, the CLI), is followed at once by the opposite move with `move_only`
  set, which puts the stack's index back without writing: the stack agrees with the file and
  the step is still there to try again (a lock held too long by another program, a full disk
  freed since).
Every edit made here is logged in the project (annotator.core.edit_log) in the same
transaction, and AnnotationController.restore_history() puts the logged edits back on the
stack when a window opens.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core.edit_log import LoggedEdit
from annotator.core.edits import Edit
from annotator.core.session import Session


class EditCommand(QUndoCommand):
    def __init__(self, session: Session, edit: Edit | LoggedEdit):
        """`edit`: a planned edit, or a step from the project's undo log, already written in
        an earlier run: the push then only puts it on the stack, and its edit is read when
        it is first undone or redone."""
        super().__init__(edit.description)
        self.session = session
        self._edit = edit
        restored = isinstance(edit, LoggedEdit)
        self.error: Exception | None = None  # of the last write this command tried
        self.move_only = restored  # the stack's next call only moves its index
        self._done_once = restored

    @property
    def edit(self) -> Edit:
        if isinstance(self._edit, LoggedEdit):
            self._edit = self._edit.edit()  # EditRefused if it cannot be read
        return self._edit

    @property
    def known_edit(self) -> Edit | None:
        """The edit if it has been read (a logged step is read when first undone or redone)."""
        return None if isinstance(self._edit, LoggedEdit) else self._edit

    @property
    def failed(self) -> bool:
        return self.error is not None

    def redo(self) -> None:
        if self.move_only:
            self.move_only = False
            return
        if self._done_once:
            self._run(self.session.reapply)
            return
        self._done_once = True
        # Logged in the edit's own transaction: the undo history survives a restart.
        self._run(lambda edit: self.session.apply(edit, log=True))
        if self.failed:
            self.setObsolete(True)

    def undo(self) -> None:
        if self.move_only:
            self.move_only = False
            return
        self._run(self.session.revert)

    def _run(self, action: Callable[[Edit], object]) -> None:
        self.error = None
        try:
            action(self.edit)  # reading a logged edit inside: a refusal is kept like a failure
        except Exception as error:  # a failed write must reach the person, not kill the app
            self.error = error
