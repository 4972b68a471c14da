"""What the keyboard acts on, and what a key means in that state. No Qt here.

The selection (a text range or a span), the event whose roles are being filled, the role
waiting for a filler and the review filter live here, on the model, as napari keeps its
selection and key bindings on a Qt-free model. The view draws this state and reports what the
mouse did; the controller forwards keys to `press`. So what every key does is tested in
tests/core without a window.

Nothing here writes: `press` and the other intents return an `Outcome`, an edit the session
has planned (refusals are raised, and become messages, before anything is written) with what
to do once it is saved. The caller carries it out: the GUI pushes the edit on its undo stack,
a test or a script applies it (`carry_out`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from annotator.core.edits import AddSpan, Decide, Edit, Remove
from annotator.core.errors import EditRefused
from annotator.core.model import SUGGESTED, TRIGGER, Event, Span, stored
from annotator.core.schema import ACCEPT_KEY, REJECT_KEY
from annotator.core.session import ARTICLE, SPANS, RoleRefused, Session

SUGGEST_ORIGIN = "suggest:"  # a suggestion's origin names its source after this

# The keys `press` understands besides single characters (a label's or an event type's key,
# a role's digit, a and x for suggestions): named as Qt's QKeySequence names them.
MOVE_KEYS = {
    "Left": (-1, False),
    "Right": (1, False),
    "Shift+Left": (-1, True),
    "Shift+Right": (1, True),
}
SPAN_KEYS = {"Tab": 1, "Shift+Tab": -1}
REVIEW_KEYS = {"Space": 1, "Shift+Space": -1}


@dataclass(frozen=True)
class ReviewFilter:
    """Which suggestions Space walks: one source, one label, a lowest score (None: any)."""

    source: str | None = None
    label: str | None = None
    min_score: float | None = None

    def wants(self, span: Span) -> bool:
        return (
            (not self.source or span.origin == SUGGEST_ORIGIN + self.source)
            and (not self.label or span.label == self.label)
            and (self.min_score is None or (span.score or 0) >= self.min_score)
        )

    def as_arguments(self) -> dict:
        """As the store's next_article_with_suggestions takes it."""
        return {
            key: value
            for key, value in (
                ("source", self.source),
                ("label", self.label),
                ("min_score", self.min_score),
            )
            if value is not None
        }


@dataclass
class Outcome:
    """What an intent leads to: a planned edit to save, a message, or a question first.

    `after` runs once the edit is saved (it selects what the edit made) and returns the
    message to show. With `question`, the person is asked first: yes gives `override()`
    (the same edit as a marked exception), no gives the message `declined()`.
    """

    edit: Edit | None = None
    message: str = ""
    after: Callable[[Edit], str] | None = None
    question: str = ""
    override: Callable[[], Outcome] | None = None
    declined: Callable[[], str] | None = None
    handled: bool = True


NOTHING = Outcome(handled=False)


def carry_out(
    outcome: Outcome,
    save: Callable[[Edit], bool],
    ask: Callable[[str], bool] = lambda question: False,
) -> str:
    """Ask the outcome's question, save its edit (`save` returns False if the write failed
    and says so itself), run what comes after; returns the message to show."""
    if outcome.question:
        if not ask(outcome.question):
            return outcome.declined() if outcome.declined else ""
        assert outcome.override is not None
        outcome = outcome.override()
    if outcome.edit is None:
        return outcome.message
    if not save(outcome.edit):
        return ""
    return outcome.after(outcome.edit) if outcome.after else outcome.message


class Interaction:
    """The selection, the pending role and the review filter, and what keys do with them."""

    def __init__(self, session: Session):
        self.session = session
        self.anchor: int | None = None  # a text selection, as dragged (not yet snapped)
        self.cursor: int | None = None
        self.span_id: int | None = None  # or a selected span
        self.tokens_at: tuple[int, int] | None = None  # token cursor: (anchor, cursor) indices
        self.chosen_event_id: int | None = None  # of several events on one trigger
        self.pending: tuple[int, str] | None = None  # (event id, role) waiting for a filler
        self.review = ReviewFilter()
        self.reveal: int | None = None  # an offset the view should scroll to, once
        self._listeners: list[Callable[[], None]] = []
        session.subscribe(self._session_changed)

    # -- listening ---------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[], None]) -> None:
        """`listener()` is called whenever the selection, event or pending role changes."""
        self._listeners.append(listener)

    def _changed(self, reveal: int | None = None) -> None:
        self.reveal = reveal
        for listener in list(self._listeners):
            listener()
        self.reveal = None

    def _session_changed(self, what: str, article_id: int) -> None:
        if what == ARTICLE:
            self.anchor = self.cursor = self.span_id = self.tokens_at = None
            self.chosen_event_id = None
            self.pending = None
            self._changed()
        elif what == SPANS and self.span_id is not None and self.selected_span() is None:
            self.span_id = None
            self._changed()

    # -- the selection -----------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """The selected text range as dragged (the session snaps it when labelling)."""
        if self.anchor is None or self.cursor is None or self.anchor == self.cursor:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    def shown_selection(self) -> tuple[int, int] | None:
        """The range to highlight: what labelling would take (snapped to tokens if on)."""
        selection = self.selection()
        if selection and self.session.snap_to_tokens and self.session.article is not None:
            tokens = self.session.tokens
            if len(tokens):
                return tokens.snap(*selection) or selection
        return selection

    def selected_span(self) -> Span | None:
        return self.session.span_by_id(self.span_id) if self.span_id is not None else None

    def select_span(self, span_id: int | None) -> None:
        self.span_id = span_id
        self.anchor = self.cursor = self.tokens_at = None
        span = self.selected_span()
        self._changed(span.start if span else None)

    def select_text(self, start: int, end: int) -> None:
        self.span_id = None
        self.tokens_at = None
        self.anchor, self.cursor = start, end
        self._changed(start)

    def clear(self) -> None:
        self.span_id = None
        self.anchor = self.cursor = self.tokens_at = None
        self._changed()

    # -- what the mouse did (the view reports offsets) ---------------------------------------

    def begin_drag(self, offset: int) -> None:
        self.span_id = None
        self.tokens_at = None
        self.anchor = self.cursor = offset
        self._changed()

    def drag_to(self, offset: int) -> None:
        self.cursor = offset
        self._changed()

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

    def select_word(self, offset: int) -> None:
        if self.session.article is None:
            return
        word = self.session.tokens.word_at(offset)
        if word is not None:
            self.select_text(*word)

    def click_span(self, span: Span) -> Outcome:
        """A span clicked (or Tab-selected and confirmed with Enter): selected, and, with a
        role waiting, it fills the role."""
        self.select_span(span.id)
        if self.pending is None:
            return Outcome()
        event_id, role = self.pending
        event = self.session.event_by_id(event_id)
        if event is None or span.id == event.trigger_id:
            return Outcome()
        self.pending = None
        return self._fill(
            event,
            role,
            lambda override: self.session.plan_add_argument(event, role, span, override),
        )

    # -- keys --------------------------------------------------------------------------------

    def press(self, key: str, *, first_visible: int = 0) -> Outcome:
        """What `key` does now. Keys are named as QKeySequence names them ("Shift+Tab",
        "Space", "Escape"); a printable key is its character, upper case with Shift.
        `first_visible`: the offset at the top of the view, where a token cursor starts
        when nothing is selected."""
        try:
            if key in MOVE_KEYS:
                self.move_token(*MOVE_KEYS[key], first_visible=first_visible)
                return Outcome()
            if key in SPAN_KEYS:
                self.step_span(SPAN_KEYS[key])
                return Outcome()
            if key in REVIEW_KEYS:
                return Outcome(message=self.step_suggestion(REVIEW_KEYS[key]))
            if key == "Escape":
                return self.cancel()
            if key == "Enter":
                span = self.selected_span()
                return self.click_span(span) if span is not None else NOTHING
            if key == "Delete":
                return self.delete()
            if len(key) == 1 and key.isprintable() and key != " ":
                return self.label_key(key)
            return NOTHING
        except EditRefused as refusal:
            return Outcome(message=str(refusal))

    def label_key(self, key: str) -> Outcome:
        """A role's digit, an event type's key, a and x on a suggestion, or a label's key."""
        schema = self.session.store.schema
        # ASCII digits only: "²" (a plain key on AZERTY) is a digit to str.isdigit, not to int.
        if key.isascii() and key.isdigit():
            started = self.start_role(int(key))
            if started is not None:
                return started
        event_type = schema.event_type_for_key(key)
        if event_type is not None:
            return self.add_event(event_type.name)
        if self.selected_suggestion() is not None and key in (ACCEPT_KEY, REJECT_KEY):
            return self.accept() if key == ACCEPT_KEY else self.reject()
        label = schema.label_for_key(key)
        if label is not None:
            filled = self.fill_with_new_entity(label.name)
            return filled if filled is not None else self.label(label.name)
        if key == ACCEPT_KEY:
            return self.accept()
        if key == REJECT_KEY:
            return self.reject()
        return Outcome(message=f"No label or event type has the key {key!r}")

    def cancel(self) -> Outcome:
        had_role = self.pending is not None
        self.pending = None
        self.clear()
        return Outcome(message="Cancelled" if had_role else "")

    def move_token(self, step: int, extend: bool, *, first_visible: int = 0) -> None:
        """The token cursor: ← → move it a token, Shift extends the selection."""
        if self.session.article is None:
            return
        tokens = self.session.tokens
        if not len(tokens):
            return
        if self.tokens_at is None:
            span = self.selected_span()
            start = span.start if span else (self.selection() or (None,))[0]
            if start is None:
                start, step = first_visible, 0
            at = tokens.index_at(start)
            self.tokens_at = (at, at)
        anchor, cursor = self.tokens_at
        cursor = min(max(cursor + step, 0), len(tokens) - 1)
        anchor = anchor if extend else cursor
        self.span_id = None
        self.anchor, self.cursor = tokens.token_range(anchor, cursor)
        self.tokens_at = (anchor, cursor)
        self._changed(tokens.starts[cursor])

    def step_span(self, step: int) -> None:
        """Tab / Shift+Tab: the next or previous span (suggestions too), round the article."""
        spans = self.session.spans + self.session.suggestions
        if not spans:
            return
        ids = [s.id for s in sorted(spans, key=lambda s: (s.start, -s.end, s.id or 0))]
        if self.span_id in ids:
            index = (ids.index(self.span_id) + step) % len(ids)
        else:
            index = 0 if step > 0 else len(ids) - 1
        self.select_span(ids[index])

    # -- labelling ---------------------------------------------------------------------------

    def label(self, label: str) -> Outcome:
        """A label for the selection: relabel the selected span, accept the selected
        suggestion with it, or label the selected text."""
        span = self.selected_span()
        if span is not None and span.state == SUGGESTED:
            return self.accept(label)
        if span is not None:
            if span.label == label:
                return Outcome()
            return Outcome(
                self.session.plan_relabel(span, label), after=lambda edit: self._reselect(span.id)
            )
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

    # -- suggestions -------------------------------------------------------------------------

    def selected_suggestion(self) -> Span | None:
        span = self.selected_span()
        return span if span is not None and span.state == SUGGESTED else None

    def accept(self, label: str | None = None) -> Outcome:
        suggestion = self.selected_suggestion()
        if suggestion is None:
            return Outcome(message="Select a suggestion first (Space goes to the next one)")

        def after(edit: Edit) -> str:
            said = f"Accepted {label or suggestion.label}" + (
                f" (was {suggestion.label})" if label and label != suggestion.label else ""
            )
            return self.step_suggestion(+1, after=suggestion) or said

        return Outcome(self.session.plan_decide(suggestion, True, label), after=after)

    def reject(self) -> Outcome:
        suggestion = self.selected_suggestion()
        if suggestion is None:
            return Outcome(message="Select a suggestion first (Space goes to the next one)")

        def after(edit: Edit) -> str:
            return self.step_suggestion(+1, after=suggestion) or f"Rejected {suggestion.label}"

        return Outcome(self.session.plan_decide(suggestion, False), after=after)

    def decide_all(self, accept: bool, label: str | None = None) -> Outcome:
        try:
            edit = self.session.plan_decide_all(accept, label)
        except EditRefused as refusal:
            return Outcome(message=str(refusal))
        return Outcome(edit, message=edit.description.capitalize())

    def step_suggestion(self, direction: int, after: Span | None = None) -> str:
        """Select the next (or previous) open suggestion the review filter wants, moving on
        to the next article that has one. Returns a message only when there is none."""
        anchor = after or self.selected_span()
        position = (
            (anchor.start, anchor.end) if anchor else ((-1, -1) if direction > 0 else (10**12, 0))
        )
        ordered = self._wanted_suggestions()
        if direction > 0:
            following = [s for s in ordered if (s.start, s.end) > position]
        else:
            following = [s for s in reversed(ordered) if (s.start, s.end) < position]
        if following:
            self.select_span(following[0].id)
            return ""
        article = self.session.article
        target = (
            self.session.store.next_article_with_suggestions(
                article.id, direction, **self.review.as_arguments()
            )
            if article
            else None
        )
        if target is None:
            return "No more open suggestions" + (
                " after this one" if direction > 0 else " before this one"
            )
        self.session.open_article(target)
        ordered = self._wanted_suggestions()
        if ordered:
            self.select_span((ordered[0] if direction > 0 else ordered[-1]).id)
        return ""

    def _wanted_suggestions(self) -> list[Span]:
        return sorted(
            (s for s in self.session.suggestions if self.review.wants(s)),
            key=lambda s: (s.start, s.end),
        )

    # -- events ------------------------------------------------------------------------------

    def current_event(self) -> Event | None:
        """The event whose roles keys fill: the chosen one on the selected trigger."""
        span = self.selected_span()
        if span is None or span.kind != TRIGGER:
            return None
        events = self.session.events_on(span)
        chosen = next((e for e in events if e.id == self.chosen_event_id), None)
        return chosen or (events[0] if events else None)

    def select_event(self, event_id: int) -> None:
        event = self.session.event_by_id(event_id)
        if event is None:
            return
        self.chosen_event_id = event_id
        self.select_span(event.trigger_id)

    def add_event(self, event_type: str) -> Outcome:
        """An event type's key (Shift+letter): a new event on the selected trigger or text."""
        span = self.selected_span()
        edit = self.session.plan_add_event(
            event_type, selection=None if span else self.selection(), on_span=span
        )

        def after(edit: Edit) -> str:
            self.chosen_event_id = edit.event.id  # type: ignore[attr-defined]
            self.select_span(edit.event.trigger_id)  # type: ignore[attr-defined]
            return f"{event_type} added: press 1-9 to fill its roles"

        return Outcome(edit, after=after)

    def start_role(self, number: int, event: Event | None = None) -> Outcome | None:
        """A digit: the role of that number waits for a filler (None: no event selected)."""
        event = event or self.current_event()
        if event is None:
            return None
        event_type = self.session.store.schema.event_type(event.type)
        roles = event_type.roles if event_type else ()
        if not 1 <= number <= len(roles):
            return Outcome(message=f"{event.type} has {len(roles)} role(s): press 1-{len(roles)}")
        return self.start_named_role(stored(event.id), roles[number - 1].name)

    def start_named_role(self, event_id: int, role: str) -> Outcome:
        event = self.session.event_by_id(event_id)
        if event is None:
            return Outcome()
        self.select_event(event_id)
        self.pending = (event_id, role)
        self._changed()
        return Outcome(
            message=f"{role} of {event.type}: click the span that fills it, or "
            "select text and press its label key (Esc cancels)"
        )

    def fill_with_new_entity(self, label: str) -> Outcome | None:
        """With a role pending and text selected, a label key makes the filler on the spot
        (None: no role pending, so the key labels as usual)."""
        selection = self.selection()
        if self.pending is None or selection is None:
            return None
        event_id, role = self.pending
        event = self.session.event_by_id(event_id)
        if event is None:
            return None
        self.pending = None
        return self._fill(
            event,
            role,
            lambda override: self.session.plan_add_new_argument(
                event, role, *selection, label, override
            ),
        )

    def _fill(self, event: Event, role: str, plan: Callable[[bool], Edit]) -> Outcome:
        """Fill a role; a filler the schema doesn't allow becomes a question: add it anyway,
        marked as a deliberate exception?"""
        event_id = stored(event.id)

        def after(edit: Edit) -> str:
            self.select_event(event_id)
            return f"{role} of {event.type} saved"

        try:
            return Outcome(plan(False), after=after)
        except RoleRefused as refused:
            reason = str(refused)  # the name `refused` is gone once the except block ends

        def declined() -> str:
            self.select_event(event_id)
            return f"Not added: {reason}"

        return Outcome(
            question=f"{reason}.\n\nAdd it anyway, marked as a deliberate exception?",
            override=lambda: Outcome(plan(True), after=after),
            declined=declined,
        )

    def delete_event(self, event_id: int) -> Outcome:
        event = self.session.event_by_id(event_id)
        if event is None:
            return Outcome()

        def after(edit: Edit) -> str:
            self._changed()
            return removed_message(edit, f"Deleted event {event.type}")

        return Outcome(self.session.plan_remove_event(event), after=after)

    def delete_argument(self, event_id: int, argument_id: int) -> Outcome:
        event = self.session.event_by_id(event_id)
        arg = next((a for a in event.arguments if a.id == argument_id), None) if event else None
        if event is None or arg is None:
            return Outcome()

        def after(edit: Edit) -> str:
            self.select_event(event_id)
            return f"Deleted {arg.role} of {event.type}"

        return Outcome(self.session.plan_remove_argument(arg), after=after)

    def change_event_type(self, event_id: int, event_type: str) -> Outcome:
        event = self.session.event_by_id(event_id)
        if event is None or event.type == event_type:
            return Outcome()

        def after(edit: Edit) -> str:
            self.select_event(event_id)
            return ""

        return Outcome(self.session.plan_change_event_type(event, event_type), after=after)


def removed_message(edit: Edit, what: str) -> str:
    """Say what a delete took with it (the arguments a span filled, a trigger's events)."""
    extra = edit.also_removed() if isinstance(edit, Remove) else ""
    return f"{what} and {extra} (Ctrl+Z brings them back)" if extra else what
