"""Regression (found in review): a read-only window that takes over keeps the undo stack it read when it
opened; Ctrl+Z then undoes the wrong edit, and can delete another window's saved edit."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store import open_project
from tests.qt.conftest import rows
from tests.qt.test_labelling import drag


def _second(qtbot, window):
    from annotator.qt.main_window import MainWindow

    second = MainWindow(open_project(window.store.path))
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.store.read_only is not None
    return second


def _label(qtbot, win, word, key=Qt.Key.Key_O):
    text = win.session.article.text
    at = text.index(word)
    drag(qtbot, win.view, at + 1, at + len(word) - 1)
    QTest.keyClick(win.view, key)
    return at


def test_after_takeover_ctrl_z_undoes_the_last_edit(qtbot, window):
    _label(qtbot, window, "Pentagon")  # e1, before the second window opens
    second = _second(qtbot, window)
    _label(qtbot, window, "Kataib Hezbollah")  # e2, the last edit made
    window.close()
    qtbot.waitUntil(lambda: second.store.read_only is None, timeout=2500)
    QTest.keyClick(second.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    spans = rows(second.store, "SELECT substr(a.text, s.start + 1, s.end - s.start) "
                 "FROM spans s JOIN articles a ON a.id = s.article_id")
    log = rows(second.store, "SELECT description, done FROM undo_log ORDER BY seq")
    # Expected: Kataib Hezbollah's span gone (the last edit undone), Pentagon's kept.
    assert len(spans) == 1 and "entagon" in spans[0][0], (spans, log)


def test_after_takeover_ctrl_z_deletes_another_windows_saved_span(qtbot, window):
    _label(qtbot, window, "Pentagon")  # e1: span id 1
    second = _second(qtbot, window)  # its stack: [e1]
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # e1 undone
    _label(qtbot, window, "Kataib Hezbollah")  # e2: saved (takes the freed id 1)
    assert window.status.saved_label.text().startswith("Saved")
    window.close()
    qtbot.waitUntil(lambda: second.store.read_only is None, timeout=2500)
    QTest.keyClick(second.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    spans = rows(second.store, "SELECT id, start FROM spans")
    log = rows(second.store, "SELECT seq, description, done FROM undo_log ORDER BY seq")
    # Ctrl+Z must undo e2 as e2 (its log entry marked undone, redo possible), never run the
    # stale "undo e1" that deletes e2's span behind the log's back.
    assert spans or log == [(1, "add ORG", 0)], ("e2's span deleted, log still says done", log)
    QTest.keyClick(second.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(rows(second.store, "SELECT id FROM spans")) == 1, "redo can't bring it back"
