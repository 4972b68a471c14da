"""The store's layers (core/layers.py: spans and events as rows, with ids) as what agreement
compares (layers.py: offsets, labels, types and roles).

An event belongs to the annotator in its own `annotator` column (the store's Layer already
groups it so), whoever made its trigger. A trigger or a filler is looked up among every
layer's accepted spans on the article, not only the event's own layer: in a merged project
one person may have added a role to a span someone else marked. An event whose trigger is not
an accepted span (a suggestion still pending) and relations (events without a trigger) are
not compared; an argument whose filler is not accepted is no argument yet.
"""

from __future__ import annotations

from collections.abc import Collection

from annotator.core.agreement.layers import (
    ArticleLayers,
    LayerArgument,
    LayerEvent,
    LayerSpan,
    LayerUnits,
)
from annotator.core.layers import Layer
from annotator.core.model import TRIGGER


def article_layers(
    article_id: int, text: str, layers: dict[str, Layer], names: Collection[str]
) -> ArticleLayers:
    """The layers of `names` who annotated the article, as agreement compares them."""
    offsets = {span.id: (span.start, span.end) for layer in layers.values() for span in layer.spans}
    triggers = {
        event.id: offsets[event.trigger_id]
        for layer in layers.values()
        for event in layer.events
        if event.trigger_id is not None and event.trigger_id in offsets
    }
    compared = {}
    for name in sorted(layers):
        if name not in names:
            continue
        layer = layers[name]
        spans = tuple(
            LayerSpan(span.start, span.end, span.label)
            for span in layer.spans
            if span.kind != TRIGGER
        )
        events = []
        for event in layer.events:
            trigger = triggers.get(event.id)
            if event.relation or trigger is None:
                continue
            arguments = []
            for argument in event.arguments:
                if argument.span_id is not None:
                    filler = offsets.get(argument.span_id)
                else:
                    filler = triggers.get(argument.arg_event_id or -1)
                if filler is not None:
                    arguments.append(LayerArgument(argument.role, *filler))
            events.append(LayerEvent(event.type, *trigger, tuple(arguments)))
        compared[name] = LayerUnits(spans, tuple(events))
    return ArticleLayers(article_id, text, compared)
