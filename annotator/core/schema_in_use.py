"""Renaming, removing and replacing names that annotations may already use, at the schema
level: what is refused, and the schema that results. The store changes its rows to match in
the same transaction (store.schema_changes); the rules are here, so they are tested without a
project file.

`used` is what the store counts: accepted annotations per name.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.core.errors import SchemaError
from annotator.core.schema import KIND_WORDS, Role, Schema
from annotator.core.schema_rules import NAME_RULE, valid_name


def rename_in_schema(schema: Schema, old: str, new: str) -> tuple[str, Schema]:
    """(the kind of `old`, the schema with `old` renamed to `new` everywhere, role fillers
    too). Onto an existing name of the same kind the two merge (roles joined); refused
    (SchemaError) for another kind, an unknown `old` or a name the schema won't load."""
    kind, target = schema.kind_of(old), schema.kind_of(new)
    if kind is None:
        raise SchemaError(f"the project has no label or type named {old!r}")
    if not valid_name(new):
        raise SchemaError(f"{new!r} can't be a name: {NAME_RULE}")
    if old == new:
        raise SchemaError(f"{old} already has that name")
    if target not in (None, kind):
        raise SchemaError(
            f"{new} is {KIND_WORDS[target]}, {old} {KIND_WORDS[kind]}: they can't merge"
        )

    def fillers(role: Role) -> Role:
        names = [new if f == old else f for f in role.fillers]
        return replace(role, fillers=tuple(dict.fromkeys(names)))

    def types(items):
        items = [replace(t, roles=tuple(map(fillers, t.roles))) for t in items]
        into = next((t for t in items if t.name == new), None)
        if into is None:
            return [replace(t, name=new) if t.name == old else t for t in items]
        gone = next((t for t in items if t.name == old), None)
        if gone is None:
            return items
        roles = [*into.roles, *(r for r in gone.roles if into.role(r.name) is None)]
        return [
            replace(t, roles=tuple(roles)) if t.name == new else t for t in items if t.name != old
        ]

    if schema.label(new):
        entities = [label for label in schema.entities if label.name != old]
    else:
        entities = [replace(e, name=new) if e.name == old else e for e in schema.entities]
    attributes = [
        replace(a, targets=tuple(dict.fromkeys(new if t == old else t for t in a.targets)))
        for a in schema.attributes
    ]
    changed = replace(
        schema,
        entities=entities,
        events=types(schema.events),
        relations=types(schema.relations),
        attributes=attributes,
    )
    return kind, Schema.from_dict(changed.to_dict(), source="the renamed schema")


def remove_from_schema(schema: Schema, name: str, used: dict[str, int]) -> Schema:
    """The schema without a label or type no annotation uses; refused (SchemaError) if one
    does, or if it alone may fill a role (the role would come to allow anything)."""
    if schema.kind_of(name) is None:
        raise SchemaError(f"the project has no label or type named {name!r}")
    if count := used.get(name):
        raise SchemaError(
            f"{name} is used {count} time(s); delete those annotations, or rename "
            f"{name}, before removing it"
        )
    # Roles it fills lose it; a role it alone filled would come to allow anything instead.
    only = [
        f"{t.name}/{r.name}"
        for t in [*schema.events, *schema.relations]
        for r in t.roles
        if r.fillers == (name,)
    ]
    if only:
        raise SchemaError(
            f"{name} is all that may fill {', '.join(only)}; change those roles first"
        )
    # An attribute only it may carry would come to apply to everything: refused alike.
    alone = [a.name for a in schema.attributes if a.targets == (name,)]
    if alone:
        raise SchemaError(
            f"only {name} may carry the attribute(s) {', '.join(alone)}; change those first"
        )

    def types(items):
        return [
            replace(
                t,
                roles=tuple(
                    replace(r, fillers=tuple(f for f in r.fillers if f != name)) for r in t.roles
                ),
            )
            for t in items
            if t.name != name
        ]

    return replace(
        schema,
        entities=[label for label in schema.entities if label.name != name],
        events=types(schema.events),
        relations=types(schema.relations),
        attributes=[
            replace(a, targets=tuple(t for t in a.targets if t != name)) for a in schema.attributes
        ],
    )


def check_replacement(current: Schema, new: Schema, used: dict[str, int]) -> list[str]:
    """The names `new` drops; refused (SchemaError) if it leaves out a name annotations use,
    or makes one of them another kind of name."""
    names = current.names
    dropped = [name for name in names if new.kind_of(name) is None]
    in_use = [f"{name} ({used[name]})" for name in dropped if used.get(name)]
    if in_use:
        raise SchemaError(
            "the new schema leaves out names that annotations use: "
            + ", ".join(in_use)
            + "; rename or remove them first"
        )
    for name in names:
        kind, becomes = current.kind_of(name), new.kind_of(name)
        if used.get(name) and kind is not None and becomes is not None and becomes != kind:
            raise SchemaError(
                f"{name} is {KIND_WORDS[kind]} used {used[name]} time(s); the new "
                f"schema makes it {KIND_WORDS[becomes]}"
            )
    return dropped
