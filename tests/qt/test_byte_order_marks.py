"""Text that starts with U+FEFF or U+FFFE reaches Qt unit for unit.

PySide converts a str through UTF-16 and takes a leading U+FEFF for a byte-order mark (drops
it: every position after it moves by one) and a leading U+FFFE for a reversed one (byte-swaps
the whole rest: "Berlin" arrives as "䈀攀爀氀椀渀"). Scraped articles start paragraphs and titles
with either. Checked here in what Qt gives back: the layout's text, the article list's
titles, the review queue's words, the window title, and what a double-click stores.
"""

import json

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtTest import QTest

from annotator.formats.importer import import_paths
from annotator.qt.widgets.text_layout import TextLayout
from tests.qt.conftest import open_window, rows


def u16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def same_units(shown: str, original: str) -> bool:
    """What Qt holds is the original unit for unit, but for the first character's stand-in."""
    return u16(shown) == u16(original) and shown[1:] == original[1:]


@pytest.mark.parametrize("first", ["\ufeff", "\ufffe"])
def test_a_paragraph_reaches_qt_unit_for_unit(qapp, first):
    layout = TextLayout(QFont("DejaVu Sans", 13), QFont("DejaVu Sans", 9))
    text = f"Intro.\n{first}Berlin met Paris."
    layout.set_text(text, 2000.0)
    paragraph = layout.paragraphs[1]
    assert same_units(paragraph.layout.text(), paragraph.text), paragraph.layout.text()


@pytest.fixture
def marked_window(qtbot, store, tmp_path):

    source = tmp_path / "marks.jsonl"
    records = [
        {"id": "a", "title": "\ufffeFlights resume", "text": "\ufffeBerlin met Paris.\n\ufffeParis met Rome."},
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    import_paths(store, [source])
    article = rows(store, "SELECT id FROM articles")[0][0]
    # A suggestion whose words start with U+FFFE, for the review queue.
    with store.write():
        store.replace_suggestions("suggest:test", [article], [(article, 0, 7, "GPE", 0.5)])
    win = open_window(qtbot, store)
    return win


def test_titles_and_span_words_are_not_byte_swapped(qtbot, marked_window):
    win = marked_window
    title = win.panel.model.index(0, 0).data()
    assert same_units(title, "\ufffeFlights resume"), title
    tooltip = win.panel.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert same_units(tooltip, "\ufffeFlights resume"), tooltip
    assert win.windowTitle().startswith("\ufffdFlights resume"), win.windowTitle()
    queue = win.review_queue.model
    qtbot.waitUntil(lambda: queue.rowCount() == 1)
    words = queue.index(0, 0).data()
    assert same_units(words, "\ufffeBerlin"), words
    assert queue.index(0, 0).data(Qt.ItemDataRole.ToolTipRole).startswith("\ufffdBerlin (GPE)")


def test_a_double_click_after_a_leading_u_fffe_stores_the_word_under_the_pointer(
    qtbot, marked_window
):
    """One unit short, every click in the paragraph took the character one to the right."""
    win = marked_window
    view, text = win.view, win.session.article.text
    rome = text.index("Rome")
    layout = view.text_layout
    paragraph = layout.paragraphs[1]
    line = paragraph.lines[0]
    # Where the font puts "Rome": the advance of what is drawn before it, the stand-in for
    # U+FFFE (a replacement character) and "Paris met ".
    metrics = QFontMetricsF(layout.font)
    left = metrics.horizontalAdvance("\ufffd" + paragraph.text[1 : rome - paragraph.start])
    y = paragraph.top + line.y + line.text_height / 2
    point = (QPointF(left + 2, y) + view._origin()).toPoint()
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    QTest.keyClick(view, Qt.Key.Key_G)
    found = rows(win.store, "SELECT start, end FROM spans WHERE state = 'accepted'")
    assert [text[s:e] for s, e in found] == ["Rome"]
