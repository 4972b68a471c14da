"""The menus and F1 help are made from one key map: every menu entry with a shortcut is in F1
help with the same key text, every key help says is in a menu is in one, and the keys of the
text (↑ ↓ Home End, measured on the lines as drawn) reach the core."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from annotator.qt.dialogs.keys_help import row_keys
from tests.qt.conftest import rows


def menu_actions(window):
    """Every action in every menu of the menu bar, sub-menus included."""
    found = []

    def walk(menu):
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())
            elif not action.isSeparator():
                found.append(action)

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu())
    return found


def test_every_menu_shortcut_is_in_f1_help_with_the_same_text_and_back(qtbot, window):
    dialog = window.show_keys()
    qtbot.addWidget(dialog)
    shown = dialog.browser.toPlainText()
    help_keys = {row.action: row_keys(row) for row in dialog.rows if row.action}
    in_menus = {}
    for action in menu_actions(window):
        keys = action.shortcuts()
        if not keys:
            continue
        name = action.objectName()
        assert name in help_keys, f"{action.text()} has a shortcut F1 does not list"
        # What the menu writes beside the entry: the text after a tab, else Qt's for the keys.
        text = action.text().split("\t")[1] if "\t" in action.text() else " / ".join(
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
        assert help_keys[name] == text, (action.text(), text, help_keys[name])
        assert text in shown
        in_menus[name] = text
    wanted = {row.action for row in dialog.rows if row.in_menu}
    assert wanted == set(in_menus), "F1 says these are in a menu: " + str(wanted ^ set(in_menus))
    # The Review menu shows its keys; the ones of the text don't take them from the text.
    review = {a.objectName(): a for a in menu_actions(window) if a.objectName().startswith("review")}
    assert review["review.next"].shortcut().toString() == "Space"
    assert review["review.accept"].shortcut().toString() == "A"  # Qt's name for the key a
    # The menu names it as the key map does: a accepts, Shift+A is Conflict.Attack's.
    assert review["review.accept"].text() == "&Accept suggestion\ta"
    assert review["review.accept"].shortcutContext() == Qt.ShortcutContext.WidgetShortcut
    # The schema's keys too: labels, event types (Shift+letter), the role digits.
    for words in ("Label the selection ORG", "Shift+A", "Add a Conflict.Attack event", "1–6"):
        assert words in shown


def test_f1_opens_the_help_from_the_keyboard(qtbot, window):
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = next(w for w in window.findChildren(type(window.show_keys())) if w.isVisible())
    assert "Ctrl+Right" in dialog.browser.toPlainText()
    dialog.close()


def test_arrow_keys_move_by_drawn_lines_and_home_end_to_their_ends(qtbot, window):
    view, text = window.view, window.session.article.text
    body = text.index("Baghdad, Iraq")
    QTest.keyClick(view, Qt.Key.Key_Right)  # the first visible token: the title's first
    view.set_text_selection(body, body + len("Baghdad"))
    QTest.keyClick(view, Qt.Key.Key_Right)
    first_line = view.text_layout.line_of(
        view.text_layout.paragraphs[view.text_layout.paragraph_index(body)], body)
    QTest.keyClick(view, Qt.Key.Key_End)
    end = window.controller.interaction.selection()[1]
    assert end == first_line.end or text[end:first_line.end].strip() == ""
    QTest.keyClick(view, Qt.Key.Key_Home)
    assert window.controller.interaction.selection()[0] == body
    QTest.keyClick(view, Qt.Key.Key_Down)
    start = window.controller.interaction.selection()[0]
    assert first_line.end <= start  # on the next line as drawn (the paragraph wraps)
    below = view.text_layout.char_rect(start)
    assert abs(below.left() - view.text_layout.char_rect(body).left()) < 40  # same column
    QTest.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert window.controller.interaction.selection()[0] == body
    QTest.keyClick(view, Qt.Key.Key_G)  # labels all it took, two lines' worth
    [(s, e)] = rows(window.store, "SELECT start, end FROM spans")
    assert s == body and e > first_line.end
