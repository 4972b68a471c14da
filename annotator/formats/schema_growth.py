"""How an import grows the project's schema: unknown labels, event types and roles, and the
types a source declares (brat's annotation.conf), under one --unknown-labels policy.

Names are shared by entity labels, event types and relation types (the schema refuses a
name used twice), and must be names the schema accepts; anything else is reported, never
added, because a schema that doesn't load again would lock the person out of the project.
What a valid name, a free key and a new colour are is the core's (core.schema_rules), the
same as for a label added by hand; this module keeps the import's policy and its account of
what was added.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.core.attributes import WILDCARDS, AttributeType
from annotator.core.errors import ImportFailed
from annotator.core.schema import Role, Schema
from annotator.core.schema_edit import add_roles, add_type, drop_unknown_fillers
from annotator.core.schema_rules import NAME_RULE, kind_clash, new_colour, valid_name


class SchemaGrowth:
    """The schema as an import finds it, grown as records need, and what was added.

    Each check returns None when the name may be used, or why the annotation is skipped;
    with the "error" policy an unknown name raises ImportFailed (the file is rolled back).
    """

    def __init__(self, schema: Schema, policy: str):
        self.schema = schema
        self.base = schema  # as the import found it
        self.used: set[str] = set()  # labels and types the import's kept annotations carry
        # (kind, label) of spans found usable: the schema only grows during an import, so
        # a label usable once stays usable, and 200,000 spans needn't ask it each time.
        self.usable: set[tuple[str, str]] = set()
        self.policy = policy
        self.labels_added: list[str] = []
        self.types_added: list[str] = []  # "event type X", "relation type Y", "role X/R"
        self._new: set[str] = set()  # types added here: their roles are no news
        self.changed = False

    def _unknown(self, what: str, where: str) -> str | None:
        if self.policy == "error":
            raise ImportFailed(
                f"{where}: {what} is not in the project's schema (use --unknown-labels add or skip)"
            )
        if self.policy == "skip":
            return f"unknown {what}"
        return None

    def _invalid(self, name: str, wanted: str) -> str | None:
        return kind_clash(self.schema, name, wanted)

    def label(self, name: str, where: str) -> str | None:
        if self.schema.label(name):
            return None
        problem = self._invalid(name, "entity") or self._unknown(f"label {name!r}", where)
        if problem:
            return problem
        self.schema = self.schema.with_label(name)
        self.labels_added.append(name)
        self.changed = True
        return None

    def event_type(self, name: str, relation: bool, where: str) -> str | None:
        if self.schema.type_named(name, relation):
            return None
        wanted = "relation" if relation else "event"
        problem = self._invalid(name, wanted) or self._unknown(f"{wanted} type {name!r}", where)
        if problem:
            return problem
        self.schema = add_type(self.schema, name, relation, description="added on import")
        self.types_added.append(f"{wanted} type {name}")
        self._new.add(name)
        self.changed = True
        return None

    def role(self, type_name: str, relation: bool, role: str, where: str) -> str | None:
        """A role of a type the schema has (check event_type first)."""
        event_type = self.schema.type_named(type_name, relation)
        if event_type.role(role):
            return None
        if not valid_name(role):
            return f"role {role!r} can't be a role name ({NAME_RULE})"
        problem = self._unknown(f"role {role!r} of {type_name}", where)
        if problem:
            return problem
        self.schema = add_roles(self.schema, type_name, relation, [Role(role)])
        self.changed = True
        if type_name not in self._new:
            self.types_added.append(f"role {type_name}/{role}")
        return None

    def merge(self, declared: Schema) -> list[str]:
        """Add what a source declares and the project lacks: labels, types, missing roles.

        The project's own definitions win where both have one. Returns notes on what could
        not be taken (a name clash, a filler that names nothing).
        """
        notes: list[str] = []
        for label in declared.entities:
            if not self.schema.label(label.name):
                problem = self._invalid(label.name, "entity")
                if problem:
                    notes.append(f"entity type not added: {problem}")
                    continue
                self.schema = self.schema.with_label(label.name)
                self.labels_added.append(label.name)
                self.changed = True
        for new in [*declared.events, *declared.relations]:
            wanted = "relation" if new.relation else "event"
            existing = self.schema.type_named(new.name, new.relation)
            if existing is None:
                problem = self._invalid(new.name, wanted)
                if problem:
                    notes.append(f"{wanted} type not added: {problem}")
                    continue
                # Coloured as any type an import adds; its roles come below.
                self.schema = self.schema.with_event_type(
                    replace(new, color=new_colour(self.schema, wanted), roles=())
                )
                self.types_added.append(f"{wanted} type {new.name}")
                self._new.add(new.name)
                existing = self.schema.type_named(new.name, new.relation)
            missing = [r for r in new.roles if existing.role(r.name) is None]
            if missing:
                self.schema = add_roles(self.schema, new.name, new.relation, missing)
                self.changed = True
                if new.name not in self._new:
                    self.types_added += [f"role {new.name}/{r.name}" for r in missing]
        for attribute in declared.attributes:
            notes += self._merge_attribute(attribute)
        notes += self._drop_unknown_fillers()
        return notes

    def _merge_attribute(self, new: AttributeType) -> list[str]:
        """A declared attribute (brat's [attributes]): added, or its values the project's
        lacks added to the project's; the project's key, default and targets stay."""
        old = self.schema.attribute(new.name)
        if old is None:
            known = set(self.schema.names) | set(WILDCARDS)
            targets = tuple(t for t in new.targets if t in known)
            if new.targets and not targets:
                return [f"attribute {new.name} not added: it is for {', '.join(new.targets)} only"]
            added = replace(new, targets=targets, key="")
            self.schema = replace(self.schema, attributes=[*self.schema.attributes, added])
            self.types_added.append(f"attribute {new.name}")
            self.changed = True
            return []
        extra = tuple(v for v in new.values if v not in old.values)
        if extra and not old.is_flag:
            grown = replace(old, values=(*old.values, *extra))
            self.schema = replace(
                self.schema,
                attributes=[grown if a.name == old.name else a for a in self.schema.attributes],
            )
            self.types_added.append(f"values {', '.join(extra)} of attribute {new.name}")
            self.changed = True
        return []

    def onto(self, current: Schema) -> Schema:
        """The schema to publish the import with, built on `current` (the project's schema
        when the import is published, which another connection may have changed since it
        began): unchanged meanwhile, the grown one; otherwise `current` with what the import
        added and every label or type its annotations use (one removed meanwhile comes back,
        as the import's annotations need it; nothing else of the old schema does)."""
        if current == self.base:
            return self.schema
        names = self.used | set(self.labels_added) | self._new
        declared = replace(
            self.schema,
            entities=[t for t in self.schema.entities if t.name in names],
            events=[t for t in self.schema.events if t.name in names],
            relations=[t for t in self.schema.relations if t.name in names],
        )
        again = SchemaGrowth(current, "add")
        again.merge(declared)
        return again.schema

    def _drop_unknown_fillers(self) -> list[str]:
        schema, notes = drop_unknown_fillers(self.schema)
        if notes:
            self.schema = schema
            self.changed = True
        return notes
