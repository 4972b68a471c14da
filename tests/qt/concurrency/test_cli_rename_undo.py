"""Regression (found in review): `annotator schema --rename` in a terminal clears the project's undo log
(logged edits name the old label), but the open window keeps its stack. Ctrl+Z then deletes
the person's span and Ctrl+Y can't put it back (its label is gone from the schema): an
undo/redo pair loses a saved annotation. The window's own rename clears its stack for this
very reason."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from tests.qt.conftest import rows
from tests.qt.test_undo_history import CTRL, ctrl_z, key, label

ROOT = Path(__file__).resolve().parents[3]


def test_cli_rename_then_undo_redo_keeps_the_span(qtbot, window):
    label(window, "Pentagon", Qt.Key.Key_O)
    assert rows(window.store, "SELECT label FROM spans") == [("ORG",)]
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "schema", str(window.store.path),
         "--rename", "ORG", "ORGANISATION"],
        cwd=ROOT, capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: "ORGANISATION" in window.palette_widget.chips, timeout=1500)
    assert rows(window.store, "SELECT count(*) FROM undo_log") == [(0,)]
    stack = window.controller.undo_stack
    messages = []
    window.status.messageChanged.connect(messages.append)
    ctrl_z(window)
    key(window, Qt.Key.Key_Y, CTRL)
    # Expected: either both refused (stack cleared like the window's own rename), or the span back.
    assert rows(window.store, "SELECT label FROM spans") == [("ORGANISATION",)], (
        stack.count(), stack.index(), messages)
