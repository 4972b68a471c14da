"""brat's numbered roles (Theme2, Site2), kept per argument so that an edit does not move them.

brat repeats a role by numbering it, and the numbers pair roles up: in `Binding:T5 Theme:T1
Theme2:T2 Site2:T4` site T4 belongs to the second theme. The store keeps the role (Theme,
Site); an import that read numbered names keeps them in the event's meta under NAMES_KEY, one
entry per argument:

    {"name": "Site2", "role": "Site", "filler": "37:43:Entity"}

The filler is the argument's span as annotation_meta.span_key writes it, or for an event
filling the role "event:TYPE@" + its trigger's key. The names are matched to the arguments by
role and filler, not by position, so an argument added to the event (a Cause) or one taken
away leaves the others their names. An argument the import did not see gets the first name of
its role that no other argument has and no argument taken away had (a freed Theme2 is not
handed on: it would pair the new theme with the old one's site); when that role came
numbered, or a named argument is gone, the export says so (Names.changes).

Projects imported before names were kept per argument hold a plain list of names, argument by
argument; it is used while it still fits the arguments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from annotator.core.model import Argument, Event, Span
from annotator.formats.annotation_meta import span_key

NAMES_KEY = "brat_roles"
_NUMBERED = re.compile(r"^(.*?\D)(\d+)$")


def base_role(name: str, known: Callable[[str], bool], roles_here: set[str]) -> str:
    """Theme2 is the second Theme, unless Theme2 is itself a role (`known`); Theme2 is read as
    Theme when Theme is a role or the same event also has a plain Theme."""
    numbered = _NUMBERED.match(name)
    if not numbered or known(name):
        return name
    base = numbered.group(1)
    return base if known(base) or base in roles_here else name


def numbered(roles: Sequence[str]) -> list[str]:
    """Repeated roles numbered in order, as brat writes them: Theme, Theme2."""
    seen: dict[str, int] = {}
    out = []
    for role in roles:
        seen[role] = seen.get(role, 0) + 1
        out.append(role if seen[role] == 1 else f"{role}{seen[role]}")
    return out


def event_filler(event_type: str, trigger: str) -> str:
    return f"event:{event_type}@{trigger}"


def record_filler(argument) -> str:
    """The filler key of an import's ArgumentRecord (formats.records)."""
    if argument.span is not None:
        return span_key(argument.span.start, argument.span.end, argument.span.label)
    event = argument.event
    trigger = event.trigger if event is not None else None
    where = span_key(trigger.start, trigger.end, trigger.label) if trigger is not None else ""
    return event_filler(event.type if event is not None else "", where)


def keep_names(event, written: list[str]) -> None:
    """At import: keep the names as written (argument by argument, in the EventRecord's
    meta) when any differs from its stored role, i.e. the event has numbered roles."""
    if len(written) != len(event.arguments) or written == [a.role for a in event.arguments]:
        return
    event.meta[NAMES_KEY] = [
        {"name": name, "role": arg.role, "filler": record_filler(arg)}
        for name, arg in zip(written, event.arguments, strict=True)
    ]


class Fillers:
    """Filler keys of stored arguments, from the article's spans and events."""

    def __init__(self, spans: Sequence[Span], events: Sequence[Event]):
        self.spans = {s.id: s for s in spans}
        self.events = {e.id: e for e in events}

    def span(self, span_id: int | None) -> str:
        span = self.spans.get(span_id) if span_id is not None else None
        return span_key(span.start, span.end, span.label) if span else f"span {span_id}"

    def __call__(self, arg: Argument) -> str:
        if arg.span_id is not None:
            return self.span(arg.span_id)
        event = self.events.get(arg.arg_event_id) if arg.arg_event_id is not None else None
        if event is None:
            return f"event {arg.arg_event_id}"
        trigger = self.spans.get(event.trigger_id) if event.trigger_id is not None else None
        return event_filler(
            event.type, span_key(trigger.start, trigger.end, trigger.label) if trigger else ""
        )


@dataclass
class Names:
    names: list[str]  # one per argument given
    changes: list[str] = field(default_factory=list)  # for the export report


def _entries(saved, args: Sequence[Argument], filler: Callable[[Argument], str]):
    """The saved names as (name, role, filler) entries, or None when there are none."""
    if not isinstance(saved, list) or not saved:
        return None
    if all(isinstance(item, str) for item in saved):  # the older shape: names by position
        fits = len(saved) == len(args) and all(
            name.rstrip("0123456789") == arg.role.rstrip("0123456789")
            for name, arg in zip(saved, args, strict=False)
        )
        if not fits:
            return "stale"
        return [(name, arg.role, filler(arg)) for name, arg in zip(saved, args, strict=True)]
    entries = []
    for item in saved:
        if isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("name", "role")):
            entries.append((item["name"], item["role"], str(item.get("filler", ""))))
    return entries or None


def role_names(args: Sequence[Argument], meta: dict, filler: Callable[[Argument], str]) -> Names:
    """The brat name of each of `args` (the event's arguments that are written, in order)."""
    entries = _entries(meta.get(NAMES_KEY), args, filler)
    if entries is None:
        return Names(numbered([a.role for a in args]))
    if entries == "stale":
        return Names(
            numbered([a.role for a in args]),
            ["the role names read from brat no longer fit its arguments: numbered anew"],
        )
    pool = list(entries)
    names: list[str | None] = []
    for arg in args:
        key = filler(arg)
        match = next((e for e in pool if e[1] == arg.role and e[2] == key), None)
        if match is not None:
            pool.remove(match)
        names.append(match[0] if match else None)
    used = {n for n in names if n} | {e[0] for e in pool}
    numbered_roles = {e[1] for e in entries if e[0] != e[1]}
    changes = []
    for index, arg in enumerate(args):
        if names[index] is not None:
            continue
        name, n = arg.role, 1
        while name in used:
            n += 1
            name = f"{arg.role}{n}"
        used.add(name)
        names[index] = name
        if arg.role in numbered_roles:
            changes.append(f"{name} ({filler(arg)}) is new: its number is a guess")
    changes += [f"{name} ({key}) is no longer there" for name, _, key in pool]
    return Names([n or "" for n in names], changes)
