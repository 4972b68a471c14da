"""What a key means in the current state. No Qt here.

The state (the selection, the event whose roles are being filled, the role waiting for a
filler, the review filter) is in interaction_state, on the model, as napari keeps its
selection and key bindings on a Qt-free model. The view draws that state and reports what the
mouse did; the controller forwards keys to `press`. So what every key does is tested in
tests/core without a window.

Nothing here writes: `press` and the other intents return an `Outcome`, an edit the session
has planned (refusals are raised, and become messages, before anything is written) with what
to do once it is saved. The caller carries it out: the GUI pushes the edit on its undo stack,
a test or a script applies it (`carry_out`).
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.cursor import CursorMoves, Lines, TextLines
from annotator.core.edits import AddSpan, Decide, Edit, ResizeSpan
from annotator.core.errors import AnnotatorError, EditRefused
from annotator.core.event_intents import EventIntents
from annotator.core.interaction_state import ReviewFilter
from annotator.core.keymap import DEFAULT, TEXT, KeyMap
from annotator.core.model import SUGGESTED, Span
from annotator.core.outcome import NOTHING, Outcome, carry_out, removed_message
from annotator.core.review_intents import ReviewIntents

__all__ = ["NOTHING", "Interaction", "Outcome", "ReviewFilter", "carry_out"]


class Keyed:
    """What a key press has to go on: the view's lines and the first offset it shows (where a
    token cursor starts when nothing is selected)."""

    def __init__(self, lines: Lines, first_visible: int):
        self.lines, self.first_visible = lines, first_visible


Handler = Callable[["Interaction", Keyed], Outcome]


def _moved(move: Callable[[Interaction, Keyed], object]) -> Handler:
    """A move of the cursor as a handler: it writes nothing; a message if it said one."""

    def run(self: Interaction, keyed: Keyed) -> Outcome:
        said = move(self, keyed)
        return Outcome(message=said if isinstance(said, str) else "")

    return run


def _by_token(step: int, extend: bool) -> Handler:
    return _moved(lambda self, k: self.move_token(step, extend, first_visible=k.first_visible))


def _by_line(step: int, extend: bool) -> Handler:
    return _moved(
        lambda self, k: self.move_line(step, extend, k.lines, first_visible=k.first_visible)
    )


def _to_line_end(end: bool, extend: bool) -> Handler:
    return _moved(
        lambda self, k: self.move_line_end(end, extend, k.lines, first_visible=k.first_visible)
    )


def _by_name(step: int, extend: bool) -> Handler:
    return _moved(lambda self, k: self.move_candidate(step, extend, first_visible=k.first_visible))


# What each action of the key map (annotator.core.keymap, scope TEXT) does. A test checks that
# every TEXT action has an entry here and every entry a binding: the key map is the one list.
HANDLERS: dict[str, Handler] = {
    **{
        f"{kind}.{name}": make(step, kind == "extend")
        for kind in ("cursor", "extend")
        for name, make, step in (
            ("left", _by_token, -1),
            ("right", _by_token, 1),
            ("up", _by_line, -1),
            ("down", _by_line, 1),
            ("next_candidate", _by_name, 1),
            ("previous_candidate", _by_name, -1),
        )
    },
    **{
        f"{kind}.{name}": _to_line_end(end, kind == "extend")
        for kind in ("cursor", "extend")
        for name, end in (("line_start", False), ("line_end", True))
    },
    "span.next": _moved(lambda self, k: self.step_span(1)),
    "span.previous": _moved(lambda self, k: self.step_span(-1)),
    "span.start_earlier": lambda self, k: self.move_edge(True, -1),
    "span.start_later": lambda self, k: self.move_edge(True, 1),
    "span.end_earlier": lambda self, k: self.move_edge(False, -1),
    "span.end_later": lambda self, k: self.move_edge(False, 1),
    "span.delete": lambda self, k: self.delete(),
    "span.confirm": lambda self, k: self.confirm(),
    "selection.clear": lambda self, k: self.cancel(),
    "review.next": lambda self, k: Outcome(message=self.step_suggestion(1)),
    "review.previous": lambda self, k: Outcome(message=self.step_suggestion(-1)),
    "review.accept": lambda self, k: self.accept(),
    "review.reject": lambda self, k: self.reject(),
}


class Interaction(CursorMoves, ReviewIntents, EventIntents):
    """The state the keyboard acts on (interaction_state) and what keys, clicks and menu
    entries do with it: labelling and deleting here, review_intents and event_intents for the
    rest."""

    def end_drag(self) -> Outcome:
        """A drag ends; a click without a drag on labelled text picks its innermost span."""
        if self.selection() is not None or self.anchor is None:
            return NOTHING
        offset = self.anchor
        inner = [
            s for s in self.session.spans + self.session.suggestions if s.start <= offset < s.end
        ]
        self.anchor = self.cursor = None
        if not inner:
            self._changed()
            return NOTHING
        return self.click_span(min(inner, key=lambda s: s.length))

    def click_span(self, span: Span) -> Outcome:
        """A span clicked (or Tab-selected and confirmed with Enter): selected, and, with a
        role waiting, it fills the role."""
        event = self.session.event_by_id(self.pending[0]) if self.pending else None
        if event is None or span.id == event.trigger_id:
            self.select_span(span.id)
            return Outcome()
        assert self.pending is not None
        role = self.pending[1]
        self.pending = None
        # The filler is not selected on the way: the event stays selected (`after`), and
        # selecting the span between would rebuild the side panels twice and scroll to it and
        # back, on a long article a frame's worth of work for nothing seen. A question or a
        # refusal shows the span it is about, as a click on it does.
        try:
            outcome = self._fill(
                event,
                role,
                lambda override: self.session.plan_add_argument(event, role, span, override),
            )
        except AnnotatorError:
            self.select_span(span.id)
            raise
        if outcome.question:
            self.select_span(span.id)
        return outcome

    keymap: KeyMap = DEFAULT  # a project's own key map would be set here

    def press(self, key: str, *, first_visible: int = 0, lines: Lines | None = None) -> Outcome:
        """What `key` does now, as the key map (annotator.core.keymap) says. Keys are named as
        QKeySequence names them ("Shift+Tab", "Alt+Left"); a printable key is its character,
        upper case with Shift. `first_visible`: the offset at the top of the view, where a
        token cursor starts when nothing is selected; `lines`: the lines as the view draws
        them (↑ ↓ Home End), else the text's paragraphs."""
        try:
            action = self.keymap.action_for(key, TEXT)
            if action is not None:
                text = self.session.article.text if self.session.article else ""
                keyed = Keyed(lines or TextLines(text), first_visible)
                return HANDLERS[action](self, keyed)
            if len(key) == 1 and key.isprintable() and key != " ":
                return self.label_key(key)
            return NOTHING
        except EditRefused as refusal:
            return Outcome(message=str(refusal))

    def confirm(self) -> Outcome:
        """Enter: the selected span fills the waiting role (as a click on it would)."""
        span = self.selected_span()
        return self.click_span(span) if span is not None else NOTHING

    def move_edge(self, start_edge: bool, step: int) -> Outcome:
        """Alt+← → (start) and Alt+Shift+← → (end): a selection's edge moves a token; a
        selected span's edge too, as an edit that Ctrl+Z undoes."""
        if self.move_selection_edge(start_edge, step):
            return Outcome()
        span = self.selected_span()
        if span is None:
            return Outcome(message="Select a span or some text first")
        if span.state == SUGGESTED:
            return Outcome(message="Accept the suggestion first, or select the right text over it")
        self.session.check_editable(span, "span")
        bounds = self.edge_bounds(span.start, span.end, start_edge, step)
        if bounds == (span.start, span.end):
            return Outcome(message="That edge can't move further")
        for other in self.session.spans:
            if (
                (other.start, other.end, other.label, other.kind)
                == (
                    *bounds,
                    span.label,
                    span.kind,
                )
                and other.id != span.id
                and self.session.editable(other)
            ):
                raise EditRefused(f"this text is already labelled {span.label}")
        return Outcome(ResizeSpan(span, *bounds), after=lambda edit: self._reselect(span.id))

    def label_key(self, key: str) -> Outcome:
        """A role's digit, an event type's key, or a label's key. Accept and reject are the
        key map's (review.accept, review.reject, in press): a key they no longer have (a
        after accept moved to h) is a plain key here, and accepts nothing."""
        schema = self.session.store.schema
        # ASCII digits only: "²" (a plain key on AZERTY) is a digit to str.isdigit, not to int.
        if key.isascii() and key.isdigit():
            started = self.start_role(int(key))
            if started is not None:
                return started
        event_type = schema.event_type_for_key(key)
        if event_type is not None:
            return self.add_event(event_type.name)
        label = schema.label_for_key(key)
        if label is not None:
            filled = self.fill_with_new_entity(label.name)
            return filled if filled is not None else self.label(label.name)
        return Outcome(message=f"No label or event type has the key {key!r}")

    def cancel(self) -> Outcome:
        had_role = self.pending is not None
        self.pending = None
        self.clear()
        return Outcome(message="Cancelled" if had_role else "")

    def label(self, label: str) -> Outcome:
        """A label for the selection: relabel the selected span, accept the selected
        suggestion with it, or label the selected text."""
        span = self.selected_span()
        if span is not None and span.state == SUGGESTED:
            return self.accept(label)
        if span is not None:
            if span.label == label:
                return Outcome()
            relabel = self.session.plan_relabel(span, label)
            if isinstance(relabel, AddSpan):  # an annotator's span while adjudicating

                def into_gold(edit: Edit) -> str:
                    self.select_span(relabel.span.id)
                    return f"{label} put into gold here ({span.annotator}'s {span.label} stays)"

                return Outcome(relabel, after=into_gold)
            return Outcome(relabel, after=lambda edit: self._reselect(span.id))
        selection = self.selection()
        if selection is None:
            return Outcome(
                message="Select some text first: drag over it, double-click a word, "
                "or use the arrow keys"
            )
        edit = self.session.plan_label_selection(*selection, label)

        def after(edit: Edit) -> str:
            if isinstance(edit, AddSpan):
                self.select_span(edit.span.id)
            elif isinstance(edit, Decide):
                self.select_span(edit.span.id)
                return f"Suggestion {edit.decision} as {label}"
            return ""

        return Outcome(edit, after=after)

    def _reselect(self, span_id: int | None) -> str:
        self.select_span(span_id)
        return ""

    def delete(self) -> Outcome:
        """Delete (or Backspace): the selected span with what depends on it; a suggestion is
        rejected."""
        span = self.selected_span()
        if span is None:
            return Outcome(message="Select a span to delete: click it or press Tab")
        if span.state == SUGGESTED:
            return self.reject()

        def after(edit: Edit) -> str:
            self.clear()
            return removed_message(edit, f"Deleted {span.label}")

        return Outcome(self.session.plan_remove(span), after=after)

    def set_status(self, status: str) -> Outcome:
        article = self.session.article
        if article is None or article.status == status:
            return Outcome()
        return Outcome(self.session.plan_set_status(status))

    def finish_and_next(self, status: str) -> Outcome:
        """Ctrl+Enter (done) / Ctrl+Shift+Enter (skipped): mark it and open the next."""
        marked = self.set_status(status)

        def after(edit: Edit | None = None) -> str:
            return "" if self.session.go(+1) else "That was the last article in the list"

        if marked.edit is None:
            return Outcome(message=after())
        return Outcome(marked.edit, after=after)
