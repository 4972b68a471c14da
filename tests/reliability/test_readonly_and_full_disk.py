"""A project file the app may not write (read-only) and a disk that fills up under an edit:
nothing is said to be saved that is not, the file stays sound, the person is told clearly."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.conftest import on_disk
from tests.reliability.conftest import double_click_word, manual_spans
from tests.reliability.projects import ROOT, make_project


def as_a_user_who_may_not_write(argv: list[str]) -> list[str]:
    """Root may write any file whatever its mode: run as root without the capability that
    allows it (setpriv), so a file with mode 0444 is read-only to the process, as it is to
    a person's own account."""
    if os.geteuid() != 0:
        return argv
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only file cannot be made")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *argv]


@pytest.fixture(scope="module")
def read_only_run(tmp_path_factory):
    """The project, checkpointed into one file, with mode 0444, and what 2 s of the scripted
    person on it printed: (project, its digest before, lines, exit code, stderr). One run
    answers both tests below (they asked the same window the same thing)."""
    project = tmp_path_factory.mktemp("read-only") / "project.db"
    make_project(project)
    conn = sqlite3.connect(project)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.chmod(project, 0o444)
    try:
        before = digest(project)
        yield (project, before, *run_driver_on(project))
    finally:
        os.chmod(project, 0o644)


def run_driver_on(project, seconds: float = 2.0) -> tuple[list[str], int, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                        os.environ.get("PYTHONPATH")])))
    argv = as_a_user_who_may_not_write(
        [sys.executable, "-m", "tests.reliability.driver", str(project), "--seconds",
         str(seconds), "--interval", "20"])
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    return done.stdout.splitlines(), done.returncode, done.stderr


def what_was_said(lines: list[str]) -> list[str]:
    for line in lines:
        if line.startswith(("end", "unopened")):
            head, _, payload = line.partition(" | ")
            return ([head] if line.startswith("unopened") else []) + json.loads(payload)["said"]
    return []


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_read_only_project_acknowledges_nothing_and_stays_as_it_was(read_only_run):
    read_only_project, before, lines, code, stderr = read_only_run
    assert "Traceback" not in stderr, stderr[-3000:]
    assert code in (0, 3), stderr[-3000:]  # ran to its end, or refused to open with a message
    assert [line for line in lines if line.startswith("ack")] == []
    assert digest(read_only_project) == before
    assert on_disk_ok(read_only_project)


def test_a_read_only_project_is_named_and_explained(read_only_run):
    read_only_project, _, lines, _, _ = read_only_run
    said = what_was_said(lines)
    name = read_only_project.name
    told = [text for text in said if name in text and re.search(r"read[- ]?only", text, re.I)]
    assert told, f"nothing said names {name} and says it is read-only: {said}"
    # Told once, not once per key press.
    failures = [line for line in lines if line.startswith("fail")]
    assert len(failures) <= 1, failures[:3]


def on_disk_ok(path) -> bool:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


# -- a full disk ----------------------------------------------------------------------------------

def fill_the_disk(window) -> None:
    """The project file may not grow by another page (PRAGMA max_page_count on the window's
    own connection: SQLite then fails a write as on a full disk, SQLITE_FULL). Rejected junk
    suggestions on the last article fill the last pages first, so the next span needs a new
    page. SQL here, not in annotator/: this plays the disk, not the app."""
    conn = window.store.conn
    (pages,), = conn.execute("PRAGMA page_count").fetchall()
    conn.execute(f"PRAGMA max_page_count = {pages}")
    (last,), = conn.execute("SELECT max(id) FROM articles").fetchall()
    try:
        while True:
            conn.execute("INSERT INTO spans (article_id, start, end, label, kind, origin, state) "
                         "VALUES (?, 0, 1, 'GPE', 'entity', 'filler', 'rejected')", (last,))
    except sqlite3.OperationalError as full:
        assert "full" in str(full)


def free_the_disk(window) -> None:
    window.store.conn.execute("PRAGMA max_page_count = 1073741823")


def test_an_edit_on_a_full_disk_is_not_said_saved_and_lands_once_there_is_room(qtbot, window,
                                                                               boxes):
    fill_the_disk(window)
    stack = window.controller.undo_stack
    double_click_word(window, "Baghdad")
    QTest.keyClick(window.view, Qt.Key.Key_G)
    assert manual_spans(window.store) == []
    assert stack.count() == 0
    assert window.isWindowModified() and not window.status.saved_label.text().startswith("Saved")
    assert len(boxes) <= 1  # told, once
    assert on_disk(window.store, "PRAGMA integrity_check") == [("ok",)]
    free_the_disk(window)
    double_click_word(window, "Baghdad")
    QTest.keyClick(window.view, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: manual_spans(window.store) == [("GPE",)])
    assert window.status.saved_label.text().startswith("Saved")


def test_a_full_disk_is_named_and_explained(qtbot, window, boxes):
    fill_the_disk(window)
    double_click_word(window, "Baghdad")
    QTest.keyClick(window.view, Qt.Key.Key_G)
    said = boxes + [window.status.currentMessage()]
    name = window.store.path.name
    assert any(name in text and "full" in text.lower() for text in said), said
