"""Changing a schema after the project exists: merging a schema file in, adding a label, and
writing a schema back out as TOML a person can edit.

Merging never drops anything: labels and types the project has stay, those the file adds
are appended, and those both have take the file's colour, description, key (when free) and
roles. What could not be taken over is said, not silently skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from annotator.core.errors import SchemaError
from annotator.core.schema import (
    ACCEPT_KEY, KIND_WORDS, REJECT_KEY, EventType, Label, Schema, generated_colour, valid_name,
)


@dataclass
class SchemaChange:
    schema: Schema
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)

    def summary(self) -> str:
        lines = []
        if self.added:
            lines.append("Added: " + ", ".join(self.added))
        if self.updated:
            lines.append("Updated: " + ", ".join(self.updated))
        if not self.changed:
            lines.append("The project's schema already has all of it: nothing changed.")
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines)


def key_holder(schema: Schema, key: str, *, for_event: bool) -> str | None:
    """Who already answers to this key. Entity keys ignore case among entity labels (p and P
    both label PERSON); an event key is Shift+key, so it clashes with an entity label only
    on the very same character (event A and entity a live side by side)."""
    if not key:
        return None
    for label in schema.entities:
        if label.key and (key in (label.key, label.key.lower()) if for_event
                          else label.key.lower() == key.lower()):
            return label.name
    for event_type in schema.events:
        if event_type.key == key:
            return event_type.name
    return None


def add_label(schema: Schema, name: str, key: str = "", color: str = "",
              description: str = "") -> Schema:
    """A copy with one more entity label; refused (SchemaError) with the reason."""
    name = name.strip()
    if not name or not valid_name(name):
        raise SchemaError(f"label name {name!r} must be letters, digits, _ . - : (no spaces)")
    if kind := schema.kind_of(name):
        raise SchemaError(f"{name} is already {KIND_WORDS[kind]}")
    if holder := key_holder(schema, key, for_event=False):
        raise SchemaError(f"key {key!r} is already used by {holder}")
    if key.lower() in (ACCEPT_KEY, REJECT_KEY):
        raise SchemaError(f"key {key!r} accepts or rejects a selected suggestion; pick another")
    label = Label(name, (color or generated_colour(len(schema.entities))).lower(), key, description)
    return _checked(replace(schema, entities=[*schema.entities, label]))


def merge_schema(current: Schema, incoming: Schema, source: str = "the merged schema") -> SchemaChange:
    """The project's schema with a schema file merged in (see the module's docstring);
    `source` names the file in messages."""
    change = SchemaChange(current)
    schema = current
    for label in incoming.entities:
        schema = _merge_label(schema, label, change)
    for event_type in [*incoming.events, *incoming.relations]:
        schema = _merge_type(schema, event_type, change)
    if incoming.language != current.language:
        change.notes.append(f"the file's language is {incoming.language!r}; the project keeps "
                            f"{current.language!r} (its texts are tokenized that way)")
    change.schema = _checked(schema, f"{source} merged into the project")
    return change


def _merge_label(schema: Schema, label: Label, change: SchemaChange) -> Schema:
    kind = schema.kind_of(label.name)
    if kind not in (None, "entity"):
        change.notes.append(f"{label.name} is {KIND_WORDS[kind]} in the project; the label was not added")
        return schema
    old = schema.label(label.name)
    key = _free_key(schema, label.name, label.key, old.key if old else "", False, change)
    merged = Label(label.name, _colour(schema, label.color, old), key,
                   label.description or (old.description if old else ""))
    if old is None:
        change.added.append(label.name)
        return replace(schema, entities=[*schema.entities, merged])
    if merged == old:
        return schema
    change.updated.append(label.name)
    return replace(schema, entities=[merged if l.name == label.name else l for l in schema.entities])


def _free_key(schema: Schema, name: str, wanted: str, own: str, for_event: bool,
              change: SchemaChange) -> str:
    """The key the file gives, if no one else has it; else (or if it gives none) the own."""
    if not wanted:
        return own
    holder = key_holder(schema, wanted, for_event=for_event)
    if holder and holder != name:
        change.notes.append(f"{name}: key {wanted!r} is used by {holder}, so {name} "
                            + (f"keeps {own!r}" if own else "has no key"))
        return own
    return wanted


def _colour(schema: Schema, given: str, old) -> str:
    """The file's colour; left out of the file, the project's, or a new one."""
    if given:
        return given
    if old is not None:
        return old.color
    return generated_colour(len(schema.entities) + len(schema.events) + len(schema.relations))


def _merge_type(schema: Schema, incoming: EventType, change: SchemaChange) -> Schema:
    what = "relation" if incoming.relation else "event"
    kind = schema.kind_of(incoming.name)
    if kind not in (None, what):
        change.notes.append(f"{incoming.name} is {KIND_WORDS[kind]} in the project; the {what} type "
                            "was not added")
        return schema
    old = schema.type_named(incoming.name, incoming.relation)
    key = "" if incoming.relation else _free_key(schema, incoming.name, incoming.key,
                                                 old.key if old else "", True, change)
    roles = list(old.roles) if old else []
    for role in incoming.roles:
        at = next((i for i, r in enumerate(roles) if r.name == role.name), None)
        if at is None:
            roles.append(role)
        else:
            roles[at] = role
    merged = replace(incoming, key=key, roles=tuple(roles), color=_colour(schema, incoming.color, old),
                     description=incoming.description or (old.description if old else ""))
    field_name = "relations" if incoming.relation else "events"
    types = getattr(schema, field_name)
    if old is None:
        change.added.append(f"{what} type {incoming.name}")
        return replace(schema, **{field_name: [*types, merged]})
    if merged == old:
        return schema
    change.updated.append(f"{what} type {incoming.name}")
    return replace(schema, **{field_name: [merged if t.name == old.name else t for t in types]})


def _checked(schema: Schema, source: str = "the changed schema") -> Schema:
    """The schema as it will load again from the project: whatever from_dict refuses now
    would lock the person out later."""
    return Schema.from_dict(schema.to_dict(), source=source)


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
                 "\r": "\\r"}


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, everything
    else (emoji included) as it is, for a file written in UTF-8."""
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def schema_to_toml(schema: Schema) -> str:
    """The schema as a TOML file of the shape load_schema reads."""
    q = toml_string
    out = [f"name = {q(schema.name)}", f"language = {q(schema.language)}"]
    for label in schema.entities:
        out += ["", "[[entities]]", f"label = {q(label.name)}", f"color = {q(label.color)}"]
        if label.key:
            out.append(f"key = {q(label.key)}")
        if label.description:
            out.append(f"description = {q(label.description)}")
    for table, types in (("events", schema.events), ("relations", schema.relations)):
        for event_type in types:
            out += ["", f"[[{table}]]", f"type = {q(event_type.name)}", f"color = {q(event_type.color)}"]
            if event_type.key:
                out.append(f"key = {q(event_type.key)}")
            if event_type.description:
                out.append(f"description = {q(event_type.description)}")
            for role in event_type.roles:
                out += ["", f"[[{table}.roles]]", f"role = {q(role.name)}",
                        f"labels = [{', '.join(q(f) for f in role.fillers)}]"]
    return "\n".join(out) + "\n"

