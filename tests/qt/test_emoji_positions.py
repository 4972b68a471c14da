"""Flags after an emoji: where Qt's cursor positions and its drawn glyphs disagree.

QTextLine.cursorToX puts the boundary between two flags (pairs of regional indicators) that
follow an emoji or a symbol half a flag or more too far right (😀🇩🇪🇫🇷: 🇫🇷 starts at the middle
of 🇩🇪's right half). The layout's fast path trusts cursorToX, so paragraphs with regional
indicators take the glyph-run path, as right-to-left ones do. Over random emoji sequences
(ZWJ, skin tones, keycaps, tag flags, variation selectors) this checks that wherever the fast
path is still taken, cursorToX agrees with the glyph runs, and that clicks and pills follow
the glyphs in the paragraphs routed away from it. Reference positions come from glyph runs
asked with UTF-16 positions computed here, independent of the layout's own mapping.
"""

import json

import pytest
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest

from annotator.core.model import Span
from annotator.formats.importer import import_paths
from annotator.qt.widgets.text_layout import TextLayout
from tests.qt.conftest import open_window, rows

TEXT = "met 😀🇩🇪🇫🇷 Berlin"

EMOJI = [
    "ab",
    " ",
    "😀",
    "🎉",
    "🇩🇪",
    "🇫🇷",
    "\U0001f1e6",  # a lone regional indicator
    "👍🏽",
    "\U0001f3fb",  # a lone skin tone
    "1\ufe0f\u20e3",
    "#\u20e3",
    "\u2764\ufe0f",
    "\u263a",
    "\u263a\ufe0f",
    "©",
    "\u2122\ufe0f",
    "\u2640\ufe0f",
    "👩\u200d👩\u200d👧",
    "👨\u200d💻",
    "🏳\ufe0f\u200d🌈",
    "🧑\u200d🤝\u200d🧑",
    "\u26f9\U0001f3ff\u200d\u2642\ufe0f",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "e\u0301",
    "𝐀",
    "中",
    "\u200b",
]


def u16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def new_layout(text: str) -> TextLayout:
    layout = TextLayout(QFont("DejaVu Sans", 13), QFont("DejaVu Sans", 9))
    layout.set_text(text, 5000.0)
    return layout


def drawn(layout, start, end):
    """Where Qt draws text[start:end] of a one-line, one-paragraph layout, by its glyph runs."""
    line = layout.paragraphs[0].lines[0].line
    a, b = u16(layout.text[:start]), u16(layout.text[:end])
    rects = [r.boundingRect() for r in line.glyphRuns(a, b - a)]
    rects = [r for r in rects if r.width() > 0.3]
    if not rects:
        return None
    return min(r.left() for r in rects), max(r.right() for r in rects)


def clusters(text):
    return [(m.start(), m.end()) for m in regex.finditer(r"\X", text)]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(EMOJI), min_size=1, max_size=7).map("".join))
@example(TEXT)
@example("©🇩🇪🇩🇪")
@example("☺🇫🇷🇫🇷")
def test_the_fast_path_is_taken_only_where_cursor_positions_match_the_glyphs(qapp, text):
    layout = new_layout(text)
    layout.set_spans([Span(i + 1, 1, s, e, "X") for i, (s, e) in enumerate(clusters(text))])
    [paragraph] = layout.paragraphs
    [line] = paragraph.lines
    qt_line = line.line
    for pill in line.pills:
        start, end = pill.span.start, pill.span.end
        glyphs = drawn(layout, start, end)
        if glyphs is None:
            continue  # drawn with no width (ZWSP)
        if not paragraph.by_glyphs:
            cursor = (qt_line.cursorToX(u16(text[:start]))[0], qt_line.cursorToX(u16(text[:end]))[0])
            assert cursor == pytest.approx(glyphs, abs=1.0), (text[start:end], cursor, glyphs)
        # Either way the pill is over the glyphs, and a click on their middle is that character.
        assert pill.x_text == pytest.approx(glyphs, abs=1.0), (text[start:end], pill.x_text)
        middle = (glyphs[0] + glyphs[1]) / 2
        assert layout.offset_at(middle, line.text_height / 2, on_character=True) == start


def test_click_anywhere_on_the_second_flag_gives_the_second_flag(qapp):
    layout = new_layout(TEXT)
    layout.set_spans([])
    second = TEXT.index("🇫🇷")
    left, right = drawn(layout, second, second + 2)
    y = layout.paragraphs[0].lines[0].text_height / 2
    for share in (0.1, 0.25, 0.5, 0.75, 0.9):
        x = left + share * (right - left)
        assert layout.offset_at(x, y, on_character=True) == second, share
    # A press on its left half is before it, on its right half after it (a drag's ends).
    assert layout.offset_at(left + 0.25 * (right - left), y) == second
    assert layout.offset_at(left + 0.75 * (right - left), y) == second + 2


def test_pills_of_both_flags_and_of_the_word_after_them_cover_their_glyphs(qapp):
    layout = new_layout(TEXT)
    first, second, berlin = TEXT.index("🇩🇪"), TEXT.index("🇫🇷"), TEXT.index("Berlin")
    ranges = [(first, first + 2), (second, second + 2), (berlin, berlin + 6)]
    layout.set_spans([Span(i + 1, 1, s, e, "GPE") for i, (s, e) in enumerate(ranges)])
    pills = {pill.span.start: pill for pill in layout.paragraphs[0].lines[0].pills}
    for start, end in ranges:
        assert pills[start].x_text == pytest.approx(drawn(layout, start, end), abs=1.0)
    # char_rect (scrolling, event arcs) says the same.
    rect = layout.char_rect(second)
    assert (rect.left(), rect.right()) == pytest.approx(drawn(layout, second, second + 2), abs=1.0)


def test_paragraphs_without_flags_or_right_to_left_text_keep_the_fast_path(qapp):
    text = "Plain news.\nÜber München, 😀 and 👩\u200d👩\u200d👧.\nПереговоры в Берлине.\n🇩🇪 here"
    layout = new_layout(text)
    assert [p.by_glyphs for p in layout.paragraphs] == [False, False, False, True]


@pytest.fixture
def flags_window(qtbot, store, tmp_path):

    source = tmp_path / "flags.jsonl"
    source.write_text(json.dumps({"id": "f", "text": TEXT}) + "\n", encoding="utf-8")
    import_paths(store, [source])
    win = open_window(qtbot, store)
    return win


def test_double_click_on_the_second_flag_in_the_window_stores_it(qtbot, flags_window):
    """Before, a double-click on the left part of 🇫🇷 stored 🇩🇪."""
    view = flags_window.view
    second = TEXT.index("🇫🇷")
    left, right = drawn(view.text_layout, second, second + 2)
    y = view._origin().y() + view.text_layout.char_rect(0).center().y()
    for share, key in ((0.3, Qt.Key.Key_G), (0.7, Qt.Key.Key_O)):
        point = QPointF(view._origin().x() + left + share * (right - left), y).toPoint()
        QTest.mouseDClick(
            view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
        )
        QTest.keyClick(view, key)
    found = rows(flags_window.store, "SELECT start, end, label FROM spans ORDER BY id")
    assert [(TEXT[s:e], label) for s, e, label in found] == [("🇫🇷", "GPE"), ("🇫🇷", "ORG")]
    # Each pill sits under 🇫🇷, not half over 🇩🇪.
    for pill in view.text_layout.paragraphs[0].lines[0].pills:
        assert pill.x_text == pytest.approx((left, right), abs=1.0)
