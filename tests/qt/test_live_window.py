"""The window beside other writers: it follows their changes within a second, waits visibly
for their write lock without freezing, and a second window on the project is read-only until
the first one closes."""

import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtTest import QTest

from annotator.core.model import DONE, Span
from annotator.store import open_project
from annotator.store.activity import HOST
from tests.lock_holder import hold_lock
from tests.qt.conftest import rows
from tests.qt.test_labelling import drag
from tests.timing import slack

ROOT = Path(__file__).resolve().parents[2]
HEADLINES = ROOT / "tests" / "data" / "prodigy-news-headlines.jsonl"


def other_connection(window):
    """Another program on the same file: a store of its own, as the CLI or a job has."""
    return open_project(window.store.path)


def test_a_span_added_elsewhere_shows_in_the_open_article_within_a_second(qtbot, window):
    article = window.session.article
    start = article.text.index("Pentagon")
    other = other_connection(window)
    other.insert_span(Span(None, article.id, start, start + 8, "ORG"))
    other.close()
    qtbot.waitUntil(lambda: [s.label for s in window.view.spans] == ["ORG"], timeout=1000)
    assert window.palette_widget.chips["ORG"].count == 1
    assert window.panel.model.data(window.panel.model.index(0, 2)) == 1  # the list's count


def test_a_status_changed_elsewhere_shows_in_title_list_and_counts(qtbot, window):
    other = other_connection(window)
    other.set_status(window.session.article.id, DONE)
    other.close()
    qtbot.waitUntil(lambda: "(done)" in window.windowTitle(), timeout=1000)
    assert window.panel.model.data(window.panel.model.index(0, 1)) == "Done"
    assert window.status.progress_label.text().startswith("1 of 3 done")


def test_articles_imported_by_the_cli_appear_in_the_list_within_a_second(qtbot, window):
    before = window.panel.model.rowCount()
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(window.store.path), str(HEADLINES)],
        cwd=ROOT, capture_output=True, text=True, env=os.environ.copy(), timeout=120,
    )
    assert result.returncode == 0, result.stderr
    total = rows(window.store, "SELECT count(*) FROM articles")[0][0]
    assert total > before
    qtbot.waitUntil(lambda: window.status.total == total, timeout=1000)
    qtbot.waitUntil(lambda: window.panel.model.rowCount() > before, timeout=1000)


def test_a_label_added_elsewhere_appears_in_the_palette(qtbot, window):
    other = other_connection(window)
    other.add_label("PROTESTER", "9", None, None)
    other.close()
    qtbot.waitUntil(lambda: "PROTESTER" in window.palette_widget.chips, timeout=1000)
    assert window.panel.selected_ids() == [window.session.article.id]  # the list kept its place


def test_with_nothing_changed_the_timer_reads_no_table(qtbot, window):
    statements = []
    window.store.conn.set_trace_callback(statements.append)
    qtbot.wait(1000)
    window.store.conn.set_trace_callback(None)
    assert statements and set(statements) == {"PRAGMA data_version"}


def test_an_edit_waits_for_another_process_and_the_window_keeps_running(qtbot, window):
    text = window.session.article.text
    start = text.index("Pentagon")
    assert window.session.tokens  # spaCy's tokenizer loaded (the app warms it in the background)
    ticks = []
    timer = QTimer(interval=10)
    clock = QElapsedTimer()
    clock.start()
    timer.timeout.connect(lambda: ticks.append(clock.elapsed()))
    holder = hold_lock(window.store.path, 1.5, "the import of news.jsonl")
    messages, labels = [], []
    window.status.messageChanged.connect(messages.append)
    # What the saved label says while the edit waits, read on each tick of the timer.
    timer.timeout.connect(lambda: labels.append(window.status.saved_label.text()))
    drag(qtbot, window.view, start + 1, start + 5)
    timer.start()
    began = time.monotonic()
    QTest.keyClick(window.view, Qt.Key.Key_O)  # returns once the edit is written
    waited = time.monotonic() - began
    timer.stop()
    holder.wait(timeout=10)
    assert waited > 1.0
    assert rows(window.store, "SELECT label FROM spans") == [("ORG",)]
    assert any(m.startswith("Waiting for the import of news.jsonl (pid ") for m in messages)
    assert "Saving…" in labels and not any(label.startswith("Saved") for label in labels)
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) > 20 and max(gaps) < 100 * slack(), max(gaps)
    assert "Saved" in window.status.saved_label.text()
    qtbot.waitUntil(lambda: not window.status.currentMessage().startswith("Waiting"), timeout=1000)


def test_a_second_window_is_read_only_until_the_first_closes(qtbot, window):
    from annotator.qt.main_window import MainWindow

    second_store = open_project(window.store.path)
    second = MainWindow(second_store)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    banner = second.banner.text()
    assert second.banner.isVisible()
    assert banner == (
        f"Read-only: another annotator window (pid {os.getpid()} on {HOST}) is editing this "
        "project. It will become editable when that window closes."
    )
    assert "(read-only)" in second.windowTitle()
    assert not window.banner.isVisible()

    text = second.session.article.text
    start = text.index("Pentagon")
    drag(qtbot, second.view, start + 1, start + 5)
    QTest.keyClick(second.view, Qt.Key.Key_O)
    assert rows(window.store, "SELECT count(*) FROM spans") == [(0,)]
    assert second.status.currentMessage().startswith("Read-only: another annotator window")
    assert second.controller.undo_stack.count() == 0
    assert second.suggestions.run("any source") is None  # menus that would write say why too

    # The first window's edits show in the second, live.
    first_text = window.session.article.text
    at = first_text.index("Pentagon")
    drag(qtbot, window.view, at + 1, at + 5)
    QTest.keyClick(window.view, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: [s.label for s in second.view.spans] == ["ORG"], timeout=1000)

    window.close()
    qtbot.waitUntil(lambda: not second.banner.isVisible(), timeout=2500)
    assert "(read-only)" not in second.windowTitle()
    at = text.index("Kataib Hezbollah")  # the edit refused before now saves
    drag(qtbot, second.view, at + 1, at + 12)
    QTest.keyClick(second.view, Qt.Key.Key_O)
    assert rows(window.store, "SELECT label, start FROM spans ORDER BY id") == [
        ("ORG", start), ("ORG", at)]
    assert rows(window.store, "SELECT pid FROM activity") == [(os.getpid(),)]  # one claim
    second.close()


def test_a_crashed_windows_claim_does_not_block(qtbot, project):
    from annotator.qt.main_window import MainWindow
    from tests.store.test_waiting_writes import _dead_pid

    conn_store = open_project(project.path)
    with conn_store.write():
        conn_store.conn.execute(
            "INSERT INTO activity(pid, host, kind, what, started, heartbeat) "
            "VALUES (?, ?, 'window', 'another annotator window', 0, 0)",
            (_dead_pid(), HOST),
        )
    conn_store.close()
    win = MainWindow(project)
    qtbot.addWidget(win)
    assert project.read_only is None and not win.banner.isVisible()
    assert rows(project, "SELECT pid FROM activity") == [(os.getpid(),)]


def test_a_project_opened_read_only_says_so_and_never_takes_over(qtbot, project):
    from annotator.qt.main_window import MainWindow
    from annotator.store.project import ProjectStore

    read_only = ProjectStore(project.path, read_only=True)
    win = MainWindow(read_only)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.banner.isVisible()
    assert win.banner.text() == f"Read-only: {project.path} is open read-only."
    text = win.session.article.text
    at = text.index("Pentagon")
    drag(qtbot, win.view, at + 1, at + 5)
    QTest.keyClick(win.view, Qt.Key.Key_O)
    assert rows(project, "SELECT count(*) FROM spans") == [(0,)]
    assert win.status.currentMessage() == (
        f"Read-only: {project.path} is open read-only. Nothing was changed."
    )
    qtbot.wait(1200)  # no window holds the project, yet the file stays read-only
    assert win.banner.isVisible() and read_only.read_only is not None
    # The writer's changes still show.
    project.set_status(win.session.article.id, DONE)
    qtbot.waitUntil(lambda: "(done)" in win.windowTitle(), timeout=1000)
    win.close()
    read_only.close()


def test_a_read_only_window_still_exports(qtbot, window, tmp_path):
    from annotator.qt.controllers import file_menu
    from annotator.qt.main_window import MainWindow

    window.store.set_status(window.session.article.id, DONE)  # by the writer window
    second = MainWindow(open_project(window.store.path))
    qtbot.addWidget(second)
    assert second.store.read_only is not None
    target = tmp_path / "out.jsonl"
    job = file_menu.run_export(second, "jsonl", str(target))
    with qtbot.waitSignal(job.done, timeout=10000):
        pass
    assert len(target.read_text().splitlines()) == 1
    assert file_menu.run_import(second, [str(HEADLINES)]) is None  # importing would write
    assert second.status.currentMessage().startswith("Read-only: another annotator window")
    second.close()


def test_taking_over_while_another_process_writes_neither_waits_nor_stalls(qtbot, project):
    from annotator.qt.main_window import MainWindow

    with project.write():  # a window on another host, alive (a fresh heartbeat)
        project.conn.execute(
            "INSERT INTO activity(pid, host, kind, what, started, heartbeat) "
            "VALUES (4242, 'elsewhere', 'window', 'another annotator window', ?, ?)",
            (time.time(), time.time()),
        )
    win = MainWindow(project)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.banner.text().startswith(
        "Read-only: another annotator window (pid 4242 on elsewhere) is editing this project."
    )
    ticks = []
    clock = QElapsedTimer()
    clock.start()
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(clock.elapsed()))
    # That window closes, and at once an import holds the lock for 1.5 s.
    holder = hold_lock(project.path, 1.5, "the import of news.jsonl",
                       before="DELETE FROM activity WHERE kind = 'window'")
    messages = []
    win.status.messageChanged.connect(messages.append)
    timer.start()
    qtbot.wait(1200)
    assert win.banner.isVisible()  # can't claim the project while the import writes...
    assert not win.write_wait.active and not any("Waiting" in m for m in messages)
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert max(gaps) < 100 * slack(), max(gaps)  # ...and doesn't wait for it either
    qtbot.waitUntil(lambda: not win.banner.isVisible(), timeout=2500)
    timer.stop()
    holder.wait(timeout=10)
    assert rows(project, "SELECT pid, host FROM activity") == [(os.getpid(), HOST)]


CLAIMING_WINDOW = """
import sys, time
from annotator.store.project import ProjectStore
store = ProjectStore(sys.argv[1])
assert store.claim_window() is None
print("claimed", flush=True)
time.sleep(60)
"""


def test_a_window_of_another_process_that_crashes_hands_over_within_two_seconds(qtbot, project):
    from annotator.qt.main_window import MainWindow

    other = subprocess.Popen([sys.executable, "-c", CLAIMING_WINDOW, str(project.path)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "claimed"
        win = MainWindow(project)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        assert win.banner.text().startswith(
            f"Read-only: another annotator window (pid {other.pid} on {HOST}) is editing")
        other.kill()  # no goodbye: its row stays behind
        other.wait(timeout=10)
        qtbot.waitUntil(lambda: not win.banner.isVisible(), timeout=2000)
        assert rows(project, "SELECT pid FROM activity") == [(os.getpid(),)]
    finally:
        if other.poll() is None:
            other.kill()


def test_suggestions_written_by_a_job_show_in_the_article_and_the_queue(qtbot, window):
    article = window.session.article
    start = article.text.index("Pentagon")
    assert window.review_queue.model.rowCount() == 0
    other = other_connection(window)
    other.insert_span(
        Span(None, article.id, start, start + 8, "ORG", origin="suggest:ruler",
             state="suggested", score=0.9))
    other.close()
    qtbot.waitUntil(lambda: window.review_queue.model.rowCount() == 1, timeout=1000)
    assert [s.state for s in window.view.spans] == ["suggested"]


def test_a_change_that_cant_be_read_is_said_and_tried_again(qtbot, window, monkeypatch):
    from annotator.core.errors import ProjectError

    follow = window.session.follow_changes
    broken = [True]

    def failing():
        if broken[0]:
            raise ProjectError("disk I/O error")
        follow()

    monkeypatch.setattr(window.session, "follow_changes", failing)
    other = other_connection(window)
    other.set_status(window.session.article.id, DONE)
    other.close()
    qtbot.waitUntil(
        lambda: window.status.currentMessage().startswith(
            "Could not show the latest changes to the project (disk I/O error)"),
        timeout=1000)
    broken[0] = False
    qtbot.waitUntil(lambda: "(done)" in window.windowTitle(), timeout=1000)


def test_after_taking_over_ctrl_z_undoes_the_projects_last_edit(qtbot, window):
    """The second window read the undo history when it opened; the first window's edits made
    after that are the ones Ctrl+Z must undo once the second takes over."""
    from annotator.qt.main_window import MainWindow

    def label(win, word):
        at = win.session.article.text.index(word)
        drag(qtbot, win.view, at + 1, at + len(word) - 1)
        QTest.keyClick(win.view, Qt.Key.Key_O)
        return at

    first = label(window, "Pentagon")
    second = MainWindow(open_project(window.store.path))
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.banner.isVisible()
    label(window, "Kataib Hezbollah")  # the last edit, made while the second is read-only
    window.close()
    qtbot.waitUntil(lambda: not second.banner.isVisible(), timeout=2500)
    assert second.controller.undo_stack.undoText() == "add ORG"
    second.view.setFocus()
    QTest.keyClick(second.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(second.store, "SELECT start FROM spans") == [(first,)]
    second.close()
    second.store.close()


def test_the_writer_window_checkpoints_off_its_thread_until_it_closes(qtbot, window):
    assert window.store.conn.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    thread = window.store._checkpoints
    assert thread is not None and thread._thread.is_alive()
    window.close()
    assert not thread._thread.is_alive()
    assert window.store.conn.execute("PRAGMA wal_autocheckpoint").fetchone() == (1000,)


def test_a_tick_after_the_project_closed_stops_watching_instead_of_failing(qtbot, window):
    # A window torn down by a failure can leave its timer running over a closed project: every
    # tick then failed ("Cannot operate on a closed database"), in every later window too.
    from annotator.qt.controllers.live_reload import LiveReload

    messages, followed = [], []
    store = other_connection(window)
    live = LiveReload(store, lambda: followed.append(1), lambda: False, messages.append)
    store.close()
    assert live.check() is False
    assert not live.timer.isActive()
    assert messages == [] and followed == []
