"""What adjudication compares: each annotator's layer on one article as plain units (offsets,
labels, types, roles), never row ids, since two people's rows never share ids.

An argument carries its filler's offsets, label and kind: if gold has no span there when the
argument is taken, the filler is made in gold from them (an argument must point at a row).
"""

from __future__ import annotations

from typing import NamedTuple

from annotator.core.layers import Layer
from annotator.core.model import ENTITY, TRIGGER, Span


class SpanUnit(NamedTuple):
    start: int
    end: int
    label: str


class ArgUnit(NamedTuple):
    role: str
    start: int  # the filler's offsets
    end: int
    label: str  # the filler's label (an entity's) or type (an event's trigger)
    kind: str = ENTITY  # TRIGGER when the filler is another event

    @property
    def key(self) -> tuple[str, int, int]:
        """What two annotators' arguments match on: role and filler offsets."""
        return (self.role, self.start, self.end)


class EventUnit(NamedTuple):
    type: str
    start: int  # the trigger's offsets
    end: int
    arguments: tuple[ArgUnit, ...] = ()

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.type, self.start, self.end)


class Units(NamedTuple):
    spans: tuple[SpanUnit, ...] = ()
    events: tuple[EventUnit, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.spans or self.events)

    def plus(self, other: Units) -> Units:
        """Both, each unit once (events with the same trigger and type: arguments united)."""
        spans = tuple(dict.fromkeys([*self.spans, *other.spans]))
        events: dict[tuple, EventUnit] = {}
        for event in [*self.events, *other.events]:
            known = events.get(event.key)
            if known is None:
                events[event.key] = event
            else:
                merged = tuple(dict.fromkeys([*known.arguments, *event.arguments]))
                events[event.key] = known._replace(arguments=merged)
        return Units(spans, tuple(events.values()))


def units_of(layer: Layer, every_span: dict[int, Span], triggers: dict[int, int]) -> Units:
    """One layer as units. `every_span`: all accepted spans on the article, by id, of every
    layer (in a merged project an argument may point at a span someone else made);
    `triggers`: every event's trigger span id, by event id. An event whose trigger is not an
    accepted span, and relations (no trigger), are not adjudicated."""
    spans = tuple(
        SpanUnit(span.start, span.end, span.label) for span in layer.spans if span.kind == ENTITY
    )
    events = []
    for event in layer.events:
        trigger = every_span.get(event.trigger_id) if event.trigger_id is not None else None
        if event.relation or trigger is None:
            continue
        arguments = []
        for argument in event.arguments:
            if argument.span_id is not None:
                filler = every_span.get(argument.span_id)
            else:
                filler = every_span.get(triggers.get(argument.arg_event_id or -1, -1))
            if filler is not None:
                kind = TRIGGER if filler.kind == TRIGGER else ENTITY
                arguments.append(
                    ArgUnit(argument.role, filler.start, filler.end, filler.label, kind)
                )
        events.append(EventUnit(event.type, trigger.start, trigger.end, tuple(arguments)))
    return Units(spans, tuple(events))


def article_units(layers: dict[str, Layer]) -> dict[str, Units]:
    """Every layer of one article as units, by annotator name."""
    every_span = {span.id: span for layer in layers.values() for span in layer.spans if span.id}
    triggers = {
        event.id: event.trigger_id
        for layer in layers.values()
        for event in layer.events
        if event.id is not None and event.trigger_id is not None
    }
    return {name: units_of(layer, every_span, triggers) for name, layer in sorted(layers.items())}
