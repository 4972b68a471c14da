"""Qt's raster fills stay on the GUI thread (annotator.qt.app.make_app): handing each fill of
96 scan lines or more to a pool of threads and waiting cost more than the fill on a busy
two-core machine (issue 13: every action within one frame). A value the person set is kept."""

import os

import pytest

from annotator.qt.app import make_app


@pytest.fixture(autouse=True)
def names_kept(qapp):
    """make_app names the application and gives it an icon: the test run's are put back."""
    kept = (qapp.applicationName(), qapp.organizationName(), qapp.desktopFileName(),
            qapp.windowIcon())
    yield
    qapp.setApplicationName(kept[0])
    qapp.setOrganizationName(kept[1])
    qapp.setDesktopFileName(kept[2])
    qapp.setWindowIcon(kept[3])


def test_the_window_asks_qt_for_fills_on_its_own_thread(qapp, monkeypatch):
    monkeypatch.delenv("QT_NO_GUI_THREADPOOL", raising=False)
    assert make_app() is qapp
    assert os.environ["QT_NO_GUI_THREADPOOL"] == "1"


def test_a_value_the_person_set_is_kept(qapp, monkeypatch):
    monkeypatch.setenv("QT_NO_GUI_THREADPOOL", "0")
    make_app()
    assert os.environ["QT_NO_GUI_THREADPOOL"] == "0"
