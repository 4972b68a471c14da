"""Attributes the schema declares for spans and events, as brat's annotation.conf does:

    [[attributes]]
    name = "Polarity"
    values = ["Positive", "Negative"]   # left out: a flag, set or not (brat's binary attribute)
    targets = ["<EVENT>"]               # labels, event or relation types, or a wildcard
    default = "Positive"                # what an annotation without a value means
    key = "Alt+P"                       # cycles the selected annotation's value

An annotation's values live in its meta ({"attributes": {name: value}}, a flag as True), the
same place brat's A lines and Prodigy's meta arrive in (formats.annotation_meta), so the
window, the imports and every exporter read one thing. A value the schema does not declare
(an import's) is kept and shown, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.errors import SchemaError

ANY_ENTITY = "<ENTITY>"
ANY_EVENT = "<EVENT>"
ANY_RELATION = "<RELATION>"
WILDCARDS = (ANY_ENTITY, ANY_EVENT, ANY_RELATION)
# brat keeps a value as one word of these characters (its A lines split on spaces).
_VALUE = re.compile(r"^[A-Za-z0-9_.\-:]+$")
_NAME = _VALUE
# A key for an attribute works anywhere in the window (a menu shortcut): it needs Ctrl or
# Alt, or it would take a letter from the label keys and from typing a note.
_KEY = re.compile(r"^(Ctrl\+)?(Alt\+)?(Shift\+)?([A-Z0-9]|F\d{1,2})$")


@dataclass(frozen=True)
class AttributeType:
    name: str
    values: tuple[str, ...] = ()  # none: a flag
    targets: tuple[str, ...] = ()  # none: any annotation
    default: str = ""
    key: str = ""
    description: str = ""

    @property
    def is_flag(self) -> bool:
        return not self.values

    def applies_to(self, name: str, kind: str) -> bool:
        """Whether an annotation of this label or type ("entity", "event" or "relation")
        may carry it."""
        if not self.targets:
            return True
        wildcard = {"entity": ANY_ENTITY, "event": ANY_EVENT, "relation": ANY_RELATION}[kind]
        return name in self.targets or wildcard in self.targets

    def next_value(self, current: object) -> object | None:
        """What its key makes of the current value: a flag toggles (None: unset); a value
        moves to the next one, from the default when none is set, round to the first."""
        if self.is_flag:
            return None if current is True else True
        values = list(self.values)
        shown = current if current in values else (self.default or None)
        if shown not in values:
            return values[0]
        return values[(values.index(shown) + 1) % len(values)]

    def to_dict(self) -> dict:
        data: dict = {"name": self.name}
        if self.values:
            data["values"] = list(self.values)
        if self.targets:
            data["targets"] = list(self.targets)
        for field_name in ("default", "key", "description"):
            if getattr(self, field_name):
                data[field_name] = getattr(self, field_name)
        return data


def parse_attributes(items, source: str) -> list[AttributeType]:
    """The [[attributes]] tables of a schema file, checked (SchemaError naming the table);
    their targets are checked against the names by `check_targets` once those are known."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise SchemaError(f"{source}: 'attributes' must be a list of [[attributes]] tables")
    found: list[AttributeType] = []
    keys: dict[str, str] = {}
    for number, item in enumerate(items, start=1):
        where = f"{source}: attribute {number}"
        if not isinstance(item, dict):
            raise SchemaError(f"{where}: expected a table")
        name = str(item.get("name") or "").strip()
        if not _NAME.match(name):
            raise SchemaError(f"{where}: name {name!r} must be letters, digits, _ . - : only")
        where = f"{where} ({name})"
        if any(a.name == name for a in found):
            raise SchemaError(f"{where}: declared twice")
        values = _words(item.get("values", []), where, "values")
        if len(set(values)) != len(values):
            raise SchemaError(f"{where}: a value is listed twice")
        targets = _words(item.get("targets", []), where, "targets", wildcards=True)
        default = str(item.get("default", "") or "").strip()
        if default and default not in values:
            raise SchemaError(f"{where}: default {default!r} is not one of its values")
        key = str(item.get("key", "") or "").strip()
        if key:
            key = normal_key(key)
            if not _KEY.match(key) or not ("Ctrl+" in key or "Alt+" in key):
                raise SchemaError(
                    f"{where}: key {key!r} must be Alt or Ctrl with a letter or digit "
                    "(Alt+P): single letters are the labels' keys"
                )
            if key in keys:
                raise SchemaError(f"{where}: key {key} is already {keys[key]}'s")
            keys[key] = name
        found.append(
            AttributeType(
                name, values, targets, default, key, str(item.get("description", "") or "")
            )
        )
    return found


def normal_key(key: str) -> str:
    """The key "alt+p" or "Alt+p" as "Alt+P" (modifiers in Qt's order, the key upper case)."""
    *mods, last = key.split("+")
    order = ("Ctrl", "Alt", "Shift", "Meta")
    named = {m.capitalize() for m in mods}
    return "+".join([m for m in order if m in named] + [last.upper() if len(last) == 1 else last])


def _words(raw, where: str, what: str, wildcards: bool = False) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [part for part in raw.split("|") if part]
    if not isinstance(raw, list):
        raise SchemaError(f"{where}: '{what}' must be a list")
    words = tuple(str(word).strip() for word in raw)
    for word in words:
        if not (_VALUE.match(word) or (wildcards and word in WILDCARDS)):
            raise SchemaError(
                f"{where}: {what[:-1]} {word!r} must be one word (letters, digits, _ . - :)"
            )
    return words


def check_targets(attributes: Iterable[AttributeType], names: set[str], source: str) -> None:
    """Refuse an attribute for a label or type the schema does not have."""
    for attribute in attributes:
        for target in attribute.targets:
            if target not in names and target not in WILDCARDS:
                raise SchemaError(
                    f"{source}: attribute {attribute.name}: {target!r} is not a label, "
                    "event type or relation type of the schema"
                )


def for_annotation(
    attributes: Iterable[AttributeType], name: str, kind: str
) -> list[AttributeType]:
    """The attributes an annotation of this label or type may carry, in the schema's order."""
    return [a for a in attributes if a.applies_to(name, kind)]
