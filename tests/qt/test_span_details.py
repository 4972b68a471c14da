"""The selected span's normalizations, attributes and notes as imported, shown in the side
panel's fields (brat's N, A and # lines; Prodigy's entity-linking ids); editing them is
tests/qt/test_attributes_gui.py's."""

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
    assert details.isVisible() and details.geometry().height() < 320
    form = details.form
    # The conf's attributes are the schema's now: a combo and a check box, set as imported.
    assert form.fields["Mention"].currentText() == "Nominal"
    assert form.fields["Individual"].isChecked()
    assert form.kb.text() == "Wikipedia:64488"
    assert "https://en.wikipedia.org/?curid=64488" in form.link.text()
    click_on(window, "$100 million")
    assert details.form.note.toPlainText() == "100000000 USD"
    # An event's attributes show on its trigger (A5 Confidence E1 High).
    click_on(window, "moving about")
    assert details.target.table == "events"
    assert details.form.fields["Confidence"].currentText() == "High"
    assert details.form.kb is None  # an id is for spans
    QTest.keyClick(window.view, Qt.Key.Key_Escape)
    assert not details.isVisible()


def test_an_entity_linking_answer_shows_its_wikidata_id(qtbot, window):
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # next article
    assert window.session.article.text.startswith("Interestingly, Emerson")
    click_on(window, "Emerson")
    form = window.span_details.form
    assert form.kb.text() == "Q312545"
    assert "https://www.wikidata.org/wiki/Q312545" in form.link.text()
