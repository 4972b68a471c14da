"""Changing a schema after the project exists: merging a schema file in, adding a label, the
types and roles an import adds, and writing a schema back out as TOML a person can edit.
Names, keys and colours follow core.schema_rules, the same for each of these.

Merging never drops anything: labels and types the project has stay, those the file adds
are appended, and those both have take the file's colour, description, key (when free) and
roles. What could not be taken over is said, not silently skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from annotator.core.errors import SchemaError
from annotator.core.schema import (
    ANY_ENTITY,
    ANY_EVENT,
    KIND_WORDS,
    AttributeType,
    EventType,
    Label,
    Role,
    Schema,
    spacy_knows,
)
from annotator.core.schema_rules import (
    check_label_key,
    check_name,
    free_key,
    key_holder,
    new_colour,
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


def add_label(
    schema: Schema, name: str, key: str | None = None, color: str = "", description: str = ""
) -> Schema:
    """A copy with one more entity label; refused (SchemaError) with the reason. Without a
    key (None) it gets the free key an import would give it; "" means no key."""
    name = name.strip()
    check_name(name, "label name")
    if kind := schema.kind_of(name):
        raise SchemaError(f"{name} is already {KIND_WORDS[kind]}")
    if key is None:
        key = free_key(schema, name)
    check_label_key(schema, key)
    label = Label(name, (color or new_colour(schema, "entity")).lower(), key, description)
    return _checked(replace(schema, entities=[*schema.entities, label]))


def add_type(schema: Schema, name: str, relation: bool, description: str = "") -> Schema:
    """A copy with one more event (or relation) type, no key and no roles, in a new colour;
    the schema as it is if it has that type. The caller checks the name (kind_clash)."""
    kind = "relation" if relation else "event"
    return schema.with_event_type(
        EventType(name, new_colour(schema, kind), description=description, relation=relation)
    )


def with_type(schema: Schema, new: EventType) -> Schema:
    """A copy with the type of that name (and kind) replaced by `new`."""
    if new.relation:
        return replace(
            schema, relations=[new if t.name == new.name else t for t in schema.relations]
        )
    return replace(schema, events=[new if t.name == new.name else t for t in schema.events])


def add_roles(schema: Schema, type_name: str, relation: bool, roles) -> Schema:
    """A copy whose type `type_name` has these roles too (after its own)."""
    event_type = schema.type_named(type_name, relation)
    if event_type is None:
        raise SchemaError(f"no {'relation' if relation else 'event'} type {type_name!r}")
    return with_type(schema, replace(event_type, roles=(*event_type.roles, *roles)))


def drop_unknown_fillers(schema: Schema) -> tuple[Schema, list[str]]:
    """The schema without role fillers that name nothing it has, and a note on each, so that
    it loads again. A role left with no filler would allow anything: it takes any entity."""
    known = set(schema.label_names) | {t.name for t in schema.events} | {ANY_ENTITY, ANY_EVENT}
    notes = []
    for event_type in [*schema.events, *schema.relations]:
        roles, dropped = [], False
        for role in event_type.roles:
            keep = tuple(f for f in role.fillers if f in known)
            if len(keep) != len(role.fillers):
                gone = ", ".join(f for f in role.fillers if f not in known)
                notes.append(
                    f"{event_type.name}, role {role.name}: filler {gone} names no "
                    "entity label or event type; left out"
                )
                dropped = True
                # Dropping every filler would turn "only X" into "anything": say any entity.
                keep = keep or (ANY_ENTITY,)
            roles.append(Role(role.name, keep))
        if dropped:
            schema = with_type(schema, replace(event_type, roles=tuple(roles)))
    return schema, notes


def merge_schema(
    current: Schema, incoming: Schema, source: str = "the merged schema"
) -> SchemaChange:
    """The project's schema with a schema file merged in (see the module's docstring);
    `source` names the file in messages."""
    change = SchemaChange(current)
    schema = current
    for label in incoming.entities:
        schema = _merge_label(schema, label, change)
    for event_type in [*incoming.events, *incoming.relations]:
        schema = _merge_type(schema, event_type, change)
    if incoming.guidelines and incoming.guidelines != schema.guidelines:
        # The file's link wins, as its descriptions do.
        (change.updated if schema.guidelines else change.added).append("the guidelines link")
        schema = replace(schema, guidelines=incoming.guidelines)
    for attribute in incoming.attributes:
        schema = _merge_attribute(schema, attribute, change)
    if incoming.language != current.language:
        change.notes.append(
            f"the file's language is {incoming.language!r}; the project keeps "
            f"{current.language!r} (its texts are tokenized that way)"
        )
    change.schema = _checked(schema, f"{source} merged into the project")
    return change


def _merge_label(schema: Schema, label: Label, change: SchemaChange) -> Schema:
    kind = schema.kind_of(label.name)
    if kind not in (None, "entity"):
        change.notes.append(
            f"{label.name} is {KIND_WORDS[kind]} in the project; the label was not added"
        )
        return schema
    old = schema.label(label.name)
    key = _merged_key(schema, label.name, label.key, old.key if old else "", False, change)
    merged = Label(
        label.name,
        _colour(schema, label.color, old, "entity"),
        key,
        label.description or (old.description if old else ""),
        label.examples or (old.examples if old else ()),
    )
    if old is None:
        change.added.append(label.name)
        return replace(schema, entities=[*schema.entities, merged])
    if merged == old:
        return schema
    change.updated.append(label.name)
    return replace(
        schema,
        entities=[merged if other.name == label.name else other for other in schema.entities],
    )


def _merged_key(
    schema: Schema, name: str, wanted: str, own: str, for_event: bool, change: SchemaChange
) -> str:
    """The key the file gives, if no one else has it; else (or if it gives none) the own."""
    if not wanted:
        return own
    holder = key_holder(schema, wanted, for_event=for_event)
    if holder and holder != name:
        change.notes.append(
            f"{name}: key {wanted!r} is used by {holder}, so {name} "
            + (f"keeps {own!r}" if own else "has no key")
        )
        return own
    return wanted


def _colour(schema: Schema, given: str, old, kind: str) -> str:
    """The file's colour; left out of the file, the project's, or a new one."""
    if given:
        return given
    if old is not None:
        return old.color
    return new_colour(schema, kind)


def _merge_type(schema: Schema, incoming: EventType, change: SchemaChange) -> Schema:
    what = "relation" if incoming.relation else "event"
    kind = schema.kind_of(incoming.name)
    if kind not in (None, what):
        change.notes.append(
            f"{incoming.name} is {KIND_WORDS[kind]} in the project; the {what} type was not added"
        )
        return schema
    old = schema.type_named(incoming.name, incoming.relation)
    key = (
        ""
        if incoming.relation
        else _merged_key(schema, incoming.name, incoming.key, old.key if old else "", True, change)
    )
    roles = list(old.roles) if old else []
    for role in incoming.roles:
        at = next((i for i, r in enumerate(roles) if r.name == role.name), None)
        if at is None:
            roles.append(role)
        else:
            roles[at] = role
    merged = replace(
        incoming,
        key=key,
        roles=tuple(roles),
        color=_colour(schema, incoming.color, old, what),
        description=incoming.description or (old.description if old else ""),
        examples=incoming.examples or (old.examples if old else ()),
    )
    if old is None:
        change.added.append(f"{what} type {incoming.name}")
        types = schema.relations if incoming.relation else schema.events
        return (
            replace(schema, relations=[*types, merged])
            if incoming.relation
            else replace(schema, events=[*types, merged])
        )
    if merged == old:
        return schema
    change.updated.append(f"{what} type {incoming.name}")
    return with_type(schema, merged)


def _merge_attribute(schema: Schema, incoming: AttributeType, change: SchemaChange) -> Schema:
    """An attribute the file declares: added, or the project's with the file's values,
    targets and default added to its own (values are never taken away: annotations hold
    them); the file's key only when no other attribute has it."""
    old = schema.attribute(incoming.name)
    taken = {a.key: a.name for a in schema.attributes if a.key and a.name != incoming.name}
    key = incoming.key
    if key in taken:
        change.notes.append(f"attribute {incoming.name}: key {key} is {taken[key]}'s; not given")
        key = old.key if old else ""
    if old is None:
        change.added.append(f"attribute {incoming.name}")
        return replace(schema, attributes=[*schema.attributes, replace(incoming, key=key)])
    if old.is_flag != incoming.is_flag:
        change.notes.append(
            f"attribute {incoming.name} is a {'flag' if old.is_flag else 'list of values'} in "
            "the project; the project keeps its own"
        )
        return schema
    merged = replace(
        old,
        values=(*old.values, *(v for v in incoming.values if v not in old.values)),
        targets=()
        if not old.targets or not incoming.targets
        else (*old.targets, *(t for t in incoming.targets if t not in old.targets)),
        default=incoming.default or old.default,
        key=key or old.key,
        description=incoming.description or old.description,
    )
    if merged == old:
        return schema
    change.updated.append(f"attribute {incoming.name}")
    return replace(
        schema, attributes=[merged if a.name == old.name else a for a in schema.attributes]
    )


def _checked(schema: Schema, source: str = "the changed schema") -> Schema:
    """The schema as it will load again from the project: whatever from_dict refuses now
    would lock the person out later."""
    return Schema.from_dict(schema.to_dict(), source=source)


_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


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
    if schema.guidelines:
        out.append(f"guidelines = {q(schema.guidelines)}")
    for label in schema.entities:
        out += ["", "[[entities]]", f"label = {q(label.name)}", f"color = {q(label.color)}"]
        if label.key:
            out.append(f"key = {q(label.key)}")
        if label.description:
            out.append(f"description = {q(label.description)}")
        if label.examples:
            out.append(f"examples = [{', '.join(q(e) for e in label.examples)}]")
    for table, types in (("events", schema.events), ("relations", schema.relations)):
        for event_type in types:
            out += [
                "",
                f"[[{table}]]",
                f"type = {q(event_type.name)}",
                f"color = {q(event_type.color)}",
            ]
            if event_type.key:
                out.append(f"key = {q(event_type.key)}")
            if event_type.description:
                out.append(f"description = {q(event_type.description)}")
            if event_type.examples:
                out.append(f"examples = [{', '.join(q(e) for e in event_type.examples)}]")
            for role in event_type.roles:
                out += [
                    "",
                    f"[[{table}.roles]]",
                    f"role = {q(role.name)}",
                    f"labels = [{', '.join(q(f) for f in role.fillers)}]",
                ]
    if schema.keys:  # the project's own keys (the key map editor's)
        out += ["", "[keys]"]
        out += [f"{q(a)} = [{', '.join(q(k) for k in keys)}]" for a, keys in schema.keys.items()]
    for attribute in schema.attributes:
        out += ["", "[[attributes]]"]
        for name, value in attribute.to_dict().items():
            shown = f"[{', '.join(q(v) for v in value)}]" if isinstance(value, list) else q(value)
            out.append(f"{name} = {shown}")
    return "\n".join(out) + "\n"


def with_language(current: Schema, language: str, articles: int) -> Schema:
    """The schema with another spaCy language (tokenization, the CoNLL and spaCy exports, the
    exported training config). Only for a project without articles yet: the ones it has were
    tokenized, and perhaps labelled on token boundaries, in its language."""
    if language == current.language:
        return current
    if not spacy_knows(language):
        raise SchemaError(
            f"language {language!r} is not a spaCy language code (en, de, fi, ru, ... or xx "
            "for any language)"
        )
    if articles:
        raise SchemaError(
            f"the project's language is {current.language!r} and it has {articles} "
            f"article(s) tokenized that way; import into a new project to use {language!r}"
        )
    return replace(current, language=language)
