"""Text beyond plain Latin in the real window: emoji (astral, ZWJ sequences, flags), combining
marks, mathematical letters, right-to-left scripts and control characters including NUL.

Qt counts UTF-16 units, the model code points. Where the view asks for a position it is checked
here against a measurement made without the view's own mapping (QFontMetricsF over the text
before the word), and what a gesture selects is checked in SQLite.
"""

import json

import pytest
import regex
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtTest import QTest

from annotator.formats.importer import import_paths
from tests.qt.conftest import open_window, rows

# One line each at the window's width, so that x is the advance of what comes before on it.
EMOJI_LINE = "Ali 👩‍👩‍👧 und 🇩🇪 mit 𝐀𝐁 und 😀😀 met Berlin on e\u0301te."
RTL_LINE = "In שלום and مرحبا the Reuters desk filed."
CONTROL_LINE = "Tabs\u0007 and\u200b zero\ufeff widths: Paris."
NUL_LINE = "Before a NUL \x00 the strike in Basra killed a commander."


def write_jsonl(path, texts):
    path.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )


@pytest.fixture
def unicode_window(qtbot, store, tmp_path):

    source = tmp_path / "unicode.jsonl"
    text = "\n\n".join([EMOJI_LINE, RTL_LINE, CONTROL_LINE, NUL_LINE])
    write_jsonl(source, [text])
    report = import_paths(store, [source])
    assert report.articles == 1
    win = open_window(qtbot, store)
    assert win.session.article.text == text  # NUL and all, as imported
    return win


def measured_x(view, offset):
    """The x (viewport) where the character at offset is drawn, measured by the font alone:
    the advance of the line's text before it, which counts nothing in UTF-16."""
    text = view.text_layout.text
    line_start = text.rfind("\n", 0, offset) + 1
    metrics = QFontMetricsF(view.text_layout.font)
    return view._origin().x() + metrics.horizontalAdvance(text[line_start:offset])


def point_on(view, offset, nudge=0.3):
    """A viewport point inside the character at offset, nudge of its width from its left."""
    text = view.text_layout.text
    x1, x2 = measured_x(view, offset), measured_x(view, offset + 1)
    y = view._origin().y() + view.text_layout.char_rect(offset).center().y()
    assert x2 > x1, f"{text[offset]!r} has no width to click"
    return QPointF(x1 + (x2 - x1) * nudge, y).toPoint()


def double_click(view, offset, nudge=0.3):
    QTest.mouseDClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        point_on(view, offset, nudge),
    )


def spans_on_disk(window):
    text = window.session.article.text
    found = rows(window.store, "SELECT start, end, label FROM spans ORDER BY id")
    return [(text[s:e], label) for s, e, label in found]


def test_double_click_on_a_word_after_emoji_labels_exactly_that_word(qtbot, unicode_window):
    view, text = unicode_window.view, unicode_window.session.article.text
    berlin = text.index("Berlin")
    # The right half of its last letter too: the character under the pointer counts.
    for offset, nudge in ((berlin + 1, 0.3), (berlin + 5, 0.8)):
        double_click(view, offset, nudge)
        assert view.selection() == (berlin, berlin + 6)
    QTest.keyClick(view, Qt.Key.Key_G)
    assert spans_on_disk(unicode_window) == [("Berlin", "GPE")]
    # Its shading is drawn over the word, where the font puts it.
    [pill] = [
        p
        for paragraph in view.text_layout.paragraphs
        for line in paragraph.lines
        for p in line.pills
    ]
    origin = view._origin().x()
    assert pill.x_text[0] + origin == pytest.approx(measured_x(view, berlin), abs=1.0)
    assert pill.x_text[1] + origin == pytest.approx(measured_x(view, berlin + 6), abs=1.0)


def test_double_click_on_emoji_takes_the_whole_sequence_and_flag(qtbot, unicode_window):
    view, text = unicode_window.view, unicode_window.session.article.text
    family = text.index("👩")
    double_click(view, family, 0.5)
    QTest.keyClick(view, Qt.Key.Key_P)
    flag = text.index("🇩🇪")
    double_click(view, flag, 0.5)
    QTest.keyClick(view, Qt.Key.Key_G)
    maths = text.index("𝐀𝐁")
    double_click(view, maths + 1, 0.5)
    QTest.keyClick(view, Qt.Key.Key_O)
    assert spans_on_disk(unicode_window) == [
        ("👩\u200d👩\u200d👧", "PERSON"),
        ("🇩🇪", "GPE"),
        ("𝐀𝐁", "ORG"),
    ]


def test_keyboard_selection_moves_over_emoji_whole_and_labels_across_them(qtbot, unicode_window):
    view, text = unicode_window.view, unicode_window.session.article.text
    boundaries = {m.start() for m in regex.finditer(r"\X", text)} | {len(text)}
    double_click(view, text.index("Ali") + 1)
    seen = []
    for _ in range(8):
        QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
        start, end = view.selection()
        assert start in boundaries and end in boundaries  # never inside a character
        seen.append(text[start:end])
    assert seen[:4] == [
        "Ali 👩\u200d👩\u200d👧",
        "Ali 👩\u200d👩\u200d👧 und",
        "Ali 👩\u200d👩\u200d👧 und 🇩🇪",
        "Ali 👩\u200d👩\u200d👧 und 🇩🇪 mit",
    ]
    # A plain arrow moves the token cursor: one emoji at a time, never half of one.
    QTest.keyClick(view, Qt.Key.Key_Left)
    start, end = view.selection()
    assert text[start:end] == "😀"
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_O)
    assert spans_on_disk(unicode_window) == [("😀😀 met", "ORG")]


def test_double_click_on_right_to_left_words_and_after_control_characters(qtbot, unicode_window):
    view, text = unicode_window.view, unicode_window.session.article.text
    # Hebrew then Arabic: double-click each word, as drawn right to left.
    for word, key, label in (("שלום", Qt.Key.Key_P, "PERSON"), ("مرحبا", Qt.Key.Key_G, "GPE")):
        start = text.index(word)
        rect = view.text_layout.char_rect(start)  # the first letter, at the word's right end
        point = (QPointF(rect.center().x(), rect.center().y()) + view._origin()).toPoint()
        QTest.mouseDClick(
            view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
        )
        assert view.selection() == (start, start + len(word))
        QTest.keyClick(view, key)
    # After BEL, ZWSP and BOM the next word is where the font puts it.
    paris = text.index("Paris")
    double_click(view, paris + 2)
    QTest.keyClick(view, Qt.Key.Key_G)
    assert spans_on_disk(unicode_window) == [
        ("שלום", "PERSON"),
        ("مرحبا", "GPE"),
        ("Paris", "GPE"),
    ]


def test_event_and_undo_redo_after_a_nul(qtbot, unicode_window):
    """SQLite's length() stopped at U+0000: spans after one were refused as outside the
    article, and an undo that had to put one back lost it."""
    window = unicode_window
    view, text = window.view, window.session.article.text
    strike = text.index("strike", text.index("\x00"))
    double_click(view, strike + 1)
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)  # Conflict.Attack
    assert rows(window.store, "SELECT type FROM events") == [("Conflict.Attack",)]
    assert spans_on_disk(window) == [("strike", "Conflict.Attack")]
    basra = text.index("Basra")
    double_click(view, basra + 1)
    QTest.keyClick(view, Qt.Key.Key_G)
    assert spans_on_disk(window) == [("strike", "Conflict.Attack"), ("Basra", "GPE")]
    # Delete the GPE, undo the delete (the span goes back in), redo, undo again.
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert spans_on_disk(window) == [("strike", "Conflict.Attack")]
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans_on_disk(window) == [("strike", "Conflict.Attack"), ("Basra", "GPE")]
    window.actions.redo.trigger()
    assert spans_on_disk(window) == [("strike", "Conflict.Attack")]
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the label
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the event
    assert spans_on_disk(window) == []
    assert rows(window.store, "SELECT count(*) FROM events") == [(0,)]
    window.actions.redo.trigger()
    window.actions.redo.trigger()
    assert spans_on_disk(window) == [("strike", "Conflict.Attack"), ("Basra", "GPE")]
    assert rows(window.store, "SELECT type FROM events") == [("Conflict.Attack",)]


def test_emoji_are_drawn_in_colour_not_as_boxes(qtbot, unicode_window):
    from PySide6.QtGui import QColor, QFontDatabase

    if "Noto Color Emoji" not in QFontDatabase.families():
        pytest.skip("no colour emoji font (scripts/install-system-deps.sh installs one)")
    view, text = unicode_window.view, unicode_window.session.article.text
    rect = view.text_layout.char_rect(text.index("😀")).translated(view._origin()).toRect()
    image = view.viewport().grab(rect).toImage()
    colours = [
        QColor(image.pixel(x, y)) for x in range(image.width()) for y in range(image.height())
    ]
    # A yellow face: strongly coloured pixels, where a missing glyph is a grey box.
    assert sum(c.saturation() > 120 and c.value() > 120 for c in colours) > 20
