"""Forwards what the person does (keys, clicks, menu entries) to the core's interaction state,
and carries out what comes back: an edit pushed on the undo stack, a message, a question.

What a key means is decided in the core (annotator.core.interaction); this class only knows
Qt's side: the undo stack (whose first redo() saves an edit), message boxes and signals. An
edit is committed to SQLite before `saved` is emitted, so what the window reports as saved is
on disk; a write that fails never stays on the undo stack.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMessageBox

from annotator.core.edit_log import UNDO_LIMIT
from annotator.core.edit_text import edit_text
from annotator.core.edits import Edit
from annotator.core.errors import AnnotatorError, DiskProblem, ProjectBusy
from annotator.core.interaction import Interaction, Outcome, carry_out
from annotator.core.reading_places import ReadingPlaces
from annotator.core.session import Session
from annotator.qt.controllers.bridge import SessionSignals
from annotator.qt.controllers.events import EventController
from annotator.qt.controllers.undo import EditCommand
from annotator.qt.widgets.article_view import ArticleView
from annotator.store.project import is_busy


@dataclass
class _Held:
    """What an action changed that is drawn once, when it ends (see one_redraw)."""

    selection: bool = False
    reveal: int | None = None  # the last offset a change asked to be scrolled to
    events: bool = False


class AnnotationController(QObject):
    message = Signal(str)  # a short note for the status bar
    saved = Signal(float)  # the time of the last committed edit
    failed = Signal(str)  # an edit that could not be saved

    def __init__(self, session: Session, view: ArticleView, parent=None):
        super().__init__(parent)
        self.session = session
        self.view = view
        self.interaction = Interaction(session)
        self.signals = SessionSignals(session, self)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)  # as many steps as the project's log keeps
        self.last_edit: Edit | None = None
        self.write_failed = False  # the last write of an edit, undo or redo failed
        self.places = ReadingPlaces(session.store)
        self._shown_article: int | None = None
        self._held: _Held | None = None  # an action under way: its redraw waits for its end
        view.set_schema(session.store.schema)
        view.show_state(self.interaction)
        self.events = EventController(self, self)
        view.keyPressed.connect(self.on_key)
        view.pressedAt.connect(self.interaction.begin_drag)
        view.draggedTo.connect(self.interaction.drag_to)
        view.released.connect(lambda: self.act(self.interaction.end_drag))
        view.doubleClickedAt.connect(self.interaction.select_word)
        view.spanClicked.connect(lambda span: self.act(self.interaction.click_span, span))
        self.interaction.subscribe(self._selection_changed)
        self.signals.articleOpened.connect(self._show_article)
        self.signals.spansChanged.connect(self._show_spans)

    # -- showing -----------------------------------------------------------------------------

    def _show_article(self, article_id: int) -> None:
        if self._shown_article == article_id:  # shown again (reloaded): stay where it was
            place = self.view.first_visible_offset()
        else:
            self.remember_place()
            place = self.places.place(article_id)
        # Laid out where it will be shown only (a long article's top is not, when the kept
        # place is further down), once the arcs' room is known: the place lands where it is.
        self.view.set_article(self.session.article.text, self.shown_spans(), show=False)
        self.events.refresh()
        # Its lines given arcs lazily are settled (exact room) there: those on screen before
        # they are painted, the rest after (screen_place.show_lines).
        self.view.scroll_to_offset(place)
        self._shown_article = article_id

    def remember_place(self) -> None:
        """The article shown is left (another opens, the window closes): its place is kept,
        and saved to the project in one short write that never waits for the lock."""
        if self._shown_article is not None:
            self.places.leave(self._shown_article, self.view.first_visible_offset())

    def _show_spans(self, article_id: int) -> None:
        change = self.session.last_change
        if change is None:
            self.view.set_spans(self.shown_spans())
        else:  # an edit: what it touched only
            self.view.update_spans(change.spans_before, change.spans_after)
        self.events.refresh_arcs()  # each edit's own arcs (a second edit has its own Change)
        if self._held is not None:
            self._held.events = True
        else:
            self.events.show_selected()

    def _selection_changed(self) -> None:
        held = self._held
        if held is not None:  # drawn as the action ends (one_redraw)
            held.selection = True
            if self.interaction.reveal is not None:
                held.reveal = self.interaction.reveal
            return
        self.view.selection_changed(self.interaction.reveal)
        article = self.session.article
        if article is not None and article.id != self._shown_article:
            # An article opening (the selection is cleared before it is shown): its arcs are
            # made once, in _show_article, not first on the text still shown.
            return
        self.events.show_selected()

    @contextmanager
    def one_redraw(self) -> Iterator[None]:
        """Within an action the selection and the pending role change several times (adding
        an argument: the role chosen, the edit, the event selected again, the role done):
        the selection's rows, the selected event's arcs and the panels that follow them
        (event panel, side panel) are drawn once, as the action ends, not after each."""
        if self._held is not None:  # an action within an action: the outer one draws
            yield
            return
        held = self._held = _Held()
        try:
            yield
        finally:
            self._held = None
            if held.selection:
                self.view.selection_changed(held.reveal)
            if held.selection or held.events:
                self.events.show_selected()

    def shown_spans(self) -> list:
        return [*self.session.spans, *self.session.suggestions]

    # -- intents -----------------------------------------------------------------------------

    def on_key(self, key: str) -> None:
        self.act(
            self.interaction.press,
            key,
            first_visible=self.view.first_visible_offset(),
            lines=self.view.lines(),
        )

    def apply_label(self, label: str) -> None:
        """A label chosen for the selection (its key, or a click on the palette)."""
        self.act(self.interaction.label, label)

    def delete_selected(self) -> None:
        self.act(self.interaction.delete)

    def set_status(self, status: str) -> None:
        self.act(self.interaction.set_status, status)

    def finish_and_next(self, status: str) -> None:
        self.act(self.interaction.finish_and_next, status)

    def go(self, step: int) -> bool:
        return self.session.go(step)

    def toggle_snap(self, on: bool) -> None:
        self.session.snap_to_tokens = on
        self.view.viewport().update()

    def act(self, intent: Callable[..., Outcome], *args, **kwargs) -> Edit | None:
        """Run an intent of the interaction and carry out its outcome; returns the edit saved,
        if any. A refusal becomes a status message."""
        self.last_edit = None
        try:
            with self.one_redraw():
                outcome = intent(*args, **kwargs)
                said = carry_out(outcome, self.push, self.ask)
        except AnnotatorError as refusal:
            said = str(refusal)
        if said:
            self.message.emit(said)
        elif self.last_edit is not None:
            self.message.emit("")  # an edit made: a message from before it is stale now
        return self.last_edit

    def refused_read_only(self) -> bool:
        """In a read-only window an edit, undo or redo writes nothing and says why."""
        reason = getattr(self.session.store, "read_only", None)
        if reason is None:
            return False
        self.message.emit(f"Read-only: {reason}. Nothing was changed.")
        return True

    def push(self, edit: Edit) -> bool:
        """Put a planned edit on the undo stack, whose first redo() saves it."""
        if self.refused_read_only():
            return False
        command = EditCommand(self.session, edit)
        self.undo_stack.push(command)
        # Read after the push has returned: a failed command is obsolete, already dropped.
        self._written(command.error, first=True)
        if command.failed:
            # The push dropped the steps to redo before the write failed; the log, rolled
            # back with it, still has them: the stack takes them back from there.
            self.restore_history()
            return False
        self.last_edit = edit
        self.saved.emit(time.time())
        return True

    def undo(self) -> None:
        """Ctrl+Z: undo the last edit; if its write fails, the stack moves back at once (no
        write) so that it agrees with the file and the undo can be tried again."""
        self._step(self.undo_stack.undo, self.undo_stack.redo, self.undo_stack.index() - 1)

    def redo(self) -> None:
        self._step(self.undo_stack.redo, self.undo_stack.undo, self.undo_stack.index())

    def _step(self, move: Callable[[], None], back: Callable[[], None], at: int) -> None:
        if not 0 <= at < self.undo_stack.count() or self.refused_read_only():
            return
        command = self.undo_stack.command(at)
        assert isinstance(command, EditCommand)
        with self.one_redraw():
            move()
            if command.failed:
                command.move_only = True
                back()
        self._written(command.error, first=False)
        if not command.failed:
            # Said here, once the write is known to be committed (the stack's indexChanged
            # comes before that is known, and after a failed try it would stay silent).
            self.saved.emit(time.time())
            # What came back or went, in words; it replaces whatever the status bar said.
            article = self.session.article
            what = edit_text(command.edit, command.text(), article.text if article else None)
            undone = at == self.undo_stack.index()  # an undo moved the index down onto it
            self.message.emit(f"{'Undone' if undone else 'Redone'}: {what}")

    def restore_history(self) -> int:
        """Put the steps of the project's undo log back on the stack, without writing: after
        a restart or a crash, Ctrl+Z undoes the last edit made before it (opening its
        article), and the undone ones are there to redo. Returns how many steps."""
        stack = self.undo_stack
        logged = self.session.logged_edits()
        commands = [EditCommand(self.session, step) for step in logged]
        # The stack done up to the last step done (a step another window undid meanwhile is
        # refused by the session's checks if undone again, never written twice).
        done = max((n + 1 for n, step in enumerate(logged) if step.done), default=0)
        # Silent while it is filled (1,000 pushes would rename the menu entries 1,000 times);
        # the menus are told the end state after.
        stack.blockSignals(True)
        try:
            stack.clear()
            for command in commands:
                stack.push(command)  # its redo() only moves the index
            for command in commands[done:]:
                command.move_only = True  # setIndex undoes these without writing
            stack.setIndex(done)
            stack.setClean()
        finally:
            stack.blockSignals(False)
        stack.canUndoChanged.emit(stack.canUndo())
        stack.canRedoChanged.emit(stack.canRedo())
        stack.undoTextChanged.emit(stack.undoText())
        stack.redoTextChanged.emit(stack.redoText())
        stack.indexChanged.emit(stack.index())
        return len(commands)

    def undo_actions(self, parent: QObject) -> tuple[QAction, QAction]:
        """Undo and Redo for the menus, named after the step as QUndoStack names its own, but
        going through undo()/redo() above."""
        stack = self.undo_stack
        undo, redo = QAction("&Undo", parent), QAction("&Redo", parent)
        undo.triggered.connect(self.undo)
        redo.triggered.connect(self.redo)
        undo.setEnabled(False)
        redo.setEnabled(False)
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(lambda step: undo.setText(f"&Undo {step}".strip()))
        stack.redoTextChanged.connect(lambda step: redo.setText(f"&Redo {step}".strip()))
        return undo, redo

    def ask(self, question: str) -> bool:
        answer = QMessageBox.question(self.view, "Not allowed by the schema", question)
        return answer == QMessageBox.StandardButton.Yes

    def _written(self, error: Exception | None, first: bool) -> None:
        """After every write an undo command made, once the stack has returned: remember
        whether it failed (the window then doesn't say "Saved") and say why."""
        self.write_failed = error is not None
        if error is None:
            return
        if isinstance(error, ProjectBusy):  # waited long for another writer: not saved
            self.failed.emit(str(error))
        elif isinstance(error, DiskProblem):  # disk full, I/O error: the message says what to do
            what = "The edit" if first else "Undo/redo"
            self.failed.emit(f"{what} could not be saved. {error}")
        elif isinstance(error, AnnotatorError):  # refused by the store: say why, as a planner would
            self.message.emit(str(error))
        elif first:  # e.g. disk full: say so, keep the window alive
            self.failed.emit(f"The edit could not be saved: {self._why(error)}")
        else:
            self.failed.emit(f"Undo/redo could not be saved: {self._why(error)}")

    def _why(self, error: Exception) -> str:
        """The cause in the person's words: a lock held past the wait is someone else writing."""
        if isinstance(error, sqlite3.Error) and is_busy(error):
            return (
                f"another program is writing to {self.session.store.path.name} (an import, "
                "a suggestion job or another window) and did not finish in time. Nothing was "
                "changed: try again once it is done"
            )
        return str(error)
