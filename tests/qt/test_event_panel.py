"""The Events panel: each role row says what fills it and how many; the role waiting for a
filler is highlighted; Delete on an argument row removes that argument only, on an event row
the event; Ctrl+Z brings either back. Rows are clicked and keys pressed on the real panel, and
what is saved is read from SQLite."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.qt.conftest import rows
from tests.qt.test_events_gui import click, select_word


def labelled_attack(window):
    """"strike" as a Conflict.Attack with US (GPE) as Attacker and Baghdad (GPE) as Place."""
    view, text = window.view, window.session.article.text
    body = text.index("Baghdad, Iraq")
    us = select_word(view, text, "US", body)
    QTest.keyClick(view, Qt.Key.Key_G)
    baghdad = select_word(view, text, "Baghdad", body + 20)
    QTest.keyClick(view, Qt.Key.Key_G)
    select_word(view, text, "strike", body)
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_1)
    click(view, us + 1)
    QTest.keyClick(view, Qt.Key.Key_4)
    click(view, baghdad + 1)
    assert arguments(window) == [("Attacker", "US"), ("Place", "Baghdad")]


def arguments(window):
    text = window.session.article.text
    return [(role, text[s:e]) for role, s, e in rows(
        window.store, "SELECT a.role, s.start, s.end FROM event_arguments a "
                      "JOIN spans s ON s.id = a.span_id ORDER BY a.role")]


def click_row(tree, item):
    tree.scrollToItem(item)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     tree.visualItemRect(item).center())


def test_role_rows_name_their_labels_and_count_in_the_texts_own_colour(qtbot, window):
    labelled_attack(window)
    panel = window.event_panel
    event = panel.tree.topLevelItem(0)
    roles = [event.child(n).text(0) for n in range(event.childCount())]
    # "0-n" with a non-breaking hyphen: any number of fillers, never wrapped in two.
    assert roles == [
        "1  Attacker · PERSON, ORG, GPE, NORP · 0\u2011n",
        "2  Target · PERSON, ORG, GPE, FAC, VEHICLE, WEAPON, NORP · 0\u2011n",
        "3  Instrument · WEAPON, VEHICLE · 0\u2011n",
        "4  Place · GPE, LOC, FAC · 0\u2011n",
        "5  Time · DATE, TIME · 0\u2011n",
    ]
    assert event.child(0).child(0).text(0) == "“US” (GPE)"
    for n in range(event.childCount()):  # readable: the tree's own font and text colour
        row = event.child(n)
        assert row.font(0).pointSizeF() == panel.tree.font().pointSizeF()
        assert row.foreground(0).style() == Qt.BrushStyle.NoBrush


def test_the_role_waiting_for_a_filler_is_highlighted_until_filled_or_cancelled(
        qtbot, window):
    labelled_attack(window)
    view, panel = window.view, window.event_panel
    event = panel.tree.topLevelItem(0)
    QTest.keyClick(view, Qt.Key.Key_2)  # Target waits
    target = event.child(1)
    assert target.font(0).bold() and "waiting" in target.text(0)
    assert target.background(0).style() != Qt.BrushStyle.NoBrush
    assert not event.child(0).font(0).bold()
    QTest.keyClick(view, Qt.Key.Key_3)  # Instrument waits instead
    assert not target.font(0).bold() and "waiting" not in target.text(0)
    assert event.child(2).font(0).bold()
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert not any(event.child(n).font(0).bold() for n in range(event.childCount()))
    window.resize(1400, 860)
    QTest.keyClick(view, Qt.Key.Key_4)
    panel.grab().save(str(window.store.path.parent / "event-panel.png"))


def test_delete_on_an_argument_row_removes_that_argument_only_and_undo_restores(
        qtbot, window):
    labelled_attack(window)
    tree = window.event_panel.tree
    place_row = tree.topLevelItem(0).child(3)
    click_row(tree, place_row.child(0))  # "Baghdad" under Place
    assert tree.currentItem().text(0) == "“Baghdad” (GPE)"  # still the row clicked
    QTest.keyClick(tree, Qt.Key.Key_Delete)
    assert arguments(window) == [("Attacker", "US")]
    assert rows(window.store, "SELECT type FROM events") == [("Conflict.Attack",)]
    assert rows(window.store, "SELECT count(*) FROM spans WHERE label = 'GPE'") == [(2,)]
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert arguments(window) == [("Attacker", "US"), ("Place", "Baghdad")]


def test_delete_on_an_event_row_removes_the_event_and_undo_restores_it_whole(qtbot, window):
    labelled_attack(window)
    tree = window.event_panel.tree
    click_row(tree, tree.topLevelItem(0))
    QTest.keyClick(tree, Qt.Key.Key_Delete)
    assert rows(window.store, "SELECT count(*) FROM events") == [(0,)]
    assert arguments(window) == []
    assert rows(window.store, "SELECT count(*) FROM spans WHERE label = 'GPE'") == [(2,)]
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(window.store, "SELECT type FROM events") == [("Conflict.Attack",)]
    assert arguments(window) == [("Attacker", "US"), ("Place", "Baghdad")]
