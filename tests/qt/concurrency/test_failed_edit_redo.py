"""Regression (found in review): a new edit whose write fails is dropped, as it should be, but QUndoStack.push
has already thrown away the redo steps; the log (rolled back) still has them. The stack and the
file disagree: redo is gone now and comes back after a restart."""

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.qt.conftest import rows
from tests.qt.test_undo_history import CTRL, ctrl_z, key, label, reopen


def test_a_failed_edit_keeps_the_redo_steps(qtbot, window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: None)
    stack = window.controller.undo_stack
    label(window, "Pentagon", Qt.Key.Key_O)
    label(window, "Baghdad", Qt.Key.Key_G)
    ctrl_z(window)  # "add GPE" is there to redo
    assert stack.canRedo()
    window.store.wait_limit = 0.3
    holder = sqlite3.connect(window.store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        label(window, "Kataib", Qt.Key.Key_O)  # not saved: nothing changed on disk
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    log = rows(window.store, "SELECT description, done FROM undo_log ORDER BY seq")
    assert log == [("add ORG", 1), ("add GPE", 0)]  # the file: redo still possible
    in_session = stack.canRedo()
    after = reopen(qtbot, window.store.path)
    assert after.controller.undo_stack.canRedo()  # after a restart: redo is back
    assert in_session, "the failed edit dropped the redo step from this window's stack"
