"""The Events panel changes only the rows an edit changed (issue 13: adding an argument within
one frame on an article with a thousand events): an argument added or removed inserts or
takes its one row under its role, a filler relabelled rewrites its row's words, and the
event's other rows stay the rows they were. After any sequence of edits, undos and redos the
panel shows exactly what a panel built afresh from the session shows, row for row, with each
row measured for its words."""

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.qt.widgets.event_panel import KIND_ROLE, EventPanel
from annotator.qt.widgets.event_rows import WAITING
from tests.qt.conftest import open_window, rows
from tests.qt.test_event_panel import click_row
from tests.qt.test_event_panel_fill import add_long_article, filled
from tests.qt.test_events_gui import select_word


def shown(item, depth=0) -> tuple:
    """A row as a person sees it (words, tooltip, colour swatch, open or shut) with the rows
    under it; the waiting mark is compared on its own (a fresh panel has no role waiting)."""
    children = tuple(shown(item.child(n), depth + 1) for n in range(item.childCount()))
    return (
        item.data(0, KIND_ROLE),
        item.text(0).removesuffix(WAITING),
        item.toolTip(0),
        item.icon(0).cacheKey() if not item.icon(0).isNull() else None,
        item.isExpanded(),  # open only with rows under it, as a row made whole
        children,
    )


def panel_rows(panel) -> list:
    tree = panel.tree
    return [shown(tree.topLevelItem(n)) for n in range(tree.topLevelItemCount())]


def fresh_rows(window) -> list:
    """The rows of a panel made now from the session, every one of them."""
    panel = EventPanel(window.controller.events)
    panel.rebuild()
    if window.session.events:
        panel.show_selected(window.session.events[-1].id)  # makes every row
    return panel_rows(panel)


def rows_measured_for_their_words(panel):
    """Every row keeps the size Qt's delegate measures for its words at its width now."""
    stack = [(panel.tree.topLevelItem(n), 0) for n in range(panel.tree.topLevelItemCount())]
    while stack:
        row, depth = stack.pop()
        assert row.sizeHint(0) == panel.sizes.measure(row, depth), row.text(0)
        stack.extend((row.child(n), depth + 1) for n in range(row.childCount()))


def waiting_rows(panel) -> list:
    found = []
    for n in range(panel.tree.topLevelItemCount()):
        event = panel.tree.topLevelItem(n)
        for r in range(event.childCount()):
            role = event.child(r)
            if role.text(0).endswith(WAITING) or role.font(0).bold():
                found.append(role.data(0, KIND_ROLE)[1:])
    return found


class RowChanges:
    """The rows the panel's model inserted and took, as (parent's kind, count) pairs."""

    def __init__(self, tree):
        self.tree, self.inserted, self.removed = tree, [], []
        model = tree.model()
        model.rowsInserted.connect(lambda parent, a, b: self.inserted.append(self._at(parent, a, b)))
        model.rowsAboutToBeRemoved.connect(
            lambda parent, a, b: self.removed.append(self._at(parent, a, b))
        )

    def _at(self, parent, first, last):
        kind = parent.data(KIND_ROLE)[0] if parent.isValid() else "top"
        return kind, last - first + 1

    def take(self):
        seen = self.inserted, self.removed
        self.inserted, self.removed = [], []
        return seen


def test_argument_edits_insert_and_take_their_one_row_on_a_long_article(qtbot, project):
    article_id = add_long_article(project)
    window = open_window(qtbot, project)
    panel, session, controller, view = (
        window.event_panel, window.session, window.controller, window.view)
    window.side_tabs.setCurrentWidget(panel)
    session.open_article(article_id)
    qtbot.waitUntil(lambda: filled(panel), timeout=10_000)
    changes = RowChanges(panel.tree)
    event = session.events[150]
    other_place = next(s for s in session.spans if s.label == "GPE" and s.start > 1000)
    controller.events.select_event(event.id)
    row = panel.tree.currentItem()
    assert row.data(0, KIND_ROLE) == ("event", event.id)
    controller.events.start_named_role(event.id, "Place")
    assert waiting_rows(panel) == [(event.id, "Place")]
    view.spanClicked.emit(other_place)  # as a click on its tag
    assert rows(project, "SELECT count(*) FROM event_arguments WHERE event_id = ?",
                event.id) == [(2,)]
    assert changes.take() == ([("role", 1)], [])  # one row, under Place
    assert panel.tree.currentItem() is row  # the event's row stays, still the current one
    place = row.child(3)
    assert [place.child(n).text(0) for n in range(place.childCount())] == [
        "“Baghdad” (GPE)", "“Baghdad” (GPE)"]
    assert waiting_rows(panel) == []
    controller.undo()
    assert changes.take() == ([], [("role", 1)])
    controller.redo()
    assert changes.take() == ([("role", 1)], [])
    # Delete on the new argument's row takes that row only.
    click_row(panel.tree, place.child(1))
    QTest.keyClick(panel.tree, Qt.Key.Key_Delete)
    assert rows(project, "SELECT count(*) FROM event_arguments WHERE event_id = ?",
                event.id) == [(1,)]
    assert changes.take() == ([], [("role", 1)])
    # A filler relabelled: its row's words change, no row comes or goes.
    filler = session.span_by_id(event.arguments[0].span_id)
    view.select_span(filler.id)
    QTest.keyClick(view, Qt.Key.Key_L)  # LOC
    assert changes.take() == ([], [])
    assert place.child(0).text(0) == "“Baghdad” (LOC)"
    assert panel_rows(panel) == fresh_rows(window)
    qtbot.wait(1)
    rows_measured_for_their_words(panel)


@pytest.mark.parametrize("seed", [3, 13])
def test_after_any_edits_the_panel_shows_what_a_panel_made_afresh_shows(qtbot, window, seed):
    rng = random.Random(seed)
    session, view, controller, panel = (
        window.session, window.view, window.controller, window.event_panel)
    window.side_tabs.setCurrentWidget(panel)
    text = session.article.text
    body = text.index("Baghdad, Iraq")
    for word, key in (("US", Qt.Key.Key_G), ("Baghdad", Qt.Key.Key_G),
                      ("commander", Qt.Key.Key_P), ("drone", Qt.Key.Key_W)):
        select_word(view, text, word, body)
        QTest.keyClick(view, key)
    triggers = ["strike", "killed", "attack", "said"]
    answers = []
    controller.ask = lambda question: answers.append(question) or rng.random() < 0.5
    types = [t.name for t in window.store.schema.events]
    steps = []
    for _ in range(25):
        events = session.events
        entities = [s for s in session.spans if s.kind != "trigger"]
        choice = rng.random()
        if choice < 0.15 or not events:
            word = rng.choice(triggers)
            if word not in text[body:]:
                continue
            select_word(view, text, word, body)
            QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
            steps.append(("event", word))
        elif choice < 0.5:
            event = rng.choice(events)
            role = rng.choice(window.store.schema.event_type(event.type).roles).name
            filler = rng.choice(entities)
            controller.events.start_named_role(event.id, role)
            view.spanClicked.emit(filler)
            steps.append(("argument", event.id, role, filler.id))
        elif choice < 0.6 and any(e.arguments for e in events):
            event = rng.choice([e for e in events if e.arguments])
            item = panel._items[event.id]
            args = [item.child(r).child(a) for r in range(item.childCount())
                    for a in range(item.child(r).childCount())]
            click_row(panel.tree, rng.choice(args))
            QTest.keyClick(panel.tree, Qt.Key.Key_Delete)
            steps.append(("drop argument", event.id))
        elif choice < 0.65:
            event = rng.choice(events)
            click_row(panel.tree, panel._items[event.id])
            QTest.keyClick(panel.tree, Qt.Key.Key_Delete)
            steps.append(("drop event", event.id))
        elif choice < 0.72 and len(types) > 1:
            event = rng.choice(events)
            controller.events.change_type(event.id, rng.choice(types))
            steps.append(("type", event.id))
        elif choice < 0.8 and entities:
            span = rng.choice(entities)
            view.select_span(span.id)
            QTest.keyClick(view, rng.choice([Qt.Key.Key_O, Qt.Key.Key_L, Qt.Key.Key_G]))
            steps.append(("relabel", span.id))
        elif choice < 0.92:
            controller.undo()
            steps.append(("undo",))
        else:
            controller.redo()
            steps.append(("redo",))
        if rng.random() < 0.3:  # now and then a role is left waiting
            if session.events:
                controller.events.start_named_role(session.events[0].id, "Time")
        assert panel_rows(panel) == fresh_rows(window), steps
        pending = controller.interaction.pending  # (its event may have been deleted since)
        waiting = [pending] if pending and session.event_by_id(pending[0]) else []
        assert waiting_rows(panel) == waiting, str(steps)
        qtbot.wait(1)  # a scroll bar that came or went: the rows are measured again
        rows_measured_for_their_words(panel)
    assert len(session.events) and any(e.arguments for e in session.events)
