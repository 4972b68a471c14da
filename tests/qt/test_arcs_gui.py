"""Event arcs in the real window: room above the lines, labels that never cover one another
or a tag, hover on an arc, the all/selected toggle by key and menu (remembered), and text
that stays put when spans are added and deleted by key."""

import pytest
from PySide6.QtCore import QRectF, QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest

from annotator.qt.widgets.arc_layout import ARC_GAP, slot_y
from tests.qt.test_events_gui import args_on_disk, click, select_word


@pytest.fixture(autouse=True)
def arcs_setting():
    """The all/selected choice lives in the user's settings: each test starts from the
    default and leaves no trace."""
    settings = QSettings("annotator", "annotator")
    settings.remove("view/all_arcs")
    yield
    settings.remove("view/all_arcs")


def label_strike_and_killed(window):
    """The founding article's first sentence, labelled by keys and clicks as a person would:
    strike (Conflict.Attack) with Attacker, Target, Instrument and Place; killed (Life.Die)
    with Agent, Victim, Instrument and Place, sharing all four fillers."""
    view, text = window.view, window.session.article.text
    body = text.index("Baghdad, Iraq")
    at = {}
    for word, key, after in (("US", Qt.Key.Key_G, body), ("commander", Qt.Key.Key_P, body),
                             ("drone", Qt.Key.Key_V, body), ("Baghdad", Qt.Key.Key_G, body + 20)):
        at[word] = select_word(view, text, word, after)
        QTest.keyClick(view, key)
    for trigger, key, roles in (
            ("strike", Qt.Key.Key_A, ("US", "commander", "drone", "Baghdad")),
            ("killed", Qt.Key.Key_D, ("US", "commander", "drone", "Baghdad"))):
        select_word(view, text, trigger, body)
        QTest.keyClick(view, key, Qt.KeyboardModifier.ShiftModifier)
        for digit, filler in enumerate(roles, start=1):
            QTest.keyClick(view, getattr(Qt.Key, f"Key_{digit}"))
            click(view, at[filler] + 1)
        QTest.keyClick(view, Qt.Key.Key_Escape)
    assert [role for role, _, _ in args_on_disk(window.store)] == [
        "Attacker", "Target", "Instrument", "Place", "Agent", "Victim", "Instrument", "Place"]
    return at


def label_rects(view):
    """Every drawn arc label as (role, rect in layout coordinates, line it sits above)."""
    layout = view.text_layout
    found = []
    for paragraph in layout.paragraphs:
        for line in paragraph.lines:
            for fragment in line.arcs:
                if fragment.label is None or not view.arc_shown(fragment.key):
                    continue
                run = paragraph.top + line.y + slot_y(fragment.slot, layout.lane_height, ARC_GAP)
                a, b = fragment.label
                h = layout.lane_height - 3
                found.append((fragment.key, QRectF(a, run - h / 2, b - a, h), paragraph, line))
    return found


def test_every_role_is_readable_above_its_line_and_covers_no_word_or_tag(qtbot, window):
    label_strike_and_killed(window)
    view, layout = window.view, window.view.text_layout
    labels = label_rects(view)
    # All eight arcs drawn (every event's, the default), each with its role written; the two
    # arcs to "commander", a line up, on each of their pieces long enough to hold it.
    named = {(link.event_id, link.role) for link, *_ in labels if link.trigger.id}
    assert sorted(role for _, role in named) == sorted(
        ["Attacker", "Target", "Instrument", "Place", "Agent", "Victim", "Instrument", "Place"])
    assert 8 <= len(labels) <= 10
    words, tags = [], []
    for paragraph in layout.paragraphs:
        for line in paragraph.lines:
            top = paragraph.top + line.y
            words.append(QRectF(0, top, layout.width, line.text_height))
            tags += [pill.rect.translated(0, top + line.text_height) for pill in line.pills]
    for i, (link, rect, paragraph, line) in enumerate(labels):
        # "Attacker" no longer hides under "Instrument": no two labels touch.
        for other, rect2, *_ in labels[i + 1:]:
            assert not rect.intersects(rect2), (link.role, other.role)
        assert not any(rect.intersects(w) for w in words), link.role
        assert not any(rect.intersects(t) for t in tags), link.role
        assert 0 <= rect.left() and rect.right() <= layout.width
        # In the room its own line reserves, under the line above's tags.
        assert rect.bottom() <= paragraph.top + line.y
        assert rect.top() >= paragraph.top + line.y - line.arc_room


def pixels_of(image, rect: QRectF, colour: QColor) -> int:
    """Pixels in and just around a rectangle of (nearly: antialiasing) a colour."""
    def near(c):
        return max(abs(c.red() - colour.red()), abs(c.green() - colour.green()),
                   abs(c.blue() - colour.blue())) <= 40
    return sum(
        1
        for x in range(int(rect.left()) - 2, int(rect.right()) + 3)
        for y in range(int(rect.top()) - 2, int(rect.bottom()) + 3)
        if near(image.pixelColor(x, y))
    )


def test_hovering_an_arc_highlights_it_and_both_ends_and_names_them(qtbot, window):
    at = label_strike_and_killed(window)
    view = window.view
    [(link, rect, *_)] = [(k, r, *rest) for k, r, *rest in label_rects(view)
                          if k.role == "Attacker"]
    origin = view._origin()
    centre = (rect.center() + origin).toPoint()
    highlight = view.palette().color(QPalette.ColorRole.Highlight)
    layout = view.text_layout
    paragraph = layout.paragraphs[layout.paragraph_index(at["US"])]
    us_line = layout.line_of(paragraph, at["US"])
    [us_pill] = [pill for pill in us_line.pills if pill.span.start == at["US"]]
    us_rect = us_pill.rect.translated(
        origin.x(), origin.y() + paragraph.top + us_line.y + us_line.text_height)
    before = pixels_of(view.viewport().grab().toImage(), us_rect, highlight)
    qtbot.mouseMove(view.viewport(), centre)
    qtbot.waitUntil(lambda: view.hovered_link is not None)
    assert view.hovered_link.role == "Attacker"
    assert view.hover_ends == {link.trigger.id, link.argument.id}
    trigger_text = window.session.article.text[link.trigger.start:link.trigger.end]
    assert trigger_text == "strike"
    # What the person sees: the US tag framed in the highlight colour, and the tooltip.
    after = pixels_of(view.viewport().grab().toImage(), us_rect, highlight)
    assert after > before + 20
    assert view.arc_tip(view.hovered_link) == (
        "Attacker of Conflict.Attack “strike”\nfilled by “US” (GPE)")
    # Off the arc again: nothing highlighted.
    qtbot.mouseMove(view.viewport(), view.point_for_offset(at["Baghdad"] + 2))
    qtbot.waitUntil(lambda: view.hovered_link is None)
    assert view.hover_ends == set()


def text_tops(view):
    layout = view.text_layout
    return [paragraph.top + line.y for paragraph in layout.paragraphs for line in paragraph.lines]


def test_toggle_all_and_selected_arcs_by_key_and_menu_remembered_text_still(qtbot, window):
    label_strike_and_killed(window)
    view, text = window.view, window.session.article.text
    tops = text_tops(view)
    assert len(view.shown_links()) == 8
    click(view, text.index("strike") + 1)  # selects the Attack event
    assert len(view.links) == 4
    QTest.keyClick(view, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert not window.actions.all_arcs.isChecked()
    assert {link.role for link in view.shown_links()} == {
        "Attacker", "Target", "Instrument", "Place"}
    assert {link.role for link, *_ in label_rects(view)} == {
        "Attacker", "Target", "Instrument", "Place"}
    assert QSettings("annotator", "annotator").value("view/all_arcs", True, bool) is False
    # Another event selected: its arcs drawn instead, and no line of text has moved.
    click(view, text.index("killed") + 1)
    assert {link.role for link in view.shown_links()} == {
        "Agent", "Victim", "Instrument", "Place"}
    assert text_tops(view) == tops
    # The View menu's item brings every arc back.
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.actions.all_arcs in view_menu.actions()
    window.actions.all_arcs.trigger()
    assert len(view.shown_links()) == 8
    assert QSettings("annotator", "annotator").value("view/all_arcs", False, bool) is True
    assert text_tops(view) == tops


def test_a_new_window_remembers_selected_arcs_only(qtbot, project):
    from tests.qt.conftest import open_window

    QSettings("annotator", "annotator").setValue("view/all_arcs", False)
    window = open_window(qtbot, project)
    assert not window.actions.all_arcs.isChecked() and not window.view.all_arcs


def test_adding_and_deleting_spans_by_key_moves_no_text_below(qtbot, window):
    view, text = window.view, window.session.article.text
    layout = view.text_layout
    body = text.index("Baghdad, Iraq")
    for word in ("Iraqi", "Pentagon", "American", "militia"):
        offset = text.index(word, body)
        paragraph = layout.paragraphs[layout.paragraph_index(offset)]
        line = layout.line_of(paragraph, offset)
        below = [(p.top + l.y) for p in layout.paragraphs for l in p.lines
                 if p.top + l.y > paragraph.top + line.y]
        assert len(below) > 5
        select_word(view, text, word, body)
        QTest.keyClick(view, Qt.Key.Key_N)  # the first tag on this line
        assert any(s.start == offset for s in window.session.spans)
        assert [(p.top + l.y) for p in layout.paragraphs for l in p.lines
                if p.top + l.y > paragraph.top + line.y] == below, word
        click(view, offset + 1)
        QTest.keyClick(view, Qt.Key.Key_Delete)  # the text has this key (key map: TEXT)
        assert not any(s.start == offset for s in window.session.spans)
        assert [(p.top + l.y) for p in layout.paragraphs for l in p.lines
                if p.top + l.y > paragraph.top + line.y] == below, word


def test_a_wrapped_span_names_its_label_on_both_lines_and_tags_stay_in_the_text(qtbot, window):
    view, text = window.view, window.session.article.text
    layout = view.text_layout
    paragraph = layout.paragraphs[2]
    first, second = paragraph.lines[0], paragraph.lines[1]
    # From the first line's last word to the second line's first word.
    start = text.rindex(" ", first.start, first.end - 1) + 1
    end = text.index(" ", second.start)
    window.controller.interaction.select_text(start, end)
    QTest.keyClick(view, Qt.Key.Key_E)  # EVENT: a long label name
    pieces = [pill for line in (first, second) for pill in line.pills if pill.span.start == start]
    assert len(pieces) == 2
    name = layout.tag_metrics.horizontalAdvance("EVENT")
    for pill in pieces:
        # Each piece wide enough to hold the name (the painter writes it on both), and the
        # one at the line's end ends inside the text column.
        assert pill.rect.width() >= name
        assert 0 <= pill.rect.left() and pill.rect.right() <= layout.width + 0.01
    image = view.viewport().grab().toImage()
    origin = view._origin()
    for line, pill in zip((first, second), pieces):
        box = pill.rect.translated(origin.x(), origin.y() + paragraph.top + line.y
                                   + line.text_height)
        # Text is written inside each piece: the name's dark or white glyph pixels.
        inks = {image.pixelColor(int(x), int(box.center().y())).name()
                for x in range(int(box.left()) + 4, int(box.left() + name))}
        assert len(inks) > 3, inks


def test_clicking_an_arc_selects_its_event(qtbot, window):
    """As in brat: a click on a role's label selects the event the arc belongs to (its row in
    the Events panel, its arcs drawn heavier), and starts no text selection."""
    label_strike_and_killed(window)
    view, session = window.view, window.session
    assert view.selected_event_id is None
    for role, event_type in (("Victim", "Life.Die"), ("Attacker", "Conflict.Attack")):
        link, rect = next((k, r) for k, r, *_ in label_rects(view) if k.role == role)
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, (rect.center() + view._origin()).toPoint())
        event = session.event_by_id(link.event_id)
        assert event.type == event_type
        assert view.selected_event_id == event.id
        assert window.event_panel.tree.currentItem().text(0).startswith(event_type)
        assert view.selection() is None or view.selected_span() is not None
