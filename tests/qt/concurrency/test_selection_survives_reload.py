"""Regression (found in review): the live reload (another process committing, e.g. a suggestion job on
other articles every few hundred ms) must not take the person's selection away between the
drag and the label key."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.core.model import Span
from annotator.store import open_project
from tests.qt.conftest import rows
from tests.qt.test_labelling import drag


def test_a_selection_survives_a_change_elsewhere(qtbot, window):
    text = window.session.article.text
    at = text.index("Pentagon")
    drag(qtbot, window.view, at + 1, at + 5)
    other = open_project(window.store.path)
    other_article = window.session.article.id + 1
    other.insert_span(Span(None, other_article, 0, 6, "ORG"))  # elsewhere, not this article
    other.close()
    qtbot.waitUntil(lambda: window.live.version == window.store.data_version(), timeout=1500)
    qtbot.wait(50)
    QTest.keyClick(window.view, Qt.Key.Key_O)
    assert rows(window.store, f"SELECT label FROM spans WHERE article_id = "
                f"{window.session.article.id}") == [("ORG",)]
