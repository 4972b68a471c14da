"""One class per kind of edit, each able to apply and revert itself on the store.

The session plans an edit (checks it against the schema and the article, raising EditRefused
before anything is written); the GUI's undo stack, or a script, then applies it. Each apply or
revert is one transaction (`store.write()`), so an edit is either saved whole or not at all.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.core.model import ACCEPTED, NEW, Argument, Event, Removal, Span, stored
from annotator.core.storage import Store


class Edit:
    article_id: int
    description: str = "edit"
    # Whether applying or reverting can change the article's events (the session then reads
    # them again); most edits touch spans only.
    touches_events: bool = True
    # Its row in the project's undo log, (seq, time made), once the window has logged it.
    log_entry: tuple[int, float] | None = None

    def apply(self, store: Store) -> None:
        raise NotImplementedError

    def revert(self, store: Store) -> None:
        raise NotImplementedError

    def touched(self) -> Touched | None:
        """The span and event ids whose rows applying or reverting this edit may have
        changed (the same both ways: a redo keeps the ids), so that the session reads those
        rows again instead of the whole article; None when unknown (a write that failed
        before it had ids): the session then reads everything."""
        return None


Touched = tuple[set[int], set[int]]  # (span ids, event ids)


def _known(spans: list[int | None], events: list[int | None]) -> Touched | None:
    if None in spans or None in events:
        return None
    return {i for i in spans if i is not None}, {i for i in events if i is not None}


class AddSpan(Edit):
    def __init__(self, span: Span, text_length: int | None = None):
        self.span = span
        self.article_id = span.article_id
        self.description = f"add {span.label}"
        self._text_length = text_length
        self.started = False  # whether it moved a new article to "in progress"

    touches_events = False

    def touched(self) -> Touched | None:
        return _known([self.span.id], [])

    def apply(self, store: Store) -> None:
        with store.write():
            self.span = store.insert_span(self.span, self._text_length)
            # The first span on a new article means work on it has started (a redo decides
            # afresh).
            self.started = store.start_work(self.article_id)

    def revert(self, store: Store) -> None:
        with store.write():
            store.delete_span(stored(self.span.id))
            if self.started:
                store.undo_start_work(self.article_id)


class Remove(Edit):
    """Delete spans, events or arguments with everything that depends on them.

    The removal is planned when the edit is applied (so a redo plans it afresh) and
    kept, so that reverting restores every row with its id.
    """

    def __init__(self, article_id: int, description: str, *, spans=(), events=(), arguments=()):
        self.article_id = article_id
        self.description = description
        self._targets = (tuple(spans), tuple(events), tuple(arguments))
        self.removal: Removal | None = None

    def touched(self) -> Touched | None:
        if self.removal is None:
            return None
        removal = self.removal
        events = [e.id for e in removal.events] + [a.event_id for a in removal.arguments]
        return _known([s.id for s in removal.spans], events)

    def apply(self, store: Store) -> None:
        span_ids, event_ids, argument_ids = self._targets
        self.removal = store.plan_removal(span_ids, event_ids, argument_ids)
        store.apply_removal(self.removal)

    def revert(self, store: Store) -> None:
        assert self.removal is not None, "reverted before it was applied"
        store.restore_removal(self.removal)

    def also_removed(self) -> str:
        """What went beyond the targets, for the status bar ("and 2 arguments")."""
        if self.removal is None:
            return ""
        span_ids, event_ids, argument_ids = self._targets
        extra_spans = [s for s in self.removal.spans if s.id not in span_ids]
        extra_events = [e for e in self.removal.events if e.id not in event_ids]
        args = [a for a in self.removal.arguments if a.id not in argument_ids]
        args += [a for e in self.removal.events for a in e.arguments]
        parts = []
        if extra_events:
            parts.append(f"{len(extra_events)} event(s) it triggered")
        if args:
            roles = sorted({a.role for a in args})
            parts.append(f"{len(args)} argument(s) ({', '.join(roles)})")
        if extra_spans:
            parts.append(f"{len(extra_spans)} trigger span(s) no longer used")
        return " and ".join(parts)


def RemoveSpan(span: Span) -> Remove:
    return Remove(span.article_id, f"delete {span.label}", spans=[span.id])


class AddEvent(Edit):
    """A new event on a trigger: an existing trigger span, or one made from the selection."""

    def __init__(self, event: Event, trigger: Span | None = None):
        self.event = event
        self.trigger = trigger  # a new trigger span to create, or None to use event.trigger_id
        self.article_id = event.article_id
        self.description = f"add event {event.type}"
        self.started = False

    def touched(self) -> Touched | None:
        return _known([self.trigger.id] if self.trigger else [], [self.event.id])

    def apply(self, store: Store) -> None:
        with store.write():
            trigger_id = self.event.trigger_id
            if self.trigger is not None:
                self.trigger = store.insert_span(self.trigger)
                trigger_id = self.trigger.id
            self.event = store.insert_event(replace(self.event, trigger_id=trigger_id))
            self.started = store.start_work(self.article_id)

    def revert(self, store: Store) -> None:
        with store.write():
            store.apply_removal(Removal(events=[self.event]))
            if self.trigger is not None:
                store.delete_span(stored(self.trigger.id))
            # As undoing a first span does: the article is new again (this was a bug once).
            if self.started:
                store.undo_start_work(self.article_id)


class AddArgument(Edit):
    """Fill a role; with `new_span`, the filler is a span created in the same step."""

    def __init__(
        self, article_id: int, argument: Argument, description: str, new_span: AddSpan | None = None
    ):
        self.article_id = article_id
        self.argument = argument
        self.description = description
        self.new_span = new_span

    def touched(self) -> Touched | None:
        spans = [self.new_span.span.id] if self.new_span else []
        return _known(spans, [self.argument.event_id])

    def apply(self, store: Store) -> None:
        with store.write():
            if self.new_span is not None:
                self.new_span.apply(store)
                self.argument = replace(self.argument, span_id=self.new_span.span.id)
            self.argument = store.insert_argument(self.argument)

    def revert(self, store: Store) -> None:
        with store.write():
            store.apply_removal(Removal(arguments=[self.argument]))
            if self.new_span is not None:
                self.new_span.revert(store)


class ChangeEventType(Edit):
    """Give an event another type; its trigger span takes the new type as its label."""

    def __init__(self, event: Event, event_type: str):
        self.event = event
        self.event_type = event_type
        self.article_id = event.article_id
        self.description = f"change {event.type} to {event_type}"

    def touched(self) -> Touched | None:
        return _known([self.event.trigger_id] if self.event.trigger_id else [], [self.event.id])

    def apply(self, store: Store) -> None:
        with store.write():
            store.set_event_type(stored(self.event.id), self.event_type)
            if self.event.trigger_id is not None:
                store.relabel_span(self.event.trigger_id, self.event_type)

    def revert(self, store: Store) -> None:
        with store.write():
            store.set_event_type(stored(self.event.id), self.event.type)
            if self.event.trigger_id is not None:
                store.relabel_span(self.event.trigger_id, self.event.type)


class Decide(Edit):
    """Accept (as it is, relabelled or resized) or reject one suggestion; keeps provenance."""

    def __init__(
        self,
        span: Span,
        state: str,
        decision: str,
        label: str | None = None,
        bounds: tuple[int, int] | None = None,
    ):
        self.span = span
        self.article_id = span.article_id
        self.state, self.decision, self.label, self.bounds = state, decision, label, bounds
        self.description = f"{decision} {label or span.label}"
        self.started = False

    def touched(self) -> Touched | None:
        return _known([self.span.id], [])

    touches_events = False

    def apply(self, store: Store) -> None:
        with store.write():
            store.decide(stored(self.span.id), self.state, self.decision, self.label, self.bounds)
            # Accepting the first suggestion starts work on an article, as a first span does.
            self.started = self.state == ACCEPTED and store.start_work(self.article_id)

    def revert(self, store: Store) -> None:
        with store.write():
            # An open suggestion has no decision yet: the one it gets is undone to none.
            store.decide(
                stored(self.span.id),
                self.span.state,
                self.span.decision,
                self.span.label,
                (self.span.start, self.span.end),
            )
            if self.started:
                store.undo_start_work(self.article_id)


class Batch(Edit):
    """Several edits as one undo step (accept all, reject all): on one article, or across
    the corpus (all of one label), where `article_id` is the article it was made from, the
    one an undo shows."""

    def __init__(self, edits: list[Edit], description: str, article_id: int | None = None):
        self.edits = edits
        self.article_id = edits[0].article_id if article_id is None else article_id
        self.description = description
        self.touches_events = any(edit.touches_events for edit in edits)

    @property
    def articles(self) -> set[int]:
        return {edit.article_id for edit in self.edits}

    def touched(self) -> Touched | None:
        if any(edit.article_id != self.article_id for edit in self.edits):
            # Rows of other articles: the open one is read again whole, never patched with them.
            return None
        spans: set[int] = set()
        events: set[int] = set()
        for edit in self.edits:
            part = edit.touched()
            if part is None:
                return None
            spans |= part[0]
            events |= part[1]
        return spans, events

    def apply(self, store: Store) -> None:
        with store.write():
            for edit in self.edits:
                edit.apply(store)

    def revert(self, store: Store) -> None:
        with store.write():
            for edit in reversed(self.edits):
                edit.revert(store)


class RelabelSpan(Edit):
    def __init__(self, span: Span, label: str):
        self.span = span
        self.label = label
        self.article_id = span.article_id
        self.description = f"relabel {span.label} as {label}"

    touches_events = False

    def touched(self) -> Touched | None:
        return _known([self.span.id], [])

    def apply(self, store: Store) -> None:
        store.relabel_span(stored(self.span.id), self.label)

    def revert(self, store: Store) -> None:
        store.relabel_span(stored(self.span.id), self.span.label)


class ResizeSpan(Edit):
    """Move a span's edges (Alt+arrows); the span keeps its id, label and arguments."""

    def __init__(self, span: Span, start: int, end: int):
        self.span = span
        self.start, self.end = start, end
        self.article_id = span.article_id
        self.description = f"resize {span.label}"

    touches_events = False

    def touched(self) -> Touched | None:
        return _known([self.span.id], [])

    def apply(self, store: Store) -> None:
        store.move_span(stored(self.span.id), self.start, self.end)

    def revert(self, store: Store) -> None:
        store.move_span(stored(self.span.id), self.span.start, self.span.end)


class SetStatus(Edit):
    def __init__(self, article_id: int, status: str):
        self.article_id = article_id
        self.status = status
        self.description = f"mark {status.replace('_', ' ')}"
        self._old: str | None = None

    touches_events = False

    def apply(self, store: Store) -> None:
        self._old = store.set_status(self.article_id, self.status)

    def revert(self, store: Store) -> None:
        store.set_status(self.article_id, self._old or NEW)
