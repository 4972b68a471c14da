"""Sort one article's layers into what the annotators agree on and what they don't.

A unit is agreed when enough of the article's annotators have it exactly (a span: offsets and
label; an event: trigger offsets and type; an argument of an agreed event: role and filler
offsets): all of them ("unanimous", the default) or more than half ("majority"), and in
either case at least two people; an article one person annotated has nothing agreed. Agreed
units go to gold without anyone looking.

The rest are grouped into conflicts: units whose extents overlap (the same text read
differently, a longer or shorter span, a span only some have) form one conflict, each
annotator's share of it one option (possibly nothing). Arguments of an agreed event are
compared role by role: one conflict per role where the layers differ. With a majority, a
minority's unit that overlaps an agreed one was outvoted and is no conflict.

A conflict's key names it from its kind and extent, so a decision stored under it still
finds its conflict when the article is opened again, as long as the layers are unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from annotator.core.adjudication.units import ArgUnit, EventUnit, SpanUnit, Units
from annotator.core.layers import GOLD

UNANIMOUS, MAJORITY = "unanimous", "majority"
POLICIES = (UNANIMOUS, MAJORITY)
SPAN, EVENT, ARGUMENT = "span", "event", "argument"

# What a person can decide on a conflict (TAKE is followed by the annotator's name).
TAKE, BOTH, NEITHER, EDIT = "take", "both", "neither", "edit"


@dataclass(frozen=True)
class Conflict:
    key: str
    kind: str  # SPAN, EVENT or ARGUMENT
    start: int  # the extent to show (an argument's: its event's trigger)
    end: int
    options: tuple[tuple[str, Units], ...]  # (annotator, what they have here), in name order
    role: str = ""  # an argument conflict's role

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.options)

    def units_for(self, choice: str) -> Units:
        """What a decision puts into gold: "take:NAME", BOTH (everyone's, each once), NEITHER
        or EDIT (nothing: the person edits gold in the text)."""
        if choice.startswith(TAKE + ":"):
            name = choice[len(TAKE) + 1 :]
            for who, units in self.options:
                if who == name:
                    return units
            raise ValueError(f"{name} has no part in conflict {self.key}")
        if choice == BOTH:
            both = Units()
            for _, units in self.options:
                both = both.plus(units)
            return both
        if choice in (NEITHER, EDIT):
            return Units()
        raise ValueError(f"unknown decision {choice!r}")


@dataclass(frozen=True)
class Adjudication:
    """One article: who annotated it, what they agree on, and the conflicts."""

    annotators: tuple[str, ...]
    policy: str
    agreed: Units = field(default_factory=Units)
    conflicts: tuple[Conflict, ...] = ()

    def open(self, decided: Iterable[str]) -> list[Conflict]:
        """The conflicts without a decision (`decided`: the keys decided on)."""
        done = set(decided)
        return [c for c in self.conflicts if c.key not in done]


def needed(annotators: int, policy: str) -> int:
    """How many annotators must have a unit for it to be agreed (never fewer than two)."""
    if policy not in POLICIES:
        raise ValueError(f"unknown agreement policy {policy!r}; use {' or '.join(POLICIES)}")
    need = annotators if policy == UNANIMOUS else annotators // 2 + 1
    return max(need, 2)


def adjudicate(layers: dict[str, Units], policy: str = UNANIMOUS) -> Adjudication:
    """The agreed units and the conflicts of one article's layers (gold's own left out)."""
    layers = {name: units for name, units in sorted(layers.items()) if name != GOLD}
    names = tuple(layers)
    need = needed(len(names), policy)
    outvote = policy == MAJORITY

    span_support = _support((name, units.spans) for name, units in layers.items())
    agreed_spans = [unit for unit, who in span_support.items() if len(who) >= need]
    rest_spans = _rest(span_support, agreed_spans, outvote, lambda u: (u.start, u.end))
    conflicts = [
        Conflict(
            f"{SPAN}:{start}-{end}",
            SPAN,
            start,
            end,
            tuple(
                (name, Units(spans=tuple(u for u in group if name in span_support[u])))
                for name in names
            ),
        )
        for start, end, group in _groups(rest_spans, lambda u: (u.start, u.end))
    ]

    by_key: dict[tuple, dict[str, list[EventUnit]]] = defaultdict(lambda: defaultdict(list))
    for name, units in layers.items():
        for event in units.events:
            by_key[event.key][name].append(event)
    event_support = {
        EventUnit(*key): set(holders) for key, holders in by_key.items()
    }  # without arguments: events match on type and trigger
    agreed_keys = [unit for unit, who in event_support.items() if len(who) >= need]
    rest_events = _rest(event_support, agreed_keys, outvote, lambda u: (u.start, u.end))
    for start, end, group in _groups(rest_events, lambda u: (u.start, u.end)):
        options = []
        for name in names:
            mine = [e for unit in group for e in by_key[unit.key].get(name, [])]
            options.append((name, Units(events=tuple(_one_each(mine)))))
        conflicts.append(Conflict(f"{EVENT}:{start}-{end}", EVENT, start, end, tuple(options)))

    agreed_events = []
    for unit in agreed_keys:
        holders = by_key[unit.key]
        agreed_args, arg_conflicts = _arguments(unit, holders, names, need, outvote)
        agreed_events.append(unit._replace(arguments=agreed_args))
        conflicts += arg_conflicts
    conflicts.sort(key=lambda c: (c.start, c.end, c.kind != SPAN, c.key))
    agreed = Units(tuple(sorted(agreed_spans)), tuple(sorted(agreed_events)))
    return Adjudication(names, policy, agreed, tuple(conflicts))


def _arguments(
    event: EventUnit,
    holders: dict[str, list[EventUnit]],
    names: Sequence[str],
    need: int,
    outvote: bool,
) -> tuple[tuple[ArgUnit, ...], list[Conflict]]:
    """An agreed event's arguments: those enough holders give it (role and filler offsets),
    and one conflict per role where the holders differ."""
    mine = {
        name: tuple(_one_each(a for e in events for a in e.arguments))
        for name, events in holders.items()
    }
    support: dict[ArgUnit, set[str]] = defaultdict(set)
    first: dict[tuple, ArgUnit] = {}
    for name, arguments in mine.items():
        for argument in arguments:
            unit = first.setdefault(argument.key, argument)  # the filler's label: the first's
            support[unit].add(name)
    agreed = [unit for unit, who in support.items() if len(who) >= need]
    rest = [
        unit
        for unit in support
        if unit not in agreed
        and not (
            outvote
            and any(
                a.role == unit.role and a.start < unit.end and unit.start < a.end for a in agreed
            )  # fmt: skip
        )
    ]
    conflicts = []
    for role in sorted({unit.role for unit in rest}):
        keys = {unit.key for unit in rest if unit.role == role}
        options = tuple(
            (
                name,
                Units(
                    events=(
                        event._replace(arguments=tuple(a for a in mine[name] if a.key in keys)),
                    )
                )
                if any(a.key in keys for a in mine.get(name, ()))
                else Units(),
            )
            # Every annotator, those without the event too ("nothing"): option n is the
            # header's annotator n, as in span and event conflicts.
            for name in names
        )
        conflicts.append(
            Conflict(
                f"{ARGUMENT}:{event.type}:{event.start}-{event.end}:{role}",
                ARGUMENT,
                event.start,
                event.end,
                options,
                role,
            )
        )
    return tuple(sorted(agreed)), conflicts


U = TypeVar("U", SpanUnit, EventUnit, ArgUnit)


def _one_each(units: Iterable[U]) -> list[U]:
    return list(dict.fromkeys(units))


def _support(layers: Iterable[tuple[str, Iterable[U]]]) -> dict[U, set[str]]:
    support: dict[U, set[str]] = defaultdict(set)
    for name, units in layers:
        for unit in units:
            support[unit].add(name)
    return dict(support)


def _rest(support: dict[U, set[str]], agreed: list[U], outvote: bool, extent) -> list[U]:
    """The units not agreed; with a majority, not those overlapping an agreed one either."""
    taken = set(agreed)
    spans = [extent(unit) for unit in agreed]
    rest = []
    for unit in support:
        if unit in taken:
            continue
        start, end = extent(unit)
        if outvote and any(s < end and start < e for s, e in spans):
            continue
        rest.append(unit)
    return rest


def _groups(units: list[U], extent) -> list[tuple[int, int, list[U]]]:
    """Units whose extents overlap (directly or through others), as (start, end, units)."""
    groups: list[tuple[int, int, list[U]]] = []
    for unit in sorted(units, key=lambda u: (*extent(u), u)):
        start, end = extent(unit)
        if groups and start < groups[-1][1]:
            first, last, members = groups[-1]
            members.append(unit)
            groups[-1] = (first, max(last, end), members)
        else:
            groups.append((start, end, [unit]))
    return groups
