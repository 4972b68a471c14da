"""The schema of a merged project: the union of the annotators' schemas. Each copy may have
grown labels, types or roles on its own; all of them are kept. Where two copies define the
same name differently (colour, key, description, kind), the project keeps its own definition
and the difference is reported: an annotator's colour is no reason to repaint everyone's."""

from __future__ import annotations

from dataclasses import replace

from annotator.core.schema import EventType, Schema
from annotator.core.schema_edit import SchemaChange, merge_schema


def union_schema(current: Schema, incoming: Schema, source: str) -> SchemaChange:
    """`current` with what `incoming` adds (labels, event and relation types, roles);
    `source` names the input in the notes on conflicting definitions."""
    notes: list[str] = []
    labels = []
    for label in incoming.entities:
        old = current.label(label.name)
        if old is None:
            labels.append(label)
        elif (old.color, old.key, old.description) != (label.color, label.key, label.description):
            notes.append(
                f"{source}: label {label.name} is defined differently there (colour "
                f"{label.color}, key {label.key!r}); the project keeps its own "
                f"({old.color}, {old.key!r})"
            )
    types: list[EventType] = []
    for incoming_type in [*incoming.events, *incoming.relations]:
        old_type = current.type_named(incoming_type.name, incoming_type.relation)
        if old_type is None:
            types.append(incoming_type)
            continue
        known = {role.name: role for role in old_type.roles}
        extra = tuple(role for role in incoming_type.roles if role.name not in known)
        differing = [
            role.name
            for role in incoming_type.roles
            if role.name in known and set(role.fillers) != set(known[role.name].fillers)
        ]
        if differing:
            notes.append(
                f"{source}: type {incoming_type.name} allows other fillers for "
                f"{', '.join(differing)}; the project keeps its own"
            )
        if (old_type.color, old_type.key) != (incoming_type.color, incoming_type.key):
            notes.append(
                f"{source}: type {incoming_type.name} is defined differently there (colour "
                f"{incoming_type.color}, key {incoming_type.key!r}); the project keeps its own"
            )
        if extra:  # the project's type as it is, with the roles only the input has
            types.append(replace(old_type, roles=(*old_type.roles, *extra)))
    only_new = replace(
        incoming,
        entities=labels,
        events=[t for t in types if not t.relation],
        relations=[t for t in types if t.relation],
    )
    change = merge_schema(current, only_new, source)
    change.notes[:0] = notes
    return change
