"""A write that fails (disk full, I/O error, a lock held too long) never leaves the undo stack
disagreeing with the file: a first write's command is dropped, a failed undo or redo puts
the stack back to try again; the person is told; the view shows what the file holds."""

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from tests.qt.conftest import rows


def select_word(view, text, word):
    start = text.index(word)
    view.set_text_selection(start, start + len(word))


def label_baghdad_and_pentagon(window):
    """Two edits by key: GPE on "Baghdad", then ORG on "Pentagon"."""
    text = window.session.article.text
    select_word(window.view, window.session.article.text, "Baghdad")
    QTest.keyClick(window.view, Qt.Key.Key_G)
    select_word(window.view, text, "Pentagon")
    QTest.keyClick(window.view, Qt.Key.Key_O)


def ctrl_z(window, shift=False):
    modifiers = Qt.KeyboardModifier.ControlModifier
    if shift:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window.view, Qt.Key.Key_Z, modifiers)


def failing(message):
    def fail(*args, **kwargs):
        raise sqlite3.OperationalError(message)
    return fail


def told(monkeypatch):
    boxes = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text, *a, **k: boxes.append(text))
    return boxes


def test_a_failed_first_write_is_not_pushed_and_the_person_is_told(qtbot, window, monkeypatch):
    boxes = told(monkeypatch)
    stack = window.controller.undo_stack
    monkeypatch.setattr(window.store, "insert_span", failing("disk I/O error"))
    select_word(window.view, window.session.article.text, "Baghdad")
    QTest.keyClick(window.view, Qt.Key.Key_G)
    assert boxes == ["The edit could not be saved: disk I/O error"]
    assert stack.count() == 0 and not stack.canUndo()
    assert rows(window.store, "SELECT count(*) FROM spans") == [(0,)]
    assert rows(window.store, "SELECT count(*) FROM undo_log") == [(0,)]  # no entry either
    assert window.view.spans == [] and window.isWindowModified()


def test_a_failed_undo_leaves_the_stack_where_the_file_is_to_try_again(qtbot, window,
                                                                       monkeypatch):
    boxes = told(monkeypatch)
    stack = window.controller.undo_stack
    label_baghdad_and_pentagon(window)
    assert (stack.count(), stack.index()) == (2, 2)
    with monkeypatch.context() as disk_full:
        disk_full.setattr(window.store, "delete_span", failing("database or disk is full"))
        ctrl_z(window)
        qtbot.waitUntil(lambda: stack.index() == 2)  # moved back, nothing written
    assert boxes == ["Undo/redo could not be saved: database or disk is full"]
    assert rows(window.store, "SELECT label FROM spans ORDER BY label") == [("GPE",), ("ORG",)]
    assert sorted(s.label for s in window.view.spans) == ["GPE", "ORG"]
    assert stack.count() == 2 and stack.undoText() == "add ORG"
    assert window.isWindowModified() and "Saved" not in window.status.saved_label.text()
    # The project's undo log agrees: both edits still done.
    assert rows(window.store, "SELECT done FROM undo_log ORDER BY seq") == [(1,), (1,)]
    # Once the disk has room again, the same undo works, and then the one before it.
    ctrl_z(window)
    assert rows(window.store, "SELECT label FROM spans") == [("GPE",)]
    assert rows(window.store, "SELECT done FROM undo_log ORDER BY seq") == [(1,), (0,)]
    assert not window.isWindowModified() and "Saved" in window.status.saved_label.text()
    ctrl_z(window)
    assert rows(window.store, "SELECT count(*) FROM spans") == [(0,)]
    assert rows(window.store, "SELECT status FROM articles WHERE id = ?",
                window.session.article.id) == [("new",)]


def test_a_failed_redo_moves_the_stack_back_too(qtbot, window, monkeypatch):
    boxes = told(monkeypatch)
    stack = window.controller.undo_stack
    select_word(window.view, window.session.article.text, "Baghdad")
    QTest.keyClick(window.view, Qt.Key.Key_G)
    ctrl_z(window)
    assert stack.index() == 0
    with monkeypatch.context() as locked:
        locked.setattr(window.store, "insert_span", failing("database is locked"))
        ctrl_z(window, shift=True)
        qtbot.waitUntil(lambda: stack.index() == 0)
    assert len(boxes) == 1 and "database is locked" not in boxes[0]
    assert boxes[0].startswith("Undo/redo could not be saved: another program is writing to "
                               "project.db")
    assert rows(window.store, "SELECT count(*) FROM spans") == [(0,)] and stack.canRedo()
    ctrl_z(window, shift=True)
    assert rows(window.store, "SELECT label FROM spans") == [("GPE",)]


def modal(monkeypatch):
    """critical() as the real box behaves: an event loop of its own until the person closes
    it (a reviewer found a timer firing inside that loop moved the wrong command)."""
    from PySide6.QtCore import QEventLoop, QTimer

    boxes = []

    def box(parent, title, text, *args, **kwargs):
        boxes.append(text)
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
    monkeypatch.setattr(QMessageBox, "critical", box)
    return boxes


def test_with_a_modal_box_a_failed_redo_touches_no_other_edit(qtbot, window, monkeypatch):
    boxes = modal(monkeypatch)
    stack = window.controller.undo_stack
    label_baghdad_and_pentagon(window)
    ctrl_z(window)  # undo ORG
    with monkeypatch.context() as locked:
        locked.setattr(window.store, "insert_span", failing("database is locked"))
        ctrl_z(window, shift=True)
        QTest.qWait(150)
    assert len(boxes) == 1
    assert rows(window.store, "SELECT label FROM spans") == [("GPE",)]  # GPE untouched
    assert (stack.index(), stack.undoText(), stack.redoText()) == (1, "add GPE", "add ORG")
    assert "Saved" not in window.status.saved_label.text()


def test_with_a_modal_box_a_failed_undo_leaves_the_redo_ahead_alone(qtbot, window,
                                                                     monkeypatch):
    boxes = modal(monkeypatch)
    stack = window.controller.undo_stack
    label_baghdad_and_pentagon(window)
    ctrl_z(window)  # undo ORG
    with monkeypatch.context() as locked:
        locked.setattr(window.store, "delete_span", failing("database is locked"))
        ctrl_z(window)
        ctrl_z(window)
        QTest.qWait(150)
    assert len(boxes) == 2  # each try said so, and neither moved anything
    assert rows(window.store, "SELECT label FROM spans") == [("GPE",)]
    assert (stack.index(), stack.redoText()) == (1, "add ORG")
