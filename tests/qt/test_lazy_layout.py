"""A long article is laid out as it comes near the screen (issue 13: open a long article
within 100 ms): what is on screen first, the rest in idle slices or when something asks for
it. Laid out late, every line must be what an eager layout makes of it; the screen must not
jump while lines above it are laid out; a span added, a line stepped to (Down), a search
hit or a kept reading place far below what is laid out must land where they belong.
"""

import random
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.core.session import Session
from annotator.qt.widgets.screen_place import LAZY_TEXT
from annotator.qt.widgets.text_layout import TextLayout
from annotator.qt.widgets.view_lines import ViewLines
from tests.qt.conftest import SEED, open_window, rows
from tests.qt.test_incremental_updates import fresh_layout, fresh_links, layout_of, stale_pixels

COPIES = 12  # the founding article's paragraphs, twelve times over: 26,000 characters


def add_long_article(store, joiner: str = "\n\n") -> tuple[int, str]:
    """The founding article's paragraphs twelve times: every "Baghdad" a GPE and a LOC (two
    lanes), every capitalised word of the US a GPE, every "strike" an attack whose Place is
    the next "Baghdad", and one attack in the first paragraph whose Place is in the last.
    Joined by a space, they are one paragraph (broken into lines only as far as asked)."""
    paragraphs = SEED.read_text(encoding="utf-8").split("\n\n")[1:]
    text = joiner.join(paragraphs * COPIES)
    assert len(text) > LAZY_TEXT
    cities = [m.start() for m in re.finditer("Baghdad", text)]
    with store.write():
        article_id = store.insert_article_row(
            text, title="long", ext_id="long", digest="long", meta={}, source="test"
        )
        spans = store.conn.executemany
        spans(
            "INSERT INTO spans (article_id, start, end, label) VALUES (?, ?, ?, ?)",
            [(article_id, at, at + 7, label) for at in cities for label in ("GPE", "LOC")]
            + [(article_id, m.start(), m.end(), "GPE") for m in re.finditer(r"\bUS\b", text)],
        )
        place_of = {
            at: store.conn.execute(
                "SELECT id FROM spans WHERE article_id = ? AND start = ? AND label = 'GPE'",
                (article_id, at),
            ).fetchone()[0]
            for at in cities
        }
        strikes = [m.start() for m in re.finditer(r"\bstrike\b", text)]
        pairs = [(at, next((c for c in cities if c > at), cities[-1])) for at in strikes]
        pairs.append((strikes[0], cities[-1]))  # across the whole article
        for at, city in pairs:
            trigger = store.conn.execute(
                "INSERT INTO spans (article_id, start, end, label, kind) "
                "VALUES (?, ?, ?, 'Conflict.Attack', 'trigger')",
                (article_id, at, at + 6),
            ).lastrowid
            event = store.conn.execute(
                "INSERT INTO events (article_id, type, trigger_id) VALUES (?, 'Conflict.Attack', ?)",
                (article_id, trigger),
            ).lastrowid
            store.conn.execute(
                "INSERT INTO event_arguments (event_id, role, span_id) VALUES (?, 'Place', ?)",
                (event, place_of[city]),
            )
    return article_id, text


@pytest.fixture
def long_window(qtbot, project):
    article_id, _ = add_long_article(project)
    window = open_window(qtbot, project)
    window.long_id = article_id
    return window


def open_long(window):
    """Open the long article and stop there: nothing more is laid out until the test lets
    the event loop run (the idle slices are timers)."""
    window.session.open_article(window.long_id)
    layout = window.view.text_layout
    assert layout.lazy and not layout.complete
    return layout


def eager(view, spans=None) -> TextLayout:
    """The same text, spans and arcs laid out at once, as a short article is."""
    layout = TextLayout(view.text_layout.font, view.text_layout.tag_font)
    layout.set_text(view.text_layout.text, view.text_layout.width)
    layout.set_arcs(fresh_links(view.state.session))
    layout.set_spans(spans if spans is not None else view.spans)
    return layout


def finish(qtbot, view):
    qtbot.waitUntil(lambda: view.text_layout.complete, timeout=10_000)
    qtbot.wait(5)  # the last slice's repaint


def on_screen(view):
    """The lines drawn on screen: (paragraph, line) in order."""
    layout = view.text_layout
    top = -view._origin().y()
    bottom = top + view.viewport().height()
    return [
        (paragraph, line)
        for paragraph in layout.visible(top, bottom)
        for line in layout.lines_between(paragraph, top, bottom)
    ]


def shown(line) -> tuple:
    """A line's tags and arc pieces as plain values."""
    pills = [(p.span.id, p.rect.getRect(), p.x_text, p.first) for p in line.pills]
    arcs = [(f.key, f.x1, f.x2, f.legs, f.slot, f.label_x) for f in line.arcs]
    return line.start, line.end, line.lanes, line.arc_slots, pills, arcs


def test_opening_lays_out_the_screen_only_and_idle_slices_finish_as_an_eager_layout(
    qtbot, long_window
):
    view = long_window.view
    layout = open_long(long_window)
    assert not all(paragraph.broken for paragraph in layout.paragraphs)
    lines = on_screen(view)
    assert lines and all(line.filled for _, line in lines)
    assert any(line.pills for _, line in lines) and any(line.arcs for _, line in lines)
    finish(qtbot, view)
    assert layout_of(layout) == layout_of(eager(view))
    bar = view.verticalScrollBar()  # the scroll bar's length is the text's real one
    assert bar.maximum() == max(0, int(layout.height + 48 - view.viewport().height()))


def test_scrolling_to_the_end_at_once_shows_its_tags_and_arcs(qtbot, long_window):
    view = long_window.view
    layout = open_long(long_window)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())  # before any idle slice: the end is laid out on demand
    lines = on_screen(view)
    assert lines and all(line.filled for _, line in lines)
    full = eager(view)
    by_start = {line.start: line for paragraph in full.paragraphs for line in paragraph.lines}
    for _, line in lines:
        assert shown(line) == shown(by_start[line.start])
    assert lines[-1][1].end == len(layout.text)  # the text's real end, at the bottom
    # The article's last Place (a screen above, laid out ahead), with the arc come from the
    # first paragraph over every paragraph between.
    last = layout.text.rindex("Baghdad")
    line = layout.line_of(layout.paragraphs[layout.paragraph_index(last)], last)
    assert line.filled and shown(line) == shown(by_start[line.start])
    ends = [f.key for f in line.arcs]
    assert any(link.argument.start == last and link.trigger.start < 1000 for link in ends)
    finish(qtbot, view)
    assert not stale_pixels(long_window)
    bar.setValue(bar.maximum())
    assert layout.line_at(layout.height - 10)[1] in [line for _, line in on_screen(view)]


def off_grid(view, lines: bool = True) -> list:
    """The places of the layout (and the view's fraction of a pixel) not on Qt's 1/64 px grid."""
    layout = view.text_layout
    places = [("subpixel", view._subpixel)]
    for paragraph in layout.paragraphs:
        places += [("top", paragraph.top), ("height", paragraph.height)]
        places += [("line", line.y) for line in paragraph.lines if lines]
    return [(what, value) for what, value in places if not (value * 64).is_integer()]


def test_every_place_is_on_qts_grid_while_the_screen_is_held(qtbot, long_window):
    """Estimated heights (paragraphs not broken yet, the rest of one broken partly) are put
    on Qt's 1/64 px grid, as its measures are: every place is then summed exactly, and a
    line held still while others are laid out above it is drawn at the very same place.
    Off the grid, the text on screen drifted by thousandths of a pixel from slice to slice,
    and a row repainted later drew its glyphs at another subpixel place: the end's screen
    differed from a whole repaint in 1 run in 10 under load (the stale-pixels check below)."""
    view = long_window.view
    layout = open_long(long_window)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert off_grid(view) == []
    while not layout.complete:
        layout.realize_step(0.0)  # one chunk at a time, the screen held at the end each time
        assert off_grid(view, lines=False) == []
    assert off_grid(view) == []


def test_the_screen_holds_still_while_the_lines_above_it_are_laid_out(qtbot, long_window):
    view = long_window.view
    layout = open_long(long_window)
    middle = layout.text.index("The raid", len(layout.text) // 2)
    view.scroll_to_offset(middle)
    top = view.first_visible_offset()
    before = layout.char_rect(middle).top() + view._origin().y()
    picture = view.viewport().grab().toImage()
    assert any(not p.broken for p in layout.paragraphs[: layout.paragraph_index(middle)])
    finish(qtbot, view)  # every line above it laid out: many grew a lane
    assert layout.char_rect(middle).top() + view._origin().y() == pytest.approx(before, abs=0.01)
    assert view.first_visible_offset() == top
    assert view.viewport().grab().toImage() == picture  # not a pixel moved
    assert not stale_pixels(long_window)  # and what is on screen is that picture


def test_a_span_added_far_below_before_it_was_laid_out_lands_right(qtbot, long_window):
    view, controller = long_window.view, long_window.controller
    layout = open_long(long_window)
    text = layout.text
    start = text.rindex("Pentagon")
    paragraph = layout.paragraphs[layout.paragraph_index(start)]
    assert not paragraph.broken
    view.set_text_selection(start, start + len("Pentagon"))
    controller.apply_label("ORG")
    assert rows(long_window.store, "SELECT label FROM spans WHERE start = ?", start) == [("ORG",)]
    line = layout.line_of(paragraph, start)
    assert line.filled and [p.span.label for p in line.pills if p.span.start == start] == ["ORG"]
    # It fills the Target of the first attack: an arc from the top to a line far below,
    # over paragraphs not broken into lines yet.
    pentagon = view.selected_span()
    first = long_window.session.events[0]
    middle = layout.paragraphs[len(layout.paragraphs) // 2]
    assert not middle.broken
    long_window.controller.events.start_named_role(first.id, "Target")
    view.spanClicked.emit(pentagon)  # as a click on its tag
    assert rows(
        long_window.store, "SELECT role FROM event_arguments WHERE span_id = ?", pentagon.id
    ) == [("Target",)]
    finish(qtbot, view)
    assert layout_of(layout) == layout_of(eager(view))
    over = [f.key for line in middle.lines for f in line.arcs]
    assert any(link.role == "Target" and link.argument == pentagon for link in over)


def test_down_and_up_step_through_lines_not_laid_out_yet(qtbot, long_window):
    view = long_window.view
    layout = open_long(long_window)
    full = ViewLines(eager(view))
    lines = ViewLines(layout)
    offset = layout.text.index("The US has", len(layout.text) // 2)
    assert not layout.paragraphs[layout.paragraph_index(offset)].broken
    for step in [1] * 6 + [-1] * 9:  # across paragraph breaks both ways
        expected = full.line_step(offset, step)
        offset = lines.line_step(offset, step)
        assert offset == expected
    # From the keyboard: the cursor goes down a line, into text laid out as it goes.
    word = re.compile(r"\w+").search(layout.text, offset)
    view.set_text_selection(word.start(), word.end())
    before = view.lines().line_bounds(word.start())
    QTest.keyClick(view, Qt.Key.Key_Down)
    after = view.lines().line_bounds(view.selection()[0])
    assert after[0] >= before[1]


def test_find_reaches_a_hit_far_below_and_paints_it_there(qtbot, long_window):
    view = long_window.view
    layout = open_long(long_window)
    view.set_hits([(m.start(), m.end()) for m in re.finditer("Pentagon", layout.text)], None)
    last = len(view.hits) - 1
    view.set_text_selection(*view.hits[last])  # what Enter in the find bar does
    (rect,) = view.hit_rects(last)
    assert view.viewport().rect().contains(rect.toRect())
    start = view.hits[last][0]
    char = layout.char_rect(start).translated(view._origin())
    assert abs(rect.left() - char.left()) < 1 and abs(rect.top() - char.top()) < 1


def test_a_long_article_opened_again_shows_the_same_text_on_top(qtbot, long_window):
    view, session = long_window.view, long_window.session
    layout = open_long(long_window)
    place = layout.text.index("As tensions", len(layout.text) * 2 // 3)
    view.scroll_to_offset(place)
    top = view.first_visible_offset()
    session.open_article(1)
    qtbot.wait(10)
    session.open_article(long_window.long_id)  # before anything else is laid out
    assert view.first_visible_offset() == top
    y = layout.char_rect(place).top() + view._origin().y()
    assert 0 <= y < view.viewport().height() / 3
    finish(qtbot, view)
    assert layout.char_rect(place).top() + view._origin().y() == pytest.approx(y, abs=0.01)


def test_a_new_width_or_font_lays_out_the_screen_again_and_the_rest_later(qtbot, long_window):
    view = long_window.view
    layout = open_long(long_window)
    finish(qtbot, view)
    place = layout.text.index("The strike", len(layout.text) // 2)
    view.scroll_to_offset(place)
    font = view.text_layout.font
    bigger = type(font)(font)
    bigger.setPointSizeF(font.pointSizeF() + 3)
    view.set_fonts(bigger, view.text_layout.tag_font)  # as Settings' text size does
    assert not layout.complete  # broken again as it comes near the screen
    lines = on_screen(view)
    assert lines and all(line.filled for _, line in lines)
    assert view.first_visible_offset() == place
    width = view.text_layout.width
    long_window.resize(1000, 800)  # a narrower column: rewrapped
    qtbot.waitUntil(lambda: view.text_layout.width < width)
    assert all(line.filled for _, line in on_screen(view))
    finish(qtbot, view)
    assert layout_of(layout) == layout_of(eager(view))


def test_edits_all_over_a_long_article_before_it_is_laid_out_end_as_a_fresh_read(
    qtbot, long_window
):
    """Spans added, deleted and undone anywhere, with no turn of the event loop between (so
    nothing but the edits lays lines out); then laid out whole, the window equals one read
    and laid out anew from the file."""
    view, controller, session = long_window.view, long_window.controller, long_window.session
    layout = open_long(long_window)
    rng = random.Random(13)
    words = [(m.start(), m.end()) for m in re.finditer(r"\b[a-z]{5,}\b", layout.text)]
    for start, end in rng.sample(words, 10):
        view.set_text_selection(start, end)
        controller.apply_label(rng.choice(["PERSON", "ORG", "NORP"]))
        if rng.random() < 0.3:
            controller.undo()
    far = [s for s in session.spans if s.start > len(layout.text) * 3 // 4 and s.label == "LOC"]
    view.select_span(far[-1].id)
    controller.delete_selected()
    assert not layout.complete
    finish(qtbot, view)
    fresh = Session(long_window.store)
    fresh.open_article(long_window.long_id)
    assert session.spans == fresh.spans
    shown, links = [*fresh.spans, *fresh.suggestions], fresh_links(fresh)
    assert view.all_links == links
    assert layout_of(layout) == layout_of(fresh_layout(view, shown, links))
    assert not stale_pixels(long_window)
