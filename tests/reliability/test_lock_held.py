"""Every kind of edit while another process holds the project's write lock: the window waits
for it (says so in the status bar) and saves once the lock is let go; the person sees no message
box and no "database is locked"."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from tests.conftest import on_disk
from tests.reliability.conftest import click_offset, double_click_word, label_word, manual_spans

HOLD = 30  # at most: the test lets go as soon as the window says it waits
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE meta SET value = value WHERE key = 'schema'")
print("locked", flush=True)
import select
select.select([sys.stdin], [], [], float(sys.argv[2]))  # until the test closes our stdin
conn.execute("COMMIT")
"""


def hold_the_lock(path, seconds: float = HOLD) -> subprocess.Popen:
    """Another program takes the write lock (BEGIN IMMEDIATE, a write) and keeps it until
    the test closes its stdin (or `seconds` have passed)."""
    proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), str(seconds)],
                            stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def next_suggestion(window):
    QTest.keyClick(window.view, Qt.Key.Key_Space)
    span = window.view.selected_span()
    assert span is not None and span.state == "suggested"
    return span


# Each case: (prepare, the edit made while the lock is held, what the file then holds).
# prepare runs before the lock is taken and returns what the check needs.

def add_span():
    def prepare(w):
        double_click_word(w, "Baghdad")

    def edit(w, _):
        QTest.keyClick(w.view, Qt.Key.Key_G)

    def check(w, _):
        assert manual_spans(w.store) == [("GPE",)]
    return prepare, edit, check


def relabel():
    def prepare(w):
        start = label_word(w)
        click_offset(w, start + 2)
        assert w.view.selected_span().label == "GPE"

    def edit(w, _):
        QTest.keyClick(w.view, Qt.Key.Key_O)

    def check(w, _):
        assert manual_spans(w.store) == [("ORG",)]
    return prepare, edit, check


def delete():
    def prepare(w):
        start = label_word(w)
        click_offset(w, start + 2)

    def edit(w, _):
        QTest.keyClick(w.view, Qt.Key.Key_Delete)

    def check(w, _):
        assert manual_spans(w.store) == []
    return prepare, edit, check


def decide(key, state):
    def prepare(w):
        return next_suggestion(w).id

    def edit(w, _):
        QTest.keyClick(w.view, key)

    def check(w, span_id):
        assert on_disk(w.store, "SELECT state FROM spans WHERE id = ?", span_id) == [(state,)]
    return prepare, edit, check


def status(how, expected):
    def prepare(w):
        if expected == "in_progress":  # reopen: the article must be done first
            article_id = w.session.article.id
            QTest.keyClick(w, Qt.Key.Key_Return, CTRL)  # done, and on to the next one
            w.panel.articleActivated.emit(article_id)  # back to it, as a click in the list
            assert w.session.article.status == "done"
        return w.session.article.id

    def edit(w, _):
        how(w)

    def check(w, article_id):
        assert on_disk(w.store, "SELECT status FROM articles WHERE id = ?",
                       article_id) == [(expected,)]
    return prepare, edit, check


def add_event():
    def prepare(w):
        double_click_word(w, "strike")

    def edit(w, _):
        QTest.keyClick(w.view, "A")

    def check(w, _):
        assert on_disk(w.store, "SELECT type FROM events") == [("Conflict.Attack",)]
        assert manual_spans(w.store) == [("Conflict.Attack",)]
    return prepare, edit, check


def undo():
    def prepare(w):
        label_word(w)
        assert manual_spans(w.store) == [("GPE",)]

    def edit(w, _):
        QTest.keyClick(w, Qt.Key.Key_Z, CTRL)

    def check(w, _):
        assert manual_spans(w.store) == []
    return prepare, edit, check


def redo():
    def prepare(w):
        label_word(w)
        QTest.keyClick(w, Qt.Key.Key_Z, CTRL)
        assert manual_spans(w.store) == []

    def edit(w, _):
        QTest.keyClick(w, Qt.Key.Key_Z, CTRL | SHIFT)

    def check(w, _):
        assert manual_spans(w.store) == [("GPE",)]
    return prepare, edit, check


CASES = {
    "add span": add_span(),
    "relabel": relabel(),
    "delete": delete(),
    "accept": decide("a", "accepted"),
    "reject": decide("x", "rejected"),
    "mark done": status(lambda w: QTest.keyClick(w, Qt.Key.Key_Return, CTRL), "done"),
    "skip": status(lambda w: QTest.keyClick(w, Qt.Key.Key_Return, CTRL | SHIFT), "skipped"),
    "reopen": status(lambda w: w.actions.reopen.trigger(), "in_progress"),
    "add event": add_event(),
    "undo": undo(),
    "redo": redo(),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_an_edit_waits_for_another_writer_and_saves(qtbot, window, boxes, kind):
    prepare, edit, check = CASES[kind]
    context = prepare(window)
    saved_before = window.status.saved_label.text()
    locker = hold_the_lock(window.store.path)
    # The other writer lets go once the window says it waits for it (not after a fixed time:
    # the window's events run while it waits, so this timer fires inside the key press).
    while_held = {}

    def let_go_once_waiting():
        if not window.status.currentMessage().startswith("Waiting for "):
            return
        releaser.stop()
        while_held["landed"] = _landed(check, window, context)
        while_held["saved label"] = window.status.saved_label.text()
        locker.stdin.close()

    releaser = QTimer(interval=5, timeout=let_go_once_waiting)
    releaser.start()
    edit(window, context)
    # The window may wait in the background; whatever it does, the edit lands once the
    # other writer lets go, and it is said to be saved.
    qtbot.waitUntil(lambda: _landed(check, window, context), timeout=10_000)
    releaser.stop()
    assert locker.wait(5) == 0
    assert boxes == []
    assert "locked" not in window.status.currentMessage().lower()
    assert not window.isWindowModified()
    assert window.status.saved_label.text().startswith("Saved")
    # It did wait: while the other writer held the lock the window said so, had not saved
    # the edit, and its "saved" label said it was saving (so the "Saved" above is this
    # edit's); it saved once the lock was let go.
    assert while_held, "the window never said it waits for the other writer"
    assert while_held["landed"] is False
    assert while_held["saved label"] == "Saving…" != saved_before


def _landed(check, window, context) -> bool:
    try:
        check(window, context)
    except AssertionError:
        return False
    return True
