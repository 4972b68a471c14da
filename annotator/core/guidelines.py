"""What the schema says about a label, for the Guidelines panel and the palette's tooltips:
its description, its examples, its key and, for an event type, its roles and what fills them.
Plain data and plain text; the Qt side lays it out."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.schema import EventType, Label, Schema


@dataclass(frozen=True)
class Guideline:
    name: str
    kind: str  # "entity", "event" or "relation"
    color: str
    key: str  # as a person presses it: "p", "Shift+A"
    description: str
    examples: tuple[str, ...]
    roles: tuple[tuple[str, tuple[str, ...]], ...]  # (role, fillers) of an event type


def key_words(key: str, kind: str) -> str:
    """An event type's upper-case key is pressed with Shift (the schema writes "A")."""
    if kind == "event" and len(key) == 1 and key.isalpha() and key.isupper():
        return f"Shift+{key}"
    return key


def guideline(item: Label | EventType) -> Guideline:
    if isinstance(item, Label):
        return Guideline(
            item.name, "entity", item.color, item.key, item.description, item.examples, ()
        )
    kind = "relation" if item.relation else "event"
    return Guideline(
        item.name,
        kind,
        item.color,
        key_words(item.key, kind),
        item.description,
        item.examples,
        tuple((role.name, role.fillers) for role in item.roles),
    )


def guideline_for(schema: Schema, name: str) -> Guideline | None:
    """The guideline of a label or type by name; None for a name the schema lacks."""
    label = schema.label(name)
    if label is not None:
        return guideline(label)
    found = schema.event_type(name) or schema.relation_type(name)
    return guideline(found) if isinstance(found, EventType) else None


def all_guidelines(schema: Schema) -> list[Guideline]:
    items: list[Label | EventType] = [*schema.entities, *schema.events, *schema.relations]
    return [guideline(item) for item in items]


def tooltip(item: Guideline) -> str:
    """The palette chip's tooltip: the description, the examples, the key, the roles."""
    lines = [f"{item.name}: {item.description}" if item.description else item.name]
    if item.examples:
        lines.append("Examples: " + "; ".join(item.examples))
    if item.roles:
        lines.append(
            "Roles: "
            + "; ".join(
                f"{role} ({', '.join(fillers)})" if fillers else role
                for role, fillers in item.roles
            )
        )
    if item.key:
        lines.append(f"Key: {item.key}")
    return "\n".join(lines)
