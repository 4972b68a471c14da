"""The window on read-only and full disks, File › Save a copy, the daily backup, and the
checkpoint on close that makes a copied .db complete."""

import re
import shutil
import sqlite3
import threading

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.formats.importer import import_paths
from annotator.store import copies, open_project
from tests.qt.conftest import SEED, rows


def open_window(qtbot, store):
    from annotator.qt.main_window import MainWindow

    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    qtbot.waitExposed(win)
    win.view.setFocus()
    return win


def label_word(window, start, end, key=Qt.Key.Key_G):
    window.view.set_text_selection(start, end)
    QTest.keyClick(window.view, key)


def menu_action(window, menu_title, text):
    for menu_action in window.menuBar().actions():
        if menu_action.text() == menu_title:
            for action in menu_action.menu().actions():
                if action.text() == text:
                    return action
    raise AssertionError(f"no {text!r} in {menu_title}")


def test_a_read_only_project_says_so_and_refuses_edits(qtbot, project, tmp_path, monkeypatch):
    project.close()
    store = open_project(project.path, read_only=True)
    window = open_window(qtbot, store)
    assert "(read-only)" in window.windowTitle()
    assert "Read-only" in window.status.currentMessage()
    assert window.status.saved_label.text() == "Read-only: edits can't be saved"
    label_word(window, *re.search("Baghdad", window.session.article.text).span())
    assert "open read-only" in window.status.currentMessage()
    assert rows(store, "SELECT count(*) FROM spans") == [(0,)]
    assert window.view.spans == []
    qtbot.wait(50)
    window.grab().save("/tmp/disks-read-only.png")
    # What a read-only project is for: a copy somewhere writable.
    out = tmp_path / "writable-copy.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    menu_action(window, "&File", "Save a &Copy…").trigger()
    with qtbot.waitSignal(window.job.done, timeout=30000):
        pass
    # `done` comes from inside the job's thread: it may still be ending when this test,
    # quick on a RAM disk, closes the window (which would then ask to cancel it).
    qtbot.waitUntil(lambda: not window.job.running(), timeout=10000)
    copy = open_project(out)
    assert copy.read_only is None and copy.count_articles() == 3
    copy.close()
    window.close()
    store.close()


def test_an_edit_on_a_full_disk_names_the_cause_and_works_once_there_is_room(
    qtbot, small_disk, monkeypatch
):
    disk = small_disk(2048)
    store = open_project(disk.path / "news.db")
    import_paths(store, [SEED])
    window = open_window(qtbot, store)
    boxes = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda parent, title, text, *a, **k: boxes.append(text)
    )
    disk.fill()
    text = window.session.article.text
    # Enough edits to need a new page of the -wal file on the full disk.
    words = [m.span() for m in re.finditer(r"\w+", text)]
    for start, end in words:
        label_word(window, start, end)
        if boxes:
            break
    assert boxes, "the disk never filled up"
    assert boxes[0] == (
        f"The edit could not be saved. The disk holding {store.path} is full: free some "
        "space and try again; nothing already saved was lost."
    )
    assert window.status.saved_label.text() == "NOT SAVED"
    saved = rows(store, "SELECT count(*) FROM spans")[0][0]
    assert len(window.view.spans) == saved  # the view shows what the file holds
    (disk.path / "filler").unlink()
    label_word(window, *words[-1])
    assert rows(store, "SELECT count(*) FROM spans") == [(saved + 1,)]
    window.close()
    store.close()


def test_save_a_copy_from_the_file_menu(qtbot, window, tmp_path, monkeypatch):
    label_word(window, *re.search("Baghdad", window.session.article.text).span())
    out = tmp_path / "copy.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    menu_action(window, "&File", "Save a &Copy…").trigger()
    with qtbot.waitSignal(window.job.done, timeout=30000):
        pass
    assert f"Saved a copy of the project to {out}" in window.status.currentMessage()
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT label FROM spans").fetchall() == [("GPE",)]
    conn.close()


def test_save_a_copy_onto_the_project_itself_is_refused(qtbot, window, monkeypatch):
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(window.store.path), "")
    )
    before = window.store.path.read_bytes()
    menu_action(window, "&File", "Save a &Copy…").trigger()
    assert "is the project itself" in window.last_report
    assert window.job is None
    assert window.store.path.read_bytes() == before


def test_save_a_copy_onto_a_project_still_open_elsewhere_is_refused(
    qtbot, window, tmp_path, monkeypatch
):
    """The file dialog has asked before replacing the file, but its -wal holds changes not
    yet in it (open in another window, or that window was killed): replacing the .db alone
    would give a 'copy' that SQLite reads as the old project."""
    other = open_project(tmp_path / "other.db")
    other.set_meta("note", "still open")  # in other.db-wal until it is closed
    target = tmp_path / "other.db"
    before = target.read_bytes()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    menu_action(window, "&File", "Save a &Copy…").trigger()
    assert "other.db-wal beside it holds changes not yet written into it" in window.last_report
    assert window.job is None
    assert target.read_bytes() == before
    assert other.get_meta("note") == "still open"
    other.close()


def test_the_daily_backup_is_made_off_the_gui_thread_when_the_window_opens(
    qtbot, window, monkeypatch
):
    made_on = []

    def backup(project, made=copies.daily_backup):
        made_on.append(threading.current_thread())
        return made(project)

    monkeypatch.setattr(copies, "daily_backup", backup)
    window.start_daily_backup()
    # The worst case, made certain: the backup ends before anyone listens (the listener
    # below connects only now). Its message is handed out by the GUI thread's event loop,
    # so a listener connected before that loop runs again still hears it; emitted from the
    # backup's thread, as it once was, it was lost and the wait below timed out.
    assert window.daily_backup.wait(30000)
    told_on = []
    window.daily_backup.finished_with.connect(lambda _: told_on.append(threading.current_thread()))
    with qtbot.waitSignal(window.daily_backup.finished_with, timeout=30000):
        pass
    assert made_on and made_on[0] is not threading.main_thread()
    assert told_on == [threading.main_thread()]
    backups = list((window.store.path.parent / "project.backups").iterdir())
    assert len(backups) == 1
    assert f"Daily backup saved to {backups[0]}" in window.status.currentMessage()


def test_300_edits_then_close_and_a_copy_of_the_db_alone_has_them_all(qtbot, window, tmp_path):
    text = window.session.article.text
    words = iter(m.span() for m in re.finditer(r"\w+", text))
    while rows(window.store, "SELECT count(*) FROM spans") < [(300,)]:
        label_word(window, *next(words))
    assert rows(window.store, "SELECT count(*) FROM spans") == [(300,)]
    window.close()
    copy = tmp_path / "copied.db"
    shutil.copyfile(window.store.path, copy)  # not the -wal: people copy the .db
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM spans").fetchone() == (300,)
    conn.close()


def test_file_import_into_a_read_only_project_is_refused_with_the_reason(qtbot, project):
    from annotator.qt.controllers import file_menu

    project.close()
    store = open_project(project.path, read_only=True)
    window = open_window(qtbot, store)
    before = store.count_articles()
    assert file_menu.run_import(window, [str(SEED)]) is None  # no job started
    said = window.status.currentMessage()
    assert said.startswith("Read-only: ") and str(store.path) in said
    assert store.count_articles() == before
    window.close()
    store.close()
