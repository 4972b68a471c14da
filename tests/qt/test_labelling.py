"""Labelling in the real article view: mouse, keyboard, palette, undo; checked in SQLite."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.qt.conftest import rows


def drag(qtbot, view, start: int, end: int) -> None:
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.point_for_offset(start))
    QTest.mouseMove(viewport, view.point_for_offset(end))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       view.point_for_offset(end))


def spans_on_disk(store):
    return rows(store, "SELECT article_id, start, end, label, origin FROM spans ORDER BY id")


def test_drag_across_kataib_hezbollah_and_press_org_key(qtbot, window):
    text = window.session.article.text
    start = text.index("Kataib Hezbollah")
    # Start inside "Kataib" and stop inside "Hezbollah": snapping widens to whole tokens.
    drag(qtbot, window.view, start + 2, start + len("Kataib Hezbol"))
    QTest.keyClick(window.view, Qt.Key.Key_O)
    assert spans_on_disk(window.store) == [(1, start, start + 16, "ORG", "manual")]
    assert window.view.spans[0].label == "ORG"
    assert window.palette_widget.chips["ORG"].count == 1
    assert not window.isWindowModified()
    assert "Saved" in window.status.saved_label.text()

    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans_on_disk(window.store) == []
    assert window.view.spans == []
    QTest.keyClick(window, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert spans_on_disk(window.store) == [(1, start, start + 16, "ORG", "manual")]


def test_double_click_a_word_then_click_a_palette_chip(qtbot, window):
    text = window.session.article.text
    start = text.index("Pentagon")
    QTest.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, window.view.point_for_offset(start + 3))
    qtbot.mouseClick(window.palette_widget.chips["ORG"], Qt.MouseButton.LeftButton)
    assert spans_on_disk(window.store) == [(1, start, start + 8, "ORG", "manual")]


def test_keyboard_only_token_cursor_extends_with_shift(qtbot, window):
    view = window.view
    text = window.session.article.text
    QTest.keyClick(view, Qt.Key.Key_Right)  # the token cursor appears on the first token
    QTest.keyClick(view, Qt.Key.Key_Right)  # "Drone"
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # "Drone Strike"
    QTest.keyClick(view, Qt.Key.Key_W)
    [(article, start, end, label, _)] = spans_on_disk(window.store)
    assert (text[start:end], label) == ("Drone Strike", "WEAPON")


def test_select_a_span_relabel_it_and_delete_it_by_key(qtbot, window):
    text = window.session.article.text
    start = text.index("Baghdad")
    window.view.set_text_selection(start, start + 7)
    QTest.keyClick(window.view, Qt.Key.Key_L)
    window.view.clear_selection()
    # Clicking the labelled text selects the span; a label key relabels it.
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, window.view.point_for_offset(start + 2))
    assert window.view.selected_span().label == "LOC"
    QTest.keyClick(window.view, Qt.Key.Key_G)
    assert [s[3] for s in spans_on_disk(window.store)] == ["GPE"]
    QTest.keyClick(window.view, Qt.Key.Key_Tab)
    QTest.keyClick(window.view, Qt.Key.Key_Delete)  # the text has the keyboard
    assert spans_on_disk(window.store) == []
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s[3] for s in spans_on_disk(window.store)] == ["GPE"]
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s[3] for s in spans_on_disk(window.store)] == ["LOC"]


def test_undo_after_switching_article_goes_back_to_it(qtbot, window):
    text = window.session.article.text
    start = text.index("Jordan")
    window.view.set_text_selection(start, start + 6)
    QTest.keyClick(window.view, Qt.Key.Key_G)
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.session.article.id == 2
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.article.id == 1
    assert spans_on_disk(window.store) == []
    assert rows(window.store, "SELECT status, n_spans FROM articles WHERE id = 1") == [("new", 0)]


def test_snapping_off_keeps_a_partial_word(qtbot, window):
    text = window.session.article.text
    start = text.index("Hezbollah")
    QTest.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert not window.actions.snap.isChecked()
    drag(qtbot, window.view, start, start + 3)
    QTest.keyClick(window.view, Qt.Key.Key_O)
    [(_, s, e, _, _)] = spans_on_disk(window.store)
    assert text[s:e] == "Hez"


def test_label_key_without_selection_explains_and_saves_nothing(qtbot, window):
    QTest.keyClick(window.view, Qt.Key.Key_P)
    assert spans_on_disk(window.store) == []
    assert "Select some text" in window.status.currentMessage()


def test_nested_and_overlapping_spans_get_their_own_lanes(qtbot, window):
    text = window.session.article.text
    outer = text.index("Iran-Backed Militia Leader")
    window.view.set_text_selection(outer, outer + len("Iran-Backed Militia Leader"))
    window.controller.apply_label("ORG")
    window.view.set_text_selection(outer, outer + 4)
    window.controller.apply_label("GPE")
    line = window.view.text_layout.paragraphs[0].lines[0]
    lanes = {pill.span.label: pill.rect.top() for pill in line.pills}
    assert set(lanes) == {"ORG", "GPE"} and lanes["ORG"] != lanes["GPE"]
    assert line.lanes == 2
