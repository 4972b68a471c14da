"""The selected span's normalizations, attributes and notes, shown read-only beside the
article (brat's N, A and # lines; Prodigy's entity-linking ids)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.formats.importer import import_paths
from tests.qt.conftest import ROOT

INTRO = ROOT / "tests" / "data" / "brat" / "news-tutorial" / "000-introduction.txt"
EMERSON = ROOT / "tests" / "data" / "prodigy-nel-emerson.jsonl"


@pytest.fixture
def window(qtbot, store):
    from annotator.qt.main_window import MainWindow

    report = import_paths(store, [INTRO, EMERSON])
    assert report.ok and not report.skipped
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    win.view.setFocus()
    return win


def click_on(window, phrase: str) -> None:
    start = window.session.article.text.index(phrase)
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, window.view.point_for_offset(start + 2))


def test_clicking_a_span_shows_its_normalization_attributes_and_note(qtbot, window):
    details = window.span_details
    assert not details.isVisible()  # nothing selected yet
    click_on(window, "former Mexican president")
    assert window.view.selected_span().label == "Person"
    assert details.isVisible() and details.geometry().height() < 200
    shown = details.label.text()
    assert "Reference: <b>Wikipedia:64488</b> (Carlos Salinas de Gortari)" in shown
    assert "Attributes: Mention = Nominal; Individual" in shown
    click_on(window, "$100 million")
    assert "Note: <i>100000000 USD</i>" in details.label.text()
    # An event's attributes show on its trigger (A5 Confidence E1 High).
    click_on(window, "moving about")
    assert "Event Transfer-money: Attributes: Confidence = High" in details.label.text()
    QTest.keyClick(window.view, Qt.Key.Key_Escape)
    assert not details.isVisible()


def test_an_entity_linking_answer_shows_its_wikidata_id(qtbot, window):
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # next article
    assert window.session.article.text.startswith("Interestingly, Emerson")
    click_on(window, "Emerson")
    shown = window.span_details.label.text()
    assert "Reference: <b>Q312545</b> (Q312545: Australian tennis player)" in shown
