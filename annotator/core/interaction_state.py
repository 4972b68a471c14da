"""What the keyboard acts on: the selection (a text range or a span, and the token cursor),
the event whose roles are being filled, the role waiting for a filler, and the review filter.

It lives on the Qt-free model, as napari keeps its selection on its model; the view draws it
and listens for changes. Moving the selection writes nothing, so these methods return nothing;
the intents that lead to edits are in review_intents, event_intents and interaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from annotator.core.model import SUGGESTED, TRIGGER, Event, Span
from annotator.core.session import ARTICLE, SPANS, Session

SUGGEST_ORIGIN = "suggest:"  # a suggestion's origin names its source after this


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


class InteractionState:
    """The selection, the chosen event, the pending role and the review filter."""

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

    def begin_drag(self, offset: int) -> None:
        self.span_id = None
        self.tokens_at = None
        self.anchor = self.cursor = offset
        self._changed()

    def drag_to(self, offset: int) -> None:
        self.cursor = offset
        self._changed()

    def select_word(self, offset: int) -> None:
        if self.session.article is None:
            return
        word = self.session.tokens.word_at(offset)
        if word is not None:
            self.select_text(*word)

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
        """Tab / Shift+Tab: the next or previous span (suggestions too) after the selected
        one, round the article. With a role waiting, only the spans that may fill it: the
        role's digit, Tab and Enter fill it from the nearest one after the trigger."""
        spans = self.session.spans + self.session.suggestions
        fillers = self._possible_fillers(spans)
        if fillers:
            spans = fillers
        if not spans:
            return
        order = sorted(spans, key=lambda s: (s.start, -s.end, s.id or 0))
        ids = [s.id for s in order]
        current = self.selected_span()
        if current is not None and current.id in ids:
            index = (ids.index(current.id) + step) % len(ids)
        elif current is not None:  # e.g. the trigger, when Tab walks its role's fillers
            here = (current.start, -current.end, current.id or 0)
            keys = [(s.start, -s.end, s.id or 0) for s in order]
            after = [n for n, key in enumerate(keys) if (key > here if step > 0 else key < here)]
            index = (after[0] if step > 0 else after[-1]) if after else (0 if step > 0 else -1)
        else:
            index = 0 if step > 0 else len(ids) - 1
        self.select_span(ids[index])

    def _possible_fillers(self, spans: list[Span]) -> list[Span]:
        """With a role waiting, the spans the schema lets fill it (not its own trigger)."""
        if self.pending is None:
            return []
        event = self.session.event_by_id(self.pending[0])
        schema = self.session.store.schema
        event_type = schema.event_type(event.type) if event else None
        role = event_type.role(self.pending[1]) if event_type else None
        if event is None or role is None:
            return []
        return [
            span
            for span in spans
            if span.id != event.trigger_id
            and span.state != SUGGESTED
            and role.allows(span.label, span.kind == TRIGGER)
        ]

    def selected_suggestion(self) -> Span | None:
        span = self.selected_span()
        return span if span is not None and span.state == SUGGESTED else None

    def current_event(self) -> Event | None:
        """The event whose roles keys fill: the one whose role waits for a filler, else the
        chosen one on the selected trigger."""
        if self.pending is not None:
            waiting = self.session.event_by_id(self.pending[0])
            if waiting is not None:
                return waiting
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
