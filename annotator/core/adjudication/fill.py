"""Which agreed units the fill still owes gold.

Gold is the adjudicator's: a unit the fill put there once and a person then deleted or
relabelled by hand must not come back when the article is opened again. So each agreed
unit filled is marked by its key (`unit_key`), and the fill writes only units never marked.

An agreed argument whose filler lies in a span conflict waits for that conflict: filling it
earlier would make the filler from one annotator's label before anyone decided it. Once the
conflict is decided, the argument goes in only if gold has a span at the filler's offsets
(taking a version that labels it, or the person's own span); after "neither" it stays out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from annotator.core.adjudication.classify import SPAN, Adjudication
from annotator.core.adjudication.units import ArgUnit, EventUnit, SpanUnit, Units
from annotator.core.model import ENTITY

AUTO = "auto"  # the "decision" that marks an agreed unit as filled
PREFIX = "agreed:"  # keys of those marks (a conflict's key never starts so)


def unit_key(unit: SpanUnit | EventUnit, argument: ArgUnit | None = None) -> str:
    if isinstance(unit, SpanUnit):
        return f"{PREFIX}span:{unit.start}-{unit.end}:{unit.label}"
    key = f"{PREFIX}event:{unit.type}:{unit.start}-{unit.end}"
    if argument is not None:
        key += f":{argument.role}:{argument.start}-{argument.end}"
    return key


def filler_conflict(found: Adjudication, argument: ArgUnit) -> str | None:
    """The key of the span conflict in which some version labels the filler's very text (its
    label there is what is in dispute), if any."""
    if argument.kind != ENTITY:
        return None
    place = (argument.start, argument.end)
    for conflict in found.conflicts:
        if conflict.kind == SPAN and any(
            (span.start, span.end) == place for _, units in conflict.options for span in units.spans
        ):
            return conflict.key
    return None


def to_fill(
    found: Adjudication,
    decided: Collection[str],
    filled: Collection[str],
    gold_places: Collection[tuple[int, int]],
    gold_events: Collection[tuple[str, int, int]],
) -> tuple[Units, list[str]]:
    """The agreed units still owed to gold, and the keys to mark them by. `gold_places`: the
    offsets of gold's entity spans; `gold_events`: gold's events by (type, start, end)."""
    spans = [unit for unit in found.agreed.spans if unit_key(unit) not in filled]
    keys = [unit_key(unit) for unit in spans]
    events = []
    for event in found.agreed.events:
        owed = unit_key(event) not in filled
        if not owed and event.key not in gold_events:
            continue  # filled once, then deleted by hand: its arguments stay out with it
        arguments = []
        for argument in event.arguments:
            if unit_key(event, argument) in filled:
                continue
            conflict = filler_conflict(found, argument)
            if conflict is not None and (
                conflict not in decided or (argument.start, argument.end) not in gold_places
            ):
                continue
            arguments.append(argument)
            keys.append(unit_key(event, argument))
        if owed or arguments:
            events.append(event._replace(arguments=tuple(arguments)))
            if owed:
                keys.append(unit_key(event))
    return Units(tuple(spans), tuple(events)), keys


def held_by(
    found: Adjudication,
    conflict_key: str,
    gold_places: Collection[tuple[int, int]],
    gold_events: Mapping[tuple[str, int, int], int] | Collection[tuple[str, int, int]],
) -> Units:
    """The agreed arguments that waited for span conflict `conflict_key` and can go into gold
    now that it is decided (gold has a span at their filler), on events gold holds."""
    events = []
    for event in found.agreed.events:
        if event.key not in gold_events:
            continue
        arguments = tuple(
            argument
            for argument in event.arguments
            if filler_conflict(found, argument) == conflict_key
            and (argument.start, argument.end) in gold_places
        )
        if arguments:
            events.append(event._replace(arguments=arguments))
    return Units(events=tuple(events))
