"""Edit › Settings… and View › Zoom driven as a person would: the dialog's widgets, the keys;
what the window then draws (line heights, the palette, pixels of the tags), what QSettings keeps
for the next start, and the keys the project keeps in its schema (read back from SQLite)."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit

from annotator.qt import preferences, theme
from annotator.qt.dialogs.keys_help import row_keys
from annotator.qt.user_settings import user_settings
from tests.qt.conftest import open_window, rows
from tests.qt.test_keymap_gui import menu_actions

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def own_preferences():
    """Every test starts from the defaults and leaves them (QSettings outlives a test; the
    application's palette and style too)."""

    def clear():
        settings = user_settings()
        for key, _ in preferences._KEYS.values():
            settings.remove(key)

    clear()
    yield
    clear()
    theme.apply_theme(preferences.SYSTEM)


def active(qtbot, window):
    """The window takes window shortcuts once it is the active one (the events that make
    it so are processed first)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def line_height(window) -> float:
    text = window.session.article.text
    return window.view.text_layout.char_rect(text.index("Baghdad, Iraq")).height()


def ok(dialog) -> None:
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_a_larger_text_size_grows_the_lines_at_once_laid_out_once(qtbot, window, monkeypatch):
    before = line_height(window)
    layouts = []
    real = window.view.text_layout.set_text
    monkeypatch.setattr(window.view.text_layout, "set_text",
                        lambda *args: layouts.append(1) or real(*args))
    dialog = window.settings.open()
    qtbot.addWidget(dialog)
    size = dialog.size.value()
    dialog.size.setFocus()
    for _ in range(8):  # eight steps of 0.5 pt up, from the keyboard
        QTest.keyClick(dialog.size, Qt.Key.Key_Up)
    assert dialog.size.value() == pytest.approx(size + 4)
    # Shown before OK: eight changes, eight layouts (one each), lines taller by the size.
    grown = line_height(window)
    assert grown > before * (size + 3) / size
    assert len(layouts) == 8
    ok(dialog)
    assert len(layouts) == 8  # OK keeps what is shown: no layout more
    assert user_settings().value("view/font_size", 0.0, float) == pytest.approx(size + 4)


def test_cancel_puts_back_what_was_shown(qtbot, window):
    before = line_height(window)
    dialog = window.settings.open()
    qtbot.addWidget(dialog)
    dialog.tag_size.setValue(90)
    dialog.zoom.setCurrentIndex(dialog.zoom.findData(150))
    assert line_height(window) > before * 1.4
    dialog.reject()
    assert line_height(window) == pytest.approx(before)
    assert user_settings().value("view/zoom") is None  # nothing kept


def test_ctrl_equals_zooms_and_a_new_window_opens_zoomed(qtbot, project):
    window = active(qtbot, open_window(qtbot, project))
    before = line_height(window)
    QTest.keyClick(window, Qt.Key.Key_Equal, CTRL)
    QTest.keyClick(window, Qt.Key.Key_Equal, CTRL)
    zoomed = line_height(window)
    assert zoomed > before * 1.2  # 125 %
    assert "Zoom 125 %" in window.status.currentMessage()
    view_menu = {a.objectName(): a for a in menu_actions(window)}
    assert view_menu["view.zoom_in"].shortcut().toString() == "Ctrl+="
    window.close()

    again = active(qtbot, open_window(qtbot, project))
    assert line_height(again) == pytest.approx(zoomed)
    QTest.keyClick(again, Qt.Key.Key_Minus, CTRL)
    assert before < line_height(again) < zoomed
    QTest.keyClick(again, Qt.Key.Key_0, CTRL)
    assert line_height(again) == pytest.approx(before)
    assert user_settings().value("view/zoom", 0, int) == 100


def relative_luminance(rgb) -> float:
    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def fill_and_ink(image, rect):
    """The colour most pixels of `rect` have (the fill) and, of the rest, the one that
    contrasts most with it (the text's ink: a glyph's solid middle)."""
    counts = {}
    for y in range(int(rect.top()) + 1, int(rect.bottom())):
        for x in range(int(rect.left()) + 1, int(rect.right())):
            colour = image.pixelColor(x, y)
            key = (colour.red(), colour.green(), colour.blue())
            counts[key] = counts.get(key, 0) + 1
    fill = max(counts, key=counts.get)
    ink = max(counts, key=lambda c: contrast_ratio(c, fill))
    return fill, ink


@pytest.mark.parametrize("choice", ["dark", "light"])
def test_the_theme_changes_the_palette_and_the_tags_stay_readable(qtbot, window, choice):
    view, text = window.view, window.session.article.text
    for words, key in (("Kataib Hezbollah", Qt.Key.Key_O), ("Baghdad", Qt.Key.Key_G),
                       ("Joe Biden", Qt.Key.Key_P), ("Pentagon", Qt.Key.Key_O)):
        start = text.index(words)
        view.set_text_selection(start, start + len(words))
        QTest.keyClick(view, key)
    assert len(view.spans) == 4
    dialog = window.settings.open()
    qtbot.addWidget(dialog)
    dialog.theme.setCurrentIndex(dialog.theme.findData(choice))
    ok(dialog)
    qtbot.wait(10)  # the new palette reaches the widgets through posted events
    palette = QApplication.palette()
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 100
    assert dark is (choice == "dark")
    assert (view.palette().color(QPalette.ColorRole.Base).lightness() < 60) is dark
    image = view.viewport().grab().toImage()
    corner = image.pixelColor(3, 3)  # the margin: the view's background
    assert (corner.lightness() < 60) is dark
    # Every tag's name, and the article's text on each span's wash, at least 4.5:1.
    origin = view._origin()
    checked = 0
    for paragraph in view.text_layout.paragraphs:
        for line in paragraph.lines:
            for pill in line.pills:
                lane_top = paragraph.top + line.y + line.text_height
                tag = pill.rect.translated(origin.x(), origin.y() + lane_top)
                fill, ink = fill_and_ink(image, tag)
                assert contrast_ratio(fill, ink) >= 4.5, (pill.span.label, fill, ink)
                x1, x2 = pill.x_text
                top = origin.y() + paragraph.top + line.y
                wash = tag.adjusted(0, 0, 0, 0)
                wash.setCoords(origin.x() + x1, top, origin.x() + x2, top + line.text_height)
                fill, ink = fill_and_ink(image, wash)
                assert contrast_ratio(fill, ink) >= 4.5, (pill.span.label, fill, ink)
                checked += 1
    assert checked == 4
    assert user_settings().value("view/theme") == choice


def test_a_key_pressed_in_the_key_map_editor_works_in_menus_f1_the_text_and_the_project(
    qtbot, window
):
    view, text = window.view, window.session.article.text
    start = text.index("Pentagon")
    view.set_text_selection(start, start + len("Pentagon"))
    QTest.keyClick(view, Qt.Key.Key_O)
    QTest.keyClick(view, Qt.Key.Key_Escape)
    dialog = window.settings.open()
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.keys)
    editor = dialog.keys

    # p is PERSON's key: refused, with the reason, and nothing changes.
    editor.select("review.accept")
    QTest.keyClick(editor.key_edit, Qt.Key.Key_P)
    assert "not given" in editor.message.text() and "PERSON" in editor.message.text()
    assert editor.keymap.keys("review.accept") == ("a",)
    # A menu shortcut another command has: refused too.
    editor.select("article.search")
    QTest.keyClick(editor.key_edit, Qt.Key.Key_Z, CTRL)
    assert "edit.undo" in editor.message.text()
    assert editor.keymap.keys("article.search") == ("Ctrl+Shift+F",)
    # Free keys are taken.
    editor.select("review.accept")
    QTest.keyClick(editor.key_edit, Qt.Key.Key_H)
    editor.select("span.next")
    QTest.keyClick(editor.key_edit, Qt.Key.Key_S)
    assert editor.keymap.keys("review.accept") == ("h",)
    assert editor.table.item(editor.actions.index("span.next"), 2).text() == "s"  # lower case: not Shift+S
    ok(dialog)

    # The menu shows the new key, F1 says it, the old one is gone from both.
    actions = {a.objectName(): a for a in menu_actions(window)}
    assert actions["review.accept"].shortcut().toString() == "H"
    help_dialog = window.show_keys()
    qtbot.addWidget(help_dialog)
    help_rows = {row.action: row_keys(row) for row in help_dialog.rows if row.action}
    assert help_rows["review.accept"] == "h" and help_rows["span.next"] == "s"
    # In the article view: s goes to the next span (Tab did), Tab does nothing now.
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected_span() is None
    QTest.keyClick(view, Qt.Key.Key_S)
    assert view.selected_span() is not None and view.selected_span().start == start
    # Kept in the project's schema, on disk.
    [(raw,)] = rows(window.store, "SELECT value FROM meta WHERE key = 'schema'")
    assert json.loads(raw)["keys"] == {"span.next": ["s"], "review.accept": ["h"]}
    window.close()


def test_after_rebinding_accept_the_old_key_a_no_longer_accepts(qtbot, window, tmp_path):
    from annotator.suggest.runner import run_suggestions

    dialog = window.settings.open()
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.keys)
    dialog.keys.select("review.accept")
    QTest.keyClick(dialog.keys.key_edit, Qt.Key.Key_H)
    ok(dialog)
    patterns = tmp_path / "places.tsv"
    patterns.write_text("GPE\tBaghdad\n")
    window.store.add_source("places", "patterns", str(patterns), {})
    run_suggestions(window.store, "places")
    window.follow_changes()
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Space)  # the first suggestion
    assert window.controller.interaction.selected_suggestion() is not None
    before = len(window.session.suggestions)
    QTest.keyClick(window.view, Qt.Key.Key_A)
    assert len(window.session.suggestions) == before, "a still accepts after accept moved to h"
    QTest.keyClick(window.view, Qt.Key.Key_H)
    assert len(window.session.suggestions) == before - 1  # h does
    # Label all… says the keys as they are now.
    label_all = window.find.label_all.open()
    qtbot.addWidget(label_all)
    assert "Space goes to the next, h accepts, x rejects" in " ".join(
        label.text() for label in label_all.findChildren(QLabel))
    label_all.reject()


def test_a_new_window_on_the_project_has_its_keys(qtbot, project):
    window = open_window(qtbot, project)
    dialog = window.settings.open()
    qtbot.addWidget(dialog)
    dialog.keys.select("article.search")
    QTest.keyClick(dialog.keys.key_edit, Qt.Key.Key_K, CTRL)
    ok(dialog)
    window.close()
    again = active(qtbot, open_window(qtbot, project))
    actions = {a.objectName(): a for a in menu_actions(again)}
    assert actions["article.search"].shortcut() == QKeySequence("Ctrl+K")
    QTest.keyClick(again, Qt.Key.Key_K, CTRL)
    assert again.panel.search_box.hasFocus()
    # Back to the defaults: the schema keeps no keys at all.
    dialog = again.settings.open()
    qtbot.addWidget(dialog)
    QTest.mouseClick(dialog.keys.reset_all, Qt.MouseButton.LeftButton)
    ok(dialog)
    [(raw,)] = rows(project, "SELECT value FROM meta WHERE key = 'schema'")
    assert "keys" not in json.loads(raw)
    assert {a.objectName(): a for a in menu_actions(again)}["article.search"].shortcut() == (
        QKeySequence("Ctrl+Shift+F"))


def test_the_snapping_default_is_kept_for_the_next_window(qtbot, project):
    window = open_window(qtbot, project)
    assert window.session.snap_to_tokens and window.actions.snap.isChecked()
    dialog = window.settings.open()
    qtbot.addWidget(dialog)
    QTest.mouseClick(dialog.snap, Qt.MouseButton.LeftButton)
    ok(dialog)
    assert not window.session.snap_to_tokens and not window.actions.snap.isChecked()
    window.close()
    again = open_window(qtbot, project)
    assert not again.session.snap_to_tokens and not again.actions.snap.isChecked()


def test_the_empty_progress_bar_is_no_text_field(qtbot, window):
    bar = window.status.progress_bar
    assert bar.value() == 0
    field = QLineEdit()
    qtbot.addWidget(field)
    field.resize(bar.size())
    field.show()
    image, field_image = bar.grab().toImage(), field.grab().toImage()
    middle = bar.height() // 2
    track = image.pixelColor(bar.width() // 2, middle)
    inside_field = field_image.pixelColor(field.width() // 2, field.height() // 2)
    background = window.status.palette().color(QPalette.ColorRole.Window)
    # Not a field's white inside, and visible against the status bar.
    assert track.rgb() != inside_field.rgb()
    assert abs(track.lightness() - background.lightness()) >= 25
    # Thin: the track's rows are fewer than half of the field's height.
    rows_of_track = sum(image.pixelColor(bar.width() // 2, y).rgb() == track.rgb()
                        for y in range(bar.height()))
    assert rows_of_track < field.height() / 2
    # Once an article is done, the highlight fills its part.
    window.controller.finish_and_next("done")
    image = bar.grab().toImage()
    highlight = bar.palette().color(QPalette.ColorRole.Highlight)
    assert image.pixelColor(6, middle).rgb() == highlight.rgb()


def test_keys_are_named_as_the_key_map_names_them_or_refused_with_why(qtbot, window):
    from PySide6.QtCore import QKeyCombination

    from annotator.qt.widgets.key_map_editor import key_name

    shift, alt = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
    none = Qt.KeyboardModifier.NoModifier

    def named(modifiers, key, scope):
        return key_name(QKeyCombination(modifiers, key), scope)[0]

    assert named(none, Qt.Key.Key_H, "text") == "h"
    assert named(shift, Qt.Key.Key_H, "text") == "H"  # as Shift+letter reaches the view
    assert named(shift, Qt.Key.Key_Backtab, "text") == "Shift+Tab"
    assert named(alt | shift, Qt.Key.Key_Left, "text") == "Alt+Shift+Left"
    assert named(none, Qt.Key.Key_Return, "text") == "Enter"
    assert named(CTRL, Qt.Key.Key_Return, "window") == "Ctrl+Return"
    assert named(none, Qt.Key.Key_F5, "window") == "F5"
    # What the view never reads, and a bare key for a menu shortcut: refused, with why.
    assert named(CTRL, Qt.Key.Key_H, "text") is None
    assert "Ctrl, Alt or Meta" in key_name(QKeyCombination(none, Qt.Key.Key_H), "window")[1]
    # Pressed in the editor: a refusal is said, nothing changes.
    dialog = window.settings.open()
    qtbot.addWidget(dialog)
    dialog.keys.select("article.search")
    QTest.keyClick(dialog.keys.key_edit, Qt.Key.Key_J)
    assert "Ctrl, Alt or Meta" in dialog.keys.message.text()
    assert dialog.keys.keymap.keys("article.search") == ("Ctrl+Shift+F",)
    # Tab is a key like any other here (the editor keeps it from moving the focus).
    dialog.keys.select("span.next")
    dialog.keys.assign("span.next", ["s"])
    dialog.keys.key_edit.setFocus()
    QTest.keyClick(dialog.keys.key_edit, Qt.Key.Key_Tab)
    assert dialog.keys.keymap.keys("span.next") == ("Tab",)
    dialog.reject()


def test_a_command_key_that_opens_a_menu_is_refused_with_the_menu_named(qtbot, window):
    """Alt+V opens the View menu (its title underlines V): a command given it would never
    act, so the key map editor refuses it and says which menu has it."""
    dialog = window.settings.open()
    qtbot.addWidget(dialog)
    dialog.keys.select("article.search")
    QTest.keyClick(dialog.keys.key_edit, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert "Alt+V opens the View menu" in dialog.keys.message.text()
    assert dialog.keys.keymap.keys("article.search") == ("Ctrl+Shift+F",)
    QTest.keyClick(dialog.keys.key_edit, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert dialog.keys.keymap.keys("article.search") == ("Alt+K",)
    dialog.reject()
