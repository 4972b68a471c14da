"""Undo survives a restart and a crash: the window's edits are logged in the project, and a
new window on the file puts them back on its stack, so Ctrl+Z undoes exactly the last edit
made before (opening its article), and redo works after. A step whose rows changed since is
refused and the stack stays; a step that cannot be written (the file locked) says so, keeps
the stack where it was, and works once the lock is gone."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.store import open_project
from tests.qt.conftest import rows


def select_word(window, word):
    start = window.session.article.text.index(word)
    window.view.set_text_selection(start, start + len(word))


def label(window, word, key):
    select_word(window, word)
    QTest.keyClick(window.view, key)


def key(window, k, *modifiers):
    flags = Qt.KeyboardModifier.NoModifier
    for m in modifiers:
        flags |= m
    QTest.keyClick(window.view, k, flags)


CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def ctrl_z(window):
    key(window, Qt.Key.Key_Z, CTRL)


def spans(store):
    return rows(store, "SELECT article_id, label FROM spans ORDER BY id")


def reopen(qtbot, path):
    """A new window on the file, as after a restart: its own store, its own stack."""
    from annotator.qt.main_window import MainWindow

    store = open_project(path)
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)  # its shortcuts, not the old's
    win.view.setFocus()
    return win


def edits_on_two_articles(window):
    """GPE on Baghdad in the first article, then (Alt+Down) ORG on Pentagon in the third."""
    first = window.session.article.id
    label(window, "Baghdad", Qt.Key.Key_G)
    key(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    key(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    third = window.session.article.id
    assert third != first
    label(window, "Pentagon", Qt.Key.Key_O)
    return first, third


def test_after_a_restart_ctrl_z_undoes_the_last_edits_across_articles_and_redo_works(
        qtbot, window):
    first, third = edits_on_two_articles(window)
    path = window.store.path
    window.close()
    window.store.close()

    again = reopen(qtbot, path)
    try:
        assert again.session.article.id == third  # it opens where it was left
        assert again.actions.undo.isEnabled() and again.actions.undo.text() == "&Undo add ORG"
        assert not again.actions.redo.isEnabled()
        ctrl_z(again)  # the last edit, on the third article: it is opened to show it
        assert spans(again.store) == [(first, "GPE")]
        assert again.session.article.id == third and again.view.spans == []
        assert again.actions.undo.text() == "&Undo add GPE"
        assert again.actions.redo.text() == "&Redo add ORG"
        ctrl_z(again)
        assert spans(again.store) == [] and again.session.article.id == first
        assert again.view.spans == []
        ctrl_z(again)  # nothing before: nothing happens
        assert rows(again.store, "SELECT done FROM undo_log ORDER BY seq") == [(0,), (0,)]
        key(again, Qt.Key.Key_Y, CTRL)
        assert spans(again.store) == [(first, "GPE")]
        assert [s.label for s in again.view.spans] == ["GPE"]
        key(again, Qt.Key.Key_Z, CTRL, SHIFT)
        assert spans(again.store) == [(first, "GPE"), (third, "ORG")]
        assert again.session.article.id == third
        assert [s.label for s in again.view.spans] == ["ORG"]
        assert "Saved" in again.status.saved_label.text() and not again.isWindowModified()
    finally:
        again.close()
        again.store.close()


def test_undone_steps_are_still_there_to_redo_after_a_restart(qtbot, window):
    first, third = edits_on_two_articles(window)
    ctrl_z(window)  # ORG undone before closing
    path = window.store.path
    window.close()
    window.store.close()

    again = reopen(qtbot, path)
    try:
        stack = again.controller.undo_stack
        assert (stack.count(), stack.index()) == (2, 1)
        assert again.actions.redo.text() == "&Redo add ORG"
        assert spans(again.store) == [(first, "GPE")]  # reopening wrote nothing
        key(again, Qt.Key.Key_Y, CTRL)
        assert spans(again.store) == [(first, "GPE"), (third, "ORG")]
        # A new edit drops the undone tail, on the stack and in the file alike.
        ctrl_z(again)
        again.session.open_article(first)
        label(again, "Iraq", Qt.Key.Key_G)
        assert (stack.count(), stack.index()) == (2, 2)
        assert rows(again.store, "SELECT description, done FROM undo_log ORDER BY seq") == [
            ("add GPE", 1), ("add GPE", 1)]
    finally:
        again.close()
        again.store.close()


CHILD = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from annotator.qt.main_window import MainWindow
    from annotator.store import open_project

    app = QApplication([])
    window = MainWindow(open_project(sys.argv[1]))
    window.show()
    window.controller.saved.connect(
        lambda _when: print("saved", window.controller.last_edit.description, flush=True))
    text = window.session.article.text
    for word, key in [("Baghdad", Qt.Key.Key_G), ("Pentagon", Qt.Key.Key_O),
                      ("Iraq", Qt.Key.Key_G), ("Jordan", Qt.Key.Key_G),
                      ("Kataib Hezbollah", Qt.Key.Key_O)]:
        start = text.index(word)
        window.view.set_text_selection(start, start + len(word))
        QTest.keyClick(window.view, key)
    print("all", flush=True)
    time.sleep(600)  # killed long before
""")


def test_after_a_crash_ctrl_z_undoes_the_last_acknowledged_edit(qtbot, project):
    path = project.path
    project.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        said = [child.stdout.readline().strip() for _ in range(3)]
        os.kill(child.pid, signal.SIGKILL)  # mid-stream: the fourth edit may be under way
    finally:
        child.wait(timeout=30)
    assert said == ["saved add GPE", "saved add ORG", "saved add GPE"]

    again = reopen(qtbot, path)
    try:
        on_disk = rows(again.store, "SELECT id, label FROM spans ORDER BY id")
        logged = rows(again.store, "SELECT description FROM undo_log WHERE done = 1")
        # Whatever the kill cut short, every edit on disk has its entry and no more.
        assert len(on_disk) >= 3 and len(logged) == len(on_disk)
        assert again.controller.undo_stack.count() == len(on_disk)
        ctrl_z(again)  # exactly the last edit written before the crash
        assert rows(again.store, "SELECT id, label FROM spans ORDER BY id") == on_disk[:-1]
        key(again, Qt.Key.Key_Y, CTRL)
        assert rows(again.store, "SELECT id, label FROM spans ORDER BY id") == on_disk
    finally:
        again.close()
        again.store.close()


def test_an_undo_whose_span_is_gone_is_refused_and_the_stack_stays(qtbot, window):
    first, third = edits_on_two_articles(window)
    path = window.store.path
    window.close()
    window.store.close()
    # Meanwhile the CLI (an import, a schema change) deleted the ORG span.
    other = open_project(path)
    (org,) = [row[0] for row in rows(other, "SELECT id FROM spans WHERE label = 'ORG'")]
    other.delete_span(org)
    other.close()

    again = reopen(qtbot, path)
    try:
        stack = again.controller.undo_stack
        ctrl_z(again)
        said = again.status.currentMessage()
        assert said == ("Cannot undo “add ORG”: its span is gone from the project (changed "
                        "outside this window). Nothing was changed.")
        assert (stack.index(), stack.undoText()) == (2, "add ORG")
        assert spans(again.store) == [(first, "GPE")]  # nothing written, no half-undo
        assert rows(again.store, "SELECT done FROM undo_log ORDER BY seq") == [(1,), (1,)]
        ctrl_z(again)  # still refused: the stack never skips a step
        assert stack.index() == 2 and spans(again.store) == [(first, "GPE")]
    finally:
        again.close()
        again.store.close()


def test_an_undo_with_the_file_locked_says_so_keeps_the_stack_and_works_after(
        qtbot, window, monkeypatch):
    boxes = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text, *a, **k: boxes.append(text))
    first, third = edits_on_two_articles(window)
    stack = window.controller.undo_stack
    window.store.wait_limit = 0.3  # not minutes of waiting in a test
    holder = sqlite3.connect(window.store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing, and taking its time
    try:
        ctrl_z(window)
        qtbot.waitUntil(lambda: stack.index() == 2)
        assert len(boxes) == 1 and "not saved" in boxes[0] and "kept the project busy" in boxes[0]
        assert "database is locked" not in boxes[0]
        assert stack.undoText() == "add ORG" and stack.canUndo()
        assert window.isWindowModified() and window.status.saved_label.text() == "NOT SAVED"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert spans(window.store) == [(first, "GPE"), (third, "ORG")]
    assert rows(window.store, "SELECT done FROM undo_log ORDER BY seq") == [(1,), (1,)]
    ctrl_z(window)  # the lock is gone: the same undo works
    assert spans(window.store) == [(first, "GPE")]
    assert rows(window.store, "SELECT done FROM undo_log ORDER BY seq") == [(1,), (0,)]
    assert stack.index() == 1 and len(boxes) == 1
    assert not window.isWindowModified() and "Saved" in window.status.saved_label.text()


def test_a_redo_whose_log_entry_cannot_be_written_is_not_half_done(qtbot, window,
                                                                   monkeypatch):
    boxes = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text, *a, **k: boxes.append(text))
    first, third = edits_on_two_articles(window)
    stack = window.controller.undo_stack
    ctrl_z(window)
    window.store.conn.execute(
        "CREATE TRIGGER full BEFORE UPDATE ON undo_log "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    key(window, Qt.Key.Key_Y, CTRL)
    qtbot.waitUntil(lambda: stack.index() == 1)
    assert boxes == ["Undo/redo could not be saved: database or disk is full"]
    assert spans(window.store) == [(first, "GPE")]  # the span did not land without its entry
    assert window.isWindowModified() and window.status.saved_label.text() == "NOT SAVED"
    window.store.conn.execute("DROP TRIGGER full")
    key(window, Qt.Key.Key_Y, CTRL)
    assert spans(window.store) == [(first, "GPE"), (third, "ORG")]
    assert rows(window.store, "SELECT done FROM undo_log ORDER BY seq") == [(1,), (1,)]


def test_an_entry_this_version_cannot_read_is_refused_and_the_stack_stays(qtbot, window):
    first, third = edits_on_two_articles(window)
    path = window.store.path
    window.close()
    window.store.close()
    damage = sqlite3.connect(path)
    with damage:  # a newer annotator's entry, or a damaged file
        damage.execute("UPDATE undo_log SET payload = '{\"v\": 2}' WHERE description = 'add ORG'")
    damage.close()

    again = reopen(qtbot, path)
    try:
        stack = again.controller.undo_stack
        assert again.actions.undo.text() == "&Undo add ORG"
        ctrl_z(again)
        assert again.status.currentMessage().startswith(
            "Cannot undo or redo “add ORG”: its undo log entry cannot be read")
        assert stack.index() == 2
        assert spans(again.store) == [(first, "GPE"), (third, "ORG")]
    finally:
        again.close()
        again.store.close()
