"""The rules every change to a schema follows, wherever it is made: a schema file loading, a
label added in the window or with `annotator schema`, a schema file merged in, an import that
meets a label the project lacks. What a name may be, which key is free, what colour a new
name gets. One home, so that a label added on import and one added by hand come out alike.

Pure: no storage, no Qt. Takes the schema by what it reads (entities, events, names), so that
core.schema can use these rules while it builds a Schema.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from annotator.core.colours import distinct_colour
from annotator.core.errors import SchemaError
from annotator.core.keymap import ADJUDICATE, DEFAULT

if TYPE_CHECKING:
    from annotator.core.schema import EventType, Label, Schema

_NAME = re.compile(r"^[A-Za-z0-9_.\-:]+$")
# Said wherever a name is refused, so every message names the same rule.
NAME_RULE = "letters, digits, _ . - : only"
# Keys the view keeps for itself (navigation, deletion); a label can't take them.
RESERVED_KEYS = {" ", "\t", "\n"}
# Keys that accept and reject a selected suggestion: a label on them is reached only when no
# suggestion is selected, so new labels are kept off them.
ACCEPT_KEY, REJECT_KEY = "a", "x"


def valid_name(name: str) -> bool:
    """Whether a label, type or role name is one the schema accepts (it must load again)."""
    return bool(_NAME.match(name))


def check_name(name: str, what: str = "name") -> None:
    """Refuse (SchemaError) a name the schema would not load again."""
    if not name or not valid_name(name):
        raise SchemaError(f"{what} {name!r} must be {NAME_RULE} (no spaces)")


def kind_clash(schema: Schema, name: str, wanted: str) -> str | None:
    """Why `name` can't be added as a `wanted` ("entity", "event", "relation") name: it is not
    a name the schema accepts, or the schema has it as another kind (names are shared).
    None when it may be added (or is there already as that kind)."""
    if not valid_name(name):
        return f"{name!r} can't be a schema name ({NAME_RULE})"
    taken = schema.kind_of(name)
    if taken and taken != wanted:
        return f"{name!r} is already an {taken} name in the schema, not an {wanted} one"
    return None


def key_holder(schema: Schema, key: str, *, for_event: bool) -> str | None:
    """Who already answers to this key. Entity keys ignore case among entity labels (p and P
    both label PERSON); an event key is Shift+key, so it clashes with an entity label only
    on the very same character (event A and entity a live side by side). A command the
    project rebound to a character (its [keys]: span.next on s) answers to it before any
    label, so that key is taken too."""
    if not key:
        return None
    for label in schema.entities:
        if label.key and (
            key in (label.key, label.key.lower()) if for_event else label.key.lower() == key.lower()
        ):
            return label.name
    for event_type in schema.events:
        if event_type.key == key:
            return event_type.name
    return command_holder(schema, key, for_event=for_event)


def command_holder(schema: Schema, key: str, *, for_event: bool) -> str | None:
    """The command of the project's key map (the defaults with the schema's [keys]) bound to
    this character, named for a message ("the span.next command"); None if none is. Only
    the keys that reach the article view count: the adjudication list's digits work there
    alone. An entity key clashes in either case (s and S both label), an event key exactly."""
    keymap = DEFAULT.with_overrides(schema.keys)
    for binding in keymap.bindings:
        if binding.scope == ADJUDICATE:
            continue
        for bound in binding.keys:
            if len(bound) == 1 and (bound == key or not for_event and bound.lower() == key.lower()):
                return f"the {binding.action} command"
    return None


def check_label_key(schema: Schema, key: str) -> None:
    """Refuse (SchemaError) a key a new entity label can't take: someone has it, or it
    accepts or rejects suggestions (said as such, not as the command that has it)."""
    holder = key_holder(schema, key, for_event=False)
    if holder and holder != command_holder(schema, key, for_event=False):
        raise SchemaError(f"key {key!r} is already used by {holder}")
    if key.lower() in (ACCEPT_KEY, REJECT_KEY):
        raise SchemaError(f"key {key!r} accepts or rejects a selected suggestion; pick another")
    if holder:
        raise SchemaError(f"key {key!r} is already used by {holder}")


def free_key(schema: Schema, name: str) -> str:
    """The key an entity label added without one gets: the first letter or digit of its name
    that nobody answers to, else the first free digit, else none. Skips the keys that accept
    and reject suggestions, and event keys on the same character: either would leave the
    label unreachable, or the schema refusing to load again."""
    for char in name.lower() + "0123456789":
        if (
            char.isalnum()
            and len(char) == 1
            and char not in (ACCEPT_KEY, REJECT_KEY)
            and key_holder(schema, char, for_event=False) is None
        ):
            return char
    return ""


def new_colour(schema: Schema, kind: str) -> str:
    """The colour a name added without one gets: the one that looks least like every colour
    the schema has (labels, event and relation types; CIEDE2000, core.colours), so that a new
    tag is never taken for an old one. `kind` is kept for the callers that name it; every kind
    draws from the same colours, as they share the article view."""
    return distinct_colour(colours_of(schema))


def colours_of(schema: Schema) -> list[str]:
    """Every colour the schema gives out, in its order (empty ones, not yet given, left out)."""
    kinds: list[Label | EventType] = [*schema.entities, *schema.events, *schema.relations]
    return [kind.color for kind in kinds if kind.color]
