"""Turns what the person does in the view (label keys, delete, navigation) into core edits.

Every edit is applied (and committed to SQLite) by the session before it is pushed on the undo
stack and before `saved` is emitted, so what the window reports as saved is on disk.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.core.edits import AddSpan, Decide, Edit
from annotator.core.model import SUGGESTED
from annotator.core.errors import AnnotatorError
from annotator.core.session import Session
from annotator.qt.article_view import ArticleView
from annotator.qt.bridge import SessionSignals
from annotator.qt.event_controller import EventController
from annotator.qt.review import ReviewController
from annotator.qt.undo import EditCommand


class AnnotationController(QObject):
    message = Signal(str)  # a short note for the status bar
    saved = Signal(float)  # the time of the last committed edit
    failed = Signal(str)  # an edit that could not be saved

    def __init__(self, session: Session, view: ArticleView, parent=None):
        super().__init__(parent)
        self.session = session
        self.view = view
        self.signals = SessionSignals(session, self)
        self.undo_stack = QUndoStack(self)
        view.set_schema(session.store.schema)
        view.tokens_provider = lambda: session.tokens if session.article else None
        self.events = EventController(self, self)
        self.events.message.connect(self.message)
        view.labelKeyPressed.connect(self.on_label_key)
        view.deleteRequested.connect(self.delete_selected)
        view.spanClicked.connect(self.events.on_span_clicked)
        view.selectionChanged.connect(self.events.refresh)
        view.cancelled.connect(self.events.cancel)
        self.review = ReviewController(self, self)
        self.review.message.connect(self.message)
        view.reviewStep.connect(self.review.step)
        self.signals.articleOpened.connect(self._show_article)
        self.signals.spansChanged.connect(self._show_spans)

    # -- showing -----------------------------------------------------------------------------

    def _show_article(self, article_id: int) -> None:
        article = self.session.article
        self.events.pending = None
        self.view.set_article(article.text, self.shown_spans())
        self.events.refresh()

    def _show_spans(self, article_id: int) -> None:
        self.view.set_spans(self.shown_spans())
        self.events.refresh()

    def shown_spans(self) -> list:
        return [*self.session.spans, *self.session.suggestions]

    # -- labelling ---------------------------------------------------------------------------

    def on_label_key(self, key: str) -> None:
        schema = self.session.store.schema
        if key.isdigit() and self.events.start_role(int(key)):
            return
        event_type = schema.event_type_for_key(key)
        if event_type is not None:
            self.events.add_event(event_type.name)
            return
        if self.review.selected_suggestion() is not None and self.review.handles_key(key):
            return
        label = schema.label_for_key(key)
        if label is not None:
            if not self.events.fill_with_new_entity(label.name):
                self.apply_label(label.name)
        elif not self.review.handles_key(key):
            self.message.emit(f"No label or event type has the key {key!r}")

    def apply_label(self, label: str) -> None:
        span = self.view.selected_span()
        if span is not None and span.state == SUGGESTED:
            self.review.accept(label)
            return
        if span is not None:
            if span.label != label:
                self.do(lambda: self.session.relabel(span, label))
                self.view.select_span(span.id)
            return
        selection = self.view.selection()
        if selection is None:
            self.message.emit("Select some text first: drag over it, double-click a word, or use the arrow keys")
            return
        edit = self.do(lambda: self.session.label_selection(*selection, label))
        if isinstance(edit, AddSpan):
            self.view.select_span(edit.span.id)
        elif isinstance(edit, Decide):
            self.view.select_span(edit.span.id)
            self.message.emit(f"Suggestion {edit.decision} as {label}")

    def delete_selected(self) -> None:
        span = self.view.selected_span()
        if span is None:
            self.message.emit("Select a span to delete: click it or press Tab")
            return
        if span.state == SUGGESTED:
            self.review.reject()
            return
        edit = self.do(lambda: self.session.remove(span))
        self.say_removed(edit, f"Deleted {span.label}")
        self.view.clear_selection()

    def say_removed(self, edit, what: str) -> None:
        """Say what a delete took with it (the arguments a span filled, a trigger's events)."""
        if edit is None:
            return
        extra = edit.also_removed()
        self.message.emit(f"{what} and {extra} (Ctrl+Z brings them back)" if extra else what)

    def set_status(self, status: str) -> None:
        if self.session.article is not None and self.session.article.status != status:
            self.do(lambda: self.session.set_status(status))

    def finish_and_next(self, status: str) -> None:
        self.set_status(status)
        if not self.go(+1):
            self.message.emit("That was the last article in the list")

    def go(self, step: int) -> bool:
        return self.session.go(step)

    def toggle_snap(self, on: bool) -> None:
        self.session.snap_to_tokens = on
        self.view.snap = on
        self.view.viewport().update()

    def do(self, make_edit, raise_refusal: type | None = None) -> Edit | None:
        """Make an edit (saved by the session) and push it on the undo stack; a refused edit
        becomes a status message, or is raised when the caller handles it."""
        try:
            edit = make_edit()
        except AnnotatorError as error:
            if raise_refusal is not None and isinstance(error, raise_refusal):
                raise
            self.message.emit(str(error))
            return None
        except Exception as error:  # e.g. disk full: say so, keep the window alive
            self.failed.emit(f"The edit could not be saved: {error}")
            return None
        self.undo_stack.push(EditCommand(self.session, edit, self._undo_failed))
        self.saved.emit(time.time())
        return edit

    def _undo_failed(self, error: Exception) -> None:
        self.failed.emit(f"Undo/redo could not be saved: {error}")
