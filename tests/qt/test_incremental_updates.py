"""An edit updates what it touched only (issue 13: every action within one frame on long
articles): the session patches its spans and events in place, the view lays out and repaints
the lines of the edit, the event panel and the palette change the rows and counts concerned.
Each of those must leave exactly what a fresh read and a full relayout would: after every step
of a random sequence of edits, undos and redos, the window is compared with one built anew
from the file.
"""

import random
from collections import Counter
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtTest import QTest

from annotator.core.model import ACCEPTED, SUGGESTED
from annotator.core.session import Session
from annotator.qt.controllers.events import EventController
from annotator.qt.widgets.event_panel import KIND_ROLE, EventPanel
from annotator.qt.widgets.text_layout import TextLayout
from tests.qt.conftest import rows

LABEL_KEYS = {"p": "PERSON", "o": "ORG", "g": "GPE", "l": "LOC", "d": "DATE"}


def layout_of(layout: TextLayout) -> list:
    """Every line's place, every pill and every arc piece, as plain values."""
    shown = []
    for paragraph in layout.paragraphs:
        shown.append(("paragraph", paragraph.start, paragraph.top, paragraph.height))
        for line in paragraph.lines:
            pills = [
                (p.span, p.rect.getRect(), p.x_text, p.first, p.pieces) for p in line.pills
            ]
            arcs = [
                (f.key, f.line, f.x1, f.x2, f.legs, f.label_width, f.slot, f.label_x)
                for f in line.arcs
            ]
            shown.append((line.start, line.end, line.y, line.lanes, line.arc_slots, pills, arcs))
    return [*shown, ("height", layout.height)]


def fresh_layout(view, spans, links) -> TextLayout:
    """The text laid out anew with these spans and arcs. Tag lanes and arc slots a line has
    held stay reserved in the view (the text below never moves when one goes), so the fresh
    lines start from the view's reservations: every pill, arc and position must then match,
    and a reservation the view lost or never made shows as a difference."""
    layout = TextLayout(view.text_layout.font, view.text_layout.tag_font)
    layout.set_text(view.text_layout.text, view.text_layout.width)
    for paragraph, shown in zip(layout.paragraphs, view.text_layout.paragraphs, strict=True):
        for line, reserved in zip(paragraph.lines, shown.lines, strict=True):
            line.lanes, line.arc_slots = reserved.lanes, reserved.arc_slots
    layout.set_arcs(links)
    layout.set_spans(spans)
    return layout


def fresh_links(session) -> list:
    """Every event's arcs as the events controller makes them, from a session read anew."""
    maker = SimpleNamespace(session=session)
    return [link for event in session.events for link in EventController.links_of(maker, event)]


def tree_rows(panel: EventPanel) -> list:
    tree, found = panel.tree, []
    for index in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(index)
        children = [item.child(n).text(0) for n in range(item.childCount())]
        found.append((item.data(0, KIND_ROLE), item.text(0), children))
    return found


def check_against_fresh(window):
    """The window after its incremental updates equals one read and laid out anew."""
    store, session, view = window.store, window.session, window.view
    article_id = session.article.id
    fresh = Session(store)
    fresh.open_article(article_id)
    assert session.spans == fresh.spans
    assert session.suggestions == fresh.suggestions
    assert session.events == fresh.events
    assert session.content.events_by_span == fresh.content.events_by_span
    assert session.content.events_by_trigger == fresh.content.events_by_trigger
    # What the session holds is what is on disk.
    on_disk = rows(store, "SELECT id, start, end, label FROM spans WHERE article_id = ? AND "
                          "state = 'accepted' ORDER BY start, end DESC, id", article_id)
    assert [(s.id, s.start, s.end, s.label) for s in session.spans] == on_disk
    shown = [*fresh.spans, *fresh.suggestions]
    assert sorted(view.spans, key=lambda s: s.id) == sorted(shown, key=lambda s: s.id)
    links = fresh_links(fresh)
    assert view.all_links == links
    assert layout_of(view.text_layout) == layout_of(fresh_layout(view, shown, links))
    panel = EventPanel(window.controller.events)
    panel.rebuild()
    assert tree_rows(window.event_panel) == tree_rows(panel)
    counts = Counter(s.label for s in fresh.spans if s.state == ACCEPTED)
    assert {n: c.count for n, c in window.palette_widget.chips.items()} == {
        n: counts.get(n, 0) for n in window.palette_widget.chips
    }


def stale_pixels(window) -> bool:
    """Whether what is on screen (the window's backing store, as the incremental repaints
    left it) differs from the view painted whole now, into the same backing store: a
    pixmap's edge (viewport.grab()) cuts a tag that straddles the viewport's top a shade
    differently from the window, which would show as a difference where nothing is stale."""
    view = window.view
    viewport = view.viewport()
    corner = viewport.mapTo(window, viewport.rect().topLeft())

    def shown():
        return window.screen().grabWindow(
            window.winId(), corner.x(), corner.y(), viewport.width(), viewport.height()
        ).toImage()

    on_screen = shown()
    viewport.repaint()
    return on_screen != shown()


@pytest.fixture(params=[True, False], ids=["all arcs", "selected event's arcs"])
def arcs_mode(request, window):
    """Both ways of showing arcs (the setting is remembered: put back afterwards)."""
    window.view.set_all_arcs(request.param)
    yield request.param
    QSettings("annotator", "annotator").remove("view/all_arcs")


def test_random_edits_undos_and_redos_leave_what_a_full_read_and_relayout_would(
    qtbot, window, arcs_mode
):
    rng = random.Random(20)
    session, view, controller = window.session, window.view, window.controller
    assert view.all_arcs is arcs_mode
    text = session.article.text
    assert text.count("\n") >= 4  # several paragraphs
    words = [(m, m + len(w)) for m, w in _words(text)]
    steps = []
    for _ in range(60):
        choice = rng.random()
        spans = session.spans
        if choice < 0.35 or not spans:
            start, end = rng.choice(words)
            if rng.random() < 0.3:  # now and then two words, or across a line break
                end = rng.choice([e for s, e in words if s > start][:3] or [end])
            view.set_text_selection(start, end)
            key = rng.choice(list(LABEL_KEYS))
            QTest.keyClick(view, key)
            steps.append(("add", start, end, key))
        elif choice < 0.5:
            span = rng.choice(spans)
            view.select_span(span.id)
            key = rng.choice([k for k, label in LABEL_KEYS.items() if label != span.label])
            QTest.keyClick(view, key)
            steps.append(("relabel", span.id, key))
        elif choice < 0.62:
            span = rng.choice(spans)
            view.select_span(span.id)
            QTest.keyClick(view, Qt.Key.Key_Delete)
            steps.append(("delete", span.id))
        elif choice < 0.7:
            start, end = rng.choice(words)
            view.set_text_selection(start, end)
            QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)  # an attack
            event = session.events[-1] if session.events else None
            entity = next((s for s in spans if s.label in ("GPE", "LOC")), None)
            if event is not None and entity is not None:
                controller.events.start_named_role(event.id, "Place")
                view.spanClicked.emit(entity)  # as a click on its tag
            steps.append(("event", start, end))
        elif choice < 0.85:
            controller.undo()
            steps.append(("undo",))
        else:
            controller.redo()
            steps.append(("redo",))
        qtbot.wait(1)  # the repaints the step asked for
        check_against_fresh(window)
        assert not stale_pixels(window), f"stale pixels after {steps}"
    assert {s[0] for s in steps} >= {"add", "relabel", "delete", "event", "undo", "redo"}
    assert len(session.spans) > 5 and session.events
    assert view.all_links  # arcs were drawn and compared


def test_an_edit_on_a_long_article_repaints_its_line_only(qtbot, window):
    """Labelling a word repaints the rows of its line (and those below only if they moved),
    not the whole view; what is on screen is still the whole view painted anew."""
    view, session = window.view, window.session
    text = session.article.text
    painted: list[QRect] = []
    original = view.paintEvent

    def spy(event):
        painted.append(event.rect())
        original(event)

    view.paintEvent = spy
    start = text.index("Baghdad")
    view.set_text_selection(start, start + len("Baghdad"))
    qtbot.wait(1)
    painted.clear()
    QTest.keyClick(view, Qt.Key.Key_L)  # LOC: a second lane under a line that had one
    qtbot.wait(1)
    assert rows(window.store, "SELECT label FROM spans") == [("LOC",)]
    assert painted, "nothing was repainted"
    full = view.viewport().rect()
    line_top = view.text_layout.rows_of(start, start + 7)[0] + view._origin().y()
    for rect in painted:
        assert rect != full
        assert rect.top() >= line_top - 4  # nothing above the edited line
    assert not stale_pixels(window)


def _words(text):
    at = 0
    for word in text.split():
        at = text.index(word, at)
        clean = word.strip(".,;:()\"'“”’")
        if len(clean) >= 3 and clean.isalpha():
            yield text.index(clean, at), clean
        at += len(word)


def test_deciding_suggestions_moves_them_as_a_full_read_would(store, tmp_path):
    """Accepting and rejecting suggestions moves them between the session's lists (and out
    of them) as a full read of the article would."""
    from annotator.formats.importer import import_paths

    (tmp_path / "a.txt").write_text("The strike in Baghdad killed a commander of an army.\n")
    import_paths(store, [tmp_path / "a.txt"])
    session = Session(store)
    session.open_first()
    article, text = session.article.id, session.article.text
    suggested = [(w, label) for w, label in (("Baghdad", "GPE"), ("commander", "PERSON"),
                                             ("army", "ORG"))]
    with store.write():
        store.replace_suggestions("suggest:test", [article], [
            (article, text.index(w), text.index(w) + len(w), label, 0.5) for w, label in suggested
        ])
    session.reload()
    assert [s.label for s in session.suggestions] == ["GPE", "PERSON", "ORG"]
    baghdad, commander, _ = session.suggestions
    session.apply(session.plan_decide(baghdad, True))
    session.apply(session.plan_decide(commander, False))
    fresh = Session(store)
    fresh.open_first()
    assert session.spans == fresh.spans and session.suggestions == fresh.suggestions
    assert [(s.label, s.state) for s in session.spans] == [("GPE", ACCEPTED)]
    assert [(s.label, s.state) for s in session.suggestions] == [("ORG", SUGGESTED)]
    change = session.last_change
    assert change is not None and [s.label for s in change.spans_before] == ["PERSON"]
    assert change.spans_after == []  # rejected: no longer shown
