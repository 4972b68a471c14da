"""A write that fails (disk full, I/O error) never leaves the undo stack disagreeing with the
file: the command is dropped, the person is told, the view shows what the file holds."""

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from tests.qt.conftest import rows


def select_word(view, text, word):
    start = text.index(word)
    view.set_text_selection(start, start + len(word))


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
    text, stack = window.session.article.text, window.controller.undo_stack
    monkeypatch.setattr(window.store, "insert_span", failing("disk I/O error"))
    select_word(window.view, text, "Baghdad")
    QTest.keyClick(window.view, Qt.Key.Key_G)
    assert boxes == ["The edit could not be saved: disk I/O error"]
    assert stack.count() == 0 and not stack.canUndo()
    assert rows(window.store, "SELECT count(*) FROM spans") == [(0,)]
    assert window.view.spans == [] and window.isWindowModified()


def test_a_failed_undo_drops_the_command_and_the_span_stays_shown(qtbot, window, monkeypatch):
    boxes = told(monkeypatch)
    text, stack = window.session.article.text, window.controller.undo_stack
    select_word(window.view, text, "Baghdad")
    QTest.keyClick(window.view, Qt.Key.Key_G)
    select_word(window.view, text, "Pentagon")
    QTest.keyClick(window.view, Qt.Key.Key_O)
    assert stack.count() == 2
    monkeypatch.setattr(window.store, "delete_span", failing("database or disk is full"))
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert boxes == ["Undo/redo could not be saved: database or disk is full"]
    on_disk = rows(window.store, "SELECT label FROM spans ORDER BY label")
    assert on_disk == [("GPE",), ("ORG",)]
    assert sorted(s.label for s in window.view.spans) == ["GPE", "ORG"]
    # The ORG edit can't be undone any more (the stack dropped it); the GPE one still can.
    assert stack.count() == 1 and stack.command(0).text() == "add GPE"
    monkeypatch.undo()
    told(monkeypatch)
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(window.store, "SELECT label FROM spans") == [("ORG",)]
