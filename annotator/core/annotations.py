"""The open article's spans, open suggestions and events: lists in the store's order, lookups
by id, and patches in place.

After an edit the session reads again only the rows the edit touched (Edit.touched) and
patches them in here, instead of reading an article of 5,000 spans whole; the Change it gets
back tells the views what to draw anew. A patch leaves exactly what a full read would give:
the lists in the store's order (spans by start, longer first, then id; events by id).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.model import ACCEPTED, SUGGESTED, Event, Span


def span_order(span: Span) -> tuple[int, int, int]:
    """The store's order of spans (ORDER BY start, end DESC, id)."""
    return (span.start, -span.end, span.id or 0)


def _event_order(event: Event) -> int:
    return event.id or 0


@dataclass
class Change:
    """What an edit changed on the open article: the touched spans and events as they were
    and as they are now (a row that went is only in `before`, a new one only in `after`)."""

    spans_before: list[Span] = field(default_factory=list)
    spans_after: list[Span] = field(default_factory=list)
    events_before: list[Event] = field(default_factory=list)
    events_after: list[Event] = field(default_factory=list)
    # Events whose shown row may differ: the touched ones and those that use a touched span.
    affected_events: set[int] = field(default_factory=set)

    @property
    def span_range(self) -> tuple[int, int] | None:
        """The characters whose marks may have changed, or None if no span did."""
        spans = [*self.spans_before, *self.spans_after]
        if not spans:
            return None
        return min(s.start for s in spans), max(s.end for s in spans)


class Annotations:
    def __init__(self) -> None:
        self.spans: list[Span] = []  # accepted
        self.suggestions: list[Span] = []  # open suggestions
        self.events: list[Event] = []
        self._index()

    def load(self, both: list[Span], events: list[Event] | None) -> None:
        """Everything anew from a full read (spans in the store's order); events kept if None."""
        self.spans = [span for span in both if span.state == ACCEPTED]
        self.suggestions = [span for span in both if span.state == SUGGESTED]
        if events is not None:
            self.events = events
        self._index()

    def _index(self) -> None:
        # Lookups by id, so that views of an article with thousands of events don't scan
        # lists per row.
        self.spans_by_id: dict[int | None, Span] = {
            span.id: span for span in [*self.spans, *self.suggestions]
        }
        self.events_by_id: dict[int | None, Event] = {event.id: event for event in self.events}
        self.events_by_trigger: dict[int | None, list[Event]] = {}
        self.events_by_span: dict[int | None, set[int | None]] = {}
        for event in self.events:
            self.events_by_trigger.setdefault(event.trigger_id, []).append(event)
            self._link(event)

    def _uses(self, event: Event) -> set[int | None]:
        """The spans an event's row shows: its trigger and its fillers (an event filling a
        role shows its trigger)."""
        used = {event.trigger_id}
        for arg in event.arguments:
            if arg.span_id is not None:
                used.add(arg.span_id)
            else:
                filler = self.events_by_id.get(arg.arg_event_id)
                used.add(filler.trigger_id if filler else None)
        used.discard(None)
        return used

    def _link(self, event: Event) -> None:
        for span_id in self._uses(event):
            self.events_by_span.setdefault(span_id, set()).add(event.id)

    def _unlink(self, event: Event) -> None:
        for span_id in self._uses(event):
            users = self.events_by_span.get(span_id)
            if users is not None:
                users.discard(event.id)
                if not users:  # as a fresh index has it: no key for a span no event uses
                    del self.events_by_span[span_id]

    # -- patching ----------------------------------------------------------------------------

    def patch(
        self,
        article_id: int,
        span_ids: Iterable[int],
        fresh_spans: dict[int, Span],
        event_ids: Iterable[int],
        fresh_events: dict[int, Event],
    ) -> Change:
        """Put the rows read again (`fresh_*`: those of the ids that still exist) in place of
        what was shown for those ids."""
        change = Change()
        for span_id in span_ids:
            old = self.spans_by_id.pop(span_id, None)
            if old is not None:
                take_sorted(self._list_of(old), old, span_order)
                change.spans_before.append(old)
            new = fresh_spans.get(span_id)
            if new is not None and new.article_id == article_id:
                shown = self._list_of(new)
                if shown is not None:
                    insort(shown, new, key=span_order)
                    self.spans_by_id[span_id] = new
                    change.spans_after.append(new)
        for event_id in event_ids:
            old_event = self.events_by_id.pop(event_id, None)
            if old_event is not None:
                self._unlink(old_event)
                take_sorted(self.events, old_event, _event_order)
                on_trigger = self.events_by_trigger.get(old_event.trigger_id)
                take_sorted(on_trigger, old_event, _event_order)
                if on_trigger is not None and not on_trigger:
                    del self.events_by_trigger[old_event.trigger_id]
                change.events_before.append(old_event)
            new_event = fresh_events.get(event_id)
            if new_event is not None and new_event.article_id == article_id:
                insort(self.events, new_event, key=_event_order)
                insort(
                    self.events_by_trigger.setdefault(new_event.trigger_id, []),
                    new_event,
                    key=_event_order,
                )
                self.events_by_id[event_id] = new_event
                self._link(new_event)
                change.events_after.append(new_event)
        affected = {e.id for e in [*change.events_before, *change.events_after]}
        for span in [*change.spans_before, *change.spans_after]:
            affected |= self.events_by_span.get(span.id, set())
        change.affected_events = {i for i in affected if i is not None}
        return change

    def _list_of(self, span: Span) -> list[Span] | None:
        if span.state == ACCEPTED:
            return self.spans
        if span.state == SUGGESTED:
            return self.suggestions
        return None  # rejected: not shown


def take_sorted(items, item, key) -> None:
    """Remove `item` (by identity of id) from a list sorted by `key`."""
    if not items:
        return
    at = bisect_left(items, key(item), key=key)
    while at < len(items) and key(items[at]) == key(item):
        if items[at].id == item.id:
            del items[at]
            return
        at += 1
