"""Edits on Qt's undo stack: each QUndoCommand wraps one planned core edit and the session.

As Qt's undo framework intends, the push's own first redo() applies the edit (the session
planned it, so refusals came before the push). The stack never disagrees with the file:
- a first write that fails makes the command obsolete, and QUndoStack drops it;
- an undo (or redo) that fails moves the stack back where it was, without writing, so the
  step is still there to try again (a lock held too long by another program, a full disk
  freed since).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.edits import Edit
from annotator.core.session import Session

# Told after every write a command makes: (the error or None, whether it was the first).
Report = Callable[[Exception | None, bool], None]


class EditCommand(QUndoCommand):
    def __init__(self, session: Session, edit: Edit, stack: QUndoStack, report: Report):
        super().__init__(edit.description)
        self.session = session
        self.edit = edit
        self.stack = stack
        self.report = report
        self.failed = False
        self._done_once = False
        self._move_back = False  # the stack's next call only puts its index back

    def redo(self) -> None:
        if self._move_back:
            self._move_back = False
            return
        first = not self._done_once
        self._done_once = True
        self._run(self.session.apply, first, undoing=False)

    def undo(self) -> None:
        if self._move_back:
            self._move_back = False
            return
        self._run(self.session.revert, False, undoing=True)

    def _run(self, action: Callable[[Edit], object], first: bool, undoing: bool) -> None:
        try:
            action(self.edit)
        except Exception as error:  # a failed write must reach the person, not kill the app
            self.failed = True
            if first:
                self.setObsolete(True)
            else:
                # The stack has already moved past a change the file did not take: move it
                # back once control returns to the event loop (not from inside its own call).
                self._move_back = True
                QTimer.singleShot(0, self.stack.redo if undoing else self.stack.undo)
            self.report(error, first)
        else:
            self.failed = False
            self.report(None, first)
