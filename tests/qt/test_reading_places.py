"""Each article's reading place: leave an article and come back, or close the window and open
the project again, and the text is shown from where it was. Places are written when an
article is left or the window closes (never while scrolling), and never wait for the lock."""

import sqlite3
import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store import open_project
from tests.qt.conftest import open_window, rows
from tests.timing import slack


def scroll_down(window, fraction=0.5):
    bar = window.view.verticalScrollBar()
    assert bar.maximum() > 200, "the founding article must be taller than the view"
    bar.setValue(int(bar.maximum() * fraction))
    return window.view.first_visible_offset()


def places_on_disk(store):
    return dict(rows(store, "SELECT key, value FROM meta WHERE key LIKE 'reading_place:%'"))


def test_leaving_an_article_and_coming_back_shows_it_where_it_was(qtbot, window):
    window.resize(900, 500)  # short enough for the founding article to scroll
    first = window.session.article.id
    place = scroll_down(window)
    assert place > 0 and places_on_disk(window.store) == {}  # scrolling writes nothing
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.session.article.id != first
    assert window.view.verticalScrollBar().value() == 0  # a new article from its start
    assert places_on_disk(window.store) == {f"reading_place:{first}": str(place)}
    QTest.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.session.article.id == first
    assert window.view.first_visible_offset() == place


def test_the_place_survives_closing_and_reopening_the_project(qtbot, project):
    window = open_window(qtbot, project)
    window.resize(900, 500)
    place = scroll_down(window, 0.7)
    window.close()
    again = open_project(project.path)
    try:
        reopened = open_window(qtbot, again)
        reopened.resize(900, 500)
        assert reopened.session.article.id == window.session.article.id
        assert reopened.view.first_visible_offset() == place
        # Another width wraps the text anew: the same text stays on top.
        reopened.resize(1300, 700)
        assert abs(reopened.view.first_visible_offset() - place) < 120
        reopened.close()
    finally:
        again.close()


def test_a_place_never_waits_for_another_writer_and_is_saved_with_the_next(qtbot, window):
    window.resize(900, 500)
    first = window.session.article.id
    place = scroll_down(window)
    other = sqlite3.connect(window.store.path)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        began = time.monotonic()
        QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
        assert time.monotonic() - began < 1.0 * slack()  # a write would wait 120 s here
        assert window.session.article.id != first
    finally:
        other.rollback()
        other.close()
    assert places_on_disk(window.store) == {}
    assert window.controller.places.unsaved == {first: place}
    second = window.session.article.id
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    saved = places_on_disk(window.store)
    assert saved[f"reading_place:{first}"] == str(place)
    assert window.controller.places.unsaved == {} and second != window.session.article.id
