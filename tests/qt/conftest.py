from pathlib import Path

import pytest

from annotator.formats.importer import import_paths
from tests.conftest import on_disk

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"


@pytest.fixture
def project(store, tmp_path):
    """A project holding the founding article and two short ones after it."""
    import_paths(store, [SEED])
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "b.txt").write_text("Second article\n\nProtesters gathered in Basra on Friday.\n")
    (extra / "c.txt").write_text("Third article\n\nThe Pentagon said the strike was lawful.\n")
    import_paths(store, [extra])
    return store


def open_window(qtbot, store):
    """The main window on `store`, shown, active, the article view holding the keyboard."""
    from annotator.qt.main_window import MainWindow

    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.view.setFocus()
    return win


@pytest.fixture
def window(qtbot, project):
    return open_window(qtbot, project)


rows = on_disk  # what is on disk, read through a connection of our own


@pytest.fixture(autouse=True)
def no_blocking_message_boxes(monkeypatch):
    """A static QMessageBox runs its own event loop and would hang the suite offscreen (no one
    clicks it): fail instead with what it said. A test that expects one patches it itself."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(kind):
        def box(parent, title, text, *args, **kwargs):
            raise AssertionError(f"unexpected {kind} message box: {title}: {text}")
        return box

    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, refuse(kind))
