"""A redo that waits for the write lock while another program writes a span must land, and
never show a raw "UNIQUE constraint failed" (issue 10): its checks run again inside its
transaction, and ids are never given twice."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.qt.conftest import rows
from tests.qt.test_undo_history import CTRL, ctrl_z, key, label


def test_a_redo_that_waits_is_checked_inside_its_transaction(qtbot, window, monkeypatch):
    boxes = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text, *a, **k: boxes.append(text))
    label(window, "Pentagon", Qt.Key.Key_O)
    (span_id,) = rows(window.store, "SELECT id FROM spans")[0]
    ctrl_z(window)
    article = window.session.article.id
    # Another program (an import, a suggestion job) writes a span while the redo waits: it
    # takes the lock, then inserts (the freed id is the next one), commits 1 s later.
    taker = f"""
import sqlite3, time
c = sqlite3.connect({str(window.store.path)!r}, isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO spans (article_id, start, end, label) VALUES ({article}, 0, 3, 'ORG')")
print("locked", flush=True)
time.sleep(1.0)
c.execute("COMMIT")
"""
    import subprocess, sys
    other = subprocess.Popen([sys.executable, "-c", taker], stdout=subprocess.PIPE, text=True)
    assert other.stdout.readline().strip() == "locked"
    key(window, Qt.Key.Key_Y, CTRL)  # checks now (id free), then waits ~1.8 s
    other.wait(timeout=10)
    # Ids are never given twice (migration 0008): the other's span got a new one, and the redo,
    # checked again once it held the lock, put the person's span back under its own.
    assert not any("UNIQUE constraint" in b for b in boxes), boxes
    assert rows(window.store, "SELECT id, start FROM spans ORDER BY id")[0][0] == span_id
    assert len(rows(window.store, "SELECT id FROM spans")) == 2
