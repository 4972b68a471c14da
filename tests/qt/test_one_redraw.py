"""Each action is drawn once (issue 13: every action within one frame on long articles).

Adding an argument changes the selection and the pending role four times (the role chosen,
the edit, the event selected again, the role done) and labelling a word twice; the selected
event's arcs, the selection's rows and the panels that follow them (events panel, side panel)
are drawn as the action ends, once, and show what the file holds. The view's copy of the
spans follows an edit through what it touched, never the whole list; tags drawn from cached
looks follow a schema's new colours.
"""

import random
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from annotator.core.layers import several_annotators
from annotator.core.model import Span
from annotator.qt.controllers.events import EventController
from annotator.qt.widgets.article_view import ArticleView
from annotator.qt.widgets.shown_spans import ShownSpans
from annotator.qt.widgets.span_details import SpanDetails
from tests.qt.conftest import rows
from tests.qt.test_event_panel_patches import waiting_rows


class Calls:
    """How often some methods ran since the last take()."""

    def __init__(self, monkeypatch, *methods):
        self.seen: dict[str, int] = {}
        for cls, name in methods:
            self._count(monkeypatch, cls, name)

    def _count(self, monkeypatch, cls, name):
        real = getattr(cls, name)
        key = f"{cls.__name__}.{name}"

        def counted(*args, **kwargs):
            self.seen[key] = self.seen.get(key, 0) + 1
            return real(*args, **kwargs)

        monkeypatch.setattr(cls, name, counted)

    def take(self) -> dict[str, int]:
        seen, self.seen = self.seen, {}
        return seen


def drawing_calls(monkeypatch) -> Calls:
    return Calls(
        monkeypatch,
        (EventController, "show_selected"),
        (ArticleView, "selection_changed"),
        (SpanDetails, "refresh"),
    )


def select_word(view, text, word, after=0):
    start = text.index(word, after)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      view.point_for_offset(start + 1))
    return start


def test_adding_an_argument_draws_the_event_once(qtbot, window, monkeypatch):
    view, session, controller = window.view, window.session, window.controller
    text = session.article.text
    body = text.index("Baghdad, Iraq")
    select_word(view, text, "US", body)
    QTest.keyClick(view, Qt.Key.Key_G)
    us = view.selected_span()
    select_word(view, text, "strike", body)
    calls = drawing_calls(monkeypatch)
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)  # Conflict.Attack
    assert calls.take() == {
        "EventController.show_selected": 1,
        "ArticleView.selection_changed": 1,
        "SpanDetails.refresh": 2,  # the edit's spans and the new selection
    }
    event = session.events[0]
    QTest.keyClick(view, Qt.Key.Key_1)  # Attacker waits for its filler
    assert calls.take() == {
        "EventController.show_selected": 1,
        "ArticleView.selection_changed": 1,
        "SpanDetails.refresh": 1,
    }
    assert waiting_rows(window.event_panel) == [(event.id, "Attacker")]  # shown waiting
    view.spanClicked.emit(us)  # a click on US's tag fills it
    # Before: the selected event's arcs drawn 4 times, the selection 3, the side panel 4.
    assert calls.take() == {
        "EventController.show_selected": 1,
        "ArticleView.selection_changed": 1,
        "SpanDetails.refresh": 2,
    }
    assert rows(window.store, "SELECT role, span_id FROM event_arguments") == [("Attacker", us.id)]
    assert [(link.role, link.argument.id) for link in view.links] == [("Attacker", us.id)]
    assert view.selected_event_id == event.id
    assert waiting_rows(window.event_panel) == []  # the role is done, and shown so
    controller.undo()
    assert calls.take()["EventController.show_selected"] == 1
    assert view.links == [] and rows(window.store, "SELECT count(*) FROM event_arguments") == [(0,)]
    controller.redo()
    assert calls.take()["EventController.show_selected"] == 1
    assert [link.role for link in view.links] == ["Attacker"]


def test_labelling_a_word_draws_the_selection_once(qtbot, window, monkeypatch):
    view, text = window.view, window.session.article.text
    start = select_word(view, text, "Baghdad")
    calls = drawing_calls(monkeypatch)
    QTest.keyClick(view, Qt.Key.Key_G)
    assert calls.take() == {
        "EventController.show_selected": 1,
        "ArticleView.selection_changed": 1,
        "SpanDetails.refresh": 2,
    }
    span = view.selected_span()
    assert (span.start, span.label) == (start, "GPE")
    assert window.span_details.isVisible() and "GPE" in window.span_details.head.text()


def test_an_edit_changes_the_views_spans_without_walking_them(qtbot, window, monkeypatch):
    view, text = window.view, window.session.article.text
    for word in ("Baghdad", "Iraq", "Pentagon"):
        select_word(view, text, word)
        QTest.keyClick(view, Qt.Key.Key_G)
    walks = Calls(monkeypatch, (ShownSpans, "as_list"), (ShownSpans, "reset"))
    select_word(view, text, "Kataib")
    QTest.keyClick(view, Qt.Key.Key_O)
    QTest.keyClick(view, Qt.Key.Key_P)  # relabelled
    window.controller.undo()
    window.controller.delete_selected()
    assert walks.take() == {}
    assert sorted((s.start, s.label) for s in view.spans) == sorted(
        rows(window.store, "SELECT start, label FROM spans"))


@pytest.mark.parametrize("seed", [1, 2])
def test_shown_spans_follow_edits_as_a_list_does(seed):
    rng = random.Random(seed)
    people = [None, "ann", "bob", "cy"]
    spans = [Span(i, 1, i, i + 3, "ORG", annotator=rng.choice(people)) for i in range(40)]
    shown = ShownSpans(spans)
    as_list = list(spans)
    next_id = 40
    for _ in range(300):
        removed = rng.sample(as_list, min(len(as_list), rng.randrange(3)))
        added = [replace(s, annotator=rng.choice(people)) for s in removed[: rng.randrange(2)]]
        if rng.random() < 0.4:
            added.append(Span(next_id, 1, 0, 2, "GPE", annotator=rng.choice(people)))
            next_id += 1
        gone = {s.id for s in removed}
        as_list = [s for s in as_list if s.id not in gone] + added
        shown.update(removed, added)
        assert sorted(shown.as_list(), key=lambda s: s.id) == sorted(as_list, key=lambda s: s.id)
        assert shown.several_annotators == several_annotators(as_list)
        assert len(shown) == len(as_list)


def pill_colour(view, span_id) -> QColor:
    """The colour at the middle of a span's tag, as the view paints it."""
    layout, origin = view.text_layout, view._origin()
    for paragraph in layout.paragraphs:
        for line in paragraph.lines:
            for pill in line.pills:
                if pill.span.id == span_id:
                    rect = pill.rect.translated(0, paragraph.top + line.y + line.text_height)
                    # Right of centre: the words are drawn from the tag's left.
                    x = rect.left() + rect.width() * 0.85 + origin.x()
                    point = QPoint(int(x), int(rect.center().y() + origin.y()))
                    return view.viewport().grab().toImage().pixelColor(point)
    raise AssertionError("no tag for the span")


def test_a_new_colour_for_a_label_repaints_its_tags_in_it(qtbot, window):
    view, text = window.view, window.session.article.text
    select_word(view, text, "Baghdad")
    QTest.keyClick(view, Qt.Key.Key_G)
    span = view.selected_span()
    view.select_span(None)
    before = pill_colour(view, span.id)
    assert before.name() == view.colours["GPE"].name()
    schema = window.store.schema
    green = replace(schema, entities=[
        replace(label, color="#22aa22") if label.name == "GPE" else label
        for label in schema.entities])
    view.set_schema(green)
    assert pill_colour(view, span.id).name() == "#22aa22"
