"""The label schema: which labels exist, their colours, keys and descriptions.

Read from a TOML file a person can edit (resources/schemas/news.toml is the default) and stored
in the project as JSON, so a project file is self-contained.
"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from annotator.core.attributes import (
    ANY_ENTITY,
    ANY_EVENT,
    AttributeType,
    check_targets,
    for_annotation,
    parse_attributes,
)
from annotator.core.errors import SchemaError
from annotator.core.schema_fields import (  # noqa: F401  (guidelines_link: its old name)
    examples,
    guidelines,
    guidelines_link,
    parse_keys,
)

# The rules for names, keys and colours live in schema_rules; imported here by their old names
# too, for the modules that import them from the schema.
from annotator.core.schema_rules import (  # noqa: F401
    ACCEPT_KEY,
    REJECT_KEY,
    RESERVED_KEYS,
    free_key,
    new_colour,
    valid_name,
)

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    key: str = ""
    description: str = ""
    examples: tuple[str, ...] = ()  # short phrases the label covers, shown with the description


# What Schema.kind_of answers, in words for messages.
KIND_WORDS = {"entity": "an entity label", "event": "an event type", "relation": "a relation type"}


@dataclass(frozen=True)
class Role:
    """A role of an event type and what may fill it: entity labels, event types, or the
    wildcards <ENTITY> and <EVENT> (as in brat's annotation.conf). No fillers: anything."""

    name: str
    fillers: tuple[str, ...] = ()

    def allows(self, filler: str, filler_is_event: bool) -> bool:
        if not self.fillers:
            return True
        wildcard = ANY_EVENT if filler_is_event else ANY_ENTITY
        return filler in self.fillers or wildcard in self.fillers


@dataclass(frozen=True)
class EventType:
    """An event type (with a trigger in the text) or a relation type (without one)."""

    name: str
    color: str
    key: str = ""
    description: str = ""
    roles: tuple[Role, ...] = ()
    relation: bool = False
    examples: tuple[str, ...] = ()

    def role(self, name: str) -> Role | None:
        return next((role for role in self.roles if role.name == name), None)


@dataclass
class Schema:
    name: str = "Untitled schema"
    language: str = "en"
    entities: list[Label] = field(default_factory=list)
    events: list[EventType] = field(default_factory=list)
    relations: list[EventType] = field(default_factory=list)
    # A guidelines document (a URL, or a file path made absolute when the schema is read),
    # opened by Help › Guidelines on the user's request; the app never fetches it.
    guidelines: str = ""
    # The project's own keys for the app's commands (action -> keys, as core.keymap names
    # them): what the key map editor changed from the defaults. In the schema so that they
    # travel with the project and with a schema file.
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # brat-style attributes of spans and events (core.attributes)
    attributes: list[AttributeType] = field(default_factory=list)

    def attribute(self, name: str) -> AttributeType | None:
        return next((a for a in self.attributes if a.name == name), None)

    def attributes_for(self, name: str, kind: str) -> list[AttributeType]:
        """The attributes an annotation of this label or type may carry; `kind` as
        kind_of answers ("entity", "event", "relation")."""
        return for_annotation(self.attributes, name, kind)

    def event_type(self, name: str) -> EventType | None:
        return next((t for t in self.events if t.name == name), None)

    def relation_type(self, name: str) -> EventType | None:
        return next((t for t in self.relations if t.name == name), None)

    def type_named(self, name: str, relation: bool) -> EventType | None:
        return self.relation_type(name) if relation else self.event_type(name)

    @property
    def names(self) -> list[str]:
        """Every name: entity labels, event types, relation types (they share one space)."""
        return [
            *self.label_names,
            *(t.name for t in self.events),
            *(t.name for t in self.relations),
        ]

    def event_type_for_key(self, key: str) -> EventType | None:
        return next((t for t in self.events if t.key and t.key == key), None)

    def kind_of(self, name: str) -> str | None:
        """What a name is here: "entity", "event", "relation", or None (names are shared)."""
        if self.label(name):
            return "entity"
        if self.event_type(name):
            return "event"
        if self.relation_type(name):
            return "relation"
        return None

    def colour_of(self, name: str) -> str | None:
        found = self.label(name) or self.event_type(name) or self.relation_type(name)
        return found.color if found else None

    def label(self, name: str) -> Label | None:
        for label in self.entities:
            if label.name == name:
                return label
        return None

    def label_for_key(self, key: str) -> Label | None:
        """The entity label with this key; case only matters when an event type has the key."""
        exact = next((label for label in self.entities if label.key and label.key == key), None)
        if exact or self.event_type_for_key(key):
            return exact
        key = key.lower()
        return next(
            (label for label in self.entities if label.key and label.key.lower() == key), None
        )

    @property
    def label_names(self) -> list[str]:
        return [label.name for label in self.entities]

    def with_label(self, name: str) -> Schema:
        """A copy with one more entity label, coloured and keyed so that it stays usable."""
        if self.label(name):
            return self
        added = Label(
            name=name,
            color=new_colour(self, "entity"),
            key=free_key(self, name),
            description="added on import",
        )
        return replace(self, entities=[*self.entities, added])

    def with_event_type(self, event_type: EventType) -> Schema:
        """A copy with one more event (or relation) type, unless one of that name exists."""
        if event_type.relation:
            if self.relation_type(event_type.name):
                return self
            return replace(self, relations=[*self.relations, event_type])
        if self.event_type(event_type.name):
            return self
        return replace(self, events=[*self.events, event_type])

    def to_dict(self) -> dict:
        data = {
            "name": self.name,
            "language": self.language,
            "entities": [_label_dict(label) for label in self.entities],
            "events": [_type_dict(t) for t in self.events],
            "relations": [_type_dict(t) for t in self.relations],
            # Only when there are some: a schema without its own keys is stored as before.
            **({"keys": {a: list(k) for a, k in self.keys.items()}} if self.keys else {}),
            **({"attributes": [a.to_dict() for a in self.attributes]} if self.attributes else {}),
        }
        if self.guidelines:
            data["guidelines"] = self.guidelines
        return data

    @classmethod
    def from_dict(cls, data: dict, source: str = "schema", partial: bool = False) -> Schema:
        """partial: a file to merge into a project, whose roles may name the project's labels
        and whose colours, when left out, stay empty (the project keeps its own); the merged
        schema is checked in full."""
        if not isinstance(data, dict):
            raise SchemaError(f"{source}: expected a table of settings")
        entities = data.get("entities", [])
        if not isinstance(entities, list):
            raise SchemaError(f"{source}: 'entities' must be a list of [[entities]] tables")
        labels: list[Label] = []
        seen_names: set[str] = set()
        seen_keys: dict[str, str] = {}
        for number, item in enumerate(entities, start=1):
            where = f"{source}: entity label {number}"
            if not isinstance(item, dict):
                raise SchemaError(f"{where}: expected a table")
            name = str(item.get("label") or item.get("name") or "").strip()
            if not name or not valid_name(name):
                raise SchemaError(f"{where}: label name {name!r} must be letters, digits, _ . - :")
            if name in seen_names:
                raise SchemaError(f"{where}: label {name} is declared twice")
            color = str(item.get("color", "")).strip()  # none: given below, once all are read
            if color and not _COLOUR.match(color):
                raise SchemaError(f"{where} ({name}): colour {color!r} is not #rrggbb")
            key = str(item.get("key", "")).strip()
            if len(key) > 1 or key in RESERVED_KEYS:
                raise SchemaError(f"{where} ({name}): key {key!r} must be a single character")
            if key and key.lower() in seen_keys:
                raise SchemaError(
                    f"{where} ({name}): key {key!r} is already used by {seen_keys[key.lower()]}"
                )
            if key:
                seen_keys[key.lower()] = name
            seen_names.add(name)
            labels.append(
                Label(
                    name,
                    color.lower(),
                    key,
                    str(item.get("description", "")),
                    examples(item, f"{where} ({name})"),
                )
            )
        names = seen_names
        events = _parse_types(
            data.get("events", []),
            "event type",
            source,
            names,
            seen_keys,
            relation=False,
            partial=partial,
        )
        relations = _parse_types(
            data.get("relations", []),
            "relation type",
            source,
            names,
            {},
            relation=True,
            partial=partial,
        )
        language = str(data.get("language", "en"))
        if not spacy_knows(language):
            raise SchemaError(
                f"{source}: language {language!r} is not a spaCy language code "
                "(en, de, fr, es, ar, zh, ... or xx for any language)"
            )
        schema = cls(
            name=str(data.get("name", "Untitled schema")),
            language=language,
            entities=labels,
            events=events,
            relations=relations,
            guidelines=guidelines(data, source),
            keys=parse_keys(data.get("keys", {}), source),
            attributes=parse_attributes(data.get("attributes"), source),
        )
        if not partial:
            _give_colours(schema)
            _check_fillers(schema, source)
            check_targets(schema.attributes, set(schema.names), source)
        return schema


def _label_dict(label: Label) -> dict:
    data = asdict(label)
    if label.examples:
        data["examples"] = list(label.examples)
    else:
        del data["examples"]  # as a project stored before examples existed has it
    return data


def _give_colours(schema: Schema) -> None:
    """Names the file gives no colour get one, in the file's order, each looking unlike every
    colour given so far and every colour the file names (a label added later gets one the
    same way: schema_rules.new_colour)."""
    for index, label in enumerate(schema.entities):
        if not label.color:
            schema.entities[index] = replace(label, color=new_colour(schema, "entity"))
    for types, kind in ((schema.events, "event"), (schema.relations, "relation")):
        for index, event_type in enumerate(types):
            if not event_type.color:
                types[index] = replace(event_type, color=new_colour(schema, kind))


def _type_dict(event_type: EventType) -> dict:
    data = {
        "type": event_type.name,
        "color": event_type.color,
        "key": event_type.key,
        "description": event_type.description,
        "roles": [{"role": r.name, "labels": list(r.fillers)} for r in event_type.roles],
    }
    if not event_type.key:
        del data["key"]
    if event_type.examples:
        data["examples"] = list(event_type.examples)
    return data


def _parse_types(
    items,
    what: str,
    source: str,
    names: set[str],
    keys: dict[str, str],
    relation: bool,
    partial: bool = False,
) -> list[EventType]:
    if not isinstance(items, list):
        raise SchemaError(f"{source}: the {what}s must be a list of tables")
    found: list[EventType] = []
    for number, item in enumerate(items, start=1):
        where = f"{source}: {what} {number}"
        if not isinstance(item, dict):
            raise SchemaError(f"{where}: expected a table")
        name = str(item.get("type") or item.get("name") or "").strip()
        if not name or not valid_name(name):
            raise SchemaError(f"{where}: type name {name!r} must be letters, digits, _ . - :")
        if name in names:
            raise SchemaError(
                f"{where}: {name} is declared twice (names are shared by "
                "entity labels, event and relation types)"
            )
        color = str(item.get("color", "")).strip()  # none: given in from_dict
        if color and not _COLOUR.match(color):
            raise SchemaError(f"{where} ({name}): colour {color!r} is not #rrggbb")
        key = str(item.get("key", "")).strip()
        if len(key) > 1 or key in RESERVED_KEYS or key.isdigit():
            raise SchemaError(
                f"{where} ({name}): key {key!r} must be a single character, "
                "not a digit (digits pick roles)"
            )
        # Event keys are case-sensitive (Shift+A is not a): compare them exactly.
        if key and key in keys:
            raise SchemaError(f"{where} ({name}): key {key!r} is already used by {keys[key]}")
        if key:
            keys[key] = name
        roles_raw = item.get("roles", [])
        if not isinstance(roles_raw, list):
            raise SchemaError(f"{where} ({name}): 'roles' must be a list")
        roles: list[Role] = []
        for role_number, raw in enumerate(roles_raw, start=1):
            if (
                not isinstance(raw, dict)
                or not str(raw.get("role") or raw.get("name") or "").strip()
            ):
                raise SchemaError(f"{where} ({name}): role {role_number} needs a 'role' name")
            fillers = raw.get("labels", [])
            if isinstance(fillers, str):
                fillers = [part for part in fillers.split("|") if part]
            if not isinstance(fillers, list):
                raise SchemaError(f"{where} ({name}): role {role_number}: 'labels' must be a list")
            role_name = str(raw.get("role") or raw.get("name")).strip()
            if any(r.name == role_name for r in roles):
                raise SchemaError(f"{where} ({name}): role {role_name} is declared twice")
            roles.append(Role(role_name, tuple(str(f) for f in fillers)))
        names.add(name)
        found.append(
            EventType(
                name,
                color.lower(),
                key,
                str(item.get("description", "")),
                tuple(roles),
                relation,
                examples(item, f"{where} ({name})"),
            )
        )
    return found


def _check_fillers(schema: Schema, source: str) -> None:
    known = set(schema.label_names) | {t.name for t in schema.events} | {ANY_ENTITY, ANY_EVENT}
    for event_type in [*schema.events, *schema.relations]:
        for role in event_type.roles:
            for filler in role.fillers:
                if filler not in known:
                    raise SchemaError(
                        f"{source}: {event_type.name}, role {role.name}: "
                        f"{filler!r} is not an entity label or event type"
                    )


def load_schema(path: str | Path, partial: bool = False) -> Schema:
    """Read a schema file: TOML, or JSON of the same shape when the name ends in .json."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            if path.suffix.lower() == ".json":
                data = json.load(handle)
            else:
                data = tomllib.load(handle)
    except OSError as error:
        raise SchemaError(f"{path}: cannot read the schema file ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise SchemaError(f"{path}: not valid TOML ({error})") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SchemaError(f"{path}: not valid JSON ({error})") from error
    schema = Schema.from_dict(data, source=str(path), partial=partial)
    return replace(schema, guidelines=guidelines_link(schema.guidelines, path.parent))


def spacy_knows(language: str) -> bool:
    """Whether spacy.lang has this language, looked up without importing spaCy (slow)."""
    if not re.fullmatch(r"[a-z]{2,3}", language):
        return False
    try:
        found = importlib.util.find_spec("spacy")
    except (ImportError, ValueError):
        found = None
    if found is None or not found.submodule_search_locations:
        return True  # no spaCy to ask; tokenizing will say
    return any(
        (Path(folder) / "lang" / language).is_dir() for folder in found.submodule_search_locations
    )
