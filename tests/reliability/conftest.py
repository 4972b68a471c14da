"""Shared by the reliability tests: a project to edit and the driver as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from annotator.store import open_project
from tests.conftest import on_disk
from tests.reliability.ledger import Ledger
from tests.reliability.projects import ROOT, make_project


@pytest.fixture
def project(tmp_path) -> Path:
    path = tmp_path / "project.db"
    make_project(path)
    return path


def start_driver(project: Path, *args: str, watchdog: float = 120) -> subprocess.Popen:
    """The driver (tests/reliability/driver.py) in a process of its own, its stdout a pipe
    read line by line; killed by a watchdog if it hangs, so a stuck run fails, not hangs."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                        os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.driver", str(project), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1, cwd=ROOT, env=env)
    timer = threading.Timer(watchdog, proc.kill)
    timer.daemon = True
    timer.start()
    proc.watchdog = timer  # type: ignore[attr-defined]
    return proc


def finish(proc: subprocess.Popen, ledger: Ledger) -> str:
    """Read what is left of the driver's stdout into the ledger; returns its stderr."""
    for line in proc.stdout:
        ledger.feed(line)
    proc.wait()
    proc.watchdog.cancel()  # type: ignore[attr-defined]
    return proc.stderr.read()


# -- the real window in this process (pytest-qt) ----------------------------------------------

@pytest.fixture
def store(tmp_path):
    path = tmp_path / "project.db"
    make_project(path, suggestions_per_article=10)
    project = open_project(path)
    yield project
    project.close()


@pytest.fixture
def boxes(monkeypatch):
    """Any message box the window shows (offscreen, one would wait for a click forever)."""
    shown = []
    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind,
                            lambda parent, title, text, *a, kind=kind, **k:
                            shown.append(f"{kind}: {title}: {text}"))
    return shown


@pytest.fixture
def window(qtbot, store, boxes):
    from annotator.qt.main_window import MainWindow

    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    # The article about the strike in Baghdad, opened as a click in the list would.
    (article_id,), = on_disk(store, "SELECT id FROM articles WHERE text LIKE '%Kataib%'")
    win.panel.articleActivated.emit(article_id)
    assert win.session.article.id == article_id
    win.view.setFocus()
    return win


def double_click_word(window, word: str) -> int:
    start = window.session.article.text.index(word)
    window.view.ensure_visible(start)
    QTest.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, window.view.point_for_offset(start + 1))
    assert window.view.selection() == (start, start + len(word))
    return start


def click_offset(window, offset: int) -> None:
    window.view.clear_selection()
    window.view.ensure_visible(offset)
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, window.view.point_for_offset(offset))


def label_word(window, word="Baghdad", key=Qt.Key.Key_G) -> int:
    start = double_click_word(window, word)
    QTest.keyClick(window.view, key)
    return start


def manual_spans(store):
    return on_disk(store, "SELECT label FROM spans WHERE origin = 'manual' ORDER BY id")


