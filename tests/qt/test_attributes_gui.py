"""Attributes, notes and knowledge-base ids edited in the window, as an annotator would: the
founding article's Attack event gets Polarity=Negative by key and Tense in the side panel, a
span gets a note and a Wikidata id; Ctrl+Z undoes each; SQLite, the tooltip, the corpus
search and the exports see them."""

import json

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QDesktopServices, QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from tests.qt.conftest import rows


def select_word(view, text, word, after=0):
    start = text.index(word, after)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      view.point_for_offset(start + 1))
    return start


def meta(store, table):
    return [json.loads(m) for (m,) in rows(store, f"SELECT meta FROM {table} ORDER BY id")]


def attack(window):
    """The Attack event on "strike" in the founding article's first paragraph, selected."""
    view, text = window.view, window.session.article.text
    select_word(view, text, "strike", text.index("Baghdad, Iraq"))
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert rows(window.store, "SELECT type FROM events") == [("Conflict.Attack",)]


def undo(window):
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def tooltip_of(view, offset):
    """The tooltip of the tag under the text at `offset`, asked as Qt asks (a help event)."""
    span = next(s for s in view.spans if s.start <= offset < s.end)
    top = view.point_for_offset(offset)
    for dy in range(0, 80):
        point = QPoint(top.x() + 2, top.y() + dy)
        layout = view._to_layout(QPointF(point))
        if view.text_layout.pill_at(layout.x(), layout.y()) == span:
            where = view.viewport().mapTo(view, point)
            QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, where,
                                                    view.mapToGlobal(where)))
            return QToolTip.text()
    raise AssertionError(f"no tag found under {span}")


def test_polarity_by_key_and_tense_in_the_panel_each_undone(qtbot, window):
    attack(window)
    details = window.span_details
    assert details.isVisible() and details.target.table == "events"
    polarity = details.form.fields["Polarity"]
    assert polarity.currentText() == "(Positive)"  # the default, not stored
    QTest.keyClick(window.view, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert meta(window.store, "events")[0]["attributes"] == {"Polarity": "Negative"}
    assert polarity.currentText() == "Negative"
    assert "Polarity" in window.statusBar().currentMessage()
    # In the panel: Tense, chosen from its combo with the keyboard.
    tense = details.form.fields["Tense"]
    tense.setFocus()
    QTest.keyClick(tense, Qt.Key.Key_Down)  # (Unspecified) -> Past
    assert meta(window.store, "events")[0]["attributes"] == {
        "Polarity": "Negative", "Tense": "Past"}
    undo(window)
    assert meta(window.store, "events")[0]["attributes"] == {"Polarity": "Negative"}
    assert details.form.fields["Tense"].currentText() == "(Unspecified)"
    assert "Polarity: Negative" in tooltip_of(window.view, window.view.selected_span().start)
    undo(window)
    assert meta(window.store, "events") == [{}]
    assert details.form.fields["Polarity"].currentText() == "(Positive)"
    # The menu names the keys the schema gives.
    entries = {a.objectName(): a.shortcut().toString() for a in details.parent().window()
               .attribute_keys.menu.actions() if a.objectName()}
    assert entries["attribute.Polarity"] == "Alt+P" and entries["edit.note"] == "Ctrl+Alt+N"


def test_a_note_and_a_wikidata_id_on_a_span(qtbot, window, monkeypatch):
    view, text = window.view, window.session.article.text
    start = select_word(view, text, "Kataib")
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # + Hezbollah
    QTest.keyClick(view, Qt.Key.Key_O)
    assert window.view.selected_span().label == "ORG"
    form = window.span_details.form
    assert not form.fields  # the news schema gives ORG no attributes
    # The note by key (Ctrl+Alt+N), typed, saved when Tab leaves it.
    QTest.keyClick(window, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert form.note.hasFocus()
    QTest.keyClicks(form.note, "Iran-backed militia")
    QTest.keyClick(form.note, Qt.Key.Key_Tab)
    # The id, typed and confirmed with Enter.
    form.kb.setFocus()
    QTest.keyClicks(form.kb, "Q1530")
    QTest.keyClick(form.kb, Qt.Key.Key_Return)
    [stored] = meta(window.store, "spans")
    assert stored["notes"] == ["Iran-backed militia"]
    assert stored["normalizations"] == [
        {"type": "Reference", "ref": "Q1530", "text": "Kataib Hezbollah"}]
    # A link the person may open; the app itself opens nothing.
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    assert "https://www.wikidata.org/wiki/Q1530" in form.link.text()
    form.link.linkActivated.emit("https://www.wikidata.org/wiki/Q1530")
    assert opened == ["https://www.wikidata.org/wiki/Q1530"]
    tip = tooltip_of(view, start)
    assert "Reference: Q1530" in tip and "Note: Iran-backed militia" in tip
    undo(window)
    assert "normalizations" not in meta(window.store, "spans")[0]
    assert form.kb.text() == ""
    undo(window)
    assert meta(window.store, "spans") == [{}]
    assert form.note.toPlainText() == ""
